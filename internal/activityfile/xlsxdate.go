package activityfile

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Excel keeps a date as a number of days, and only the cell's number format makes it show as a
// date: 46082 under yyyy-mm-dd is 2026-03-01, 2026 under General is the year someone typed.
// ReadXLSX reads cells raw, so it learns the formats here, from the workbook's own parts:
// excelize's per-cell style look-up loads the whole sheet into memory first, and a sheet's
// claims about its size are not to be trusted (see TestHostileWorkbooksAreRefusedCheaply).

// datesAsText rewrites the numbers of rows that the workbook shows as dates as the YYYY-MM-DD
// text a CSV holds (with the time of day, where the format shows one and it is not midnight),
// so that one rule reads dates from both. Every other number stays as it is, for a date column
// to refuse. A workbook whose parts cannot be followed keeps its numbers: refused, not misread.
func datesAsText(data []byte, rows [][]string) {
	if !anyNumber(rows) {
		return // most lists are text, and text is never a number of days
	}
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return
	}
	wb, err := openWorkbook(z)
	if err != nil {
		return
	}
	sheet, err := z.Open(wb.sheet)
	if err != nil {
		return
	}
	defer sheet.Close()
	eachNumberCell(sheet, func(row, col, style int) {
		if row > len(rows) || col > len(rows[row-1]) || style >= len(wb.formats) || wb.formats[style] == notADate {
			return
		}
		rows[row-1][col-1] = dayText(rows[row-1][col-1], wb.formats[style], wb.date1904)
	})
}

func anyNumber(rows [][]string) bool {
	for _, row := range rows {
		for _, cell := range row {
			if _, err := strconv.ParseFloat(cell, 64); err == nil {
				return true
			}
		}
	}
	return false
}

// dayText is the serial number v as the day it counts to, or v itself if it counts to none.
func dayText(v string, format dateFormat, date1904 bool) string {
	serial, err := strconv.ParseFloat(v, 64)
	if err != nil || serial < 0 || serial >= 2958466 { // 2958466 would be the year 10000
		return v
	}
	if format == dateAndTime && serial != math.Trunc(serial) {
		t, _ := excelize.ExcelDateToTime(serial, date1904)
		return t.Format("2006-01-02 15:04")
	}
	// A format without hours shows the day the serial falls in, whatever its fraction.
	t, _ := excelize.ExcelDateToTime(math.Trunc(serial), date1904)
	return t.Format(time.DateOnly)
}

// eachNumberCell calls cell with the row, column and style of each number cell of the sheet's
// XML, placing cells as excelize's row iterator does: by their r attributes, or one after the
// other where they have none.
func eachNumberCell(sheet io.Reader, cell func(row, col, style int)) {
	dec := xml.NewDecoder(sheet)
	in, row, col := false, 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return // the end; excelize has read this XML already, so seldom anything else
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch {
			case el.Name.Local == "sheetData":
				in = true
			case !in:
			case el.Name.Local == "row":
				row, col = row+1, 0
				if r, err := strconv.Atoi(attr(el, "r")); err == nil && r != 0 {
					row = r
				}
			case el.Name.Local == "c":
				col++
				if c, _, err := excelize.CellNameToCoordinates(attr(el, "r")); err == nil {
					col = c
				}
				if style, ok := numberStyle(el); ok && row > 0 {
					cell(row, col, style)
				}
			}
		case xml.EndElement:
			if el.Name.Local == "sheetData" {
				return
			}
		}
	}
}

