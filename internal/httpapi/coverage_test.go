package httpapi_test

import (
	"encoding/json"
	"reflect"
	"sort"
	"testing"

	samverkanapi "github.com/samverkan/samverkan"
	"github.com/samverkan/samverkan/internal/httpapi"
)

// Field coverage over HTTP: a body with every property of the contract's input schema is
// created, read back, and every property must come back as it was sent. A property added to
// openapi.yaml and forgotten in the contract → domain → contract conversions
// (internal/httpapi/convert.go) fails here; one the test was not taught fails
// requireEveryProperty.

// requireEveryProperty fails t for each property of the named schema in openapi.yaml that
// none of bodies sets.
func requireEveryProperty(t *testing.T, schema string, bodies ...obj) {
	t.Helper()
	doc, err := httpapi.LoadSpec(samverkanapi.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	ref := doc.Components.Schemas[schema]
	if ref == nil || ref.Value == nil || len(ref.Value.Properties) == 0 {
		t.Fatalf("openapi.yaml has no schema %s with properties", schema)
	}
	var missing []string
	for name := range ref.Value.Properties {
		found := false
		for _, b := range bodies {
			if _, ok := b[name]; ok {
				found = true
			}
		}
		if !found {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	for _, name := range missing {
		t.Errorf("%s.%s is in the contract but in no body of the coverage test", schema, name)
	}
	for _, b := range bodies {
		for name := range b {
			if _, ok := ref.Value.Properties[name]; !ok {
				t.Errorf("the coverage body sets %q, which %s does not have", name, schema)
			}
		}
	}
}

// requireEchoed fails t for each property of sent that got does not hold with the same value,
// compared as JSON.
func requireEchoed(t *testing.T, what string, sent, got obj) {
	t.Helper()
	raw, err := json.Marshal(sent)
	if err != nil {
		t.Fatal(err)
	}
	var want obj
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !reflect.DeepEqual(want[name], got[name]) {
			t.Errorf("%s.%s: sent %v, read back %v", what, name, want[name], got[name])
		}
	}
}

func TestCoverageHTTPKeepsEveryPropertyOfActivityInput(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		ag := a.signedAgreement(w.admin, agreementBody())
		pp := a.publishedPeriod(w.admin, with(periodBody(), "agreementId", id(ag)))
		areas, promises := areaIDs(ag), promiseIDs(pp)
		full := func(list string, listID string) obj {
			return obj{
				list: listID, "description": "Samverkan under evenemang och storhelger.", "position": 1,
				"priorityAreaIds": []any{areas[0], areas[1]}, "responsibleParty": "joint",
				"partners": []any{"fältare", "bevakningsföretag"}, "method": "Grannsamverkan",
				"recurrence": "at_events", "startsOn": "2026-02-01", "endsOn": "2026-11-30",
				"status": "ongoing", "externalRef": "coverage-" + list,
			}
		}
		onAgreement := full("agreementId", id(ag))
		onPeriod := with(full("promisePeriodId", id(pp)), "promiseIds", []any{promises[0], promises[1]})
		requireEveryProperty(t, "ActivityInput", onAgreement, onPeriod)
		for _, body := range []obj{onAgreement, onPeriod} {
			created, _ := a.post("/v1/activities", w.admin, body).created()
			requireEchoed(t, "created Activity", body, created)
			got, _ := a.get("/v1/activities/"+id(created), w.admin).ok()
			requireEchoed(t, "read Activity", body, got)
		}
	})
}
