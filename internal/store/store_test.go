package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// The repository is tested directly, with one test table that runs against SQLite and, when
// TEST_DATABASE_URL is set, PostgreSQL. No mocks: each test gets its own migrated database.

var ctx = context.Background()

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptrTo[T any](v T) *T { return &v }

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// seedParties writes Lokalpolisområde Eskilstuna, Strängnäs and Eskilstuna.
func seedParties(t *testing.T, st *store.Store) {
	t.Helper()
	err := st.Tx(ctx, samverkan.Actor{Name: "test", Role: samverkan.RoleAdmin}, func(tx samverkan.Tx) error {
		if err := tx.CreatePoliceArea(ctx, &samverkan.PoliceArea{ID: "lpo-eskilstuna", Name: "Lokalpolisområde Eskilstuna", Version: 1, CreatedAt: t0, UpdatedAt: t0}); err != nil {
			return err
		}
		for _, m := range []samverkan.Municipality{{Code: "0486", Name: "Strängnäs kommun"}, {Code: "0484", Name: "Eskilstuna kommun"}} {
			m.County, m.PoliceAreaID, m.Version, m.CreatedAt, m.UpdatedAt = "Södermanlands län", "lpo-eskilstuna", 1, t0, t0
			if err := tx.CreateMunicipality(ctx, &m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func newAgreement(code string, status samverkan.AgreementStatus) *samverkan.Agreement {
	id := uuid.Must(uuid.NewV7())
	return &samverkan.Agreement{
		ID: id, Parties: samverkan.Parties{MunicipalityCode: code, PoliceAreaID: "lpo-eskilstuna"},
		Title: "Samverkansöverenskommelse 2023–2026", ValidFrom: day("2023-06-21"), ValidTo: day("2026-12-31"),
		Goal: "En trygg och säker kommun för människor och företag att bo, leva och verka i.",
		PriorityAreas: []samverkan.PriorityArea{
			{ID: uuid.Must(uuid.NewV7()), Position: 1, Title: "Skydda barn och unga från att hamna i utanförskap, kriminalitet och missbruk.", ExternalRef: "pa-1-" + id.String()},
			{ID: uuid.Must(uuid.NewV7()), Position: 2, Title: "Arbeta för en säker och trygg trafikmiljö.", ExternalRef: "pa-2-" + id.String()},
		},
		DataSources: []string{"Statistik från Polismyndighetens anmälningssystem"},
		Signatories: []samverkan.Signatory{{Name: "Jacob Högfeldt", Role: "Kommunstyrelsens ordförande", Party: samverkan.PartyMunicipality}},
		SignedPlace: "Strängnäs", SignedOn: ptrTo(day("2023-06-21")),
		Documents: []samverkan.Document{{Title: "Samverkansöverenskommelse 2023–2026", MediaType: "application/pdf", SizeBytes: ptrTo(int64(197000))}},
		Status:    status, Version: 1, CreatedAt: t0, UpdatedAt: t0,
	}
}

func create(t *testing.T, st *store.Store, fn func(tx samverkan.Tx) error) {
	t.Helper()
	if err := st.Tx(ctx, samverkan.Actor{Name: "test", Role: samverkan.RoleAdmin}, fn); err != nil {
		t.Fatal(err)
	}
}

func TestAgreementRoundTripKeepsEveryFieldAndChildOrder(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		seedParties(t, st)
		a := newAgreement("0486", samverkan.AgreementSigned)
		a.Adoption = &samverkan.Adoption{Body: "Kommunfullmäktige", DecidedOn: day("2023-12-14"), Reference: "KF § 12"}
		create(t, st, func(tx samverkan.Tx) error { return tx.CreateAgreement(ctx, a) })

		got, err := st.Agreement(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != a.Title || !got.ValidFrom.Equal(a.ValidFrom) || !got.ValidTo.Equal(a.ValidTo) || got.Goal != a.Goal {
			t.Errorf("scalar fields differ: %+v", got)
		}
		if len(got.PriorityAreas) != 2 || got.PriorityAreas[0].ID != a.PriorityAreas[0].ID || got.PriorityAreas[1].Position != 2 {
			t.Errorf("priority areas %+v", got.PriorityAreas)
		}
		if got.SignedOn == nil || !got.SignedOn.Equal(day("2023-06-21")) || got.Adoption == nil || got.Adoption.Reference != "KF § 12" {
			t.Errorf("signing or adoption lost: %+v %+v", got.SignedOn, got.Adoption)
		}
		if len(got.Documents) != 1 || got.Documents[0].SizeBytes == nil || *got.Documents[0].SizeBytes != 197000 {
			t.Errorf("documents %+v", got.Documents)
		}
		if got.Signatories[0].Name != "Jacob Högfeldt" {
			t.Errorf("signatories %+v", got.Signatories)
		}
	})
}

func TestUpdateWithAStaleVersionIsRefusedAndChangesNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		seedParties(t, st)
		a := newAgreement("0486", samverkan.AgreementDraft)
		create(t, st, func(tx samverkan.Tx) error { return tx.CreateAgreement(ctx, a) })

		first := *a
		first.Title = "Första ändringen"
		create(t, st, func(tx samverkan.Tx) error { return tx.UpdateAgreement(ctx, &first) })
		if first.Version != 2 {
			t.Fatalf("version after update %d, want 2", first.Version)
		}
		second := *a // still at version 1
		second.Title = "Andra ändringen"
		err := st.Tx(ctx, samverkan.Actor{Name: "test", Role: samverkan.RoleAdmin}, func(tx samverkan.Tx) error { return tx.UpdateAgreement(ctx, &second) })
		if samverkan.ErrorCode(err) != samverkan.EPreconditionFailed {
			t.Fatalf("stale update: %v, want precondition failed", err)
		}
		got, _ := st.Agreement(ctx, a.ID)
		if got.Title != "Första ändringen" || got.Version != 2 {
			t.Errorf("stored %q v%d, want the first change at v2", got.Title, got.Version)
		}
	})
}

func TestConcurrentUpdatesOfOneVersionLetExactlyOneWin(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		seedParties(t, st)
		a := newAgreement("0486", samverkan.AgreementDraft)
		create(t, st, func(tx samverkan.Tx) error { return tx.CreateAgreement(ctx, a) })

		const writers = 8
		var wg sync.WaitGroup
		results := make(chan error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mine := *a
				mine.Title = fmt.Sprintf("Skribent %d", i)
				results <- st.Tx(ctx, samverkan.Actor{Name: "test", Role: samverkan.RoleAdmin}, func(tx samverkan.Tx) error { return tx.UpdateAgreement(ctx, &mine) })
			}()
		}
		wg.Wait()
		close(results)
		won := 0
		for err := range results {
			switch {
			case err == nil:
				won++
			case samverkan.ErrorCode(err) != samverkan.EPreconditionFailed:
				t.Errorf("a losing writer got %v, want precondition failed", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d writers won, want exactly 1", won)
		}
		if got, _ := st.Agreement(ctx, a.ID); got.Version != 2 {
			t.Errorf("version %d after one winning write, want 2", got.Version)
		}
	})
}

