package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// History: every write is a revision with its actor, instant, operation and changed fields;
// records read as they stood at any instant; drafts' history is for the parties.

// revisions lists a record's revisions, newest first, as token sees them.
func (a *api) revisions(path, token string) []obj {
	a.t.Helper()
	items, _ := a.get(path+"/revisions", token).items()
	return items
}

func types(events []obj) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e["type"].(string)
	}
	return out
}

// change finds the patch operation of an event at path.
func change(t *testing.T, e obj, path string) obj {
	t.Helper()
	for _, c := range e["changes"].([]any) {
		if c.(obj)["path"] == path {
			return c.(obj)
		}
	}
	t.Fatalf("event %s changes nothing at %s: %v", e["type"], path, e["changes"])
	return nil
}

func TestEveryWriteOfAPromisePeriodIsARevisionWithItsActorAndChangedFields(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		a.signedAgreement(w.strangnas, agreementBody())
		pp, tag := a.createPeriod(w.strangnas, periodBody())
		path := "/v1/promise-periods/" + id(pp)
		body := with(periodBody(), "title", "Medborgarlöften 2026–2027 för Strängnäs, Mariefred och Åkers styckebruk")
		_, tag = a.put(path, w.strangnas, tag, body).ok()
		a.post(path+"/transitions", w.police, obj{"status": "published"}, header{"If-Match", tag}).want(http.StatusOK)

		revs := a.revisions(path, w.strangnas)
		if got := types(revs); !slices.Equal(got, []string{"promise_period.published", "promise_period.updated", "promise_period.created"}) {
			t.Fatalf("revisions newest first %v", got)
		}
		published, updated, created := revs[0], revs[1], revs[2]
		if updated["operation"] != "update" || published["operation"] != "transition" || created["operation"] != "create" {
			t.Errorf("operations %v %v %v", created["operation"], updated["operation"], published["operation"])
		}
		title := change(t, updated, "/title")
		if title["op"] != "replace" || title["value"] != body["title"] || title["previous"] != periodBody()["title"] {
			t.Errorf("title change %v", title)
		}
		if status := change(t, published, "/status"); status["value"] != "published" || status["previous"] != "draft" {
			t.Errorf("status change %v", status)
		}
		if len(created["changes"].([]any)) != 0 || created["data"].(obj)["title"] != periodBody()["title"] {
			t.Errorf("a creation carries the record in data, not as changes: %v", created)
		}
		actor := updated["actor"].(obj)
		org := actor["organization"].(obj)
		if actor["role"] != "editor" || org["type"] != "municipality" || org["id"] != "0486" || actor["name"] != "test editor 0486" {
			t.Errorf("the update's actor %v", actor)
		}
		if pub := published["actor"].(obj)["organization"].(obj); pub["type"] != "police_area" || pub["id"] != "lpo-eskilstuna" {
			t.Errorf("the police area published it, not %v", pub)
		}
		if _, ok := actor["tokenId"]; ok {
			t.Errorf("an editor is not shown token ids: %v", actor)
		}
		var seqs []float64
		for _, r := range revs {
			seqs = append(seqs, r["sequence"].(float64))
			if r["resource"].(obj)["href"] != path || r["resource"].(obj)["municipalityCode"] != "0486" {
				t.Errorf("resource %v", r["resource"])
			}
		}
		if !slices.IsSortedFunc(seqs, func(x, y float64) int { return int(y - x) }) {
			t.Errorf("sequences %v, want newest first", seqs)
		}
		if admin := a.revisions(path, w.admin)[1]["actor"].(obj); admin["tokenId"] == nil || admin["tokenId"] == "" {
			t.Errorf("admins see which token made a change: %v", admin)
		}
	})
}

