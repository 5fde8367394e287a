// Package testdb gives each test its own migrated database: a SQLite file in the test's
// temporary directory, and, when TEST_DATABASE_URL names a PostgreSQL server, a fresh
// PostgreSQL database that is dropped when the test ends.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/samverkan/samverkan/internal/store"
)

// EnvURL names the PostgreSQL server the PostgreSQL suite runs against.
const EnvURL = "TEST_DATABASE_URL"

// Dialects lists the databases to run a test table against: SQLite always, PostgreSQL when
// TEST_DATABASE_URL is set. CI always sets it.
func Dialects() []store.Dialect {
	if os.Getenv(EnvURL) == "" {
		return []store.Dialect{store.SQLite}
	}
	return []store.Dialect{store.SQLite, store.Postgres}
}

// Each runs fn as a subtest per dialect, each with its own fresh store.
func Each(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) { fn(t, Open(t, d)) })
	}
}

// Open creates a migrated database of the dialect, closed and removed when t ends.
func Open(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	return OpenURL(t, URL(t, d))
}

// OpenURL opens and migrates the database at u, closed when t ends.
func OpenURL(t testing.TB, u string) *store.Store {
	t.Helper()
	d, _, _ := store.DialectOf(u)
	st, err := store.Open(u, store.Options{MaxOpenConns: 8})
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return st
}

// URL creates an empty database of the dialect and returns its URL.
func URL(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return filepath.Join(t.TempDir(), "samverkan.db")
	}
	admin := os.Getenv(EnvURL)
	if admin == "" {
		t.Skip(EnvURL + " is not set; the PostgreSQL suite is skipped")
	}
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	name := "samverkan_test_" + hex.EncodeToString(buf)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	pu, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	pu.Path = "/" + name
	return pu.String()
}

// OpenWithReplica creates two migrated PostgreSQL databases: a replica, which the test feeds
// by hand, and a primary whose store sends anonymous reads to it.
func OpenWithReplica(t testing.TB) (primary, replica *store.Store) {
	t.Helper()
	replicaURL := URL(t, store.Postgres)
	replica = OpenURL(t, replicaURL)
	primary, err := store.Open(URL(t, store.Postgres), store.Options{ReplicaURL: replicaURL})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { primary.Close() })
	if _, err := primary.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return primary, replica
}
