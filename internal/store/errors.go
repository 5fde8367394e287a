package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	sqlite "github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// translate maps database errors to the domain's codes; it is the only place that knows
// what a driver error means.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var de *samverkan.Error
	if errors.As(err, &de) {
		return err
	}
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return &samverkan.Error{Code: samverkan.ENotFound, Message: "Not found.", Err: err}
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return &samverkan.Error{Code: samverkan.EConflict, Message: "A record with the same key already exists.", Err: err}
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return &samverkan.Error{Code: samverkan.EConflict, Message: "Other records still refer to this one, or it refers to one that does not exist.", Err: err}
	case errors.Is(err, context.DeadlineExceeded):
		return &samverkan.Error{Code: samverkan.EUnavailable, Message: "The database did not answer in time.", Err: err}
	case errors.Is(err, context.Canceled), errors.Is(err, sql.ErrTxDone):
		// The caller gave up: pgx and database/sql answer a cancelled context with its error,
		// and a commit whose context just ended finds the transaction already rolled back
		// (database/sql ends a transaction by itself only when its context ends).
		return &samverkan.Error{Code: samverkan.ECanceled, Message: "The request was cancelled before the database answered.", Err: err}
	}
	// SQLite answers a context that ended mid-statement with "interrupted" (9), cancelled or
	// past its deadline alike: the driver interrupts the statement either way, and only the
	// caller, who has the context, can tell which (transport does, see problem.go).
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) && liteErr.Code()&0xff == 9 {
		return &samverkan.Error{Code: samverkan.ECanceled, Message: "The database statement was interrupted: its request was cancelled or ran out of time.", Err: err}
	}
	// Class 22 is "data exception": a value PostgreSQL cannot store (a year 0 date, bytes that
	// are not UTF-8). Input that reaches the database this far is still the client's mistake.
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, "22") {
		return &samverkan.Error{Code: samverkan.EInvalid, Message: "A value is outside what the database can store: " + pgErr.Message + ".", Err: err}
	}
	// SQLite is busy (5, and 517 when another process committed after this transaction's
	// first read) or locked (6): another process, such as `samverkan token create` next to a
	// running server, holds the file longer than the busy timeout. Nothing was written.
	if errors.As(err, &liteErr) && (liteErr.Code()&0xff == 5 || liteErr.Code()&0xff == 6) {
		return &samverkan.Error{Code: samverkan.EUnavailable, Message: "The database file is busy with another process; try again.", Err: err}
	}
	// Class 40 is "transaction rollback": a deadlock or a serialization failure ended this
	// transaction (nothing of it was written) in favour of another; trying again succeeds.
	if errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, "40") {
		return &samverkan.Error{Code: samverkan.EUnavailable, Message: "The write met a concurrent one and was rolled back whole; try again.", Err: err}
	}
	// An undefined table or column: the schema is older than this server (migrations not run
	// yet). Not the request's fault, and over once they have run.
	if (errors.As(err, &pgErr) && (pgErr.Code == "42P01" || pgErr.Code == "42703")) ||
		strings.Contains(err.Error(), "no such table") || strings.Contains(err.Error(), "no such column") {
		return &samverkan.Error{Code: samverkan.EUnavailable, Message: "The database is not migrated to this version of the server yet; run samverkan migrate.", Err: err}
	}
	// Unreachable, or reached but going away: class 08 is "connection exception", 57
	// "operator intervention" (a server shutting down or starting up terminates sessions with
	// 57P01-57P03), 53 "insufficient resources" (too many connections); a pooled connection
	// the server closed shows as a bad connection or an unexpected end of input.
	var connErr *pgconn.ConnectError
	var netErr net.Error
	if errors.As(err, &connErr) || errors.As(err, &netErr) || pgconn.SafeToRetry(err) ||
		(errors.As(err, &pgErr) && (strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57") || strings.HasPrefix(pgErr.Code, "53"))) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &samverkan.Error{Code: samverkan.EUnavailable, Message: "The database cannot be reached.", Err: err}
	}
	return err
}

func notFound(kind string, id any) error {
	if kind == "municipality" {
		return samverkan.Errorf(samverkan.ENotFound, "No municipality has the code %v.", id)
	}
	return samverkan.NotFound(kind, id)
}

func stale(kind string) error {
	return samverkan.Errorf(samverkan.EPreconditionFailed, "The %s was changed by another request; read it again and reapply the change.", kind)
}
