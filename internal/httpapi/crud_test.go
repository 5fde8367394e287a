package httpapi_test

import (
	"net/http"
	"slices"
	"testing"
)

// Round trips of every entity through the API: what is written is what is read back, new
// resources say where they live, and links between them hold across updates.

// wantLocation checks that a 201 names the resource's own path, and that the path answers
// (to token) with the resource as created.
func (a *api) wantLocation(res *response, want, token string) {
	a.t.Helper()
	if got := res.Header.Get("Location"); got != want {
		a.t.Fatalf("Location %q, want %q", got, want)
	}
	if _, tag := a.get(want, token).ok(); tag != res.Header.Get("ETag") {
		a.t.Fatalf("GET %s has ETag %s, the 201 said %s", want, tag, res.Header.Get("ETag"))
	}
}

func TestMunicipalityRoundTrip(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		res := a.post("/v1/municipalities", w.admin, obj{"code": "0488", "name": "Trosa kommun", "county": "Södermanlands län"})
		m, tag := res.created()
		a.wantLocation(res, "/v1/municipalities/0488", w.admin)
		if m["code"] != "0488" || m["name"] != "Trosa kommun" || m["county"] != "Södermanlands län" || m["version"].(float64) != 1 || m["policeAreaId"] != nil {
			t.Errorf("created %v", m)
		}
		upd, _ := a.put("/v1/municipalities/0488", w.admin, tag, obj{"code": "0488", "name": "Trosa kommun", "county": "Södermanlands län",
			"policeAreaId": "lpo-eskilstuna"}).ok()
		got, _ := a.get("/v1/municipalities/0488", "").ok()
		if got["policeAreaId"] != "lpo-eskilstuna" || got["version"].(float64) != 2 || got["updatedAt"] != upd["updatedAt"] {
			t.Errorf("after update %v", got)
		}
		items, _ := a.get("/v1/municipalities?policeArea=lpo-eskilstuna", "").items()
		if codes := fieldOf(items, "code"); !slices.Equal(codes, []string{"0484", "0486", "0488"}) {
			t.Errorf("municipalities of lpo-eskilstuna %v, ordered by code", codes)
		}

		before := a.snapshot("/v1/municipalities/0488", "")
		a.post("/v1/municipalities", w.admin, obj{"code": "0488", "name": "Trosa igen"}).problem(http.StatusConflict)
		a.put("/v1/municipalities/0488", w.admin, `"2"`, obj{"code": "0489", "name": "Trosa kommun"}).problem(http.StatusBadRequest, "/code")
		a.unchanged(t, before)
	})
}

func TestPoliceAreaRoundTrip(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		res := a.post("/v1/police-areas", w.admin, obj{"id": "lpo-nykoping", "name": "Lokalpolisområde Nyköping", "policeRegion": "Region Öst"})
		pa, tag := res.created()
		a.wantLocation(res, "/v1/police-areas/lpo-nykoping", w.admin)
		if pa["name"] != "Lokalpolisområde Nyköping" || pa["policeRegion"] != "Region Öst" {
			t.Errorf("created %v", pa)
		}
		a.put("/v1/police-areas/lpo-nykoping", w.admin, tag, obj{"id": "lpo-nykoping", "name": "Lokalpolisområde Nyköping-Gnesta"}).want(http.StatusOK)
		got, _ := a.get("/v1/police-areas/lpo-nykoping", "").ok()
		if got["name"] != "Lokalpolisområde Nyköping-Gnesta" || got["policeRegion"] != nil {
			t.Errorf("after update %v: the region was left out, so it is cleared", got)
		}
		items, _ := a.get("/v1/police-areas", "").items()
		if got := ids(items); !slices.Equal(got, []string{"lpo-eskilstuna", "lpo-nykoping", "lpo-vasteras"}) {
			t.Errorf("police areas %v, ordered by id", got)
		}
		before := a.snapshot("/v1/police-areas/lpo-nykoping", "")
		a.post("/v1/police-areas", w.admin, obj{"id": "lpo-nykoping", "name": "Dubblett"}).problem(http.StatusConflict)
		a.put("/v1/police-areas/lpo-nykoping", w.admin, `"2"`, obj{"id": "lpo-gnesta", "name": "x"}).problem(http.StatusBadRequest, "/id")
		a.unchanged(t, before)
	})
}

