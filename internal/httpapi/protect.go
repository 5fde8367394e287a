package httpapi

import (
	"context"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"
)

// Limits protect the server from callers that ask too much; zero values turn each one off.
type Limits struct {
	// PerIP limits every /v1 request by client address, before its token is even looked up.
	PerIP Rate
	// PerToken limits requests with a token by the token, after the per-IP limit.
	PerToken Rate
	// RequestTimeout bounds a request, its database work included, so that a database that
	// stopped answering yields a 503 rather than a hung request.
	RequestTimeout time.Duration
}

// Rate is a token bucket: PerSecond requests a second on average, Burst at once.
type Rate struct {
	PerSecond float64
	Burst     int
}

// securityHeaders are for an API that browsers call but never render: nothing may be
// framed, sniffed or loaded from its answers. /docs sets its own Content-Security-Policy.
// The values are shared by every answer, so that setting them allocates no value slices (the
// header map itself grows): Set replaces a slice, and Add to one that is full copies it
// first, so none is ever changed.
var securityHeaders = []struct {
	key   string
	value []string
}{
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Content-Security-Policy", []string{"default-src 'none'; frame-ancestors 'none'"}},
	{"Referrer-Policy", []string{"no-referrer"}},
}

// hsts is sent on requests that came over TLS, directly or through a proxy that says so.
var hsts = []string{"max-age=31536000"}

func secure(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		for _, sh := range securityHeaders {
			h[sh.key] = sh.value
		}
		if c.Scheme() == "https" {
			h["Strict-Transport-Security"] = hsts
		}
		return next(c)
	}
}

// rateLimited is the answer to a caller over its limit: when to try again, in seconds.
type rateLimited struct {
	retryAfter int
	limit      string // "ip" or "token"
}

func (e *rateLimited) Error() string { return "rate limited by " + e.limit }

// limitRate applies a token bucket per identifier to /v1 requests. Each replica keeps its
// own buckets: with N replicas behind a load balancer a caller gets up to N times the rate.
func limitRate(r Rate, limit string, id func(c echo.Context) string, observe func(limit string)) echo.MiddlewareFunc {
	// A caller over its limit gets its next token after 1/rate seconds.
	retry := int(math.Ceil(1 / r.PerSecond))
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Skipper: func(c echo.Context) bool {
			path := c.Request().URL.Path
			return !(strings.HasPrefix(path, "/v1/") || path == "/metrics") || id(c) == ""
		},
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(r.PerSecond), Burst: r.Burst, ExpiresIn: 3 * time.Minute}),
		IdentifierExtractor: func(c echo.Context) (string, error) { return id(c), nil },
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			if observe != nil {
				observe(limit)
			}
			return &rateLimited{retryAfter: max(retry, 1), limit: limit}
		},
	})
}

// clientIP is the client's address, or for IPv6 its /64: one subscriber has a whole /64 to
// choose addresses from, and would otherwise get a rate of its own for each.
func clientIP(c echo.Context) string {
	ip, err := netip.ParseAddr(c.RealIP())
	if err != nil || ip.Unmap().Is4() {
		return c.RealIP()
	}
	return netip.PrefixFrom(ip, 64).Masked().String()
}

func tokenOf(c echo.Context) string {
	if p := principalFrom(c.Request().Context()); p != nil {
		return p.TokenID
	}
	return ""
}

// deadline bounds /v1 requests that applies picks, database work included. It runs twice
// in the chain: before authentication for requests that go to the database whatever happens
// (with credentials, or writing), and after the response cache for anonymous reads, so that
// an answer from memory costs no timer.
func deadline(d time.Duration, applies func(*http.Request) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !strings.HasPrefix(c.Request().URL.Path, "/v1/") || !applies(c.Request()) {
				return next(c)
			}
			ctx, cancel := context.WithTimeout(c.Request().Context(), d)
			defer cancel()
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	}
}

// direct tells requests that go to the database whatever the caches hold: those with
// credentials, and writes.
func direct(r *http.Request) bool {
	return r.Header.Get(echo.HeaderAuthorization) != "" || r.Method != http.MethodGet
}

func anonymousRead(r *http.Request) bool { return !direct(r) }

func writeRateLimited(c echo.Context, e *rateLimited) Problem {
	c.Response().Header().Set("Retry-After", strconv.Itoa(e.retryAfter))
	limit := "this client address"
	if e.limit == "token" {
		limit = "this token"
	}
	return Problem{Type: problemBase + "rate-limited", Title: http.StatusText(http.StatusTooManyRequests), Status: http.StatusTooManyRequests,
		Detail: "Too many requests from " + limit + "; try again after " + strconv.Itoa(e.retryAfter) + " s (see Retry-After)."}
}
