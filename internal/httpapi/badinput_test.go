package httpapi_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/httpapi"
)

// Bad input is refused with a 4xx problem that names the offending field, never a 500, and a
// refused write leaves the stored data exactly as it was.

// unknownID is a well-formed id that names nothing.
const unknownID = "01936f3c-7a2b-7c3d-8e4f-5a6b7c8d9e0f"

// census is every list as the admin reads it, to prove that a refused write created nothing.
func (a *api) census(admin string) string {
	a.t.Helper()
	var b strings.Builder
	for _, list := range []string{"/v1/police-areas", "/v1/municipalities", "/v1/forums", "/v1/agreements", "/v1/promise-periods",
		"/v1/activities", "/v1/follow-ups"} {
		b.Write(a.get(list+"?limit=200", admin).want(http.StatusOK).Body)
		b.WriteByte('\n')
	}
	return b.String()
}

// unchangedCensus fails the test if any list changed.
func (a *api) unchangedCensus(t *testing.T, admin, before string) {
	t.Helper()
	if after := a.census(admin); after != before {
		t.Fatalf("a refused write changed the stored data:\nbefore %s\nafter  %s", before, after)
	}
}

// badInputWorld is a world with one resource of each kind to aim bad writes at.
type badInputWorld struct {
	*world
	agreement, period, activity, followUp, forum obj
}

func (a *api) badInputWorld() *badInputWorld {
	a.t.Helper()
	w := &badInputWorld{world: a.world()}
	w.agreement, _ = a.createAgreement(w.strangnas, agreementBody())
	w.period, _ = a.createPeriod(w.strangnas, with(periodBody(), "agreementId", id(w.agreement)))
	w.activity, _ = a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(w.period), "description": "Trygghetsvandring",
		"priorityAreaIds": []any{areaIDs(w.agreement)[0]}, "promiseIds": []any{promiseIDs(w.period)[0]}}).created()
	w.followUp, _ = a.post("/v1/follow-ups", w.strangnas, obj{"promisePeriodId": id(w.period), "kind": "follow_up", "title": "Uppföljning"}).created()
	w.forum, _ = a.post("/v1/forums", w.strangnas, obj{"municipalityCode": "0486", "code": "EST", "name": "Effektiv samordning för trygghet"}).created()
	return w
}

func TestMalformedBodiesAreRefusedWithoutServerErrorsOrChanges(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.badInputWorld()
		before := a.census(w.admin)
		targets := []struct{ method, path string }{
			{http.MethodPost, "/v1/agreements"},
			{http.MethodPut, "/v1/agreements/" + id(w.agreement)},
			{http.MethodPost, "/v1/agreements/" + id(w.agreement) + "/transitions"},
			{http.MethodPost, "/v1/promise-periods"},
			{http.MethodPut, "/v1/promise-periods/" + id(w.period)},
			{http.MethodPost, "/v1/promise-periods/" + id(w.period) + "/transitions"},
			{http.MethodPost, "/v1/activities"},
			{http.MethodPut, "/v1/activities/" + id(w.activity)},
			{http.MethodPost, "/v1/follow-ups"},
			{http.MethodPut, "/v1/follow-ups/" + id(w.followUp)},
			{http.MethodPost, "/v1/forums"},
			{http.MethodPut, "/v1/forums/" + id(w.forum)},
			{http.MethodPost, "/v1/forums/" + id(w.forum) + "/meetings"},
			{http.MethodPost, "/v1/municipalities"},
			{http.MethodPut, "/v1/municipalities/0486"},
			{http.MethodPost, "/v1/police-areas"},
			{http.MethodPut, "/v1/police-areas/lpo-eskilstuna"},
			{http.MethodPost, "/v1/imports"},
		}
		bodies := map[string]string{
			"truncated object": `{"title": "Samverkan`,
			"trailing garbage": `{"title": "x"} {"title": "y"}`,
			"single quotes":    `{'title': 'x'}`,
			"trailing comma":   `{"title": "x",}`,
			"array":            `[]`,
			"null":             `null`,
			"string":           `"Strängnäs"`,
			"number":           `486`,
			"empty":            ``,
			"only whitespace":  "  \n\t ",
			"unknown field":    `{"bogus": true}`,
			// Rendering schema errors with their values once made this cost seconds per request.
			"deep nesting":      strings.Repeat(`{"a":`, 9000) + `1` + strings.Repeat(`}`, 9000),
			"duplicated fields": `{"title": "a", "title": "b"}`,
		}
		for _, tg := range targets {
			for name, body := range bodies {
				res := a.do(tg.method, tg.path, w.admin, body, header{"If-Match", "*"})
				if res.Status < 400 || res.Status >= 500 {
					t.Errorf("%s %s with %s: %d, want a 4xx problem: %s", tg.method, tg.path, name, res.Status, res.Body)
					continue
				}
				res.problem(res.Status)
			}
		}
		a.unchangedCensus(t, w.admin, before)
	})
}

