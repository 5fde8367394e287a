package httpapi_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// With a read replica, anonymous reads are answered from it, and requests with a token and
// every write from the primary, so that an editor reads what it has just written whatever
// the replica's lag. The replica here is a database of its own that the test feeds by hand,
// so what each read sees tells where it was answered from.
func TestAnonymousReadsComeFromTheReplicaAndEditorsReadTheirOwnWrites(t *testing.T) {
	t.Parallel()
	if os.Getenv(testdb.EnvURL) == "" {
		t.Skip(testdb.EnvURL + " is not set; replicas are PostgreSQL's")
	}
	primary, replica := testdb.OpenWithReplica(t)
	a := newAPIWith(t, primary, func(c *httpapi.Config) { c.ReadYourWrites = store.Primary })
	a.ctx = store.Primary(a.ctx) // tokens are made on the primary, as `samverkan token create` does
	w := a.world()

	if items, _ := a.get("/v1/municipalities", "").items(); len(items) != 0 {
		t.Errorf("anonymous reads see %d municipalities: they come from the primary, not the replica", len(items))
	}
	if items, _ := a.get("/v1/municipalities", w.admin).items(); len(items) != 3 {
		t.Errorf("an admin reads %d municipalities, want its own 3 writes", len(items))
	}
	pp, tag := a.createPeriod(w.strangnas, periodBody())
	got, gotTag := a.get("/v1/promise-periods/"+id(pp), w.strangnas).ok()
	if gotTag != tag || got["title"] != pp["title"] {
		t.Errorf("the editor does not read its own write: %v", got)
	}
	// The replica has not seen the primary's changes: a cursor from the primary is not "from
	// a restored database" but early; the answer is "nothing new yet".
	fromPrimary, _ := a.get("/v1/events?after=0", w.admin).ok()
	var cursor string
	for {
		cursor = fromPrimary["nextCursor"].(string)
		if !fromPrimary["hasMore"].(bool) {
			break
		}
		fromPrimary, _ = a.get("/v1/events?after="+cursor, w.admin).ok()
	}
	// (The test's replica is a database of its own, with an epoch of its own; a real replica
	// is a copy of the primary and shares it, so its cursors carry over whole.)
	seq, _, _ := strings.Cut(cursor, ".")
	early, _ := a.get("/v1/events?after="+seq, "").ok()
	if len(early["items"].([]any)) != 0 || early["hasMore"] != false {
		t.Errorf("the replica's feed after the primary's cursor %v", early)
	}

	// The replica catches up: the test plays the replication.
	feed := samverkan.NewService(replica, func() time.Time { return today })
	if _, err := feed.CreatePoliceArea(context.Background(), &samverkan.Principal{TokenName: "replication", Role: samverkan.RoleAdmin},
		samverkan.PoliceArea{ID: "lpo-eskilstuna", Name: "Lokalpolisområde Eskilstuna"}); err != nil {
		t.Fatal(err)
	}
	a.eventually("the replica's police area is read anonymously", func() bool {
		items, _ := a.get("/v1/police-areas", "").items()
		return len(items) == 1
	})
	if n := count(t, replica, "municipalities"); n != 0 {
		t.Errorf("the API wrote %d municipalities to the replica", n)
	}
	a.get("/readyz", "").want(http.StatusOK)
}

// eventually retries until the data version the server caches for a second is read again.
func (a *api) eventually(what string, cond func() bool) {
	a.t.Helper()
	eventually(a.t, what, cond)
}

func count(t *testing.T, st *store.Store, table string) int {
	t.Helper()
	db, err := st.DB()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A read replica that does not answer costs nothing but the primary's load: the server is
// ready, and anonymous reads are answered from the primary until the replica is back.
func TestWithoutItsReplicaTheServerReadsThePrimary(t *testing.T) {
	t.Parallel()
	if os.Getenv(testdb.EnvURL) == "" {
		t.Skip(testdb.EnvURL + " is not set; replicas are PostgreSQL's")
	}
	gone := strings.Replace(testdb.URL(t, store.Postgres), "samverkan_test_", "samverkan_gone_", 1)
	primary, err := store.Open(testdb.URL(t, store.Postgres), store.Options{ReplicaURL: gone})
	if err != nil {
		t.Fatalf("a replica that does not answer keeps the server from starting: %v", err)
	}
	t.Cleanup(func() { primary.Close() })
	if _, err := primary.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if primary.ReplicaUp() {
		t.Fatal("a database that does not exist counts as an answering replica")
	}
	a := newAPIWith(t, primary, func(c *httpapi.Config) { c.ReadYourWrites = store.Primary })
	a.ctx = store.Primary(a.ctx)
	a.world()
	a.get("/readyz", "").want(http.StatusOK)
	if items, _ := a.get("/v1/municipalities", "").items(); len(items) != 3 {
		t.Errorf("anonymous reads see %d municipalities, want the primary's 3", len(items))
	}
}
