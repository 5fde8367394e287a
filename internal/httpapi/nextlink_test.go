package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestNextLinksRepeatTheRequestAsSentWithTheNewCursor(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		a.withDemo()
		for _, path := range []string{"/v1/activities?limit=2", "/v1/activities?limit=2&format=csv&delimiter=semicolon"} {
			res := a.get(path, "").want(http.StatusOK)
			link := res.Header.Get("Link")
			if link == "" {
				t.Fatalf("%s: no next link", path)
			}
			if strings.Count(link, "delimiter=") != strings.Count(path, "delimiter=") {
				t.Errorf("%s: the next link %s adds or drops a delimiter", path, link)
			}
			if !strings.Contains(link, "limit=2") || !strings.Contains(link, "cursor=") {
				t.Errorf("%s: the next link %s is not the same request with a cursor", path, link)
			}
		}
		var page struct{ Next string }
		a.get("/v1/activities?limit=2", "").JSON(&page)
		if strings.Contains(page.Next, "delimiter") || strings.Contains(page.Next, "dryRun") {
			t.Errorf("the JSON next link %q names parameters the caller never sent", page.Next)
		}
	})
}
