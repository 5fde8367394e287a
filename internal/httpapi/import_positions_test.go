package httpapi_test

import (
	"net/http"
	"slices"
	"testing"
)

// positionsOf reads the Strängnäs 2024–2025 list as the current-promises answer orders it.
func positionsOf(a *api) (refs []string, positions []int) {
	var cur struct {
		Activities []struct {
			ExternalRef string `json:"externalRef"`
			Position    int    `json:"position"`
		} `json:"activities"`
	}
	a.get(currentPath, "").want(http.StatusOK).JSON(&cur)
	for _, act := range cur.Activities {
		refs, positions = append(refs, act.ExternalRef), append(positions, act.Position)
	}
	return refs, positions
}

func TestImportsPlaceRowsAtUniqueDensePositions(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		editor := a.token("editor", "0486")
		path := "/v1/imports/activities.csv?promisePeriodRef=strangnas-2024-2025"
		send := func(csv string) {
			t.Helper()
			a.do(http.MethodPost, path, editor, "ref;description\n"+csv, header{"Content-Type", "text/csv"}).want(http.StatusOK)
		}
		send("a-1;Ett\na-2;Två\na-3;Tre\na-4;Fyra\n")

		// A file of one new row adds it after the last.
		send("a-5;Fem\n")
		refs, positions := positionsOf(a)
		if want := []string{"a-1", "a-2", "a-3", "a-4", "a-5"}; !slices.Equal(refs, want) || !slices.Equal(positions, []int{1, 2, 3, 4, 5}) {
			t.Fatalf("after adding one row: %v at %v, want %v at 1–5", refs, positions, want)
		}

		// A file correcting one row and adding one leaves the others where they are.
		send("a-2;Två, rättad\na-6;Sex\n")
		refs, positions = positionsOf(a)
		if want := []string{"a-1", "a-2", "a-3", "a-4", "a-5", "a-6"}; !slices.Equal(refs, want) || !slices.Equal(positions, []int{1, 2, 3, 4, 5, 6}) {
			t.Fatalf("after a partial file: %v at %v, want %v at 1–6", refs, positions, want)
		}

		// A file naming every row is the list, in its order.
		send("a-6;Sex\na-5;Fem\na-4;Fyra\na-3;Tre\na-2;Två, rättad\na-1;Ett\n")
		refs, positions = positionsOf(a)
		if want := []string{"a-6", "a-5", "a-4", "a-3", "a-2", "a-1"}; !slices.Equal(refs, want) || !slices.Equal(positions, []int{1, 2, 3, 4, 5, 6}) {
			t.Fatalf("after the whole list reordered: %v at %v, want %v at 1–6", refs, positions, want)
		}
	})
}