func TestFieldsThatBreakTheContractAreNamedByPointer(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.badInputWorld()
		agPath := "/v1/agreements/" + id(w.agreement)
		agBefore := a.snapshot(agPath, w.strangnas)
		before := a.census(w.admin)
		for _, c := range []struct {
			name    string
			path    string // POST when it is a list, PUT otherwise
			body    obj
			pointer string
		}{
			{"year as a string", "/v1/promise-periods", with(periodBody(), "startYear", "2026"), "/startYear"},
			{"year as a fraction", "/v1/promise-periods", with(periodBody(), "endYear", 2026.5), "/endYear"},
			{"year out of range", "/v1/promise-periods", with(periodBody(), "startYear", 1066), "/startYear"},
			{"date as a number", "/v1/agreements", with(agreementBody(), "validTo", 20261231), "/validTo"},
			{"list as an object", "/v1/agreements", with(agreementBody(), "priorityAreas", obj{"title": "x"}), "/priorityAreas"},
			{"text as a list", "/v1/agreements", with(agreementBody(), "title", []any{"x"}), "/title"},
			{"missing title", "/v1/agreements", with(agreementBody(), "title", nil), "/title"},
			{"missing year", "/v1/promise-periods", with(periodBody(), "startYear", nil), "/startYear"},
			{"missing nested field", "/v1/agreements", with(agreementBody(), "signatories", []any{obj{"name": "Jacob Högfeldt", "role": "KSO"}}), "/signatories/0/party"},
			{"empty title", "/v1/agreements", with(agreementBody(), "title", ""), "/title"},
			{"title too long", "/v1/agreements", with(agreementBody(), "title", strings.Repeat("å", 501)), "/title"},
			{"unknown field", "/v1/agreements", with(agreementBody(), "bogus", 1), "/bogus"},
			{"status is not input", "/v1/agreements", with(agreementBody(), "status", "signed"), "/status"},
			{"unknown nested field", "/v1/agreements", with(agreementBody(), "priorityAreas", []any{obj{"title": "x", "colour": "blå"}}), "/priorityAreas/0/colour"},
			{"unknown field with a slash", "/v1/agreements", with(agreementBody(), "a/b", 1), "/a~1b"},
			{"invalid enum", "/v1/agreements", with(agreementBody(), "signatories", []any{obj{"name": "Jacob Högfeldt", "role": "KSO", "party": "mayor"}}), "/signatories/0/party"},
			{"invalid activity status", "/v1/activities", obj{"promisePeriodId": id(w.period), "description": "x", "status": "done"}, "/status"},
			{"impossible date", "/v1/agreements", with(agreementBody(), "validFrom", "2026-02-30"), "/validFrom"},
			{"month 13", "/v1/agreements", with(agreementBody(), "validTo", "2026-13-01"), "/validTo"},
			{"Swedish date format", "/v1/agreements", with(agreementBody(), "signedOn", "21/6 2023"), "/signedOn"},
			{"date-time for a date", "/v1/agreements", with(agreementBody(), "validFrom", "2023-06-21T00:00:00Z"), "/validFrom"},
			{"malformed id in body", "/v1/activities", obj{"promisePeriodId": "pp-1", "description": "x"}, "/promisePeriodId"},
			{"malformed municipality code", "/v1/agreements", with(agreementBody(), "municipalityCode", "486"), "/municipalityCode"},
			{"document url not http", "/v1/agreements", with(agreementBody(), "documents", []any{obj{"title": "PDF", "url": "javascript:alert(1)"}}), "/documents/0/url"},
			{"duplicate forum ids", "/v1/agreements", with(agreementBody(), "forumIds", []any{id(w.forum), id(w.forum)}), "/forumIds"},
			{"end before start", "/v1/promise-periods", with(periodBody(), "startYear", 2027, "endYear", 2026), "/endYear"},
			{"validTo before validFrom", "/v1/agreements", with(agreementBody(), "validFrom", "2026-01-01", "validTo", "2025-12-31"), "/validTo"},
			{"invalid transition target", agPath + "/transitions", obj{"status": "in_force"}, "/status"},
			{"bad field on update", agPath, with(agreementBody(), "validTo", "snart"), "/validTo"},
		} {
			t.Run(c.name, func(t *testing.T) {
				a := a.on(t)
				res := a.post(c.path, w.strangnas, c.body)
				if c.path == agPath {
					res = a.put(c.path, w.strangnas, "*", c.body)
				}
				res.problem(http.StatusBadRequest, c.pointer)
			})
		}
		a.unchanged(t, agBefore)
		a.unchangedCensus(t, w.admin, before)
	})
}

