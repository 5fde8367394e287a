package samverkan_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// failingStore is the real store with a fault injected: the batched write of activities fails
// after the first batch, as a dying connection or a killed process would end an import.
type failingStore struct {
	*store.Store
	batches atomic.Int32
}

func (f *failingStore) Tx(ctx context.Context, by samverkan.Actor, fn func(samverkan.Tx) error) error {
	return f.Store.Tx(ctx, by, func(tx samverkan.Tx) error { return fn(&failingTx{Tx: tx, store: f}) })
}

type failingTx struct {
	samverkan.Tx
	store *failingStore
}

var errInjected = errors.New("injected failure after the first batch")

func (t *failingTx) CreateActivities(ctx context.Context, acts []*samverkan.Activity) error {
	if t.store.batches.Add(1) > 1 {
		return errInjected
	}
	return t.Tx.CreateActivities(ctx, acts)
}

func TestAnImportThatFailsHalfWayLeavesNothingBehind(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc := samverkan.NewService(&failingStore{Store: st}, func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) })
		admin := &samverkan.Principal{TokenName: "test", Role: samverkan.RoleAdmin}
		doc := samverkan.ImportDocument{
			PoliceAreas:    []samverkan.PoliceArea{{ID: "lpo-eskilstuna", Name: "Lokalpolisområde Eskilstuna"}},
			Municipalities: []samverkan.Municipality{{Code: "0486", Name: "Strängnäs kommun", PoliceAreaID: "lpo-eskilstuna"}},
		}
		for y := 2019; y <= 2021; y++ { // three activity lists: three batches
			pp := samverkan.ImportPromisePeriod{PromisePeriod: samverkan.PromisePeriod{
				Parties: samverkan.Parties{MunicipalityCode: "0486", PoliceAreaID: "lpo-eskilstuna"}, Title: fmt.Sprintf("Medborgarlöfte %d", y),
				StartYear: y, EndYear: y, ExternalRef: fmt.Sprintf("strangnas-%d", y)}}
			for i := range 3 {
				pp.Activities = append(pp.Activities, samverkan.ImportActivity{Activity: samverkan.Activity{
					ExternalRef: fmt.Sprintf("strangnas-%d-akt-%d", y, i), Description: "Trygghetsvandring"}})
			}
			doc.PromisePeriods = append(doc.PromisePeriods, pp)
		}
		if _, err := svc.Import(context.Background(), admin, doc, false); !errors.Is(err, errInjected) {
			t.Fatalf("import: %v, want the injected failure", err)
		}
		ctx := context.Background()
		for name, count := range map[string]func() (int, error){
			"police areas": func() (int, error) {
				p, err := st.ListPoliceAreas(ctx, samverkan.PoliceAreaFilter{PageRequest: samverkan.PageRequest{Limit: 10}})
				return len(p.Items), err
			},
			"municipalities": func() (int, error) {
				p, err := st.ListMunicipalities(ctx, samverkan.MunicipalityFilter{PageRequest: samverkan.PageRequest{Limit: 10}})
				return len(p.Items), err
			},
			"promise periods": func() (int, error) {
				p, err := st.ListPromisePeriods(ctx, samverkan.PromisePeriodFilter{PageRequest: samverkan.PageRequest{Limit: 10}, Drafts: samverkan.DraftScope{All: true}})
				return len(p.Items), err
			},
			"activities": func() (int, error) {
				p, err := st.ListActivities(ctx, samverkan.ActivityFilter{PageRequest: samverkan.PageRequest{Limit: 10}, Drafts: samverkan.DraftScope{All: true}})
				return len(p.Items), err
			},
		} {
			if n, err := count(); err != nil || n != 0 {
				t.Errorf("%s after the failed import: %d (%v), want none", name, n, err)
			}
		}
		if v, err := st.DataVersion(ctx); err != nil || v.Seq != 0 {
			t.Errorf("data version %d after the failed import, want 0", v.Seq)
		}
	})
}
