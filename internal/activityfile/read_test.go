package activityfile

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestCSVAsSwedishExcelSavesIt(t *testing.T) {
	// Semicolons, a byte order mark, CRLF, a quoted cell with a semicolon, columns in another
	// order and in other case, a blank row.
	file := "\ufeffREF;Description;status;partners\r\n" +
		"akt-1;\"Trygghetsvandring; kvällstid\";ongoing;fältare, civilsamhälle\r\n" +
		";;;\r\n" +
		"akt-2;Grannsamverkan i Åkers styckebruk;;\r\n"
	rows, problems := ReadCSV([]byte(file))
	if len(problems) != 0 {
		t.Fatalf("problems: %+v", problems)
	}
	if len(rows) != 2 || rows[0].Number != 2 || rows[1].Number != 4 { // row 3 is blank
		t.Fatalf("rows %+v", rows)
	}
	a := rows[0].Activity
	if a.Activity.ExternalRef != "akt-1" || a.Activity.Description != "Trygghetsvandring; kvällstid" || a.Activity.Status != "ongoing" ||
		strings.Join(a.Activity.Partners, "|") != "fältare|civilsamhälle" {
		t.Fatalf("first row %+v", a.Activity)
	}
	if rows[1].Activity.Activity.Description != "Grannsamverkan i Åkers styckebruk" {
		t.Fatalf("second row %+v", rows[1].Activity.Activity)
	}
}

func TestCommaSeparatedCSVWithoutBOMReadsToo(t *testing.T) {
	rows, problems := ReadCSV([]byte("ref,description,priorityAreaRefs\nakt-1,Trafikövervakning,pa-5 pa-6\n"))
	if len(problems) != 0 || len(rows) != 1 || strings.Join(rows[0].Activity.PriorityAreaRefs, " ") != "pa-5 pa-6" {
		t.Fatalf("%+v %+v", rows, problems)
	}
}

func TestEveryProblemIsNamedByRowAndColumn(t *testing.T) {
	file := "ref;description;status;startsOn;recurrence\n" +
		"akt-1;;done;2026-13-01;weekly\n" +
		";Fotpatrullering;planned;;\n"
	_, problems := ReadCSV([]byte(file))
	want := map[string]bool{"2 description": true, "2 status": true, "2 startsOn": true, "2 recurrence": true, "3 ref": true}
	if len(problems) != len(want) {
		t.Fatalf("problems %+v, want %d", problems, len(want))
	}
	for _, p := range problems {
		key := strings.Join([]string{itoa(p.Row), p.Column}, " ")
		if !want[key] || p.Detail == "" {
			t.Errorf("unexpected problem %+v", p)
		}
	}
}

func TestAHeaderThatIsNotTheTemplatesIsRefusedWhole(t *testing.T) {
	_, problems := ReadCSV([]byte("ref;beskrivning;ref\nakt-1;x;y\n"))
	got := map[string]bool{}
	for _, p := range problems {
		got[p.Column+": "+p.Detail] = true
	}
	for _, want := range []string{"beskrivning: is not a column of the template", "ref: appears twice", "description: the column is missing"} {
		if !got[want] {
			t.Errorf("missing problem %q in %v", want, got)
		}
	}
}

func TestFilesThatAreNotSpreadsheetsSayWhatToDo(t *testing.T) {
	if _, p := ReadCSV([]byte("ref;description\nakt-1;Tr\xe4ff\n")); len(p) != 1 || !strings.Contains(p[0].Detail, "UTF-8") {
		t.Fatalf("Latin-1 CSV: %+v", p)
	}
	if _, p := ReadXLSX([]byte("ref;description\n")); len(p) != 1 || !strings.Contains(p[0].Detail, "not an Excel workbook") {
		t.Fatalf("CSV sent as a workbook: %+v", p)
	}
	if _, p := ReadCSV(nil); len(p) != 1 {
		t.Fatalf("empty file: %+v", p)
	}
}

func TestWorkbooksAreReadFromTheirFirstSheet(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"ref", "description", "responsibleParty"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"akt-1", "Krogar mot knark (KMK)", "joint"})
	f.SetSheetRow("Sheet1", "A3", &[]any{"akt-2", "Hyresvärdnätverket", "landlords"})
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	rows, problems := ReadXLSX(buf.Bytes())
	if len(rows) != 2 || len(problems) != 1 || problems[0].Sheet != "Sheet1" || problems[0].Row != 3 || problems[0].Column != "responsibleParty" {
		t.Fatalf("rows %+v problems %+v", rows, problems)
	}
}

