package httpapi_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"testing"
)

// moment is what a promise period and its activity list were right after one write, as the
// parties read them, and when that write was committed.
type moment struct {
	at         string
	step       string
	period     obj
	activities []obj
	public     bool
}

// The property: for every write in a random sequence of edits, reading the period as of the
// write's instant gives exactly what a read right after the write gave.
func TestAsOfRebuildsEveryRecordedInstantOfRandomEdits(t *testing.T) {
	t.Parallel()
	seeds := []uint64{1, 2, 3, 4}
	if testing.Short() {
		seeds = seeds[:1]
	}
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		a.signedAgreement(w.strangnas, agreementBody())
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
				a := a.on(t)
				rng := rand.New(rand.NewPCG(seed, 2026))
				e := &editor{a: a, w: w, rng: rng}
				e.run(30)
				if len(e.moments) < 10 {
					t.Fatalf("only %d writes succeeded; the sequence tests too little", len(e.moments))
				}
				for _, m := range e.moments {
					got, _ := a.stateAt(e.path, w.strangnas, m.at).ok()
					acts := got["activities"].([]any)
					delete(got, "activities")
					if !jsonEqual(strip(got), strip(m.period)) {
						t.Errorf("after %s, as of %s the period is\n%v\nbut was read as\n%v", m.step, m.at, got, m.period)
					}
					if !jsonEqual(acts, m.activities) {
						t.Errorf("after %s, as of %s the activities are\n%v\nbut were read as\n%v", m.step, m.at, acts, m.activities)
					}
					anon := a.stateAt(e.path, "", m.at)
					if m.public {
						anon.want(http.StatusOK)
					} else {
						anon.problem(http.StatusNotFound)
					}
				}
			})
		}
	})
}

// strip drops what is computed at read time from the day it is read on.
func strip(o obj) obj {
	out := with(o)
	delete(out, "inForce")
	delete(out, "phase")
	return out
}

// editor makes random edits to one promise period and its activity list.
type editor struct {
	a       *api
	w       *world
	rng     *rand.Rand
	path    string
	id      string
	status  string
	acts    []string
	moments []moment
}

var descriptions = []string{"Trygghetsvandring i Mariefred", "Grannsamverkan i Åkers styckebruk", "Föreläsning om bedrägerier för äldre",
	"Hastighetskontroller vid skolor", "Ansvarsfull alkoholservering (AAS)", "Kontroll av mopeder på Tosterön"}
var statuses = []string{"planned", "ongoing", "completed", "postponed", "cancelled"}

func (e *editor) pick(list []string) string { return list[e.rng.IntN(len(list))] }

func (e *editor) run(steps int) {
	a, token := e.a, e.w.strangnas
	pp, _ := a.createPeriod(token, with(periodBody(), "startYear", 2027, "endYear", 2028))
	e.id, e.path, e.status = id(pp), "/v1/promise-periods/"+id(pp), "draft"
	e.record("create the period")
	for i := 0; i < steps; i++ {
		switch n := e.rng.IntN(10); {
		case n < 3 || len(e.acts) == 0:
			act, _ := a.post("/v1/activities", token, obj{"promisePeriodId": e.id, "description": e.pick(descriptions), "status": e.pick(statuses)}).created()
			e.acts = append(e.acts, id(act))
			e.record("create an activity")
		case n < 6:
			act := e.acts[e.rng.IntN(len(e.acts))]
			cur, tag := a.get("/v1/activities/"+act, token).ok()
			a.put("/v1/activities/"+act, token, tag, obj{"promisePeriodId": e.id, "description": cur["description"].(string) + " (ändrad)",
				"status": e.pick(statuses), "partners": []any{e.pick([]string{"Fältgruppen", "Civilsamhället", "Fastighetsägare"})}}).want(http.StatusOK)
			e.record("update an activity")
		case n < 7 && e.status == "draft":
			k := e.rng.IntN(len(e.acts))
			_, tag := a.get("/v1/activities/"+e.acts[k], token).ok()
			a.delete("/v1/activities/"+e.acts[k], token, tag).want(http.StatusNoContent)
			e.acts = append(e.acts[:k], e.acts[k+1:]...)
			e.record("delete an activity")
		case n < 9 && e.status != "archived":
			_, tag := a.get(e.path, token).ok()
			a.put(e.path, token, tag, with(periodBody(), "startYear", 2027, "endYear", 2028,
				"summary", fmt.Sprintf("Version %d av sammanfattningen", i))).want(http.StatusOK)
			e.record("update the period")
		case e.status == "draft":
			a.post(e.path+"/transitions", token, obj{"status": "published"}).want(http.StatusOK)
			e.status = "published"
			e.record("publish the period")
		case e.status == "published" && i > steps*2/3:
			a.post(e.path+"/transitions", token, obj{"status": "archived"}).want(http.StatusOK)
			e.status = "archived"
			e.record("archive the period")
		}
	}
}

// record reads the period and its list as they are now, and when the last write committed.
func (e *editor) record(step string) {
	a := e.a
	period, _ := a.get(e.path, e.w.strangnas).ok()
	acts, next := a.get("/v1/activities?limit=200&promisePeriodId="+e.id, e.w.strangnas).items()
	if next != "" {
		a.t.Fatal("more activities than one page")
	}
	if acts == nil {
		acts = []obj{}
	}
	e.moments = append(e.moments, moment{at: latestInstant(a, e.w.admin), step: step, period: period, activities: acts,
		public: e.status != "draft"})
}
