package webhook_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/webhook"
)

// A webhook pointed at the server's own network is refused when it connects, whatever the
// URL's host name resolves to.
func TestTheSafeClientDoesNotConnectToLoopback(t *testing.T) {
	hit := false
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hit = true }))
	defer srv.Close()
	for _, url := range []string{srv.URL, strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)} {
		_, err := webhook.SafeClient().Post(url, "application/json", strings.NewReader("{}"))
		if !errors.Is(err, webhook.ErrNonPublicAddress) {
			t.Errorf("POST %s: %v, want the non-public address refused", url, err)
		}
	}
	if hit {
		t.Error("the request reached the loopback server")
	}
	if _, err := webhook.InsecureClient().Post(srv.URL, "application/json", strings.NewReader("{}")); err != nil || !hit {
		t.Errorf("the development client reaches loopback: %v", err)
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }))
	defer target.Close()
	redirect := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusTemporaryRedirect))
	defer redirect.Close()
	res, err := webhook.InsecureClient().Post(redirect.URL, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusTemporaryRedirect {
		t.Errorf("status %d: a redirect was followed", res.StatusCode)
	}
}
