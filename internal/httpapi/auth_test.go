package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// Who may do what: anonymous callers read published material, editors write material their
// organization is a party to, admins write everything, and only admins register
// municipalities and police areas. Drafts are never revealed to those who may not see them.

// wantChallenge checks a 401 problem that tells the client how to authenticate.
func wantChallenge(t *testing.T, r *response) {
	t.Helper()
	r.problem(http.StatusUnauthorized)
	if h := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
		t.Errorf("401 with WWW-Authenticate %q, want a Bearer challenge", h)
	}
}

func TestAnonymousWritesAreUnauthorizedWithABearerChallenge(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag := a.signedAgreement(w.strangnas, agreementBody())
		pp := a.publishedPeriod(w.strangnas, with(periodBody(), "agreementId", id(ag)))
		agPath, ppPath := "/v1/agreements/"+id(ag), "/v1/promise-periods/"+id(pp)
		agBefore, ppBefore := a.snapshot(agPath, ""), a.snapshot(ppPath, "")
		tag := quoted(ag["version"])
		for name, send := range map[string]func() *response{
			"create agreement":      func() *response { return a.post("/v1/agreements", "", agreementBody()) },
			"update agreement":      func() *response { return a.put(agPath, "", tag, signable(agreementBody())) },
			"delete agreement":      func() *response { return a.delete(agPath, "", tag) },
			"transition agreement":  func() *response { return a.post(agPath+"/transitions", "", obj{"status": "superseded"}) },
			"create promise period": func() *response { return a.post("/v1/promise-periods", "", periodBody()) },
			"update promise period": func() *response { return a.put(ppPath, "", quoted(pp["version"]), periodBody()) },
			"archive promise period": func() *response {
				return a.post(ppPath+"/transitions", "", obj{"status": "archived"})
			},
			"create activity": func() *response {
				return a.post("/v1/activities", "", obj{"promisePeriodId": id(pp), "description": "Trygghetsvandring"})
			},
			"create follow-up": func() *response {
				return a.post("/v1/follow-ups", "", obj{"promisePeriodId": id(pp), "kind": "follow_up", "title": "Uppföljning"})
			},
			"create forum": func() *response {
				return a.post("/v1/forums", "", obj{"municipalityCode": "0486", "code": "EST", "name": "Effektiv samordning för trygghet"})
			},
			"create municipality": func() *response {
				return a.post("/v1/municipalities", "", obj{"code": "0488", "name": "Trosa kommun"})
			},
			"create police area": func() *response {
				return a.post("/v1/police-areas", "", obj{"id": "lpo-nykoping", "name": "Lokalpolisområde Nyköping"})
			},
			"import": func() *response { return a.post("/v1/imports", "", obj{}) },
		} {
			t.Run(name, func(t *testing.T) { wantChallenge(t, send()) })
		}
		a.unchanged(t, agBefore)
		a.unchanged(t, ppBefore)
		// Anonymous reads of public material need no token at all.
		a.get(agPath, "").want(http.StatusOK)
		wantChallenge(t, a.get("/v1/me", ""))
	})
}

func TestBrokenCredentialsAreUnauthorizedEvenOnPublicReads(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag := a.signedAgreement(w.strangnas, agreementBody())
		// A client with a broken credential must learn so, not silently be served as anonymous.
		reads := []string{"/v1/agreements", "/v1/agreements/" + id(ag), "/v1/promise-periods", "/v1/activities", "/v1/follow-ups"}
		for name, authorization := range map[string]string{
			"unknown token":           "Bearer smv_" + strings.Repeat("a", 52),
			"token without prefix":    "Bearer " + strings.Repeat("a", 52),
			"scheme without token":    "Bearer",
			"scheme and blanks":       "Bearer    ",
			"basic credentials":       "Basic c3RyYW5nbmFzOmhlbWxpZ3Q=",
			"token without scheme":    w.strangnas,
			"other scheme, our token": "Token " + w.strangnas,
		} {
			t.Run(name, func(t *testing.T) {
				a := a.on(t)
				for _, path := range reads {
					wantChallenge(t, a.do(http.MethodGet, path, "", nil, header{"Authorization", authorization}))
				}
				wantChallenge(t, a.do(http.MethodPost, "/v1/agreements", "", agreementBody(), header{"Authorization", authorization}))
			})
		}
		// The scheme is case-insensitive (RFC 9110), so this one is a valid credential.
		a.do(http.MethodGet, "/v1/me", "", nil, header{"Authorization", "bearer " + w.strangnas}).want(http.StatusOK)
	})
}

func TestRevokedTokenIsUnauthorized(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.world()
		ctx := context.Background()
		secret, tok, err := a.svc.CreateToken(ctx, samverkan.NewTokenSpec{Name: "Strängnäs integration", Role: samverkan.RoleEditor,
			OrgType: samverkan.OrgMunicipality, OrgID: "0486"})
		if err != nil {
			t.Fatal(err)
		}
		draft, _ := a.createAgreement(secret, agreementBody())
		if err := a.svc.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		wantChallenge(t, a.post("/v1/agreements", secret, agreementBody()))
		wantChallenge(t, a.get("/v1/agreements/"+id(draft), secret))
		wantChallenge(t, a.get("/v1/agreements", secret))
		wantChallenge(t, a.get("/v1/me", secret))
	})
}