func TestForumAndMeetingsRoundTrip(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		body := obj{"municipalityCode": "0486", "policeAreaId": "lpo-eskilstuna", "code": "SSPF", "name": "Skola, socialtjänst, polis och fritid",
			"level": "operational", "scope": "local", "participants": []any{"Skola", "Socialtjänst", "Polis", "Fritid"}, "cadence": "Varannan vecka"}
		res := a.post("/v1/forums", w.strangnas, body)
		f, tag := res.created()
		path := "/v1/forums/" + id(f)
		a.wantLocation(res, path, w.admin)
		if !slices.Equal(strs(f["participants"]), []string{"Skola", "Socialtjänst", "Polis", "Fritid"}) || f["level"] != "operational" || f["cadence"] != "Varannan vecka" {
			t.Errorf("created %v", f)
		}
		a.put(path, w.police, tag, with(body, "participants", []any{"Skola", "Socialtjänst", "Polis", "Fritid", "Näringsliv"}, "level", "strategic")).want(http.StatusOK)
		got, _ := a.get(path, "").ok()
		if len(strs(got["participants"])) != 5 || got["level"] != "strategic" {
			t.Errorf("after update %v", got)
		}
		// A forum keeps its parties.
		a.put(path, w.admin, "*", with(body, "municipalityCode", "0484")).problem(http.StatusConflict, "/municipalityCode")

		var meetings []string
		for _, held := range []string{"2025-05-14", "2026-02-10", "2026-09-22"} {
			res := a.post(path+"/meetings", w.strangnas, obj{"heldOn": held, "title": "Möte " + held})
			m, _ := res.created()
			a.wantLocation(res, "/v1/meetings/"+id(m), w.admin)
			if m["forumId"] != id(f) || m["heldOn"] != held {
				t.Errorf("meeting %v", m)
			}
			meetings = append(meetings, id(m))
		}
		items, _ := a.get(path+"/meetings", "").items()
		if got := ids(items); !slices.Equal(got, []string{meetings[2], meetings[1], meetings[0]}) {
			t.Errorf("meetings %v, want newest first", fieldOf(items, "heldOn"))
		}
		items, _ = a.get(path+"/meetings?year=2026", "").items()
		if got := fieldOf(items, "heldOn"); !slices.Equal(got, []string{"2026-09-22", "2026-02-10"}) {
			t.Errorf("meetings of 2026: %v", got)
		}
		m, mtag := a.get("/v1/meetings/"+meetings[0], w.strangnas).ok()
		upd, _ := a.put("/v1/meetings/"+meetings[0], w.strangnas, mtag, obj{"heldOn": "2025-05-15", "title": "Flyttat möte", "summary": "Lägesbild våren 2025."}).ok()
		if upd["heldOn"] != "2025-05-15" || upd["summary"] != "Lägesbild våren 2025." || upd["forumId"] != m["forumId"] {
			t.Errorf("meeting after update %v", upd)
		}

		// A meeting a follow-up was done at, and a forum an agreement names, stay.
		ag, _ := a.createAgreement(w.strangnas, with(agreementBody(), "forumIds", []any{id(f)}))
		pp, _ := a.createPeriod(w.strangnas, periodBody())
		a.post("/v1/follow-ups", w.strangnas, obj{"promisePeriodId": id(pp), "kind": "follow_up", "title": "Uppföljning", "meetingId": meetings[1]}).want(http.StatusCreated)
		a.delete("/v1/meetings/"+meetings[1], w.strangnas, "*").problem(http.StatusConflict)
		a.delete(path, w.strangnas, "*").problem(http.StatusConflict)
		a.get("/v1/meetings/"+meetings[1], "").want(http.StatusOK)
		if got, _ := a.get("/v1/agreements/"+id(ag), w.strangnas).ok(); !slices.Equal(strs(got["forumIds"]), []string{id(f)}) {
			t.Errorf("agreement forums %v", got["forumIds"])
		}

		a.delete("/v1/meetings/"+meetings[2], w.strangnas, "*").want(http.StatusNoContent)
		a.get("/v1/meetings/"+meetings[2], "").problem(http.StatusNotFound)
		free, ftag := a.post("/v1/forums", w.strangnas, with(body, "code", "EST", "name", "Effektiv samordning för trygghet")).created()
		a.delete("/v1/forums/"+id(free), w.strangnas, ftag).want(http.StatusNoContent)
		a.get("/v1/forums/"+id(free), "").problem(http.StatusNotFound)
	})
}

