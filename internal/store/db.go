// Package store persists the domain with GORM on PostgreSQL (production) and on an embedded,
// pure-Go SQLite file (the default when no database is configured). Both run the same
// repository code and the same versioned migrations, one directory per dialect.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/plugin/dbresolver"
	otelgorm "gorm.io/plugin/opentelemetry/tracing"

	"github.com/samverkan/samverkan/internal/samverkan"
)

//go:embed migrations/postgres/*.sql migrations/sqlite/*.sql
var migrations embed.FS

// Dialect names the database behind a Store.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Store implements samverkan.Store and, inside a transaction, samverkan.Tx.
type Store struct {
	db      *gorm.DB
	dialect Dialect
	// pending holds the revisions of a transaction until it ends (see Tx); nil outside one.
	pending *[]changeRow
	// actor is who the transaction's revisions are recorded for.
	actor samverkan.Actor
	// replica is the read replica's pool, when there is one, and health tells whether it
	// answers.
	replica *sql.DB
	health  *replicaHealth
	// schemaReady is set once the database's schema is found at this binary's version; it
	// only moves forward, so it is checked until then and never again.
	schemaReady atomic.Bool
	// owner marks the idempotency keys this process claims (see ClaimKey); nil inside
	// transactions.
	owner *claimOwner
}

var _ samverkan.Store = (*Store)(nil)
var _ samverkan.Tx = (*Store)(nil)

// DialectOf tells which database a URL names: postgres:// and postgresql:// URLs are
// PostgreSQL; a file path is a SQLite file (an optional sqlite: prefix is dropped; file: URIs
// go to the SQLite driver as they are). Anything else is an error rather than a file of that
// name: a mistyped PostgreSQL URL must not start a server on a new, empty database.
func DialectOf(url string) (Dialect, string, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return Postgres, url, nil
	case strings.HasPrefix(url, "sqlite://"):
		return SQLite, strings.TrimPrefix(url, "sqlite://"), nil
	case strings.HasPrefix(url, "sqlite:"):
		return SQLite, strings.TrimPrefix(url, "sqlite:"), nil
	case strings.HasPrefix(url, "file:"):
		return SQLite, url, nil
	case keyValueDSN.MatchString(url):
		return "", "", errors.New("looks like a key=value connection string; write it as a URL: postgres://user:password@host:5432/samverkan")
	case strings.TrimSpace(url) == "":
		return "", "", errors.New("is empty")
	}
	if m := urlScheme.FindStringSubmatch(url); m != nil {
		return "", "", fmt.Errorf("starts with %q, which names no database this server knows: give a postgres://user:password@host:5432/samverkan URL or a SQLite file path", m[1]+":")
	}
	return SQLite, url, nil
}

