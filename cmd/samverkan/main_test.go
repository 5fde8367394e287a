package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The command line as an officer uses it, on a SQLite file of the test's own.

func TestTheCommandLineImportsMigratesAndIssuesTokens(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "samverkan.db")
	log := slog.New(slog.DiscardHandler)
	cli := func(args ...string) error {
		t.Helper()
		stdout, stderr := os.Stdout, os.Stderr
		devnull, _ := os.Open(os.DevNull)
		defer devnull.Close()
		os.Stdout, os.Stderr = devnull, devnull
		defer func() { os.Stdout, os.Stderr = stdout, stderr }()
		return run(context.Background(), log, args)
	}
	if err := cli("migrate", "--database-url", db); err != nil {
		t.Fatal(err)
	}
	seed := filepath.Join("..", "..", "internal", "demo", "seed.json")
	for range 2 { // the second run changes nothing, and is no error either
		if err := cli("import", seed, "--database-url", db); err != nil {
			t.Fatalf("import: %v", err)
		}
	}
	if err := cli("token", "create", "--name", "Strängnäs webbredaktion", "--role", "editor", "--municipality", "0486", "--database-url", db); err != nil {
		t.Fatalf("token create: %v", err)
	}
	if err := cli("token", "create", "--name", "x", "--role", "editor", "--municipality", "9999", "--database-url", db); err == nil ||
		!strings.Contains(err.Error(), "9999") {
		t.Fatalf("a token for an unknown municipality: %v", err)
	}
	csv := filepath.Join(dir, "aktiviteter.csv")
	os.WriteFile(csv, []byte("ref;description;priorityAreaRefs\ncli-1;Trygghetsvandring;finns-inte\n"), 0o600)
	err := cli("import", csv, "--promise-period", "strangnas-2024-2025", "--database-url", db)
	if err == nil || !strings.Contains(err.Error(), "row 2, column priorityAreaRefs") {
		t.Fatalf("a bad activity list: %v", err)
	}
	if err := cli("import", csv, "--database-url", db); err == nil || !strings.Contains(err.Error(), "--promise-period") {
		t.Fatalf("an activity list without its list: %v", err)
	}
	if err := cli("import", seed, "--server", "http://127.0.0.1:1"); err == nil || !strings.Contains(err.Error(), "--token") {
		t.Fatalf("--server without a token: %v", err)
	}
	if err := cli("nonsense"); err == nil {
		t.Fatal("an unknown command succeeded")
	}
}
