package httpapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// A transition sent without If-Match asks for no version check, so losing a race to another
// request is no failed precondition: the lifecycle answers it from the state the winner left.
// The move is applied on top of that state if it is still legal there, and refused with a 409
// naming that state and its allowed moves if it is not.

// raceTransitions posts the moves to path+"/transitions" all at once, none with If-Match.
func raceTransitions(a *api, path, token string, moves []string) []raceAnswer {
	reqs := make([]*http.Request, len(moves))
	for i, to := range moves {
		reqs[i] = a.jsonRequest(http.MethodPost, path+"/transitions", token, obj{"status": to})
	}
	out := a.race(reqs)
	for i, to := range moves {
		out[i].to = to
	}
	return out
}

// checkRace checks the answers against the lifecycle: no 412; every 200 is a move to a status
// not reached before, and every 409 is an illegal move that names a status the record really
// passed through, with that status's allowed moves. It returns the moves that were applied.
func checkRace(t *testing.T, answers []raceAnswer, allowedFrom map[string][]string) []string {
	t.Helper()
	var applied []string
	for i, ans := range answers {
		switch {
		case ans.err != nil:
			t.Fatalf("racer %d: %v", i, ans.err)
		case ans.status == http.StatusOK:
			if ans.body["status"] != ans.to {
				t.Errorf("racer %d asked for %s and got 200 with status %v", i, ans.to, ans.body["status"])
			}
			if slices.Contains(applied, ans.to) {
				t.Errorf("the move to %s was applied twice", ans.to)
			}
			applied = append(applied, ans.to)
		case ans.status == http.StatusConflict:
			if ans.body["type"] != "https://samverkan.se/problems/illegal-transition" {
				t.Errorf("racer %d (→ %s): 409 of type %v, want an illegal transition: %v", i, ans.to, ans.body["type"], ans.body)
			}
		default:
			t.Errorf("racer %d (→ %s): status %d, want 200 or 409: %v", i, ans.to, ans.status, ans.body)
		}
	}
	for i, ans := range answers {
		if ans.status != http.StatusConflict {
			continue
		}
		// The refusal is judged from a state the record was in: one the winners left it in.
		got, _ := allowed(ans.body)
		detail, _ := ans.body["detail"].(string)
		named := false
		for _, from := range applied {
			if strings.Contains(detail, " "+from+" ") && slices.Equal(got, allowedFrom[from]) && !slices.Contains(allowedFrom[from], ans.to) {
				named = true
			}
		}
		if !named {
			t.Errorf("racer %d (→ %s): 409 %q allowing %v names none of the statuses the record reached, %v", i, ans.to, detail, got, applied)
		}
	}
	return applied
}

var publicationAllowed = map[string][]string{"draft": {"published"}, "published": {"archived"}, "archived": {}}

