package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/testdb"
)

// An import's cost grows with its size by a small constant: updating a list's activities
// takes statements per batch, not per activity. SQLite's batches are smaller (the driver
// binds parameters in quadratic time), so fifteen times the activities may take a few more.
func TestAnImportThatUpdatesActivitiesTakesStatementsPerBatchNotPerActivity(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			svc, _, counter := countingService(t, d)
			system := &samverkan.Principal{TokenName: "test", Role: samverkan.RoleAdmin}
			list := samverkan.ListRef{PromisePeriodRef: "strangnas-2024-2025"}
			rows := func(n int, text string) []samverkan.ImportActivity {
				out := make([]samverkan.ImportActivity, n)
				for i := range out {
					out[i].Activity = samverkan.Activity{ExternalRef: fmt.Sprintf("akt-%03d", i), Description: text + fmt.Sprint(i)}
				}
				return out
			}
			update := func(n int, text string) int64 {
				if _, err := svc.ImportActivityList(context.Background(), system, list, rows(n, "Första lydelsen "), false); err != nil {
					t.Fatal(err)
				}
				counter.n.Store(0)
				rep, err := svc.ImportActivityList(context.Background(), system, list, rows(n, text), false)
				if err != nil {
					t.Fatal(err)
				}
				if rep.Updated != n {
					t.Fatalf("%d updated, want %d", rep.Updated, n)
				}
				return counter.n.Load()
			}
			few, many := update(10, "Ändrad "), update(150, strings.Repeat("Ändrad igen ", 2))
			if many > few+few/2 || few > 40 {
				t.Fatalf("updating 10 activities took %d statements and 150 took %d; want a small number that barely grows", few, many)
			}
		})
	}
}
