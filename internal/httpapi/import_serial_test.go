package httpapi_test

import (
	"net/http"
	"testing"
)

// Imports come into a server one at a time, so two of the same new records sent at once are
// two imports in a row: the first creates them, the second finds them unchanged.
func TestImportsSentAtOnceRunOneAfterTheOther(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		admin := a.token("admin", "")
		doc := obj{"policeAreas": []any{obj{"id": "lpo-samtidig", "name": "Lokalpolisområde Samtidig"}},
			"municipalities": []any{obj{"code": "0488", "name": "Trosa kommun", "county": "Södermanlands län", "policeAreaId": "lpo-samtidig"}}}
		const racers = 4
		reqs := make([]*http.Request, racers)
		for i := range reqs {
			reqs[i] = a.jsonRequest(http.MethodPost, "/v1/imports", admin, doc)
		}
		created, unchanged := 0, 0
		for i, ans := range a.race(reqs) {
			if ans.err != nil || ans.status != http.StatusOK {
				t.Fatalf("import %d: status %d, %v: %v", i, ans.status, ans.err, ans.body)
			}
			created += int(ans.body["created"].(float64))
			unchanged += int(ans.body["unchanged"].(float64))
		}
		if created != 2 || unchanged != 2*(racers-1) {
			t.Fatalf("%d created and %d unchanged, want 2 created once and unchanged by the other %d", created, unchanged, racers-1)
		}
	})
}

func TestACompressedBodyIsAnUnsupportedMediaType(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		admin := a.token("admin", "")
		a.post("/v1/imports", admin, []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}, header{"Content-Encoding", "gzip"}).
			problem(http.StatusUnsupportedMediaType)
	})
}