func TestTheDraftHistoryIsForThePartiesAndThePublicSeesItFromPublication(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		a.signedAgreement(w.strangnas, agreementBody())
		pp, tag := a.createPeriod(w.strangnas, periodBody())
		path := "/v1/promise-periods/" + id(pp)
		act, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": "Trygghetsvandring i Mariefred"}).created()
		a.get(path+"/revisions", "").problem(http.StatusNotFound)
		a.get(path+"/revisions", w.vasteras).problem(http.StatusNotFound)
		a.get("/v1/activities/"+id(act)+"/revisions", "").problem(http.StatusNotFound)

		_, tag = a.put(path, w.strangnas, tag, with(periodBody(), "summary", "Utkast")).ok()
		a.post(path+"/transitions", w.strangnas, obj{"status": "published"}).want(http.StatusOK)

		public := a.revisions(path, "")
		if got := types(public); !slices.Equal(got, []string{"promise_period.published"}) {
			t.Errorf("the public sees %v, want only the publication", got)
		}
		if actor := public[0]["actor"].(obj); actor["name"] != nil || actor["organization"].(obj)["id"] != "0486" {
			t.Errorf("the public sees the organization, not the token's name: %v", actor)
		}
		if got := types(a.revisions(path, w.police)); len(got) != 3 {
			t.Errorf("the police area, a party, sees the whole history: %v", got)
		}
		// The activity became public with its list: that moment is in its history.
		if got := types(a.revisions("/v1/activities/"+id(act), "")); !slices.Equal(got, []string{"activity.published"}) {
			t.Errorf("the public history of the activity %v", got)
		}
	})
}

// An import that rewrites a draft list's activities and publishes the list in one go makes
// public the new text only: the draft's never reaches the public history, the feed or
// webhooks.
func TestAnImportThatPublishesADraftListShowsThePublicOnlyItsNewText(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		admin := a.token("admin", "")
		doc := func(status, agreementStatus, text string) obj {
			d := demoDoc(t)
			delete(d, "followUps")
			ag := d["agreements"].([]any)[0].(obj)
			ag["status"] = agreementStatus
			ag["actionPlan"] = []any{obj{"ref": "ap-utkast", "description": text + " (åtgärdsplan)"}}
			d["agreements"] = []any{ag}
			d["promisePeriods"] = []any{obj{"ref": "pp-utkast", "municipalityCode": "0486", "policeAreaId": "lpo-eskilstuna",
				"title": "Medborgarlöften 2030", "startYear": 2030, "endYear": 2030, "status": status,
				"promises":   []any{obj{"ref": "pp-utkast-1", "text": "Vi ska öka tryggheten i Mariefred."}},
				"activities": []any{obj{"ref": "act-utkast", "description": text}}}}
			return d
		}
		a.importDoc("/v1/imports", admin, doc("draft", "draft", "UTKAST: arbetsnamn som inte ska visas"))
		a.importDoc("/v1/imports", admin, doc("published", "signed", "Trygghetsvandring i Mariefred"))

		feed := a.get("/v1/events?after=0&limit=200", "").want(http.StatusOK)
		if !strings.Contains(string(feed.Body), "Trygghetsvandring i Mariefred") {
			t.Fatal("the published activities are not in the public feed")
		}
		if strings.Contains(string(feed.Body), "UTKAST") {
			t.Error("the public change feed carries a draft's text")
		}
		acts, _ := a.get("/v1/activities?municipality=0486&limit=200", "").items()
		for _, act := range acts {
			if rev := a.get("/v1/activities/"+act["id"].(string)+"/revisions", "").want(http.StatusOK); strings.Contains(string(rev.Body), "UTKAST") {
				t.Errorf("the public history of %q shows a draft's text", act["description"])
			}
		}
	})
}

// stateAt reads path as it stood at an instant.
func (a *api) stateAt(path, token string, at string) *response {
	a.t.Helper()
	return a.get(path+"?asOf="+url.QueryEscape(at), token)
}

