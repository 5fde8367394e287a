package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm/logger"

	samverkanapi "github.com/samverkan/samverkan"
	"github.com/samverkan/samverkan/internal/demo"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// What municipal websites and dashboards get beyond the data: caching, sync, aggregates, CSV,
// CORS, compression and the reference page.

const currentPath = "/v1/municipalities/0486/promise-periods/current"

func TestPublicReadsRevalidateWith304UntilAWriteChangesThem(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		admin := a.token("admin", "")
		first := a.get(currentPath, "").want(http.StatusOK)
		tag := first.Header.Get("ETag")
		if tag == "" || !strings.Contains(first.Header.Get("Cache-Control"), "public") || first.Header.Get("Last-Modified") == "" {
			t.Fatalf("public answer without validators: %v", first.Header)
		}
		// The second answer comes from the response cache, with the same headers, once each.
		cached := a.get(currentPath, "").want(http.StatusOK)
		for _, h := range []string{"ETag", "Cache-Control", "Content-Type"} {
			if got := cached.Header.Values(h); len(got) != 1 || got[0] != first.Header.Get(h) {
				t.Errorf("the cached answer's %s is %q, the first answer's %q", h, got, first.Header.Get(h))
			}
		}
		// Last-Modified may move a second on between the two (see announced), never back.
		lm := func(r *response) time.Time { t, _ := http.ParseTime(r.Header.Get("Last-Modified")); return t }
		if got := cached.Header.Values("Last-Modified"); len(got) != 1 || lm(cached).Before(lm(first)) {
			t.Errorf("the cached answer's Last-Modified is %q, the first answer's %q", got, first.Header.Get("Last-Modified"))
		}
		again := a.do(http.MethodGet, currentPath, "", nil, header{"If-None-Match", tag})
		again.want(http.StatusNotModified)
		if len(again.Body) != 0 || again.Header.Get("ETag") != tag {
			t.Fatalf("304 with a body of %d bytes or another tag %q", len(again.Body), again.Header.Get("ETag"))
		}
		// A date before the last change is not current: the answer comes whole.
		a.do(http.MethodGet, currentPath, "", nil, header{"If-Modified-Since", "Mon, 01 Jan 2024 00:00:00 GMT"}).want(http.StatusOK)
		// The server's own Last-Modified, sent back, is current: a client with no ETag gets 304,
		// once the second of the last change is surely over (see announced).
		time.Sleep(2 * time.Second)
		settled := a.get(currentPath, "").want(http.StatusOK)
		a.do(http.MethodGet, currentPath, "", nil, header{"If-Modified-Since", settled.Header.Get("Last-Modified")}).want(http.StatusNotModified)

		// Publishing an edit of an activity of the current period changes the answer's tag.
		var cur struct {
			PromisePeriod struct{ ID string } `json:"promisePeriod"`
		}
		first.JSON(&cur)
		a.post("/v1/activities", admin, obj{"promisePeriodId": cur.PromisePeriod.ID, "description": "Fotpatrullering i centrala Strängnäs."}).want(http.StatusCreated)
		changed := a.do(http.MethodGet, currentPath, "", nil, header{"If-None-Match", tag}).want(http.StatusOK)
		if changed.Header.Get("ETag") == tag {
			t.Fatal("the tag did not change with the answer")
		}
		if !strings.Contains(string(changed.Body), "Fotpatrullering") {
			t.Fatal("the new activity is missing from the answer")
		}
	})
}

func TestAnswersGivenToCredentialsAreNeverStoredByCaches(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		admin := a.token("admin", "")
		res := a.get("/v1/agreements", admin).want(http.StatusOK)
		if got := res.Header.Get("Cache-Control"); got != "private, no-store" {
			t.Fatalf("Cache-Control %q for a credentialed read", got)
		}
	})
}

func TestSingleResourcesRevalidateAnonymouslyAndGiveTokensTheirVersion(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		admin := a.token("admin", "")
		var ags struct{ Items []obj }
		a.get("/v1/agreements?municipality=0486", "").want(http.StatusOK).JSON(&ags)
		path := "/v1/agreements/" + id(ags.Items[0])
		// Anonymous readers revalidate on the public tag, without the body being built; the
		// tag includes the day, on which the agreement's phase depends.
		public := a.get(path, "").want(http.StatusOK)
		a.do(http.MethodGet, path, "", nil, header{"If-None-Match", public.Header.Get("ETag")}).want(http.StatusNotModified)
		// A token gets the version, which If-Match takes, and a private answer.
		private := a.get(path, admin).want(http.StatusOK)
		if got, want := private.Header.Get("ETag"), fmt.Sprintf(`"%v"`, ags.Items[0]["version"]); got != want {
			t.Fatalf("ETag %q with a token, want the version %s", got, want)
		}
		if private.Header.Get("Cache-Control") != "private, no-store" {
			t.Fatalf("Cache-Control %q with a token", private.Header.Get("Cache-Control"))
		}
		// The public tag names no version: If-Match refuses it and says why.
		res := a.put(path, admin, public.Header.Get("ETag"), obj{})
		if res.Status != http.StatusBadRequest && res.Status != http.StatusPreconditionFailed {
			t.Fatalf("a public tag in If-Match: %d", res.Status)
		}
	})
}