func TestTheTemplatesReadBackAsOneExampleRow(t *testing.T) {
	x, err := TemplateXLSX()
	if err != nil {
		t.Fatal(err)
	}
	for name, read := range map[string]func() ([]Row, []Problem){
		"csv":  func() ([]Row, []Problem) { return ReadCSV(TemplateCSV()) },
		"xlsx": func() ([]Row, []Problem) { return ReadXLSX(x) },
	} {
		rows, problems := read()
		if len(problems) != 0 || len(rows) != 1 || rows[0].Activity.Activity.ExternalRef != "strangnas-2026-aktivitet-01" {
			t.Errorf("%s template: %+v %+v", name, rows, problems)
		}
	}
}

func TestTheShippedTemplatesAreTheServedOnes(t *testing.T) {
	shipped, err := os.ReadFile("templates/activities.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shipped, TemplateCSV()) {
		t.Fatal("templates/activities.csv differs from TemplateCSV(): write it anew")
	}
	xlsx, err := os.ReadFile("templates/activities.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	rows, problems := ReadXLSX(xlsx)
	if len(problems) != 0 || len(rows) != 1 {
		t.Fatalf("templates/activities.xlsx: %+v %+v", rows, problems)
	}
}

func TestCellsKeepTheContractsLimits(t *testing.T) {
	file := "ref;description;priorityAreaRefs;method\n" +
		"bad ref/åäö;" + strings.Repeat("x", 5001) + ";pa-1 pa-1;ok\n" +
		"ok-2;Nul\x00tecken;;" + strings.Repeat("m", 201) + "\n"
	_, problems := ReadCSV([]byte(file))
	got := map[string]bool{}
	for _, p := range problems {
		got[itoa(p.Row)+" "+p.Column] = true
	}
	for _, want := range []string{"2 ref", "2 description", "2 priorityAreaRefs", "3 description", "3 method"} {
		if !got[want] {
			t.Errorf("no problem at %s: %+v", want, problems)
		}
	}
}

func TestHostileWorkbooksAreRefusedCheaply(t *testing.T) {
	// One row claiming to be row 2,000,000,000: reading stops at the row limit instead of
	// walking (or allocating) up to it. excelize writes honest row numbers, so the claim is
	// patched into the sheet's XML afterwards.
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"ref", "description"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"akt-1", "far away"})
	buf, _ := f.WriteToBuffer()
	far := rewriteSheet(t, buf.Bytes(), func(xml string) string {
		xml = strings.ReplaceAll(xml, `<row r="2"`, `<row r="2000000000"`)
		xml = strings.ReplaceAll(xml, `r="A2"`, `r="A2000000000"`)
		return strings.ReplaceAll(xml, `r="B2"`, `r="B2000000000"`)
	})
	if _, problems := ReadXLSX(far); len(problems) != 1 || !strings.Contains(problems[0].Detail, "more than") {
		t.Fatalf("a row numbered 2,000,000,000: %+v", problems)
	}
	wide := excelize.NewFile()
	wide.SetSheetRow("Sheet1", "A1", &[]any{"ref", "description"})
	wide.SetCellStr("Sheet1", "XFD2", "wide")
	buf, _ = wide.WriteToBuffer()
	if _, problems := ReadXLSX(buf.Bytes()); len(problems) != 1 || !strings.Contains(problems[0].Detail, "columns") {
		t.Fatalf("a row 16,384 cells wide: %+v", problems)
	}
	if _, problems := ReadCSV([]byte("ref;description" + strings.Repeat(";", 2000) + "\n")); len(problems) != 1 {
		t.Fatalf("a CSV line of 2000 separators: %+v", problems)
	}
}

func TestDatesTypedIntoExcelReadAsDates(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"ref", "description", "startsOn"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"akt-1", "Trygghetsvandring", 46082}) // 2026-03-01 as Excel counts
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle("Sheet1", "C2", "C2", style)
	buf, _ := f.WriteToBuffer()
	rows, problems := ReadXLSX(buf.Bytes())
	if len(problems) != 0 || rows[0].Activity.Activity.StartsOn == nil || rows[0].Activity.Activity.StartsOn.Format("2006-01-02") != "2026-03-01" {
		t.Fatalf("%+v %+v", rows, problems)
	}
}

// rewriteSheet returns the workbook with the first sheet's XML changed by edit.
func rewriteSheet(t *testing.T, workbook []byte, edit func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(workbook), int64(len(workbook)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, file := range zr.File {
		r, err := file.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if file.Name == "xl/worksheets/sheet1.xml" {
			content = []byte(edit(string(content)))
		}
		w, err := zw.Create(file.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(content)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestCSVRowNumbersCountTheBlankLinesTheReaderSkips(t *testing.T) {
	_, problems := ReadCSV([]byte("ref;description\n\n\nakt-1;\n"))
	if len(problems) != 1 || problems[0].Row != 4 || problems[0].Column != "description" {
		t.Fatalf("problems %+v, want line 4, description", problems)
	}
}
