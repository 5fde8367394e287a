package activityfile

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Cells that used to be read as something else than what they say, or not read at all.

func TestAYearInACSVIsAProblemNotADayOf1905(t *testing.T) {
	rows, problems := ReadCSV([]byte("ref;description;startsOn;endsOn\nx-1;Beskrivning;2026;2027\n"))
	if len(problems) != 2 {
		t.Fatalf("rows %+v problems %+v, want a problem for each date", rows, problems)
	}
	for i, want := range []struct{ column, detail string }{
		{"startsOn", "2026 is a year, not a date: write 2026-01-01"},
		{"endsOn", "2027 is a year, not a date: write 2027-01-01"},
	} {
		if p := problems[i]; p.Row != 2 || p.Column != want.column || p.Detail != want.detail {
			t.Errorf("problem %+v, want row 2 %s %q", p, want.column, want.detail)
		}
	}
}

func TestANumberInACSVIsNotAnExcelDay(t *testing.T) {
	_, problems := ReadCSV([]byte("ref;description;startsOn\nx-1;Beskrivning;46082\n"))
	if len(problems) != 1 || problems[0].Column != "startsOn" || !strings.Contains(problems[0].Detail, "46082 is a number, not a date") {
		t.Fatalf("problems %+v", problems)
	}
}

func TestADateThatIsNoDaySaysWhy(t *testing.T) {
	_, problems := ReadCSV([]byte("ref;description;startsOn;endsOn\nx-1;Beskrivning;2026-02-30;1899-12-30\n"))
	if len(problems) != 2 ||
		problems[0].Detail != "2026-02-30 is not a day: February 2026 has 28 days" ||
		!strings.Contains(problems[1].Detail, "between the years 1900 and 2999") {
		t.Fatalf("problems %+v", problems)
	}
}

// In a workbook a number is a date when Excel shows it as one: under a date number format.
func TestAWorkbookNumberIsADateOnlyUnderADateFormat(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"ref", "description", "startsOn"})
	builtIn, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	iso := "yyyy-mm-dd"
	custom, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &iso})
	decimals, _ := f.NewStyle(&excelize.Style{NumFmt: 2})
	for i, c := range []struct {
		value any
		style int
	}{
		{46082, builtIn}, {46082, custom}, {"2026-03-01", 0}, // row 2–4: 2026-03-01
		{46082, 0}, {46082, decimals}, {2026, 0}, {"46082", builtIn}, // row 5–8: not dates
	} {
		row := itoa(i + 2)
		f.SetSheetRow("Sheet1", "A"+row, &[]any{"akt-" + row, "Trygghetsvandring", c.value})
		if c.style != 0 {
			f.SetCellStyle("Sheet1", "C"+row, "C"+row, c.style)
		}
	}
	buf, _ := f.WriteToBuffer()
	rows, problems := ReadXLSX(buf.Bytes())
	for _, r := range rows[:3] {
		if d := r.Activity.Activity.StartsOn; d == nil || d.Format("2006-01-02") != "2026-03-01" {
			t.Errorf("row %d: startsOn %v, want 2026-03-01", r.Number, d)
		}
	}
	want := map[int]string{5: "46082 is a number", 6: "46082 is a number", 7: "2026 is a year", 8: "46082 is a number"}
	if len(problems) != len(want) {
		t.Fatalf("problems %+v, want rows 5–8", problems)
	}
	for _, p := range problems {
		if p.Sheet != "Sheet1" || p.Column != "startsOn" || !strings.Contains(p.Detail, want[p.Row]) {
			t.Errorf("problem %+v, want %q", p, want[p.Row])
		}
	}
}

func TestAWorkbookCountingFrom1904ReadsItsDatesSo(t *testing.T) {
	f := excelize.NewFile()
	yes := true
	f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes})
	f.SetSheetRow("Sheet1", "A1", &[]any{"ref", "description", "startsOn"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"akt-1", "Trygghetsvandring", 44620}) // 2026-03-01 counted from 1904
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle("Sheet1", "C2", "C2", style)
	buf, _ := f.WriteToBuffer()
	rows, problems := ReadXLSX(buf.Bytes())
	if len(problems) != 0 || rows[0].Activity.Activity.StartsOn.Format("2006-01-02") != "2026-03-01" {
		t.Fatalf("%+v %+v", rows, problems)
	}
}

func TestACSVRowWiderThanItsHeaderIsAProblemNamingTheRow(t *testing.T) {
	_, problems := ReadCSV([]byte("ref;description\nx-1;Beskrivning;extra;more\n"))
	if len(problems) != 1 || problems[0].Row != 2 || problems[0].Column != "" ||
		!strings.Contains(problems[0].Detail, `column C holds "extra"`) {
		t.Fatalf("problems %+v", problems)
	}
}

// Excel writes a separator for every column a row once had; empty cells say nothing.
func TestEmptyCellsRightOfTheHeaderAreHarmless(t *testing.T) {
	rows, problems := ReadCSV([]byte("ref;description;\r\nx-1;Beskrivning;;;\r\n"))
	if len(problems) != 0 || len(rows) != 1 {
		t.Fatalf("rows %+v problems %+v", rows, problems)
	}
}

func TestACellUnderAnEmptyHeaderIsAProblem(t *testing.T) {
	_, problems := ReadCSV([]byte("ref;;description\nx-1;skräp;Beskrivning\n"))
	if len(problems) != 1 || problems[0].Row != 2 || !strings.Contains(problems[0].Detail, `column B holds "skräp"`) {
		t.Fatalf("problems %+v", problems)
	}
}

func TestAWorkbookRowWiderThanItsHeaderIsAProblemNamingTheRow(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"ref", "description"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"x-1", "Beskrivning"})
	f.SetCellStr("Sheet1", "E2", "anteckning")
	f.SetSheetRow("Sheet1", "A3", &[]any{"x-2", "Beskrivning", ""})
	buf, _ := f.WriteToBuffer()
	rows, problems := ReadXLSX(buf.Bytes())
	if len(problems) != 1 || problems[0].Sheet != "Sheet1" || problems[0].Row != 2 ||
		!strings.Contains(problems[0].Detail, `column E holds "anteckning"`) {
		t.Fatalf("rows %+v problems %+v", rows, problems)
	}
}

func TestAFileThatIsNotUTF8IsRefusedAtItsFirstBadCell(t *testing.T) {
	// Windows-1252, as Excel saves "CSV (semicolon separated)": ä is the byte E4.
	_, problems := ReadCSV([]byte("ref;description\nakt-1;Trygghetsvandring\nakt-2;Tr\xe4ff\n"))
	if len(problems) != 1 || problems[0].Row != 3 || problems[0].Column != "description" ||
		!strings.Contains(problems[0].Detail, "UTF-8") || !strings.Contains(problems[0].Detail, "\"Tr\ufffdff\"") {
		t.Fatalf("problems %+v", problems)
	}
	_, problems = ReadCSV([]byte("ref;beskr\xe4vning\n"))
	if len(problems) != 1 || problems[0].Row != 1 || !strings.Contains(problems[0].Detail, "column B") {
		t.Fatalf("in the header: %+v", problems)
	}
	// A file that cannot be read as CSV at all is still told where its first bad byte is.
	_, problems = ReadCSV([]byte("ref;description\nakt-1;\"open\nakt-2;Tr\xe4ff\n"))
	if len(problems) != 1 || problems[0].Row != 3 || !strings.Contains(problems[0].Detail, "UTF-8") {
		t.Fatalf("an unreadable file: %+v", problems)
	}
}
