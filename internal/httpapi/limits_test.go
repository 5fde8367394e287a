package httpapi_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	samverkanapi "github.com/samverkan/samverkan"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/samverkan"
)

// The contract states the domain's numbers (samverkan/limits.go), so that a client validating
// against openapi.yaml and the server refuse the same activities. The layout issue extends
// this to every resource.
func TestTheContractStatesTheDomainsLimitsForActivities(t *testing.T) {
	t.Parallel()
	doc, err := httpapi.LoadSpec(samverkanapi.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	schema := func(name string) *openapi3.Schema {
		s := doc.Components.Schemas[name]
		if s == nil || s.Value == nil {
			t.Fatalf("openapi.yaml has no schema %s", name)
		}
		return s.Value
	}
	prop := func(s *openapi3.Schema, name string) *openapi3.Schema {
		p := s.Properties[name]
		if p == nil || p.Value == nil {
			t.Fatalf("no property %s", name)
		}
		return p.Value
	}
	equal := func(what string, stated *uint64, want int) {
		t.Helper()
		if stated == nil || *stated != uint64(want) {
			t.Errorf("%s: the contract says %v, the domain %d", what, deref(stated), want)
		}
	}
	for _, c := range []struct{ name, area, promise string }{
		{"ActivityInput", "priorityAreaIds", "promiseIds"},
		{"ImportActivity", "priorityAreaRefs", "promiseRefs"},
	} {
		name, area, promise := c.name, c.area, c.promise
		s := schema(name)
		equal(name+".description maxLength", prop(s, "description").MaxLength, samverkan.MaxActivityDescription)
		equal(name+".method maxLength", prop(s, "method").MaxLength, samverkan.MaxActivityMethod)
		equal(name+"."+area+" maxItems", prop(s, area).MaxItems, samverkan.MaxActivityLinks)
		equal(name+"."+promise+" maxItems", prop(s, promise).MaxItems, samverkan.MaxActivityLinks)
		equal(name+".partners maxItems", prop(s, "partners").MaxItems, samverkan.MaxActivityPartners)
	}
	equal("ShortText maxLength", schema("ShortText").MaxLength, samverkan.MaxShortText)
	for name, values := range map[string][]string{
		"ActivityStatus":   enumValues(samverkan.ActivityStatuses),
		"ResponsibleParty": enumValues(samverkan.ResponsibleParties),
		"Recurrence":       enumValues(samverkan.Recurrences),
	} {
		var stated []string
		for _, v := range schema(name).Enum {
			stated = append(stated, fmt.Sprint(v))
		}
		if !slices.Equal(stated, values) {
			t.Errorf("%s: the contract says %v, the domain %v", name, stated, values)
		}
	}
}

func deref(p *uint64) any {
	if p == nil {
		return "nothing"
	}
	return *p
}

func enumValues[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