func TestAsOfShowsThePeriodWithItsActivitiesExactlyAsTheyStood(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		a.signedAgreement(w.strangnas, agreementBody())
		pp, _ := a.createPeriod(w.strangnas, periodBody())
		path := "/v1/promise-periods/" + id(pp)
		walk, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": "Trygghetsvandring i Mariefred", "status": "planned"}).created()
		drop, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": "Utkast som stryks"}).created()
		a.delete("/v1/activities/"+id(drop), w.strangnas, quoted(drop["version"])).want(http.StatusNoContent)
		published, _ := a.post(path+"/transitions", w.strangnas, obj{"status": "published"}).ok()
		atPublication := latestInstant(a, w.admin)
		done, _ := a.put("/v1/activities/"+id(walk), w.strangnas, `"1"`, obj{"promisePeriodId": id(pp),
			"description": "Trygghetsvandring i Mariefred", "status": "completed"}).ok()
		afterwards := latestInstant(a, w.admin)

		then, tag := a.stateAt(path, "", atPublication).ok()
		if then["status"] != "published" || then["version"] != published["version"] || tag == "" {
			t.Errorf("the period at its publication %v", then)
		}
		acts := then["activities"].([]any)
		if len(acts) != 1 || acts[0].(obj)["id"] != id(walk) || acts[0].(obj)["status"] != "planned" {
			t.Errorf("the activity list at publication %v: the deleted draft activity is gone, the walk still planned", acts)
		}
		now, _ := a.stateAt(path, "", afterwards).ok()
		if got := now["activities"].([]any)[0].(obj); got["status"] != "completed" || got["version"] != done["version"] {
			t.Errorf("the activity list after the walk %v", got)
		}
		if current, _ := a.get(path, "").ok(); current["activities"] != nil {
			t.Errorf("an ordinary GET carries no activities: %v", current["activities"])
		}
		old, _ := a.stateAt("/v1/activities/"+id(walk), "", atPublication).ok()
		if old["status"] != "planned" {
			t.Errorf("the activity at publication %v", old)
		}

		before := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
		a.stateAt(path, w.strangnas, before).problem(http.StatusNotFound)
		draftDays := revisionInstant(a, path, w.strangnas, "promise_period.created")
		a.stateAt(path, "", draftDays).problem(http.StatusNotFound)
		if draft, _ := a.stateAt(path, w.strangnas, draftDays).ok(); draft["status"] != "draft" || len(draft["activities"].([]any)) != 0 {
			t.Errorf("the party sees its draft as it was: %v", draft)
		}
		a.stateAt(path, "", "not-a-time").problem(http.StatusBadRequest, "asOf")
		// The first instant there is exists, and the period did not exist then.
		a.stateAt(path, w.strangnas, "0001-01-01T00:00:00Z").problem(http.StatusNotFound)
		// Instants Go cannot read, or outside the years both databases compare alike, name
		// the parameter; so do other instant filters.
		a.stateAt(path, "", "2026-11-24T11:39:60Z").problem(http.StatusBadRequest, "asOf")
		a.stateAt(path, "", "9999-12-31T23:59:59-10:00").problem(http.StatusBadRequest, "asOf")
		a.get("/v1/activities?updatedSince="+url.QueryEscape("9999-12-31T23:00:00-05:00"), "").problem(http.StatusBadRequest, "updatedSince")
	})
}

// latestInstant is the commit instant of the newest change in the system.
func latestInstant(a *api, admin string) string {
	a.t.Helper()
	events, _ := a.get("/v1/audit?limit=1", admin).items()
	return events[0]["occurredAt"].(string)
}

// revisionInstant is when a record's revision of a type was committed.
func revisionInstant(a *api, path, token, eventType string) string {
	a.t.Helper()
	for _, r := range a.revisions(path, token) {
		if r["type"] == eventType {
			return r["occurredAt"].(string)
		}
	}
	a.t.Fatalf("%s has no %s revision", path, eventType)
	return ""
}

func TestADeletedRecordKeepsItsHistoryWithItsLastState(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		pp, _ := a.createPeriod(w.strangnas, periodBody())
		act, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": "Föreläsning om grannsamverkan"}).created()
		path := "/v1/activities/" + id(act)
		alive := latestInstant(a, w.admin)
		a.delete(path, w.strangnas, quoted(act["version"])).want(http.StatusNoContent)
		a.get(path, w.strangnas).problem(http.StatusNotFound)

		revs := a.revisions(path, w.strangnas)
		if got := types(revs); !slices.Equal(got, []string{"activity.deleted", "activity.created"}) {
			t.Fatalf("history of a deleted activity %v", got)
		}
		if data := revs[0]["data"].(obj); data["description"] != "Föreläsning om grannsamverkan" {
			t.Errorf("the tombstone keeps the record as it was: %v", data)
		}
		if got, _ := a.stateAt(path, w.strangnas, alive).ok(); got["description"] != "Föreläsning om grannsamverkan" {
			t.Errorf("before its deletion %v", got)
		}
		a.stateAt(path, w.strangnas, latestInstant(a, w.admin)).problem(http.StatusNotFound)
	})
}

