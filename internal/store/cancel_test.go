package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	sqlite "github.com/glebarez/go-sqlite"

	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// A caller that gives up (a client that went away) ends its query, and the store says so:
// cancelled, neither a database failure nor an internal error. SQLite reports the query it
// interrupted as "interrupted (9)", PostgreSQL's driver as context.Canceled.
func TestAQueryWhoseCallerGaveUpIsCancelledNotFailed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		err := st.SlowQuery(ctx)
		if took := time.Since(start); took > 10*time.Second {
			t.Fatalf("the query went on for %v after its context was cancelled", took)
		}
		if code := samverkan.ErrorCode(err); code != samverkan.ECanceled {
			t.Fatalf("code %q, want %q: %v", code, samverkan.ECanceled, err)
		}
		var interrupted *sqlite.Error
		if st.Dialect() == store.SQLite && (!errors.As(err, &interrupted) || interrupted.Code() != 9) {
			t.Errorf("not SQLite's interrupt, which this test is about: %v", err)
		}

		// A context cancelled before the query starts is the same: the caller gave up.
		gone, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := st.Municipality(gone, "0486"); samverkan.ErrorCode(err) != samverkan.ECanceled {
			t.Errorf("a read on a cancelled context: code %q: %v", samverkan.ErrorCode(err), err)
		}
		err = st.Tx(gone, samverkan.Actor{}, func(samverkan.Tx) error { return nil })
		if samverkan.ErrorCode(err) != samverkan.ECanceled {
			t.Errorf("a transaction on a cancelled context: code %q: %v", samverkan.ErrorCode(err), err)
		}

		// A deadline that passed is not the caller leaving but the database too slow: on
		// PostgreSQL, where the driver tells the two apart, that stays unavailable.
		if st.Dialect() == store.Postgres {
			late, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			if err := st.SlowQuery(late); samverkan.ErrorCode(err) != samverkan.EUnavailable {
				t.Errorf("a query past its deadline: code %q: %v", samverkan.ErrorCode(err), err)
			}
		}
	})
}