func TestReferencesToUnknownRecordsAreUnprocessableNamingThePointer(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.badInputWorld()
		before := a.census(w.admin)
		// Another agreement's priority area is as unknown to this list as a random id.
		other, _ := a.createAgreement(w.strangnas, agreementBody())
		before = a.census(w.admin)
		for _, c := range []struct {
			name    string
			path    string
			body    obj
			pointer string
		}{
			{"unknown municipality", "/v1/agreements", with(agreementBody(), "municipalityCode", "0999"), "/municipalityCode"},
			{"unknown police area", "/v1/agreements", with(agreementBody(), "policeAreaId", "lpo-okand"), "/policeAreaId"},
			{"unknown forum", "/v1/agreements", with(agreementBody(), "forumIds", []any{unknownID}), "/forumIds/0"},
			{"unknown replaced agreement", "/v1/agreements", with(agreementBody(), "replacesAgreementId", unknownID), "/replacesAgreementId"},
			{"priority area id on a new agreement", "/v1/agreements", with(agreementBody(), "priorityAreas", []any{obj{"id": unknownID, "title": "x"}}), "/priorityAreas/0/id"},
			{"unknown agreement of a period", "/v1/promise-periods", with(periodBody(), "agreementId", unknownID), "/agreementId"},
			{"unknown list of an activity", "/v1/activities", obj{"agreementId": unknownID, "description": "x"}, "/agreementId"},
			{"unknown priority area", "/v1/activities", obj{"promisePeriodId": id(w.period), "description": "x", "priorityAreaIds": []any{unknownID}}, "/priorityAreaIds/0"},
			{"another agreement's priority area", "/v1/activities", obj{"promisePeriodId": id(w.period), "description": "x",
				"priorityAreaIds": []any{areaIDs(w.agreement)[0], areaIDs(other)[0]}}, "/priorityAreaIds/1"},
			{"unknown promise", "/v1/activities", obj{"promisePeriodId": id(w.period), "description": "x", "promiseIds": []any{unknownID}}, "/promiseIds/0"},
			{"unknown period of a follow-up", "/v1/follow-ups", obj{"promisePeriodId": unknownID, "kind": "follow_up", "title": "x"}, "/promisePeriodId"},
			{"unknown agreement of a follow-up", "/v1/follow-ups", obj{"agreementId": unknownID, "kind": "follow_up", "title": "x"}, "/agreementId"},
			{"unknown meeting", "/v1/follow-ups", obj{"promisePeriodId": id(w.period), "kind": "follow_up", "title": "x", "meetingId": unknownID}, "/meetingId"},
			{"unknown assessed promise", "/v1/follow-ups", obj{"promisePeriodId": id(w.period), "kind": "follow_up", "title": "x",
				"promiseAssessments": []any{obj{"promiseId": unknownID, "assessment": "fulfilled"}}}, "/promiseAssessments/0/promiseId"},
			{"unknown reported activity", "/v1/follow-ups", obj{"promisePeriodId": id(w.period), "kind": "follow_up", "title": "x",
				"activityStatuses": []any{obj{"activityId": unknownID, "status": "completed"}}}, "/activityStatuses/0/activityId"},
			{"unknown police area of a municipality", "/v1/municipalities", obj{"code": "0488", "name": "Trosa kommun", "policeAreaId": "lpo-okand"}, "/policeAreaId"},
			{"unknown municipality of a forum", "/v1/forums", obj{"municipalityCode": "0999", "code": "EST", "name": "EST"}, "/municipalityCode"},
		} {
			t.Run(c.name, func(t *testing.T) {
				a.on(t).post(c.path, w.admin, c.body).problem(http.StatusUnprocessableEntity, c.pointer)
			})
		}
		a.unchangedCensus(t, w.admin, before)
	})
}