func TestKeysetPagesVisitEveryRowOnceInOrder(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		seedParties(t, st)
		var want []uuid.UUID
		create(t, st, func(tx samverkan.Tx) error {
			for range 23 {
				a := newAgreement("0486", samverkan.AgreementSigned)
				a.PriorityAreas = nil
				if err := tx.CreateAgreement(ctx, a); err != nil {
					return err
				}
				want = append([]uuid.UUID{a.ID}, want...) // newest first
			}
			return nil
		})
		var got []uuid.UUID
		req := samverkan.AgreementFilter{PageRequest: samverkan.PageRequest{Limit: 5}}
		for pages := 0; ; pages++ {
			if pages > 10 {
				t.Fatal("pagination does not end")
			}
			page, err := st.ListAgreements(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range page.Items {
				got = append(got, a.ID)
			}
			if page.NextCursor == "" {
				break
			}
			req.Cursor = page.NextCursor
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("pages gave %d ids in another order than the %d stored", len(got), len(want))
		}
	})
}

func TestACursorOfAnotherListIsRefused(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		seedParties(t, st)
		page, err := st.ListMunicipalities(ctx, samverkan.MunicipalityFilter{PageRequest: samverkan.PageRequest{Limit: 1}})
		if err != nil || page.NextCursor == "" {
			t.Fatalf("first page: %v %+v", err, page)
		}
		_, err = st.ListAgreements(ctx, samverkan.AgreementFilter{PageRequest: samverkan.PageRequest{Limit: 1, Cursor: page.NextCursor}})
		if samverkan.ErrorCode(err) != samverkan.EInvalid {
			t.Fatalf("foreign cursor: %v, want invalid", err)
		}
		_, err = st.ListAgreements(ctx, samverkan.AgreementFilter{PageRequest: samverkan.PageRequest{Limit: 1, Cursor: "not base64 at all!"}})
		if samverkan.ErrorCode(err) != samverkan.EInvalid {
			t.Fatalf("garbage cursor: %v, want invalid", err)
		}
	})
}

