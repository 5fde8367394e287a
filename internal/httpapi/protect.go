package httpapi

import (
	"context"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
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

// limitRate applies a token bucket per identifier to /v1 requests, and announces it on every
// answer it applies to with the IETF RateLimit-Policy and RateLimit fields
// (draft-ietf-httpapi-ratelimit-headers, structured-field form):
//
//	RateLimit-Policy: "ip";q=100;w=1
//	RateLimit: "ip";r=42;t=1
//
// A bucket of Burst tokens that refills at PerSecond is announced as a quota of q = Burst
// requests per window w: the whole seconds an empty bucket takes to fill. r is what the
// bucket holds after this request, whole requests only; t the whole seconds until it is full
// again, so that a client that waits t seconds has the whole quota back. The per-IP and the
// per-token limit each add their item to the same two fields.
//
// Each replica keeps its own buckets: with N replicas behind a load balancer a caller gets up
// to N times the rate, and the fields describe the bucket of the replica that answered.
func limitRate(r Rate, limit string, id func(c echo.Context) string, observe func(limit string)) echo.MiddlewareFunc {
	// A caller over its limit gets its next token after 1/rate seconds.
	retry := max(int(math.Ceil(1/r.PerSecond)), 1)
	burst := r.Burst
	if burst == 0 {
		burst = int(r.PerSecond) // as echo's limiter did: a burst of one second's rate
	}
	burst = max(burst, 1)
	item := strconv.Quote(limit) // the field's key, quoted once rather than per request
	policy := item + ";q=" + strconv.Itoa(burst) + ";w=" + strconv.Itoa(max(int(math.Ceil(float64(burst)/r.PerSecond)), 1))
	buckets := newBuckets(rate.Limit(r.PerSecond), burst, 3*time.Minute)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			path := c.Request().URL.Path
			if !(strings.HasPrefix(path, "/v1/") || path == "/metrics") {
				return next(c)
			}
			key := id(c)
			if key == "" {
				return next(c)
			}
			allowed, tokens := buckets.take(key, time.Now())
			remaining := max(int(math.Floor(tokens)), 0)
			reset := max(int(math.Ceil((float64(burst)-tokens)/r.PerSecond)), 0)
			h := c.Response().Header()
			appendItem(h, "RateLimit-Policy", policy)
			appendItem(h, "RateLimit", item+";r="+strconv.Itoa(remaining)+";t="+strconv.Itoa(reset))
			if !allowed {
				if observe != nil {
					observe(limit)
				}
				return &rateLimited{retryAfter: retry, limit: limit}
			}
			return next(c)
		}
	}
}

// appendItem adds a member to a structured-field list on one field line, so that readers that
// take a field's first line only (many do) see every limit.
func appendItem(h http.Header, field, item string) {
	if prev := h.Get(field); prev != "" {
		item = prev + ", " + item
	}
	h.Set(field, item)
}

// buckets are the token buckets of one limit, by identifier. A bucket unused for expiresIn
// is dropped, as echo's memory store did: for the rates a server is given it is full again
// by then, and a caller that comes back starts with a full one.
type buckets struct {
	mu          sync.Mutex
	rate        rate.Limit
	burst       int
	expiresIn   time.Duration
	byID        map[string]*bucket
	lastCleanup time.Time
}

type bucket struct {
	limiter  *rate.Limiter
	lastSeen time.Time
}

func newBuckets(r rate.Limit, burst int, expiresIn time.Duration) *buckets {
	return &buckets{rate: r, burst: burst, expiresIn: expiresIn, byID: map[string]*bucket{}, lastCleanup: time.Now()}
}

// take spends a token of id's bucket if it has one, and reports what the bucket holds
// afterwards: both under one lock, so that the count answered is the one this request left.
func (bs *buckets) take(id string, now time.Time) (allowed bool, tokens float64) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	b, ok := bs.byID[id]
	if !ok {
		b = &bucket{limiter: rate.NewLimiter(bs.rate, bs.burst)}
		bs.byID[id] = b
	}
	b.lastSeen = now
	if now.Sub(bs.lastCleanup) > bs.expiresIn {
		for k, v := range bs.byID {
			if now.Sub(v.lastSeen) > bs.expiresIn {
				delete(bs.byID, k)
			}
		}
		bs.lastCleanup = now
	}
	allowed = b.limiter.AllowN(now, 1)
	return allowed, b.limiter.TokensAt(now)
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
