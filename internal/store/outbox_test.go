package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// queuedPing registers a webhook and queues a ping for it: one delivery in the outbox.
func queuedPing(t *testing.T, st *store.Store) (webhook, delivery uuid.UUID) {
	t.Helper()
	svc := samverkan.NewService(st, func() time.Time { return t0 })
	admin := &samverkan.Principal{TokenID: "t1", TokenName: "test", Role: samverkan.RoleAdmin}
	w, err := svc.CreateWebhook(ctx, admin, samverkan.Webhook{URL: "https://mottagare.example.se/samverkan", EventTypes: []string{"*"}, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.PingWebhook(ctx, admin, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	return w.ID, d.ID
}

func claim(t *testing.T, st *store.Store, at time.Time, lease time.Duration) []samverkan.Outbound {
	t.Helper()
	out, err := st.ClaimDeliveries(ctx, at, lease, 10)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func attempt(at time.Time, state samverkan.DeliveryState, failed bool) samverkan.AttemptResult {
	r := samverkan.AttemptResult{Attempt: samverkan.DeliveryAttempt{At: at, StatusCode: 204}, State: state}
	if failed {
		r.Attempt.StatusCode, r.Attempt.Error = 503, "the endpoint answered 503 Service Unavailable"
		next, pause := at.Add(10*time.Second), at.Add(time.Minute)
		r.NextAttempt, r.PauseUntil = &next, &pause
	}
	return r
}

// A worker whose lease ran out while it was sending records nothing: the worker that took
// the delivery over is the one whose attempt counts.
func TestOnlyTheWorkerHoldingTheLeaseRecordsTheAttempt(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		queuedPing(t, st)
		now := time.Now()
		slow := claim(t, st, now, time.Second)
		if len(slow) != 1 {
			t.Fatalf("claimed %d", len(slow))
		}
		if again := claim(t, st, now, time.Second); len(again) != 0 {
			t.Fatal("a leased delivery was claimed twice")
		}
		later := now.Add(2 * time.Second)
		taker := claim(t, st, later, time.Minute)
		if len(taker) != 1 || taker[0].LeaseToken == slow[0].LeaseToken {
			t.Fatalf("after the lease ran out: %v", taker)
		}
		if err := st.FinishAttempt(ctx, &slow[0], attempt(later, samverkan.DeliveryDelivered, false)); samverkan.ErrorCode(err) != samverkan.EConflict {
			t.Errorf("the worker that lost its lease recorded its attempt: %v", err)
		}
		if err := st.FinishAttempt(ctx, &taker[0], attempt(later, samverkan.DeliveryDelivered, false)); err != nil {
			t.Fatal(err)
		}
		d, err := st.Delivery(ctx, taker[0].WebhookID, taker[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.State != samverkan.DeliveryDelivered || d.AttemptCount != 1 || len(d.Attempts) != 1 {
			t.Errorf("delivery %s after %d attempts (%d recorded), want delivered after one", d.State, d.AttemptCount, len(d.Attempts))
		}
	})
}

// Retrying a delivery that a worker is sending only brings its next attempt forward: the
// lease stays, so no second worker sends it at the same time.
func TestRetryingADeliveryBeingSentKeepsItsLease(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		webhook, delivery := queuedPing(t, st)
		now := time.Now()
		sending := claim(t, st, now, time.Minute)
		if err := st.RetryDelivery(ctx, webhook, delivery); err != nil {
			t.Fatal(err)
		}
		if again := claim(t, st, now.Add(time.Second), time.Minute); len(again) != 0 {
			t.Fatal("a retry let a second worker claim a delivery being sent")
		}
		if err := st.FinishAttempt(ctx, &sending[0], attempt(now, samverkan.DeliveryDelivered, false)); err != nil {
			t.Errorf("the sending worker lost its lease to the retry: %v", err)
		}
		// A delivered one goes out again.
		if err := st.RetryDelivery(ctx, webhook, delivery); err != nil {
			t.Fatal(err)
		}
		if again := claim(t, st, time.Now(), time.Minute); len(again) != 1 {
			t.Error("a retried delivered event is not sent again")
		}
	})
}

// An endpoint that fails is paused: its deliveries wait, whatever else is due, until the
// pause ends or its owner pings or retries it.
func TestAFailingEndpointIsPausedUntilItsBackOffEnds(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		webhook, delivery := queuedPing(t, st)
		now := time.Now()
		first := claim(t, st, now, time.Minute)
		if err := st.FinishAttempt(ctx, &first[0], attempt(now, samverkan.DeliveryPending, true)); err != nil {
			t.Fatal(err)
		}
		w, err := st.Webhook(ctx, webhook)
		if err != nil {
			t.Fatal(err)
		}
		if w.FailureStreak != 1 || w.PausedUntil == nil {
			t.Fatalf("after a failure: streak %d, paused until %v", w.FailureStreak, w.PausedUntil)
		}
		if got := claim(t, st, now.Add(30*time.Second), time.Minute); len(got) != 0 {
			t.Fatal("a delivery due again was claimed while its endpoint is paused")
		}
		if err := st.RetryDelivery(ctx, webhook, delivery); err != nil { // the owner asks for it now
			t.Fatal(err)
		}
		retried := claim(t, st, time.Now(), time.Minute)
		if len(retried) != 1 {
			t.Fatal("a retry does not end the pause")
		}
		if err := st.FinishAttempt(ctx, &retried[0], attempt(time.Now(), samverkan.DeliveryDelivered, false)); err != nil {
			t.Fatal(err)
		}
		if w, _ = st.Webhook(ctx, webhook); w.FailureStreak != 0 || w.PausedUntil != nil {
			t.Errorf("a success leaves streak %d, pause %v", w.FailureStreak, w.PausedUntil)
		}
	})
}

