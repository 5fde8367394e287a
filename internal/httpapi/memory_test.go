package httpapi_test

import (
	"bytes"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/national"
)

// bodyCostMultiple is the documented bound on what checking a body may hold in memory at
// once, as a multiple of the body's size: the bytes read, the decoded value being validated
// and the decoder's garbage before the collector runs. The README states the same number,
// and the deployment's memory limit is set from it (deploy/k8s).
const bodyCostMultiple = 12

// peakHeap runs fn and reports how far the heap grew above where it stood before, sampled
// every 100 µs. It is a lower bound of the true peak, and the garbage the collector has not
// yet reclaimed counts: that is what a container's memory limit sees too.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var peak atomic.Uint64
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			if v := read(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	<-stopped
	if p := peak.Load(); p > base {
		return p - base
	}
	return 0
}

// emptyObjects is an import document of n empty promise periods: three bytes each on the
// wire, a map of hundreds of bytes each once decoded, and several missing fields each.
func emptyObjects(n int) []byte {
	return []byte(`{"promisePeriods":[` + strings.Repeat(`{},`, n-1) + `{}]}`)
}

// These tests measure the heap, so they run alone: not in parallel with the others.
func TestAnAnonymousBodyIsRefusedBeforeItIsRead(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		body := emptyObjects(1_000_000) // 3 MB
		var res *response
		grew := peakHeap(func() { res = a.post("/v1/imports", "", body) })
		res.problem(http.StatusUnauthorized)
		if limit := uint64(len(body) / 4); grew > limit {
			t.Errorf("an anonymous 3 MB body cost %d kB of heap, want under %d kB: it was read", grew>>10, limit>>10)
		}
		// The same for a body that is not an import, under the 1 MiB limit, and for bodies sent
		// where no operation takes one.
		put := emptyObjects(300_000)
		grew = peakHeap(func() { res = a.put("/v1/agreements/00000000-0000-7000-8000-000000000000", "", `"1"`, put) })
		res.problem(http.StatusUnauthorized)
		if limit := uint64(len(put) / 4); grew > limit {
			t.Errorf("an anonymous PUT of %d kB cost %d kB of heap: it was read", len(put)>>10, grew>>10)
		}
		for _, path := range []string{"/v1/imports/nope", "/v1/municipalities/0486/promise-periods/current"} {
			grew = peakHeap(func() { res = a.post(path, "", body) })
			if res.Status != http.StatusNotFound && res.Status != http.StatusMethodNotAllowed {
				t.Errorf("POST %s: status %d, want 404 or 405", path, res.Status)
			}
			if limit := uint64(len(body) / 4); grew > limit {
				t.Errorf("POST %s of 3 MB cost %d kB of heap: it was read", path, grew>>10)
			}
		}
	})
}

func TestAnUnknownFieldIsRefusedBeforeItsValueIsDecoded(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		admin := a.token("admin", "")
		// A value under a field the contract does not have has no maxItems to bound it:
		// fifteen megabytes of ones would decode to some 500 MB. Reading its tokens leaves
		// garbage, which the bound allows for.
		body := []byte(`{"x":[` + strings.Repeat(`1,`, 7_500_000) + `1]}`)
		var res *response
		grew := peakHeap(func() { res = a.post("/v1/imports", admin, body) })
		res.problem(http.StatusBadRequest, "/x")
		if limit := uint64(bodyCostMultiple * len(body)); grew > limit {
			t.Errorf("a %d MB array under an unknown field cost %d MB of heap, more than %d× its size", len(body)>>20, grew>>20, bodyCostMultiple)
		}
	})
}

func TestAnArrayBeyondItsLimitIsRefusedBeforeItIsDecoded(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		admin := a.token("admin", "")
		body := emptyObjects(1_000_000)
		var res *response
		grew := peakHeap(func() { res = a.post("/v1/imports", admin, body) })
		p := res.problem(http.StatusBadRequest, "/promisePeriods")
		if !strings.Contains(string(res.Body), "more than 5000 items") {
			t.Errorf("the problem does not give the limit: %s", res.Body)
		}
		if n := len(p["errors"].([]any)); n > httpapi.MaxBodyProblems {
			t.Errorf("%d problems listed, more than the cap of %d", n, httpapi.MaxBodyProblems)
		}
		if limit := uint64(bodyCostMultiple * len(body)); grew > limit {
			t.Errorf("a 3 MB array cost %d MB of heap, more than %d× its size", grew>>20, bodyCostMultiple)
		}
	})
}

