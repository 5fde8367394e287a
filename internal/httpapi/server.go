// Package httpapi serves the Samverkan API over HTTP: the generated strict server from package
// api, implemented by thin handlers over the domain service, behind middleware that
// authenticates, guards bodies and validates every request against openapi.yaml.
package httpapi

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/netip"

	"github.com/CAFxX/httpcompression"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/metrics"
	"github.com/samverkan/samverkan/internal/samverkan"
)

// Config wires the server.
type Config struct {
	Service *samverkan.Service
	Logger  *slog.Logger
	// Spec is the raw openapi.yaml: requests are validated against it and it is served as is.
	Spec []byte
	// CORSOrigins are the browser origins allowed to call the API; empty means any ("*").
	CORSOrigins []string
	// AfterWrite, when set, is called after every successful write, e.g. to send the webhook
	// deliveries it queued at once.
	AfterWrite func()
	Limits     Limits
	// TrustedProxies are the load balancers whose X-Forwarded-For names the client; without
	// them the client is the connection's peer.
	TrustedProxies []netip.Prefix
	// Metrics, when set, count requests and imports; ServeMetrics adds /metrics.
	Metrics      *metrics.Metrics
	ServeMetrics bool
	// ReadYourWrites marks the context of requests that must read from the primary database:
	// those with credentials and every write.
	ReadYourWrites func(context.Context) context.Context
	// Tracing adds a span per request to the installed OpenTelemetry tracer provider.
	Tracing bool
	// Draining, when it reports true, makes /readyz answer 503 while requests are still
	// served, so that load balancers stop sending before the listener closes.
	Draining func() bool
}

// New builds the HTTP handler of the API.
func New(cfg Config) (http.Handler, error) {
	doc, err := LoadSpec(cfg.Spec)
	if err != nil {
		return nil, err
	}
	ops := indexOperations(doc)
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(log)
	e.Binder = jsonBinder{}
	e.IPExtractor = ipExtractor(cfg.TrustedProxies)
	e.Pre(headAsGet)
	origins := cfg.CORSOrigins
	if len(origins) == 0 {
		origins = []string{"*"}
	}
	var rateLimited func(limit string)
	if cfg.Metrics != nil {
		rateLimited = func(limit string) { cfg.Metrics.RateLimited.WithLabelValues(limit).Inc() }
	}
	// The chain, outermost first; the order is the design. Echo builds it for every request,
	// so a middleware that would do nothing is left out rather than passed through: nil
	// entries are dropped. (e.Pre(headAsGet) runs before routing: HEAD is GET without a body.)
	chain := []layer{
		// The id that the log line, the problem and the client's report share: first.
		{"requestID", middleware.RequestID()},
		// A span and the metrics see every answer, refusals by the layers below included.
		{"traceRoute", when(cfg.Tracing, traceRoute)},
		{"observe", when(cfg.Metrics != nil, observe(cfg.Metrics))},
		// One line per request, written after the error handler has set the status.
		{"requestLog", requestLog(log)},
		// A panic below is a 500 problem, logged by the line above.
		{"recover", middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, DisablePrintStack: true})},
		// Security headers and CORS on every answer, refusals included, so a browser can read them.
		{"secure", secure},
		{"cors", middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins:  origins,
			AllowMethods:  []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete},
			AllowHeaders:  []string{echo.HeaderAuthorization, echo.HeaderContentType, "If-Match", "If-None-Match", "If-Modified-Since", "Idempotency-Key"},
			ExposeHeaders: []string{"ETag", "Last-Modified", "Location", echo.HeaderXRequestID, "Retry-After", "RateLimit", "RateLimit-Policy", "Idempotent-Replayed"},
			MaxAge:        600,
		})},
		// Per address before anything costs: the token lookup is a database read.
		{"limitRate per address", when(cfg.Limits.PerIP.PerSecond > 0, limitRate(cfg.Limits.PerIP, "ip", clientIP, rateLimited))},
		// Requests with a token and writes get their deadline here and read the primary.
		{"deadline", when(cfg.Limits.RequestTimeout > 0, deadline(cfg.Limits.RequestTimeout, direct))},
		{"readYourWrites", when(cfg.ReadYourWrites != nil, readYourWrites(cfg.ReadYourWrites))},
		// Identity before any body work: a broken token is 401 whatever it asks for, and an
		// operation that needs a token refuses an anonymous caller before its body is read.
		{"authenticate", authenticate(cfg.Service)},
		{"requireToken", requireToken(ops)},
		{"limitRate per token", when(cfg.Limits.PerToken.PerSecond > 0, limitRate(cfg.Limits.PerToken, "token", tokenOf, rateLimited))},
		// The body is read once, within its limit, only for callers who got this far; imports
		// one at a time.
		{"bodyGuard", bodyGuard()},
		{"afterWrites", when(cfg.AfterWrite != nil, afterWrites(cfg.AfterWrite))},
		// Anonymous GETs are answered here when they can be (304, the response cache), before
		// the layers that only matter for an answer that is built.
		{"httpCache", httpCache(&versionCache{svc: cfg.Service}, newResponseCache(responseCacheBytes), cfg.Service.Now)},
		{"deadline for anonymous reads", when(cfg.Limits.RequestTimeout > 0, deadline(cfg.Limits.RequestTimeout, anonymousRead))},
		// Parameters and the body against the contract, bounded by the body's size.
		{"validator", validator(doc, ops)},
		// A repeated POST with the same key replays the first answer: after validation, so a
		// refused request claims no key.
		{"idempotency", idempotency(cfg.Service)},
		// The request's URL and Accept for next links and CSV answers; last, nearest the handler.
		{"withRequestInfo", withRequestInfo},
	}
	layers := make([]string, len(chain))
	for i, l := range chain {
		layers[i] = l.name
		if l.use != nil {
			e.Use(l.use)
		}
	}
	api.RegisterHandlers(e, api.NewStrictHandler(&Handler{svc: cfg.Service, metrics: cfg.Metrics, draining: cfg.Draining}, nil))
	if cfg.ServeMetrics && cfg.Metrics != nil {
		e.GET("/metrics", echo.WrapHandler(cfg.Metrics.Handler()))
	}
	registerDocs(e)
	spec := cfg.Spec
	e.GET("/openapi.yaml", func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "public, max-age=300")
		return c.Blob(http.StatusOK, "application/yaml; charset=utf-8", spec)
	})
	// gzip, brotli or zstd as the client prefers, for answers worth compressing.
	compress, err := httpcompression.DefaultAdapter(httpcompression.MinSize(1024))
	if err != nil {
		return nil, err
	}
	h := compress(e)
	if cfg.Tracing {
		h = otelhttp.NewHandler(h, "samverkan")
	}
	if cfg.Draining != nil {
		h = closeWhileDraining(h, cfg.Draining)
	}
	return routed{h, e, layers}, nil
}

