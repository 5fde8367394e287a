package httpapi

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/samverkan/samverkan/internal/samverkan"
)

const contractMismatch = "The request does not match the API contract."

// checkJSONBody checks a JSON body against its schema and returns it with the schema's
// defaults filled in. It first scans the body (scanJSON), so that what is decoded is bounded
// by its size; then it validates the decoded value piece by piece, stopping after
// MaxBodyProblems problems: a validator that collects every problem of a body of a
// hundred thousand empty objects holds millions of them.
func checkJSONBody(raw []byte, schema *openapi3.Schema) ([]byte, error) {
	if p := scanJSON(raw, schema); len(p.fields) > 0 {
		return nil, p.err("The request body is not acceptable JSON.")
	}
	// Unmarshal reads raw in place, where a decoder would copy it into a buffer of its own.
	// Numbers become float64: the contract's integers are far below 2^53, and the handlers
	// decode the body again into their own types.
	var value any
	if err := json.Unmarshal(raw, &value); err != nil {
		return nil, &samverkan.Error{Code: samverkan.EInvalid, Message: "The request body is not valid JSON.",
			Fields: []samverkan.FieldError{{Detail: shorten(err.Error())}}}
	}
	if schema == nil {
		return raw, nil
	}
	v := &bodyValidation{}
	v.opts = []openapi3.SchemaValidationOption{openapi3.VisitAsRequest(), openapi3.MultiErrors(),
		openapi3.DefaultsSet(func() { v.defaulted = true })}
	v.visit(schema, value, "")
	if err := v.problems.err(contractMismatch); err != nil {
		return nil, err
	}
	if !v.defaulted {
		return raw, nil
	}
	// Defaults were written into the value (a webhook's "active"); the handler reads them.
	return json.Marshal(value)
}

type bodyValidation struct {
	problems
	opts      []openapi3.SchemaValidationOption
	defaulted bool
}

// visit validates value against s. Arrays and objects of plain schemas are validated level by
// level, so that the walk can stop at the cap; anything else (scalars, composed schemas) is
// validated whole by kin-openapi.
func (v *bodyValidation) visit(s *openapi3.Schema, value any, at string) {
	if v.full() {
		v.more = true
		return
	}
	if len(alternatives(s)) == 0 && s.Not == nil {
		switch val := value.(type) {
		case []any:
			if s.Items != nil && s.Items.Value != nil {
				v.leaf(shellOf(s), value, at)
				for i, item := range val {
					v.visit(s.Items.Value, item, at+"/"+strconv.Itoa(i))
				}
				return
			}
		case map[string]any:
			if len(s.Properties) > 0 {
				v.leaf(shellOf(s), value, at)
				for _, name := range slices.Sorted(maps.Keys(val)) {
					if p := s.Properties[name]; p != nil && p.Value != nil && p.Value.Default == nil {
						v.visit(p.Value, val[name], at+"/"+escapePointer(name))
					}
				}
				return
			}
		}
	}
	v.leaf(s, value, at)
}

// leaf validates value against s with kin-openapi and adds what it finds, at its pointer.
func (v *bodyValidation) leaf(s *openapi3.Schema, value any, at string) {
	if err := s.VisitJSON(value, v.opts...); err != nil {
		for _, r := range reasons(err, "does not match the contract") {
			v.add(samverkan.FieldError{Pointer: at + r.pointer, Detail: r.detail})
		}
	}
}

var shells sync.Map // *openapi3.Schema → its shell

// shellOf is s without what visit checks itself: an array schema without its items, an
// object schema whose fields accept anything. The shell checks the container's own rules
// (type, size, required and unknown fields); fields with a default keep their schema, so
// that the shell fills it in, and visit leaves them to it.
func shellOf(s *openapi3.Schema) *openapi3.Schema {
	if sh, ok := shells.Load(s); ok {
		return sh.(*openapi3.Schema)
	}
	sh := *s
	if sh.Items != nil {
		sh.Items = nil
	}
	if len(s.Properties) > 0 {
		anything := &openapi3.SchemaRef{Value: &openapi3.Schema{Nullable: true}} // the field's own schema says whether null is allowed
		sh.Properties = make(openapi3.Schemas, len(s.Properties))
		for name, p := range s.Properties {
			if p != nil && p.Value != nil && p.Value.Default != nil {
				sh.Properties[name] = p
			} else {
				sh.Properties[name] = anything
			}
		}
	}
	actual, _ := shells.LoadOrStore(s, &sh)
	return actual.(*openapi3.Schema)
}