func TestDashboardsSyncWithUpdatedSinceAndTombstones(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		forum, etag := a.post("/v1/forums", w.strangnas, obj{"municipalityCode": "0486", "code": "EST", "name": "Effektiv samordning för trygghet"}).created()
		var all struct {
			Items []obj
			Next  string
		}
		a.get("/v1/forums?sort=updatedAt&county=S%C3%B6dermanlands%20l%C3%A4n", "").want(http.StatusOK).JSON(&all)
		if len(all.Items) != 1 {
			t.Fatalf("%d forums in the county, want 1", len(all.Items))
		}
		mark := all.Items[0]["updatedAt"].(string)
		a.post("/v1/forums", w.vasteras, obj{"municipalityCode": "1980", "code": "BRÅ", "name": "Brottsförebyggande rådet"}).want(http.StatusCreated)
		var changed struct{ Items []obj }
		a.get("/v1/forums?sort=updatedAt&updatedSince="+mark, "").want(http.StatusOK).JSON(&changed)
		if len(changed.Items) != 2 { // inclusive: the one seen at the mark, and the new one
			t.Fatalf("%d forums changed since %s, want 2", len(changed.Items), mark)
		}
		a.delete("/v1/forums/"+id(forum), w.strangnas, etag).want(http.StatusNoContent)
		var gone struct{ Items []obj }
		a.get("/v1/deletions?kind=forum&updatedSince="+mark, "").want(http.StatusOK).JSON(&gone)
		if len(gone.Items) != 1 || gone.Items[0]["id"] != id(forum) || gone.Items[0]["municipalityCode"] != "0486" {
			t.Fatalf("tombstones %v", gone.Items)
		}
	})
}

func TestDeletedDraftsLeaveNoPublicTombstone(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag, etag := a.createAgreement(w.strangnas, agreementBody())
		a.delete("/v1/agreements/"+id(ag), w.strangnas, etag).want(http.StatusNoContent)
		var anon, admin struct{ Items []obj }
		a.get("/v1/deletions", "").want(http.StatusOK).JSON(&anon)
		a.get("/v1/deletions", w.admin).want(http.StatusOK).JSON(&admin)
		if len(anon.Items) != 0 || len(admin.Items) != 1 {
			t.Fatalf("tombstones: %d public, %d for the admin; want 0 and 1", len(anon.Items), len(admin.Items))
		}
	})
}

func TestPagesLinkToTheNextPage(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		seen := 0
		path := "/v1/activities?municipality=0486&limit=7"
		for range 10 {
			var page struct {
				Items []obj
				Next  string
			}
			a.get(path, "").want(http.StatusOK).JSON(&page)
			seen += len(page.Items)
			if page.Next == "" {
				break
			}
			path = page.Next
		}
		if seen != 26 {
			t.Fatalf("following next visited %d activities, want 26", seen)
		}
	})
}

func TestActivityStatsAreCountedByStatusAreaAndParty(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		var ags struct{ Items []obj }
		a.get("/v1/agreements?municipality=0486", "").want(http.StatusOK).JSON(&ags)
		var st struct {
			Total               int            `json:"total"`
			ByStatus            map[string]int `json:"byStatus"`
			ByResponsibleParty  map[string]int `json:"byResponsibleParty"`
			WithoutPriorityArea int            `json:"withoutPriorityArea"`
			ByPriorityArea      []struct {
				Title string `json:"title"`
				Count int    `json:"count"`
			} `json:"byPriorityArea"`
		}
		a.get("/v1/stats/activities?agreementId="+id(ags.Items[0]), "").want(http.StatusOK).JSON(&st)
		// The 2023–2026 action plan: 21 activities, two of them serving two areas, the
		// follow-up row serving none.
		if st.Total != 21 || st.ByStatus["planned"] != 21 || st.WithoutPriorityArea != 1 {
			t.Fatalf("stats %+v", st)
		}
		perArea := 0
		for _, c := range st.ByPriorityArea {
			perArea += c.Count
		}
		if len(st.ByPriorityArea) != 6 || perArea != 21-1+2 {
			t.Fatalf("by area %+v", st.ByPriorityArea)
		}
		parties := 0
		for _, n := range st.ByResponsibleParty {
			parties += n
		}
		if parties != 21 {
			t.Fatalf("by party %v does not add up to 21", st.ByResponsibleParty)
		}
		a.get("/v1/stats/activities?county=S%C3%B6dermanlands%20l%C3%A4n&year=2022", "").want(http.StatusOK).JSON(&st)
		if st.Total != 5 {
			t.Fatalf("2022 in the county: %d activities, want the 5 of 2022–2023", st.Total)
		}
	})
}