func TestUnknownIdsInThePathAreNotFound(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		for _, kind := range []string{"agreements", "promise-periods", "activities", "follow-ups", "forums", "meetings"} {
			path := "/v1/" + kind + "/" + unknownID
			a.get(path, w.admin).problem(http.StatusNotFound)
			a.delete(path, w.admin, `"1"`).problem(http.StatusNotFound)
		}
		a.put("/v1/agreements/"+unknownID, w.admin, `"1"`, agreementBody()).problem(http.StatusNotFound)
		a.put("/v1/promise-periods/"+unknownID, w.admin, `"1"`, periodBody()).problem(http.StatusNotFound)
		a.put("/v1/meetings/"+unknownID, w.admin, `"1"`, obj{"heldOn": "2026-05-14"}).problem(http.StatusNotFound)
		a.post("/v1/agreements/"+unknownID+"/transitions", w.admin, obj{"status": "signed"}).problem(http.StatusNotFound)
		a.post("/v1/promise-periods/"+unknownID+"/transitions", w.admin, obj{"status": "published"}).problem(http.StatusNotFound)
		a.post("/v1/follow-ups/"+unknownID+"/transitions", w.admin, obj{"status": "published"}).problem(http.StatusNotFound)
		a.get("/v1/forums/"+unknownID+"/meetings", "").problem(http.StatusNotFound)
		a.post("/v1/forums/"+unknownID+"/meetings", w.admin, obj{"heldOn": "2026-05-14"}).problem(http.StatusNotFound)
		a.get("/v1/municipalities/0999", "").problem(http.StatusNotFound)
		a.put("/v1/municipalities/0999", w.admin, `"1"`, obj{"code": "0999", "name": "Okänd"}).problem(http.StatusNotFound)
		a.get("/v1/police-areas/lpo-okand", "").problem(http.StatusNotFound)
		a.put("/v1/police-areas/lpo-okand", w.admin, `"1"`, obj{"id": "lpo-okand", "name": "Okänd"}).problem(http.StatusNotFound)
	})
}