func TestAgreementKeepsPriorityAreasByIdAcrossUpdates(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		forum, _ := a.post("/v1/forums", w.strangnas, obj{"municipalityCode": "0486", "code": "EST", "name": "Effektiv samordning för trygghet"}).created()
		old := a.signedAgreement(w.strangnas, with(agreementBody(), "validFrom", "2019-01-01", "validTo", "2022-12-31"))
		body := with(signable(agreementBody()), "forumIds", []any{id(forum)}, "replacesAgreementId", id(old),
			"dataSources", []any{"Polisens anmälningsstatistik", "Trygghetsmätning", "Skolenkät"},
			"documents", []any{obj{"title": "Samverkansöverenskommelse 2023–2026", "url": "https://www.strangnas.se/overenskommelse.pdf", "mediaType": "application/pdf", "sizeBytes": 348211}},
			"purpose", "Grund för det strategiska och operativa brottsförebyggande arbetet.", "cooperationModel", "Kartläggning, analys, åtgärdsplan och uppföljning.",
			"externalRef", "strangnas-2023-2026")
		res := a.post("/v1/agreements", w.strangnas, body)
		ag, tag := res.created()
		path := "/v1/agreements/" + id(ag)
		a.wantLocation(res, path, w.admin)
		for field, want := range map[string]any{"status": "draft", "phase": "draft", "inForce": false, "replacesAgreementId": id(old),
			"signedOn": "2023-06-21", "signedPlace": "Strängnäs", "externalRef": "strangnas-2023-2026", "purpose": body["purpose"]} {
			if ag[field] != want {
				t.Errorf("%s %v, want %v", field, ag[field], want)
			}
		}
		if !slices.Equal(strs(ag["forumIds"]), []string{id(forum)}) || len(strs(ag["dataSources"])) != 3 {
			t.Errorf("forums %v, data sources %v", ag["forumIds"], ag["dataSources"])
		}
		if doc := ag["documents"].([]any)[0].(obj); doc["sizeBytes"].(float64) != 348211 || doc["mediaType"] != "application/pdf" {
			t.Errorf("document %v", doc)
		}
		if sig := ag["signatories"].([]any)[0].(obj); sig["party"] != "police_area" || sig["name"] != "Oscar Nissfolk" {
			t.Errorf("signatory %v", sig)
		}
		areas := ag["priorityAreas"].([]any)
		children, traffic := areas[0].(obj), areas[1].(obj)
		if children["position"].(float64) != 1 || traffic["position"].(float64) != 2 {
			t.Fatalf("positions %v, %v", children["position"], traffic["position"])
		}

		// An activity of the action plan serves the traffic area.
		act, _ := a.post("/v1/activities", w.strangnas, obj{"agreementId": id(ag), "description": "Trafikövervakning med fokus på nykterhet, beteende och hastighet.",
			"priorityAreaIds": []any{id(traffic)}}).created()

		// Reordered, one renamed, one added: kept areas keep their ids, the new one gets its own.
		upd, tag := a.put(path, w.strangnas, tag, with(body, "priorityAreas", []any{
			obj{"id": id(traffic), "title": "Säker och trygg trafikmiljö"},
			obj{"id": id(children), "title": children["title"]},
			obj{"title": "Minska våld i nära relationer", "description": "Nytt område efter lägesbilden 2024."},
		})).ok()
		got := upd["priorityAreas"].([]any)
		if len(got) != 3 || id(got[0].(obj)) != id(traffic) || id(got[1].(obj)) != id(children) || contains([]string{id(traffic), id(children)}, id(got[2].(obj))) {
			t.Fatalf("areas after reordering: %v", got)
		}
		for i, pa := range got {
			if pa.(obj)["position"].(float64) != float64(i+1) {
				t.Errorf("area %d has position %v", i, pa.(obj)["position"])
			}
		}
		if got[0].(obj)["title"] != "Säker och trygg trafikmiljö" {
			t.Errorf("renamed area %v", got[0])
		}
		if a2, _ := a.get("/v1/activities/"+id(act), w.strangnas).ok(); !slices.Equal(strs(a2["priorityAreaIds"]), []string{id(traffic)}) {
			t.Errorf("the activity lost its area: %v", a2["priorityAreaIds"])
		}

		// The traffic area cannot go while the activity serves it; the unused area can.
		before := a.snapshot(path, w.strangnas)
		a.put(path, w.strangnas, tag, with(body, "priorityAreas", []any{obj{"id": id(children), "title": children["title"]}})).problem(http.StatusConflict, "/priorityAreas")
		a.unchanged(t, before)
		// Nor can an id of another agreement's area be slipped in.
		a.put(path, w.strangnas, tag, with(body, "priorityAreas", []any{obj{"id": id(traffic), "title": "x"}, obj{"id": areaIDs(old)[0], "title": "y"}})).problem(http.StatusUnprocessableEntity, "/priorityAreas/1/id")
		a.unchanged(t, before)
		upd, _ = a.put(path, w.strangnas, tag, with(body, "priorityAreas", []any{obj{"id": id(traffic), "title": "Säker och trygg trafikmiljö"}})).ok()
		if got := areaIDs(upd); !slices.Equal(got, []string{id(traffic)}) {
			t.Errorf("areas after removing the unused ones: %v", got)
		}
		// A draft goes with its action plan.
		a.delete(path, w.strangnas, "*").want(http.StatusNoContent)
		a.get("/v1/activities/"+id(act), w.admin).problem(http.StatusNotFound)
	})
}

