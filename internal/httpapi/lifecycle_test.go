package httpapi_test

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// The lifecycles of DOMAIN.md as the API enforces them: agreements go draft → signed
// (→ adopted) → superseded, promise periods and follow-ups go draft → published → archived.
// Every refused move is a 409 that leaves the stored resource as it was.

func TestAgreementCannotBeSignedWithoutSigningDateAndSignatory(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag, tag := a.createAgreement(w.strangnas, agreementBody())
		path := "/v1/agreements/" + id(ag)
		before := a.snapshot(path, w.strangnas)

		// Both missing preconditions are named at once, so the editor fixes them in one go.
		p := a.post(path+"/transitions", w.strangnas, obj{"status": "signed"}).problem(http.StatusConflict, "/signedOn", "/signatories")
		if _, ok := allowed(p); ok {
			t.Errorf("a missing precondition is not an illegal move, yet the problem lists allowed states: %v", p)
		}
		a.unchanged(t, before)

		// With only the date, the signatory is still missing.
		_, tag = a.put(path, w.strangnas, tag, with(agreementBody(), "signedOn", "2023-06-21")).ok()
		a.post(path+"/transitions", w.strangnas, obj{"status": "signed"}).problem(http.StatusConflict, "/signatories")

		_, tag = a.put(path, w.strangnas, tag, signable(agreementBody())).ok()
		signed, newTag := a.post(path+"/transitions", w.strangnas, obj{"status": "signed"}).ok()
		if signed["status"] != "signed" {
			t.Fatalf("status %v after signing", signed["status"])
		}
		if newTag == tag {
			t.Errorf("signing kept the ETag %s; a transition is a write", tag)
		}
	})
}

func TestSignedAgreementIsAdoptedOnlyWithTheAdoptionDecision(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag := a.signedAgreement(w.strangnas, agreementBody())
		path := "/v1/agreements/" + id(ag)
		before := a.snapshot(path, w.strangnas)
		a.post(path+"/transitions", w.strangnas, obj{"status": "adopted"}).problem(http.StatusConflict, "/adoption")
		a.unchanged(t, before)

		decision := obj{"body": "Kommunfullmäktige", "decidedOn": "2023-09-25", "reference": "KF § 112"}
		a.put(path, w.strangnas, quoted(ag["version"]), with(signable(agreementBody()), "adoption", decision)).want(http.StatusOK)
		adopted, _ := a.post(path+"/transitions", w.strangnas, obj{"status": "adopted"}).ok()
		if adopted["status"] != "adopted" || adopted["adoption"].(obj)["body"] != "Kommunfullmäktige" {
			t.Fatalf("after adoption: status %v, adoption %v", adopted["status"], adopted["adoption"])
		}
	})
}

func TestSignedAndAdoptedAgreementsCanBeSuperseded(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		signed := a.signedAgreement(w.strangnas, agreementBody())
		res, _ := a.post("/v1/agreements/"+id(signed)+"/transitions", w.strangnas, obj{"status": "superseded"}).ok()
		if res["status"] != "superseded" || res["phase"] != "superseded" || res["inForce"] != false {
			t.Errorf("signed → superseded gave status %v, phase %v, inForce %v", res["status"], res["phase"], res["inForce"])
		}

		decision := obj{"body": "Kommunfullmäktige", "decidedOn": "2023-09-25"}
		adopted, _ := a.createAgreement(w.strangnas, with(signable(agreementBody()), "adoption", decision))
		path := "/v1/agreements/" + id(adopted) + "/transitions"
		a.post(path, w.strangnas, obj{"status": "signed"}).want(http.StatusOK)
		a.post(path, w.strangnas, obj{"status": "adopted"}).want(http.StatusOK)
		res, _ = a.post(path, w.strangnas, obj{"status": "superseded"}).ok()
		if res["status"] != "superseded" {
			t.Errorf("adopted → superseded gave status %v", res["status"])
		}
	})
}

