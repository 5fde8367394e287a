package activityfile

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// The parts of a workbook besides its sheets and shared strings (styles, the workbook, its
// relationships, themes) are a few kilobytes in any real file, but excelize reads them whole
// and builds a value per element: a styles part of eleven million empty cell formats,
// 84 kB compressed, costs it gigabytes. They are measured, unpacked, before excelize opens
// the file. Sheets and shared strings are bounded by maxSheetXML and maxUnzipped.
const (
	maxPartXML = 4 << 20
	maxParts   = 1000
)

// checkParts refuses a workbook with more parts than any workbook needs, or with a part
// (other than sheets and shared strings) that unpacks to more than maxPartXML; the sizes are
// those unpacked, not those the archive claims.
func checkParts(data []byte) *Problem {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil // not a zip archive: excelize says so in its own words
	}
	if len(zr.File) > maxParts {
		return &Problem{Detail: fmt.Sprintf("the workbook has more than %d parts; save it again from Excel or LibreOffice", maxParts)}
	}
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") || f.Name == "xl/sharedStrings.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return &Problem{Detail: "the workbook's part " + f.Name + " cannot be read: " + err.Error()}
		}
		n, err := io.Copy(io.Discard, io.LimitReader(rc, maxPartXML+1))
		rc.Close()
		if err != nil {
			return &Problem{Detail: "the workbook's part " + f.Name + " cannot be read: " + err.Error()}
		}
		if n > maxPartXML {
			return &Problem{Detail: fmt.Sprintf("the workbook's part %s unpacks to more than %d MiB, far more than a workbook of an activity list needs", f.Name, maxPartXML>>20)}
		}
	}
	return nil
}
