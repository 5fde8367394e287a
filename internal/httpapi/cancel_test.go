package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/metrics"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// A client that goes away before its answer (a closed browser tab, a client's own timeout,
// a connection cut during a shutdown) is not a failure of the server: its request is logged
// at info level and counted with nginx's status 499, "client closed request", never as a
// 500. A request that runs out of the server's own time is still a 503.

// stalling is a store whose municipality list waits for the request's context to end and
// then answers as the real store does on that context, or, interrupted, as SQLite does when
// it interrupts a statement: with "interrupted (9)", which says nothing of why.
type stalling struct {
	*store.Store
	interrupted bool
	started     chan struct{} // a value each time a list is asked for
}

func (s *stalling) ListMunicipalities(ctx context.Context, f samverkan.MunicipalityFilter) (samverkan.Page[samverkan.Municipality], error) {
	s.started <- struct{}{}
	<-ctx.Done()
	if s.interrupted {
		return samverkan.Page[samverkan.Municipality]{}, &samverkan.Error{Code: samverkan.ECanceled,
			Message: "The database statement was interrupted.", Err: errors.New("interrupted (9)")}
	}
	return s.Store.ListMunicipalities(ctx, f)
}

// observed is a server on a stalling store whose log and metrics the test reads.
type observed struct {
	*api
	store   *stalling
	log     *logSink
	metrics *metrics.Metrics
}

func newObserved(t *testing.T, st *store.Store, interrupted bool, timeout time.Duration) *observed {
	o := &observed{store: &stalling{Store: st, interrupted: interrupted, started: make(chan struct{}, 8)}, log: &logSink{}, metrics: metrics.New()}
	o.api = newAPIWith(t, st, func(c *httpapi.Config) {
		c.Service = samverkan.NewService(o.store, func() time.Time { return today })
		c.Logger = slog.New(slog.NewJSONHandler(o.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c.Metrics = o.metrics
		c.Limits.RequestTimeout = timeout
	})
	return o
}

func TestAClientThatGoesAwayIsNotAServerError(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		for _, answer := range []struct {
			name        string
			interrupted bool
		}{{"the store sees the cancelled context", false}, {"the database interrupts the statement, as SQLite does", true}} {
			t.Run(answer.name, func(t *testing.T) {
				o := newObserved(t, st, answer.interrupted, 30*time.Second)
				token := o.token(samverkan.RoleAdmin, "")
				for _, caller := range []struct{ name, token string }{{"anonymous", ""}, {"with a token", token}} {
					ctx, cancel := context.WithCancel(context.Background())
					req, _ := http.NewRequestWithContext(ctx, http.MethodGet, o.srv.URL+"/v1/municipalities", nil)
					if caller.token != "" {
						req.Header.Set("Authorization", "Bearer "+caller.token)
					}
					done := make(chan error, 1)
					go func() {
						res, err := o.srv.Client().Do(req)
						if err == nil {
							res.Body.Close()
						}
						done <- err
					}()
					<-o.store.started
					cancel() // the client goes away while the server is at the database
					if err := <-done; !errors.Is(err, context.Canceled) {
						t.Fatalf("%s: the client got %v, not its own cancellation", caller.name, err)
					}
				}
				lines := o.log.waitFor(t, 2, func(l map[string]any) bool { return l["msg"] == "request" && l["path"] == "/v1/municipalities" })
				for _, l := range lines {
					if l["status"] != float64(499) || l["level"] != "INFO" {
						t.Errorf("logged as %v %v, want 499 at INFO: %v", l["level"], l["status"], l)
					}
				}
				for _, l := range o.log.lines() {
					if l["level"] == "ERROR" {
						t.Errorf("an error was logged: %v", l)
					}
				}
				o.waitForMetric(t, `samverkan_http_requests_total{method="GET",route="/v1/municipalities",status="499"} 2`)
				if fivexx := regexp.MustCompile(`samverkan_http_requests_total\{[^}]*status="5\d\d"\}`).FindString(o.scrape()); fivexx != "" {
					t.Errorf("counted as a server error: %s", fivexx)
				}
			})
		}
	})
}

// The server's own deadline is not the client leaving, though SQLite interrupts a statement
// alike for both: a request out of time is a 503 to try again, and logged as an error.
func TestARequestOutOfTimeIsStillUnavailableNotClientClosed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		for _, interrupted := range []bool{false, true} {
			o := newObserved(t, st, interrupted, 200*time.Millisecond)
			res := o.get("/v1/municipalities", o.token(samverkan.RoleAdmin, ""))
			res.problem(http.StatusServiceUnavailable)
			if res.Header.Get("Retry-After") == "" {
				t.Errorf("interrupted %v: no Retry-After", interrupted)
			}
			o.log.waitFor(t, 1, func(l map[string]any) bool {
				return l["msg"] == "request" && l["status"] == float64(503) && l["level"] == "ERROR"
			})
		}
	})
}

func (o *observed) scrape() string {
	rec := httptest.NewRecorder()
	o.metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return rec.Body.String()
}

// waitForMetric waits for a sample: the server counts a request only once it has answered,
// which it does after the client is gone.
func (o *observed) waitForMetric(t *testing.T, sample string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if strings.Contains(o.scrape(), sample) {
			return
		}
	}
	t.Fatalf("metrics lack %s:\n%s", sample, grepLines(o.scrape(), "samverkan_http_requests_total"))
}

func grepLines(s, substr string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// logSink keeps a server's JSON log lines for a test to read while the server writes.
type logSink struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logSink) lines() []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, raw := range bytes.Split(l.buf.Bytes(), []byte("\n")) {
		var m map[string]any
		if json.Unmarshal(raw, &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// waitFor waits until n lines match and returns them.
func (l *logSink) waitFor(t *testing.T, n int, match func(map[string]any) bool) []map[string]any {
	t.Helper()
	var found []map[string]any
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		found = found[:0]
		for _, line := range l.lines() {
			if match(line) {
				found = append(found, line)
			}
		}
		if len(found) >= n {
			return found
		}
	}
	t.Fatalf("%d matching log lines, want %d; the log:\n%s", len(found), n, l.buf.String())
	return nil
}
