package httpapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/samverkan/samverkan/internal/demo"
)

// POST /v1/imports: a whole document, checked whole, written in one transaction, safe to re-run.

type importReport struct {
	DryRun    bool `json:"dryRun"`
	Created   int  `json:"created"`
	Updated   int  `json:"updated"`
	Unchanged int  `json:"unchanged"`
	Items     []struct {
		Kind   string `json:"kind"`
		Ref    string `json:"ref"`
		ID     string `json:"id"`
		Action string `json:"action"`
	} `json:"items"`
}

// demoDoc is the seed document as a value a test can change.
func demoDoc(t *testing.T) obj {
	t.Helper()
	var doc obj
	if err := json.Unmarshal(demo.Seed, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// demoRecords counts the records of the seed document: each item of each list, plus the
// activities of action plans and activity lists.
func demoRecords(t *testing.T) int {
	doc := demoDoc(t)
	n := 0
	for _, list := range []string{"policeAreas", "municipalities", "forums", "agreements", "promisePeriods", "followUps"} {
		n += len(doc[list].([]any))
	}
	for _, ag := range doc["agreements"].([]any) {
		plan, _ := ag.(obj)["actionPlan"].([]any)
		n += len(plan)
	}
	for _, pp := range doc["promisePeriods"].([]any) {
		acts, _ := pp.(obj)["activities"].([]any)
		n += len(acts)
	}
	return n
}

func (a *api) importDoc(path, token string, doc any) importReport {
	a.t.Helper()
	var rep importReport
	a.post(path, token, doc).want(http.StatusOK).JSON(&rep)
	return rep
}

func TestReimportingTheDemoDocumentReportsEveryRecordUnchanged(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		admin := a.token("admin", "")
		first := a.importDoc("/v1/imports", admin, demo.Seed)
		records := demoRecords(t)
		if first.DryRun || first.Created != records || first.Updated != 0 || first.Unchanged != 0 || len(first.Items) != records {
			t.Fatalf("first run: dryRun %v, %d created, %d updated, %d unchanged, %d items; want all %d created",
				first.DryRun, first.Created, first.Updated, first.Unchanged, len(first.Items), records)
		}
		before := a.census(admin)

		again := a.importDoc("/v1/imports", admin, demo.Seed)
		if again.Created != 0 || again.Updated != 0 || again.Unchanged != records {
			t.Errorf("second run: %d created, %d updated, %d unchanged; want all %d unchanged", again.Created, again.Updated, again.Unchanged, records)
		}
		for i, it := range again.Items {
			if it.Action != "unchanged" || it.ID != first.Items[i].ID || it.Ref != first.Items[i].Ref {
				t.Errorf("item %d: %s %s %s (%s), first run %s (%s)", i, it.Kind, it.Ref, it.Action, it.ID, first.Items[i].Ref, first.Items[i].ID)
			}
		}
		a.unchangedCensus(t, admin, before)
	})
}

func TestImportChangesOnlyTheRecordsWhoseContentChanged(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		admin := a.token("admin", "")
		a.importDoc("/v1/imports", admin, demo.Seed)
		doc := demoDoc(t)
		ag := doc["agreements"].([]any)[0].(obj)
		ag["goal"] = "Ett omformulerat mål."
		rep := a.importDoc("/v1/imports", admin, doc)
		for _, it := range rep.Items {
			want := "unchanged"
			if it.Ref == ag["ref"] {
				want = "updated"
			}
			if it.Action != want {
				t.Errorf("%s %s: %s, want %s", it.Kind, it.Ref, it.Action, want)
			}
		}
		if rep.Updated != 1 {
			t.Errorf("%d updated, want 1", rep.Updated)
		}
		got, _ := a.get("/v1/agreements/"+itemID(rep, ag["ref"].(string)), "").ok()
		if got["goal"] != "Ett omformulerat mål." || got["version"].(float64) < 2 {
			t.Errorf("stored goal %q at version %v", got["goal"], got["version"])
		}
	})
}