func TestPromisePeriodKeepsPromisesByIdAcrossUpdates(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag := a.signedAgreement(w.strangnas, agreementBody())
		body := with(periodBody(), "agreementId", id(ag), "summary", "Aktivitetslistan kan behöva uppdateras under perioden.",
			"signedOn", "2026-01-15", "signatories", []any{obj{"name": "Jacob Högfeldt", "role": "Kommunstyrelsens ordförande", "party": "municipality"}},
			"documents", []any{obj{"title": "Medborgarlöften 2026–2027", "url": "https://polisen.se/medborgarloften.pdf"}})
		res := a.post("/v1/promise-periods", w.strangnas, body)
		pp, tag := res.created()
		path := "/v1/promise-periods/" + id(pp)
		a.wantLocation(res, path, w.admin)
		if pp["agreementId"] != id(ag) || pp["startYear"].(float64) != 2026 || pp["endYear"].(float64) != 2027 || pp["signedOn"] != "2026-01-15" || pp["summary"] != body["summary"] {
			t.Errorf("created %v", pp)
		}
		walks, traffic := promiseIDs(pp)[0], promiseIDs(pp)[1]
		act, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": "Hastighetskontroller vid skolor", "promiseIds": []any{traffic}}).created()

		upd, tag := a.put(path, w.strangnas, tag, with(body, "promises", []any{
			obj{"id": traffic, "text": "Hastighets- och nykterhetskontroller i tätort och på landsbygd."},
			obj{"text": "Öka förtroendet genom medborgardialoger."},
			obj{"id": walks, "text": "Genomföra trygghetsvandringar i alla kommundelar."},
		})).ok()
		got := upd["promises"].([]any)
		if len(got) != 3 || id(got[0].(obj)) != traffic || id(got[2].(obj)) != walks || got[1].(obj)["position"].(float64) != 2 {
			t.Fatalf("promises after update %v", got)
		}

		before := a.snapshot(path, w.strangnas)
		a.put(path, w.strangnas, tag, with(body, "promises", []any{obj{"id": walks, "text": "x"}})).problem(http.StatusConflict, "/promises")
		a.put(path, w.strangnas, tag, with(body, "promises", []any{obj{"id": unknownID, "text": "x"}, obj{"id": traffic, "text": "y"}})).problem(http.StatusUnprocessableEntity, "/promises/0/id")
		a.put(path, w.strangnas, tag, with(body, "municipalityCode", "0484")).problem(http.StatusConflict)
		a.unchanged(t, before)
		upd, _ = a.put(path, w.strangnas, tag, with(body, "promises", []any{obj{"id": traffic, "text": "Kontroller."}})).ok()
		if got := promiseIDs(upd); !slices.Equal(got, []string{traffic}) {
			t.Errorf("promises after removing unused ones %v", got)
		}
		a.delete(path, w.strangnas, "*").want(http.StatusNoContent)
		a.get("/v1/activities/"+id(act), w.admin).problem(http.StatusNotFound)
	})
}

