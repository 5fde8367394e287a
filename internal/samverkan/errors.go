package samverkan

import (
	"errors"
	"fmt"
)

// Code classifies an error for callers; transport maps each code to one status in one place.
type Code string

const (
	EInvalid              Code = "invalid"               // the input breaks a rule of the domain
	EUnprocessable        Code = "unprocessable"         // the input refers to things that do not exist or do not fit
	ENotFound             Code = "not_found"             // no such resource, or not visible to the caller
	EConflict             Code = "conflict"              // the change does not fit the resource's state
	EPreconditionFailed   Code = "precondition_failed"   // the If-Match version is stale
	EPreconditionRequired Code = "precondition_required" // a change came without a version
	EUnauthorized         Code = "unauthorized"          // no valid credentials where they are needed
	EForbidden            Code = "forbidden"             // credentials valid, but not for this material
	EUnavailable          Code = "unavailable"           // the database cannot be reached
	ECanceled             Code = "canceled"              // the caller gave up (a client went away) before the work was done: no failure
	EInternal             Code = "internal"
)

// FieldError names one offending field by a JSON pointer into the input.
type FieldError struct {
	Pointer   string // JSON pointer into the request body
	Parameter string // or the name of a path, query or header parameter
	// Or a place in a spreadsheet: its sheet (workbooks), row (the header is 1) and column.
	Sheet  string
	Row    int
	Column string
	Detail string
}

// Error is the one error type of the domain.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
	// Allowed lists the states a resource may move to, for illegal transitions.
	Allowed []string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EInternal for errors from outside the domain.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// Problems collects field errors so that a caller learns of every problem at once.
type Problems struct {
	code   Code
	fields []FieldError
}

func (p *Problems) Add(pointer, format string, args ...any) {
	if p.code == "" {
		p.code = EInvalid
	}
	p.fields = append(p.fields, FieldError{Pointer: pointer, Detail: fmt.Sprintf(format, args...)})
}

// AddUnprocessable records a reference to something that does not exist or does not fit.
func (p *Problems) AddUnprocessable(pointer, format string, args ...any) {
	p.Add(pointer, format, args...)
	p.code = EUnprocessable
}

// Err returns nil when nothing was added.
func (p *Problems) Err() error {
	if len(p.fields) == 0 {
		return nil
	}
	msg := "The request breaks the rules of the domain."
	if p.code == EUnprocessable {
		msg = "The request refers to something that does not exist or does not fit."
	}
	return &Error{Code: p.code, Message: msg, Fields: p.fields}
}

// NotFound is the error for a record that does not exist, or that the caller may not see.
func NotFound(kind string, id any) error {
	return Errorf(ENotFound, "No %s with the id %v.", kind, id)
}
