package httpapi

import (
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/samverkan/samverkan/internal/metrics"
)

// observe counts each request and times it by method, route template and status. Routes are
// the templates (/v1/agreements/:id), never raw paths, so that their number stays bounded.
func observe(m *metrics.Metrics) echo.MiddlewareFunc {
	var series seriesCache // one per server, across requests
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil && !c.Response().Committed {
				c.Error(err) // the status is known only once the error is written
			}
			s := series.get(m, seriesKey{c.Request().Method, routeOf(c), c.Response().Status})
			s.requests.Inc()
			s.duration.Observe(time.Since(start).Seconds())
			return err
		}
	}
}

type seriesKey struct {
	method, route string
	status        int
}

type series struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

// seriesCache keeps each request series once looked up: a request then costs a map read,
// not the hashing and allocation of three label values.
type seriesCache struct {
	mu sync.RWMutex
	m  map[seriesKey]series
}

func (sc *seriesCache) get(m *metrics.Metrics, k seriesKey) series {
	sc.mu.RLock()
	s, ok := sc.m[k]
	sc.mu.RUnlock()
	if ok {
		return s
	}
	status := strconv.Itoa(k.status)
	s = series{m.Requests.WithLabelValues(k.method, k.route, status), m.RequestDuration.WithLabelValues(k.method, k.route, status)}
	sc.mu.Lock()
	if sc.m == nil {
		sc.m = map[seriesKey]series{}
	}
	sc.m[k] = s
	sc.mu.Unlock()
	return s
}

func routeOf(c echo.Context) string {
	if r := c.Path(); r != "" && r != "/*" {
		return r
	}
	return "unmatched"
}

// traceRoute names the request's span by its route template, as OpenTelemetry's semantic
// conventions ask, once routing has found it.
func traceRoute(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		span := trace.SpanFromContext(c.Request().Context())
		route := routeOf(c)
		span.SetName(c.Request().Method + " " + route)
		span.SetAttributes(attribute.String("http.route", route))
		return next(c)
	}
}
