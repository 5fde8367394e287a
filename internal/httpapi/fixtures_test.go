package httpapi_test

import (
	"bytes"
	"net/http"
	"strconv"
	"testing"
)

// Fixtures of the behaviour suite: a small world of parties built through the API itself, and
// request bodies that tests change one field at a time.

// obj is a JSON object as a test writes or reads it.
type obj = map[string]any

// world is the cast of every behaviour test: one police area serving two municipalities, an
// outsider pair under another police area, and a token for each kind of caller.
type world struct {
	admin      string // admin token: the whole system
	strangnas  string // editor of Strängnäs kommun (0486)
	eskilstuna string // editor of Eskilstuna kommun (0484): same police area, other municipality
	police     string // editor of lpo-eskilstuna, which serves both 0486 and 0484
	vasteras   string // editor of Västerås stad (1980), served by lpo-vasteras
	otherLPO   string // editor of lpo-vasteras
}

// world registers the parties through the admin API and creates the tokens.
func (a *api) world() *world {
	a.t.Helper()
	w := &world{admin: a.token("admin", "")}
	a.post("/v1/police-areas", w.admin, obj{"id": "lpo-eskilstuna", "name": "Lokalpolisområde Eskilstuna"}).want(http.StatusCreated)
	a.post("/v1/police-areas", w.admin, obj{"id": "lpo-vasteras", "name": "Lokalpolisområde Västerås"}).want(http.StatusCreated)
	for _, m := range []obj{
		{"code": "0486", "name": "Strängnäs kommun", "county": "Södermanlands län", "policeAreaId": "lpo-eskilstuna"},
		{"code": "0484", "name": "Eskilstuna kommun", "county": "Södermanlands län", "policeAreaId": "lpo-eskilstuna"},
		{"code": "1980", "name": "Västerås stad", "county": "Västmanlands län", "policeAreaId": "lpo-vasteras"},
	} {
		a.post("/v1/municipalities", w.admin, m).want(http.StatusCreated)
	}
	w.strangnas = a.token("editor", "0486")
	w.eskilstuna = a.token("editor", "0484")
	w.police = a.token("editor", "police:lpo-eskilstuna")
	w.vasteras = a.token("editor", "1980")
	w.otherLPO = a.token("editor", "police:lpo-vasteras")
	return w
}

// on is the same server seen from a subtest, so that helpers fail the subtest.
func (a *api) on(t *testing.T) *api {
	c := *a
	c.t = t
	return &c
}