// numberStyle is the style of a cell that holds a number (no type, or type n), if it has a
// style that can be one; no s attribute is style 0.
func numberStyle(c xml.StartElement) (int, bool) {
	if t := attr(c, "t"); t != "" && t != "n" {
		return 0, false
	}
	s := attr(c, "s")
	if s == "" {
		return 0, true
	}
	style, err := strconv.Atoi(s)
	return style, err == nil && style >= 0
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// workbook is what datesAsText needs of a workbook: where its first sheet is, the number
// format of each cell style, and the day its serial numbers count from.
type workbook struct {
	sheet    string       // the first sheet's part, the one ReadXLSX reads
	formats  []dateFormat // by cell style (the s attribute of a cell)
	date1904 bool         // days count from 1904, as in workbooks from old Mac Excel
}

// openWorkbook follows the package's relationships, as excelize does: the package names the
// workbook, the workbook names its sheets in order and its styles.
func openWorkbook(z *zip.Reader) (*workbook, error) {
	var pkg relationships
	if err := readPart(z, "_rels/.rels", &pkg); err != nil {
		return nil, err
	}
	wbPart := pkg.byType("", "/officeDocument")
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			ID string `xml:"id,attr"` // r:id
		} `xml:"sheets>sheet"`
	}
	if err := readPart(z, wbPart, &wb); err != nil {
		return nil, err
	}
	if len(wb.Sheets) == 0 {
		return nil, io.ErrUnexpectedEOF
	}
	var rels relationships
	if err := readPart(z, path.Join(path.Dir(wbPart), "_rels", path.Base(wbPart)+".rels"), &rels); err != nil {
		return nil, err
	}
	var styles struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := readPart(z, rels.byType(path.Dir(wbPart), "/styles"), &styles); err != nil {
		return nil, err
	}
	codes := map[int]string{}
	for _, n := range styles.NumFmts {
		codes[n.ID] = n.Code
	}
	w := &workbook{sheet: rels.byID(path.Dir(wbPart), wb.Sheets[0].ID)}
	w.date1904, _ = strconv.ParseBool(wb.Pr.Date1904)
	for _, xf := range styles.Xfs {
		w.formats = append(w.formats, formatOf(xf.NumFmtID, codes))
	}
	return w, nil
}

type relationships struct {
	Rel []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// byType is the part the first relationship of the type points to, as a path in the zip
// (dir is the folder of the part the relationships are of). typ is a suffix of the type, the
// same in transitional and strict OOXML.
func (r relationships) byType(dir, typ string) string {
	for _, rel := range r.Rel {
		if strings.HasSuffix(rel.Type, typ) {
			return partPath(dir, rel.Target)
		}
	}
	return ""
}

func (r relationships) byID(dir, id string) string {
	for _, rel := range r.Rel {
		if rel.ID == id {
			return partPath(dir, rel.Target)
		}
	}
	return ""
}

func partPath(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(target, "/")
	}
	return path.Join(dir, target)
}

func readPart(z *zip.Reader, name string, into any) error {
	if name == "" {
		return io.ErrUnexpectedEOF // a relationship the workbook lacks
	}
	f, err := z.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return xml.NewDecoder(io.LimitReader(f, maxUnzipped)).Decode(into)
}

type dateFormat int

const (
	notADate dateFormat = iota
	dateOnly
	dateAndTime
)

// formatOf tells whether the number format shows a date, and a time of day with it.
// Of the built-in formats, 14–17 and 22 are the dates in every language Excel speaks to
// Swedes (14 is the system's short date, 2026-03-01 in Sweden); the East Asian ones are
// taken for numbers, refused rather than misread.
func formatOf(id int, codes map[int]string) dateFormat {
	switch id {
	case 14, 15, 16, 17:
		return dateOnly
	case 22:
		return dateAndTime
	}
	code, ok := codes[id]
	if !ok || id < 164 { // below 164 a format is built in, whatever numFmts says
		return notADate
	}
	return formatOfCode(code)
}

// formatOfCode reads a custom format: a date if it has day or year tokens, once quoted text,
// escaped and padding characters and [bracketed] colours, locales and elapsed times are left
// out ("kr" or [Red] hold no date). Months alone are not told from minutes, and no list is
// dated by month alone.
func formatOfCode(code string) dateFormat {
	var kept strings.Builder
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			if end := strings.IndexByte(code[i+1:], '"'); end >= 0 {
				i += end + 1
			} else {
				i = len(code)
			}
		case '[':
			if end := strings.IndexByte(code[i+1:], ']'); end >= 0 {
				i += end + 1
			} else {
				i = len(code)
			}
		case '\\', '_', '*':
			i++ // the next character is shown as it is, or is padding
		default:
			kept.WriteByte(c)
		}
	}
	shown := strings.ToLower(kept.String())
	switch {
	case !strings.ContainsAny(shown, "dy"):
		return notADate
	case strings.ContainsAny(shown, "hs"):
		return dateAndTime
	}
	return dateOnly
}
