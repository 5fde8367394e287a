package httpapi

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/internal/samverkan"
)

func init() {
	// Version 7 uuids are valid ids too; kin-openapi's predefined pattern stops at version 5.
	openapi3.DefineStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(
		`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`))
	openapi3.DefineStringFormatValidator("date", dateFormat{})
	openapi3.DefineStringFormatValidator("date-time", instantFormat{})
}

// dateFormat accepts real calendar days of the years this material can concern, the same on
// both databases (PostgreSQL has no year 0; SQLite would store anything), by the domain's
// rule, so that a JSON field and a spreadsheet cell are refused for the same reason.
type dateFormat struct{}

func (dateFormat) Validate(value string) error {
	_, err := samverkan.ParseDate(value)
	return err
}

// instantFormat accepts the RFC 3339 instants Go reads (a leap second's :60 is not one) whose
// UTC falls in the years 1 to 9999: the years both databases keep, and compare, alike.
type instantFormat struct{}

func (instantFormat) Validate(value string) error {
	t, err := time.Parse(time.RFC3339Nano, value)
	if err != nil {
		return fmt.Errorf("must be an RFC 3339 instant like 2024-09-01T00:00:00Z")
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return fmt.Errorf("must be an instant in the years 1 to 9999 (UTC)")
	}
	return nil
}

// LoadSpec parses and checks the contract.
func LoadSpec(raw []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	doc.Servers = nil // match requests by path alone, whatever host they came to
	return doc, nil
}

// validator checks every request against the operation echo routed it to, before any handler
// runs: parameters, the body's content type and, for JSON, its shape and schema
// (checkJSONBody). Echo has already found the route, so the
// operation is looked up by its path template.
func validator(doc *openapi3.T, ops operations) echo.MiddlewareFunc {
	opts := &openapi3filter.Options{
		MultiError: true,
		// Bodies are checked by checkRequestBody, which bounds what they cost.
		ExcludeRequestBody: true,
		// Defaults would be written into the request's URL, and from there into the next links
		// of a list (delimiter=comma the caller never sent); handlers bind the query echo read
		// before, and apply the defaults themselves.
		SkipSettingDefaults: true,
		// Security is requireToken's, which has refused an anonymous caller before the body
		// was read; kin-openapi asks for the check it would run anyway.
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			o := ops.of(c)
			if o == nil {
				return next(c) // not an API operation (e.g. /openapi.yaml, 404s)
			}
			path, item, op := o.path, o.item, o.op
			if err := checkQueryNames(c.QueryParams(), item, op); err != nil {
				return err
			}
			params := map[string]string{}
			for i, name := range c.ParamNames() {
				params[name] = c.ParamValues()[i]
			}
			in := &openapi3filter.RequestValidationInput{
				Request:    c.Request(),
				PathParams: params,
				Route:      &routers.Route{Spec: doc, Path: path, PathItem: item, Method: c.Request().Method, Operation: op},
				Options:    opts,
			}
			if err := openapi3filter.ValidateRequest(c.Request().Context(), in); err != nil {
				return requestProblem(err)
			}
			if err := checkRequestBody(c.Request(), op); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// checkRequestBody checks a body against the operation: present if required, of a media type
// it takes, and for JSON UTF-8 text of the operation's schema. The body guard has read it
// into memory already, within its limit.
func checkRequestBody(req *http.Request, op *openapi3.Operation) error {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	rb := op.RequestBody.Value
	raw, err := bodyBytes(req)
	if err != nil {
		return &echo.HTTPError{Code: http.StatusBadRequest, Message: "The request body could not be read."}
	}
	if len(raw) == 0 {
		if rb.Required {
			return &samverkan.Error{Code: samverkan.EInvalid, Message: contractMismatch,
				Fields: []samverkan.FieldError{{Pointer: "", Detail: "value is required but missing"}}}
		}
		return nil
	}
	ct := req.Header.Get(echo.HeaderContentType)
	media := rb.Content.Get(ct)
	if media == nil {
		return &echo.HTTPError{Code: http.StatusUnsupportedMediaType, Message: "The body must be " + mediaTypes(op) + "."}
	}
	if mt, params, _ := mime.ParseMediaType(ct); jsonMediaType(mt) {
		if params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8") {
			// Read as UTF-8 anyway, a Latin-1 "å" would be stored as something else.
			return &echo.HTTPError{Code: http.StatusUnsupportedMediaType, Message: "JSON bodies are UTF-8; send Content-Type: application/json (charset utf-8 or none)."}
		}
		// The JSON decoder would replace broken UTF-8 with U+FFFD silently.
		if !utf8.Valid(raw) {
			return &samverkan.Error{Code: samverkan.EInvalid, Message: "The request body is not valid UTF-8.",
				Fields: []samverkan.FieldError{{Pointer: "", Detail: "invalid UTF-8 at byte " + strconv.Itoa(firstInvalidUTF8(raw))}}}
		}
		var schema *openapi3.Schema
		if media.Schema != nil {
			schema = media.Schema.Value
		}
		if raw, err = checkJSONBody(raw, schema); err != nil {
			return err
		}
	}
	// Spreadsheets are read by package activityfile, which reports problems by row and column.
	setBody(req, raw)
	return nil
}

// checkQueryNames refuses query parameters the operation does not have, and single-valued ones
// given twice. A dashboard that misspells a filter must hear about it, not get every row.
func checkQueryNames(query url.Values, item *openapi3.PathItem, op *openapi3.Operation) error {
	known := map[string]*openapi3.Parameter{}
	for _, params := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, ref := range params {
			if p := ref.Value; p != nil && p.In == openapi3.ParameterInQuery {
				known[p.Name] = p
			}
		}
	}
	var fields []samverkan.FieldError
	for _, name := range slices.Sorted(maps.Keys(query)) {
		p := known[name]
		if !utf8.ValidString(name) || slices.ContainsFunc(query[name], func(v string) bool { return !utf8.ValidString(v) }) {
			fields = append(fields, samverkan.FieldError{Parameter: strings.ToValidUTF8(name, "\uFFFD"), Detail: "is not valid UTF-8"})
			continue
		}
		switch {
		case p == nil:
			fields = append(fields, samverkan.FieldError{Parameter: name, Detail: "is not a parameter of this operation"})
		case len(query[name]) > 1 && (p.Schema == nil || p.Schema.Value == nil || !p.Schema.Value.Type.Is(openapi3.TypeArray)):
			fields = append(fields, samverkan.FieldError{Parameter: name, Detail: "is given more than once"})
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return &samverkan.Error{Code: samverkan.EInvalid, Message: "The request does not match the API contract.", Fields: fields}
}

// requestProblem turns kin-openapi's findings into one domain error listing every field.
// Errors nest (a request error wraps a multi-error of schema errors), so the walk looks at
// each level's own type before unwrapping.
func requestProblem(err error) error {
	var fields []samverkan.FieldError
	preconditionRequired := false
	var collect func(error)
	collect = func(err error) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, x := range e {
				collect(x)
			}
		case *openapi3filter.RequestError:
			switch {
			case e.Parameter != nil && e.Parameter.In == openapi3.ParameterInHeader &&
				strings.EqualFold(e.Parameter.Name, "If-Match") && errors.Is(e.Err, openapi3filter.ErrInvalidRequired):
				preconditionRequired = true
			case e.Parameter != nil:
				for _, d := range reasons(e.Err, e.Reason) {
					fields = append(fields, samverkan.FieldError{Parameter: e.Parameter.Name, Detail: d.detail})
				}
			default:
				fields = append(fields, samverkan.FieldError{Detail: e.Error()})
			}
		default:
			fields = append(fields, samverkan.FieldError{Detail: err.Error()})
		}
	}
	collect(err)
	switch {
	case preconditionRequired:
		_, err := ifMatch("") // the answer the handlers give to an empty If-Match: 428
		return err
	}
	return &samverkan.Error{Code: samverkan.EInvalid, Message: "The request does not match the API contract.", Fields: fields}
}