func TestMalformedPathParametersAreBadRequests(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		for _, bad := range []string{"not-a-uuid", "01936f3c", "01936f3c-7a2b-7c3d-8e4f-5a6b7c8d9e0fz", "%27%3B%20DROP%20TABLE%20agreements%3B--"} {
			for _, kind := range []string{"agreements", "promise-periods", "activities", "follow-ups", "forums", "meetings"} {
				a.get("/v1/"+kind+"/"+bad, w.admin).problem(http.StatusBadRequest, "id")
			}
			a.put("/v1/agreements/"+bad, w.admin, `"1"`, agreementBody()).problem(http.StatusBadRequest, "id")
			a.delete("/v1/promise-periods/"+bad, w.admin, `"1"`).problem(http.StatusBadRequest, "id")
		}
		a.get("/v1/municipalities/486", "").problem(http.StatusBadRequest, "code")
		a.get("/v1/municipalities/04860", "").problem(http.StatusBadRequest, "code")
		a.get("/v1/police-areas/LPO_Eskilstuna", "").problem(http.StatusBadRequest, "policeAreaId")
	})
}

func TestBodiesOverOneMebibyteAreTooLarge(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		before := a.census(w.admin)
		// A valid municipality padded with whitespace to exactly n bytes.
		padded := func(n int) []byte {
			b := []byte(`{"code": "0488", "name": "Trosa kommun"}`)
			return append(b, bytes.Repeat([]byte(" "), n-len(b))...)
		}
		tooLarge := padded(httpapi.MaxBodyBytes + 1)
		p := a.post("/v1/municipalities", w.admin, tooLarge).problem(http.StatusRequestEntityTooLarge)
		if !strings.Contains(p["detail"].(string), "1 MiB") {
			t.Errorf("the problem does not state the limit: %v", p)
		}
		// Without Content-Length the server finds out by reading, and still refuses.
		a.post("/v1/municipalities", w.admin, io.MultiReader(bytes.NewReader(tooLarge))).problem(http.StatusRequestEntityTooLarge)
		// Imports, whole files, have a limit of their own, and it holds the same way.
		item := `{"id": "lpo-x", "name": "x"},`
		a.post("/v1/imports", w.admin, io.MultiReader(strings.NewReader(`{"policeAreas": [`), strings.NewReader(strings.Repeat(item, httpapi.MaxImportBytes/len(item)+1)),
			strings.NewReader(`{"id": "lpo-y", "name": "y"}]}`))).problem(http.StatusRequestEntityTooLarge)
		a.unchangedCensus(t, w.admin, before)

		// The limit itself is allowed.
		a.post("/v1/municipalities", w.admin, io.MultiReader(bytes.NewReader(padded(httpapi.MaxBodyBytes)))).want(http.StatusCreated)
	})
}

func TestTextMustBeValidUTF8WithoutControlCharacters(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag, tag := a.createAgreement(w.strangnas, agreementBody())
		path := "/v1/agreements/" + id(ag)
		before := a.snapshot(path, w.strangnas)
		census := a.census(w.admin)

		// Latin-1 bytes where UTF-8 belongs: the decoder would otherwise turn them into U+FFFD.
		latin1 := []byte("{\"code\": \"0488\", \"name\": \"Tr\xf6sa kommun\"}")
		a.post("/v1/municipalities", w.admin, latin1).problem(http.StatusBadRequest)
		a.put(path, w.strangnas, tag, []byte(`{"municipalityCode": "0486", "policeAreaId": "lpo-eskilstuna", "title": "Str`+"\xe4"+`ngn`+"\xe4"+`s", "validFrom": "2023-06-21", "validTo": "2026-12-31"}`)).problem(http.StatusBadRequest)
		a.post("/v1/agreements", w.strangnas, []byte("{\"title\": \"\xed\xa0\x80\"}")).problem(http.StatusBadRequest) // an encoded surrogate

		for _, c := range []struct {
			name, raw, pointer string
		}{
			{"NUL", `\u0000`, "/title"},
			{"escape", `\u001b[31m`, "/title"},
			{"bell", `\u0007`, "/title"},
			{"DEL", `\u007f`, "/title"},
			{"lone surrogate", `\ud800`, "/title"},
		} {
			body := `{"municipalityCode": "0486", "policeAreaId": "lpo-eskilstuna", "title": "Samverkan` + c.raw + `", "validFrom": "2023-06-21", "validTo": "2026-12-31"}`
			a.post("/v1/agreements", w.strangnas, body).problem(http.StatusBadRequest, c.pointer)
			a.put(path, w.strangnas, tag, body).problem(http.StatusBadRequest, c.pointer)
		}
		// Deep in the document, the pointer leads to the very string.
		nested := with(agreementBody(), "priorityAreas", []any{obj{"title": "Trafik"}, obj{"title": "Barn\x00 och unga"}})
		a.post("/v1/agreements", w.strangnas, nested).problem(http.StatusBadRequest, "/priorityAreas/1/title")
		a.post("/v1/agreements", w.strangnas, with(agreementBody(), "dataSources", []any{"BRÅ", "Polisens\x01statistik"})).problem(http.StatusBadRequest, "/dataSources/1")
		// A raw control byte inside a string is not even JSON.
		a.post("/v1/agreements", w.strangnas, "{\"title\": \"a\x01b\"}").problem(http.StatusBadRequest)
		a.unchanged(t, before)
		a.unchangedCensus(t, w.admin, census)

		// Tabs and line breaks are text.
		ok, _ := a.put(path, w.strangnas, tag, keepAreas(with(agreementBody(), "goal", "Rad ett\r\nRad två\n\tIndraget"), ag)).ok()
		if ok["goal"] != "Rad ett\r\nRad två\n\tIndraget" {
			t.Errorf("goal came back as %q", ok["goal"])
		}
	})
}