func TestIllegalAgreementMovesAreConflictsListingTheLegalTargets(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		decision := obj{"body": "Kommunfullmäktige", "decidedOn": "2023-09-25"}
		// at brings a fresh agreement (that could make every move's preconditions) to a status.
		at := func(a *api, status string) string {
			ag, _ := a.createAgreement(w.strangnas, with(signable(agreementBody()), "adoption", decision))
			path := "/v1/agreements/" + id(ag)
			for _, step := range map[string][]string{"draft": nil, "signed": {"signed"}, "adopted": {"signed", "adopted"},
				"superseded": {"signed", "superseded"}}[status] {
				a.post(path+"/transitions", w.strangnas, obj{"status": step}).want(http.StatusOK)
			}
			return path
		}
		for _, c := range []struct {
			from, to string
			allowed  []string
		}{
			{"draft", "adopted", []string{"signed"}},
			{"draft", "superseded", []string{"signed"}},
			{"draft", "draft", []string{"signed"}},
			{"signed", "draft", []string{"adopted", "superseded"}},
			{"signed", "signed", []string{"adopted", "superseded"}},
			{"adopted", "signed", []string{"superseded"}},
			{"adopted", "draft", []string{"superseded"}},
			{"superseded", "signed", []string{}}, // final: nothing is allowed
			{"superseded", "adopted", []string{}},
		} {
			t.Run(c.from+"→"+c.to, func(t *testing.T) {
				a := a.on(t)
				path := at(a, c.from)
				before := a.snapshot(path, w.strangnas)
				p := a.post(path+"/transitions", w.strangnas, obj{"status": c.to}).problem(http.StatusConflict)
				got, ok := allowed(p)
				if !ok || !slices.Equal(got, c.allowed) {
					t.Errorf("allowed %v (present %v), want %v: %v", got, ok, c.allowed, p)
				}
				if p["type"] != "https://samverkan.se/problems/illegal-transition" {
					t.Errorf("type %v, want the illegal-transition problem type", p["type"])
				}
				a.unchanged(t, before)
			})
		}
	})
}

func TestSupersededAgreementCannotBeUpdatedOrDeleted(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag := a.signedAgreement(w.strangnas, agreementBody())
		path := "/v1/agreements/" + id(ag)
		sup, tag := a.post(path+"/transitions", w.strangnas, obj{"status": "superseded"}).ok()
		before := a.snapshot(path, w.strangnas)
		// The superseded agreement is part of the record, whoever asks.
		a.put(path, w.admin, tag, with(signable(agreementBody()), "title", "Ändrad i efterhand")).problem(http.StatusConflict)
		a.delete(path, w.admin, quoted(sup["version"])).problem(http.StatusConflict)
		a.unchanged(t, before)
	})
}

func TestOnlyDraftAgreementsCanBeDeleted(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		signed := a.signedAgreement(w.strangnas, agreementBody())
		path := "/v1/agreements/" + id(signed)
		before := a.snapshot(path, w.strangnas)
		a.delete(path, w.strangnas, quoted(signed["version"])).problem(http.StatusConflict)
		a.unchanged(t, before)

		draft, tag := a.createAgreement(w.strangnas, agreementBody())
		a.delete("/v1/agreements/"+id(draft), w.strangnas, tag).want(http.StatusNoContent)
		a.get("/v1/agreements/"+id(draft), w.strangnas).problem(http.StatusNotFound)
	})
}

func TestAgreementPhaseAndInForceFollowTheValidityDatesOnTheTestClock(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		decision := obj{"body": "Kommunfullmäktige", "decidedOn": "2026-10-01"}
		// The test clock says 2026-11-23.
		for _, c := range []struct {
			name     string
			from, to string
			moves    []string
			phase    string
			inForce  bool
		}{
			{"a draft is a draft whatever its dates", "2023-06-21", "2026-12-31", nil, "draft", false},
			{"signed and within its dates", "2023-06-21", "2026-12-31", []string{"signed"}, "in_force", true},
			{"its last day is still in force", "2023-06-21", "2026-11-23", []string{"signed"}, "in_force", true},
			{"its first day is in force", "2026-11-23", "2029-12-31", []string{"signed"}, "in_force", true},
			{"the day after its last day it has expired", "2023-06-21", "2026-11-22", []string{"signed"}, "expired", false},
			{"signed before its validity begins", "2026-11-24", "2029-12-31", []string{"signed"}, "signed", false},
			{"adopted before its validity begins", "2027-01-01", "2030-12-31", []string{"signed", "adopted"}, "adopted", false},
			{"adopted and within its dates", "2024-01-01", "2027-12-31", []string{"signed", "adopted"}, "in_force", true},
			{"superseded although within its dates", "2023-06-21", "2026-12-31", []string{"signed", "superseded"}, "superseded", false},
		} {
			t.Run(c.name, func(t *testing.T) {
				a := a.on(t)
				ag, _ := a.createAgreement(w.strangnas, with(signable(agreementBody()), "validFrom", c.from, "validTo", c.to, "adoption", decision))
				path := "/v1/agreements/" + id(ag)
				for _, m := range c.moves {
					a.post(path+"/transitions", w.strangnas, obj{"status": m}).want(http.StatusOK)
				}
				got, _ := a.get(path, w.strangnas).ok()
				if got["phase"] != c.phase || got["inForce"] != c.inForce {
					t.Errorf("%s–%s after %v: phase %v, inForce %v; want %s, %v", c.from, c.to, c.moves, got["phase"], got["inForce"], c.phase, c.inForce)
				}
			})
		}
	})
}

