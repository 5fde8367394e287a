package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// Spreadsheet cells that used to be imported as something else than they say, or dropped.

func TestAYearInASpreadsheetIsRefusedNotStoredAs1905(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		editor := a.token("editor", "0486")
		csv := "ref;description;startsOn;endsOn\ny-1;Trygghetsvandring;2026;2027\n"
		p := a.do(http.MethodPost, "/v1/imports/activities.csv?promisePeriodRef=strangnas-2024-2025", editor, csv,
			header{"Content-Type", "text/csv"}).problem(http.StatusUnprocessableEntity)
		if !hasCell(p, "", 2, "startsOn") || !hasCell(p, "", 2, "endsOn") || !strings.Contains(string(mustJSON(t, p)), "2026 is a year") {
			t.Fatalf("problem %v", p)
		}
		var page struct{ Items []obj }
		a.get("/v1/activities?municipality=0486&limit=200", editor).want(http.StatusOK).JSON(&page)
		for _, it := range page.Items {
			if it["externalRef"] == "y-1" {
				t.Fatalf("a refused file wrote %v", it)
			}
		}
	})
}

func TestACSVRowWiderThanItsHeaderIsRefusedNotCut(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		editor := a.token("editor", "0486")
		csv := "ref;description\nx-1;Beskrivning;extra;more\n"
		p := a.do(http.MethodPost, "/v1/imports/activities.csv?promisePeriodRef=strangnas-2024-2025", editor, csv,
			header{"Content-Type", "text/csv"}).problem(http.StatusUnprocessableEntity)
		if !hasCell(p, "", 2, "") {
			t.Fatalf("problem %v, want one naming row 2", p)
		}
	})
}

func TestANonUTF8CSVIsRefusedAtTheCellWhereItStopsBeingUTF8(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		editor := a.token("editor", "0486")
		csv := "ref;description\nw-1;Tr\xe4ff i Mariefred\n" // Windows-1252
		p := a.do(http.MethodPost, "/v1/imports/activities.csv?promisePeriodRef=strangnas-2024-2025", editor, []byte(csv),
			header{"Content-Type", "text/csv"}).problem(http.StatusUnprocessableEntity)
		if !hasCell(p, "", 2, "description") {
			t.Fatalf("problem %v", p)
		}
	})
}

func TestTheTemplatesDownloadUnderTheirOwnNames(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		for path, want := range map[string]string{
			"/v1/imports/templates/activities.csv":  `attachment; filename="activities.csv"`,
			"/v1/imports/templates/activities.xlsx": `attachment; filename="activities.xlsx"`,
			"/v1/activities?format=csv":             `inline; filename="activities.csv"`,
		} {
			if got := a.get(path, "").want(http.StatusOK).Header.Get("Content-Disposition"); got != want {
				t.Errorf("%s: Content-Disposition %q, want %q", path, got, want)
			}
		}
	})
}
