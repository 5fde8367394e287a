package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/metrics"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// Protection and observation: rate limits, security headers, metrics, tracing, draining.

func TestAClientOverItsRateIsToldWhenToComeBack(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	a := newAPIWith(t, testdb.Open(t, store.SQLite), func(c *httpapi.Config) {
		c.Limits = httpapi.Limits{PerIP: httpapi.Rate{PerSecond: 0.5, Burst: 3}, PerToken: httpapi.Rate{PerSecond: 0.5, Burst: 2}}
		c.Metrics, c.ServeMetrics = m, true
	})
	// The tokens are made without the API, so that the per-IP bucket is the test's alone.
	admin, other := a.token("admin", ""), a.token("admin", "")
	a.get("/v1/municipalities", admin).want(http.StatusOK)
	a.get("/v1/municipalities", admin).want(http.StatusOK)
	p := a.get("/v1/municipalities", admin).problem(http.StatusTooManyRequests)
	if res := a.get("/v1/municipalities", admin); res.Header.Get("Retry-After") != "2" || !strings.Contains(p["detail"].(string), "this token") {
		t.Errorf("Retry-After %q, problem %v", res.Header.Get("Retry-After"), p)
	}
	// Another token has a bucket of its own, but the client address had three requests.
	a.get("/v1/municipalities", other).problem(http.StatusTooManyRequests)
	if p := a.get("/v1/police-areas", "").problem(http.StatusTooManyRequests); !strings.Contains(p["detail"].(string), "client address") {
		t.Errorf("per-IP problem %v", p)
	}
	// Health checks are never limited; metrics are, as they cost a little.
	for i := 0; i < 5; i++ {
		a.get("/healthz", "").want(http.StatusOK)
	}
	a.get("/metrics", "").want(http.StatusTooManyRequests)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := rec.Body.String()
	// The third request ran out of the token's burst; the fourth, fifth and sixth, and the
	// scrape, of the address's.
	for _, want := range []string{`samverkan_rate_limited_total{limit="token"} 1`, `samverkan_rate_limited_total{limit="ip"} 4`} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestBehindTrustedProxiesEachForwardedClientHasItsOwnRate(t *testing.T) {
	t.Parallel()
	limits := httpapi.Limits{PerIP: httpapi.Rate{PerSecond: 0.1, Burst: 1}}
	trusting := newAPIWith(t, testdb.Open(t, store.SQLite), func(c *httpapi.Config) {
		c.Limits, c.TrustedProxies = limits, []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	})
	for _, client := range []string{"198.51.100.7", "198.51.100.8"} {
		trusting.do(http.MethodGet, "/v1/municipalities", "", nil, header{"X-Forwarded-For", client}).want(http.StatusOK)
	}
	trusting.do(http.MethodGet, "/v1/municipalities", "", nil, header{"X-Forwarded-For", "198.51.100.7"}).problem(http.StatusTooManyRequests)
	// An IPv6 client has a /64 to choose addresses from: the /64 is the client.
	trusting.do(http.MethodGet, "/v1/municipalities", "", nil, header{"X-Forwarded-For", "2001:db8:1:2::1"}).want(http.StatusOK)
	trusting.do(http.MethodGet, "/v1/municipalities", "", nil, header{"X-Forwarded-For", "2001:db8:1:2::beef"}).problem(http.StatusTooManyRequests)
	trusting.do(http.MethodGet, "/v1/municipalities", "", nil, header{"X-Forwarded-For", "2001:db8:1:3::1"}).want(http.StatusOK)
	// Without trust, X-Forwarded-For is the client's own claim and changes nothing.
	wary := newAPIWith(t, testdb.Open(t, store.SQLite), func(c *httpapi.Config) { c.Limits = limits })
	wary.do(http.MethodGet, "/v1/municipalities", "", nil, header{"X-Forwarded-For", "198.51.100.7"}).want(http.StatusOK)
	wary.do(http.MethodGet, "/v1/municipalities", "", nil, header{"X-Forwarded-For", "198.51.100.8"}).problem(http.StatusTooManyRequests)
}

func TestAnswersCarrySecurityHeaders(t *testing.T) {
	t.Parallel()
	a := newAPI(t, testdb.Open(t, store.SQLite))
	for _, res := range []*response{a.get("/v1/municipalities", ""), a.get("/v1/agreements/nope", "")} {
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
			"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'", "Referrer-Policy": "no-referrer"} {
			if got := res.Header.Get(k); got != v {
				t.Errorf("%s: %q, want %q", k, got, v)
			}
		}
	}
	docs := a.get("/docs", "")
	if csp := docs.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("/docs CSP %q: its own, which lets its script run", csp)
	}
}

