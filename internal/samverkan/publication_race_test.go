package samverkan_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// racingStore is the real store, with the moment a race needs made certain: just before a
// write locks an activity list, another transaction runs (and commits) first.
type racingStore struct {
	*store.Store
	before func()
}

func (r *racingStore) Tx(ctx context.Context, by samverkan.Actor, fn func(samverkan.Tx) error) error {
	return r.Store.Tx(ctx, by, func(tx samverkan.Tx) error { return fn(&racingTx{Tx: tx, store: r}) })
}

type racingTx struct {
	samverkan.Tx
	store *racingStore
}

func (t *racingTx) LockList(ctx context.Context, agreementID, periodID *uuid.UUID) error {
	if before := t.store.before; before != nil {
		t.store.before = nil
		before()
	}
	return t.Tx.LockList(ctx, agreementID, periodID)
}

// An edit of an activity that meets its list's publication is recorded as public: else the
// edit would be missing from the public history, the change feed and webhooks.
func TestAnEditThatMeetsItsListsPublicationIsRecordedPublic(t *testing.T) {
	if os.Getenv(testdb.EnvURL) == "" {
		t.Skip("the race needs two transactions at once: PostgreSQL's")
	}
	ctx := context.Background()
	st := testdb.Open(t, store.Postgres)
	racing := &racingStore{Store: st}
	clock := func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }
	svc := samverkan.NewService(racing, clock)
	plain := samverkan.NewService(st, clock)
	admin := &samverkan.Principal{TokenName: "test", Role: samverkan.RoleAdmin}
	rep, err := plain.Import(ctx, admin, samverkan.ImportDocument{
		PoliceAreas:    []samverkan.PoliceArea{{ID: "lpo-eskilstuna", Name: "Lokalpolisområde Eskilstuna"}},
		Municipalities: []samverkan.Municipality{{Code: "0486", Name: "Strängnäs kommun", PoliceAreaID: "lpo-eskilstuna"}},
		PromisePeriods: []samverkan.ImportPromisePeriod{{PromisePeriod: samverkan.PromisePeriod{
			Parties: samverkan.Parties{MunicipalityCode: "0486", PoliceAreaID: "lpo-eskilstuna"}, Title: "Medborgarlöften 2027",
			StartYear: 2027, EndYear: 2027, ExternalRef: "strangnas-2027", Promises: []samverkan.Promise{{Text: "Trygghetsvandringar"}}},
			Activities: []samverkan.ImportActivity{{Activity: samverkan.Activity{ExternalRef: "strangnas-2027-1", Description: "Trygghetsvandring i Mariefred"}}}}},
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]uuid.UUID{}
	for _, it := range rep.Items {
		if id, err := uuid.Parse(it.ID); err == nil {
			ids[it.Kind] = id
		}
	}
	period, activity := ids["promise_period"], ids["activity"]

	racing.before = func() {
		if _, err := plain.TransitionPromisePeriod(ctx, admin, period, samverkan.AnyVersion, samverkan.Published); err != nil {
			t.Errorf("publish: %v", err)
		}
	}
	edit := samverkan.Activity{PromisePeriodID: &period, Description: "Trygghetsvandring i Mariefred och Åkers styckebruk"}
	if _, err := svc.UpdateActivity(ctx, admin, activity, samverkan.AnyVersion, edit); err != nil {
		t.Fatal(err)
	}
	page, err := st.ListEvents(ctx, samverkan.EventFilter{PageRequest: samverkan.PageRequest{Limit: 10},
		Kind: samverkan.RecordActivity, EntityID: activity.String()})
	if err != nil {
		t.Fatal(err)
	}
	if newest := page.Items[0]; newest.Type != "activity.updated" || !newest.Public {
		t.Errorf("the edit after the publication is %s, public %v: public consumers never see it", newest.Type, newest.Public)
	}
}
