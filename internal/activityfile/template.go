package activityfile

import (
	"bytes"
	"encoding/csv"

	"github.com/xuri/excelize/v2"
)

// TemplateCSV is the CSV template: UTF-8 with a byte order mark (for Excel), semicolons (as
// Swedish Excel saves), the header and one example row.
func TemplateCSV() []byte {
	buf := bytes.NewBufferString("\ufeff")
	w := csv.NewWriter(buf)
	w.Comma = ';'
	w.UseCRLF = true
	header, example := make([]string, len(Columns)), make([]string, len(Columns))
	for i, c := range Columns {
		header[i], example[i] = c.Name, c.Example
	}
	_ = w.Write(header) // writes to a buffer cannot fail
	_ = w.Write(example)
	w.Flush()
	return buf.Bytes()
}

// TemplateXLSX is the Excel template: the activity sheet with the header and one example row,
// and a second sheet that says what each column holds.
func TemplateXLSX() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet, help = "Aktiviteter", "Kolumner"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(help); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	for i, c := range Columns {
		head, _ := excelize.CoordinatesToCellName(i+1, 1)
		ex, _ := excelize.CoordinatesToCellName(i+1, 2)
		if err := f.SetCellStr(sheet, head, c.Name); err != nil {
			return nil, err
		}
		if err := f.SetCellStr(sheet, ex, c.Example); err != nil {
			return nil, err
		}
		if err := f.SetCellStr(help, "A"+itoa(i+1), c.Name); err != nil {
			return nil, err
		}
		if err := f.SetCellStr(help, "B"+itoa(i+1), c.Help); err != nil {
			return nil, err
		}
	}
	if err := f.SetRowStyle(sheet, 1, 1, bold); err != nil {
		return nil, err
	}
	if err := f.SetColWidth(sheet, "A", "K", 24); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func itoa(i int) string {
	n, _ := excelize.CoordinatesToCellName(1, i)
	return n[1:]
}
