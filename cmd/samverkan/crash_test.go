package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/national"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/testdb"
)

// A server killed (SIGKILL) in the middle of an import sent with an Idempotency-Key leaves
// the key claimed; restarted on the same database, the same request with the same key runs
// at once (not 409 "still running" for ten minutes), and its answer is then replayed.
func TestAnImportOfAKilledServerRunsAtOnceWhenRetriedWithItsIdempotencyKeyAfterARestart(t *testing.T) {
	var doc bytes.Buffer
	if err := national.Write(&doc, 120, 25); err != nil { // seconds to import: in flight long enough
		t.Fatal(err)
	}
	const key = "crash-import-1"
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			dbURL := testdb.URL(t, d)
			srv := startServer(t, dbURL)
			// The test's own view of the database: a token that outlives the restart (--demo
			// revokes the token it printed before), and the claim to watch.
			st := testdb.OpenURL(t, dbURL)
			token, _, err := samverkan.NewService(st, time.Now).CreateToken(ctx, samverkan.NewTokenSpec{Name: "crash test", Role: samverkan.RoleAdmin})
			if err != nil {
				t.Fatal(err)
			}
			db, err := st.DB()
			if err != nil {
				t.Fatal(err)
			}
			claimStatus := func() (int, bool) {
				t.Helper()
				var status int
				err := db.QueryRow("SELECT status FROM idempotency_keys WHERE key = '" + key + "'").Scan(&status)
				if err == sql.ErrNoRows {
					return 0, false
				}
				if err != nil {
					t.Fatal(err)
				}
				return status, true
			}
			client := &http.Client{Timeout: 120 * time.Second}
			send := func(s *server) (*http.Response, []byte, error) {
				req, err := http.NewRequest(http.MethodPost, s.url+"/v1/imports", bytes.NewReader(doc.Bytes()))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Idempotency-Key", key)
				res, err := client.Do(req)
				if err != nil {
					return nil, nil, err
				}
				defer res.Body.Close()
				body, err := io.ReadAll(res.Body)
				return res, body, err
			}

			answered := make(chan error, 1)
			go func() {
				_, _, err := send(srv)
				answered <- err
			}()
			// Kill the server once it has claimed the key, while the import runs.
			claimed := false
			for deadline := time.Now().Add(30 * time.Second); !claimed && time.Now().Before(deadline); {
				if status, ok := claimStatus(); ok && status == 0 {
					claimed = true
					break
				} else if ok {
					t.Fatalf("the import answered (%d) before it could be killed: make it larger", status)
				}
				time.Sleep(2 * time.Millisecond)
			}
			if !claimed {
				t.Fatalf("the server never claimed the key:\n%s", srv.stderr.String())
			}
			if err := srv.cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			if err := srv.wait(10 * time.Second); err == nil || strings.Contains(err.Error(), "still running") {
				t.Fatalf("the server was not killed: %v", err)
			}
			if err := <-answered; err == nil {
				t.Fatal("the killed server answered the import")
			}
			if status, ok := claimStatus(); !ok || status != 0 {
				t.Fatalf("the killed import's key is not left claimed (found %v, status %d): the test proves nothing", ok, status)
			}

			again := startServer(t, dbURL)
			res, first, err := send(again)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != http.StatusOK || res.Header.Get("Idempotent-Replayed") != "" {
				t.Fatalf("the retry after the restart: %d (replayed %q) %.300s", res.StatusCode, res.Header.Get("Idempotent-Replayed"), first)
			}
			res, replayed, err := send(again)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != http.StatusOK || res.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(replayed, first) {
				t.Fatalf("the second retry was not the answer replayed: %d (replayed %q)", res.StatusCode, res.Header.Get("Idempotent-Replayed"))
			}
			t.Logf("retried import: %.120s", first)
		})
	}
}