// closeWhileDraining ends each connection with its answer once the server drains. A client
// then opens a new connection for its next request, which the listener still accepts until
// the drain delay ends, instead of reusing an idle one that the shutdown closes: a request
// written into a connection at the moment it is closed fails half-sent, and HTTP clients
// resend only those that were not sent at all.
func closeWhileDraining(next http.Handler, draining func() bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if draining() {
			w.Header().Set("Connection", "close")
		}
		next.ServeHTTP(w, r)
	})
}

// ipExtractor names the client: the connection's peer, or behind trusted load balancers the
// address they put in X-Forwarded-For.
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// readYourWrites sends a request's reads to the primary when it carries credentials or writes.
func readYourWrites(mark func(context.Context) context.Context) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if mark != nil && direct(req) {
				c.SetRequest(req.WithContext(mark(req.Context())))
			}
			return next(c)
		}
	}
}

// requestLog writes one structured line per request, with the request id that problems carry.
func requestLog(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true, LogRequestID: true, LogError: true,
		HandleError: true, // let the error handler set the status before the line is written
		// The client's own context, before any deadline of ours wraps it: clientLeft asks it.
		BeforeNextFunc: func(c echo.Context) { c.Set(clientContextKey, c.Request().Context()) },
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			attrs := []slog.Attr{
				slog.String("method", v.Method), slog.String("path", v.URIPath), slog.Int("status", v.Status),
				slog.Float64("latency_ms", float64(v.Latency.Microseconds())/1000), slog.String("request_id", v.RequestID),
			}
			if p := principalFrom(c.Request().Context()); p != nil {
				attrs = append(attrs, slog.String("token", p.TokenName))
			}
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			log.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		},
	})
}

// layer is one middleware of the chain, named for the test that holds each layer's answers
// against the contract (contract_statuses_test.go).
type layer struct {
	name string
	use  echo.MiddlewareFunc // nil where the configuration turns it off
}

// when is m if on, else nothing.
func when(on bool, m echo.MiddlewareFunc) echo.MiddlewareFunc {
	if !on {
		return nil
	}
	return m
}

// afterWrites calls fn after each write that succeeded.
func afterWrites(fn func()) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			err := next(c)
			if fn != nil && c.Request().Method != http.MethodGet && err == nil && c.Response().Status < 400 {
				fn()
			}
			return err
		}
	}
}

// headAsGet answers HEAD like GET without the body, as HTTP requires and caches expect.
func headAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Method != http.MethodHead {
			return next(c)
		}
		c.Request().Method = http.MethodGet
		c.Response().Writer = headWriter{c.Response().Writer}
		return next(c)
	}
}

type headWriter struct{ http.ResponseWriter }

func (w headWriter) Write(b []byte) (int, error) { return len(b), nil }
