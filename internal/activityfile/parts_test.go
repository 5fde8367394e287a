package activityfile

import (
	"archive/zip"
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"
)

// withPart is the template workbook with one part replaced.
func withPart(t *testing.T, name, content string) []byte {
	t.Helper()
	tpl, err := TemplateXLSX()
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(tpl), int64(len(tpl)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == name {
			_, err = io.WriteString(w, content)
		} else {
			var rc io.ReadCloser
			if rc, err = f.Open(); err == nil {
				_, err = io.Copy(w, rc)
				rc.Close()
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestAWorkbookWithAHugeStylesPartIsRefusedBeforeItIsRead(t *testing.T) {
	styles := `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs>` +
		strings.Repeat("<xf/>", 2_000_000) + `</cellXfs></styleSheet>`
	file := withPart(t, "xl/styles.xml", styles)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, problems := ReadXLSX(file)
	runtime.ReadMemStats(&after)
	if len(problems) != 1 || !strings.Contains(problems[0].Detail, "xl/styles.xml") {
		t.Fatalf("problems %v, want one naming xl/styles.xml", problems)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
		t.Errorf("refusing a %d kB workbook allocated %d MB", len(file)>>10, n>>20)
	}
}
