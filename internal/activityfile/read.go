package activityfile

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
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
	comma := delimiter(data)
	// A line of a million separators would make a million fields before any check could run.
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		if bytes.Count(line, []byte(string(comma))) > maxDelimited {
			return nil, []Problem{{Detail: fmt.Sprintf("a line has more than %d separators; is this an activity list?", maxDelimited)}}
		}
	}
	rows, lines, problem := readRecords(data, comma)
	// Checked once read, so that the problem names the cell: "not UTF-8" alone leaves a
	// person searching a whole file for the one ä that was saved wrong.
	if !utf8.Valid(data) {
		return nil, []Problem{notUTF8(data, rows, lines)}
	}
	if problem != nil {
		return nil, []Problem{*problem}
	}
	return fromRows(table{rows: rows, lines: lines,
		unheaded: fmt.Sprintf(` (a cell with "%c" in it must be in quotes)`, comma)})
}

// readRecords reads the CSV up to its end or its first problem, with the line each record
// begins on.
func readRecords(data []byte, comma rune) ([][]string, []int, *Problem) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1 // rows may end early; missing cells are empty
	var rows [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, lines, nil
		}
		if err != nil {
			line := 0
			if pe, ok := err.(*csv.ParseError); ok {
				line = pe.Line
			}
			return rows, lines, &Problem{Row: line, Detail: "the row cannot be read as CSV: " + err.Error()}
		}
		line, _ := r.FieldPos(0) // the reader skips blank lines: keep each record's own line
		if len(rec) > maxColumns {
			return rows, lines, &Problem{Row: line, Detail: fmt.Sprintf("the row has more than %d columns", maxColumns)}
		}
		rows = append(rows, rec)
		lines = append(lines, line)
		if len(rows) > MaxRows+1 {
			return rows, lines, &Problem{Detail: fmt.Sprintf("the file has more than %d rows", MaxRows)}
		}
	}
}

// notUTF8 is the problem of a file that is not UTF-8 text, at the first cell that is not; or,
// in a file that cannot be read as far as that cell, at the line of the first byte that is not.
func notUTF8(data []byte, rows [][]string, lines []int) Problem {
	const fix = `; save the file as "CSV UTF-8"`
	for i, row := range rows {
		for j, cell := range row {
			if utf8.ValidString(cell) {
				continue
			}
			shown := excerpt(strings.ToValidUTF8(cell, "\ufffd"))
			if col := headerAt(rows[0], j); i > 0 && col != nil {
				return Problem{Row: lines[i], Column: col.Name, Detail: shown + " is not UTF-8 text" + fix}
			}
			return Problem{Row: lines[i], Detail: "column " + columnName(j) + " holds " + shown + ", which is not UTF-8 text" + fix}
		}
	}
	bad := 0
	for bad < len(data) {
		r, size := utf8.DecodeRune(data[bad:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		bad += size
	}
	line := bytes.Count(data[:bad], []byte("\n")) + 1
	return Problem{Row: line, Detail: fmt.Sprintf("the file is not UTF-8 text from line %d on%s", line, fix)}
}

// headerAt is the template's column the header names at index i, if any.
func headerAt(header []string, i int) *Column {
	if i >= len(header) {
		return nil
	}
	return find(strings.TrimSpace(header[i]))
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
// raw, and a number is a date only where the workbook shows it as one: under a date format.
func ReadXLSX(data []byte) ([]Row, []Problem) {
	if p := checkParts(data); p != nil {
		return nil, []Problem{*p}
	}
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
	datesAsText(data, rows)
	return fromRows(table{sheet: sheet, rows: rows, unheaded: "; move it to a column of the template or empty it"})
}

// table is a sheet as a reader hands it to fromRows.
type table struct {
	sheet string // workbooks only
	rows  [][]string
	lines []int // each row's number, where the reader skipped some (CSV skips blank lines); nil: row i is i+1
	// unheaded ends the problem of a value in a column without a header: what to do about it.
	unheaded string
}

// fromRows maps the header to the known columns and reads each row into an activity,
// collecting every problem.
func fromRows(t table) ([]Row, []Problem) {
	number := func(i int) int {
		if t.lines != nil {
			return t.lines[i]
		}
		return i + 1
	}
	if len(t.rows) == 0 {
		return nil, []Problem{{Sheet: t.sheet, Detail: "the file is empty; start from the template"}}
	}
	index, problems := header(t.sheet, t.rows[0])
	if len(problems) > 0 {
		return nil, problems
	}
	var out []Row
	for i, row := range t.rows[1:] {
		if blank(row) {
			continue
		}
		line := number(i + 1)
		if detail := unheaded(row, index); detail != "" {
			problems = append(problems, Problem{Sheet: t.sheet, Row: line, Detail: detail + t.unheaded})
		}
		var a samverkan.ImportActivity
		for _, i := range slices.Sorted(maps.Keys(index)) {
			col := index[i]
			value := ""
			if i < len(row) {
				value = strings.TrimSpace(row[i])
			}
			if strings.IndexFunc(value, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f }) >= 0 {
				problems = append(problems, Problem{Sheet: t.sheet, Row: line, Column: col.Name, Detail: "contains a control character"})
				continue
			}
			if problem := col.set(&a, value); problem != "" {
				problems = append(problems, Problem{Sheet: t.sheet, Row: line, Column: col.Name, Detail: problem})
			}
		}
		out = append(out, Row{Activity: a, Number: line})
	}
	return out, problems
}

// header maps the index of each header cell to the template's column it names.
func header(sheet string, names []string) (map[int]*Column, []Problem) {
	var problems []Problem
	index := map[int]*Column{}
	seen := map[string]bool{}
	for i, name := range names {
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
	return index, problems
}

// unheaded is the problem of a row with a value in a column the header does not name, right of
// the header or under an empty header cell: a value the import would otherwise drop unread.
// Empty cells there are harmless and say nothing: Excel writes a separator for each column a
// sheet ever used, so rows often end in a few.
func unheaded(row []string, index map[int]*Column) string {
	for i, cell := range row {
		if index[i] == nil && strings.TrimSpace(cell) != "" {
			return "column " + columnName(i) + " holds " + excerpt(cell) + ", but the column has no header"
		}
	}
	return ""
}

// columnName is the letter a spreadsheet shows over the column at index i: A, B, … AA.
func columnName(i int) string {
	name, _ := excelize.ColumnNumberToName(i + 1)
	return name
}

// excerpt quotes a cell for a problem's detail, cut short: a description may be pages long.
func excerpt(cell string) string {
	const most = 40
	cell = strings.TrimSpace(cell)
	if r := []rune(cell); len(r) > most {
		cell = string(r[:most]) + "…"
	}
	return strconv.Quote(cell)
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
