package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/samverkan/samverkan/internal/config"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
)

// DefaultDatabase is the embedded SQLite file used when no database is configured.
const DefaultDatabase = config.DefaultDatabase

func databaseFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("DATABASE_URL")
	if def == "" {
		def = DefaultDatabase
	}
	return fs.String("database-url", def, "PostgreSQL URL or SQLite file (env DATABASE_URL)")
}

// openService opens the database, applies pending migrations and builds the domain service.
func openService(ctx context.Context, url string) (*samverkan.Service, *store.Store, error) {
	st, err := store.Open(url, store.Options{})
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, nil, err
	}
	return samverkan.NewService(st, time.Now), st, nil
}

func migrate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	db := databaseFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	st, err := store.Open(*db, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	v, err := st.MigrationVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("applied %d migration(s); %s database at version %d\n", n, st.Dialect(), v)
	return nil
}
