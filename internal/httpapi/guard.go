package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// MaxBodyBytes is the documented limit of a request body; imports, whole files, may send up
// to MaxImportBytes (a national import document is about 7 MB).
const (
	MaxBodyBytes   = 1 << 20
	MaxImportBytes = 32 << 20
)

func bodyLimit(path string) int64 {
	if strings.HasPrefix(path, "/v1/imports") {
		return MaxImportBytes
	}
	return MaxBodyBytes
}

// bodyGuard reads a request body once, refuses it when it is too large, is not UTF-8 or is
// JSON that the decoders would read differently from what was sent (see scanJSON), and hands
// the same bytes on. The JSON decoder would otherwise replace broken UTF-8 with U+FFFD
// silently, and PostgreSQL refuses NUL in text.
func bodyGuard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Body == nil || req.Body == http.NoBody || req.ContentLength == 0 {
			return next(c)
		}
		limit := bodyLimit(req.URL.Path)
		if req.ContentLength > limit {
			return echo.ErrStatusRequestEntityTooLarge
		}
		raw, err := io.ReadAll(io.LimitReader(req.Body, limit+1))
		if err != nil {
			return &echo.HTTPError{Code: http.StatusBadRequest, Message: "The request body could not be read."}
		}
		if int64(len(raw)) > limit {
			return echo.ErrStatusRequestEntityTooLarge
		}
		// JSON must be UTF-8 text; spreadsheets are checked by their reader, which can say
		// more than "not UTF-8" to someone who saved a CSV from Excel.
		if isJSON(req.Header.Get(echo.HeaderContentType)) {
			if _, params, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType)); params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8") {
				// Read as UTF-8 anyway, a Latin-1 "å" would be stored as something else.
				return &echo.HTTPError{Code: http.StatusUnsupportedMediaType, Message: "JSON bodies are UTF-8; send Content-Type: application/json (charset utf-8 or none)."}
			}
			if !utf8.Valid(raw) {
				return &samverkan.Error{Code: samverkan.EInvalid, Message: "The request body is not valid UTF-8.",
					Fields: []samverkan.FieldError{{Pointer: "", Detail: "invalid UTF-8 at byte " + strconv.Itoa(firstInvalidUTF8(raw))}}}
			}
			if fields := scanJSON(raw); len(fields) > 0 {
				return &samverkan.Error{Code: samverkan.EInvalid, Message: "The request body is not acceptable JSON.", Fields: fields}
			}
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

// scanJSON reads a JSON body token by token and lists, with JSON pointers, what the decoders
// downstream would silently accept or mangle: syntax errors (with their byte offset), data
// after the value, fields named twice (the last would win), control characters in strings or
// field names, and numbers no float64 holds. Bodies that are not JSON are left to the contract
// validator to refuse.
func scanJSON(raw []byte) []samverkan.FieldError {
	type frame struct {
		object    bool
		expectKey bool
		key       string
		index     int
		keys      map[string]bool
	}
	var (
		out     []samverkan.FieldError
		stack   []*frame
		started bool
	)
	const maxReported = 50
	add := func(detail string) {
		if len(out) >= maxReported {
			return
		}
		var b strings.Builder
		for _, f := range stack {
			if f.object {
				b.WriteString("/" + escapePointer(f.key))
			} else {
				b.WriteString("/" + strconv.Itoa(f.index))
			}
		}
		out = append(out, samverkan.FieldError{Pointer: b.String(), Detail: detail})
	}
	valueDone := func() {
		if len(stack) == 0 {
			return
		}
		if f := stack[len(stack)-1]; f.object {
			f.expectKey = true
		} else {
			f.index++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			return []samverkan.FieldError{{Pointer: "", Detail: "the body is not valid JSON: " + err.Error() + " (near byte " + strconv.FormatInt(dec.InputOffset(), 10) + ")"}}
		}
		if len(stack) == 0 && started {
			return []samverkan.FieldError{{Pointer: "", Detail: "the body holds more than one JSON value (near byte " + strconv.FormatInt(dec.InputOffset(), 10) + ")"}}
		}
		started = true
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &frame{object: true, expectKey: true, keys: map[string]bool{}})
			case '[':
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			if f := top(stack); f != nil && f.object && f.expectKey {
				f.key, f.expectKey = t, false
				if f.keys[t] {
					add("the field appears more than once")
				}
				f.keys[t] = true
				if hasControl(t) {
					add("the field name contains a control character")
				}
				continue
			}
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

func top[T any](stack []*T) *T {
	if len(stack) == 0 {
		return nil
	}
	return stack[len(stack)-1]
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

// isJSON tells whether a Content-Type names JSON (application/json or a +json type).
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}