func TestHostileButValidTextIsStoredAndReturnedByteForByte(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		swedish := runes(strings.Repeat("Brottsförebyggande arbete i Strängnäs, Mariefred och Åkers styckebruk: "+
			"ökad trygghet, färre skadegörelser, äldre och yngre i samverkan. ", 150), 19990)
		texts := map[string]string{
			"sql":        `'; DROP TABLE agreements;--`,
			"sql quotes": `Robert'); DELETE FROM promises WHERE ('1'='1`,
			"script":     `<script>alert("x")</script><img src=x onerror=alert(1)>`,
			"swedish":    swedish,
			"emoji":      "Trygghet 👮‍♀️🏘️🇸🇪 och 🤝 ✅",
			"combining":  "Stra\u030angna\u0308s", // decomposed å and ä must not be normalised
			"rtl":        "\u202eSTRÄNGNÄS\u202c مدينة",
			"backslash":  `C:\temp\"quoted"\n not a newline`,
			"percent":    `100% %s %d %% ${jndi:ldap://x} {{7*7}}`,
			"zero width": "Sam\u200bverkan\ufeff",
		}
		for name, text := range texts {
			t.Run(name, func(t *testing.T) {
				a := a.on(t)
				short := runes(text, 500) // titles and list entries are short texts
				body := with(agreementBody(), "title", short, "goal", text, "dataSources", []any{short},
					"priorityAreas", []any{obj{"title": short, "description": text}})
				created, _ := a.createAgreement(w.strangnas, body)
				got, _ := a.get("/v1/agreements/"+id(created), w.strangnas).ok()
				area := got["priorityAreas"].([]any)[0].(obj)
				for _, c := range []struct {
					field     string
					got, want any
				}{
					{"title", got["title"], short}, {"goal", got["goal"], text}, {"data source", got["dataSources"].([]any)[0], short},
					{"priority area title", area["title"], short}, {"priority area description", area["description"], text},
				} {
					if c.got != c.want {
						t.Errorf("%s came back as %q, want %q", c.field, c.got, c.want)
					}
				}
			})
		}
		// The SQL-ish text hurt no table: everything is still there.
		items, _ := a.get("/v1/agreements?limit=200", w.strangnas).items()
		if len(items) != len(texts) {
			t.Errorf("%d agreements, want %d", len(items), len(texts))
		}
		forums, _ := a.get("/v1/forums?code="+url.QueryEscape(`'; DROP TABLE x;--`), "").items()
		if len(forums) != 0 {
			t.Errorf("a hostile filter matched %d forums", len(forums))
		}
	})
}

