package httpapi_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// Lists have one stable order; nextCursor walks it page by page, each item exactly once, and
// filters select what they name.

// walk follows nextCursor from the first page of list (which may carry filters) at page size
// limit, and returns the ids in the order served and the number of pages.
func (a *api) walk(list, token string, limit int) ([]string, int) {
	a.t.Helper()
	sep := "?"
	if strings.Contains(list, "?") {
		sep = "&"
	}
	var out []string
	seen := map[string]bool{}
	cursor := ""
	for pages := 1; ; pages++ {
		path := fmt.Sprintf("%s%slimit=%d", list, sep, limit)
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		items, next := a.get(path, token).items()
		if len(items) > limit {
			a.t.Fatalf("%s: %d items on a page of %d", path, len(items), limit)
		}
		if len(items) == 0 && pages > 1 {
			a.t.Fatalf("%s: an empty page after a cursor; the page before should have been the last", path)
		}
		for _, it := range items {
			key := itemKey(it)
			if seen[key] {
				a.t.Fatalf("%s: %s served twice", list, key)
			}
			seen[key] = true
			out = append(out, key)
		}
		if next == "" {
			return out, pages
		}
		if len(items) < limit {
			a.t.Fatalf("%s: a short page of %d with a nextCursor", path, len(items))
		}
		cursor = next
	}
}

// itemKey is an item's id, or its code for municipalities.
func itemKey(it obj) string {
	if s, ok := it["id"].(string); ok {
		return s
	}
	return it["code"].(string)
}

// all reads a whole list in one page.
func (a *api) all(list, token string) []string {
	a.t.Helper()
	sep := "?"
	if strings.Contains(list, "?") {
		sep = "&"
	}
	items, next := a.get(list+sep+"limit=200", token).items()
	if next != "" {
		a.t.Fatalf("%s has more than 200 items", list)
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = itemKey(it)
	}
	return out
}

