package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Activity lists as officers keep them: CSV saved by Swedish Excel, and workbooks.

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func TestAnActivityListImportsFromCSVAndReadsBackThroughTheAPI(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		editor := a.token("editor", "0486")
		csv := "\ufeffref;description;priorityAreaRefs;promiseRefs;responsibleParty;partners;recurrence\r\n" +
			"s24-akt-1;Trygghetsvandring i Mariefred, kvällstid;strangnas-2023-2026-pa-2;strangnas-2024-2025-lofte-2;joint;fältare, civilsamhälle;yearly\r\n" +
			"s24-akt-2;Hastighetskontroller på landsbygden;strangnas-2023-2026-pa-5;strangnas-2024-2025-lofte-6;police;;recurring\r\n"
		path := "/v1/imports/activities.csv?promisePeriodRef=strangnas-2024-2025"
		dry := a.do(http.MethodPost, path+"&dryRun=true", editor, csv, header{"Content-Type", "text/csv"}).want(http.StatusOK)
		var rep importReport
		dry.JSON(&rep)
		if !rep.DryRun || rep.Created != 2 {
			t.Fatalf("dry run %+v", rep)
		}
		a.do(http.MethodPost, path, editor, csv, header{"Content-Type", "text/csv"}).want(http.StatusOK).JSON(&rep)
		if rep.Created != 2 {
			t.Fatalf("import %+v", rep)
		}
		var cur struct {
			Activities []obj `json:"activities"`
		}
		a.get("/v1/municipalities/0486/promise-periods/current", "").want(http.StatusOK).JSON(&cur)
		if len(cur.Activities) != 2 || cur.Activities[0]["description"] != "Trygghetsvandring i Mariefred, kvällstid" ||
			len(cur.Activities[0]["promiseIds"].([]any)) != 1 || cur.Activities[1]["responsibleParty"] != "police" {
			t.Fatalf("activities after the import: %v", cur.Activities)
		}
		a.do(http.MethodPost, path, editor, csv, header{"Content-Type", "text/csv"}).want(http.StatusOK).JSON(&rep)
		if rep.Unchanged != 2 || rep.Created+rep.Updated != 0 {
			t.Fatalf("re-import %+v", rep)
		}
	})
}

func TestAWorkbookWithBadRowsIsRejectedWholeNamingRowAndColumn(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		editor := a.token("editor", "0486")
		f := excelize.NewFile()
		f.SetSheetName("Sheet1", "Aktiviteter")
		f.SetSheetRow("Aktiviteter", "A1", &[]any{"ref", "description", "priorityAreaRefs", "status"})
		f.SetSheetRow("Aktiviteter", "A2", &[]any{"x-1", "Grannsamverkan", "strangnas-2023-2026-pa-3", "planned"})
		f.SetSheetRow("Aktiviteter", "A3", &[]any{"x-2", "Okänt område", "finns-inte", "planned"})
		f.SetSheetRow("Aktiviteter", "A4", &[]any{"x-3", "Fel läge", "", "klar"})
		buf, err := f.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		path := "/v1/imports/activities.xlsx?promisePeriodRef=strangnas-2024-2025"
		// The file's own problem first: an unknown status in row 4.
		p := a.do(http.MethodPost, path, editor, buf.Bytes(), header{"Content-Type", xlsxType}).problem(http.StatusUnprocessableEntity)
		if !hasCell(p, "Aktiviteter", 4, "status") {
			t.Fatalf("problem %v", p)
		}
		// Fixed, the unknown priority area in row 3 is what remains; nothing is written.
		f.SetCellStr("Aktiviteter", "D4", "planned")
		buf, _ = f.WriteToBuffer()
		p = a.do(http.MethodPost, path, editor, buf.Bytes(), header{"Content-Type", xlsxType}).problem(http.StatusUnprocessableEntity)
		if !hasCell(p, "", 3, "priorityAreaRefs") {
			t.Fatalf("problem %v", p)
		}
		var page struct{ Items []obj }
		a.get("/v1/activities?municipality=0486&limit=200", editor).want(http.StatusOK).JSON(&page)
		for _, it := range page.Items {
			if strings.HasPrefix(it["externalRef"].(string), "x-") {
				t.Fatalf("a rejected workbook wrote %v", it["externalRef"])
			}
		}
		// Fixed again, the workbook goes in whole.
		f.SetCellStr("Aktiviteter", "C3", "strangnas-2023-2026-pa-1")
		buf, _ = f.WriteToBuffer()
		var rep importReport
		a.do(http.MethodPost, path, editor, buf.Bytes(), header{"Content-Type", xlsxType}).want(http.StatusOK).JSON(&rep)
		if rep.Created != 3 {
			t.Fatalf("report %+v", rep)
		}
		var x1 obj
		a.get("/v1/activities/"+itemID(rep, "x-1"), editor).want(http.StatusOK).JSON(&x1)
		if x1["description"] != "Grannsamverkan" || len(x1["priorityAreaIds"].([]any)) != 1 {
			t.Fatalf("x-1 read back as %v", x1)
		}
	})
}