func TestDraftsAreListedOnlyForTheirPartiesAndAdmins(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		seedParties(t, st)
		create(t, st, func(tx samverkan.Tx) error {
			for _, a := range []*samverkan.Agreement{newAgreement("0486", samverkan.AgreementDraft), newAgreement("0484", samverkan.AgreementDraft), newAgreement("0484", samverkan.AgreementSigned)} {
				a.PriorityAreas = nil
				if err := tx.CreateAgreement(ctx, a); err != nil {
					return err
				}
			}
			return nil
		})
		count := func(scope samverkan.DraftScope) int {
			page, err := st.ListAgreements(ctx, samverkan.AgreementFilter{PageRequest: samverkan.PageRequest{Limit: 50}, Drafts: scope})
			if err != nil {
				t.Fatal(err)
			}
			return len(page.Items)
		}
		cases := []struct {
			name  string
			scope samverkan.DraftScope
			want  int
		}{
			{"anonymous sees the signed one", samverkan.DraftScope{}, 1},
			{"Strängnäs sees its draft too", samverkan.DraftScope{OrgType: samverkan.OrgMunicipality, OrgID: "0486"}, 2},
			{"the police area is party to all", samverkan.DraftScope{OrgType: samverkan.OrgPoliceArea, OrgID: "lpo-eskilstuna"}, 3},
			{"admin sees all", samverkan.DraftScope{All: true}, 3},
		}
		for _, c := range cases {
			if got := count(c.scope); got != c.want {
				t.Errorf("%s: %d, want %d", c.name, got, c.want)
			}
		}
	})
}

func TestAForumNamedByAnAgreementCannotBeDeleted(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		seedParties(t, st)
		f := &samverkan.Forum{ID: uuid.Must(uuid.NewV7()), MunicipalityCode: "0486", Code: "BRÅ", Name: "Lokala och centrala Brottsförebyggande rådet", Version: 1, CreatedAt: t0, UpdatedAt: t0}
		a := newAgreement("0486", samverkan.AgreementSigned)
		a.ForumIDs = []uuid.UUID{f.ID}
		create(t, st, func(tx samverkan.Tx) error {
			if err := tx.CreateForum(ctx, f); err != nil {
				return err
			}
			return tx.CreateAgreement(ctx, a)
		})
		err := st.Tx(ctx, samverkan.Actor{Name: "test", Role: samverkan.RoleAdmin}, func(tx samverkan.Tx) error { return tx.DeleteForum(ctx, f.ID, 1) })
		if samverkan.ErrorCode(err) != samverkan.EConflict {
			t.Fatalf("delete of a used forum: %v, want conflict", err)
		}
		if _, err := st.Forum(ctx, f.ID); err != nil {
			t.Fatalf("the forum is gone after a refused delete: %v", err)
		}
	})
}