var (
	keyValueDSN = regexp.MustCompile(`^\s*[a-z_]+\s*=`)
	// A scheme of two letters or more: a single letter before the colon is a Windows drive.
	urlScheme = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+.-]+):`)
)

// Options tune the connection pool; zero values pick defaults.
type Options struct {
	MaxOpenConns int
	Logger       logger.Interface
	// ReplicaURL names a PostgreSQL read replica. Reads outside transactions go to it, unless
	// their context is marked Primary; transactions, and so every write, use the primary.
	ReplicaURL string
}

// connectTimeout bounds connecting to PostgreSQL, so that a database that went away is an
// error within seconds rather than a request that hangs.
const connectTimeout = "5"

func withConnectTimeout(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	if !q.Has("connect_timeout") {
		q.Set("connect_timeout", connectTimeout)
		u.RawQuery = q.Encode()
	}
	return u.String()
}

type primaryKey struct{}

// Primary marks a context so that the store reads from the primary: requests with a token
// read what they have just written, whatever a replica's lag.
func Primary(ctx context.Context) context.Context { return context.WithValue(ctx, primaryKey{}, true) }

// Open connects to the database a URL names. It does not migrate; call Migrate.
func Open(url string, opt Options) (*Store, error) {
	dialect, dsn, err := DialectOf(url)
	if err != nil {
		return nil, fmt.Errorf("store: the database URL %w", err)
	}
	cfg := &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true, // every write goes through an explicit Tx
		// A database that is down at start-up makes the server start not ready, rather than
		// not at all; readiness (Ping) tells when it answers.
		DisableAutomaticPing: true,
		Logger:               logger.Discard,
		NowFunc:              func() time.Time { return time.Now().UTC() },
	}
	if opt.Logger != nil {
		cfg.Logger = opt.Logger
	}
	var (
		dialector gorm.Dialector
		opened    *sql.DB // a pool opened here, for GORM to use, closed again if GORM cannot
	)
	switch dialect {
	case Postgres:
		cfg.PrepareStmt = true // reads dominate: plan each statement once per connection
		if opened, err = openPostgres(withConnectTimeout(dsn)); err != nil {
			return nil, fmt.Errorf("store: open postgres database: %w", err)
		}
		dialector = postgres.New(postgres.Config{Conn: opened})
	case SQLite:
		if dir := filepath.Dir(dsn); dir != "." && dsn != ":memory:" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("store: create directory for %s: %w", dsn, err)
			}
		}
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		// Writing transactions take the write lock when they begin (_txlock=immediate), not
		// at their first write: another process (`samverkan token create`, an import) that
		// commits in between would otherwise fail this one, whose snapshot it outdated.
		// Times are written as "2006-01-02 15:04:05.999999999-07:00", this driver's default
		// (_time_format=sqlite names the same, but the driver then ignores _txlock).
		dsn += sep + "_txlock=immediate&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
		if opened, err = sql.Open(sqlite.DriverName, dsn); err != nil {
			return nil, fmt.Errorf("store: open sqlite database: %w", err)
		}
		dialector = &sqlite.Dialector{DSN: dsn, Conn: &utcPool{opened}}
	}
	db, err := gorm.Open(dialector, cfg)
	if err != nil {
		if opened != nil {
			opened.Close()
		}
		return nil, fmt.Errorf("store: open %s database: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	st := &Store{db: db, dialect: dialect, actor: (*samverkan.Principal)(nil).Actor(), owner: &claimOwner{}}
	switch dialect {
	case Postgres:
		poolSize(sqlDB, opt.MaxOpenConns)
	case SQLite:
		// One writer at a time is SQLite's model; one connection makes it explicit and
		// turns "database is locked" into ordinary queueing.
		sqlDB.SetMaxOpenConns(1)
	}
	if opt.ReplicaURL != "" {
		if dialect != Postgres {
			return nil, fmt.Errorf("store: a read replica needs a PostgreSQL primary")
		}
		if st.replica, err = openPostgres(withConnectTimeout(opt.ReplicaURL)); err != nil {
			return nil, fmt.Errorf("store: open the replica: %w", err)
		}
		poolSize(st.replica, opt.MaxOpenConns)
		st.health = &replicaHealth{db: st.replica, stop: make(chan struct{}), done: make(chan struct{})}
		st.health.check()
		err = db.Use(dbresolver.Register(dbresolver.Config{
			Replicas: []gorm.Dialector{postgres.New(postgres.Config{Conn: st.replica}), postgres.New(postgres.Config{Conn: sqlDB})},
			Policy:   st.health,
		}))
		if err != nil {
			return nil, fmt.Errorf("store: route reads to the replica: %w", err)
		}
		go st.health.watch()
	}
	return st, nil
}

func poolSize(db *sql.DB, n int) {
	if n <= 0 {
		n = 20
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(5 * time.Minute)
	// Connections are renewed now and then, so that a pool finds a failed-over primary or
	// a re-balanced replica without a restart.
	db.SetConnMaxLifetime(30 * time.Minute)
}

// Dialect tells which database the store runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB exposes the connection pool for health checks and tests.
func (s *Store) DB() (*sql.DB, error) { return s.db.DB() }

// ReplicaDB is the read replica's pool, nil without one.
func (s *Store) ReplicaDB() *sql.DB { return s.replica }

// Close closes the connection pools.
func (s *Store) Close() error {
	s.owner.close(false)
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	if s.replica != nil {
		s.health.close()
		s.replica.Close()
	}
	return sqlDB.Close()
}

// migrateLock is the PostgreSQL advisory lock that processes migrating at once take turns on.
const migrateLock = 0x53616d7665726b // "Samverk"

// Migrate applies every migration not yet applied, then records baseline revisions of
// records without history, and returns how many migrations it applied. On PostgreSQL the
// whole of it holds an advisory lock, so that processes starting together (a migration job,
// replicas with MIGRATE=true) take turns and the later ones find nothing left to do.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	if s.dialect == Postgres {
		sqlDB, err := s.db.DB()
		if err != nil {
			return 0, err
		}
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			return 0, translate(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrateLock); err != nil {
			return 0, translate(err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLock) //nolint:errcheck // closing the session releases it anyway
	}
	p, err := s.migrator()
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("store: migrate: %w", err)
	}
	if err := s.recordBaselines(ctx); err != nil {
		return len(res), fmt.Errorf("store: record baseline revisions: %w", err)
	}
	return len(res), nil
}

// MigrationVersion returns the version of the newest applied migration.
func (s *Store) MigrationVersion(ctx context.Context) (int64, error) {
	p, err := s.migrator()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

func (s *Store) migrator() (*goose.Provider, error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	dir, dialect := "migrations/postgres", goose.DialectPostgres
	if s.dialect == SQLite {
		dir, dialect = "migrations/sqlite", goose.DialectSQLite3
	}
	fsys, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(dialect, sqlDB, fsys)
}

// Ping checks that the database answers within 2 seconds and is migrated to this server's
// version. A read replica that does not answer is no reason to be unready: reads go to the
// primary meanwhile.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(ctx); err != nil {
		return translate(err)
	}
	return s.checkSchema(ctx)
}

// ReplicaUp tells whether reads go to the read replica (false without one).
func (s *Store) ReplicaUp() bool { return s.health != nil && s.health.up.Load() }

// checkSchema refuses to call the database ready while its schema is older than this
// binary's migrations: a server started before its migrations ran (a migration job still
// running, MIGRATE=false) is not ready, rather than ready and failing every request.
func (s *Store) checkSchema(ctx context.Context) error {
	if s.schemaReady.Load() {
		return nil
	}
	p, err := s.migrator()
	if err != nil {
		return err
	}
	have, err := p.GetDBVersion(ctx)
	if err != nil {
		have = 0 // no version table yet: nothing is migrated
	}
	sources := p.ListSources()
	want := sources[len(sources)-1].Version
	if have < want {
		return samverkan.Errorf(samverkan.EUnavailable, "The database schema is at version %d and this server needs %d: run samverkan migrate.", have, want)
	}
	s.schemaReady.Store(true)
	return nil
}

// Tx runs fn in one database transaction.
// The changes of a transaction are logged at its end, in batched statements, after one
// move of the data version: the version row is then locked only from there to the commit,
// and a large import logs its thousands of changes in a few statements.
func (s *Store) Tx(ctx context.Context, by samverkan.Actor, fn func(tx samverkan.Tx) error) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inner := &Store{db: tx, dialect: s.dialect, pending: &[]changeRow{}, actor: by}
		if err := fn(inner); err != nil {
			return err
		}
		return inner.flushChanges(ctx)
	})
	return translate(err)
}

// ReadTogether runs fn with reads from one database. Without a replica that is every read:
// one after another, each sees at least what the one before saw. With a replica, whose
// policy is asked per statement, fn runs in a read-only transaction, which keeps it on one
// pool: the replica, unless ctx asks for the primary.
func (s *Store) ReadTogether(ctx context.Context, fn func(r samverkan.Reader) error) error {
	if s.replica == nil {
		return fn(s)
	}
	db := s.db.WithContext(ctx).Clauses(dbresolver.Read)
	if ctx.Value(primaryKey{}) != nil {
		db = s.db.WithContext(ctx).Clauses(dbresolver.Write)
	}
	return translate(db.Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx, dialect: s.dialect, actor: s.actor})
	}, &sql.TxOptions{ReadOnly: true}))
}

func (s *Store) q(ctx context.Context) *gorm.DB {
	q := s.db.WithContext(ctx)
	if s.replica != nil && ctx.Value(primaryKey{}) != nil {
		q = q.Clauses(dbresolver.Write)
	}
	return q
}

// Trace adds an OpenTelemetry span for each statement, to the installed tracer provider. The
// statements' values are left out of the spans: they are content and token hashes.
func (s *Store) Trace() error {
	return s.db.Use(otelgorm.NewPlugin(otelgorm.WithoutQueryVariables(), otelgorm.WithoutMetrics()))
}
