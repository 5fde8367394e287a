package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	samverkanapi "github.com/samverkan/samverkan"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
	"github.com/samverkan/samverkan/internal/webhook"
)

// receiver is a webhook endpoint on HTTPS that can be down.
type receiver struct {
	t    *testing.T
	srv  *httptest.Server
	down atomic.Bool
	mu   sync.Mutex
	got  []delivered
}

type delivered struct {
	header http.Header
	body   []byte
	event  obj
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{t: t}
	r.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if r.down.Load() {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "nere för underhåll", http.StatusServiceUnavailable)
			return
		}
		body, _ := io.ReadAll(req.Body)
		var e obj
		if err := json.Unmarshal(body, &e); err != nil {
			t.Errorf("a delivery is not JSON: %s", body)
		}
		r.mu.Lock()
		r.got = append(r.got, delivered{header: req.Header.Clone(), body: body, event: e})
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) received() []delivered {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

// dispatch runs a delivery worker against the store, trusting the receiver's certificate,
// with back-off shrunk to milliseconds; it stops when the returned func is called. The
// receivers listen on this machine, which only a development server may send to.
func dispatch(t *testing.T, st *store.Store, r *receiver, now func() time.Time) (stop func()) {
	d := webhook.New(webhook.Config{Outbox: st, Body: httpapi.WebhookBody, Client: r.srv.Client(), Logger: quiet,
		Poll: 5 * time.Millisecond, Backoff: func(int) time.Duration { return 10 * time.Millisecond }, Now: now})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

// register creates a webhook and returns it with its secret.
func (a *api) register(token, url string, types ...string) obj {
	a.t.Helper()
	hook, _ := a.post("/v1/webhooks", token, obj{"url": url, "eventTypes": types, "description": "Kommunens webbplats"}).created()
	if !strings.HasPrefix(hook["secret"].(string), "whsec_") {
		a.t.Fatalf("secret %v", hook["secret"])
	}
	return hook
}

// deliveries lists a webhook's deliveries, newest first.
func (a *api) deliveries(hook obj, token, query string) []obj {
	a.t.Helper()
	items, _ := a.get("/v1/webhooks/"+id(hook)+"/deliveries?limit=200"+query, token).items()
	return items
}

// eventually polls cond until it holds or the time is up.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// verify checks a delivery's signature with the Standard Webhooks library, as a receiver does.
func verify(t *testing.T, secret string, d delivered) {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	if err := wh.Verify(d.body, d.header); err != nil {
		t.Errorf("the signature does not verify with %s: %v", secret[:12]+"…", err)
	}
	if d.header.Get("webhook-id") != d.event["id"] {
		t.Errorf("webhook-id %s, event id %v", d.header.Get("webhook-id"), d.event["id"])
	}
}

// writesOfAPeriod publishes a period with two activities and changes them, as parties do.
func writesOfAPeriod(a *api, w *world) (period string, activities []string) {
	a.t.Helper()
	pp, tag := a.createPeriod(w.strangnas, periodBody())
	path := "/v1/promise-periods/" + id(pp)
	_, tag = a.put(path, w.strangnas, tag, with(periodBody(), "summary", "Löften för hela kommunen")).ok()
	for _, d := range []string{"Trygghetsvandring i Mariefred", "Grannsamverkan i Åkers styckebruk"} {
		act, _ := a.post("/v1/activities", w.strangnas, obj{"promisePeriodId": id(pp), "description": d, "status": "planned"}).created()
		activities = append(activities, id(act))
	}
	a.post(path+"/transitions", w.strangnas, obj{"status": "published"}, header{"If-Match", tag}).want(http.StatusOK)
	for _, act := range activities {
		a.put("/v1/activities/"+act, w.strangnas, `"1"`, obj{"promisePeriodId": id(pp), "description": "Ändrad", "status": "ongoing"}).want(http.StatusOK)
	}
	return id(pp), activities
}

func TestWebhooksArriveSignedAndInOrderOnceTheReceiverIsBack(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		a.signedAgreement(w.strangnas, agreementBody())
		a.svc.AllowLocalWebhooks()
		r := newReceiver(t)
		r.down.Store(true)
		hook := a.register(w.strangnas, r.srv.URL+"/samverkan", "promise_period.*", "activity.*")
		dispatch(t, a.st, r, nil)
		period, acts := writesOfAPeriod(a, w)

		// 2 + 2 creations and updates, 1 publication with 2 activities made public, 2 status changes.
		const events = 9
		// While the receiver is down, the first event of each resource is retried and the
		// later ones wait behind it, so that they cannot overtake it.
		var tried []obj
		eventually(t, "the first event of each resource failed twice", func() bool {
			tried = slices.DeleteFunc(a.deliveries(hook, w.strangnas, "&state=pending"), func(d obj) bool { return d["attemptCount"].(float64) < 2 })
			return len(tried) == 1+len(acts)
		})
		for _, d := range a.deliveries(hook, w.strangnas, "") {
			first := d["eventType"] == "promise_period.created" || d["eventType"] == "activity.created"
			if tried := d["attemptCount"].(float64) > 0; tried != first {
				t.Errorf("%s was tried %v times while the receiver was down", d["eventType"], d["attemptCount"])
			}
		}
		attempt := tried[0]["attempts"].([]any)[0].(obj)
		if attempt["statusCode"].(float64) != 503 || !strings.Contains(attempt["error"].(string), "503") {
			t.Errorf("a failed attempt %v", attempt)
		}
		if len(r.received()) != 0 {
			t.Fatal("received while down")
		}

		r.down.Store(false)
		eventually(t, "every delivery arrived", func() bool {
			return len(a.deliveries(hook, w.strangnas, "&state=delivered")) == events
		})
		got := r.received()
		if len(got) != events {
			t.Fatalf("received %d deliveries, want %d (each once)", len(got), events)
		}
		schema := eventSchema(t)
		last := map[string]float64{}
		var types []string
		for _, d := range got {
			verify(t, hook["secret"].(string), d)
			if err := schema.VisitJSON(jsonValue(t, d.body)); err != nil {
				t.Errorf("a delivery is not an Event of the contract: %v", err)
			}
			res := d.event["resource"].(obj)["id"].(string)
			seq := d.event["sequence"].(float64)
			if seq <= last[res] {
				t.Errorf("%s arrived after a later event of %s", d.event["type"], res)
			}
			last[res] = seq
			types = append(types, d.event["type"].(string))
		}
		if _, ok := last[period]; !ok || len(last) != 1+len(acts) {
			t.Errorf("deliveries about %v", last)
		}
		for _, want := range []string{"promise_period.created", "promise_period.published", "activity.published", "activity.status_changed"} {
			if !slices.Contains(types, want) {
				t.Errorf("no %s among %v", want, types)
			}
		}
	})
}