func TestMeNamesTheTokensOrganizationAndRole(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		for _, c := range []struct {
			token, role, orgType, orgID string
		}{
			{w.admin, "admin", "", ""},
			{w.strangnas, "editor", "municipality", "0486"},
			{w.police, "editor", "police_area", "lpo-eskilstuna"},
		} {
			me, _ := a.get("/v1/me", c.token).ok()
			org, _ := me["organization"].(obj)
			if me["role"] != c.role || (c.orgType != "" && (org["type"] != c.orgType || org["id"] != c.orgID)) || (c.orgType == "" && org != nil) {
				t.Errorf("me %v, want role %s of %s %s", me, c.role, c.orgType, c.orgID)
			}
		}
	})
}

func TestEditorsWriteOnlyMaterialTheirOrganizationIsAPartyTo(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		// Public material of Strängnäs (0486) and lpo-eskilstuna.
		ag := a.signedAgreement(w.admin, agreementBody())
		pp := a.publishedPeriod(w.admin, with(periodBody(), "agreementId", id(ag)))
		forum, _ := a.post("/v1/forums", w.admin, obj{"municipalityCode": "0486", "policeAreaId": "lpo-eskilstuna", "code": "BRÅ", "name": "Brottsförebyggande rådet"}).created()
		agPath := "/v1/agreements/" + id(ag)

		// writes tries one write of each kind; each may succeed only for parties.
		writes := func(a *api, token string) map[string]*response {
			cur, tag := a.get(agPath, token).ok()
			out := map[string]*response{
				"update agreement": a.put(agPath, token, tag, keepAreas(with(signable(agreementBody()), "goal", "Ett nytt mål"), cur)),
				"create activity": a.post("/v1/activities", token, obj{"agreementId": id(ag), "description": "Trafikövervakning",
					"priorityAreaIds": []any{areaIDs(cur)[1]}}),
				"create promise period": a.post("/v1/promise-periods", token, periodBody()),
				"create follow-up":      a.post("/v1/follow-ups", token, obj{"promisePeriodId": id(pp), "kind": "follow_up", "title": "Uppföljning"}),
				"create meeting":        a.post("/v1/forums/"+id(forum)+"/meetings", token, obj{"heldOn": "2026-05-14"}),
			}
			f, ftag := a.get("/v1/forums/"+id(forum), token).ok()
			out["update forum"] = a.put("/v1/forums/"+id(forum), token, ftag, obj{"municipalityCode": "0486", "policeAreaId": "lpo-eskilstuna",
				"code": "BRÅ", "name": f["name"].(string) + "."})
			return out
		}
		for _, c := range []struct {
			who     string
			token   string
			allowed bool
		}{
			{"editor of another municipality", w.eskilstuna, false},
			{"editor of a municipality under another police area", w.vasteras, false},
			{"editor of another police area", w.otherLPO, false},
			{"editor of the municipality", w.strangnas, true},
			{"editor of the police area", w.police, true},
			{"admin", w.admin, true},
		} {
			t.Run(c.who, func(t *testing.T) {
				a := a.on(t)
				before := a.snapshot(agPath, "")
				for what, res := range writes(a, c.token) {
					switch {
					case c.allowed && res.Status/100 != 2:
						t.Errorf("%s: %d, want success: %s", what, res.Status, res.Body)
					case !c.allowed:
						if res.Status != http.StatusForbidden {
							t.Errorf("%s: %d, want 403: %s", what, res.Status, res.Body)
						} else {
							res.problem(http.StatusForbidden)
						}
					}
				}
				if !c.allowed {
					a.unchanged(t, before)
				}
			})
		}
	})
}

