package webhook_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/internal/webhook"
)

func TestOnlyPublicAddressesAreWebhookTargets(t *testing.T) {
	for addr, public := range map[string]bool{
		"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false, "169.254.169.254": false,
		"100.64.0.1": false, "0.0.0.0": false, "224.0.0.1": false, "255.255.255.255": false, "198.18.0.1": false,
		"::1": false, "fe80::1": false, "fc00::1": false, "::ffff:127.0.0.1": false, "64:ff9b::a00:1": false,
		"64:ff9b:1::a00:1": false, "2002:a00:1::1": false, "2001:0:a00:1::1": false, "::7f00:1": false, "fec0::1": false,
		"193.180.251.200": true, "2a00:1450:4001::1": true, "8.8.8.8": true,
	} {
		if got := webhook.Public(netip.MustParseAddr(addr)); got != public {
			t.Errorf("%s public: %v, want %v", addr, got, public)
		}
	}
}

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