// A retry is due at its instant whatever zone its time was written in. SQLite compares times
// as text, so a time written with a Swedish server's +01:00 would otherwise be due an hour
// late, and one written west of Greenwich hours early.
func TestARetryIsDueAtItsInstantWhateverTheZoneOfItsTime(t *testing.T) {
	for _, zone := range []*time.Location{time.FixedZone("CET", 3600), time.FixedZone("EST", -5*3600)} {
		t.Run(zone.String(), func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, st *store.Store) {
				queuedPing(t, st)
				now := time.Now().UTC()
				first := claim(t, st, now.In(zone), time.Second)
				if len(first) != 1 {
					t.Fatalf("claimed %d", len(first))
				}
				next := now.Add(10 * time.Second).In(zone)
				failed := samverkan.AttemptResult{State: samverkan.DeliveryPending, NextAttempt: &next,
					Attempt: samverkan.DeliveryAttempt{At: now.In(zone), StatusCode: 503, Error: "the endpoint answered 503 Service Unavailable"}}
				if err := st.FinishAttempt(ctx, &first[0], failed); err != nil {
					t.Fatal(err)
				}
				if early := claim(t, st, now.Add(5*time.Second), time.Second); len(early) != 0 {
					t.Error("a retry due in ten seconds was claimed after five")
				}
				if due := claim(t, st, now.Add(11*time.Second), time.Second); len(due) != 1 {
					t.Error("a retry due in ten seconds was not claimed after eleven")
				}
			})
		})
	}
}

// Deleting a webhook while other writes queue deliveries neither deadlocks nor fails them:
// the deletion orders itself on the data version before it locks the webhook's row.
func TestDeletingAWebhookWhileAnotherWriteQueuesDeliveriesFailsNeither(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		svc := samverkan.NewService(st, time.Now)
		admin := &samverkan.Principal{TokenID: "t1", TokenName: "test", Role: samverkan.RoleAdmin}
		w, err := svc.CreateWebhook(ctx, admin, samverkan.Webhook{URL: "https://mottagare.example.se/samverkan", EventTypes: []string{"*"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		deleted := make(chan struct{})
		var errDelete, errWrite error
		var wg sync.WaitGroup
		wg.Go(func() { // Service.DeleteWebhook's transaction, held open a moment after the delete
			errDelete = st.Tx(ctx, admin.Actor(), func(tx samverkan.Tx) error {
				if err := tx.DeleteWebhook(ctx, w.ID, w.Version); err != nil {
					return err
				}
				close(deleted)
				time.Sleep(300 * time.Millisecond)
				return nil
			})
		})
		wg.Go(func() { // a write whose event the webhook wants
			<-deleted
			_, errWrite = svc.CreatePoliceArea(ctx, admin, samverkan.PoliceArea{ID: "lpo-eskilstuna", Name: "Lokalpolisområde Eskilstuna"})
		})
		wg.Wait()
		if errDelete != nil || errWrite != nil {
			t.Errorf("deleting the webhook: %v\nthe other write: %v", errDelete, errWrite)
		}
	})
}
