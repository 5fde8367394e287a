package httpapi_test

import (
	"net/http"
	"strconv"
	"testing"
)

// Optimistic concurrency: every resource's version is its ETag; a write must name the version
// it is based on in If-Match, so that no writer silently overwrites another.

// versioned is one kind of resource with a valid replacement body for PUT.
type versioned struct {
	kind      string
	deletable bool
	make      func(a *api, w *world) (path string, put func(n int) obj)
}

var versionedKinds = []versioned{
	{"agreement", true, func(a *api, w *world) (string, func(int) obj) {
		ag, _ := a.createAgreement(w.strangnas, agreementBody())
		return "/v1/agreements/" + id(ag), func(n int) obj {
			return keepAreas(with(agreementBody(), "goal", "Mål, version "+strconv.Itoa(n)), ag)
		}
	}},
	{"promise period", true, func(a *api, w *world) (string, func(int) obj) {
		pp, _ := a.createPeriod(w.strangnas, periodBody())
		return "/v1/promise-periods/" + id(pp), func(n int) obj {
			return with(periodBody(), "promises", nil, "summary", "Sammanfattning "+strconv.Itoa(n))
		}
	}},
	{"activity", true, func(a *api, w *world) (string, func(int) obj) {
		pp, _ := a.createPeriod(w.strangnas, periodBody())
		body := obj{"promisePeriodId": id(pp), "description": "Trygghetsvandring"}
		act, _ := a.post("/v1/activities", w.strangnas, body).created()
		return "/v1/activities/" + id(act), func(n int) obj { return with(body, "description", "Trygghetsvandring "+strconv.Itoa(n)) }
	}},
	{"follow-up", true, func(a *api, w *world) (string, func(int) obj) {
		pp, _ := a.createPeriod(w.strangnas, periodBody())
		body := obj{"promisePeriodId": id(pp), "kind": "follow_up", "title": "Uppföljning"}
		fu, _ := a.post("/v1/follow-ups", w.strangnas, body).created()
		return "/v1/follow-ups/" + id(fu), func(n int) obj { return with(body, "title", "Uppföljning "+strconv.Itoa(n)) }
	}},
	{"forum", true, func(a *api, w *world) (string, func(int) obj) {
		body := obj{"municipalityCode": "0486", "policeAreaId": "lpo-eskilstuna", "code": "EST", "name": "Effektiv samordning för trygghet"}
		f, _ := a.post("/v1/forums", w.strangnas, body).created()
		return "/v1/forums/" + id(f), func(n int) obj { return with(body, "cadence", "Var "+strconv.Itoa(n)+":e vecka") }
	}},
	{"meeting", true, func(a *api, w *world) (string, func(int) obj) {
		f, _ := a.post("/v1/forums", w.strangnas, obj{"municipalityCode": "0486", "code": "BRÅ", "name": "Centrala BRÅ"}).created()
		m, _ := a.post("/v1/forums/"+id(f)+"/meetings", w.strangnas, obj{"heldOn": "2026-05-14"}).created()
		return "/v1/meetings/" + id(m), func(n int) obj { return obj{"heldOn": "2026-05-14", "title": "Möte " + strconv.Itoa(n)} }
	}},
	{"municipality", false, func(a *api, w *world) (string, func(int) obj) {
		return "/v1/municipalities/0486", func(n int) obj {
			return obj{"code": "0486", "name": "Strängnäs kommun " + strconv.Itoa(n), "policeAreaId": "lpo-eskilstuna"}
		}
	}},
	{"police area", false, func(a *api, w *world) (string, func(int) obj) {
		return "/v1/police-areas/lpo-eskilstuna", func(n int) obj {
			return obj{"id": "lpo-eskilstuna", "name": "Lokalpolisområde Eskilstuna " + strconv.Itoa(n)}
		}
	}},
}

func TestETagIsTheQuotedVersionAndChangesOnEveryWrite(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		for _, k := range versionedKinds {
			t.Run(k.kind, func(t *testing.T) {
				a := a.on(t)
				path, put := k.make(a, w)
				seen := map[string]bool{}
				for n := 1; n <= 3; n++ {
					cur, tag := a.get(path, w.admin).ok()
					if tag != quoted(cur["version"]) {
						t.Fatalf("ETag %s for version %v", tag, cur["version"])
					}
					if seen[tag] {
						t.Fatalf("ETag %s came back after a write", tag)
					}
					seen[tag] = true
					upd, newTag := a.put(path, w.admin, tag, put(n)).ok()
					if newTag != quoted(upd["version"]) || newTag == tag {
						t.Fatalf("PUT answered ETag %s for version %v, after %s", newTag, upd["version"], tag)
					}
				}
			})
		}
		// Transitions are writes too.
		ag, tag := a.createAgreement(w.strangnas, signable(agreementBody()))
		signed, signedTag := a.post("/v1/agreements/"+id(ag)+"/transitions", w.strangnas, obj{"status": "signed"}).ok()
		if signedTag == tag || signedTag != quoted(signed["version"]) {
			t.Errorf("transition: ETag %s → %s for version %v", tag, signedTag, signed["version"])
		}
	})
}

