package httpapi_test

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// Rate limits are announced on every /v1 answer with the IETF RateLimit-Policy and RateLimit
// fields (draft-ietf-httpapi-ratelimit-headers), not only by a 429.

// limitItem is one member of a RateLimit field: "ip";r=2;t=100.
type limitItem struct{ remaining, reset int }

var limitItemRE = regexp.MustCompile(`"([a-z]+)";r=([0-9]+);t=([0-9]+)`)

func rateLimitItems(t *testing.T, field string) map[string]limitItem {
	t.Helper()
	out := map[string]limitItem{}
	for _, m := range limitItemRE.FindAllStringSubmatch(field, -1) {
		r, _ := strconv.Atoi(m[2])
		reset, _ := strconv.Atoi(m[3])
		out[m[1]] = limitItem{r, reset}
	}
	return out
}

func TestRateLimitHeadersAnnounceEachBucketAsItStands(t *testing.T) {
	t.Parallel()
	// A slow refill (one request per 100 s), so that what the buckets hold changes only
	// with the requests the test makes: r is exact, t loses the seconds the test takes.
	a := newAPIWith(t, testdb.Open(t, store.SQLite), func(c *httpapi.Config) {
		c.Limits = httpapi.Limits{PerIP: httpapi.Rate{PerSecond: 0.01, Burst: 3}, PerToken: httpapi.Rate{PerSecond: 0.01, Burst: 2}}
	})
	admin := a.token(samverkan.RoleAdmin, "")
	want := func(res *response, policy string, items map[string]limitItem) {
		t.Helper()
		if got := res.Header.Get("RateLimit-Policy"); got != policy {
			t.Errorf("RateLimit-Policy %q, want %q", got, policy)
		}
		got := rateLimitItems(t, res.Header.Get("RateLimit"))
		if len(got) != len(items) {
			t.Errorf("RateLimit %q, want the limits %v", res.Header.Get("RateLimit"), items)
		}
		for name, w := range items {
			g, ok := got[name]
			// t counts down whole seconds from what a full refill takes.
			if !ok || g.remaining != w.remaining || g.reset > w.reset || g.reset < w.reset-10 {
				t.Errorf("RateLimit %q: %s should be r=%d;t=%d", res.Header.Get("RateLimit"), name, w.remaining, w.reset)
			}
		}
	}
	// q is the bucket, w the seconds an empty one takes to fill; r what is left, t the
	// seconds until the bucket is full again.
	ip := `"ip";q=3;w=300`
	want(a.get("/v1/municipalities", "").want(http.StatusOK), ip, map[string]limitItem{"ip": {2, 100}})
	// A broken token is refused before the per-token limit applies: the address's alone.
	want(a.get("/v1/municipalities", "smv_unknown").want(http.StatusUnauthorized), ip, map[string]limitItem{"ip": {1, 200}})
	both := ip + `, "token";q=2;w=200`
	want(a.get("/v1/me", admin).want(http.StatusOK), both, map[string]limitItem{"ip": {0, 300}, "token": {1, 100}})
	// The address's bucket is empty: the next request is refused, and says so.
	res := a.get("/v1/police-areas", "")
	res.problem(http.StatusTooManyRequests)
	want(res, ip, map[string]limitItem{"ip": {0, 300}})
	if res.Header.Get("Retry-After") != "100" {
		t.Errorf("Retry-After %q, want the 100 s a token takes to come back", res.Header.Get("Retry-After"))
	}
	// Health checks are never limited, and say nothing about limits.
	if h := a.get("/healthz", "").want(http.StatusOK).Header; h.Get("RateLimit") != "" || h.Get("RateLimit-Policy") != "" {
		t.Errorf("/healthz announces limits: %v", h)
	}
	// Without limits, nothing is announced.
	free := newAPI(t, testdb.Open(t, store.SQLite))
	if h := free.get("/v1/municipalities", "").want(http.StatusOK).Header; h.Get("RateLimit") != "" || h.Get("RateLimit-Policy") != "" {
		t.Errorf("a server without limits announces some: %v", h)
	}
}

// The contract declares the headers the middleware sends: RateLimit-Policy and RateLimit on
// every answer of every /v1 operation, Access-Control-Allow-Origin on every answer.
func TestRateLimitAndCORSHeadersAreInTheContract(t *testing.T) {
	t.Parallel()
	doc := contractDoc(t)
	for _, o := range contractOps(doc) {
		for code, res := range o.op.Responses.Map() {
			want := []string{"Access-Control-Allow-Origin"}
			if o.v1() {
				want = append(want, "RateLimit-Policy", "RateLimit")
			}
			for _, h := range want {
				if ref := res.Value.Headers[h]; ref == nil || ref.Ref != "#/components/headers/"+h {
					t.Errorf("%s %s: %s does not declare the shared header %s", o.method, o.path, code, h)
				}
			}
		}
	}
	// An answer to a browser carries them, and the harness holds them against the contract.
	a := newAPIWith(t, testdb.Open(t, store.SQLite), func(c *httpapi.Config) {
		c.Limits.PerIP = httpapi.Rate{PerSecond: 100, Burst: 200}
	})
	res := a.do(http.MethodGet, "/v1/agreements", "", nil, header{"Origin", "https://www.strangnas.se"}).want(http.StatusOK)
	if res.Header.Get("Access-Control-Allow-Origin") != "*" || res.Header.Get("RateLimit") == "" {
		t.Errorf("headers %v", res.Header)
	}
}
