package httpapi_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// When PostgreSQL goes away, the API answers 503 with Retry-After, at once, on readiness and
// on data endpoints alike, and never a 500 or a hung request; when it comes back, the API
// serves again by itself. The PostgreSQL server is one the test runs and stops itself.
func TestWhenTheDatabaseGoesAwayTheAPIAnswers503AndRecoversByItself(t *testing.T) {
	t.Parallel()
	pg := startPostgres(t)
	st, err := store.Open(pg.url, store.Options{MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	a := newAPIWith(t, st, func(c *httpapi.Config) { c.Limits.RequestTimeout = 10 * time.Second }).withDemo()
	admin := a.token("admin", "")
	forum := obj{"municipalityCode": "0486", "code": "EST", "name": "Effektiv samordning för trygghet"}
	a.get("/v1/municipalities/0486/promise-periods/current", "").want(http.StatusOK)
	a.get("/v1/agreements", admin).want(http.StatusOK)

	pg.stop(t)
	requests := []struct {
		name, method, path, token string
		body                      any
	}{
		{"readiness", http.MethodGet, "/readyz", "", nil},
		{"an anonymous read", http.MethodGet, "/v1/promise-periods?limit=7", "", nil},
		{"a read with a token", http.MethodGet, "/v1/agreements", admin, nil},
		{"a write", http.MethodPost, "/v1/forums", admin, forum},
		{"the change feed", http.MethodGet, "/v1/events?after=3", admin, nil},
	}
	for _, r := range requests {
		start := time.Now()
		res := a.do(r.method, r.path, r.token, r.body)
		took := time.Since(start)
		res.problem(http.StatusServiceUnavailable)
		if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 1 {
			t.Errorf("%s: Retry-After %q", r.name, res.Header.Get("Retry-After"))
		}
		if took > 6*time.Second {
			t.Errorf("%s took %v with the database down", r.name, took)
		}
	}
	a.get("/healthz", "").want(http.StatusOK) // the process lives: no reason to restart it

	pg.start(t)
	eventually(t, "the API is ready again", func() bool { return a.get("/readyz", "").Status == http.StatusOK })
	a.get("/v1/agreements", admin).want(http.StatusOK)
	a.post("/v1/forums", admin, forum).want(http.StatusCreated)
	a.get("/v1/municipalities/0486/promise-periods/current", "").want(http.StatusOK)
}

// postgres is a PostgreSQL server of the test's own, in a temporary directory.
type postgres struct {
	bin, dir, url string
	port          int
	as            []string // runs PostgreSQL's programs as the postgres user when the test is root
}

func startPostgres(t *testing.T) *postgres {
	t.Helper()
	bin := postgresBin()
	if bin == "" {
		if os.Getenv(testdb.EnvURL) != "" {
			t.Fatal("PostgreSQL's programs (initdb, pg_ctl) are not installed; the PostgreSQL suite needs them")
		}
		t.Skip("PostgreSQL's programs are not installed")
	}
	dir, err := os.MkdirTemp("", "samverkan-pg-")
	if err != nil {
		t.Fatal(err)
	}
	pg := &postgres{bin: bin, dir: dir}
	t.Cleanup(func() {
		_ = pg.ctl("stop", "-m", "immediate").Run()
		os.RemoveAll(dir)
	})
	if os.Geteuid() == 0 { // initdb refuses to run as root
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatal("running as root needs a postgres user to run PostgreSQL as")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		pg.as = []string{"runuser", "-u", "postgres", "--"}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pg.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	pg.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pg.port)
	if out, err := pg.run(filepath.Join(bin, "initdb"), "-D", filepath.Join(dir, "data"), "-U", "postgres", "--auth=trust",
		"--no-sync", "-E", "UTF8").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	pg.start(t)
	return pg
}

func postgresBin() string {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		return filepath.Dir(p)
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(found) == 0 {
		return ""
	}
	slices.Sort(found)
	return filepath.Dir(found[len(found)-1])
}

func (pg *postgres) run(name string, args ...string) *exec.Cmd {
	all := append(slices.Clone(pg.as), append([]string{name}, args...)...)
	return exec.Command(all[0], all[1:]...)
}

func (pg *postgres) ctl(args ...string) *exec.Cmd {
	return pg.run(filepath.Join(pg.bin, "pg_ctl"), append([]string{"-D", filepath.Join(pg.dir, "data"), "-w"}, args...)...)
}

func (pg *postgres) start(t *testing.T) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", pg.port, pg.dir)
	if out, err := pg.ctl("-l", filepath.Join(pg.dir, "log"), "-o", opts, "start").CombinedOutput(); err != nil {
		t.Fatalf("pg_ctl start: %v\n%s", err, out)
	}
	db, err := sql.Open("pgx", pg.url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(); err != nil {
		t.Fatalf("the test's PostgreSQL does not answer: %v", err)
	}
}

func (pg *postgres) stop(t *testing.T) {
	t.Helper()
	if out, err := pg.ctl("-m", "fast", "stop").CombinedOutput(); err != nil {
		t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}