func TestActivitiesAndPromisesExportAsExcelFriendlyCSV(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		res := a.get("/v1/activities?municipality=0486&format=csv&delimiter=semicolon&limit=200", "").want(http.StatusOK)
		if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Fatalf("content type %q", ct)
		}
		if !bytes.HasPrefix(res.Body, []byte("\ufeff")) {
			t.Fatal("no byte order mark: Excel would misread å ä ö")
		}
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(res.Body, []byte("\ufeff"))))
		r.Comma = ';'
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 27 || rows[0][5] != "description" || !strings.Contains(strings.Join(rows[1], ";"), "skola, socialtjänst") {
			t.Fatalf("%d rows; header %v; first %v", len(rows), rows[0], rows[1])
		}
		byAccept := a.do(http.MethodGet, "/v1/promise-periods?municipality=0486&year=2024", "", nil, header{"Accept", "text/csv"}).want(http.StatusOK)
		rows, err = csv.NewReader(bytes.NewReader(bytes.TrimPrefix(byAccept.Body, []byte("\ufeff")))).ReadAll()
		if err != nil || len(rows) != 1+6 {
			t.Fatalf("promises as CSV: %v, %d rows, want a header and the six promises", err, len(rows))
		}
	})
}

func TestCSVCellsThatLookLikeFormulasAreNeutralized(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag, _ := a.createAgreement(w.strangnas, agreementBody())
		a.post("/v1/activities", w.strangnas, obj{"agreementId": id(ag), "description": `=HYPERLINK("http://example.test","klicka")`}).want(http.StatusCreated)
		res := a.get("/v1/activities?format=csv", w.strangnas).want(http.StatusOK)
		if !strings.Contains(string(res.Body), `'=HYPERLINK`) {
			t.Fatalf("a formula reached the spreadsheet as a formula: %s", res.Body)
		}
	})
}

func TestBrowsersOnAllowedOriginsMayCallTheAPI(t *testing.T) {
	t.Parallel()
	st := testdb.Open(t, store.SQLite)
	svc := samverkan.NewService(st, func() time.Time { return today })
	h, err := httpapi.New(httpapi.Config{Service: svc, Spec: samverkanapi.OpenAPI, Logger: quiet, CORSOrigins: []string{"https://www.strangnas.se"}})
	if err != nil {
		t.Fatal(err)
	}
	preflight, _ := http.NewRequest(http.MethodOptions, "/v1/agreements", nil)
	preflight.Header.Set("Origin", "https://www.strangnas.se")
	preflight.Header.Set("Access-Control-Request-Method", "PUT")
	preflight.Header.Set("Access-Control-Request-Headers", "authorization, if-match, content-type")
	rec := serve(h, preflight)
	if rec.StatusCode != http.StatusNoContent || rec.Header.Get("Access-Control-Allow-Origin") != "https://www.strangnas.se" ||
		!strings.Contains(strings.ToLower(rec.Header.Get("Access-Control-Allow-Headers")), "if-match") {
		t.Fatalf("preflight: %d %v", rec.StatusCode, rec.Header)
	}
	other, _ := http.NewRequest(http.MethodGet, "/v1/agreements", nil)
	other.Header.Set("Origin", "https://elsewhere.example")
	if got := serve(h, other).Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Fatalf("an origin not allowed got Access-Control-Allow-Origin %q", got)
	}
	allowed, _ := http.NewRequest(http.MethodGet, "/v1/agreements", nil)
	allowed.Header.Set("Origin", "https://www.strangnas.se")
	if got := serve(h, allowed).Header.Get("Access-Control-Expose-Headers"); !strings.Contains(got, "Etag") && !strings.Contains(got, "ETag") {
		t.Fatalf("ETag is not exposed to scripts: %q", got)
	}
}

func serve(h http.Handler, req *http.Request) *http.Response {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestLargeAnswersAreCompressedWhenAccepted(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		// The second request is answered from the server's response cache: it is compressed
		// for this exchange like the first.
		for range 2 {
			req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/v1/activities?limit=200", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			if res.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("Content-Encoding %q", res.Header.Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			plain, err := io.ReadAll(zr)
			res.Body.Close()
			if err != nil || !bytes.Contains(plain, []byte("Linköpingsmodellen")) {
				t.Fatalf("the gzip body does not hold the activities: %v", err)
			}
		}
	})
}

