package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// Problem is an RFC 9457 problem detail.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"requestId,omitempty"`
	Errors    []fieldError `json:"errors,omitempty"`
	// Allowed is empty, not absent, for an illegal move out of a final state.
	Allowed []string `json:"allowed,omitzero"`
}

type fieldError struct {
	Pointer   string `json:"pointer,omitempty"`
	Parameter string `json:"parameter,omitempty"`
	Sheet     string `json:"sheet,omitempty"`
	Row       int    `json:"row,omitempty"`
	Column    string `json:"column,omitempty"`
	Detail    string `json:"detail"`
}

// MarshalJSON names a body problem by its pointer even when that is "", the whole document
// (RFC 6901), a parameter problem by the parameter alone, and a spreadsheet problem by its
// sheet, row and column.
func (f fieldError) MarshalJSON() ([]byte, error) {
	if f.Row != 0 || f.Column != "" || f.Sheet != "" {
		return json.Marshal(struct {
			Sheet  string `json:"sheet,omitempty"`
			Row    int    `json:"row,omitempty"`
			Column string `json:"column,omitempty"`
			Detail string `json:"detail"`
		}{f.Sheet, f.Row, f.Column, f.Detail})
	}
	if f.Parameter != "" {
		return json.Marshal(struct {
			Parameter string `json:"parameter"`
			Detail    string `json:"detail"`
		}{f.Parameter, f.Detail})
	}
	return json.Marshal(struct {
		Pointer string `json:"pointer"`
		Detail  string `json:"detail"`
	}{f.Pointer, f.Detail})
}

const problemBase = "https://samverkan.se/problems/"

// StatusClientClosedRequest is nginx's 499 for a request whose client went away before its
// answer: it is logged and counted with it, though nobody receives it, so that a client
// leaving is not taken for a failure of the server.
const StatusClientClosedRequest = 499

// statusOf is the one mapping from domain error codes to HTTP.
var statusOf = map[samverkan.Code]struct {
	status int
	slug   string
	title  string
}{
	samverkan.EInvalid:              {http.StatusBadRequest, "validation", "Invalid request"},
	samverkan.EUnprocessable:        {http.StatusUnprocessableEntity, "unprocessable", "Unprocessable content"},
	samverkan.ENotFound:             {http.StatusNotFound, "not-found", "Not found"},
	samverkan.EConflict:             {http.StatusConflict, "conflict", "Conflict"},
	samverkan.EPreconditionFailed:   {http.StatusPreconditionFailed, "stale-version", "The resource has changed"},
	samverkan.EPreconditionRequired: {http.StatusPreconditionRequired, "if-match-required", "If-Match required"},
	samverkan.EUnauthorized:         {http.StatusUnauthorized, "unauthorized", "Unauthorized"},
	samverkan.EForbidden:            {http.StatusForbidden, "forbidden", "Forbidden"},
	samverkan.EUnavailable:          {http.StatusServiceUnavailable, "unavailable", "Service unavailable"},
	samverkan.ECanceled:             {StatusClientClosedRequest, "client-closed-request", "Client closed request"},
	samverkan.EInternal:             {http.StatusInternalServerError, "internal", "Internal error"},
}

