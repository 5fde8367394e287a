package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// MaxBodyBytes is the documented limit of a request body.
const MaxBodyBytes = 1 << 20

// bodyGuard reads a request body once, refuses it when it is too large, is not UTF-8 or
// holds control characters in strings, and hands the same bytes on. The JSON decoder would
// otherwise replace broken UTF-8 with U+FFFD silently, and PostgreSQL refuses NUL in text.
func bodyGuard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Body == nil || req.Body == http.NoBody || req.ContentLength == 0 {
			return next(c)
		}
		if req.ContentLength > MaxBodyBytes {
			return echo.ErrStatusRequestEntityTooLarge
		}
		raw, err := io.ReadAll(io.LimitReader(req.Body, MaxBodyBytes+1))
		if err != nil {
			return &echo.HTTPError{Code: http.StatusBadRequest, Message: "The request body could not be read."}
		}
		if len(raw) > MaxBodyBytes {
			return echo.ErrStatusRequestEntityTooLarge
		}
		if !utf8.Valid(raw) {
			return &samverkan.Error{Code: samverkan.EInvalid, Message: "The request body is not valid UTF-8.",
				Fields: []samverkan.FieldError{{Pointer: "", Detail: "invalid UTF-8 at byte " + strconv.Itoa(firstInvalidUTF8(raw))}}}
		}
		if fields := controlCharacters(raw); len(fields) > 0 {
			return &samverkan.Error{Code: samverkan.EInvalid, Message: "Text may not contain control characters other than tab and line breaks.", Fields: fields}
		}
		req.Body = io.NopCloser(bytes.NewReader(raw))
		req.ContentLength = int64(len(raw))
		return next(c)
	}
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// controlCharacters lists the JSON pointers of strings (keys included) that hold control
// characters. Bodies that are not JSON are left to the contract validator to refuse.
func controlCharacters(raw []byte) []samverkan.FieldError {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	var out []samverkan.FieldError
	var walk func(v any, pointer string)
	walk = func(v any, pointer string) {
		switch x := v.(type) {
		case string:
			if hasControl(x) {
				out = append(out, samverkan.FieldError{Pointer: pointer, Detail: "contains a control character"})
			}
		case []any:
			for i, e := range x {
				walk(e, pointer+"/"+strconv.Itoa(i))
			}
		case map[string]any:
			for k, e := range x {
				p := pointer + "/" + escapePointer(k)
				if hasControl(k) {
					out = append(out, samverkan.FieldError{Pointer: p, Detail: "the field name contains a control character"})
				}
				walk(e, p)
			}
		}
	}
	walk(v, "")
	return out
}

func hasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f || r == utf8.RuneError {
			return true
		}
	}
	return false
}

func escapePointer(s string) string {
	b := bytes.NewBuffer(nil)
	for _, r := range s {
		switch r {
		case '~':
			b.WriteString("~0")
		case '/':
			b.WriteString("~1")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