func TestBodiesThatAreNotJSONAreUnsupportedMediaTypes(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		before := a.census(w.admin)
		body := `{"code": "0488", "name": "Trosa kommun"}`
		for _, ct := range []string{"text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/json",
			"application/json; charset=iso-8859-1"} { // read as UTF-8, its å ä ö would be stored wrong
			a.post("/v1/municipalities", w.admin, body, header{"Content-Type", ct}).problem(http.StatusUnsupportedMediaType)
			a.do(http.MethodPut, "/v1/municipalities/0486", w.admin, body, header{"Content-Type", ct}, header{"If-Match", "*"}).problem(http.StatusUnsupportedMediaType)
		}
		a.post("/v1/agreements/"+unknownID+"/transitions", w.admin, `{"status": "signed"}`, header{"Content-Type", "text/plain"}).problem(http.StatusUnsupportedMediaType)
		a.unchangedCensus(t, w.admin, before)
		// Parameters of the JSON media type are fine.
		a.post("/v1/municipalities", w.admin, body, header{"Content-Type", "application/json; charset=utf-8"}).want(http.StatusCreated)
	})
}

func TestListParametersAreChecked(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		a.signedAgreement(w.strangnas, agreementBody())
		a.signedAgreement(w.strangnas, agreementBody())
		_, agreementsCursor := a.get("/v1/agreements?limit=1", "").items()
		if agreementsCursor == "" {
			t.Fatal("no cursor after the first of two agreements")
		}
		lists := []string{"/v1/agreements", "/v1/promise-periods", "/v1/activities", "/v1/follow-ups", "/v1/forums", "/v1/municipalities", "/v1/police-areas"}
		for _, list := range lists {
			for _, limit := range []string{"201", "0", "-1", "abc", "1e2", "99999999999999999999"} {
				a.get(list+"?limit="+limit, "").problem(http.StatusBadRequest, "limit")
			}
			a.get(list+"?limit=200", "").want(http.StatusOK)
			for _, cursor := range []string{"garbage", "eyJsIjoiYWdyZWVtZW50cyJ9", "%00", strings.Repeat("A", 201), agreementsCursor[:len(agreementsCursor)/2]} {
				a.get(list+"?cursor="+cursor, "").problem(http.StatusBadRequest, "cursor")
			}
		}
		// A cursor of one list is no cursor of another.
		for _, list := range lists[1:] {
			a.get(list+"?cursor="+agreementsCursor, "").problem(http.StatusBadRequest, "cursor")
		}
		a.get("/v1/agreements?status=in_force", "").problem(http.StatusBadRequest, "status")
		a.get("/v1/agreements?year=1066", "").problem(http.StatusBadRequest, "year")
		a.get("/v1/agreements?municipality=Str%C3%A4ngn%C3%A4s", "").problem(http.StatusBadRequest, "municipality")
		a.get("/v1/activities?priorityAreaId=1", "").problem(http.StatusBadRequest, "priorityAreaId")
		a.get("/v1/activities?responsibleParty=everyone", "").problem(http.StatusBadRequest, "responsibleParty")
		a.get("/v1/follow-ups?kind=weekly", "").problem(http.StatusBadRequest, "kind")
		a.post("/v1/imports?dryRun=perhaps", w.admin, obj{}).problem(http.StatusBadRequest, "dryRun")
	})
}

// runes cuts s to at most n characters, never inside one.
func runes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

func TestADateThatIsNoDayIsToldWhyInJSONAsInASpreadsheet(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.badInputWorld()
		for value, reason := range map[string]string{
			"2026-02-30": "February 2026 has 28 days",
			"1899-12-30": "between the years 1900 and 2999",
		} {
			p := a.post("/v1/agreements", w.strangnas, with(agreementBody(), "validFrom", value)).problem(http.StatusBadRequest, "/validFrom")
			if !strings.Contains(fmt.Sprint(p["errors"]), reason) {
				t.Errorf("validFrom %s: %v, want the reason %q", value, p["errors"], reason)
			}
		}
	})
}
