package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// Many writers at once, on the same records and on new ones: every write that succeeded is
// exactly one revision, versions follow each other without a gap, and the change feed has
// every change once, in commit order.
func TestNoRevisionIsLostUnderConcurrentWrites(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		pp, _ := a.createPeriod(w.strangnas, periodBody())
		var acts []string
		for i := 0; i < 4; i++ {
			act, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": fmt.Sprintf("Aktivitet %d", i)}).created()
			acts = append(acts, id(act))
		}
		targets := slices.Clone(acts)
		start := a.feedEnd(w.admin)

		const writers, writes = 16, 12
		var updates, creates, conflicts atomic.Int64
		var mu sync.Mutex
		var wg sync.WaitGroup
		for g := 0; g < writers; g++ {
			wg.Go(func() {
				for i := 0; i < writes; i++ {
					if (g+i)%4 == 0 {
						res := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": fmt.Sprintf("Ny aktivitet %d-%d", g, i)})
						if res.Status == http.StatusCreated {
							creates.Add(1)
							mu.Lock()
							acts = append(acts, id(res.Map()))
							mu.Unlock()
						}
						continue
					}
					target := targets[(g+i)%len(targets)]
					for {
						cur, tag := a.get("/v1/activities/"+target, w.strangnas).ok()
						res := a.put("/v1/activities/"+target, w.strangnas, tag, obj{"promisePeriodId": id(pp),
							"description": fmt.Sprintf("%s, ändrad av skribent %d", cur["description"], g)})
						if res.Status == http.StatusOK {
							updates.Add(1)
							break
						}
						res.problem(http.StatusPreconditionFailed)
						conflicts.Add(1)
					}
				}
			})
		}
		wg.Wait()
		t.Logf("%d updates, %d creations, %d conflicts retried", updates.Load(), creates.Load(), conflicts.Load())

		var revisions int64
		for _, act := range acts {
			revs := a.allRevisions("/v1/activities/"+act, w.strangnas)
			var versions []float64
			for _, r := range revs {
				versions = append(versions, r["data"].(obj)["version"].(float64))
			}
			slices.Reverse(versions)
			for i, v := range versions {
				if v != float64(i+1) {
					t.Fatalf("activity %s has revisions of versions %v: one is missing or doubled", act, versions)
				}
			}
			current, _ := a.get("/v1/activities/"+act, w.strangnas).ok()
			if !jsonEqual(revs[0]["data"], current) {
				t.Errorf("the newest revision of %s is not the activity:\n%v\n%v", act, revs[0]["data"], current)
			}
			revisions += int64(len(revs))
		}
		if want := 4 + creates.Load() + updates.Load(); revisions != want {
			t.Errorf("%d revisions, want %d (4 first creations, %d creations, %d updates)", revisions, want, creates.Load(), updates.Load())
		}
		seqs := a.feedSince(start, w.admin)
		if int64(len(seqs)) != creates.Load()+updates.Load() {
			t.Errorf("the feed has %d changes since the writers started, want %d", len(seqs), creates.Load()+updates.Load())
		}
		for i := 1; i < len(seqs); i++ {
			if seqs[i] != seqs[i-1]+1 {
				t.Fatalf("the feed's sequence jumps from %d to %d", seqs[i-1], seqs[i])
			}
		}
	})
}

// allRevisions reads every page of a record's revisions.
func (a *api) allRevisions(path, token string) []obj {
	a.t.Helper()
	var out []obj
	cursor := ""
	for {
		items, next := a.get(path+"/revisions?limit=200&cursor="+cursor, token).items()
		out = append(out, items...)
		if next == "" {
			return out
		}
		cursor = next
	}
}

// feedEnd is the cursor at the end of the change feed.
func (a *api) feedEnd(token string) string {
	a.t.Helper()
	cursor := "0"
	for {
		page, _ := a.get("/v1/events?limit=1000&after="+cursor, token).ok()
		cursor = page["nextCursor"].(string)
		if !page["hasMore"].(bool) {
			return cursor
		}
	}
}

// feedSince lists the sequence numbers of the feed after a cursor.
func (a *api) feedSince(cursor, token string) []int64 {
	a.t.Helper()
	var out []int64
	for {
		var page struct {
			Items []struct {
				Sequence int64 `json:"sequence"`
			} `json:"items"`
			NextCursor string `json:"nextCursor"`
			HasMore    bool   `json:"hasMore"`
		}
		if err := json.Unmarshal(a.get("/v1/events?limit=1000&after="+cursor, token).want(http.StatusOK).Body, &page); err != nil {
			a.t.Fatal(err)
		}
		for _, e := range page.Items {
			out = append(out, e.Sequence)
		}
		if !page.HasMore {
			return out
		}
		cursor = page.NextCursor
	}
}