func TestNextCursorWalksEveryListExactlyOnceInItsOrder(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		// Seven of everything: pages of 2 and 3 leave a short last page, 7 fits one page of 7.
		ag := a.signedAgreement(w.strangnas, agreementBody())
		pp := a.publishedPeriod(w.strangnas, with(periodBody(), "agreementId", id(ag)))
		forum, _ := a.post("/v1/forums", w.admin, obj{"municipalityCode": "0486", "code": "F0", "name": "Forum"}).created()
		created := map[string][]string{}
		for i := range 7 {
			n := fmt.Sprint(i)
			x, _ := a.createAgreement(w.strangnas, with(agreementBody(), "title", "Överenskommelse "+n))
			created["/v1/agreements"] = append(created["/v1/agreements"], id(x))
			y, _ := a.createPeriod(w.strangnas, with(periodBody(), "startYear", 2019+i%3, "endYear", 2019+i%3, "title", "Löften "+n))
			created["/v1/promise-periods"] = append(created["/v1/promise-periods"], id(y))
			z, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": "Aktivitet " + n}).created()
			created["/v1/activities"] = append(created["/v1/activities"], id(z))
			f, _ := a.post("/v1/follow-ups", w.strangnas, obj{"promisePeriodId": id(pp), "kind": "follow_up", "title": "Uppföljning " + n}).created()
			created["/v1/follow-ups"] = append(created["/v1/follow-ups"], id(f))
			g, _ := a.post("/v1/forums", w.admin, obj{"municipalityCode": []string{"0484", "0486", "1980"}[i%3], "code": "F" + n, "name": "Forum " + n}).created()
			created["/v1/forums"] = append(created["/v1/forums"], id(g))
			m, _ := a.post("/v1/forums/"+id(forum)+"/meetings", w.admin, obj{"heldOn": fmt.Sprintf("2026-0%d-1%d", 1+i%3, i)}).created()
			created["/v1/forums/"+id(forum)+"/meetings"] = append(created["/v1/forums/"+id(forum)+"/meetings"], id(m))
			code := fmt.Sprintf("05%02d", i)
			a.post("/v1/municipalities", w.admin, obj{"code": code, "name": "Kommun " + n}).want(http.StatusCreated)
			a.post("/v1/police-areas", w.admin, obj{"id": "lpo-" + n, "name": "Lokalpolisområde " + n}).want(http.StatusCreated)
		}
		lists := []string{"/v1/agreements", "/v1/promise-periods", "/v1/activities", "/v1/follow-ups", "/v1/forums",
			"/v1/forums/" + id(forum) + "/meetings", "/v1/municipalities", "/v1/police-areas"}
		for _, list := range lists {
			name := strings.TrimPrefix(list, "/v1/")
			if strings.HasSuffix(list, "/meetings") {
				name = "meetings"
			}
			t.Run(name, func(t *testing.T) {
				a := a.on(t)
				whole := a.all(list, w.admin)
				for _, made := range created[list] {
					if !contains(whole, made) {
						t.Fatalf("%s lacks %s", list, made)
					}
				}
				if again := a.all(list, w.admin); !slices.Equal(again, whole) {
					t.Fatalf("the order is not stable:\n%v\n%v", whole, again)
				}
				for _, limit := range []int{1, 2, 3, len(whole), len(whole) + 1} {
					got, pages := a.walk(list, w.admin, limit)
					if !slices.Equal(got, whole) {
						t.Fatalf("pages of %d served\n%v\nthe whole list is\n%v", limit, got, whole)
					}
					if want := (len(whole) + limit - 1) / limit; pages != want {
						t.Errorf("pages of %d: %d pages for %d items, want %d", limit, pages, len(whole), want)
					}
				}
			})
		}

		// The documented orders.
		if got := a.all("/v1/agreements?municipality=0486&status=draft", w.admin); !slices.Equal(got, reversed(created["/v1/agreements"])) {
			t.Errorf("agreements are not newest first: %v", got)
		}
		if got := a.all("/v1/activities?promisePeriodId="+id(pp), w.admin); !slices.Equal(got, created["/v1/activities"]) {
			t.Errorf("activities are not in list order: %v", got)
		}
		if got := a.all("/v1/follow-ups", w.admin); !slices.Equal(got, reversed(created["/v1/follow-ups"])) {
			t.Errorf("follow-ups are not newest first: %v", got)
		}
		items, _ := a.get("/v1/promise-periods?limit=200", w.admin).items()
		for i := 1; i < len(items); i++ {
			if items[i-1]["startYear"].(float64) < items[i]["startYear"].(float64) {
				t.Errorf("promise periods are not newest first: %v before %v", items[i-1]["startYear"], items[i]["startYear"])
			}
		}
		items, _ = a.get("/v1/forums/"+id(forum)+"/meetings?limit=200", "").items()
		if got := fieldOf(items, "heldOn"); !slices.IsSortedFunc(got, func(x, y string) int { return strings.Compare(y, x) }) {
			t.Errorf("meetings are not newest first: %v", got)
		}
		items, _ = a.get("/v1/forums?limit=200", "").items()
		keys := make([]string, len(items))
		for i, it := range items {
			keys[i] = it["municipalityCode"].(string) + " " + it["code"].(string)
		}
		if !slices.IsSorted(keys) {
			t.Errorf("forums are not ordered by municipality and code: %v", keys)
		}
	})
}

func TestWritesDuringAWalkNeitherRepeatNorSkipWhatWasThere(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		var made []string
		for i := range 6 {
			ag := a.signedAgreement(w.strangnas, with(agreementBody(), "title", fmt.Sprint("Överenskommelse ", i)))
			made = append(made, id(ag))
		}
		first, next := a.get("/v1/agreements?limit=3", "").items()
		// Meanwhile: a new agreement, and an update of one already served.
		a.signedAgreement(w.strangnas, with(agreementBody(), "title", "Ny"))
		a.put("/v1/agreements/"+id(first[0]), w.strangnas, quoted(first[0]["version"]), keepAreas(with(signable(agreementBody()), "goal", "Ändrat"), first[0])).want(http.StatusOK)
		rest, last := a.get("/v1/agreements?limit=3&cursor="+url.QueryEscape(next), "").items()
		got := append(ids(first), ids(rest)...)
		if last != "" || !slices.Equal(got, reversed(made)) {
			t.Errorf("walked %v (next %q), want the six that were there, newest first: %v", got, last, reversed(made))
		}
	})
}

