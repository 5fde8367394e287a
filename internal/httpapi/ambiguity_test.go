package httpapi_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

// JSON and query strings that decoders would read differently from what the client meant are
// refused, naming the place, instead of being half understood.

func TestBodiesThatDecodersWouldMisreadAreRefused(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		before := a.census(w.admin)
		valid := `{"municipalityCode":"0486","policeAreaId":"lpo-eskilstuna","title":"Medborgarlöften","startYear":2026,"endYear":2027}`
		cases := []struct {
			name, body, pointer string
		}{
			{"a second value after the first", valid + ` {"title":"x"}`, ""},
			{"a field named twice (the last would win)", strings.Replace(valid, `"title":"Medborgarlöften"`, `"title":"A","title":"B"`, 1), "/title"},
			{"a nested field named twice", `{"municipalityCode":"0486","policeAreaId":"lpo-eskilstuna","title":"M","startYear":2026,"endYear":2027,"promises":[{"text":"a","text":"b"}]}`, "/promises/0/text"},
			{"an integer with decimals", strings.Replace(valid, `2026`, `2026.0`, 1), "/startYear"},
			{"a number no float holds", strings.Replace(valid, `2026`, `1e400`, 1), "/startYear"},
			{"a syntax error", `{"title": "Medborgarlöften",}`, ""},
			{"a truncated body", valid[:40], ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				a := a.on(t)
				a.post("/v1/promise-periods", w.strangnas, c.body).problem(http.StatusBadRequest, c.pointer)
			})
		}
		a.unchangedCensus(t, w.admin, before)
	})
}

func TestUnknownOrRepeatedQueryParametersAreNamed(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		// A misspelt filter would otherwise silently return every municipality's agreements.
		a.get("/v1/agreements?municipalityCode=0484", "").problem(http.StatusBadRequest, "municipalityCode")
		a.get("/v1/activities?limit=5&limit=10", "").problem(http.StatusBadRequest, "limit")
		a.get("/v1/agreements?municipality=0486", "").want(http.StatusOK)
	})
}

func TestHeadAnswersLikeGetWithoutABody(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		res := a.do(http.MethodHead, "/v1/municipalities/0486", "", nil).want(http.StatusOK)
		if len(res.Body) != 0 || res.Header.Get("ETag") == "" {
			t.Fatalf("HEAD gave a body of %d bytes and ETag %q", len(res.Body), res.Header.Get("ETag"))
		}
	})
}

func TestARefusedTokenIsNamedInvalidInTheChallenge(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		res := a.get("/v1/agreements", "smv_notatoken")
		res.problem(http.StatusUnauthorized)
		if got := res.Header.Get("WWW-Authenticate"); !strings.Contains(got, `error="invalid_token"`) {
			t.Errorf("challenge %q does not say the token is invalid", got)
		}
		res = a.post("/v1/agreements", "", obj{})
		res.problem(http.StatusUnauthorized)
		if got := res.Header.Get("WWW-Authenticate"); strings.Contains(got, "invalid_token") {
			t.Errorf("challenge %q blames a token that was never sent", got)
		}
		// Health checks answer whatever credentials come along.
		a.get("/healthz", "smv_notatoken").want(http.StatusOK)
	})
}

func TestTextThatLooksFilledButIsNotIsRefused(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		a.post("/v1/agreements", w.strangnas, with(agreementBody(), "title", "   ")).problem(http.StatusBadRequest, "/title")
		a.post("/v1/agreements", w.strangnas, with(agreementBody(), "documents", []any{obj{"title": "Avtal", "url": "http://"}})).
			problem(http.StatusBadRequest, "/documents/0/url")
	})
}

func TestCraftedCursorsQueriesAndDatesAreClientErrorsOnEveryDatabase(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		// A cursor is opaque but comes from outside: values of the wrong kind are refused
		// before they reach the database.
		for _, key := range []string{`["x",1,"y"]`, `[1,1,1]`, `["01936f3c-7a2b-7c3d-8e4f-5a6b7c8d9e0f","1","01936f3c-7a2b-7c3d-8e4f-5a6b7c8d9e0f"]`} {
			cursor := base64.RawURLEncoding.EncodeToString([]byte(`{"l":"activities","k":` + key + `}`))
			a.get("/v1/activities?cursor="+cursor, "").problem(http.StatusBadRequest, "cursor")
		}
		a.get("/v1/activities?county=%C3%28", "").problem(http.StatusBadRequest)
		a.get("/v1/forums?code=%C3%28", "").problem(http.StatusBadRequest)
		a.post("/v1/agreements", w.strangnas, with(agreementBody(), "validFrom", "0000-01-01")).problem(http.StatusBadRequest, "/validFrom")
		a.post("/v1/agreements", w.strangnas, with(agreementBody(), "signedOn", "2023-02-30")).problem(http.StatusBadRequest, "/signedOn")
	})
}
