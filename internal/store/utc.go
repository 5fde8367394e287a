package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"gorm.io/gorm"
)

// Times enter and leave the store in UTC, whatever the zone of the server: a Swedish
// server's time.Now is +01:00 or +02:00, and neither database may let that show.
//
// PostgreSQL keeps instants, but pgx hands them back in the server's local zone: answers
// would mix "Z" with "+01:00", and a record read and saved again would record its unchanged
// times as changed in its revision's diff. scanInUTC makes each connection read timestamptz
// in UTC.
//
// SQLite has no time type: the driver writes a time as text with the time's own offset
// ("2026-11-24 13:00:00+01:00"), and SQLite compares that text as text. A time in the local
// zone would then sort by its wall clock: a webhook retry due in ten seconds would be due in
// an hour, and west of Greenwich a lease would run out hours early. utcPool hands the driver
// every time in UTC, so that every time's text has the same offset and text order is time
// order.

func scanInUTC(_ context.Context, c *pgx.Conn) error {
	c.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
		Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
	return nil
}

// openPostgres opens a pool on which every connection reads times in UTC: the primary's
// and the replica's.
func openPostgres(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	return stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(scanInUTC)), nil
}

type utcPool struct{ *sql.DB }

func (p *utcPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.DB.ExecContext(ctx, query, inUTC(args)...)
}

func (p *utcPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.DB.QueryContext(ctx, query, inUTC(args)...)
}

func (p *utcPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.DB.QueryRowContext(ctx, query, inUTC(args)...)
}

// BeginTx makes GORM's transactions go through the same conversion (gorm.ConnPoolBeginner).
func (p *utcPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	tx, err := p.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &utcTx{tx}, nil
}

// GetDBConn lets gorm.DB.DB() find the pool, for health checks, pool sizing and Close.
func (p *utcPool) GetDBConn() (*sql.DB, error) { return p.DB, nil }

type utcTx struct{ *sql.Tx }

func (t *utcTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(ctx, query, inUTC(args)...)
}

func (t *utcTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(ctx, query, inUTC(args)...)
}

func (t *utcTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(ctx, query, inUTC(args)...)
}

// inUTC returns args with every time, and every pointer to one, in UTC. Other values pass
// as they are; a value that writes itself (driver.Valuer) decides its own text, as the
// calendar days of this package do.
func inUTC(args []any) []any {
	var out []any
	for i, a := range args {
		var t time.Time
		switch v := a.(type) {
		case time.Time:
			t = v
		case *time.Time:
			if v == nil {
				continue
			}
			t = *v
		default:
			continue
		}
		if t.Location() == time.UTC {
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = t.UTC()
	}
	if out == nil {
		return args
	}
	return out
}
