package httpapi_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	samverkanapi "github.com/samverkan/samverkan"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// Every status the server can answer is in the contract of the operation that answers it.
// The middleware in front of the handlers (New, server.go) answers some statuses on its own,
// whatever the handler would have said; chainStatuses says which, for which operations, in
// the order of the chain. The handlers' own statuses (403, 404 of a missing record, 409 of an
// illegal move, …) are each operation's business and are checked by the behaviour tests,
// whose answers the harness validates against the contract.

// contractOp is an operation of openapi.yaml.
type contractOp struct {
	method, path string // path as the contract writes it: /v1/agreements/{id}
	op           *openapi3.Operation
	params       []*openapi3.Parameter // the path item's and the operation's
}

func (o contractOp) v1() bool { return strings.HasPrefix(o.path, "/v1/") }

func (o contractOp) param(in, name string) *openapi3.Parameter {
	for _, p := range o.params {
		if p.In == in && (name == "" || strings.EqualFold(p.Name, name)) {
			return p
		}
	}
	return nil
}

// anonymous tells whether the operation lets callers without a token in: one of its security
// requirements is empty ({}).
func (o contractOp) anonymous(doc *openapi3.T) bool {
	reqs := doc.Security
	if o.op.Security != nil {
		reqs = *o.op.Security
	}
	return len(reqs) == 0 || slices.ContainsFunc(reqs, func(r openapi3.SecurityRequirement) bool { return len(r) == 0 })
}

// chainStatuses is what the middleware chain of New answers by itself. The CORS middleware
// answers preflights (OPTIONS) for every path, which are no operation of the contract, and
// the request id middleware answers nothing; both are checked apart, below.
var chainStatuses = []struct {
	who      string
	applies  func(doc *openapi3.T, o contractOp) bool
	statuses []int
}{
	{"recover: a panic anywhere behind it", every, []int{500}},
	{"limitRate per client address", v1, []int{429}},
	{"deadline, and any request whose database is away or too slow", v1, []int{503}},
	{"authenticate: a malformed, unknown or revoked token, on any /v1 operation", v1, []int{401}},
	{"requireToken: no token where the operation needs one", needsToken, []int{401}},
	{"limitRate per token", v1, []int{429}},
	{"requireToken leaves unread a body no operation takes; bodyGuard: a body over its limit, one that cannot be read, or compressed", hasBody, []int{400, 413, 415}},
	{"httpCache: a conditional anonymous GET (If-None-Match, If-Modified-Since)", cacheable, []int{304}},
	{"validator: a query parameter the operation lacks, or given twice", every, []int{400}},
	{"validator: parameters against their schemas", hasParams, []int{400}},
	{"validator: the body's media type, encoding and schema", hasBody, []int{400, 415}},
	{"validator: a missing If-Match where it is required", ifMatchRequired, []int{428}},
	{"handlers: an If-Match that is no longer current", ifMatch, []int{412}},
	{"handlers: the record the path names does not exist", pathParams, []int{404}},
	{"idempotency: an Idempotency-Key still in use, or used for another request (any POST)", v1Post, []int{409, 422}},
}

func every(*openapi3.T, contractOp) bool       { return true }
func v1(_ *openapi3.T, o contractOp) bool      { return o.v1() }
func v1Post(_ *openapi3.T, o contractOp) bool  { return o.v1() && o.method == http.MethodPost }
func hasBody(_ *openapi3.T, o contractOp) bool { return o.op.RequestBody != nil }
func hasParams(_ *openapi3.T, o contractOp) bool {
	return o.param(openapi3.ParameterInQuery, "") != nil || o.param(openapi3.ParameterInPath, "") != nil
}
func pathParams(_ *openapi3.T, o contractOp) bool {
	return o.param(openapi3.ParameterInPath, "") != nil
}
func ifMatch(_ *openapi3.T, o contractOp) bool {
	return o.param(openapi3.ParameterInHeader, "If-Match") != nil
}
func ifMatchRequired(_ *openapi3.T, o contractOp) bool {
	p := o.param(openapi3.ParameterInHeader, "If-Match")
	return p != nil && p.Required
}
func needsToken(doc *openapi3.T, o contractOp) bool { return o.v1() && !o.anonymous(doc) }

// cacheable: httpCache answers anonymous /v1 GETs, after requireToken has refused anonymous
// requests to operations that need a token.
func cacheable(doc *openapi3.T, o contractOp) bool {
	return o.v1() && o.method == http.MethodGet && o.anonymous(doc)
}