func TestDryRunImportReportsWhatWouldBeCreatedAndWritesNothing(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		admin := a.token("admin", "")
		empty := a.census(admin)
		rep := a.importDoc("/v1/imports?dryRun=true", admin, demo.Seed)
		records := demoRecords(t)
		if !rep.DryRun || rep.Created != records || len(rep.Items) != records {
			t.Fatalf("dry run: dryRun %v, %d created of %d items; want all %d created", rep.DryRun, rep.Created, len(rep.Items), records)
		}
		for _, it := range rep.Items {
			if it.Action != "created" {
				t.Errorf("%s %s: %s in a dry run on an empty database", it.Kind, it.Ref, it.Action)
			}
			if it.ID != "" && it.Kind != "police_area" && it.Kind != "municipality" {
				t.Errorf("%s %s reports id %s that was rolled back", it.Kind, it.Ref, it.ID)
			}
		}
		a.unchangedCensus(t, admin, empty)
		a.get("/v1/municipalities/0486/promise-periods/current", "").problem(http.StatusNotFound)

		// The real run does what the dry run said.
		real := a.importDoc("/v1/imports?dryRun=false", admin, demo.Seed)
		if real.DryRun || real.Created != records {
			t.Errorf("real run: dryRun %v, %d created", real.DryRun, real.Created)
		}
	})
}

func TestImportWithABadReferenceIsRejectedWholeAndWritesNothing(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		admin := a.token("admin", "")
		empty := a.census(admin)
		doc := demoDoc(t)
		plan := doc["agreements"].([]any)[0].(obj)["actionPlan"].([]any)
		plan[0].(obj)["priorityAreaRefs"] = []any{"strangnas-2023-2026-pa-99"}
		plan[3].(obj)["priorityAreaRefs"] = []any{"strangnas-2023-2026-pa-1", "ingen-sadan"}
		doc["promisePeriods"].([]any)[0].(obj)["agreementRef"] = "strangnas-2099"
		// Every problem is reported at once, each pointing into the document.
		pointers := []string{"/agreements/0/actionPlan/0/priorityAreaRefs/0", "/agreements/0/actionPlan/3/priorityAreaRefs/1", "/promisePeriods/0/agreementRef"}
		a.post("/v1/imports", admin, doc).problem(http.StatusUnprocessableEntity, pointers...)
		a.unchangedCensus(t, admin, empty)
		a.post("/v1/imports?dryRun=true", admin, doc).problem(http.StatusUnprocessableEntity, pointers...)

		// After a good import, a bad re-run leaves the good data as it was.
		a.importDoc("/v1/imports", admin, demo.Seed)
		before := a.census(admin)
		doc["agreements"].([]any)[0].(obj)["goal"] = "Ändrat i en import som ska avvisas."
		a.post("/v1/imports", admin, doc).problem(http.StatusUnprocessableEntity, pointers...)
		a.unchangedCensus(t, admin, before)

		// A document that breaks the contract is a 400 naming the field.
		a.post("/v1/imports", admin, obj{"agreements": []any{obj{"ref": "x", "municipalityCode": "0486"}}}).problem(http.StatusBadRequest, "/agreements/0/title")
		a.unchangedCensus(t, admin, before)
	})
}

func TestEditorsImportOnlyTheirOwnOrganizationsMaterial(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		before := a.census(w.admin)
		agreement := func(muni string) obj {
			return obj{"ref": "avtal-" + muni, "municipalityCode": muni, "policeAreaId": "lpo-eskilstuna", "title": "Överenskommelse " + muni,
				"validFrom": "2024-01-01", "validTo": "2027-12-31", "priorityAreas": []any{obj{"ref": "omr-" + muni, "title": "Trygghet"}}}
		}
		// Strängnäs' editor may not write Eskilstuna's agreement, even next to its own.
		a.post("/v1/imports", w.strangnas, obj{"agreements": []any{agreement("0484")}}).problem(http.StatusForbidden)
		a.post("/v1/imports", w.strangnas, obj{"agreements": []any{agreement("0486"), agreement("0484")}}).problem(http.StatusForbidden)
		a.post("/v1/imports?dryRun=true", w.strangnas, obj{"agreements": []any{agreement("0484")}}).problem(http.StatusForbidden)
		// Nor the register of organizations.
		a.post("/v1/imports", w.strangnas, obj{"municipalities": []any{obj{"code": "0488", "name": "Trosa kommun"}}}).problem(http.StatusForbidden)
		a.unchangedCensus(t, w.admin, before)

		rep := a.importDoc("/v1/imports", w.strangnas, obj{"agreements": []any{agreement("0486")}})
		if rep.Created != 1 {
			t.Errorf("own agreement: %d created", rep.Created)
		}
		rep = a.importDoc("/v1/imports", w.police, obj{"agreements": []any{agreement("0484")}})
		if rep.Created != 1 {
			t.Errorf("the police area's editor imports for every municipality it serves: %d created", rep.Created)
		}
		a.post("/v1/imports", "", obj{}).problem(http.StatusUnauthorized)
	})
}