// with copies a body and sets fields in it: with(b, "title", "x", "goal", "y"). A nil value
// removes the field.
func with(base obj, kv ...any) obj {
	out := make(obj, len(base)+len(kv)/2)
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// agreementBody is a draft agreement of Strängnäs and lpo-eskilstuna, valid 2023–2026, with
// two priority areas but not yet its signing date or signatories.
func agreementBody() obj {
	return obj{
		"municipalityCode": "0486", "policeAreaId": "lpo-eskilstuna",
		"title":     "Samverkansöverenskommelse mellan lokalpolisområde Eskilstuna och Strängnäs kommun 2023–2026",
		"validFrom": "2023-06-21", "validTo": "2026-12-31",
		"goal": "En trygg och säker kommun för människor och företag att bo, leva och verka i.",
		"priorityAreas": []any{
			obj{"title": "Skydda barn och unga från att hamna i utanförskap, kriminalitet och missbruk."},
			obj{"title": "Arbeta för en säker och trygg trafikmiljö."},
		},
	}
}

// signable adds what signing needs: the date and a signatory.
func signable(b obj) obj {
	return with(b, "signedOn", "2023-06-21", "signedPlace", "Strängnäs",
		"signatories", []any{obj{"name": "Oscar Nissfolk", "role": "Lokalpolisområdeschef Eskilstuna", "party": "police_area"}})
}

// periodBody is a draft promise period of Strängnäs for 2026–2027 with two promises.
func periodBody() obj {
	return obj{
		"municipalityCode": "0486", "policeAreaId": "lpo-eskilstuna",
		"title": "Polisens och Strängnäs kommuns medborgarlöften 2026-2027", "startYear": 2026, "endYear": 2027,
		"promises": []any{
			obj{"text": "Genomföra trygghetsvandringar i alla kommundelar."},
			obj{"text": "Arbeta för en säker och trygg trafikmiljö genom hastighets- och nykterhetskontroller."},
		},
	}
}

// created checks a 201 with an ETag and returns the new resource and its ETag.
func (r *response) created() (obj, string) {
	r.t.Helper()
	r.want(http.StatusCreated)
	tag := r.Header.Get("ETag")
	if tag == "" {
		r.t.Fatalf("201 without ETag: %s", r.Body)
	}
	return r.Map(), tag
}

// ok checks a 200 and returns the resource and its ETag.
func (r *response) ok() (obj, string) {
	r.t.Helper()
	r.want(http.StatusOK)
	return r.Map(), r.Header.Get("ETag")
}

// items decodes a list page and returns its items and next cursor.
func (r *response) items() ([]obj, string) {
	r.t.Helper()
	var p struct {
		Items      []obj  `json:"items"`
		NextCursor string `json:"nextCursor"`
	}
	r.want(http.StatusOK).JSON(&p)
	return p.Items, p.NextCursor
}

// allowed returns the allowed list of a problem and whether the problem had one at all.
func allowed(p obj) ([]string, bool) {
	raw, ok := p["allowed"].([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, len(raw))
	for i, s := range raw {
		out[i] = s.(string)
	}
	return out, true
}

// createAgreement creates a draft agreement and returns it with its ETag.
func (a *api) createAgreement(token string, body obj) (obj, string) {
	a.t.Helper()
	return a.post("/v1/agreements", token, body).created()
}

// signedAgreement creates an agreement and signs it, as the parties do before anything is public.
func (a *api) signedAgreement(token string, body obj) obj {
	a.t.Helper()
	ag, _ := a.createAgreement(token, signable(body))
	signed, _ := a.post("/v1/agreements/"+id(ag)+"/transitions", token, obj{"status": "signed"}).ok()
	return signed
}

// createPeriod creates a draft promise period.
func (a *api) createPeriod(token string, body obj) (obj, string) {
	a.t.Helper()
	return a.post("/v1/promise-periods", token, body).created()
}

// publishedPeriod creates a promise period and publishes it.
func (a *api) publishedPeriod(token string, body obj) obj {
	a.t.Helper()
	pp, _ := a.createPeriod(token, body)
	published, _ := a.post("/v1/promise-periods/"+id(pp)+"/transitions", token, obj{"status": "published"}).ok()
	return published
}

// id is the id of a resource read as JSON.
func id(o obj) string { return o["id"].(string) }

// ids lists the ids of resources in order.
func ids(items []obj) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

// areaIDs lists the ids of an agreement's priority areas in order.
func areaIDs(ag obj) []string {
	var out []string
	for _, pa := range ag["priorityAreas"].([]any) {
		out = append(out, pa.(obj)["id"].(string))
	}
	return out
}

// keepAreas sets a body's priority areas to an agreement's current ones, by id, so that a
// PUT keeps them (areas sent without an id are new ones; areas left out are removed).
func keepAreas(body, ag obj) obj {
	var areas []any
	for _, pa := range ag["priorityAreas"].([]any) {
		areas = append(areas, obj{"id": pa.(obj)["id"], "title": pa.(obj)["title"]})
	}
	return with(body, "priorityAreas", areas)
}

// promiseIDs lists the ids of a promise period's promises in order.
func promiseIDs(pp obj) []string {
	var out []string
	for _, pr := range pp["promises"].([]any) {
		out = append(out, pr.(obj)["id"].(string))
	}
	return out
}

// quoted is the ETag of a version.
func quoted(version any) string {
	return `"` + strconv.FormatInt(int64(version.(float64)), 10) + `"`
}

// snapshot is a resource's stored state as the API returns it, to prove a rejected write
// left it alone.
type snapshot struct {
	path, token string
	body        []byte
}

func (a *api) snapshot(path, token string) snapshot {
	a.t.Helper()
	return snapshot{path: path, token: token, body: a.get(path, token).want(http.StatusOK).Body}
}

// unchanged fails the test if the resource is no longer byte for byte what it was.
func (a *api) unchanged(t *testing.T, s snapshot) {
	t.Helper()
	now := a.get(s.path, s.token).want(http.StatusOK).Body
	if !bytes.Equal(now, s.body) {
		t.Fatalf("a rejected write changed %s:\nbefore %s\nafter  %s", s.path, s.body, now)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