func TestDraftsAreHiddenFromAllButTheirPartiesEditors(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag, agTag := a.createAgreement(w.strangnas, agreementBody())
		pp, ppTag := a.createPeriod(w.strangnas, with(periodBody(), "agreementId", id(ag)))
		act, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": "Trygghetsvandring i Mariefred",
			"priorityAreaIds": []any{areaIDs(ag)[0]}}).created()
		fu, fuTag := a.post("/v1/follow-ups", w.strangnas, obj{"promisePeriodId": id(pp), "kind": "follow_up", "title": "Uppföljning"}).created()
		drafts := map[string]string{ // list → the draft's path
			"/v1/agreements?municipality=0486":      "/v1/agreements/" + id(ag),
			"/v1/promise-periods?municipality=0486": "/v1/promise-periods/" + id(pp),
			"/v1/activities?municipality=0486":      "/v1/activities/" + id(act),
			"/v1/follow-ups?municipality=0486":      "/v1/follow-ups/" + id(fu),
		}
		for _, c := range []struct {
			who   string
			token string
			sees  bool
		}{
			{"anonymous caller", "", false},
			{"editor of another municipality", w.eskilstuna, false},
			{"editor of another police area", w.otherLPO, false},
			{"editor of the municipality", w.strangnas, true},
			{"editor of the police area", w.police, true},
			{"admin", w.admin, true},
		} {
			t.Run(c.who, func(t *testing.T) {
				a := a.on(t)
				for list, path := range drafts {
					items, _ := a.get(list, c.token).items()
					listed := contains(ids(items), path[strings.LastIndex(path, "/")+1:])
					if listed != c.sees {
						t.Errorf("%s lists the draft: %v, want %v", list, listed, c.sees)
					}
					if c.sees {
						a.get(path, c.token).want(http.StatusOK)
					} else {
						a.get(path, c.token).problem(http.StatusNotFound)
					}
				}
			})
		}

		// Outsiders' writes to a draft are 404 too: a 403 would reveal that it exists.
		before := a.snapshot("/v1/agreements/"+id(ag), w.strangnas)
		a.put("/v1/agreements/"+id(ag), w.eskilstuna, agTag, agreementBody()).problem(http.StatusNotFound)
		a.post("/v1/agreements/"+id(ag)+"/transitions", w.eskilstuna, obj{"status": "signed"}).problem(http.StatusNotFound)
		a.delete("/v1/agreements/"+id(ag), w.eskilstuna, agTag).problem(http.StatusNotFound)
		a.delete("/v1/promise-periods/"+id(pp), w.otherLPO, ppTag).problem(http.StatusNotFound)
		a.put("/v1/follow-ups/"+id(fu), w.vasteras, fuTag, obj{"promisePeriodId": id(pp), "kind": "follow_up", "title": "x"}).problem(http.StatusNotFound)
		// Nor can they attach material to it: the reference is unknown to them.
		a.post("/v1/activities", w.eskilstuna, obj{"agreementId": id(ag), "description": "x"}).problem(http.StatusUnprocessableEntity, "/agreementId")
		a.post("/v1/follow-ups", w.eskilstuna, obj{"promisePeriodId": id(pp), "kind": "follow_up", "title": "x"}).problem(http.StatusUnprocessableEntity, "/promisePeriodId")
		a.unchanged(t, before)
	})
}

func TestOnlyAdminsRegisterMunicipalitiesAndPoliceAreas(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		muni, muniTag := a.get("/v1/municipalities/0486", w.admin).ok()
		pa, paTag := a.get("/v1/police-areas/lpo-eskilstuna", w.admin).ok()
		for who, token := range map[string]string{"municipality editor": w.strangnas, "police area editor": w.police} {
			t.Run(who, func(t *testing.T) {
				a := a.on(t)
				// Not even their own organization: the register is the admin's.
				a.post("/v1/municipalities", token, obj{"code": "0488", "name": "Trosa kommun"}).problem(http.StatusForbidden)
				a.put("/v1/municipalities/0486", token, muniTag, obj{"code": "0486", "name": "Strängnäs"}).problem(http.StatusForbidden)
				a.post("/v1/police-areas", token, obj{"id": "lpo-nykoping", "name": "Lokalpolisområde Nyköping"}).problem(http.StatusForbidden)
				a.put("/v1/police-areas/lpo-eskilstuna", token, paTag, obj{"id": "lpo-eskilstuna", "name": "LPO E"}).problem(http.StatusForbidden)
			})
		}
		if now, _ := a.get("/v1/municipalities/0486", w.admin).ok(); now["version"] != muni["version"] || now["name"] != muni["name"] {
			t.Errorf("a refused update changed the municipality: %v → %v", muni, now)
		}
		if now, _ := a.get("/v1/police-areas/lpo-eskilstuna", w.admin).ok(); now["version"] != pa["version"] {
			t.Errorf("a refused update changed the police area: %v → %v", pa, now)
		}
		a.get("/v1/municipalities/0488", "").problem(http.StatusNotFound)
		a.get("/v1/police-areas/lpo-nykoping", "").problem(http.StatusNotFound)

		a.post("/v1/municipalities", w.admin, obj{"code": "0488", "name": "Trosa kommun"}).want(http.StatusCreated)
		a.put("/v1/municipalities/0486", w.admin, muniTag, obj{"code": "0486", "name": "Strängnäs kommun", "county": "Södermanlands län"}).want(http.StatusOK)
		a.post("/v1/police-areas", w.admin, obj{"id": "lpo-nykoping", "name": "Lokalpolisområde Nyköping"}).want(http.StatusCreated)
		a.put("/v1/police-areas/lpo-eskilstuna", w.admin, paTag, obj{"id": "lpo-eskilstuna", "name": "Lokalpolisområde Eskilstuna", "policeRegion": "Region Öst"}).want(http.StatusOK)
	})
}
