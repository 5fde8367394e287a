package httpapi_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	samverkanapi "github.com/samverkan/samverkan"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/national"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/testdb"
)

// BenchmarkImportNational imports the national file (290 municipalities × 2 promise periods ×
// 25 activities, 16,040 records) into an empty database per iteration, through the same path
// as POST /v1/imports and `samverkan import`:
//
//	TEST_DATABASE_URL=… go test ./internal/httpapi -run '^$' -bench ImportNational -benchtime 1x -benchmem
func BenchmarkImportNational(b *testing.B) {
	var doc bytes.Buffer
	if err := national.Write(&doc, 290, 25); err != nil {
		b.Fatal(err)
	}
	system := &samverkan.Principal{TokenName: "bench", Role: samverkan.RoleAdmin}
	for _, d := range testdb.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				svc := samverkan.NewService(testdb.Open(b, d), func() time.Time { return today })
				b.StartTimer()
				rep, err := httpapi.ImportFile(context.Background(), svc, samverkanapi.OpenAPI, system, doc.Bytes(), false)
				if err != nil {
					b.Fatal(err)
				}
				if rep.Created != 16040 {
					b.Fatalf("created %d records", rep.Created)
				}
			}
			b.ReportMetric(float64(16040*b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