func TestTheAuditTrailIsForAdminsAndFiltersByOrganizationKindAndTime(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		start := time.Now().UTC().Format(time.RFC3339Nano)
		pp, _ := a.createPeriod(w.strangnas, periodBody())
		a.post("/v1/forums", w.police, obj{"municipalityCode": "0484", "policeAreaId": "lpo-eskilstuna", "code": "EST", "name": "Effektiv samordning för trygghet"}).want(http.StatusCreated)

		a.get("/v1/audit", "").problem(http.StatusUnauthorized)
		a.get("/v1/audit", w.strangnas).problem(http.StatusForbidden)
		byStrangnas, _ := a.get("/v1/audit?actorMunicipality=0486", w.admin).items()
		if got := types(byStrangnas); !slices.Equal(got, []string{"promise_period.created"}) || byStrangnas[0]["resource"].(obj)["id"] != id(pp) {
			t.Errorf("writes by Strängnäs %v", got)
		}
		if forums, _ := a.get("/v1/audit?kind=forum&actorPoliceArea=lpo-eskilstuna", w.admin).items(); len(forums) != 1 {
			t.Errorf("forum writes by the police area %v", types(forums))
		}
		all, _ := a.get("/v1/audit?since="+url.QueryEscape(start), w.admin).items()
		if got := types(all); !slices.Equal(got, []string{"forum.created", "promise_period.created"}) {
			t.Errorf("writes since the start %v", got)
		}
		older, _ := a.get("/v1/audit?until="+url.QueryEscape(start), w.admin).items()
		if len(older) == 0 || slices.Contains(types(older), "forum.created") {
			t.Errorf("writes before the start %v", types(older))
		}
		page1, next := a.get("/v1/audit?limit=2", w.admin).items()
		page2, _ := a.get("/v1/audit?limit=2&cursor="+next, w.admin).items()
		if len(page1) != 2 || len(page2) != 2 || page2[0]["sequence"].(float64) >= page1[1]["sequence"].(float64) {
			t.Errorf("pages of the audit trail %v %v", page1, page2)
		}
		a.get("/v1/audit?actorMunicipality=0486&actorPoliceArea=lpo-eskilstuna", w.admin).problem(http.StatusBadRequest, "actorPoliceArea")
	})
}

