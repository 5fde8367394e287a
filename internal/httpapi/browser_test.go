package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"testing"
	"time"

	samverkanapi "github.com/samverkan/samverkan"
	"github.com/samverkan/samverkan/internal/demo"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// chromium finds Debian's headless Chromium (apt-get install chromium); .ci/run installs it.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium is missing in CI: .ci/run installs it")
	}
	t.Skip("Chromium is not installed (apt-get install chromium)")
	return ""
}

// dumpDOM loads url in headless Chromium, lets its scripts run, and returns the DOM.
func dumpDOM(t *testing.T, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, chromium(t), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--virtual-time-budget=10000", "--dump-dom", url).Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return string(out)
}

// A page on a municipality's origin reads the current promises and tries a write with a
// token and If-Match (which needs a preflight); a page on another origin is refused by the
// browser itself.
func TestABrowserOnAnAllowedOriginCallsTheAPI(t *testing.T) {
	t.Parallel()
	chromium(t)
	st := testdb.Open(t, store.SQLite)
	svc := samverkan.NewService(st, func() time.Time { return today })
	system := &samverkan.Principal{TokenName: "test", Role: samverkan.RoleAdmin}
	if _, err := httpapi.ImportFile(context.Background(), svc, samverkanapi.OpenAPI, system, demo.Seed, false); err != nil {
		t.Fatal(err)
	}
	page := func(apiURL string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!DOCTYPE html><html><body><p id="read">pending</p><p id="write">pending</p><script>
fetch(%[1]q + "/v1/municipalities/0486/promise-periods/current")
  .then(r => r.json().then(j => { document.getElementById("read").textContent = "read:" + j.promisePeriod.title + "|etag:" + (r.headers.get("ETag") ? "yes" : "no"); }))
  .catch(e => { document.getElementById("read").textContent = "blocked"; });
fetch(%[1]q + "/v1/agreements/01936f3c-7a2b-7c3d-8e4f-5a6b7c8d9e0f", {method: "PUT",
  headers: {"Authorization": "Bearer smv_unknown", "If-Match": "\"1\"", "Content-Type": "application/json"}, body: "{}"})
  .then(r => { document.getElementById("write").textContent = "write:" + r.status; })
  .catch(e => { document.getElementById("write").textContent = "blocked"; });
</script></body></html>`, apiURL)
		}
	}
	// The API's allowed origin must be known before the API starts: start the page servers
	// first, then the API with them in its configuration.
	allowedSrv := httptest.NewUnstartedServer(nil)
	allowedSrv.Start()
	t.Cleanup(allowedSrv.Close)
	otherSrv := httptest.NewUnstartedServer(nil)
	otherSrv.Start()
	t.Cleanup(otherSrv.Close)
	h, err := httpapi.New(httpapi.Config{Service: svc, Spec: samverkanapi.OpenAPI,
		Logger: quiet, CORSOrigins: []string{allowedSrv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	apiSrv := httptest.NewServer(h)
	t.Cleanup(apiSrv.Close)
	allowedSrv.Config.Handler = page(apiSrv.URL)
	otherSrv.Config.Handler = page(apiSrv.URL)

	dom := dumpDOM(t, allowedSrv.URL)
	if !regexp.MustCompile(`id="read">read:Polisens och Strängnäs kommuns medborgarlöften 2024-2025\|etag:yes`).MatchString(dom) {
		t.Fatalf("the allowed origin could not read the current promises:\n%s", dom)
	}
	if !regexp.MustCompile(`id="write">write:401<`).MatchString(dom) {
		t.Fatalf("the preflighted write did not reach the API (want its 401):\n%s", dom)
	}
	dom = dumpDOM(t, otherSrv.URL)
	if !regexp.MustCompile(`id="read">blocked<`).MatchString(dom) {
		t.Fatalf("a page on another origin read the API:\n%s", dom)
	}
}