func TestProblemsStopAtTheCapAndNeverEchoTheInputAtLength(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		admin := a.token("admin", "")
		// 5,000 promise periods within the array's limit, each missing every required field,
		// and one with a description far over its limit.
		body := emptyObjects(5000)
		long := strings.Repeat("å", 300_000)
		body = bytes.Replace(body, []byte(`{}]`), []byte(`{"title":"`+long+`"}]`), 1)
		res := a.post("/v1/imports", admin, body)
		p := res.problem(http.StatusBadRequest)
		if n := len(p["errors"].([]any)); n != httpapi.MaxBodyProblems {
			t.Errorf("%d problems listed, want the cap of %d", n, httpapi.MaxBodyProblems)
		}
		if !strings.Contains(p["detail"].(string), "first 100 problems") {
			t.Errorf("the answer does not say the list stops at the cap: %v", p["detail"])
		}
		if len(res.Body) > 32<<10 {
			t.Errorf("a problem document of %d kB for %d kB of body", len(res.Body)>>10, len(body)>>10)
		}
	})
}

func TestCheckingABodyAtTheLimitCostsABoundedMultipleOfItsSize(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		admin := a.token("admin", "")
		// The national dataset's import document grown to the limit (70 activities a period,
		// 16.3 MB), with one mistake at its very end so that all of it is scanned, decoded and
		// validated, and nothing is imported.
		var doc bytes.Buffer
		if err := national.Write(&doc, 290, 70); err != nil {
			t.Fatal(err)
		}
		if doc.Len() > httpapi.MaxImportBytes || doc.Len() < httpapi.MaxImportBytes*9/10 {
			t.Fatalf("the document is %d bytes, not at the limit of %d", doc.Len(), httpapi.MaxImportBytes)
		}
		body := bytes.TrimRight(doc.Bytes(), "\n")
		body = append(body[:len(body)-1], []byte(`,"unknownField":true}`)...)
		var res *response
		grew := peakHeap(func() { res = a.post("/v1/imports", admin, body) })
		res.problem(http.StatusBadRequest, "/unknownField")
		if limit := uint64(bodyCostMultiple * len(body)); grew > limit {
			t.Errorf("checking a %d MB import cost %d MB of heap, more than %d× its size", len(body)>>20, grew>>20, bodyCostMultiple)
		}
		t.Logf("%d kB body: heap grew %d kB (%.1f×)", len(body)>>10, grew>>10, float64(grew)/float64(len(body)))
	})
}

// TestTenAnonymousClientsAtOnceDoNotRaiseTheHeap is the hardening issue's load: ten clients
// each sending a 3 MB array to an operation that needs a token.
func TestTenAnonymousClientsAtOnceDoNotRaiseTheHeap(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		body := emptyObjects(1_000_000)
		var refused atomic.Int32
		grew := peakHeap(func() {
			var wg sync.WaitGroup
			for range 10 {
				wg.Go(func() {
					req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/v1/imports", bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					res, err := a.srv.Client().Do(req)
					if err != nil {
						t.Errorf("an anonymous client got no answer: %v", err)
						return
					}
					res.Body.Close()
					if res.StatusCode == http.StatusUnauthorized {
						refused.Add(1)
					}
				})
			}
			wg.Wait()
		})
		if grew > 16<<20 {
			t.Errorf("ten anonymous 3 MB bodies raised the heap by %d MB", grew>>20)
		}
		if n := refused.Load(); n != 10 {
			t.Errorf("%d of the ten were answered 401", n)
		}
	})
}

func TestEveryRefusalListsAtMostTheCapOfProblemsEachCutShort(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		admin := a.token("admin", "")
		// A field name of 860 kB, unknown to the contract: its pointer is cut short too.
		key := strings.Repeat("a", 860_000)
		res := a.post("/v1/forums", admin, []byte(`{"`+key+`":1}`))
		res.problem(http.StatusBadRequest)
		if len(res.Body) > 32<<10 {
			t.Errorf("a problem document of %d kB for an unknown field name", len(res.Body)>>10)
		}
		// 20,000 rows of a spreadsheet with seven bad cells each: the domain finds 140,000
		// problems, the answer lists the first hundred and says how many there were.
		var csv strings.Builder
		csv.WriteString("ref;description;priorityAreaRefs;promiseRefs;responsibleParty;recurrence;startsOn;endsOn;status\n")
		for range 20000 {
			csv.WriteString(";;a b c d;e f g h;q;q;1;1;q\n")
		}
		res = a.do(http.MethodPost, "/v1/imports/activities.csv?promisePeriodRef=strangnas-2024-2025&dryRun=true", admin, csv.String(),
			header{"Content-Type", "text/csv"})
		if res.Status < 400 || res.Status >= 500 {
			t.Fatalf("status %d, want a refusal", res.Status)
		}
		p := res.Map()
		if n := len(p["errors"].([]any)); n != httpapi.MaxBodyProblems {
			t.Errorf("%d problems listed, want the cap of %d", n, httpapi.MaxBodyProblems)
		}
		if !strings.Contains(p["detail"].(string), "problems are listed") {
			t.Errorf("the answer does not say the list stops at the cap: %v", p["detail"])
		}
		if len(res.Body) > 64<<10 {
			t.Errorf("a problem document of %d kB for a %d kB file", len(res.Body)>>10, csv.Len()>>10)
		}
	})
}