func TestActivityServesSeveralPriorityAreasAndPromises(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag := a.signedAgreement(w.strangnas, with(agreementBody(), "priorityAreas", []any{
			obj{"title": "Barn och unga"}, obj{"title": "Trafik"}, obj{"title": "Trygghet i offentlig miljö"}}))
		children, traffic, public := areaIDs(ag)[0], areaIDs(ag)[1], areaIDs(ag)[2]
		pp, _ := a.createPeriod(w.strangnas, with(periodBody(), "agreementId", id(ag)))
		p1, p2 := promiseIDs(pp)[0], promiseIDs(pp)[1]

		first, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": "Föräldravandringar"}).created()
		// The same activity appears under two areas in the Strängnäs action plan.
		body := obj{"promisePeriodId": id(pp), "description": "Trygghetsvandringar med olika målgrupper",
			"priorityAreaIds": []any{public, children}, "promiseIds": []any{p2, p1},
			"responsibleParty": "joint", "partners": []any{"Fältassistenter", "Bostadsbolag"}, "method": "Trygghetsvandring",
			"recurrence": "at_events", "startsOn": "2026-03-01", "endsOn": "2026-10-31", "status": "ongoing", "externalRef": "strangnas-2026-trygghetsvandring"}
		res := a.post("/v1/activities", w.strangnas, body)
		act, tag := res.created()
		path := "/v1/activities/" + id(act)
		a.wantLocation(res, path, w.admin)
		// Links come in the order of what they point to, not the order sent.
		if !slices.Equal(strs(act["priorityAreaIds"]), []string{children, public}) || !slices.Equal(strs(act["promiseIds"]), []string{p1, p2}) {
			t.Errorf("links: areas %v, promises %v", act["priorityAreaIds"], act["promiseIds"])
		}
		if act["position"].(float64) != first["position"].(float64)+1 || act["promisePeriodId"] != id(pp) || act["agreementId"] != nil {
			t.Errorf("position %v after %v; lists %v / %v", act["position"], first["position"], act["promisePeriodId"], act["agreementId"])
		}
		for field, want := range map[string]any{"responsibleParty": "joint", "method": "Trygghetsvandring", "recurrence": "at_events",
			"startsOn": "2026-03-01", "endsOn": "2026-10-31", "status": "ongoing", "externalRef": "strangnas-2026-trygghetsvandring"} {
			if act[field] != want {
				t.Errorf("%s %v, want %v", field, act[field], want)
			}
		}
		for area, want := range map[string]bool{children: true, public: true, traffic: false} {
			items, _ := a.get("/v1/activities?priorityAreaId="+area, w.strangnas).items()
			if contains(ids(items), id(act)) != want {
				t.Errorf("listed under area %s: %v, want %v", area, !want, want)
			}
		}

		upd, _ := a.put(path, w.strangnas, tag, with(body, "priorityAreaIds", []any{traffic}, "promiseIds", nil, "status", nil)).ok()
		if !slices.Equal(strs(upd["priorityAreaIds"]), []string{traffic}) || len(strs(upd["promiseIds"])) != 0 {
			t.Errorf("links after update: %v, %v", upd["priorityAreaIds"], upd["promiseIds"])
		}
		if upd["status"] != "ongoing" || upd["position"] != act["position"] {
			t.Errorf("left out, status and position are kept: %v, %v", upd["status"], upd["position"])
		}
		before := a.snapshot(path, w.strangnas)
		// An activity stays in its list.
		other, _ := a.createPeriod(w.strangnas, periodBody())
		a.put(path, w.strangnas, "*", with(body, "promisePeriodId", id(other))).problem(http.StatusConflict, "/agreementId")
		a.unchanged(t, before)

		// Action plans have no promises; lists outside an agreement have no priority areas.
		a.post("/v1/activities", w.strangnas, obj{"agreementId": id(ag), "description": "x", "promiseIds": []any{p1}}).problem(http.StatusUnprocessableEntity, "/promiseIds/0")
		a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(other), "description": "x", "priorityAreaIds": []any{children}}).problem(http.StatusUnprocessableEntity, "/priorityAreaIds/0")
		a.post("/v1/activities", w.strangnas, obj{"agreementId": id(ag), "promisePeriodId": id(pp), "description": "x"}).problem(http.StatusBadRequest, "/agreementId")
		a.post("/v1/activities", w.strangnas, obj{"description": "x"}).problem(http.StatusBadRequest, "/agreementId")
	})
}

