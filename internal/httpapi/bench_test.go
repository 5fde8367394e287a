package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	samverkanapi "github.com/samverkan/samverkan"
	"github.com/samverkan/samverkan/internal/demo"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/testdb"
)

// BenchmarkReads measures the public read paths in process, through the whole middleware
// chain, on each database:
//
//	TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable \
//	  go test ./internal/httpapi -run '^$' -bench Reads -benchmem
func BenchmarkReads(b *testing.B) {
	for _, d := range testdb.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			st := testdb.Open(b, d)
			svc := samverkan.NewService(st, func() time.Time { return today })
			system := &samverkan.Principal{TokenName: "bench", Role: samverkan.RoleAdmin}
			if _, err := httpapi.ImportFile(context.Background(), svc, samverkanapi.OpenAPI, system, demo.Seed, false); err != nil {
				b.Fatal(err)
			}
			e, err := httpapi.New(httpapi.Config{Service: svc, Spec: samverkanapi.OpenAPI, Logger: quiet})
			if err != nil {
				b.Fatal(err)
			}
			for _, path := range []string{
				"/v1/municipalities/0486/promise-periods/current",
				"/v1/activities?municipality=0486&limit=50",
				"/v1/agreements?municipality=0486",
			} {
				b.Run(path, func(b *testing.B) { benchGet(b, e, path) })
			}
		})
	}
}

func benchGet(b *testing.B, h http.Handler, path string) {
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
}

// quiet keeps request logs out of benchmark and fuzz output.
var quiet = slog.New(slog.DiscardHandler)
