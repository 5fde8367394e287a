package httpapi_test

import (
	"net/http"
	"testing"
)

func TestCurrentPromisesOfStrangnasAreThe2024To2025OnesMarkedNotInForce(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		var cur struct {
			InForce       bool   `json:"inForce"`
			AsOf          string `json:"asOf"`
			PromisePeriod struct {
				Title     string `json:"title"`
				StartYear int    `json:"startYear"`
				EndYear   int    `json:"endYear"`
				Promises  []struct {
					Position int    `json:"position"`
					Text     string `json:"text"`
				} `json:"promises"`
			} `json:"promisePeriod"`
			PriorityAreas []struct{ Title string } `json:"priorityAreas"`
		}
		res := a.get("/v1/municipalities/0486/promise-periods/current", "").want(http.StatusOK)
		res.JSON(&cur)
		if cur.InForce {
			t.Error("2024–2025 is not in force on 2026-11-23, but inForce is true")
		}
		if cur.AsOf != "2026-11-23" {
			t.Errorf("asOf %q", cur.AsOf)
		}
		if cur.PromisePeriod.StartYear != 2024 || cur.PromisePeriod.EndYear != 2025 {
			t.Fatalf("period %d–%d, want 2024–2025", cur.PromisePeriod.StartYear, cur.PromisePeriod.EndYear)
		}
		if len(cur.PromisePeriod.Promises) != 6 {
			t.Fatalf("%d promises, want the six of the seed", len(cur.PromisePeriod.Promises))
		}
		first := "Arbeta för att upprätthålla och successivt öka förtroendet för Polismyndigheten och Strängnäs kommun genom att uppmuntra medborgarnas delaktighet."
		if cur.PromisePeriod.Promises[0].Text != first || cur.PromisePeriod.Promises[0].Position != 1 {
			t.Errorf("first promise %+v", cur.PromisePeriod.Promises[0])
		}
		if len(cur.PriorityAreas) != 6 {
			t.Errorf("%d priority areas of the implemented agreement, want 6", len(cur.PriorityAreas))
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("content type %q", ct)
		}
	})
}

func TestCurrentPromisesOfAMunicipalityWithoutPublishedPeriodsIsNotFound(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		a.get("/v1/municipalities/0484/promise-periods/current", "").problem(http.StatusNotFound)
		a.get("/v1/municipalities/9999/promise-periods/current", "").problem(http.StatusNotFound)
		a.get("/v1/municipalities/48/promise-periods/current", "").problem(http.StatusBadRequest, "code")
	})
}

func TestDemoDataIsLoadedOnceAndReloadingChangesNothing(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		admin := a.token("admin", "")
		var before map[string]any
		a.get("/v1/agreements?municipality=0486", "").want(http.StatusOK).JSON(&before)
		a.withDemo()
		var after map[string]any
		a.get("/v1/agreements?municipality=0486", "").want(http.StatusOK).JSON(&after)
		if len(before["items"].([]any)) != 1 || before["items"].([]any)[0].(map[string]any)["version"] != after["items"].([]any)[0].(map[string]any)["version"] {
			t.Fatalf("reloading changed the agreement:\nbefore %v\nafter  %v", before, after)
		}
		var acts struct{ Items []map[string]any }
		a.get("/v1/activities?municipality=0486&limit=200", admin).want(http.StatusOK).JSON(&acts)
		if len(acts.Items) != 21+5 {
			t.Errorf("%d activities, want the 21 of the action plan and the 5 of 2022–2023", len(acts.Items))
		}
	})
}