func TestPromisePeriodIsPublishedThenArchivedAndArchivedIsFinal(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		pp, tag := a.createPeriod(w.strangnas, periodBody())
		path := "/v1/promise-periods/" + id(pp)
		if pp["status"] != "draft" || pp["publishedAt"] != nil || pp["inForce"] != false {
			t.Fatalf("a new period: status %v, publishedAt %v, inForce %v", pp["status"], pp["publishedAt"], pp["inForce"])
		}

		// A draft cannot skip publication.
		p := a.post(path+"/transitions", w.strangnas, obj{"status": "archived"}).problem(http.StatusConflict)
		if got, _ := allowed(p); !slices.Equal(got, []string{"published"}) {
			t.Errorf("draft → archived: allowed %v, want [published]", got)
		}

		pub, pubTag := a.post(path+"/transitions", w.strangnas, obj{"status": "published"}).ok()
		if pub["status"] != "published" || pub["inForce"] != true {
			t.Errorf("published 2026–2027 on 2026-11-23: status %v, inForce %v", pub["status"], pub["inForce"])
		}
		publishedAt := timeField(t, pub, "publishedAt")
		if !publishedAt.Equal(today) {
			t.Errorf("publishedAt %v, want the clock's %v", publishedAt, today)
		}
		if pubTag == tag {
			t.Errorf("publishing kept the ETag %s", tag)
		}

		arch, _ := a.post(path+"/transitions", w.strangnas, obj{"status": "archived"}).ok()
		if arch["status"] != "archived" || arch["inForce"] != false {
			t.Errorf("archived: status %v, inForce %v", arch["status"], arch["inForce"])
		}
		if !timeField(t, arch, "publishedAt").Equal(publishedAt) {
			t.Errorf("archiving moved publishedAt from %v to %v", publishedAt, arch["publishedAt"])
		}

		before := a.snapshot(path, "")
		for _, to := range []string{"published", "draft", "archived"} {
			p := a.post(path+"/transitions", w.strangnas, obj{"status": to}).problem(http.StatusConflict)
			if got, ok := allowed(p); !ok || len(got) != 0 {
				t.Errorf("archived → %s: allowed %v (present %v), want an empty list: archived is final", to, got, ok)
			}
		}
		a.unchanged(t, before)
	})
}

func TestPromisePeriodNeedsPromisesOrADocumentToBePublished(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		pp, _ := a.createPeriod(w.strangnas, with(periodBody(), "promises", []any{}))
		path := "/v1/promise-periods/" + id(pp)
		a.post(path+"/transitions", w.strangnas, obj{"status": "published"}).problem(http.StatusConflict, "/promises")
		a.get(path, "").problem(http.StatusNotFound) // still a draft, so still hidden
	})
}

func TestArchivedPromisePeriodCannotBeUpdated(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		pp := a.publishedPeriod(w.strangnas, periodBody())
		path := "/v1/promise-periods/" + id(pp)
		// A published period can still be corrected...
		_, tag := a.put(path, w.strangnas, quoted(pp["version"]), with(periodBody(), "summary", "Rättad sammanfattning")).ok()
		// ...an archived one cannot.
		_, tag = a.post(path+"/transitions", w.strangnas, obj{"status": "archived"}, header{"If-Match", tag}).ok()
		before := a.snapshot(path, "")
		a.put(path, w.admin, tag, with(periodBody(), "summary", "Ändrad i efterhand")).problem(http.StatusConflict)
		a.unchanged(t, before)
	})
}

