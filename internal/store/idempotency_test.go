package store_test

import (
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// Two stores on one database are two server processes. A claim of a process that died is
// taken over by the next retry at once; a living process's claim is its own until the
// ten-minute fallback for a process that hangs.
func TestIdempotencyClaimOfADeadProcessIsTakenOverAtOnceAndALiveOnesIsNot(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			url := testdb.URL(t, d)
			first, second := testdb.OpenURL(t, url), testdb.OpenURL(t, url)
			now := time.Now().UTC()
			hash := []byte("POST /v1/imports\n{}")
			claim := func(st *store.Store, key string, at time.Time) *samverkan.StoredAnswer {
				t.Helper()
				prior, err := st.ClaimKey(ctx, "token-1", key, hash, at, at.Add(-samverkan.IdempotencyWindow), at.Add(-10*time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				return prior
			}
			running := func(p *samverkan.StoredAnswer) bool { return p != nil && p.Status == 0 }

			if p := claim(first, "import-1", now); p != nil {
				t.Fatalf("a new key was not claimed: %+v", p)
			}
			if p := claim(second, "import-1", now.Add(time.Second)); !running(p) {
				t.Fatalf("the claim of a living process was taken over: %+v", p)
			}
			if p := claim(first, "import-1", now.Add(time.Second)); !running(p) {
				t.Fatalf("a second request of the same process took its claim: %+v", p)
			}
			// A living process that hangs loses its claim after the fallback.
			if p := claim(first, "hangs", now); p != nil {
				t.Fatalf("a new key was not claimed: %+v", p)
			}
			if p := claim(second, "hangs", now.Add(11*time.Minute)); p != nil {
				t.Fatalf("the claim of a hung process was not taken over after ten minutes: %+v", p)
			}
			// A claim made before owners were recorded waits out the fallback too.
			db, err := first.DB()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec("INSERT INTO idempotency_keys (token_id, key, request_hash, status, created_at) VALUES ('token-1', 'old', $1, 0, $2)", hash, now); err != nil {
				t.Fatal(err)
			}
			if p := claim(second, "old", now.Add(time.Second)); !running(p) {
				t.Fatalf("a claim without owner was taken over before ten minutes: %+v", p)
			}

			first.KillClaimOwner() // kill -9
			if p := claim(second, "import-1", now.Add(2*time.Second)); p != nil {
				t.Fatalf("the claim of a dead process was not taken over at once: %+v", p)
			}
			if p := claim(second, "import-1", now.Add(3*time.Second)); !running(p) {
				t.Fatalf("the claim taken over is not the taker's: %+v", p)
			}
			// An answer of the process taken for dead does not overwrite the taker's.
			if err := first.CompleteKey(ctx, "token-1", "import-1", 200, []byte(`{"by":"first"}`)); err != nil {
				t.Fatal(err)
			}
			if err := first.ReleaseKey(ctx, "token-1", "import-1"); err != nil {
				t.Fatal(err)
			}
			if err := second.CompleteKey(ctx, "token-1", "import-1", 200, []byte(`{"by":"second"}`)); err != nil {
				t.Fatal(err)
			}
			if p := claim(second, "import-1", now.Add(4*time.Second)); p == nil || p.Status != 200 || string(p.Body) != `{"by":"second"}` {
				t.Fatalf("the answer kept: %+v", p)
			}
		})
	}
}