func TestAFailedTransactionWritesNothing(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		seedParties(t, st)
		a := newAgreement("0486", samverkan.AgreementDraft)
		err := st.Tx(ctx, samverkan.Actor{Name: "test", Role: samverkan.RoleAdmin}, func(tx samverkan.Tx) error {
			if err := tx.CreateAgreement(ctx, a); err != nil {
				return err
			}
			return samverkan.Errorf(samverkan.EInvalid, "a later step fails")
		})
		if samverkan.ErrorCode(err) != samverkan.EInvalid {
			t.Fatalf("tx error %v", err)
		}
		if _, err := st.Agreement(ctx, a.ID); samverkan.ErrorCode(err) != samverkan.ENotFound {
			t.Fatalf("the agreement of a rolled back transaction is there: %v", err)
		}
		refs, err := st.ExternalRefs(ctx, samverkan.RefPriorityArea, []string{a.PriorityAreas[0].ExternalRef})
		if err != nil || len(refs) != 0 {
			t.Fatalf("priority areas of a rolled back transaction: %v %v", refs, err)
		}
	})
}

func TestActivitiesKeepTheirManyPriorityAreasAndPublicFollowsTheList(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		seedParties(t, st)
		a := newAgreement("0486", samverkan.AgreementDraft)
		act := &samverkan.Activity{
			ID: uuid.Must(uuid.NewV7()), AgreementID: &a.ID, Parties: a.Parties, Position: 1,
			Description:     "Skapa samverkan mellan fältare, bevakningsföretag, polis och civilsamhälle under evenemang, storhelger och andra prioriterade datum.",
			PriorityAreaIDs: []uuid.UUID{a.PriorityAreas[0].ID, a.PriorityAreas[1].ID}, Partners: []string{"fältare", "bevakningsföretag"},
			Recurrence: "at_events", Status: samverkan.ActivityPlanned, Version: 1, CreatedAt: t0, UpdatedAt: t0,
		}
		create(t, st, func(tx samverkan.Tx) error {
			if err := tx.CreateAgreement(ctx, a); err != nil {
				return err
			}
			return tx.CreateActivity(ctx, act)
		})
		byArea, err := st.ListActivities(ctx, samverkan.ActivityFilter{PageRequest: samverkan.PageRequest{Limit: 10}, Drafts: samverkan.DraftScope{All: true}, PriorityAreaID: &a.PriorityAreas[1].ID})
		if err != nil || len(byArea.Items) != 1 || len(byArea.Items[0].PriorityAreaIDs) != 2 {
			t.Fatalf("by second area: %v %+v", err, byArea.Items)
		}
		public, _ := st.ListActivities(ctx, samverkan.ActivityFilter{PageRequest: samverkan.PageRequest{Limit: 10}})
		if len(public.Items) != 0 {
			t.Fatalf("an activity of a draft agreement is public")
		}
		a.Status = samverkan.AgreementSigned
		create(t, st, func(tx samverkan.Tx) error { return tx.UpdateAgreement(ctx, a) })
		public, _ = st.ListActivities(ctx, samverkan.ActivityFilter{PageRequest: samverkan.PageRequest{Limit: 10}})
		if len(public.Items) != 1 {
			t.Fatalf("signing the agreement did not make its action plan public")
		}
		// A priority area still used by an activity cannot be removed.
		a.PriorityAreas = a.PriorityAreas[:1]
		err = st.Tx(ctx, samverkan.Actor{Name: "test", Role: samverkan.RoleAdmin}, func(tx samverkan.Tx) error { return tx.UpdateAgreement(ctx, a) })
		if samverkan.ErrorCode(err) != samverkan.EConflict {
			t.Fatalf("removing a used priority area: %v, want conflict", err)
		}
	})
}

func TestMigrationsAreAppliedOnceAndReportTheirVersion(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			st := testdb.Open(t, d)
			n, err := st.Migrate(ctx)
			if err != nil || n != 0 {
				t.Fatalf("second migrate applied %d: %v", n, err)
			}
			v, err := st.MigrationVersion(ctx)
			if err != nil || v < 1 {
				t.Fatalf("version %d: %v", v, err)
			}
		})
	}
}

