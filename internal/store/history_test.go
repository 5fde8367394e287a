package store_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// A database written before history was kept gets, at its next migrate, a baseline revision
// of every record as it stands, so that revisions and asOf answer from the upgrade on.
func TestMigrateRecordsABaselineOfRecordsWrittenBeforeHistoryWasKept(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		seedParties(t, st)
		a := newAgreement("0486", samverkan.AgreementSigned)
		create(t, st, func(tx samverkan.Tx) error { return tx.CreateAgreement(ctx, a) })
		db, err := st.DB()
		if err != nil {
			t.Fatal(err)
		}
		// What a database from before migration 00006 holds: changes without states.
		if _, err := db.Exec("UPDATE changes SET event_type = NULL, state = NULL, diff = NULL"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		page, err := st.ListEvents(ctx, samverkan.EventFilter{PageRequest: samverkan.PageRequest{Limit: 50}, Scope: samverkan.DraftScope{All: true}})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, e := range page.Items {
			if e.Op != samverkan.OpBaseline || e.Actor.Role != samverkan.RoleSystem || e.Type != e.Kind+".baseline" {
				t.Errorf("event %s %s by %+v", e.Type, e.Op, e.Actor)
			}
			kinds[e.Kind]++
		}
		if kinds[samverkan.RecordMunicipality] != 2 || kinds[samverkan.RecordPoliceArea] != 1 || kinds[samverkan.RecordAgreement] != 1 || len(page.Items) != 4 {
			t.Errorf("baselines %v", kinds)
		}
		e, err := st.EventAt(ctx, samverkan.RecordAgreement, a.ID.String(), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		var got samverkan.Agreement
		if err := json.Unmarshal(e.Data, &got); err != nil || got.Title != a.Title || len(got.PriorityAreas) != 2 {
			t.Errorf("the agreement's baseline %s: %v", e.Data, err)
		}
		// Once every record has its history, migrate records nothing more.
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		again, _ := st.ListEvents(ctx, samverkan.EventFilter{PageRequest: samverkan.PageRequest{Limit: 50}, Scope: samverkan.DraftScope{All: true}})
		if len(again.Items) != 4 {
			t.Errorf("a second migrate recorded %d events, want the same 4", len(again.Items))
		}
	})
}