func TestFollowUpAssessesOnlyWhatBelongsToItsSubject(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag := a.signedAgreement(w.strangnas, agreementBody())
		pp, _ := a.createPeriod(w.strangnas, with(periodBody(), "agreementId", id(ag)))
		act, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": "Trygghetsvandringar"}).created()
		planAct, _ := a.post("/v1/activities", w.strangnas, obj{"agreementId": id(ag), "description": "Trafikövervakning"}).created()
		otherPP, _ := a.createPeriod(w.strangnas, periodBody())
		otherAct, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(otherPP), "description": "Annan lista"}).created()
		forum, _ := a.post("/v1/forums", w.strangnas, obj{"municipalityCode": "0486", "code": "BRÅ", "name": "Centrala BRÅ"}).created()
		meeting, _ := a.post("/v1/forums/"+id(forum)+"/meetings", w.strangnas, obj{"heldOn": "2026-05-14"}).created()
		foreignForum, _ := a.post("/v1/forums", w.eskilstuna, obj{"municipalityCode": "0484", "code": "BRÅ", "name": "Eskilstunas BRÅ"}).created()
		foreignMeeting, _ := a.post("/v1/forums/"+id(foreignForum)+"/meetings", w.eskilstuna, obj{"heldOn": "2026-05-15"}).created()

		body := obj{"promisePeriodId": id(pp), "kind": "follow_up", "title": "Uppföljning vid centrala BRÅ", "reportedOn": "2026-05-14",
			"meetingId": id(meeting), "coversFrom": "2026-01-01", "coversTo": "2026-04-30", "summary": "Arbetet följer plan.",
			"promiseAssessments": []any{obj{"promiseId": promiseIDs(pp)[0], "assessment": "partly_fulfilled", "comment": "Fyra av sex kommundelar."},
				obj{"promiseId": promiseIDs(pp)[1], "assessment": "not_assessed"}},
			"activityStatuses": []any{obj{"activityId": id(act), "status": "ongoing", "comment": "Två vandringar genomförda."}},
			"documents":        []any{obj{"title": "Protokoll", "url": "https://www.strangnas.se/bra.pdf"}}}
		res := a.post("/v1/follow-ups", w.strangnas, body)
		fu, tag := res.created()
		path := "/v1/follow-ups/" + id(fu)
		a.wantLocation(res, path, w.admin)
		for field, want := range map[string]any{"promisePeriodId": id(pp), "agreementId": nil, "kind": "follow_up", "reportedOn": "2026-05-14",
			"meetingId": id(meeting), "coversFrom": "2026-01-01", "coversTo": "2026-04-30", "summary": "Arbetet följer plan.", "status": "draft"} {
			if fu[field] != want {
				t.Errorf("%s %v, want %v", field, fu[field], want)
			}
		}
		if pa := fu["promiseAssessments"].([]any); len(pa) != 2 || pa[0].(obj)["assessment"] != "partly_fulfilled" || pa[0].(obj)["comment"] != "Fyra av sex kommundelar." {
			t.Errorf("assessments %v", pa)
		}
		if st := fu["activityStatuses"].([]any); len(st) != 1 || st[0].(obj)["activityId"] != id(act) || st[0].(obj)["status"] != "ongoing" {
			t.Errorf("activity statuses %v", st)
		}

		before := a.snapshot(path, w.strangnas)
		for _, c := range []struct {
			name    string
			body    obj
			status  int
			pointer string
		}{
			{"a promise of another period", with(body, "promiseAssessments", []any{obj{"promiseId": promiseIDs(otherPP)[0], "assessment": "fulfilled"}}),
				http.StatusUnprocessableEntity, "/promiseAssessments/0/promiseId"},
			{"an activity of another list", with(body, "activityStatuses", []any{obj{"activityId": id(act), "status": "completed"}, obj{"activityId": id(otherAct), "status": "completed"}}),
				http.StatusUnprocessableEntity, "/activityStatuses/1/activityId"},
			{"an activity of the agreement's action plan", with(body, "activityStatuses", []any{obj{"activityId": id(planAct), "status": "completed"}}),
				http.StatusUnprocessableEntity, "/activityStatuses/0/activityId"},
			{"a meeting of another municipality's forum", with(body, "meetingId", id(foreignMeeting)), http.StatusUnprocessableEntity, "/meetingId"},
			{"the same promise twice", with(body, "promiseAssessments", []any{obj{"promiseId": promiseIDs(pp)[0], "assessment": "fulfilled"},
				obj{"promiseId": promiseIDs(pp)[0], "assessment": "not_fulfilled"}}), http.StatusBadRequest, "/promiseAssessments/1/promiseId"},
			{"two subjects", with(body, "agreementId", id(ag)), http.StatusBadRequest, "/promisePeriodId"},
			{"covering backwards", with(body, "coversFrom", "2026-05-01"), http.StatusBadRequest, "/coversTo"},
			{"promises of an agreement", with(body, "promisePeriodId", nil, "agreementId", id(ag), "activityStatuses", nil), http.StatusBadRequest, "/promiseAssessments"},
		} {
			t.Run(c.name, func(t *testing.T) {
				a := a.on(t)
				a.post("/v1/follow-ups", w.strangnas, c.body).problem(c.status, c.pointer)
				a.put(path, w.strangnas, tag, c.body).problem(c.status, c.pointer)
			})
		}
		a.unchanged(t, before)

		// A follow-up of the agreement reports on its action plan.
		agFU, _ := a.post("/v1/follow-ups", w.strangnas, obj{"agreementId": id(ag), "kind": "yearly_summary", "title": "Sammanställning 2025",
			"activityStatuses": []any{obj{"activityId": id(planAct), "status": "completed"}}}).created()
		if agFU["agreementId"] != id(ag) || agFU["promisePeriodId"] != nil {
			t.Errorf("agreement follow-up %v", agFU)
		}
		items, _ := a.get("/v1/follow-ups?agreementId="+id(ag), w.strangnas).items()
		if got := ids(items); !slices.Equal(got, []string{id(agFU)}) {
			t.Errorf("follow-ups of the agreement %v", got)
		}
	})
}

