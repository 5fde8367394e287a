package store_test

import (
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// The change feed reads the data version and the events from one database.
// Here the replica, lagging three changes behind, comes back between the two reads: a
// cursor moved to the primary's version would pass events the replica has not replayed
// yet, and a mirror following it would never see them.
func TestTheFeedNeverMovesItsCursorPastEventsItDidNotHandOut(t *testing.T) {
	primary, replica := testdb.OpenWithReplica(t)
	admin := &samverkan.Principal{TokenID: "t1", TokenName: "test", Role: samverkan.RoleAdmin}
	// Both hold the first change; only the primary the next three.
	for _, st := range []*store.Store{replica, primary} {
		if _, err := samverkan.NewService(st, time.Now).CreatePoliceArea(store.Primary(ctx), admin, samverkan.PoliceArea{ID: "lpo-eskilstuna", Name: "Lokalpolisområde Eskilstuna"}); err != nil {
			t.Fatal(err)
		}
	}
	svc := samverkan.NewService(primary, time.Now)
	for _, id := range []string{"lpo-vasteras", "lpo-orebro", "lpo-nykoping"} {
		if _, err := svc.CreatePoliceArea(store.Primary(ctx), admin, samverkan.PoliceArea{ID: id, Name: id}); err != nil {
			t.Fatal(err)
		}
	}
	// While the replica answers, the feed is read from it: the one change it has.
	primary.MarkReplica(true)
	if feed, err := svc.Events(ctx, nil, samverkan.FeedCursor{}, 100, "", ""); err != nil || len(feed.Events) != 1 || feed.Next.Seq != 1 {
		t.Fatalf("the feed from the replica: %+v, %v", feed, err)
	}
	primary.MarkReplica(false)
	if err := primary.AfterQueryOn("data_version", func() { primary.MarkReplica(true) }); err != nil {
		t.Fatal(err)
	}
	feed, err := svc.Events(ctx, nil, samverkan.FeedCursor{Seq: 1}, 100, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if handedOut := int64(len(feed.Events)); feed.Next.Seq > 1+handedOut {
		t.Errorf("the cursor moved from 1 to %d handing out %d events", feed.Next.Seq, handedOut)
	}
}