// A server stopped in the middle of retries, or killed holding deliveries it claimed, leaves
// them in the outbox; the next one sends them.
func TestWebhookDeliveriesSurviveARestartInTheMiddleOfRetries(t *testing.T) {
	t.Parallel()
	for _, d := range testdb.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			url := testdb.URL(t, d)
			first, err := store.Open(url, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := first.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			a := newAPI(t, first)
			w := a.world()
			a.signedAgreement(w.strangnas, agreementBody())
			a.svc.AllowLocalWebhooks()
			r := newReceiver(t)
			r.down.Store(true)
			hook := a.register(w.strangnas, r.srv.URL, "*")
			stop := dispatch(t, first, r, nil)
			writesOfAPeriod(a, w)
			eventually(t, "deliveries were tried", func() bool {
				ds := a.deliveries(hook, w.strangnas, "&state=pending")
				return len(ds) == 9 && slices.ContainsFunc(ds, func(d obj) bool { return d["attemptCount"].(float64) >= 2 })
			})
			stop()
			// And a worker that claimed deliveries and died before sending them: they wait
			// out its lease.
			claimed, err := first.ClaimDeliveries(context.Background(), time.Now().Add(time.Second), 300*time.Millisecond, 100)
			if err != nil || len(claimed) == 0 {
				t.Fatalf("claimed %d deliveries: %v", len(claimed), err)
			}
			a.srv.Close()
			first.Close()

			// The next server: a new process on the same database.
			second, err := store.Open(url, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { second.Close() })
			r.down.Store(false)
			dispatch(t, second, r, nil)
			b := newAPI(t, second)
			eventually(t, "the outbox was sent after the restart", func() bool {
				return len(b.deliveries(hook, w.strangnas, "&state=delivered")) == 9
			})
			seen := map[string]bool{}
			for _, d := range r.received() {
				seen[d.event["id"].(string)] = true
				verify(t, hook["secret"].(string), d)
			}
			if len(seen) != 9 {
				t.Errorf("%d distinct events arrived, want 9", len(seen))
			}
		})
	}
}