func TestOnlyDraftPromisePeriodsCanBeDeleted(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		pub := a.publishedPeriod(w.strangnas, periodBody())
		path := "/v1/promise-periods/" + id(pub)
		before := a.snapshot(path, "")
		a.delete(path, w.strangnas, quoted(pub["version"])).problem(http.StatusConflict)
		a.unchanged(t, before)

		arch, tag := a.post(path+"/transitions", w.strangnas, obj{"status": "archived"}).ok()
		a.delete(path, w.admin, tag).problem(http.StatusConflict)
		if got, _ := a.get(path, "").ok(); got["version"] != arch["version"] {
			t.Errorf("a refused delete changed the archived period: version %v → %v", arch["version"], got["version"])
		}

		draft, tag := a.createPeriod(w.strangnas, periodBody())
		a.delete("/v1/promise-periods/"+id(draft), w.strangnas, tag).want(http.StatusNoContent)
		a.get("/v1/promise-periods/"+id(draft), w.strangnas).problem(http.StatusNotFound)
	})
}

func TestFollowUpIsPublishedThenArchivedAndArchivedIsFinal(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		pp := a.publishedPeriod(w.strangnas, periodBody())
		fu, _ := a.post("/v1/follow-ups", w.strangnas, obj{"promisePeriodId": id(pp), "kind": "follow_up",
			"title": "Uppföljning vid centrala BRÅ, våren 2026", "coversFrom": "2026-01-01", "coversTo": "2026-06-30"}).created()
		path := "/v1/follow-ups/" + id(fu)
		if fu["status"] != "draft" || fu["publishedAt"] != nil {
			t.Fatalf("a new follow-up: status %v, publishedAt %v", fu["status"], fu["publishedAt"])
		}
		p := a.post(path+"/transitions", w.strangnas, obj{"status": "archived"}).problem(http.StatusConflict)
		if got, _ := allowed(p); !slices.Equal(got, []string{"published"}) {
			t.Errorf("draft → archived: allowed %v, want [published]", got)
		}

		pub, _ := a.post(path+"/transitions", w.strangnas, obj{"status": "published"}).ok()
		if pub["status"] != "published" || !timeField(t, pub, "publishedAt").Equal(today) {
			t.Errorf("published: status %v, publishedAt %v", pub["status"], pub["publishedAt"])
		}
		a.get(path, "").want(http.StatusOK) // public now

		arch, tag := a.post(path+"/transitions", w.strangnas, obj{"status": "archived"}).ok()
		if arch["status"] != "archived" {
			t.Errorf("archived: status %v", arch["status"])
		}
		before := a.snapshot(path, "")
		p = a.post(path+"/transitions", w.strangnas, obj{"status": "published"}).problem(http.StatusConflict)
		if got, ok := allowed(p); !ok || len(got) != 0 {
			t.Errorf("archived → published: allowed %v (present %v), want an empty list", got, ok)
		}
		// Archived reports are part of the record: no edits, no deletion.
		a.put(path, w.strangnas, tag, obj{"promisePeriodId": id(pp), "kind": "follow_up", "title": "Ändrad i efterhand"}).problem(http.StatusConflict)
		a.delete(path, w.strangnas, tag).problem(http.StatusConflict)
		a.unchanged(t, before)
	})
}

func TestOnlyDraftFollowUpsCanBeDeleted(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		pp := a.publishedPeriod(w.strangnas, periodBody())
		body := obj{"promisePeriodId": id(pp), "kind": "yearly_summary", "title": "Sammanställning för hela året 2026"}
		pub, _ := a.post("/v1/follow-ups", w.strangnas, body).created()
		pub, tag := a.post("/v1/follow-ups/"+id(pub)+"/transitions", w.strangnas, obj{"status": "published"}).ok()
		before := a.snapshot("/v1/follow-ups/"+id(pub), "")
		a.delete("/v1/follow-ups/"+id(pub), w.strangnas, tag).problem(http.StatusConflict)
		a.unchanged(t, before)

		draft, tag := a.post("/v1/follow-ups", w.strangnas, body).created()
		a.delete("/v1/follow-ups/"+id(draft), w.strangnas, tag).want(http.StatusNoContent)
		a.get("/v1/follow-ups/"+id(draft), w.strangnas).problem(http.StatusNotFound)
	})
}