func TestMetricsCountRequestsByRouteTemplateAndStatus(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	st := testdb.Open(t, store.SQLite)
	db, err := st.DB()
	if err != nil {
		t.Fatal(err)
	}
	m.DatabasePool("primary", db)
	m.WebhookBacklog(st.PendingDeliveries)
	a := newAPIWith(t, st, func(c *httpapi.Config) { c.Metrics, c.ServeMetrics = m, true }).withDemo()
	admin := a.token("admin", "")
	a.get("/v1/agreements/0193f0c2-6c1e-7a3b-9a51-3b2f7d0e4a31", "").problem(http.StatusNotFound)
	a.get("/v1/municipalities/0486/promise-periods/current", "").want(http.StatusOK)
	a.get("/v1/no/such/path/0486", "").want(http.StatusNotFound)
	a.post("/v1/imports?dryRun=true", admin, obj{"municipalities": []any{obj{"code": "0488", "name": "Trosa kommun"}}}).want(http.StatusOK)
	a.post("/v1/imports", admin, obj{"municipalities": []any{obj{"code": "0488", "name": "Trosa kommun"}}}).want(http.StatusOK)

	res := a.get("/metrics", "").want(http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("content type %s", ct)
	}
	body := string(res.Body)
	for _, want := range []string{
		`samverkan_http_requests_total{method="GET",route="/v1/agreements/:id",status="404"} 1`,
		`samverkan_http_requests_total{method="GET",route="/v1/municipalities/:code/promise-periods/current",status="200"} 1`,
		`samverkan_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`samverkan_http_request_duration_seconds_bucket{method="GET",route="/v1/agreements/:id",status="404",le="+Inf"} 1`,
		`samverkan_imports_total{format="json",outcome="dry_run"} 1`,
		`samverkan_imports_total{format="json",outcome="imported"} 1`,
		`samverkan_import_records_total{action="created",kind="municipality"} 1`,
		`go_sql_open_connections{db_name="primary"}`,
		`samverkan_webhook_deliveries_pending 0`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "0486\"") || strings.Contains(body, "/no/such") {
		t.Error("metrics carry raw paths; routes must be templates")
	}
}

func TestTracesNameEachRequestByItsRouteAndIncludeItsStatements(t *testing.T) {
	// Not parallel: the tracer provider is global.
	spans := tracetest.NewSpanRecorder()
	tp := trace.NewTracerProvider(trace.WithSpanProcessor(spans))
	prev, prevProp := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{}) // as tracing.Setup does
	defer func() { otel.SetTracerProvider(prev); otel.SetTextMapPropagator(prevProp) }()
	st := testdb.Open(t, store.SQLite)
	if err := st.Trace(); err != nil {
		t.Fatal(err)
	}
	a := newAPIWith(t, st, func(c *httpapi.Config) { c.Tracing = true }).withDemo()
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/v1/municipalities/0486/promise-periods/current", nil)
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	res, err := a.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if err := tp.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	var server, statements int
	for _, s := range spans.Ended() {
		if s.SpanContext().TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" {
			continue
		}
		switch {
		case s.Name() == "GET /v1/municipalities/:code/promise-periods/current":
			server++
		case strings.HasPrefix(s.Name(), "select "):
			statements++
			for _, kv := range s.Attributes() {
				if strings.Contains(kv.Value.Emit(), "'0486'") {
					t.Errorf("a statement's span carries its values: %s", kv.Value.Emit())
				}
			}
		}
	}
	if server != 1 || statements == 0 {
		t.Errorf("%d server spans named by route, %d statement spans in the caller's trace", server, statements)
	}
}

func TestADrainingServerIsNotReadyButStillAnswers(t *testing.T) {
	t.Parallel()
	a := newAPIWith(t, testdb.Open(t, store.SQLite), func(c *httpapi.Config) { c.Draining = func() bool { return true } })
	res := a.get("/readyz", "")
	res.problem(http.StatusServiceUnavailable)
	if res.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	a.get("/healthz", "").want(http.StatusOK)
	res = a.get("/v1/municipalities", "").want(http.StatusOK)
	// Each answer closes its connection, so that no client reuses one the shutdown closes.
	if !res.Close {
		t.Error("a draining server keeps its connections open")
	}
}