func TestTheReferencePageIsServedWithItsScriptFromTheBinary(t *testing.T) {
	t.Parallel()
	a := newAPI(t, testdb.Open(t, store.SQLite))
	page := a.get("/docs", "").want(http.StatusOK)
	if !strings.Contains(string(page.Body), `spec-url="/openapi.yaml"`) || !strings.Contains(string(page.Body), `src="/docs/redoc.standalone.js"`) {
		t.Fatalf("docs page: %s", page.Body)
	}
	js := a.get("/docs/redoc.standalone.js", "").want(http.StatusOK)
	if len(js.Body) < 100_000 || !strings.HasPrefix(js.Header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("script: %d bytes, %s", len(js.Body), js.Header.Get("Content-Type"))
	}
}

// countingLogger counts the SQL statements GORM runs.
type countingLogger struct {
	logger.Interface
	n atomic.Int64
}

func (l *countingLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	l.n.Add(1)
}

func (l *countingLogger) LogMode(logger.LogLevel) logger.Interface { return l }

// countingService is a service with the demo data on a fresh store of dialect d whose
// statements counter counts.
func countingService(t *testing.T, d store.Dialect) (svc *samverkan.Service, st *store.Store, counter *countingLogger) {
	t.Helper()
	counter = &countingLogger{Interface: logger.Discard}
	st, err := store.Open(testdb.URL(t, d), store.Options{Logger: counter})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	svc = samverkan.NewService(st, func() time.Time { return today })
	system := &samverkan.Principal{TokenName: "test", Role: samverkan.RoleAdmin}
	if _, err := httpapi.ImportFile(context.Background(), svc, samverkanapi.OpenAPI, system, demo.Seed, false); err != nil {
		t.Fatal(err)
	}
	return svc, st, counter
}

func TestTheCurrentPromisesTakeAFixedNumberOfStatementsWhateverTheActivities(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			svc, st, counter := countingService(t, d)
			system := &samverkan.Principal{TokenName: "test", Role: samverkan.RoleAdmin}
			statements := func() int64 {
				counter.n.Store(0)
				if _, err := svc.CurrentPromisePeriod(context.Background(), "0486"); err != nil {
					t.Fatal(err)
				}
				return counter.n.Load()
			}
			page, _ := st.ListPromisePeriods(context.Background(), samverkan.PromisePeriodFilter{PageRequest: samverkan.PageRequest{Limit: 1}, MunicipalityCode: "0486"})
			period := &page.Items[0]
			add := func(n int) {
				for i := range n {
					if _, err := svc.CreateActivity(context.Background(), system, samverkan.Activity{PromisePeriodID: &period.ID,
						Description: fmt.Sprintf("Aktivitet %d", i)}); err != nil {
						t.Fatal(err)
					}
				}
			}
			add(1)
			before := statements()
			add(40)
			if after := statements(); after != before || before > 12 {
				t.Fatalf("current promises took %d statements with one activity and %d with 41; want the same small number", before, after)
			}
		})
	}
}

func TestCSVPagesNameTheNextOneInALinkHeader(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		rows := 0
		path := "/v1/activities?municipality=0486&format=csv&limit=10"
		for range 10 {
			res := a.get(path, "").want(http.StatusOK)
			records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(res.Body, []byte("\ufeff")))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			rows += len(records) - 1
			link := res.Header.Get("Link")
			if link == "" {
				break
			}
			path = strings.TrimSuffix(strings.TrimPrefix(link, "<"), `>; rel="next"`)
		}
		if rows != 26 {
			t.Fatalf("CSV pages held %d activities, want 26", rows)
		}
	})
}

func TestActivitiesAndRegistersFilterByYearAndChange(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		var page struct{ Items []obj }
		a.get("/v1/activities?municipality=0486&year=2022&limit=200", "").want(http.StatusOK).JSON(&page)
		if len(page.Items) != 5 {
			t.Fatalf("%d activities concern 2022, want the 5 of 2022–2023", len(page.Items))
		}
		a.get("/v1/activities?municipality=0486&year=2025&limit=200", "").want(http.StatusOK).JSON(&page)
		if len(page.Items) != 21 { // the agreement 2023–2026; 2024–2025 lists none
			t.Fatalf("%d activities concern 2025, want the 21 of the action plan", len(page.Items))
		}
		a.get("/v1/municipalities?updatedSince=2099-01-01T00:00:00Z", "").want(http.StatusOK).JSON(&page)
		if len(page.Items) != 0 {
			t.Fatalf("%d municipalities changed in the future", len(page.Items))
		}
		a.get("/v1/police-areas?updatedSince=2000-01-01T00:00:00Z", "").want(http.StatusOK).JSON(&page)
		if len(page.Items) != 1 {
			t.Fatalf("%d police areas changed since 2000, want 1", len(page.Items))
		}
	})
}
