package activityfile

import (
	"testing"

	"github.com/xuri/excelize/v2"
)

// FuzzReaders feeds arbitrary bytes to both readers: they answer rows or problems, never
// panic, and every problem says something.
//
//	go test ./internal/activityfile -run '^$' -fuzz FuzzReaders -fuzztime 60s
func FuzzReaders(f *testing.F) {
	f.Add(TemplateCSV())
	if x, err := TemplateXLSX(); err == nil {
		f.Add(x)
	}
	f.Add([]byte("ref,description\n\"unterminated,x\n"))
	f.Add([]byte("\ufeffref;description;status\r\nakt;;weird\r\n"))
	f.Add(datedWorkbook())
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, read := range []func([]byte) ([]Row, []Problem){ReadCSV, ReadXLSX} {
			rows, problems := read(data)
			for _, p := range problems {
				if p.Detail == "" {
					t.Fatalf("a problem without a detail: %+v", p)
				}
			}
			for _, r := range rows {
				if r.Number < 2 {
					t.Fatalf("row number %d", r.Number)
				}
			}
		}
	})
}

// datedWorkbook has a number under a date format, for the fuzzer to reach datesAsText.
func datedWorkbook() []byte {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"ref", "description", "startsOn"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"akt-1", "Trygghetsvandring", 46082})
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellStyle("Sheet1", "C2", "C2", style)
	buf, _ := f.WriteToBuffer()
	return buf.Bytes()
}
