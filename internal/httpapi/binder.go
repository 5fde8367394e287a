package httpapi

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// jsonBinder decodes request bodies into the generated types. The contract validator has
// checked the body's shape already; what can still fail here is what JSON Schema allows and Go
// types do not (2030.0 for an integer, a number beyond int64), and that is reported like any
// other field problem instead of as a decoder message.
type jsonBinder struct{}

func (jsonBinder) Bind(target any, c echo.Context) error {
	err := json.NewDecoder(c.Request().Body).Decode(target)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &samverkan.Error{Code: samverkan.EInvalid, Message: "The request does not match the API contract.",
			Fields: []samverkan.FieldError{{Pointer: "/" + strings.ReplaceAll(te.Field, ".", "/"), Detail: "must be " + kindName(te.Type)}}}
	}
	return &samverkan.Error{Code: samverkan.EInvalid, Message: "The request body is not valid JSON.", Fields: []samverkan.FieldError{{Detail: err.Error()}}}
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number without decimals, within range"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}