func hasCell(problem map[string]any, sheet string, row int, column string) bool {
	for _, e := range problem["errors"].([]any) {
		m := e.(map[string]any)
		s, _ := m["sheet"].(string)
		r, _ := m["row"].(float64) // absent for a problem of the whole file
		if c, _ := m["column"].(string); s == sheet && int(r) == row && c == column {
			return true
		}
	}
	return false
}

func TestTheTemplatesAreServed(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		csv := a.get("/v1/imports/templates/activities.csv", "").want(http.StatusOK)
		if !strings.HasPrefix(string(csv.Body), "\ufeffref;description;") {
			t.Fatalf("CSV template %q", csv.Body)
		}
		xlsx := a.get("/v1/imports/templates/activities.xlsx", "").want(http.StatusOK)
		f, err := excelize.OpenReader(strings.NewReader(string(xlsx.Body)))
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := f.GetCellValue("Aktiviteter", "B1"); v != "description" {
			t.Fatalf("workbook header B1 %q", v)
		}
	})
}

func TestARowCopiedTwiceIsNamedNotLookedUp(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		editor := a.token("editor", "0486")
		csv := "ref;description\nd-1;Trygghetsvandring\nd-1;Trygghetsvandring\n"
		p := a.do(http.MethodPost, "/v1/imports/activities.csv?promisePeriodRef=strangnas-2024-2025", editor, csv,
			header{"Content-Type", "text/csv"}).problem(http.StatusUnprocessableEntity)
		if !hasCell(p, "", 3, "ref") {
			t.Fatalf("problem %v", p)
		}
	})
}

func TestASpreadsheetImportNamesTheListParameterAndTheMediaTypeItTakes(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		editor := a.token("editor", "0486")
		a.do(http.MethodPost, "/v1/imports/activities.csv?promisePeriodRef=finns-inte", editor, "ref;description\nx;y\n",
			header{"Content-Type", "text/csv"}).problem(http.StatusUnprocessableEntity, "promisePeriodRef")
		p := a.do(http.MethodPost, "/v1/imports/activities.csv?promisePeriodRef=strangnas-2024-2025", editor, `{"ref":"x"}`).
			problem(http.StatusUnsupportedMediaType)
		if !strings.Contains(p["detail"].(string), "text/csv") {
			t.Fatalf("415 detail %q does not name text/csv", p["detail"])
		}
		// The file itself under a JSON or a form's media type: the type is wrong, not the JSON.
		for _, ct := range []string{"application/json", "multipart/form-data; boundary=x"} {
			a.do(http.MethodPost, "/v1/imports/activities.csv?promisePeriodRef=strangnas-2024-2025", editor, "ref;description\nx;y\n",
				header{"Content-Type", ct}).problem(http.StatusUnsupportedMediaType)
		}
	})
}
