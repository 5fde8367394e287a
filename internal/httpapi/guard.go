package httpapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// MaxBodyBytes is the documented limit of a request body; imports, whole files, may send up
// to MaxImportBytes: two and a half times the national dataset's document (6.5 MB), sized so
// that an import at the limit finishes well within the request timeout under load, and fits
// the deployment's memory limit (deploy/k8s/deployment.yaml).
const (
	MaxBodyBytes   = 1 << 20
	MaxImportBytes = 16 << 20
)

func bodyLimit(path string) int64 {
	if strings.HasPrefix(path, "/v1/imports") {
		return MaxImportBytes
	}
	return MaxBodyBytes
}

// bodyGuard reads a request body once, refuses it when it is larger than its limit, and
// hands the same bytes on: what they hold is checked against the operation by the validator
// (checkRequestBody). It runs after requireToken, so an anonymous caller cannot make the
// server read a body for an operation that needs a token, and no body is read where no
// operation takes one.
//
// Imports come into a process one at a time: they are written one after another anyway (each
// holds the data version's lock until it commits), and the deployment's memory is sized for
// one at the limit (docs/operations.md, "Memory"). Another waits for its turn as long as its
// deadline lets it.
func bodyGuard() echo.MiddlewareFunc {
	importing := make(chan struct{}, 1)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if req.Body == nil || req.Body == http.NoBody || req.ContentLength == 0 {
				return next(c)
			}
			if enc := req.Header.Get(echo.HeaderContentEncoding); enc != "" && !strings.EqualFold(enc, "identity") {
				return &echo.HTTPError{Code: http.StatusUnsupportedMediaType, Message: "Request bodies are not compressed here: send the body without Content-Encoding."}
			}
			limit := bodyLimit(req.URL.Path)
			if req.ContentLength > limit {
				return echo.ErrStatusRequestEntityTooLarge
			}
			raw, err := readBody(req.Body, req.ContentLength, limit)
			if err != nil {
				return &echo.HTTPError{Code: http.StatusBadRequest, Message: "The request body could not be read."}
			}
			if int64(len(raw)) > limit {
				return echo.ErrStatusRequestEntityTooLarge
			}
			// The turn is taken once the body is in: a slow sender holds no other import up.
			if limit == MaxImportBytes {
				select {
				case importing <- struct{}{}:
					defer func() { <-importing }()
				case <-req.Context().Done():
					if errors.Is(req.Context().Err(), context.Canceled) {
						return req.Context().Err() // the client left
					}
					return samverkan.Errorf(samverkan.EUnavailable, "Another import is running on this server and this one's time ran out waiting; send it again.")
				}
			}
			setBody(req, raw)
			return next(c)
		}
	}
}

// bufferedBody is a body read into memory, which the layers after the guard take as bytes
// (bodyBytes) rather than copy again.
type bufferedBody struct {
	*bytes.Reader
	raw []byte
}

func (bufferedBody) Close() error { return nil }

func setBody(req *http.Request, raw []byte) {
	req.Body = bufferedBody{bytes.NewReader(raw), raw}
	req.ContentLength = int64(len(raw))
}

// bodyBytes is the request's body: the guard's bytes, or read now where no guard ran.
func bodyBytes(req *http.Request) ([]byte, error) {
	if b, ok := req.Body.(bufferedBody); ok {
		return b.raw, nil
	}
	if req.Body == nil {
		return nil, nil
	}
	return io.ReadAll(req.Body)
}

// readBody reads a body up to limit+1 bytes into a buffer that grows as bytes arrive: a
// declared Content-Length costs nothing until the bytes are there.
func readBody(body io.Reader, length, limit int64) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, min(max(length, 0), 64<<10)+bytes.MinRead))
	_, err := buf.ReadFrom(io.LimitReader(body, limit+1))
	return buf.Bytes(), err
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

// jsonMediaType tells whether a media type (without parameters) is JSON: application/json or
// a +json type.
func jsonMediaType(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}