// The change feed, applied in order from the start, mirrors every public record exactly.
func TestTheChangeFeedMirrorsThePublicData(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		w := a.world2()
		pp, _ := a.createPeriod(w.strangnas, with(periodBody(), "startYear", 2027, "endYear", 2028, "agreementId", nil))
		act, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": "Trygghetsvandring i Åkers styckebruk"}).created()
		a.post("/v1/promise-periods/"+id(pp)+"/transitions", w.strangnas, obj{"status": "published"}).want(http.StatusOK)
		a.put("/v1/activities/"+id(act), w.strangnas, `"1"`, obj{"promisePeriodId": id(pp), "description": "Trygghetsvandring i Åkers styckebruk", "status": "ongoing"}).want(http.StatusOK)
		forum, _ := a.post("/v1/forums", w.strangnas, obj{"municipalityCode": "0486", "code": "TMP", "name": "Tillfälligt forum"}).created()
		a.delete("/v1/forums/"+id(forum), w.strangnas, quoted(forum["version"])).want(http.StatusNoContent)
		a.createPeriod(w.strangnas, with(periodBody(), "title", "Ett utkast som ingen annan ser", "startYear", 2029, "endYear", 2029))

		mirror := map[string]json.RawMessage{}
		cursor, pages := "0", 0
		for {
			var feed struct {
				Items []struct {
					Type     string `json:"type"`
					Resource struct{ Type, ID, Href string }
					Data     json.RawMessage `json:"data"`
					Public   bool            `json:"public"`
				} `json:"items"`
				NextCursor string `json:"nextCursor"`
				HasMore    bool   `json:"hasMore"`
			}
			a.get("/v1/events?limit=25&after="+cursor, "").want(http.StatusOK).JSON(&feed)
			pages++
			for _, e := range feed.Items {
				if !e.Public {
					t.Fatalf("the public feed carries a draft's event %s", e.Type)
				}
				if len(e.Type) > 8 && e.Type[len(e.Type)-8:] == ".deleted" {
					delete(mirror, e.Resource.Href)
					continue
				}
				mirror[e.Resource.Href] = e.Data
			}
			if !feed.HasMore {
				if empty, _ := a.get("/v1/events?after="+feed.NextCursor, "").ok(); empty["nextCursor"] != feed.NextCursor || len(empty["items"].([]any)) != 0 {
					t.Errorf("an empty page keeps the cursor: %v", empty)
				}
				a.get("/v1/events?after=999999999", "").problem(http.StatusConflict, "after")
				a.get("/v1/events?after=3.00000000", "").problem(http.StatusConflict, "after") // another database's
				a.get("/v1/events?after=12abc", "").problem(http.StatusBadRequest, "after")
				// A feed of forums alone moves its cursor to the end, past the changes it
				// does not carry, rather than reading them again next time.
				forums, _ := a.get("/v1/events?kind=forum&after=0", "").ok()
				if forums["nextCursor"] != feed.NextCursor {
					t.Errorf("a drained filtered feed's cursor %v, want the end %s", forums["nextCursor"], feed.NextCursor)
				}
				break
			}
			cursor = feed.NextCursor
		}
		if pages < 2 {
			t.Errorf("the feed came in %d page(s); the test wants several", pages)
		}
		if _, ok := mirror["/v1/forums/"+id(forum)]; ok {
			t.Error("the deleted forum is still in the mirror")
		}
		// Every public record is in the mirror as GET shows it, and nothing else is.
		public := 0
		for _, list := range []string{"/v1/municipalities", "/v1/police-areas", "/v1/agreements", "/v1/promise-periods", "/v1/activities", "/v1/forums", "/v1/follow-ups"} {
			for _, item := range a.allItems(list) {
				public++
				href := list + "/" + itemKey(item)
				data, ok := mirror[href]
				if !ok {
					t.Errorf("%s is public but not in the mirror", href)
					continue
				}
				var got obj
				if err := json.Unmarshal(data, &got); err != nil {
					t.Fatal(err)
				}
				delete(item, "phase")
				delete(item, "inForce")
				if !jsonEqual(got, item) {
					t.Errorf("%s in the mirror:\n%v\nGET:\n%v", href, got, item)
				}
			}
		}
		meetings := 0
		for href := range mirror {
			if len(href) > 13 && href[:13] == "/v1/meetings/" {
				meetings++
			}
		}
		if len(mirror) != public+meetings {
			t.Errorf("the mirror holds %d records, the public lists %d (and %d meetings)", len(mirror), public, meetings)
		}
	})
}

// world2 is the token cast on a server where the demo data already holds the parties.
func (a *api) world2() *world {
	a.t.Helper()
	return &world{admin: a.token("admin", ""), strangnas: a.token("editor", "0486"), eskilstuna: a.token("editor", "0484"),
		police: a.token("editor", "police:lpo-eskilstuna")}
}

// allItems reads every page of a list anonymously.
func (a *api) allItems(list string) []obj {
	a.t.Helper()
	var out []obj
	cursor := ""
	for {
		items, next := a.get(list+"?limit=200&cursor="+cursor, "").items()
		out = append(out, items...)
		if next == "" {
			return out
		}
		cursor = next
	}
}

func jsonEqual(x, y any) bool {
	a, err1 := json.Marshal(x)
	b, err2 := json.Marshal(y)
	return err1 == nil && err2 == nil && string(a) == string(b)
}
