package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the command line as a process of its own (the test binary, see TestMain) in
// dir, without a configured database, and returns what it printed and its exit code.
func runCLI(t *testing.T, dir string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DATABASE_URL=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "SAMVERKAN_TEST_MAIN=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return string(out), 0
}

// Every command and subcommand answers --help and -h with its usage and success, and does
// nothing else: no database file appears where it was asked.
func TestEveryCommandAnswersHelpWithItsUsageAndExitsZero(t *testing.T) {
	commands := [][]string{
		{}, {"serve"}, {"healthcheck"}, {"migrate"}, {"import"},
		{"token"}, {"token", "create"}, {"token", "list"}, {"token", "revoke"},
	}
	for _, cmd := range commands {
		for _, help := range []string{"--help", "-h"} {
			args := append(append([]string{}, cmd...), help)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				dir := t.TempDir()
				out, code := runCLI(t, dir, args...)
				if code != 0 || !strings.Contains(strings.ToLower(out), "usage") {
					t.Fatalf("exit %d, output:\n%s", code, out)
				}
				if _, err := os.Stat(filepath.Join(dir, DefaultDatabase)); err == nil {
					t.Errorf("asking for help created %s", DefaultDatabase)
				}
			})
		}
	}
	// Without a subcommand, or with an unknown one, token fails as before, and opens nothing.
	dir := t.TempDir()
	for _, args := range [][]string{{"token"}, {"token", "rotate"}} {
		if out, code := runCLI(t, dir, args...); code != 1 || !strings.Contains(out, "create, list or revoke") {
			t.Errorf("%v: exit %d, output:\n%s", args, code, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, DefaultDatabase)); err == nil {
		t.Errorf("an unknown token command created %s", DefaultDatabase)
	}
}

// --server takes a URL with its scheme. Anything else is refused before the file is read or
// a database opened, with the form it must take, not a Go URL error; host:port is not taken
// to mean http, since the server may well be https.
func TestImportRefusesAServerThatIsNotAURL(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "local.db")
	t.Setenv("DATABASE_URL", db) // where an import that ignored --server would go
	seed := filepath.Join("..", "..", "internal", "demo", "seed.json")
	for _, server := range []string{"127.0.0.1:8080", "localhost:8080", "", " ", "ftp://x", "/tmp/samverkan", "./server",
		"http://", "https://", "samverkan.example.se", "http://127.0.0.1:8080?x=1", "http://127.0.0.1:8080#top", "http://a b"} {
		err := quietly(t, "import", seed, "--server", server, "--token", "t")
		if err == nil {
			t.Errorf("--server %q: accepted", server)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "--server") || !strings.Contains(msg, "http://") ||
			strings.Contains(msg, "parse ") || strings.Contains(msg, "unsupported protocol") || strings.Contains(msg, "no Host") {
			t.Errorf("--server %q: %v", server, err)
		}
		if server == "127.0.0.1:8080" && !strings.Contains(msg, "http://127.0.0.1:8080 or https://127.0.0.1:8080") {
			t.Errorf("--server %q: the message does not offer the URLs it may have meant: %v", server, err)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("an import with a malformed --server went into the local database")
	}
	// A URL with a scheme, a host and perhaps a path (a server behind a proxy) is taken: the
	// import then fails only because nothing listens there.
	for _, server := range []string{"http://127.0.0.1:1", "https://127.0.0.1:1/samverkan/", "HTTP://127.0.0.1:1"} {
		err := quietly(t, "import", seed, "--server", server, "--token", "t")
		if err == nil || strings.Contains(err.Error(), "--server") {
			t.Errorf("--server %q: %v", server, err)
			continue
		}
		// Said in words, without Go's rendering of the request it was sending.
		if msg := err.Error(); !strings.Contains(msg, "could not reach the server at "+server) || strings.Contains(msg, "Post \"") {
			t.Errorf("--server %q, nothing listening: %v", server, err)
		}
	}
}

// quietly runs the command line in this process with its output discarded.
func quietly(t *testing.T, args ...string) error {
	t.Helper()
	stdout, stderr := os.Stdout, os.Stderr
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	os.Stdout, os.Stderr = devnull, devnull
	defer func() { os.Stdout, os.Stderr = stdout, stderr }()
	return run(context.Background(), slog.New(slog.DiscardHandler), args)
}

// Sizes are printed in SI units, rounded rather than rounded up: a 1,085-byte file is
// "1.1 kB", not "2 kB".
func TestFileSizesArePrintedAsTheyAre(t *testing.T) {
	for n, want := range map[int]string{
		0: "0 B", 999: "999 B", 1000: "1.0 kB", 1085: "1.1 kB", 21_480: "21 kB",
		999_499: "999 kB", 1_500_000: "1.5 MB", 48_000_000: "48 MB",
	} {
		if got := size(n); got != want {
			t.Errorf("size(%d) = %q, want %q", n, got, want)
		}
	}
}
