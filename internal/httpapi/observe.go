package httpapi

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/samverkan/samverkan/internal/metrics"
)

// observe counts each request and times it by method, route template and status. Routes are
// the templates (/v1/agreements/:id), never raw paths, so that their number stays bounded.
func observe(m *metrics.Metrics) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if m == nil {
			return next
		}
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil && !c.Response().Committed {
				c.Error(err) // the status is known only once the error is written
			}
			method, route, status := c.Request().Method, routeOf(c), strconv.Itoa(c.Response().Status)
			m.Requests.WithLabelValues(method, route, status).Inc()
			m.RequestDuration.WithLabelValues(method, route, status).Observe(time.Since(start).Seconds())
			return err
		}
	}
}

func routeOf(c echo.Context) string {
	if r := c.Path(); r != "" && r != "/*" {
		return r
	}
	return "unmatched"
}

// traceRoute names the request's span by its route template, as OpenTelemetry's semantic
// conventions ask, once routing has found it.
func traceRoute(on bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if !on {
			return next
		}
		return func(c echo.Context) error {
			span := trace.SpanFromContext(c.Request().Context())
			route := routeOf(c)
			span.SetName(c.Request().Method + " " + route)
			span.SetAttributes(attribute.String("http.route", route))
			return next(c)
		}
	}
}
