package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Records keep their identity across the ways people edit them: a PUT built by hand, an
// unchanged PUT, a later lifecycle step, and the import file they came from.

func TestAPutWithoutExternalRefKeepsTheRecordTiedToItsImportFile(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		admin := a.token("admin", "")
		var forums struct{ Items []obj }
		a.get("/v1/forums?municipality=0486&code=EST", "").want(http.StatusOK).JSON(&forums)
		est := forums.Items[0]
		// What a web editor sends: the fields they see, without the importer's key.
		body := obj{"municipalityCode": "0486", "policeAreaId": "lpo-eskilstuna", "code": "EST",
			"name": "Effektiv samordning för trygghet (EST)", "level": "operational"}
		updated, _ := a.put("/v1/forums/"+id(est), admin, fmt.Sprintf(`"%v"`, est["version"]), body).ok()
		if updated["externalRef"] != est["externalRef"] {
			t.Fatalf("externalRef %v after a PUT without it, want %v", updated["externalRef"], est["externalRef"])
		}
		// Re-running the file finds the same forum: it changes it back, and creates nothing.
		rep := a.importDoc("/v1/imports", admin, demoDoc(t))
		if rep.Created != 0 {
			t.Fatalf("re-import created %d records after a hand edit", rep.Created)
		}
	})
}

func TestAPutThatChangesNothingKeepsTheVersion(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag, etag := a.createAgreement(w.strangnas, agreementBody())
		body := with(agreementBody(), "priorityAreas", []any{
			obj{"id": areaIDs(ag)[0], "title": ag["priorityAreas"].([]any)[0].(map[string]any)["title"]},
			obj{"id": areaIDs(ag)[1], "title": ag["priorityAreas"].([]any)[1].(map[string]any)["title"]},
		})
		again, etag2 := a.put("/v1/agreements/"+id(ag), w.strangnas, etag, body).ok()
		if etag2 != etag || again["version"] != ag["version"] {
			t.Fatalf("an unchanged PUT moved the version from %s to %s", etag, etag2)
		}
	})
}

func TestPartiesMustBeAMunicipalityAndThePoliceAreaThatServesIt(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		// 1980 is served by another police area than 0486 in the test world.
		var m obj
		a.get("/v1/municipalities/1980", "").want(http.StatusOK).JSON(&m)
		other := m["policeAreaId"].(string)
		a.post("/v1/agreements", w.admin, with(agreementBody(), "policeAreaId", other)).problem(http.StatusUnprocessableEntity, "/policeAreaId")
	})
}

func TestReimportingAnOldDocumentLeavesLaterLifecycleStepsAlone(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		admin := a.token("admin", "")
		var periods struct{ Items []obj }
		a.get("/v1/promise-periods?municipality=0486&year=2024", "").want(http.StatusOK).JSON(&periods)
		p := periods.Items[0]
		// 2024–2025 is over; the parties archive it. The seed file still says "published".
		a.post("/v1/promise-periods/"+id(p)+"/transitions", admin, obj{"status": "archived"}).want(http.StatusOK)
		rep := a.importDoc("/v1/imports", admin, demoDoc(t))
		if rep.Created+rep.Updated != 0 {
			t.Fatalf("re-import after archiving: %d created, %d updated", rep.Created, rep.Updated)
		}
		var got obj
		a.get("/v1/promise-periods/"+id(p), "").want(http.StatusOK).JSON(&got)
		if got["status"] != "archived" {
			t.Fatalf("status %v after re-import, want archived", got["status"])
		}
	})
}

func TestAnImportUsingARefTwiceIsRejectedNamingBoth(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		forum := func(code string) obj {
			return obj{"ref": "dup", "municipalityCode": "0486", "code": code, "name": "Forum " + code}
		}
		p := a.post("/v1/imports", w.admin, obj{"forums": []any{forum("A"), forum("B")}}).problem(http.StatusUnprocessableEntity, "/forums/1/ref")
		if errs := p["errors"].([]any); len(errs) != 1 {
			t.Fatalf("errors %v", errs)
		}
		var forums struct{ Items []obj }
		a.get("/v1/forums?municipality=0486", "").want(http.StatusOK).JSON(&forums)
		if len(forums.Items) != 0 {
			t.Fatalf("a rejected import wrote %d forums", len(forums.Items))
		}
	})
}

func TestAnImportReusingAnotherOrganizationsRefIsForbidden(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		a.post("/v1/imports", w.strangnas, obj{"forums": []any{obj{"ref": "shared-key", "municipalityCode": "0486", "code": "EST", "name": "EST"}}}).want(http.StatusOK)
		res := a.post("/v1/imports", w.eskilstuna, obj{"forums": []any{obj{"ref": "shared-key", "municipalityCode": "0484", "code": "EST", "name": "EST"}}})
		res.problem(http.StatusForbidden)
	})
}

func TestAgreementsCanBeListedByWhereTheyStandToday(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		admin := a.token("admin", "")
		count := func(query, token string) int {
			var page struct{ Items []obj }
			a.get("/v1/agreements?"+query, token).want(http.StatusOK).JSON(&page)
			return len(page.Items)
		}
		// On 2026-11-23 Strängnäs 2023–2026 is in force; Eskilstuna 2024–2027 is a draft.
		if n := count("phase=in_force", ""); n != 1 {
			t.Errorf("%d agreements in force, want 1", n)
		}
		if n := count("phase=draft", admin); n != 1 {
			t.Errorf("%d drafts for the admin, want 1", n)
		}
		if n := count("phase=expired", ""); n != 0 {
			t.Errorf("%d expired, want 0", n)
		}
		a.get("/v1/agreements?phase=current", "").problem(http.StatusBadRequest, "phase")
	})
}

func TestPublicMaterialNeverPointsAtADraft(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		draft, _ := a.createAgreement(w.strangnas, with(agreementBody(), "priorityAreas", []any{obj{"title": "HEMLIGT UTKASTOMRÅDE"}}))
		pp, _ := a.createPeriod(w.strangnas, with(periodBody(), "agreementId", id(draft)))
		// Publishing the period would show the draft's priority areas to everyone.
		a.post("/v1/promise-periods/"+id(pp)+"/transitions", w.strangnas, obj{"status": "published"}).problem(http.StatusConflict, "/agreementId")
		fu, _ := a.post("/v1/follow-ups", w.strangnas, obj{"promisePeriodId": id(pp), "kind": "follow_up", "title": "Uppföljning"}).created()
		a.post("/v1/follow-ups/"+id(fu)+"/transitions", w.strangnas, obj{"status": "published"}).problem(http.StatusConflict, "/promisePeriodId")
		for _, path := range []string{"/v1/municipalities/0486/promise-periods/current", "/v1/stats/activities", "/v1/follow-ups"} {
			if res := a.get(path, ""); strings.Contains(string(res.Body), "HEMLIGT") {
				t.Fatalf("%s shows a draft's content: %s", path, res.Body)
			}
		}
		// Once the agreement is signed, both may be published.
		a.post("/v1/agreements/"+id(draft)+"/transitions", w.strangnas, obj{"status": "signed"}).want(http.StatusConflict) // needs signatories first
	})
}
