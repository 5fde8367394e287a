package httpapi_test

import (
	"net/http"
	"testing"
)

// A forbidden address is refused at registration in every form a browser's URL parser reads
// as it: shortened, decimal, hexadecimal and octal IPv4 numbers, zero-padded parts, and host
// names that IDNA maps onto localhost or onto an address (fullwidth and circled letters and
// digits, ideographic full stops). So are hosts a URL parser refuses. Updates are held to the
// same rule.
func TestWebhookRegistrationRefusesEveryFormOfAForbiddenAddress(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		body := obj{"url": "https://www.strangnas.se/samverkan", "eventTypes": []string{"promise_period.published"}}
		for _, host := range []string{
			"127.1", "0", "2130706433", "0x7f000001", "0177.0.0.1", "017700000001",
			"2852039166", // 169.254.169.254
			"127.000.000.001", "ⓛⓞⓒⓐⓛⓗⓞⓢⓣ", "127。0。0。1", "１２７.０.０.１",
			// and some more of the kind
			"0x7f.1", "0X7F.0.0.1", "0xa9fea9fe", "127.0.0.1.", "10.0x10.1", "0300.0250.0.1", "0.0.0.0",
			"ｌｏｃａｌｈｏｓｔ", "LOCALHOST.", "hooks.localhost", "hooks.ⓛⓞⓒⓐⓛⓗⓞⓢⓣ", "[::ffff:7f00:1]", "[::ffff:127.0.0.1]",
			"１２７．０．０．１", "127｡0｡0｡1", "②①③⓪⑦⓪⑥④③③", // 2130706433 in circled digits
			// not hosts at all to a URL parser
			"1.2.3.4.5", "256.0.0.1", "0x100000000", "4294967296", "example.09", "www.0x", "a<b.example", "[fe80::1%25eth0]",
			// a public address on no port
			"1.1.1.1:0",
		} {
			url := "https://" + host + "/samverkan"
			a.post("/v1/webhooks", w.strangnas, with(body, "url", url)).problem(http.StatusBadRequest, "/url")
		}

		hook, tag := a.post("/v1/webhooks", w.strangnas, body).created()
		a.put("/v1/webhooks/"+id(hook), w.strangnas, tag, with(body, "url", "https://0x7f000001/samverkan")).problem(http.StatusBadRequest, "/url")
		a.put("/v1/webhooks/"+id(hook), w.strangnas, tag, with(body, "url", "https://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/samverkan")).problem(http.StatusBadRequest, "/url")
	})
}

// Public hosts pass, and the URL is kept in the form a browser connects to: the ASCII form of
// an international name, an address in its dotted form, no default port.
func TestWebhookRegistrationKeepsPublicHostsInCanonicalForm(t *testing.T) {
	t.Parallel()
	eachAPI(t, func(t *testing.T, a *api) {
		w := a.world()
		for given, stored := range map[string]string{
			"https://example.org/hook":                  "https://example.org/hook",
			"https://xn--rebro-jua.se/":                 "https://xn--rebro-jua.se/",
			"https://örebro.se/hook":                    "https://xn--rebro-iua.se/hook",
			"https://ÖREBRO.se/hook?kommun=1880":        "https://xn--rebro-iua.se/hook?kommun=1880",
			"https://[2a00:1450:4001::1]/hook":          "https://[2a00:1450:4001::1]/hook",
			"https://[2A00:1450:4001:0:0:0:0:1]:8443/x": "https://[2a00:1450:4001::1]:8443/x",
			"https://WWW.Strangnas.SE:443/samverkan":    "https://www.strangnas.se/samverkan",
			"https://193.180.251.200/samverkan":         "https://193.180.251.200/samverkan",
			"https://0xc1b4fbc8/samverkan":              "https://193.180.251.200/samverkan",
			"https://ｗｗｗ。ｓｔｒａｎｇｎａｓ。ｓｅ/samverkan":        "https://www.strangnas.se/samverkan",
		} {
			hook, _ := a.post("/v1/webhooks", w.strangnas, obj{"url": given, "eventTypes": []string{"promise_period.published"}}).created()
			if hook["url"] != stored {
				t.Errorf("%s is kept as %v, want %s", given, hook["url"], stored)
			}
			got, _ := a.get("/v1/webhooks/"+id(hook), w.strangnas).ok()
			if got["url"] != stored {
				t.Errorf("%s reads back as %v, want %s", given, got["url"], stored)
			}
		}
	})
}