// problemFor turns any error into a problem. Domain errors keep their message and fields;
// a cancelled context is the caller giving up, as the store's ECanceled; echo's own errors
// (unknown route, wrong method, body too large) keep their status; anything else is an
// internal error whose details stay in the log.
func problemFor(err error) Problem {
	var de *samverkan.Error
	if !errors.As(err, &de) && errors.Is(err, context.Canceled) {
		de = &samverkan.Error{Code: samverkan.ECanceled, Message: "The request was cancelled before it was answered.", Err: err}
	}
	if de != nil {
		m := statusOf[de.Code]
		if m.status == 0 {
			m = statusOf[samverkan.EInternal]
		}
		p := Problem{Type: problemBase + m.slug, Title: m.title, Status: m.status, Detail: de.Message, Allowed: de.Allowed}
		if de.Code == samverkan.EConflict && de.Allowed != nil {
			p.Type, p.Title = problemBase+"illegal-transition", "Illegal lifecycle transition"
		}
		if de.Code == samverkan.EInternal {
			p.Detail = "Something went wrong on our side; the request id identifies it in our logs."
		}
		// However many problems the domain found (a spreadsheet of 20,000 bad rows has
		// hundreds of thousands), an answer lists MaxBodyProblems, each cut short: no answer
		// is larger than a few of its own kilobytes, whatever the request.
		for i, f := range de.Fields {
			if i == MaxBodyProblems {
				p.Detail += " Only the first " + strconv.Itoa(MaxBodyProblems) + " of " + strconv.Itoa(len(de.Fields)) + " problems are listed."
				break
			}
			p.Errors = append(p.Errors, fieldError{Pointer: shorten(f.Pointer), Parameter: shorten(f.Parameter), Sheet: shorten(f.Sheet),
				Row: f.Row, Column: shorten(f.Column), Detail: shorten(f.Detail)})
		}
		return p
	}
	var he *echo.HTTPError
	if errors.As(err, &he) && he.Code < 500 {
		p := Problem{Type: "about:blank", Title: http.StatusText(he.Code), Status: he.Code}
		switch he.Code {
		case http.StatusNotFound:
			p.Detail = "No such path in this API; see /openapi.yaml."
		case http.StatusMethodNotAllowed:
			p.Detail = "This path does not support the method."
		case http.StatusRequestEntityTooLarge:
			p.Type, p.Detail = problemBase+"too-large", "The request body exceeds the limit of "+strconv.Itoa(MaxBodyBytes>>20)+
				" MiB ("+strconv.Itoa(MaxImportBytes>>20)+" MiB for imports)."
		default:
			if msg, ok := he.Message.(string); ok {
				p.Detail = msg
			}
		}
		return p
	}
	m := statusOf[samverkan.EInternal]
	return Problem{Type: problemBase + m.slug, Title: m.title, Status: m.status,
		Detail: "Something went wrong on our side; the request id identifies it in our logs."}
}

// errorHandler writes every error of every route as application/problem+json.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		p := problemFor(err)
		if p.Status == StatusClientClosedRequest && !clientLeft(c) {
			p = problemFor(&samverkan.Error{Code: samverkan.EUnavailable, Message: "The database did not answer in time.", Err: err})
		}
		var limited *rateLimited
		if errors.As(err, &limited) {
			p = writeRateLimited(c, limited)
		}
		p.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
		p.Instance = c.Request().URL.Path
		switch {
		case p.Status >= 500:
			log.ErrorContext(c.Request().Context(), "request failed", "error", err, "request_id", p.RequestID, "path", p.Instance)
		case p.Status == StatusClientClosedRequest:
			log.InfoContext(c.Request().Context(), "client went away before the answer", "error", err, "request_id", p.RequestID, "path", p.Instance)
		}
		if p.Status == http.StatusUnauthorized {
			challenge := `Bearer realm="samverkan"`
			if invalid, _ := c.Get(invalidTokenKey).(bool); invalid {
				challenge += `, error="invalid_token"`
			}
			c.Response().Header().Set("WWW-Authenticate", challenge)
		}
		if p.Status == http.StatusServiceUnavailable {
			c.Response().Header().Set("Retry-After", "5")
		}
		writeProblem(c, p)
	}
}

// clientContextKey holds the request's context as the server gave it (requestLog sets it).
const clientContextKey = "samverkan.client_context"

// clientLeft tells whether a request that was cancelled was cancelled by its client going
// away (or by a shutdown that ended it: either way nobody receives the answer) rather than by
// something of the server's: SQLite interrupts a statement alike for a client that left and a
// deadline that passed. It asks the context the server gave the request, which only the
// client's going ends while the request is served; the contexts our deadlines wrap around it
// are cancelled on their way out, whatever happened.
func clientLeft(c echo.Context) bool {
	ctx, ok := c.Get(clientContextKey).(context.Context)
	if !ok {
		ctx = c.Request().Context()
	}
	return errors.Is(ctx.Err(), context.Canceled)
}

func writeProblem(c echo.Context, p Problem) {
	b, _ := json.Marshal(p)
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/problem+json")
	h.Set("Cache-Control", "no-store")
	_ = c.Blob(p.Status, "application/problem+json", b) // HEAD arrives as GET (headAsGet) and drops the body
}