func TestStaleIfMatchIsPreconditionFailedAndChangesNothing(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		for _, k := range versionedKinds {
			t.Run(k.kind, func(t *testing.T) {
				a := a.on(t)
				path, put := k.make(a, w)
				_, old := a.get(path, w.admin).ok()
				a.put(path, w.admin, old, put(1)).want(http.StatusOK)
				before := a.snapshot(path, w.admin)
				a.put(path, w.admin, old, put(2)).problem(http.StatusPreconditionFailed)
				if k.deletable {
					a.delete(path, w.admin, old).problem(http.StatusPreconditionFailed)
				}
				// Tags that name no version of ours can match nothing.
				for _, tag := range []string{`"999"`, `W/"2"`, `2`, `"zwei"`, `"0"`} {
					a.put(path, w.admin, tag, put(3)).problem(http.StatusPreconditionFailed)
				}
				a.unchanged(t, before)
			})
		}
	})
}

func TestWritesWithoutIfMatchArePreconditionRequired(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		for _, k := range versionedKinds {
			t.Run(k.kind, func(t *testing.T) {
				a := a.on(t)
				path, put := k.make(a, w)
				before := a.snapshot(path, w.admin)
				a.do(http.MethodPut, path, w.admin, put(1)).problem(http.StatusPreconditionRequired)
				if k.deletable {
					a.do(http.MethodDelete, path, w.admin, nil).problem(http.StatusPreconditionRequired)
				}
				a.unchanged(t, before)
			})
		}
	})
}

func TestIfMatchStarMatchesWhateverVersionIsStored(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		for _, k := range versionedKinds {
			t.Run(k.kind, func(t *testing.T) {
				a := a.on(t)
				path, put := k.make(a, w)
				_, tag := a.get(path, w.admin).ok()
				a.put(path, w.admin, tag, put(1)).want(http.StatusOK)
				upd, _ := a.put(path, w.admin, "*", put(2)).ok()
				if upd["version"].(float64) != 3 {
					t.Errorf("version %v after two updates", upd["version"])
				}
				if k.deletable {
					a.delete(path, w.admin, "*").want(http.StatusNoContent)
					a.get(path, w.admin).problem(http.StatusNotFound)
				}
			})
		}
	})
}

func TestTransitionsCheckIfMatchWhenItIsSent(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		pp, tag := a.createPeriod(w.strangnas, periodBody())
		path := "/v1/promise-periods/" + id(pp)
		_, newTag := a.put(path, w.strangnas, tag, with(periodBody(), "summary", "Ny sammanfattning")).ok()
		before := a.snapshot(path, w.strangnas)
		a.post(path+"/transitions", w.strangnas, obj{"status": "published"}, header{"If-Match", tag}).problem(http.StatusPreconditionFailed)
		a.unchanged(t, before)
		a.post(path+"/transitions", w.strangnas, obj{"status": "published"}, header{"If-Match", newTag}).want(http.StatusOK)
		// Without If-Match the move applies to whatever version is stored.
		a.post(path+"/transitions", w.strangnas, obj{"status": "archived"}).want(http.StatusOK)
	})
}

func TestOfTwoWritersWithTheSameETagTheFirstWins(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag, tag := a.createAgreement(w.strangnas, agreementBody())
		path := "/v1/agreements/" + id(ag)
		// Both editors read version 1: the municipality's and the police area's.
		_, munTag := a.get(path, w.strangnas).ok()
		_, polTag := a.get(path, w.police).ok()
		if munTag != tag || polTag != tag {
			t.Fatalf("both read %s and %s, want %s", munTag, polTag, tag)
		}
		first := keepAreas(with(agreementBody(), "goal", "Kommunens formulering"), ag)
		second := keepAreas(with(agreementBody(), "goal", "Polisens formulering"), ag)
		a.put(path, w.strangnas, munTag, first).want(http.StatusOK)
		a.put(path, w.police, polTag, second).problem(http.StatusPreconditionFailed)
		got, _ := a.get(path, w.admin).ok()
		if got["goal"] != "Kommunens formulering" || got["version"].(float64) != 2 {
			t.Fatalf("stored goal %q at version %v, want the first writer's at version 2", got["goal"], got["version"])
		}
	})
}

func TestOfConcurrentWritersWithTheSameETagExactlyOneWins(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag, tag := a.createAgreement(w.strangnas, agreementBody())
		path := "/v1/agreements/" + id(ag)
		const writers = 6
		reqs := make([]*http.Request, writers)
		for i := range reqs {
			reqs[i] = a.jsonRequest(http.MethodPut, path, w.strangnas, keepAreas(with(agreementBody(), "goal", "Skribent "+strconv.Itoa(i)), ag), header{"If-Match", tag})
		}
		answers := a.race(reqs)
		status := make([]int, writers)
		for i, ans := range answers {
			status[i] = ans.status
		}
		winner := -1
		for i, ans := range answers {
			switch {
			case ans.err != nil:
				t.Fatalf("writer %d: %v", i, ans.err)
			case ans.status == http.StatusOK && winner < 0:
				winner = i
			case ans.status != http.StatusPreconditionFailed:
				t.Fatalf("writer %d got %d; statuses %v: exactly one 200 and the rest 412", i, ans.status, status)
			}
		}
		if winner < 0 {
			t.Fatalf("no writer won: %v", status)
		}
		got, _ := a.get(path, w.strangnas).ok()
		if got["goal"] != "Skribent "+strconv.Itoa(winner) || got["version"].(float64) != 2 {
			t.Fatalf("stored goal %q at version %v, want writer %d's at version 2", got["goal"], got["version"], winner)
		}
	})
}