// sharedResponse is the components/responses entry each status of the chain refers to.
var sharedResponse = map[int]string{
	304: "NotModified", 400: "BadRequest", 401: "Unauthorized", 404: "NotFound", 409: "Conflict",
	412: "PreconditionFailed", 413: "PayloadTooLarge", 415: "UnsupportedMediaType",
	422: "Unprocessable", 428: "PreconditionRequired", 429: "TooManyRequests",
	500: "InternalError", 503: "Unavailable",
}

func contractDoc(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := httpapi.LoadSpec(samverkanapi.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func contractOps(doc *openapi3.T) []contractOp {
	var out []contractOp
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			o := contractOp{method: method, path: path, op: op}
			for _, ps := range []openapi3.Parameters{item.Parameters, op.Parameters} {
				for _, p := range ps {
					o.params = append(o.params, p.Value)
				}
			}
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b contractOp) int { return strings.Compare(a.path+" "+a.method, b.path+" "+b.method) })
	return out
}

func TestContractDeclaresEveryStatusTheChainCanAnswer(t *testing.T) {
	t.Parallel()
	doc := contractDoc(t)
	ops := contractOps(doc)
	if len(ops) < 70 {
		t.Fatalf("%d operations: the walk missed some", len(ops))
	}
	for _, o := range ops {
		name := o.op.OperationID + " (" + o.method + " " + o.path + ")"
		if o.method == http.MethodOptions {
			t.Errorf("%s: the CORS middleware answers every OPTIONS preflight itself; the contract must not offer one", name)
		}
		for _, rule := range chainStatuses {
			if !rule.applies(doc, o) {
				continue
			}
			for _, status := range rule.statuses {
				res := o.op.Responses.Status(status)
				switch {
				case res == nil:
					t.Errorf("%s does not declare %d, which %s answers", name, status, rule.who)
				case res.Ref != "#/components/responses/"+sharedResponse[status] && !(o.op.OperationID == "listEvents" && status == http.StatusConflict):
					// listEvents says what its own 409 (a cursor of another database) means.
					t.Errorf("%s: %d is %q, not the shared #/components/responses/%s", name, status, res.Ref, sharedResponse[status])
				}
			}
		}
		// Every error is a problem, of the one Problem schema.
		for code, res := range o.op.Responses.Map() {
			if code[0] != '4' && code[0] != '5' {
				continue
			}
			mt := res.Value.Content.Get("application/problem+json")
			if len(res.Value.Content) != 1 || mt == nil || mt.Schema == nil || mt.Schema.Ref != "#/components/schemas/Problem" {
				t.Errorf("%s: %s is not only application/problem+json with the Problem schema", name, code)
			}
		}
		if o.op.Summary == "" || o.op.Description == "" {
			t.Errorf("%s lacks its summary or its description", name)
		}
	}
}

// notOperations are the routes of the server's router other than the contract's operations.
var notOperations = []string{"/openapi.yaml", "/docs", "/docs/redoc.standalone.js", "/metrics"}

// layerStatuses is what each layer of the chain answers on its own, by the name server.go
// gives it. Each status must have its row in chainStatuses above, which says for which
// operations; a layer added to the chain fails this test until it is entered here.
var layerStatuses = map[string][]int{
	"requestID":                    nil,
	"traceRoute":                   nil,
	"observe":                      nil,
	"requestLog":                   nil,
	"recover":                      {500},
	"secure":                       nil,
	"cors":                         nil, // a preflight is OPTIONS, no operation of the contract
	"limitRate per address":        {429},
	"deadline":                     {503},
	"readYourWrites":               nil,
	"authenticate":                 {401},
	"requireToken":                 {401},
	"limitRate per token":          {429},
	"bodyGuard":                    {400, 413, 415, 503},
	"afterWrites":                  nil,
	"httpCache":                    {304, 503},
	"deadline for anonymous reads": {503},
	"validator":                    {400, 401, 415, 428},
	"idempotency":                  {409, 422},
	"withRequestInfo":              nil,
}

