package activityfile

import (
	"bytes"
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
	if len(rows) != 2 || rows[0].Number != 2 || rows[1].Number != 4 {
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
