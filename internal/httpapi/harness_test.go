package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	samverkanapi "github.com/samverkan/samverkan"
	"github.com/samverkan/samverkan/internal/demo"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

func init() {
	// The spreadsheet answers are checked as the strings the contract says they are:
	// kin-openapi's own CSV decoder would assume commas, and it has none for workbooks.
	// (Request bodies are checked by the server's own body check, which needs neither.)
	raw := func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(body)
		return string(b), err
	}
	openapi3filter.RegisterBodyDecoder("text/csv", raw)
	openapi3filter.RegisterBodyDecoder(xlsxMedia, raw)
}

// today is the clock of every HTTP test: the day this suite was written. The Strängnäs
// promise period 2024–2025 is over by then, and the agreement 2023–2026 is in force.
var today = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// api is a running server on a fresh database, reached over real HTTP through the real router
// and middleware. Every response it receives is validated against openapi.yaml.
type api struct {
	t      *testing.T
	srv    *httptest.Server
	svc    *samverkan.Service
	st     *store.Store
	router routers.Router
	// ctx is what the harness calls the service with directly (tokens, demo data).
	ctx context.Context
}

func newAPI(t *testing.T, st *store.Store) *api {
	t.Helper()
	return newAPIWith(t, st, nil)
}

// newAPIWith is newAPI with the server's configuration changed by configure.
func newAPIWith(t *testing.T, st *store.Store, configure func(*httpapi.Config)) *api {
	t.Helper()
	svc := samverkan.NewService(st, func() time.Time { return today })
	cfg := httpapi.Config{Service: svc, Spec: samverkanapi.OpenAPI, Logger: quiet}
	if configure != nil {
		configure(&cfg)
	}
	svc = cfg.Service // configure may have replaced it (onWallClock)
	e, err := httpapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	doc, err := httpapi.LoadSpec(samverkanapi.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &api{t: t, srv: srv, svc: svc, st: st, router: router, ctx: context.Background()}
}

// onWallClock runs the service on the real clock instead of today. Tests need it where a
// time the service sets meets a webhook worker, which runs on the real clock: a rotated
// secret's day of grace counted from today would end before the worker signs with it.
func onWallClock(st *store.Store) func(*httpapi.Config) {
	return func(c *httpapi.Config) { c.Service = samverkan.NewService(st, time.Now) }
}

// eachAPI runs fn against a fresh server per database dialect.
func eachAPI(t *testing.T, fn func(t *testing.T, a *api)) {
	testdb.Each(t, func(t *testing.T, st *store.Store) { fn(t, newAPI(t, st)) })
}

// withDemo loads the seed documents through the import path, as `serve --demo` does.
func (a *api) withDemo() *api {
	a.t.Helper()
	system := &samverkan.Principal{TokenName: "test", Role: samverkan.RoleAdmin}
	if _, err := httpapi.ImportFile(context.Background(), a.svc, samverkanapi.OpenAPI, system, demo.Seed, false); err != nil {
		a.t.Fatalf("load demo data: %v", err)
	}
	return a
}

// token creates a token; org is "" for admin, a municipality code, or "police:<id>".
func (a *api) token(role samverkan.Role, org string) string {
	a.t.Helper()
	spec := samverkan.NewTokenSpec{Name: "test " + string(role) + " " + org, Role: role}
	switch {
	case strings.HasPrefix(org, "police:"):
		spec.OrgType, spec.OrgID = samverkan.OrgPoliceArea, strings.TrimPrefix(org, "police:")
	case org != "":
		spec.OrgType, spec.OrgID = samverkan.OrgMunicipality, org
	}
	secret, _, err := a.svc.CreateToken(a.ctx, spec)
	if err != nil {
		a.t.Fatalf("create token: %v", err)
	}
	return secret
}

type response struct {
	t      *testing.T
	Status int
	Header http.Header
	Body   []byte
	Close  bool // the server closes the connection after this answer
}

// JSON decodes the body into v.
func (r *response) JSON(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r *response) Map() map[string]any {
	var m map[string]any
	r.JSON(&m)
	return m
}

// want fails the test unless the status is status.
func (r *response) want(status int) *response {
	r.t.Helper()
	if r.Status != status {
		r.t.Fatalf("status %d, want %d; body: %s", r.Status, status, r.Body)
	}
	return r
}

// problem checks an error response: its status, its media type, and that it names each
// given field (JSON pointer or parameter name).
func (r *response) problem(status int, fields ...string) map[string]any {
	r.t.Helper()
	r.want(status)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		r.t.Fatalf("content type %q, want application/problem+json", ct)
	}
	p := r.Map()
	if int(p["status"].(float64)) != status {
		r.t.Fatalf("problem status %v, want %d", p["status"], status)
	}
	named := map[string]bool{}
	if errs, ok := p["errors"].([]any); ok {
		for _, e := range errs {
			m := e.(map[string]any)
			if s, ok := m["pointer"].(string); ok {
				named[s] = true
			}
			if s, ok := m["parameter"].(string); ok {
				named[s] = true
			}
		}
	}
	for _, f := range fields {
		if !named[f] {
			r.t.Fatalf("problem does not name %q: %s", f, r.Body)
		}
	}
	return p
}

