package samverkan_test

import (
	"context"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// eagerWorker is the real store with the fastest worker there can be: whatever a transaction
// queues is claimed and delivered the moment it commits, before the caller reads anything.
type eagerWorker struct {
	*store.Store
	t *testing.T
}

func (e *eagerWorker) Tx(ctx context.Context, by samverkan.Actor, fn func(samverkan.Tx) error) error {
	if err := e.Store.Tx(ctx, by, fn); err != nil {
		return err
	}
	out, err := e.ClaimDeliveries(ctx, time.Now(), time.Minute, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := range out {
		at := time.Now()
		if err := e.FinishAttempt(ctx, &out[i], samverkan.AttemptResult{State: samverkan.DeliveryDelivered,
			Attempt: samverkan.DeliveryAttempt{At: at, StatusCode: 204}}); err != nil {
			e.t.Fatal(err)
		}
	}
	return nil
}

// A ping and a retry answer with the delivery as they queued it, pending, however fast a
// worker sends it after the commit.
func TestPingAndRetryAnswerWithTheDeliveryAsTheyQueuedIt(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := samverkan.NewService(&eagerWorker{Store: st, t: t}, time.Now)
		admin := &samverkan.Principal{TokenID: "t1", TokenName: "test", Role: samverkan.RoleAdmin}
		w, err := svc.CreateWebhook(ctx, admin, samverkan.Webhook{URL: "https://mottagare.example.se/samverkan", EventTypes: []string{"*"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		ping, err := svc.PingWebhook(ctx, admin, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ping.State != samverkan.DeliveryPending || len(ping.Attempts) != 0 || ping.Event.Type != "webhook.ping" {
			t.Errorf("the ping answered %s with %d attempts, event %q", ping.State, len(ping.Attempts), ping.Event.Type)
		}
		if sent, err := svc.Delivery(ctx, admin, w.ID, ping.ID); err != nil || sent.State != samverkan.DeliveryDelivered {
			t.Fatalf("the worker did not send the ping: %v, %v", sent, err)
		}
		retried, err := svc.RetryDelivery(ctx, admin, w.ID, ping.ID)
		if err != nil {
			t.Fatal(err)
		}
		if retried.State != samverkan.DeliveryPending || retried.DeliveredAt != nil {
			t.Errorf("the retry answered %s, delivered at %v", retried.State, retried.DeliveredAt)
		}
	})
}
