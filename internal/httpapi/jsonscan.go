package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// The shape limits of a JSON body, besides its byte size. Decoding JSON into values costs
// far more than its bytes for some shapes (an empty object, three bytes on the wire, is a
// map of some 300 bytes), so these are checked while the body is read token by token,
// before anything is decoded: a body that breaks them costs no more memory than its size.
const (
	// MaxBodyProblems is how many problems one answer lists. A body with more gets the first
	// ones and a message that says the list stops there.
	MaxBodyProblems = 100
	// MaxJSONDepth is how deeply arrays and objects may nest; the contract's deepest shape
	// (an import document's activity partners) nests six levels.
	MaxJSONDepth = 16
	// MaxJSONContainers is how many objects and arrays one body may hold. The national
	// dataset's import document (6.5 MB, 290 municipalities) holds 52,586.
	MaxJSONContainers = 250_000
	// maxDetailRunes cuts what a problem says about a value, so that no answer echoes its
	// input at length.
	maxDetailRunes = 200
)

// problems collects field problems up to MaxBodyProblems.
type problems struct {
	fields []samverkan.FieldError
	more   bool // problems were found beyond the cap
}

func (p *problems) full() bool { return len(p.fields) >= MaxBodyProblems }

func (p *problems) add(f samverkan.FieldError) {
	if p.full() {
		p.more = true
		return
	}
	f.Detail = shorten(f.Detail)
	p.fields = append(p.fields, f)
}

// err is nil without problems, else one invalid-input error listing them.
func (p *problems) err(message string) error {
	if len(p.fields) == 0 {
		return nil
	}
	if p.more {
		message += " Only the first " + strconv.Itoa(MaxBodyProblems) + " problems are listed."
	}
	return &samverkan.Error{Code: samverkan.EInvalid, Message: message, Fields: p.fields}
}