func TestCurrentPromisesShowTheNewlyPublishedPeriodInForce(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag := a.signedAgreement(w.strangnas, agreementBody())
		children, traffic := areaIDs(ag)[0], areaIDs(ag)[1]
		// Last period, over by 2026.
		old := a.publishedPeriod(w.strangnas, with(periodBody(), "title", "Medborgarlöften 2024-2025", "startYear", 2024, "endYear", 2025))
		cur := a.get("/v1/municipalities/0486/promise-periods/current", "")
		var got struct {
			InForce       bool
			AsOf          string
			PromisePeriod obj
		}
		cur.want(http.StatusOK).JSON(&got)
		if got.InForce || id(got.PromisePeriod) != id(old) {
			t.Fatalf("before the new period: inForce %v, period %v", got.InForce, got.PromisePeriod["title"])
		}

		pp, _ := a.createPeriod(w.strangnas, with(periodBody(), "agreementId", id(ag)))
		a1, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": "Trygghetsvandringar", "priorityAreaIds": []any{children, traffic}}).created()
		a2, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": "Hastighetskontroller", "priorityAreaIds": []any{traffic}}).created()
		// Drafts are nobody's current promises.
		cur = a.get("/v1/municipalities/0486/promise-periods/current", "")
		cur.want(http.StatusOK).JSON(&got)
		if id(got.PromisePeriod) != id(old) {
			t.Fatalf("a draft became current: %v", got.PromisePeriod["title"])
		}

		a.post("/v1/promise-periods/"+id(pp)+"/transitions", w.strangnas, obj{"status": "published"}).want(http.StatusOK)
		fuBody := obj{"promisePeriodId": id(pp), "kind": "follow_up", "title": "Uppföljning våren 2026", "reportedOn": "2026-05-14"}
		spring, _ := a.post("/v1/follow-ups", w.strangnas, fuBody).created()
		a.post("/v1/follow-ups/"+id(spring)+"/transitions", w.strangnas, obj{"status": "published"}).want(http.StatusOK)
		autumn, _ := a.post("/v1/follow-ups", w.strangnas, with(fuBody, "title", "Uppföljning hösten 2026", "reportedOn", "2026-10-20")).created()
		a.post("/v1/follow-ups/"+id(autumn)+"/transitions", w.strangnas, obj{"status": "published"}).want(http.StatusOK)
		// A newer draft is not yet for the public.
		a.post("/v1/follow-ups", w.strangnas, with(fuBody, "title", "Utkast", "reportedOn", "2026-11-20")).want(http.StatusCreated)

		var full struct {
			InForce        bool   `json:"inForce"`
			AsOf           string `json:"asOf"`
			PromisePeriod  obj    `json:"promisePeriod"`
			PriorityAreas  []obj  `json:"priorityAreas"`
			Activities     []obj  `json:"activities"`
			LatestFollowUp obj    `json:"latestFollowUp"`
		}
		a.get("/v1/municipalities/0486/promise-periods/current", "").want(http.StatusOK).JSON(&full)
		if !full.InForce || full.AsOf != "2026-11-23" || id(full.PromisePeriod) != id(pp) || full.PromisePeriod["inForce"] != true {
			t.Fatalf("current: inForce %v as of %s, period %v", full.InForce, full.AsOf, full.PromisePeriod["title"])
		}
		if got := ids(full.Activities); !slices.Equal(got, []string{id(a1), id(a2)}) {
			t.Errorf("activities %v, want both in list order", got)
		}
		if got := ids(full.PriorityAreas); !slices.Equal(got, []string{children, traffic}) {
			t.Errorf("priority areas %v", got)
		}
		if full.LatestFollowUp == nil || id(full.LatestFollowUp) != id(autumn) {
			t.Errorf("latest follow-up %v, want the autumn one", full.LatestFollowUp["title"])
		}
		if len(full.PromisePeriod["promises"].([]any)) != 2 {
			t.Errorf("promises %v", full.PromisePeriod["promises"])
		}
	})
}

// strs reads a JSON array of strings.
func strs(v any) []string {
	raw, _ := v.([]any)
	out := make([]string, len(raw))
	for i, s := range raw {
		out[i] = s.(string)
	}
	return out
}

// fieldOf lists one string field of each item.
func fieldOf(items []obj, field string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i], _ = it[field].(string)
	}
	return out
}