type reason struct{ pointer, detail string }

// reasons flattens schema errors into (JSON pointer, sentence) pairs.
func reasons(err error, fallback string) []reason {
	var out []reason
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case openapi3.MultiError:
			for _, x := range e {
				walk(x)
			}
		case *openapi3.SchemaError:
			p := ""
			if ptr := e.JSONPointer(); len(ptr) > 0 {
				p = "/" + strings.Join(ptr, "/")
			}
			if name, ok := unsupportedProperty(e); ok {
				p += "/" + escapePointer(name)
			}
			out = append(out, reason{p, e.Reason})
		case *openapi3filter.ParseError:
			out = append(out, reason{"", "is not valid: " + e.Error()})
		default:
			if u := errors.Unwrap(err); u != nil {
				walk(u)
				return
			}
			out = append(out, reason{"", err.Error()})
		}
	}
	walk(err)
	if len(out) == 0 {
		out = append(out, reason{"", fallback})
	}
	return out
}

// unsupportedProperty names the field an additionalProperties: false schema refused.
// kin-openapi points at the object that holds it and names the field only in its reason.
func unsupportedProperty(e *openapi3.SchemaError) (string, bool) {
	rest, ok := strings.CutPrefix(e.Reason, "property ")
	if !ok || e.SchemaField != "properties" {
		return "", false
	}
	quoted, ok := strings.CutSuffix(rest, " is unsupported")
	if !ok {
		return "", false
	}
	name, err := strconv.Unquote(quoted)
	return name, err == nil
}

// mediaTypes names the body types an operation takes, for the 415 detail.
func mediaTypes(op *openapi3.Operation) string {
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return "of a type this operation takes"
	}
	return strings.Join(slices.Sorted(maps.Keys(op.RequestBody.Value.Content)), " or ")
}
