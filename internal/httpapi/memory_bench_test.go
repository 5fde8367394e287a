package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	samverkanapi "github.com/samverkan/samverkan"
	"github.com/samverkan/samverkan/internal/demo"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/national"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/testdb"
)

// BenchmarkBodyPeakHeap reports how far the heap grows while the server takes the largest
// body of each kind it allows: imports as dry runs (the whole import runs and is rolled
// back), refused bodies as refused. docs/operations.md ("Memory") has the figures:
//
//	TEST_DATABASE_URL=… go test ./internal/httpapi -run '^$' -bench BodyPeakHeap -benchtime 1x
func BenchmarkBodyPeakHeap(b *testing.B) {
	var doc bytes.Buffer
	if err := national.Write(&doc, 290, 70); err != nil { // 16.3 MB, under the 16 MiB limit
		b.Fatal(err)
	}
	csv, xlsx := activityListAtTheLimit(b)
	kinds := []struct {
		name, path, contentType string
		anonymous               bool
		body                    []byte
		status                  int
	}{
		{"json-import", "/v1/imports?dryRun=true", "application/json", false, doc.Bytes(), http.StatusOK},
		{"csv-import", "/v1/imports/activities.csv?promisePeriodRef=strangnas-2024-2025&dryRun=true", "text/csv", false, csv, http.StatusOK},
		{"xlsx-import", "/v1/imports/activities.xlsx?promisePeriodRef=strangnas-2024-2025&dryRun=true", xlsxMedia, false, xlsx, http.StatusOK},
		{"json-write-refused", "/v1/forums", "application/json", false, oneMiBForum(), http.StatusBadRequest},
		{"anonymous-import-array", "/v1/imports", "application/json", true, emptyObjects(1_000_000), http.StatusUnauthorized},
		{"import-array-beyond-maxItems", "/v1/imports", "application/json", false, emptyObjects(1_000_000), http.StatusBadRequest},
	}
	for _, d := range testdb.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			svc := samverkan.NewService(testdb.Open(b, d), func() time.Time { return today })
			system := &samverkan.Principal{TokenName: "bench", Role: samverkan.RoleAdmin}
			if _, err := httpapi.ImportFile(context.Background(), svc, samverkanapi.OpenAPI, system, demo.Seed, false); err != nil {
				b.Fatal(err)
			}
			token, _, err := svc.CreateToken(context.Background(), samverkan.NewTokenSpec{Name: "bench", Role: samverkan.RoleAdmin})
			if err != nil {
				b.Fatal(err)
			}
			e, err := httpapi.New(httpapi.Config{Service: svc, Spec: samverkanapi.OpenAPI, Logger: quiet})
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(e)
			defer srv.Close()
			for _, k := range kinds {
				b.Run(k.name, func(b *testing.B) {
					var peak uint64
					for b.Loop() {
						req, _ := http.NewRequest(http.MethodPost, srv.URL+k.path, bytes.NewReader(k.body))
						req.Header.Set("Content-Type", k.contentType)
						if !k.anonymous {
							req.Header.Set("Authorization", "Bearer "+token)
						}
						var status int
						peak = max(peak, peakHeap(func() {
							res, err := srv.Client().Do(req)
							if err != nil {
								b.Fatal(err)
							}
							res.Body.Close()
							status = res.StatusCode
						}))
						if status != k.status {
							b.Fatalf("status %d, want %d", status, k.status)
						}
					}
					b.ReportMetric(float64(len(k.body))/1e6, "body-MB")
					b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
					b.ReportMetric(float64(peak)/float64(len(k.body)), "peak/body")
				})
			}
		})
	}
}

const xlsxMedia = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// activityListAtTheLimit is an activity list of the most rows a file may hold, each with a
// long description, as CSV and as a workbook.
func activityListAtTheLimit(b *testing.B) (csv, xlsx []byte) {
	description := strings.Repeat("Trygghetsvandring med föreningar och fastighetsägare i centrum. ", 12)
	var c strings.Builder
	c.WriteString("ref;description\n")
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"ref", "description"}); err != nil {
		b.Fatal(err)
	}
	for i := range 20000 {
		ref := fmt.Sprintf("rad-%05d", i)
		fmt.Fprintf(&c, "%s;%s\n", ref, description)
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), []any{ref, description}); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	var x bytes.Buffer
	if err := f.Write(&x); err != nil {
		b.Fatal(err)
	}
	if c.Len() > httpapi.MaxImportBytes {
		b.Fatalf("the CSV is %d bytes, over the limit", c.Len())
	}
	return []byte(c.String()), x.Bytes()
}

// oneMiBForum is a forum just under the 1 MiB limit whose every field is far too long: all
// of it is decoded and validated, and each problem is cut short.
func oneMiBForum() []byte {
	long := strings.Repeat("å", 10_000) // 20 kB
	items := make([]string, 50)         // the most participants a forum has
	for i := range items {
		items[i] = `"` + long + `"`
	}
	return []byte(`{"municipalityCode":"0486","code":"` + long + `","name":"` + long + `","participants":[` + strings.Join(items, ",") + `]}`)
}
