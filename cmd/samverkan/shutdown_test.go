package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/national"
	"github.com/samverkan/samverkan/internal/testdb"
)

// TestMain lets the test binary be the server itself, so that a test can start it as a
// process of its own and send it real signals.
func TestMain(m *testing.M) {
	if os.Getenv("SAMVERKAN_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// On SIGTERM under load, every request either gets its whole answer or is refused before the
// server read it; none is cut off, and imports under way commit.
//
// A client may see a refusal as more than "connection refused": a connection still in the
// listener's queue when the listener closes is reset, and a request written into a kept-alive
// connection just as the server closes it fails half-sent. Either way the server never read
// it. The server's own request log tells the two apart from a cut-off answer: a request whose
// id it logged was handled, so a client without its whole answer was cut off.
func TestSIGTERMUnderLoadLetsEveryRequestFinishOrBeRefusedCleanly(t *testing.T) {
	var doc bytes.Buffer
	if err := national.Write(&doc, 20, 25); err != nil {
		t.Fatal(err)
	}
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			srv := startServer(t, testdb.URL(t, d))
			client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			kinds := []func() (*http.Request, error){
				func() (*http.Request, error) {
					return http.NewRequest(http.MethodGet, srv.url+"/v1/municipalities/0486/promise-periods/current", nil)
				},
				func() (*http.Request, error) {
					r, err := http.NewRequest(http.MethodGet, srv.url+"/v1/activities?limit=200", nil)
					if err == nil {
						r.Header.Set("Authorization", "Bearer "+srv.token)
					}
					return r, err
				},
				func() (*http.Request, error) {
					r, err := http.NewRequest(http.MethodPost, srv.url+"/v1/imports", bytes.NewReader(doc.Bytes()))
					if err == nil {
						r.Header.Set("Authorization", "Bearer "+srv.token)
						r.Header.Set("Content-Type", "application/json")
						// Keyed requests may be retried: a client's transport resends one that
						// met a connection the server was closing.
						r.Header.Set("Idempotency-Key", fmt.Sprintf("shutdown-%d", time.Now().UnixNano()))
					}
					return r, err
				},
			}
			var sigterm atomic.Int64 // when SIGTERM was sent, as Unix nanoseconds
			var answered, refused, drained, importsDone, ids atomic.Int64
			var mu sync.Mutex
			var bad []string
			unanswered := map[string]string{} // request id → the client's error, to check against the server's log
			var wg sync.WaitGroup
			for g := 0; g < 24; g++ {
				wg.Go(func() {
					for i := 0; ; i++ {
						// One client imports, one file after the other (two at once would race
						// for the same new records); the others read.
						kind := (g + i) % 2
						if g == 0 {
							kind = 2
						}
						req, err := kinds[kind]()
						if err != nil {
							t.Error(err)
							return
						}
						id := fmt.Sprintf("shutdown-test-%d", ids.Add(1))
						req.Header.Set("X-Request-ID", id)
						started := time.Now().UnixNano()
						res, err := client.Do(req)
						if errors.Is(err, syscall.ECONNREFUSED) {
							refused.Add(1)
							return // the server is gone: refused before anything was read
						}
						failure := ""
						if err != nil {
							mu.Lock()
							defer mu.Unlock()
							if sigterm.Load() == 0 {
								bad = append(bad, "before SIGTERM: "+err.Error())
							} else {
								unanswered[id] = err.Error()
							}
							return
						}
						body, err := io.ReadAll(res.Body)
						res.Body.Close()
						switch {
						case err != nil:
							failure = "body cut off: " + err.Error()
						case res.StatusCode != http.StatusOK:
							failure = fmt.Sprintf("status %d: %s", res.StatusCode, body)
						case !json.Valid(body):
							failure = "incomplete JSON"
						}
						if failure != "" {
							mu.Lock()
							bad = append(bad, failure)
							mu.Unlock()
							return
						}
						answered.Add(1)
						if kind == 2 {
							importsDone.Add(1)
						}
						if s := sigterm.Load(); s != 0 && started < s {
							drained.Add(1) // in flight when SIGTERM came, and finished whole
						}
					}
				})
			}
			time.Sleep(1500 * time.Millisecond)
			sigterm.Store(time.Now().UnixNano())
			if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			wg.Wait()
			if err := srv.wait(40 * time.Second); err != nil {
				t.Errorf("the server did not stop cleanly: %v\n%s", err, srv.stderr.String())
			}
			for _, b := range bad {
				t.Errorf("a request was neither answered whole nor refused: %s", b)
			}
			handled := handledRequests(t, srv.stderr.Bytes())
			for id, failure := range unanswered {
				if handled[id] {
					t.Errorf("the server handled request %s but the client did not get the answer: %s", id, failure)
				} else {
					refused.Add(1) // never read by the server
				}
			}
			t.Logf("%d answered (%d imports), %d in flight at SIGTERM and finished, %d refused (%d of them after the connection was made)",
				answered.Load(), importsDone.Load(), drained.Load(), refused.Load(), len(unanswered))
			if drained.Load() == 0 || refused.Load() == 0 || importsDone.Load() == 0 {
				t.Error("the load did not span the shutdown: nothing drained, refused or imported")
			}
		})
	}
}

// handledRequests reads the ids of the requests the server logged as handled.
func handledRequests(t *testing.T, log []byte) map[string]bool {
	t.Helper()
	handled := map[string]bool{}
	lines := bufio.NewScanner(bytes.NewReader(log))
	lines.Buffer(nil, 1<<20)
	for lines.Scan() {
		var entry struct {
			Msg       string `json:"msg"`
			RequestID string `json:"request_id"`
		}
		if json.Unmarshal(lines.Bytes(), &entry) == nil && entry.Msg == "request" {
			handled[entry.RequestID] = true
		}
	}
	if len(handled) == 0 {
		t.Fatal("the server logged no requests")
	}
	return handled
}

type server struct {
	cmd          *exec.Cmd
	url, token   string
	stderr       *bytes.Buffer
	done         chan error
	stdoutReader *bufio.Scanner
}

var (
	listening = regexp.MustCompile(`listening on (http://\S+) `)
	demoToken = regexp.MustCompile(`token \(shown once\): (smv_\S+)`)
)

// startServer runs `samverkan serve --demo` as a process of its own on the database at url.
func startServer(t *testing.T, dbURL string) *server {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--demo")
	cmd.Env = append(os.Environ(), "SAMVERKAN_TEST_MAIN=1", "DATABASE_URL="+dbURL, "RATE_LIMIT_IP=0", "RATE_LIMIT_TOKEN=0",
		"SHUTDOWN_DELAY=300ms", "SHUTDOWN_GRACE=30s", "WEBHOOKS=false", "LOG_LEVEL=info")
	s := &server{cmd: cmd, stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	cmd.Stderr = s.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	lines := bufio.NewScanner(out)
	for s.url == "" && lines.Scan() {
		if m := demoToken.FindStringSubmatch(lines.Text()); m != nil {
			s.token = m[1]
		}
		if m := listening.FindStringSubmatch(lines.Text()); m != nil {
			s.url = m[1]
		}
	}
	if s.url == "" || s.token == "" {
		t.Fatalf("the server did not start:\n%s", s.stderr.String())
	}
	go func() {
		_, _ = io.Copy(io.Discard, out)
		s.done <- cmd.Wait()
	}()
	return s
}

func (s *server) wait(limit time.Duration) error {
	select {
	case err := <-s.done:
		return err
	case <-time.After(limit):
		return fmt.Errorf("still running after %v", limit)
	}
}
