// Command samverkan runs the Samverkan API and manages its database, tokens and imports.
//
//	samverkan serve [--addr 127.0.0.1:8080] [--database-url URL] [--demo] [settings: see --help or the README]
//	samverkan healthcheck [URL]
//	samverkan migrate [--database-url URL]
//	samverkan token create --name NAME --role editor|admin [--municipality CODE | --police-area ID]
//	samverkan token list | token revoke ID
//	samverkan import FILE [--dry-run] [--server URL --token TOKEN]
//
// With no database URL (flag or DATABASE_URL) the embedded SQLite file samverkan.db is used.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage:
  samverkan serve   [--addr 127.0.0.1:8080] [--database-url URL] [--demo] [more settings: samverkan serve --help]
  samverkan healthcheck [URL]   exits 0 when the server at URL (default: ADDR's port on loopback) is ready
  samverkan migrate [--database-url URL]
  samverkan token create --name NAME --role editor|admin [--municipality CODE | --police-area ID] [--database-url URL]
  samverkan token list   [--database-url URL]
  samverkan token revoke ID [--database-url URL]
  samverkan import FILE [--dry-run] [--promise-period REF | --agreement REF] [--database-url URL | --server URL --token TOKEN [--idempotency-key K]]
                    FILE is an import document (.json) or an activity list (.csv, .xlsx)

The database is PostgreSQL when the URL starts with postgres:// or postgresql://, else a SQLite
file. Without --database-url or DATABASE_URL the embedded SQLite file samverkan.db is used.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if err := run(ctx, log, os.Args[1:]); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "samverkan:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, log *slog.Logger, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return fmt.Errorf("no command given")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:])
	case "healthcheck":
		return healthcheck(ctx, args[1:])
	case "migrate":
		return migrate(ctx, args[1:])
	case "token":
		return token(ctx, args[1:])
	case "import":
		return importFile(ctx, args[1:])
	case "help", "-h", "--help":
		fmt.Print(usage)
		return nil
	}
	fmt.Fprint(os.Stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