func shorten(s string) string {
	if len(s) <= maxDetailRunes {
		return s
	}
	n := 0
	for i := range s { // by runes, without copying s
		if n == maxDetailRunes {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// scanFrame is an open object or array of the body being scanned.
type scanFrame struct {
	object    bool
	expectKey bool
	key       string
	index     int
	// The object's field names so far, to find one named twice: a list while the object is
	// small (frames are reused, so small objects allocate nothing), a map beyond.
	keys     []string
	keySet   map[string]struct{}
	schema   *openapi3.Schema
	maxItems int // -1 when the schema sets none
	tooMany  bool
}

// scanJSON reads a JSON body token by token along its schema (nil for none) and lists, with
// JSON pointers, what would make decoding it costly, and what the decoders downstream would
// silently accept or mangle: syntax errors (with their byte offset), data after the value,
// fields named twice (the last would win), control characters in strings or field names,
// numbers no float64 holds, arrays longer than their schema's maxItems, and bodies nested
// deeper than MaxJSONDepth or holding more than MaxJSONContainers objects and arrays. The
// last two stop the scan at once.
func scanJSON(raw []byte, root *openapi3.Schema) *problems {
	var (
		out        problems
		stack      []scanFrame // frames are reused: a body of many small objects allocates none
		started    bool
		containers int
	)
	pointer := func() string { return pointerOf(stack) }
	add := func(detail string) {
		if out.full() { // the pointer is not even built: it may be long
			out.more = true
			return
		}
		out.add(samverkan.FieldError{Pointer: pointer(), Detail: detail})
	}
	fatal := func(at, detail string) *problems {
		out.add(samverkan.FieldError{Pointer: at, Detail: detail})
		return &out
	}
	// valueStarts is called before each value: it finds the value's schema and counts the
	// array's items against maxItems.
	valueStarts := func() *openapi3.Schema {
		if len(stack) == 0 {
			return root
		}
		f := &stack[len(stack)-1]
		if f.object {
			return propertySchema(f.schema, f.key)
		}
		if f.maxItems >= 0 && f.index >= f.maxItems && !f.tooMany {
			f.tooMany = true // said once, at the array
			if out.full() {
				out.more = true
			} else {
				out.add(samverkan.FieldError{Pointer: pointerOf(stack[:len(stack)-1]), Detail: "has more than " + strconv.Itoa(f.maxItems) + " items"})
			}
		}
		return itemSchema(f.schema)
	}
	valueDone := func() {
		if len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.object {
				f.expectKey = true
			} else {
				f.index++
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return &out
		}
		if err != nil {
			return fatal("", "the body is not valid JSON: "+err.Error()+" (near byte "+strconv.FormatInt(dec.InputOffset(), 10)+")")
		}
		if len(stack) == 0 && started {
			return fatal("", "the body holds more than one JSON value (near byte "+strconv.FormatInt(dec.InputOffset(), 10)+")")
		}
		started = true
		if s, ok := tok.(string); ok && len(stack) > 0 && stack[len(stack)-1].object && stack[len(stack)-1].expectKey {
			f := &stack[len(stack)-1]
			f.key, f.expectKey = s, false
			if hasControl(s) {
				add("the field name contains a control character")
			}
			switch {
			case unknownField(f.schema, s):
				// Refused here, so that nothing under it is decoded: its value has no schema
				// to bound it. Nor is its name kept: an object of a million unknown names
				// would cost far more than its size to remember.
				add("is not a field of this request")
			case f.seen(s):
				add("the field appears more than once")
			}
			continue
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			valueDone()
			continue
		}
		schema := valueStarts()
		switch t := tok.(type) {
		case json.Delim:
			containers++
			if containers > MaxJSONContainers {
				return fatal(pointer(), "the body holds more than "+strconv.Itoa(MaxJSONContainers)+" objects and arrays")
			}
			if len(stack) >= MaxJSONDepth {
				return fatal(pointer(), "nests objects and arrays more than "+strconv.Itoa(MaxJSONDepth)+" levels deep")
			}
			stack = slices.Grow(stack, 1)[:len(stack)+1]
			f := &stack[len(stack)-1]
			*f = scanFrame{object: t == '{', expectKey: t == '{', keys: f.keys[:0], schema: schema, maxItems: maxItemsOf(schema)}
		case string:
			if hasControl(t) {
				add("contains a control character or an invalid escape")
			}
			valueDone()
		case json.Number:
			if _, err := t.Float64(); err != nil {
				add("is a number out of range")
			}
			valueDone()
		default:
			valueDone()
		}
	}
}

// seen records an object's field name and tells whether it was named before.
func (f *scanFrame) seen(name string) bool {
	if f.keySet != nil {
		_, dup := f.keySet[name]
		f.keySet[name] = struct{}{}
		return dup
	}
	dup := slices.Contains(f.keys, name)
	f.keys = append(f.keys, name)
	if len(f.keys) > 16 {
		f.keySet = make(map[string]struct{}, 64)
		for _, k := range f.keys {
			f.keySet[k] = struct{}{}
		}
	}
	return dup
}

// unknownField tells whether an object schema that takes no other fields lacks this one.
func unknownField(s *openapi3.Schema, name string) bool {
	if s == nil || len(alternatives(s)) > 0 || s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has {
		return false
	}
	_, ok := s.Properties[name]
	return !ok
}

// pointerOf is the JSON pointer of the value the innermost frame is at.
func pointerOf(stack []scanFrame) string {
	var b strings.Builder
	for i := range stack {
		f := &stack[i]
		b.WriteByte('/')
		if f.object {
			b.WriteString(escapePointer(shorten(f.key))) // a field name may be any length
		} else {
			b.WriteString(strconv.Itoa(f.index))
		}
	}
	return b.String()
}

// alternatives are a schema's composed parts, where a field or item may be described.
func alternatives(s *openapi3.Schema) []*openapi3.SchemaRef {
	return slices.Concat(s.AllOf, s.OneOf, s.AnyOf)
}

// propertySchema is the schema of an object's field, nil when the schema does not say.
func propertySchema(s *openapi3.Schema, name string) *openapi3.Schema {
	if s == nil {
		return nil
	}
	if p := s.Properties[name]; p != nil {
		return p.Value
	}
	for _, alt := range alternatives(s) {
		if p := propertySchema(alt.Value, name); p != nil {
			return p
		}
	}
	if ap := s.AdditionalProperties.Schema; ap != nil {
		return ap.Value
	}
	return nil
}

// itemSchema is the schema of an array's items, nil when the schema does not say.
func itemSchema(s *openapi3.Schema) *openapi3.Schema {
	if s == nil {
		return nil
	}
	if s.Items != nil {
		return s.Items.Value
	}
	for _, alt := range alternatives(s) {
		if i := itemSchema(alt.Value); i != nil {
			return i
		}
	}
	return nil
}

// maxItemsOf is an array schema's maxItems, or -1; every part of an allOf applies, so the
// smallest counts. oneOf and anyOf are left to the validator that decodes.
func maxItemsOf(s *openapi3.Schema) int {
	if s == nil {
		return -1
	}
	limit := -1
	if s.MaxItems != nil {
		limit = int(*s.MaxItems)
	}
	for _, part := range s.AllOf {
		if m := maxItemsOf(part.Value); m >= 0 && (limit < 0 || m < limit) {
			limit = m
		}
	}
	return limit
}