type header struct{ key, value string }

// do sends a request. body may be nil, a []byte/string sent as is, an io.Reader sent chunked,
// or a value sent as JSON.
func (a *api) do(method, path, token string, body any, headers ...header) *response {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	case io.Reader:
		rd = b // sent chunked: the server learns the length only by reading
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, a.srv.URL+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, h := range headers {
		req.Header.Set(h.key, h.value)
	}
	res, err := a.srv.Client().Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	a.validate(req, res, raw)
	return &response{t: a.t, Status: res.StatusCode, Header: res.Header, Body: raw, Close: res.Close}
}

// validate checks a response against the operation's declared responses in openapi.yaml:
// status, headers, media type and body schema.
func (a *api) validate(req *http.Request, res *http.Response, body []byte) {
	a.t.Helper()
	route, params, err := a.router.FindRoute(req)
	if err != nil {
		return // not an operation of the contract (404s for unknown paths, /openapi.yaml)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status:  res.StatusCode,
		Header:  res.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		a.t.Fatalf("%s %s → %d does not match openapi.yaml: %v\nbody: %s", req.Method, req.URL.Path, res.StatusCode, err, body)
	}
}

// raceAnswer is one racer's answer: the status code and the decoded body.
type raceAnswer struct {
	to     string // for transitions: the status the racer asked for
	status int
	body   obj
	err    error
}

// race sends the requests all at once, whatever order the server serves them in, and gives
// each one's answer.
func (a *api) race(reqs []*http.Request) []raceAnswer {
	out := make([]raceAnswer, len(reqs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, req := range reqs {
		wg.Go(func() {
			<-start
			res, err := a.srv.Client().Do(req)
			if err != nil {
				out[i].err = err
				return
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			out[i].status, out[i].err = res.StatusCode, err
			if err == nil && len(body) > 0 {
				out[i].err = json.Unmarshal(body, &out[i].body)
			}
		})
	}
	close(start)
	wg.Wait()
	return out
}

// jsonRequest is a request with a JSON body and a token, as do would send it.
func (a *api) jsonRequest(method, path, token string, body any, headers ...header) *http.Request {
	a.t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		a.t.Fatal(err)
	}
	req, err := http.NewRequest(method, a.srv.URL+path, bytes.NewReader(raw))
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	for _, h := range headers {
		req.Header.Set(h.key, h.value)
	}
	return req
}

func (a *api) get(path, token string) *response { return a.do(http.MethodGet, path, token, nil) }

func (a *api) post(path, token string, body any, headers ...header) *response {
	return a.do(http.MethodPost, path, token, body, headers...)
}

func (a *api) put(path, token, etag string, body any) *response {
	return a.do(http.MethodPut, path, token, body, header{"If-Match", etag})
}

func (a *api) delete(path, token, etag string) *response {
	return a.do(http.MethodDelete, path, token, nil, header{"If-Match", etag})
}
