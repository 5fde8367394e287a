package activityfile

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// Row is one activity and the number its row has in the spreadsheet.
type Row struct {
	Activity samverkan.ImportActivity
	Number   int
}

// Problem is one thing wrong with a file, where a spreadsheet user finds it.
type Problem struct {
	Sheet  string // workbooks only
	Row    int    // as the spreadsheet numbers it: the header is row 1; 0 for the whole file
	Column string // the header's name; empty for a whole row
	Detail string
}

// MaxRows bounds one file: an activity list is dozens of rows, a national one thousands.
const MaxRows = 20000

// ReadCSV reads an activity list from CSV: UTF-8 with or without a byte order mark, separated
// by commas or semicolons (Swedish Excel saves semicolons), the first row naming the columns.
func ReadCSV(data []byte) ([]Row, []Problem) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return nil, []Problem{{Detail: "the file is not UTF-8 text; save it as \"CSV UTF-8\""}}
	}
	comma := delimiter(data)
	// A line of a million separators would make a million fields before any check could run.
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		if bytes.Count(line, []byte(string(comma))) > maxDelimited {
			return nil, []Problem{{Detail: fmt.Sprintf("a line has more than %d separators; is this an activity list?", maxDelimited)}}
		}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1 // rows may end early; missing cells are empty
	var rows [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			if pe, ok := err.(*csv.ParseError); ok {
				line = pe.Line
			}
			return nil, []Problem{{Row: line, Detail: "the row cannot be read as CSV: " + err.Error()}}
		}
		line, _ := r.FieldPos(0) // the reader skips blank lines: keep each record's own line
		if len(rec) > maxColumns {
			return nil, []Problem{{Row: line, Detail: fmt.Sprintf("the row has more than %d columns", maxColumns)}}
		}
		rows = append(rows, rec)
		lines = append(lines, line)
		if len(rows) > MaxRows+1 {
			return nil, []Problem{{Detail: fmt.Sprintf("the file has more than %d rows", MaxRows)}}
		}
	}
	return fromRows("", rows, lines)
}

// delimiter is the one of comma and semicolon that the header row holds more of.
func delimiter(data []byte) rune {
	header, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		return ';'
	}
	return ','
}

// Workbooks are zip archives of XML: an upload of a few kilobytes can claim billions of rows
// or unpack to gigabytes. These bound what reading one may cost.
const (
	maxUnzipped  = 64 << 20 // the whole workbook, unpacked
	maxSheetXML  = 32 << 20 // one sheet's XML, unpacked
	maxColumns   = 64       // far more than the template's
	maxDelimited = 1000     // separators on one CSV line before it is refused unread
)

// ReadXLSX reads an activity list from the first sheet of an Excel workbook. Cells are read
// raw, so that a date typed into Excel (a serial number under a date format) reads as a date.
func ReadXLSX(data []byte) ([]Row, []Problem) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxSheetXML})
	if err != nil {
		return nil, []Problem{{Detail: "the file is not an Excel workbook (.xlsx) that can be read: " + err.Error()}}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, []Problem{{Detail: "the workbook has no sheet"}}
	}
	sheet := sheets[0]
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, []Problem{{Sheet: sheet, Detail: "the sheet cannot be read: " + err.Error()}}
	}
	defer it.Close()
	// Row by row, stopping at the limit: a sheet may claim any number of (empty) rows.
	var rows [][]string
	for it.Next() {
		if len(rows) > MaxRows {
			return nil, []Problem{{Sheet: sheet, Detail: fmt.Sprintf("the sheet has more than %d rows", MaxRows)}}
		}
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, []Problem{{Sheet: sheet, Row: len(rows) + 1, Detail: "the row cannot be read: " + err.Error()}}
		}
		if len(cells) > maxColumns {
			return nil, []Problem{{Sheet: sheet, Row: len(rows) + 1, Detail: fmt.Sprintf("the row has more than %d columns", maxColumns)}}
		}
		rows = append(rows, cells)
	}
	if err := it.Error(); err != nil {
		return nil, []Problem{{Sheet: sheet, Detail: "the sheet cannot be read: " + err.Error()}}
	}
	return fromRows(sheet, rows, nil)
}

// fromRows maps the header to the known columns and reads each row into an activity,
// collecting every problem. lines numbers the rows where the reader skipped some (CSV skips
// blank lines); nil means row i is line i+1.
func fromRows(sheet string, rows [][]string, lines []int) ([]Row, []Problem) {
	number := func(i int) int {
		if lines != nil {
			return lines[i]
		}
		return i + 1
	}
	if len(rows) == 0 {
		return nil, []Problem{{Sheet: sheet, Detail: "the file is empty; start from the template"}}
	}
	var problems []Problem
	index := map[int]*Column{}
	seen := map[string]bool{}
	for i, name := range rows[0] {
		name = strings.TrimSpace(name)
		col := find(name)
		switch {
		case name == "":
		case col == nil:
			problems = append(problems, Problem{Sheet: sheet, Row: 1, Column: name, Detail: "is not a column of the template"})
		case seen[col.Name]:
			problems = append(problems, Problem{Sheet: sheet, Row: 1, Column: name, Detail: "appears twice"})
		default:
			seen[col.Name] = true
			index[i] = col
		}
	}
	for _, must := range []string{"ref", "description"} {
		if !seen[must] {
			problems = append(problems, Problem{Sheet: sheet, Row: 1, Column: must, Detail: "the column is missing"})
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	var out []Row
	for i, row := range rows[1:] {
		if blank(row) {
			continue
		}
		line := number(i + 1)
		var a samverkan.ImportActivity
		for _, i := range slices.Sorted(maps.Keys(index)) {
			col := index[i]
			value := ""
			if i < len(row) {
				value = strings.TrimSpace(row[i])
			}
			if strings.IndexFunc(value, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f }) >= 0 {
				problems = append(problems, Problem{Sheet: sheet, Row: line, Column: col.Name, Detail: "contains a control character"})
				continue
			}
			if problem := col.set(&a, value); problem != "" {
				problems = append(problems, Problem{Sheet: sheet, Row: line, Column: col.Name, Detail: problem})
			}
		}
		out = append(out, Row{Activity: a, Number: line})
	}
	return out, problems
}

func find(name string) *Column {
	for i := range Columns {
		if strings.EqualFold(Columns[i].Name, name) {
			return &Columns[i]
		}
	}
	return nil
}

func blank(row []string) bool {
	for _, cell := range row {
		if strings.TrimSpace(cell) != "" {
			return false
		}
	}
	return true
}
