package httpapi_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	samverkanapi "github.com/samverkan/samverkan"
	"github.com/samverkan/samverkan/internal/demo"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
)

// FuzzRequestDecoding sends arbitrary bodies and query strings through the real middleware
// (body guard, authentication, contract validation) and handlers. Whatever arrives, the answer
// is never a server error, and errors are always problem documents.
//
//	go test ./internal/httpapi -run '^$' -fuzz FuzzRequestDecoding -fuzztime 60s
func FuzzRequestDecoding(f *testing.F) {
	st, err := store.Open(filepath.Join(f.TempDir(), "fuzz.db"), store.Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(context.Background()); err != nil {
		f.Fatal(err)
	}
	svc := samverkan.NewService(st, func() time.Time { return today })
	system := &samverkan.Principal{TokenName: "fuzz", Role: samverkan.RoleAdmin}
	if _, err := httpapi.ImportFile(context.Background(), svc, samverkanapi.OpenAPI, system, demo.Seed, false); err != nil {
		f.Fatal(err)
	}
	token, _, err := svc.CreateToken(context.Background(), samverkan.NewTokenSpec{Name: "fuzz", Role: samverkan.RoleAdmin})
	if err != nil {
		f.Fatal(err)
	}
	e, err := httpapi.New(httpapi.Config{Service: svc, Spec: samverkanapi.OpenAPI, Logger: quiet})
	if err != nil {
		f.Fatal(err)
	}
	targets := []struct{ method, path string }{
		{http.MethodPost, "/v1/agreements"},
		{http.MethodPost, "/v1/promise-periods"},
		{http.MethodPost, "/v1/activities"},
		{http.MethodPost, "/v1/follow-ups"},
		{http.MethodPost, "/v1/forums"},
		{http.MethodPost, "/v1/imports?dryRun=true"},
		{http.MethodGet, "/v1/activities"},
		{http.MethodGet, "/v1/agreements"},
	}
	f.Add(uint8(0), []byte(`{"municipalityCode":"0486","policeAreaId":"lpo-eskilstuna","title":"Överenskommelse","validFrom":"2023-06-21","validTo":"2026-12-31"}`), "")
	f.Add(uint8(1), []byte(`{"municipalityCode":"0486","policeAreaId":"lpo-eskilstuna","title":"Medborgarlöften","startYear":"2024","endYear":2025}`), "")
	f.Add(uint8(2), []byte(`{"description":"Trygghetsvandring","agreementId":"00000000-0000-0000-0000-000000000000","priorityAreaIds":["x"]}`), "")
	f.Add(uint8(3), []byte("{\"kind\":\"follow_up\",\"title\":\"a\x00b\"}"), "")
	f.Add(uint8(4), []byte("{\"municipalityCode\":\"0486\",\"code\":\"\xff\xfe\",\"name\":\"BRÅ\"}"), "")
	f.Add(uint8(5), demo.Seed, "")
	f.Add(uint8(6), []byte(nil), "limit=0&cursor=%00&status=done")
	f.Add(uint8(7), []byte(nil), "year=abc&municipality=04860&limit=201")
	f.Fuzz(func(t *testing.T, which uint8, body []byte, query string) {
		target := targets[int(which)%len(targets)]
		url := target.path
		if query != "" {
			if bytes.ContainsRune([]byte(url), '?') {
				url += "&" + query
			} else {
				url += "?" + query
			}
		}
		req := httptest.NewRequest(target.method, "http://samverkan.test/", bytes.NewReader(body))
		req.URL.RawQuery = ""
		if u, err := req.URL.Parse(url); err == nil {
			req.URL = u
		} else {
			t.Skip("not a URL an HTTP client could send")
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s with %q → %d: %s", target.method, url, body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("error %d is not a problem document: %s", rec.Code, rec.Header().Get("Content-Type"))
		}
	})
}