func TestActivitiesOfPublishedListsAreCancelledNotDeleted(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		pp, _ := a.createPeriod(w.strangnas, periodBody())
		act := obj{"promisePeriodId": id(pp), "description": "Trygghetsvandring i Mariefred"}
		draftAct, tag := a.post("/v1/activities", w.strangnas, act).created()
		a.delete("/v1/activities/"+id(draftAct), w.strangnas, tag).want(http.StatusNoContent)

		kept, _ := a.post("/v1/activities", w.strangnas, act).created()
		a.post("/v1/promise-periods/"+id(pp)+"/transitions", w.strangnas, obj{"status": "published"}).want(http.StatusOK)
		// Publishing made the list public; what was promised stays on record.
		path := "/v1/activities/" + id(kept)
		cur, tag := a.get(path, w.strangnas).ok() // writers read with their token: it gives the version
		a.delete(path, w.strangnas, tag).problem(http.StatusConflict)
		cancelled, _ := a.put(path, w.strangnas, tag, with(act, "status", "cancelled")).ok()
		if cancelled["status"] != "cancelled" || cancelled["version"].(float64) != cur["version"].(float64)+1 {
			t.Errorf("cancelling: status %v, version %v → %v", cancelled["status"], cur["version"], cancelled["version"])
		}
	})
}

// timeField parses a date-time field of a resource.
func timeField(t *testing.T, o obj, field string) time.Time {
	t.Helper()
	s, ok := o[field].(string)
	if !ok {
		t.Fatalf("%s missing: %v", field, o)
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("%s %q: %v", field, s, err)
	}
	return v
}

func TestActivitiesArePublicWithTheirListAndFrozenWhenItIs(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag, _ := a.createAgreement(w.strangnas, signable(agreementBody()))
		planAct, _ := a.post("/v1/activities", w.strangnas, obj{"agreementId": id(ag), "description": "Trafikövervakning"}).created()
		pp, _ := a.createPeriod(w.strangnas, periodBody())
		listAct, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": "Trygghetsvandring"}).created()
		for _, act := range []obj{planAct, listAct} {
			a.get("/v1/activities/"+id(act), "").problem(http.StatusNotFound)
		}

		// Signing the agreement and publishing the period make their activities public.
		a.post("/v1/agreements/"+id(ag)+"/transitions", w.strangnas, obj{"status": "signed"}).want(http.StatusOK)
		a.post("/v1/promise-periods/"+id(pp)+"/transitions", w.strangnas, obj{"status": "published"}).want(http.StatusOK)
		items, _ := a.get("/v1/activities", "").items()
		if got := ids(items); !slices.Equal(got, []string{id(planAct), id(listAct)}) {
			t.Errorf("public activities %v, want both", got)
		}

		// A superseded plan and an archived list are part of the record: nothing is added or changed.
		a.post("/v1/agreements/"+id(ag)+"/transitions", w.strangnas, obj{"status": "superseded"}).want(http.StatusOK)
		a.post("/v1/promise-periods/"+id(pp)+"/transitions", w.strangnas, obj{"status": "archived"}).want(http.StatusOK)
		for _, c := range []struct {
			act  obj
			list obj
		}{{planAct, obj{"agreementId": id(ag)}}, {listAct, obj{"promisePeriodId": id(pp)}}} {
			before := a.snapshot("/v1/activities/"+id(c.act), "")
			a.post("/v1/activities", w.strangnas, with(c.list, "description", "Ny aktivitet")).problem(http.StatusConflict)
			a.put("/v1/activities/"+id(c.act), w.strangnas, "*", with(c.list, "description", "Ändrad", "status", "completed")).problem(http.StatusConflict)
			a.delete("/v1/activities/"+id(c.act), w.strangnas, "*").problem(http.StatusConflict)
			a.unchanged(t, before)
		}
	})
}