func TestEveryLayerOfTheChainHasItsStatusesInTheTable(t *testing.T) {
	t.Parallel()
	st := testdb.Open(t, store.SQLite)
	h, err := httpapi.New(httpapi.Config{Service: samverkan.NewService(st, time.Now), Spec: samverkanapi.OpenAPI, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	tabled := map[int]bool{}
	for _, row := range chainStatuses {
		for _, s := range row.statuses {
			tabled[s] = true
		}
	}
	for _, name := range h.(interface{ Layers() []string }).Layers() {
		statuses, ok := layerStatuses[name]
		if !ok {
			t.Errorf("the chain's layer %q is not in layerStatuses: say what it can answer on its own", name)
		}
		for _, s := range statuses {
			if !tabled[s] {
				t.Errorf("layer %q answers %d, which chainStatuses does not hold operations to declare", name, s)
			}
		}
	}
}

// The body check (jsonbody.go) validates composed schemas whole, without its cap on
// problems, and bounds arrays by maxItems only outside them: no request body may use them.
func TestNoRequestBodyIsAComposedSchema(t *testing.T) {
	t.Parallel()
	doc := contractDoc(t)
	seen := map[*openapi3.Schema]bool{}
	var walk func(at string, s *openapi3.SchemaRef)
	walk = func(at string, s *openapi3.SchemaRef) {
		if s == nil || s.Value == nil || seen[s.Value] {
			return
		}
		seen[s.Value] = true
		if v := s.Value; len(v.OneOf)+len(v.AnyOf)+len(v.AllOf) > 0 || v.Not != nil {
			t.Errorf("%s is a composed schema (oneOf, anyOf, allOf or not)", at)
		}
		for name, p := range s.Value.Properties {
			walk(at+"/"+name, p)
		}
		walk(at+"/items", s.Value.Items)
		walk(at+"/additionalProperties", s.Value.AdditionalProperties.Schema)
	}
	for _, o := range contractOps(doc) {
		if rb := o.op.RequestBody; rb != nil && rb.Value != nil {
			for mt, media := range rb.Value.Content {
				walk(o.method+" "+o.path+" "+mt, media.Schema)
			}
		}
	}
}

func TestContractAndRouterHaveTheSameOperations(t *testing.T) {
	t.Parallel()
	st := testdb.Open(t, store.SQLite)
	h, err := httpapi.New(httpapi.Config{Service: samverkan.NewService(st, time.Now), Spec: samverkanapi.OpenAPI, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	r, ok := h.(interface{ Routes() []*echo.Route })
	if !ok {
		t.Fatal("httpapi.New's handler does not list its routes: New must return routed{h, e} (routes.go) instead of h")
	}
	doc := contractDoc(t)
	routed := map[string]bool{}
	for _, rt := range r.Routes() {
		if slices.Contains(notOperations, rt.Path) {
			continue
		}
		path := rt.Path
		for _, seg := range strings.Split(path, "/") {
			if strings.HasPrefix(seg, ":") {
				path = strings.Replace(path, seg, "{"+seg[1:]+"}", 1)
			}
		}
		key := rt.Method + " " + path
		routed[key] = true
		if item := doc.Paths.Value(path); item == nil || item.GetOperation(rt.Method) == nil {
			t.Errorf("the router serves %s, which is no operation of the contract", key)
		}
	}
	for _, o := range contractOps(doc) {
		if !routed[o.method+" "+o.path] {
			t.Errorf("%s (%s %s) is in the contract but not routed", o.op.OperationID, o.method, o.path)
		}
	}
}

// A sample of operations, each asked so that the chain answers a status of its own; every
// answer is validated against the operation's contract by the harness (api.do → validate).
func TestContractStatusesAreAnsweredAsDeclared(t *testing.T) {
	t.Parallel()
	type probe struct {
		method, path, token string
		body                any
		headers             []header
		want                int
	}
	run := func(t *testing.T, a *api, probes []probe) {
		t.Helper()
		for _, p := range probes {
			name := fmt.Sprintf("%s %s → %d", p.method, p.path, p.want)
			req, _ := http.NewRequest(p.method, a.srv.URL+p.path, nil)
			if _, _, err := a.router.FindRoute(req); err != nil {
				t.Fatalf("%s: no operation of the contract, so nothing would validate the answer: %v", name, err)
			}
			res := a.on(t).do(p.method, p.path, p.token, p.body, p.headers...)
			if res.Status != p.want {
				t.Errorf("%s: %d: %s", name, res.Status, res.Body)
				continue
			}
			if p.want >= 400 && res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: content type %q", name, res.Header.Get("Content-Type"))
			}
		}
	}
	missing := "/v1/webhooks/0193f0c2-6c1e-7a3b-9a51-3b2f7d0e4a99"
	tooLarge := strings.Repeat(" ", httpapi.MaxBodyBytes+1)
	forum := obj{"municipalityCode": "0486", "policeAreaId": "lpo-eskilstuna", "code": "EST", "name": "Effektiv samordning för trygghet"}

	t.Run("the chain in front of the handlers", func(t *testing.T) {
		t.Parallel()
		a := newAPI(t, testdb.Open(t, store.SQLite)).on(t)
		w := a.world()
		f, tag := a.post("/v1/forums", w.strangnas, forum).created()
		fp := "/v1/forums/" + id(f)
		ag, _ := a.createAgreement(w.strangnas, agreementBody())
		run(t, a, []probe{
			// validator: unknown query parameters, on operations of every kind
			{http.MethodGet, "/healthz?verbose=1", "", nil, nil, 400},
			{http.MethodGet, "/v1/imports/templates/activities.csv?lang=sv", "", nil, nil, 400},
			{http.MethodGet, "/v1/me?x=1", w.admin, nil, nil, 400},
			{http.MethodPost, missing + "/ping?x=1", w.admin, nil, nil, 400},
			{http.MethodDelete, fp + "?force=1", w.strangnas, nil, []header{{"If-Match", tag}}, 400},
			// authenticate: a broken token, also where none is needed
			{http.MethodGet, "/v1/municipalities/0486/promise-periods/current", "nonsense", nil, nil, 401},
			{http.MethodGet, "/v1/imports/templates/activities.xlsx", "smv_unknown", nil, nil, 401},
			{http.MethodGet, "/v1/agreements", "nonsense", nil, nil, 401},
			// requireToken
			{http.MethodGet, "/v1/audit", "", nil, nil, 401},
			{http.MethodPost, "/v1/imports", "", obj{"forums": []any{}}, nil, 401},
			// httpCache
			{http.MethodGet, "/v1/imports/templates/activities.csv", "", nil, []header{{"If-None-Match", "*"}}, 304},
			{http.MethodGet, "/v1/agreements", "", nil, []header{{"If-None-Match", "*"}}, 304},
			{http.MethodGet, fp, "", nil, []header{{"If-None-Match", "*"}}, 304},
			{http.MethodGet, "/v1/events", "", nil, []header{{"If-None-Match", "*"}}, 304},
			// bodyGuard
			{http.MethodPost, "/v1/forums", w.strangnas, tooLarge, nil, 413},
			{http.MethodPut, fp, w.strangnas, tooLarge, []header{{"If-Match", tag}}, 413},
			{http.MethodPost, "/v1/agreements/" + id(ag) + "/transitions", w.strangnas, tooLarge, nil, 413},
			{http.MethodPost, missing + "/ping", w.admin, tooLarge, nil, 404}, // a ping takes no body: it is left unread
			{http.MethodPost, "/v1/forums", w.strangnas, forum, []header{{"Content-Encoding", "gzip"}}, 415},
			// validator: media types and encodings
			{http.MethodPost, "/v1/forums", w.strangnas, "code=EST", []header{{"Content-Type", "application/x-www-form-urlencoded"}}, 415},
			{http.MethodPut, fp, w.strangnas, forum, []header{{"If-Match", tag}, {"Content-Type", "application/json; charset=iso-8859-1"}}, 415},
			{http.MethodPost, "/v1/imports/activities.csv?promisePeriodRef=x", w.admin, obj{}, nil, 415},
			// validator: If-Match required; handlers: stale If-Match
			{http.MethodPut, fp, w.strangnas, forum, nil, 428},
			{http.MethodDelete, fp, w.strangnas, nil, nil, 428},
			{http.MethodPut, fp, w.strangnas, forum, []header{{"If-Match", `"99"`}}, 412},
			{http.MethodPost, "/v1/agreements/" + id(ag) + "/transitions", w.strangnas, obj{"status": "signed"}, []header{{"If-Match", `"99"`}}, 412},
		})

		// idempotency, on POSTs that are not imports too: a key used for another request is
		// 422; one whose request is still running is 409.
		key := header{"Idempotency-Key", "contract-statuses-1"}
		a.post("/v1/forums", w.strangnas, with(forum, "code", "BRÅ"), key).want(http.StatusCreated)
		run(t, a, []probe{{http.MethodPost, "/v1/forums", w.strangnas, with(forum, "code", "SSPF"), []header{key}, 422}})
		p, err := a.svc.Authenticate(context.Background(), w.admin)
		if err != nil {
			t.Fatal(err)
		}
		csv := "ref;description\nstrangnas-1;Trygghetsvandring\n"
		for i, r := range []struct {
			path string
			body any
			hs   []header
		}{
			{missing + "/ping", nil, nil},
			// dryRun given: the validator would add its default to the URI the key is claimed for.
			{"/v1/imports/activities.csv?promisePeriodRef=x&dryRun=false", csv, []header{{"Content-Type", "text/csv"}}},
		} {
			k := fmt.Sprintf("contract-statuses-running-%d", i)
			body, _ := r.body.(string)
			sum := sha256.Sum256([]byte(http.MethodPost + " " + r.path + "\n" + body))
			if _, err := a.svc.ClaimIdempotencyKey(context.Background(), p, k, sum[:]); err != nil {
				t.Fatal(err)
			}
			run(t, a, []probe{{http.MethodPost, r.path, w.admin, r.body, append(r.hs, header{"Idempotency-Key", k}), 409}})
		}
	})

	t.Run("rate limits", func(t *testing.T) {
		t.Parallel()
		a := newAPIWith(t, testdb.Open(t, store.SQLite), func(c *httpapi.Config) {
			c.Limits = httpapi.Limits{PerIP: httpapi.Rate{PerSecond: 0.001, Burst: 1}}
		}).on(t)
		admin := a.token(samverkan.RoleAdmin, "")
		run(t, a, []probe{
			{http.MethodGet, "/v1/imports/templates/activities.xlsx", "", nil, nil, 200},
			{http.MethodGet, "/v1/municipalities/0486/promise-periods/current", "", nil, nil, 429},
			{http.MethodPost, "/v1/imports", admin, obj{"forums": []any{}}, nil, 429},
			{http.MethodDelete, missing, admin, nil, []header{{"If-Match", `"1"`}}, 429},
			{http.MethodGet, "/healthz", "", nil, nil, 200}, // never limited
		})
		b := newAPIWith(t, testdb.Open(t, store.SQLite), func(c *httpapi.Config) {
			c.Limits = httpapi.Limits{PerToken: httpapi.Rate{PerSecond: 0.001, Burst: 1}}
		}).on(t)
		other := b.token(samverkan.RoleAdmin, "")
		run(t, b, []probe{
			{http.MethodGet, "/v1/me", other, nil, nil, 200},
			{http.MethodGet, "/v1/me", other, nil, nil, 429},
			{http.MethodPut, "/v1/forums/0193f0c2-6c1e-7a3b-9a51-3b2f7d0e4a99", other, forum, []header{{"If-Match", `"1"`}}, 429},
			{http.MethodGet, "/v1/agreements", "", nil, nil, 200}, // anonymous: the address's limit only
		})
	})

	t.Run("deadlines and outages", func(t *testing.T) {
		t.Parallel()
		a := newAPIWith(t, testdb.Open(t, store.SQLite), func(c *httpapi.Config) { c.Limits.RequestTimeout = time.Nanosecond }).on(t)
		admin := a.token(samverkan.RoleAdmin, "")
		run(t, a, []probe{
			{http.MethodGet, "/v1/agreements", "", nil, nil, 503},
			{http.MethodGet, "/v1/me", admin, nil, nil, 503},
			{http.MethodPost, "/v1/forums", admin, forum, nil, 503},
		})
		d := newAPIWith(t, testdb.Open(t, store.SQLite), func(c *httpapi.Config) { c.Draining = func() bool { return true } }).on(t)
		run(t, d, []probe{{http.MethodGet, "/readyz", "", nil, nil, 503}})
	})

	t.Run("a panic is a 500 problem", func(t *testing.T) {
		t.Parallel()
		// ReadYourWrites runs for every request with credentials or a write, behind recover.
		a := newAPIWith(t, testdb.Open(t, store.SQLite), func(c *httpapi.Config) {
			c.ReadYourWrites = func(context.Context) context.Context { panic("contract test") }
		}).on(t)
		run(t, a, []probe{
			{http.MethodGet, "/healthz", "any", nil, nil, 500},
			{http.MethodGet, "/v1/imports/templates/activities.csv", "any", nil, nil, 500},
			{http.MethodPost, missing + "/ping", "", nil, nil, 500},
			{http.MethodDelete, "/v1/forums/0193f0c2-6c1e-7a3b-9a51-3b2f7d0e4a99", "", nil, nil, 500},
		})
	})
}