func TestReimportingActivitiesWithReferencesInAnyOrderChangesNothing(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		doc := obj{"agreements": []any{obj{"ref": "avtal", "municipalityCode": "0486", "policeAreaId": "lpo-eskilstuna", "title": "Överenskommelse",
			"validFrom": "2024-01-01", "validTo": "2027-12-31", "status": "signed", "signedOn": "2023-12-01",
			"signatories":   []any{obj{"name": "Oscar Nissfolk", "role": "LPO-chef", "party": "police_area"}},
			"priorityAreas": []any{obj{"ref": "omr-1", "title": "Barn och unga"}, obj{"ref": "omr-2", "title": "Trafik"}},
			// The document names the areas in another order than the agreement does.
			"actionPlan": []any{obj{"ref": "akt-1", "description": "Trygghetsvandringar", "priorityAreaRefs": []any{"omr-2", "omr-1"}}},
		}}}
		first := a.importDoc("/v1/imports", w.strangnas, doc)
		again := a.importDoc("/v1/imports", w.strangnas, doc)
		if again.Unchanged != len(first.Items) || again.Updated != 0 {
			t.Errorf("re-run: %d updated, %d unchanged of %d", again.Updated, again.Unchanged, len(first.Items))
		}
		act, _ := a.get("/v1/activities/"+itemID(first, "akt-1"), "").ok()
		if act["version"].(float64) != 1 || len(strs(act["priorityAreaIds"])) != 2 {
			t.Errorf("activity after re-run: version %v, areas %v", act["version"], act["priorityAreaIds"])
		}
	})
}

func itemID(rep importReport, ref string) string {
	for _, it := range rep.Items {
		if it.Ref == ref {
			return it.ID
		}
	}
	return ""
}

func TestARetriedImportWithItsIdempotencyKeyReturnsTheFirstAnswer(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		doc := obj{"forums": []any{obj{"ref": "strangnas-est", "municipalityCode": "0486", "code": "EST", "name": "Effektiv samordning för trygghet"}}}
		key := header{"Idempotency-Key", "9f1c2d3e-retry-1"}
		first := a.post("/v1/imports", w.strangnas, doc, key).want(http.StatusOK)
		again := a.post("/v1/imports", w.strangnas, doc, key).want(http.StatusOK)
		if again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
			t.Fatalf("the retry was not the first answer replayed:\n%s\n%s", first.Body, again.Body)
		}
		var rep importReport
		again.JSON(&rep)
		if rep.Created != 1 { // the first answer, not a second run's "unchanged"
			t.Fatalf("replayed report %+v", rep)
		}
		// The same key for another request is refused; another token has its own keys.
		a.post("/v1/imports", w.strangnas, obj{"forums": []any{}}, key).problem(http.StatusUnprocessableEntity, "Idempotency-Key")
		other := a.post("/v1/imports", w.admin, doc, key).want(http.StatusOK)
		if other.Header.Get("Idempotent-Replayed") != "" {
			t.Fatal("another token's request was answered from this token's key")
		}
		// A refused request keeps no answer: sent again, it runs again.
		bad := obj{"forums": []any{obj{"ref": "x", "municipalityCode": "9999", "code": "EST", "name": "EST"}}}
		badKey := header{"Idempotency-Key", "bad-1"}
		a.post("/v1/imports", w.admin, bad, badKey).problem(http.StatusUnprocessableEntity)
		a.post("/v1/imports", w.admin, bad, badKey).problem(http.StatusUnprocessableEntity)
	})
}