func TestDefaultPageHoldsFiftyItems(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		var areas []any
		for i := range 60 {
			areas = append(areas, obj{"id": fmt.Sprintf("lpo-%02d", i), "name": fmt.Sprint("Lokalpolisområde ", i)})
		}
		a.post("/v1/imports", w.admin, obj{"policeAreas": areas}).want(http.StatusOK)
		items, next := a.get("/v1/police-areas", "").items()
		if len(items) != 50 || next == "" {
			t.Fatalf("first page: %d items, next %q; want 50 and a cursor", len(items), next)
		}
		rest, last := a.get("/v1/police-areas?cursor="+url.QueryEscape(next), "").items()
		if len(rest) != 12 || last != "" {
			t.Errorf("second page: %d items, next %q; want the remaining 12 and no cursor", len(rest), last)
		}
	})
}

func TestListFiltersSelectWhatTheyName(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		decision := obj{"body": "Kommunfullmäktige", "decidedOn": "2025-02-01"}
		vasterasBody := func(b obj) obj { return with(b, "municipalityCode", "1980", "policeAreaId", "lpo-vasteras") }
		eskilstunaBody := func(b obj) obj { return with(b, "municipalityCode", "0484") }

		// Agreements: Strängnäs 2019–2022 and 2023–2026 (signed), an old superseded one,
		// Eskilstuna 2024–2027 (draft), Västerås 2025–2028 (adopted).
		a19 := a.signedAgreement(w.strangnas, with(agreementBody(), "validFrom", "2019-01-01", "validTo", "2022-12-31"))
		a23 := a.signedAgreement(w.strangnas, agreementBody())
		a15 := a.signedAgreement(w.strangnas, with(agreementBody(), "validFrom", "2015-01-01", "validTo", "2018-12-31"))
		a.post("/v1/agreements/"+id(a15)+"/transitions", w.strangnas, obj{"status": "superseded"}).want(http.StatusOK)
		a24, _ := a.createAgreement(w.eskilstuna, eskilstunaBody(with(agreementBody(), "validFrom", "2024-01-01", "validTo", "2027-12-31")))
		a25, _ := a.createAgreement(w.vasteras, vasterasBody(with(signable(agreementBody()), "validFrom", "2025-01-01", "validTo", "2028-12-31", "adoption", decision)))
		a.post("/v1/agreements/"+id(a25)+"/transitions", w.vasteras, obj{"status": "signed"}).want(http.StatusOK)
		a.post("/v1/agreements/"+id(a25)+"/transitions", w.vasteras, obj{"status": "adopted"}).want(http.StatusOK)

		// Promise periods.
		p24 := a.publishedPeriod(w.strangnas, with(periodBody(), "agreementId", id(a23), "startYear", 2024, "endYear", 2025))
		p26, _ := a.createPeriod(w.strangnas, with(periodBody(), "agreementId", id(a23)))
		pEsk := a.publishedPeriod(w.eskilstuna, eskilstunaBody(with(periodBody(), "startYear", 2026, "endYear", 2026)))
		pVas := a.publishedPeriod(w.vasteras, vasterasBody(with(periodBody(), "startYear", 2025, "endYear", 2026)))

		// Activities.
		children, traffic := areaIDs(a23)[0], areaIDs(a23)[1]
		act := func(list obj, field string, extra ...any) string {
			x, _ := a.post("/v1/activities", w.admin, with(obj{field: id(list), "description": "Aktivitet"}, extra...)).created()
			return id(x)
		}
		walksAct := act(p24, "promisePeriodId", "priorityAreaIds", []any{children}, "responsibleParty", "police", "status", "completed")
		jointAct := act(p24, "promisePeriodId", "priorityAreaIds", []any{children, traffic}, "responsibleParty", "joint", "status", "ongoing")
		planAct := act(a23, "agreementId", "priorityAreaIds", []any{traffic}, "responsibleParty", "municipality")
		draftAct := act(p26, "promisePeriodId", "responsibleParty", "police")
		eskAct := act(pEsk, "promisePeriodId", "responsibleParty", "police", "status", "postponed")
		vasAct := act(pVas, "promisePeriodId", "responsibleParty", "joint")

		// Follow-ups.
		fu := func(subject obj, field string, body obj, publish bool) string {
			f, _ := a.post("/v1/follow-ups", w.admin, with(body, field, id(subject))).created()
			if publish {
				a.post("/v1/follow-ups/"+id(f)+"/transitions", w.admin, obj{"status": "published"}).want(http.StatusOK)
			}
			return id(f)
		}
		f24 := fu(p24, "promisePeriodId", obj{"kind": "follow_up", "title": "Våren 2024", "coversFrom": "2024-01-01", "coversTo": "2024-06-30"}, true)
		f25 := fu(p24, "promisePeriodId", obj{"kind": "yearly_summary", "title": "Hela 2025", "coversFrom": "2025-01-01", "coversTo": "2025-12-31"}, false)
		f23 := fu(a23, "agreementId", obj{"kind": "follow_up", "title": "Hösten 2023", "coversFrom": "2023-07-01", "coversTo": "2023-12-31"}, true)
		fEsk := fu(pEsk, "promisePeriodId", obj{"kind": "yearly_summary", "title": "Eskilstuna 2026", "coversFrom": "2026-01-01", "coversTo": "2026-12-31"}, true)

		// Forums.
		forum := func(muni, code string, extra ...any) string {
			f, _ := a.post("/v1/forums", w.admin, with(obj{"municipalityCode": muni, "code": code, "name": code}, extra...)).created()
			return id(f)
		}
		est := forum("0486", "EST", "policeAreaId", "lpo-eskilstuna")
		bra := forum("0486", "BRÅ", "policeAreaId", "lpo-eskilstuna")
		braEsk := forum("0484", "BRÅ")
		sspfVas := forum("1980", "SSPF", "policeAreaId", "lpo-vasteras")
		meetings := map[string]string{}
		for _, held := range []string{"2025-03-04", "2026-03-03", "2026-09-08"} {
			m, _ := a.post("/v1/forums/"+bra+"/meetings", w.admin, obj{"heldOn": held}).created()
			meetings[held] = id(m)
		}

		for _, c := range []struct {
			list  string
			token string
			want  []string // in list order
		}{
			{"/v1/agreements?municipality=0486", "", []string{id(a15), id(a23), id(a19)}},
			{"/v1/agreements?municipality=0484", "", nil}, // a draft
			{"/v1/agreements?municipality=0484", w.eskilstuna, []string{id(a24)}},
			{"/v1/agreements?policeArea=lpo-vasteras", "", []string{id(a25)}},
			{"/v1/agreements?policeArea=lpo-eskilstuna", w.admin, []string{id(a24), id(a15), id(a23), id(a19)}},
			{"/v1/agreements?status=signed", "", []string{id(a23), id(a19)}},
			{"/v1/agreements?status=adopted", "", []string{id(a25)}},
			{"/v1/agreements?status=superseded", "", []string{id(a15)}},
			{"/v1/agreements?status=draft", "", nil},
			{"/v1/agreements?status=draft", w.admin, []string{id(a24)}},
			{"/v1/agreements?year=2023", "", []string{id(a23)}},
			{"/v1/agreements?year=2024", w.admin, []string{id(a24), id(a23)}},
			{"/v1/agreements?year=2022&municipality=0486", "", []string{id(a19)}},
			{"/v1/agreements?year=2030", "", nil},

			{"/v1/promise-periods?municipality=0486", "", []string{id(p24)}},
			{"/v1/promise-periods?municipality=0486", w.police, []string{id(p26), id(p24)}},
			{"/v1/promise-periods?policeArea=lpo-vasteras", "", []string{id(pVas)}},
			{"/v1/promise-periods?agreementId=" + id(a23), w.strangnas, []string{id(p26), id(p24)}},
			{"/v1/promise-periods?status=draft", w.admin, []string{id(p26)}},
			{"/v1/promise-periods?status=published&year=2026", "", []string{id(pEsk), id(pVas)}},
			{"/v1/promise-periods?year=2025", "", []string{id(pVas), id(p24)}},

			{"/v1/activities?priorityAreaId=" + children, "", []string{walksAct, jointAct}},
			// Lists come in the order they were created: the agreement's plan before the period's.
			{"/v1/activities?priorityAreaId=" + traffic, "", []string{planAct, jointAct}},
			{"/v1/activities?responsibleParty=police", "", []string{walksAct, eskAct}},
			{"/v1/activities?responsibleParty=police", w.admin, []string{walksAct, draftAct, eskAct}},
			{"/v1/activities?responsibleParty=joint", "", []string{jointAct, vasAct}},
			{"/v1/activities?status=ongoing", "", []string{jointAct}},
			{"/v1/activities?status=postponed&municipality=0484", "", []string{eskAct}},
			{"/v1/activities?agreementId=" + id(a23), "", []string{planAct}},
			{"/v1/activities?promisePeriodId=" + id(p24), "", []string{walksAct, jointAct}},
			{"/v1/activities?municipality=0484", "", []string{eskAct}},
			{"/v1/activities?policeArea=lpo-vasteras", "", []string{vasAct}},
			{"/v1/activities?municipality=0486&responsibleParty=municipality", "", []string{planAct}},

			{"/v1/follow-ups?promisePeriodId=" + id(p24), "", []string{f24}},
			{"/v1/follow-ups?promisePeriodId=" + id(p24), w.strangnas, []string{f25, f24}},
			{"/v1/follow-ups?agreementId=" + id(a23), "", []string{f23}},
			{"/v1/follow-ups?kind=yearly_summary", "", []string{fEsk}},
			{"/v1/follow-ups?kind=yearly_summary", w.admin, []string{fEsk, f25}},
			{"/v1/follow-ups?status=draft", w.police, []string{f25}},
			{"/v1/follow-ups?year=2024", "", []string{f24}},
			{"/v1/follow-ups?year=2023", "", []string{f23}},
			{"/v1/follow-ups?municipality=0484", "", []string{fEsk}},
			{"/v1/follow-ups?policeArea=lpo-eskilstuna&kind=follow_up", "", []string{f23, f24}},

			{"/v1/forums?municipality=0486", "", []string{bra, est}},
			{"/v1/forums?code=" + url.QueryEscape("BRÅ"), "", []string{braEsk, bra}},
			{"/v1/forums?policeArea=lpo-vasteras", "", []string{sspfVas}},
			{"/v1/forums/" + bra + "/meetings?year=2026", "", []string{meetings["2026-09-08"], meetings["2026-03-03"]}},
			{"/v1/forums/" + bra + "/meetings?year=2025", "", []string{meetings["2025-03-04"]}},

			{"/v1/municipalities?policeArea=lpo-eskilstuna", "", []string{"0484", "0486"}},
			{"/v1/municipalities?county=" + url.QueryEscape("Västmanlands län"), "", []string{"1980"}},
			{"/v1/municipalities?county=" + url.QueryEscape("Södermanlands län") + "&policeArea=lpo-vasteras", "", nil},
		} {
			name := c.list
			if c.token != "" {
				name += " (with a token)"
			}
			t.Run(name, func(t *testing.T) {
				a := a.on(t)
				got := a.all(c.list, c.token)
				if !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
					t.Errorf("got  %v\nwant %v", got, c.want)
				}
				// Filters and pages go together.
				if walked, _ := a.walk(c.list, c.token, 1); !slices.Equal(walked, got) {
					t.Errorf("walking pages of 1 gave %v, one page %v", walked, got)
				}
			})
		}
	})
}

func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}
