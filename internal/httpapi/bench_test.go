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
	"github.com/samverkan/samverkan/internal/metrics"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
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
			// The middleware of a production server: metrics, request deadlines, primary reads
			// for tokens. The rate limits are off, as one client makes every request here.
			e, err := httpapi.New(httpapi.Config{Service: svc, Spec: samverkanapi.OpenAPI, Logger: quiet, Metrics: metrics.New(),
				Limits: httpapi.Limits{RequestTimeout: time.Minute}, ReadYourWrites: store.Primary})
			if err != nil {
				b.Fatal(err)
			}
			// Anonymous reads are answered from the response cache after the first; reads with
			// a token take the whole path (token lookup, validation, queries, encoding) every time.
			token, _, err := svc.CreateToken(context.Background(), samverkan.NewTokenSpec{Name: "bench", Role: samverkan.RoleAdmin})
			if err != nil {
				b.Fatal(err)
			}
			for _, path := range []string{
				"/v1/municipalities/0486/promise-periods/current",
				"/v1/activities?municipality=0486&limit=50",
				"/v1/agreements?municipality=0486",
			} {
				b.Run("public"+path, func(b *testing.B) { benchGet(b, e, path, "") })
				b.Run("token"+path, func(b *testing.B) { benchGet(b, e, path, token) })
			}
		})
	}
}

func benchGet(b *testing.B, h http.Handler, path, token string) {
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
}

// quiet keeps request logs out of benchmark and fuzz output.
var quiet = slog.New(slog.DiscardHandler)