// Processes that migrate at once (a migration job and replicas starting) take turns: one
// applies the migrations, the others find nothing to do, and none fails. That is the
// PostgreSQL scale-out path; the embedded SQLite file belongs to one process.
func TestConcurrentMigrationsTakeTurns(t *testing.T) {
	for _, d := range []store.Dialect{store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			url := testdb.URL(t, d)
			var wg sync.WaitGroup
			applied := make([]int, 4)
			errs := make([]error, 4)
			for i := range applied {
				wg.Go(func() {
					st, err := store.Open(url, store.Options{})
					if err != nil {
						errs[i] = err
						return
					}
					defer st.Close()
					applied[i], errs[i] = st.Migrate(ctx)
				})
			}
			wg.Wait()
			total := 0
			for i := range applied {
				if errs[i] != nil {
					t.Fatalf("migrator %d: %v", i, errs[i])
				}
				total += applied[i]
			}
			st := testdb.OpenURL(t, url)
			v, err := st.MigrationVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if int64(total) != v {
				t.Errorf("%d migrations applied in all, the database is at version %d: some ran twice or not at all", total, v)
			}

			// Upgraded from before history was kept, with the same four starting at once:
			// each record gets one baseline revision, not one per process.
			seedParties(t, st)
			db, _ := st.DB()
			if _, err := db.Exec("UPDATE changes SET event_type = NULL, state = NULL, diff = NULL"); err != nil {
				t.Fatal(err)
			}
			for range 4 {
				wg.Go(func() {
					other, err := store.Open(url, store.Options{})
					if err == nil {
						defer other.Close()
						_, err = other.Migrate(ctx)
					}
					if err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			var baselines int
			if err := db.QueryRow("SELECT count(*) FROM changes WHERE op = 'baseline'").Scan(&baselines); err != nil {
				t.Fatal(err)
			}
			if baselines != 3 {
				t.Errorf("%d baseline revisions of 3 records", baselines)
			}
		})
	}
}

// A database not yet migrated to this binary's version is not ready, and queries against it
// are unavailable rather than failures of the server; once migrated, it is ready.
func TestAnUnmigratedDatabaseIsNotReady(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			st, err := store.Open(testdb.URL(t, d), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if err := st.Ping(ctx); samverkan.ErrorCode(err) != samverkan.EUnavailable || !strings.Contains(err.Error(), "samverkan migrate") {
				t.Errorf("an empty database: %v, want unavailable until migrated", err)
			}
			if _, err := st.ListAgreements(ctx, samverkan.AgreementFilter{PageRequest: samverkan.PageRequest{Limit: 1}}); samverkan.ErrorCode(err) != samverkan.EUnavailable {
				t.Errorf("a query before the migrations: %v, want unavailable", err)
			}
			if _, err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := st.Ping(ctx); err != nil {
				t.Errorf("after the migrations: %v", err)
			}
		})
	}
}

// Two processes on one SQLite file, as `samverkan token create` next to a running server:
// a write of one that began before the other's commit is not failed by it, but waits.
func TestTwoProcessesWritingOneSQLiteFileTakeTurns(t *testing.T) {
	path := testdb.URL(t, store.SQLite)
	server, cli := testdb.OpenURL(t, path), testdb.OpenURL(t, path)
	admin := &samverkan.Principal{TokenID: "t1", TokenName: "test", Role: samverkan.RoleAdmin}
	read := make(chan struct{})
	var cliErr error
	var wg sync.WaitGroup
	err := server.Tx(ctx, admin.Actor(), func(tx samverkan.Tx) error {
		if _, err := tx.PoliceArea(ctx, "lpo-eskilstuna"); samverkan.ErrorCode(err) != samverkan.ENotFound {
			return err
		}
		wg.Go(func() {
			close(read)
			_, _, cliErr = samverkan.NewService(cli, time.Now).CreateToken(ctx, samverkan.NewTokenSpec{Name: "cli", Role: samverkan.RoleAdmin})
		})
		<-read
		time.Sleep(200 * time.Millisecond) // the other process tries to commit meanwhile
		now := time.Now()
		return tx.CreatePoliceArea(ctx, &samverkan.PoliceArea{ID: "lpo-eskilstuna", Name: "Lokalpolisområde Eskilstuna", Version: 1, CreatedAt: now, UpdatedAt: now})
	})
	wg.Wait()
	if err != nil || cliErr != nil {
		t.Errorf("the server's write: %v\nthe other process's: %v", err, cliErr)
	}
}