func TestAWebhookReceivesOnlyWhatItsOrganizationMaySee(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		a.signedAgreement(w.strangnas, agreementBody())
		const url = "https://mottagare.example.se/samverkan"
		own := a.register(w.strangnas, url, "promise_period.*")
		neighbour := a.register(w.eskilstuna, url, "promise_period.*")
		national := a.register(w.admin, url, "*")
		elsewhere, _ := a.post("/v1/webhooks", w.eskilstuna, obj{"url": url, "eventTypes": []string{"*"}, "municipalityCodes": []string{"0484"}}).created()

		pp, _ := a.createPeriod(w.strangnas, periodBody())
		a.post("/v1/promise-periods/"+id(pp)+"/transitions", w.strangnas, obj{"status": "published"}).want(http.StatusOK)

		if got := deliveredTypes(a.deliveries(own, w.strangnas, "")); !slices.Equal(got, []string{"promise_period.published", "promise_period.created"}) {
			t.Errorf("Strängnäs's own webhook got %v", got)
		}
		if got := deliveredTypes(a.deliveries(neighbour, w.eskilstuna, "")); !slices.Equal(got, []string{"promise_period.published"}) {
			t.Errorf("Eskilstuna's webhook got %v: the draft's creation is Strängnäs's alone", got)
		}
		if got := deliveredTypes(a.deliveries(national, w.admin, "")); !slices.Contains(got, "promise_period.created") {
			t.Errorf("the admin's webhook got %v", got)
		}
		if got := a.deliveries(elsewhere, w.eskilstuna, ""); len(got) != 0 {
			t.Errorf("a webhook for 0484 alone got %v", deliveredTypes(got))
		}
		// Webhooks are their organization's: others do not see them.
		a.get("/v1/webhooks/"+id(own), w.eskilstuna).problem(http.StatusNotFound)
		a.get("/v1/webhooks/"+id(own)+"/deliveries", w.eskilstuna).problem(http.StatusNotFound)
		mine, _ := a.get("/v1/webhooks", w.eskilstuna).items()
		if len(mine) != 2 {
			t.Errorf("Eskilstuna lists %d webhooks, want its 2", len(mine))
		}
		if all, _ := a.get("/v1/webhooks", w.admin).items(); len(all) != 4 {
			t.Errorf("an admin lists %d webhooks, want 4", len(all))
		}
	})
}

func deliveredTypes(ds []obj) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d["eventType"].(string)
	}
	return out
}

func TestWebhookRegistrationRefusesWhatCannotBeSent(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		body := obj{"url": "https://www.strangnas.se/samverkan", "eventTypes": []string{"promise_period.published"}}
		a.post("/v1/webhooks", "", body).problem(http.StatusUnauthorized)
		a.post("/v1/webhooks", w.strangnas, with(body, "url", "http://www.strangnas.se/samverkan")).problem(http.StatusBadRequest, "/url")
		a.post("/v1/webhooks", w.strangnas, with(body, "url", "https://user:lösen@www.strangnas.se/")).problem(http.StatusBadRequest, "/url")
		a.post("/v1/webhooks", w.strangnas, with(body, "eventTypes", []string{"promise.made"})).problem(http.StatusBadRequest, "/eventTypes/0")
		a.post("/v1/webhooks", w.strangnas, with(body, "eventTypes", []string{})).problem(http.StatusBadRequest, "/eventTypes")
		a.post("/v1/webhooks", w.strangnas, with(body, "secret", "mitt-eget")).problem(http.StatusBadRequest, "/secret")
		for _, local := range []string{"https://localhost/samverkan", "https://10.1.2.3/samverkan", "https://[::1]:8443/", "https://169.254.169.254/latest"} {
			a.post("/v1/webhooks", w.strangnas, with(body, "url", local)).problem(http.StatusBadRequest, "/url")
		}
		a.post("/v1/webhooks", w.strangnas, with(body, "municipalityCodes", []string{"0486", "9999"})).problem(http.StatusUnprocessableEntity, "/municipalityCodes/1")

		hook, tag := a.post("/v1/webhooks", w.strangnas, with(body, "active", false)).created()
		if hook["active"] != false || hook["organization"].(obj)["id"] != "0486" || hook["createdBy"] != "test editor 0486" {
			t.Errorf("created %v", hook)
		}
		got, _ := a.get("/v1/webhooks/"+id(hook), w.strangnas).ok()
		if _, ok := got["secret"]; ok {
			t.Error("the secret is shown after its creation")
		}
		a.post("/v1/webhooks/"+id(hook)+"/ping", w.strangnas, nil).problem(http.StatusConflict)
		a.do(http.MethodPut, "/v1/webhooks/"+id(hook), w.strangnas, body).problem(http.StatusPreconditionRequired)
		updated, _ := a.put("/v1/webhooks/"+id(hook), w.strangnas, tag, body).ok()
		if updated["active"] != true || updated["version"].(float64) != 2 {
			t.Errorf("active by default: %v", updated)
		}
		a.put("/v1/webhooks/"+id(hook), w.strangnas, tag, body).problem(http.StatusPreconditionFailed)
		a.delete("/v1/webhooks/"+id(hook), w.eskilstuna, `"2"`).problem(http.StatusNotFound)
		a.delete("/v1/webhooks/"+id(hook), w.strangnas, `"2"`).want(http.StatusNoContent)
		a.get("/v1/webhooks/"+id(hook), w.strangnas).problem(http.StatusNotFound)

		for i := 0; i < samverkan.MaxWebhooksPerOrganization; i++ {
			a.post("/v1/webhooks", w.police, body).want(http.StatusCreated)
		}
		a.post("/v1/webhooks", w.police, body).problem(http.StatusConflict)
		// The audit trail shows who registered what, without the secret.
		audit, _ := a.get("/v1/audit?kind=webhook&actorMunicipality=0486", w.admin).items()
		if len(audit) != 3 || strings.Contains(string(mustJSON(t, audit)), "whsec_") {
			t.Errorf("the audit trail of the webhook %v", audit)
		}
	})
}