func TestConcurrentTransitionsWithoutIfMatchAreAnsweredByTheLifecycle(t *testing.T) {
	t.Parallel()
	const racers = 8
	same := func(to string) []string {
		moves := make([]string, racers)
		for i := range moves {
			moves[i] = to
		}
		return moves
	}
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()

		t.Run("publishing one promise period", func(t *testing.T) {
			a := a.on(t)
			pp, _ := a.createPeriod(w.strangnas, periodBody())
			path := "/v1/promise-periods/" + id(pp)
			applied := checkRace(t, raceTransitions(a, path, w.strangnas, same("published")), publicationAllowed)
			if !slices.Equal(applied, []string{"published"}) {
				t.Fatalf("applied %v, want exactly one publication", applied)
			}
			got, _ := a.get(path, w.strangnas).ok()
			if got["status"] != "published" || got["version"].(float64) != 2 {
				t.Errorf("stored: status %v at version %v, want published at version 2", got["status"], got["version"])
			}
		})

		t.Run("publishing one follow-up", func(t *testing.T) {
			a := a.on(t)
			pp := a.publishedPeriod(w.strangnas, periodBody())
			fu, _ := a.post("/v1/follow-ups", w.strangnas, obj{"promisePeriodId": id(pp), "kind": "follow_up", "title": "Uppföljning"}).created()
			path := "/v1/follow-ups/" + id(fu)
			applied := checkRace(t, raceTransitions(a, path, w.strangnas, same("published")), publicationAllowed)
			if !slices.Equal(applied, []string{"published"}) {
				t.Fatalf("applied %v, want exactly one publication", applied)
			}
			got, _ := a.get(path, w.strangnas).ok()
			if got["status"] != "published" || got["version"].(float64) != 2 {
				t.Errorf("stored: status %v at version %v, want published at version 2", got["status"], got["version"])
			}
		})

		t.Run("signing one agreement", func(t *testing.T) {
			a := a.on(t)
			ag, _ := a.createAgreement(w.strangnas, signable(agreementBody()))
			path := "/v1/agreements/" + id(ag)
			applied := checkRace(t, raceTransitions(a, path, w.strangnas, same("signed")),
				map[string][]string{"signed": {"adopted", "superseded"}})
			if !slices.Equal(applied, []string{"signed"}) {
				t.Fatalf("applied %v, want exactly one signing", applied)
			}
		})

		// Adopting and superseding at once: a supersession that comes after an adoption still
		// applies on top of it; an adoption that comes after the supersession is refused.
		t.Run("adopting and superseding one agreement", func(t *testing.T) {
			a := a.on(t)
			ag := a.signedAgreement(w.strangnas, agreementBody())
			path := "/v1/agreements/" + id(ag)
			decision := obj{"body": "Kommunfullmäktige", "decidedOn": "2023-09-25", "reference": "KF § 112"}
			ag, _ = a.put(path, w.strangnas, quoted(ag["version"]), with(signable(agreementBody()), "adoption", decision)).ok()
			var moves []string
			for i := range racers {
				moves = append(moves, []string{"adopted", "superseded"}[i%2])
			}
			applied := checkRace(t, raceTransitions(a, path, w.strangnas, moves),
				map[string][]string{"adopted": {"superseded"}, "superseded": {}})
			// applied is in the racers' order, not the order their moves committed in: which
			// came first is told by the stored record, which must end superseded.
			slices.Sort(applied)
			if !slices.Equal(applied, []string{"superseded"}) && !slices.Equal(applied, []string{"adopted", "superseded"}) {
				t.Errorf("applied %v, want superseded, or adopted and then superseded", applied)
			}
			got, _ := a.get(path, w.strangnas).ok()
			if want := ag["version"].(float64) + float64(len(applied)); got["status"] != "superseded" || got["version"].(float64) != want {
				t.Errorf("stored: status %v at version %v, want superseded at version %v", got["status"], got["version"], want)
			}
		})
	})
}

// With If-Match the precondition still decides: of racers that all name the version they read,
// one moves the record and the others get 412.
func TestConcurrentTransitionsWithTheSameIfMatchLeaveOneWinner(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		pp, tag := a.createPeriod(w.strangnas, periodBody())
		path := "/v1/promise-periods/" + id(pp)
		const racers = 6
		reqs := make([]*http.Request, racers)
		for i := range reqs {
			reqs[i] = a.jsonRequest(http.MethodPost, path+"/transitions", w.strangnas, obj{"status": "published"}, header{"If-Match", tag})
		}
		won := 0
		for i, ans := range a.race(reqs) {
			switch {
			case ans.err != nil:
				t.Fatalf("racer %d: %v", i, ans.err)
			case ans.status == http.StatusOK:
				won++
			case ans.status != http.StatusPreconditionFailed:
				t.Errorf("racer %d: status %d, want 200 or 412", i, ans.status)
			}
		}
		if won != 1 {
			t.Errorf("%d racers moved the record, want 1", won)
		}
	})
}