func TestPingsRetriesRotationAndGivingUp(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPIWith(t, st, onWallClock(st))
		w := a.world()
		a.svc.AllowLocalWebhooks()
		r := newReceiver(t)
		hook := a.register(w.strangnas, r.srv.URL, "activity.status_changed")
		oldSecret := hook["secret"].(string)
		dispatch(t, a.st, r, nil)

		res := a.post("/v1/webhooks/"+id(hook)+"/ping", w.strangnas, nil).want(http.StatusAccepted)
		ping := res.Map()
		if ping["eventType"] != "webhook.ping" || ping["state"] != "pending" || res.Header.Get("Location") != "/v1/webhooks/"+id(hook)+"/deliveries/"+id(ping) {
			t.Errorf("ping %v at %s", ping, res.Header.Get("Location"))
		}
		eventually(t, "the ping arrived", func() bool {
			d, _ := a.get("/v1/webhooks/"+id(hook)+"/deliveries/"+id(ping), w.strangnas).ok()
			return d["state"] == "delivered"
		})
		done, _ := a.get("/v1/webhooks/"+id(hook)+"/deliveries/"+id(ping), w.strangnas).ok()
		if at := done["attempts"].([]any); len(at) != 1 || at[0].(obj)["statusCode"].(float64) != 204 || done["event"].(obj)["type"] != "webhook.ping" {
			t.Errorf("the delivered ping %v", done)
		}
		verify(t, oldSecret, r.received()[0])

		rotated, _ := a.post("/v1/webhooks/"+id(hook)+"/secret", w.strangnas, nil).ok()
		newSecret := rotated["secret"].(string)
		retried := a.post("/v1/webhooks/"+id(hook)+"/deliveries/"+id(ping)+"/retry", w.strangnas, nil).want(http.StatusAccepted).Map()
		if retried["state"] != "pending" {
			t.Errorf("retried %v", retried)
		}
		eventually(t, "the retried ping arrived", func() bool { return len(r.received()) == 2 })
		again := r.received()[1]
		if sigs := strings.Fields(again.header.Get("webhook-signature")); len(sigs) != 2 {
			t.Errorf("for a day after a rotation deliveries carry both signatures: %v", sigs)
		}
		verify(t, newSecret, again)
		verify(t, oldSecret, again)
		if again.event["id"] != r.received()[0].event["id"] {
			t.Error("a retried delivery carries the same event id")
		}
	})
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		a.svc.AllowLocalWebhooks()
		r := newReceiver(t)
		r.down.Store(true)
		hook := a.register(w.strangnas, r.srv.URL, "*")
		// A worker whose clock is three days on: the first failure is past the give-up time.
		dispatch(t, a.st, r, func() time.Time { return time.Now().Add(samverkan.DeliveryGiveUp + time.Hour) })
		a.post("/v1/webhooks/"+id(hook)+"/ping", w.strangnas, nil).want(http.StatusAccepted)
		eventually(t, "the delivery failed for good", func() bool { return len(a.deliveries(hook, w.strangnas, "&state=failed")) == 1 })
		failed := a.deliveries(hook, w.strangnas, "&state=failed")[0]
		if failed["attemptCount"].(float64) != 1 || failed["nextAttemptAt"] != nil {
			t.Errorf("the failed delivery %v", failed)
		}
	})
}

func eventSchema(t *testing.T) *openapi3.Schema {
	t.Helper()
	doc, err := httpapi.LoadSpec(samverkanapi.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Components.Schemas["Event"].Value
}

func jsonValue(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
