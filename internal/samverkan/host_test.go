package samverkan_test

import (
	"errors"
	"testing"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// Hosts are read as a browser's URL parser reads them (the WHATWG URL Standard's host
// parser): the numeric IPv4 forms and IDNA's mappings give the host a browser connects to.
func TestHostsAreParsedAsABrowserParsesThem(t *testing.T) {
	for in, want := range map[string]string{
		// the numeric IPv4 forms
		"127.1": "127.0.0.1", "0": "0.0.0.0", "2130706433": "127.0.0.1", "0x7f000001": "127.0.0.1",
		"0177.0.0.1": "127.0.0.1", "017700000001": "127.0.0.1", "2852039166": "169.254.169.254",
		"127.000.000.001": "127.0.0.1", "0x7f.1": "127.0.0.1", "0X7F.0.0.1": "127.0.0.1", "127.0.0.1.": "127.0.0.1",
		"10.0x10.1": "10.16.0.1", "192.168.257": "192.168.1.1", "0x": "0.0.0.0", "1.0x": "1.0.0.0", "00": "0.0.0.0",
		"4294967295": "255.255.255.255", "0xffffffff": "255.255.255.255", "037777777777": "255.255.255.255",
		"0xc1b4fbc8": "193.180.251.200", "8.8.8.8": "8.8.8.8",
		// IDNA: width, case, compatibility forms, the full stops
		"ⓛⓞⓒⓐⓛⓗⓞⓢⓣ": "localhost", "ｌｏｃａｌｈｏｓｔ": "localhost", "LocalHost": "localhost",
		"127。0。0。1": "127.0.0.1", "１２７.０.０.１": "127.0.0.1", "１２７．０．０．１": "127.0.0.1", "127｡0｡0｡1": "127.0.0.1",
		"②①③⓪⑦⓪⑥④③③": "127.0.0.1", "０ｘ７ｆ０００００１": "127.0.0.1",
		"örebro.se": "xn--rebro-iua.se", "ÖREBRO.SE": "xn--rebro-iua.se", "xn--rebro-iua.se": "xn--rebro-iua.se",
		"xn--rebro-jua.se": "xn--rebro-jua.se", "faß.de": "xn--fa-hia.de", "Example.ORG": "example.org",
		"r3---sn-apo3qvuoxuxbt-j5pe.googlevideo.com": "r3---sn-apo3qvuoxuxbt-j5pe.googlevideo.com",
		"a_b.example": "a_b.example", "1.2.3.4.example": "1.2.3.4.example", "example.0x1g": "example.0x1g",
		"exa\u00admple.org": "example.org", // the soft hyphen is mapped out
		// IPv6 literals
		"[::1]": "[::1]", "[2A00:1450:4001:0:0:0:0:1]": "[2a00:1450:4001::1]", "[::ffff:127.0.0.1]": "[::ffff:127.0.0.1]",
	} {
		h, err := samverkan.ParseHost(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
		} else if h.String() != want {
			t.Errorf("%q is %q, want %q", in, h.String(), want)
		}
	}
}

func TestHostsAURLParserRefusesAreRefused(t *testing.T) {
	for _, in := range []string{
		"", "1.2.3.4.5", "256.0.0.1", "1.256.0.1", "1.2.65536", "1.16777216", "4294967296", "0x100000000",
		"99999999999999999999999", "0x10000000000000000000", "08", "0.09", "example.09", "www.0x", "1..2",
		"a<b.example", "a b.example", "a%b.example", "a\x00b", "a\\b", "ab|c", "a＜b.example", "a／b", "\u2024",
		"xn--a.example", "xn--rebro-jua-.se\u200d", "a\u200db.example", "\u05d0a.example",
		"[::1", "[1.2.3.4]", "[fe80::1%eth0]", "[::1]x", "[example.org]",
	} {
		if h, err := samverkan.ParseHost(in); !errors.Is(err, samverkan.ErrInvalidHost) {
			t.Errorf("%q is taken as %q (%v)", in, h.String(), err)
		}
	}
}

func TestLocalhostAndNonPublicAddressesInEveryFormAreLocal(t *testing.T) {
	for in, local := range map[string]bool{
		"127.1": true, "0": true, "2130706433": true, "0x7f000001": true, "0177.0.0.1": true, "017700000001": true,
		"2852039166": true, "127.000.000.001": true, "ⓛⓞⓒⓐⓛⓗⓞⓢⓣ": true, "127。0。0。1": true, "１２７.０.０.１": true,
		"localhost.": true, "localhost..": true, "hooks.localhost": true, "hooks.ⓛⓞⓒⓐⓛⓗⓞⓢⓣ.": true, "0xa9fea9fe": true,
		"0300.0250.0.1": true, "10.0x10.1": true, "[::ffff:7f00:1]": true, "[fe80::1]": true, "[::]": true,
		"example.org": false, "örebro.se": false, "localhost.example.org": false, "notlocalhost": false,
		"0xc1b4fbc8": false, "8.8.8.8": false, "[2a00:1450:4001::1]": false,
	} {
		h, err := samverkan.ParseHost(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if h.Local() != local {
			t.Errorf("%q (%s) local: %v, want %v", in, h, h.Local(), local)
		}
	}
}

// Validation refuses every form of a forbidden host, naming the url, and keeps the URL in the
// form a browser connects to.
func TestWebhookURLsAreCheckedAndKeptInCanonicalForm(t *testing.T) {
	for given, want := range map[string]string{
		"https://127.1/hook": "", "https://0/hook": "", "https://2130706433/hook": "", "https://0x7f000001/hook": "",
		"https://0177.0.0.1/hook": "", "https://017700000001/hook": "", "https://2852039166/latest": "",
		"https://127.000.000.001/hook": "", "https://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/hook": "", "https://127。0。0。1/hook": "",
		"https://１２７.０.０.１/hook": "", "https://[::1]:8443/": "", "https://1.2.3.4.5/": "", "https://a＜b.example/": "",
		"https://example.org:99999/": "", "https://a｛b.example/": "", "http://example.org/": "",
		"https://example.org/hook":       "https://example.org/hook",
		"https://xn--rebro-jua.se/":      "https://xn--rebro-jua.se/",
		"https://örebro.se/hook":         "https://xn--rebro-iua.se/hook",
		"https://[2a00:1450:4001::1]/h":  "https://[2a00:1450:4001::1]/h",
		"https://Example.ORG:443/h?a=1":  "https://example.org/h?a=1",
		"https://example.org:08443/h":    "https://example.org:8443/h",
		"https://example.org:/h":         "https://example.org/h",
		"https://0xc1b4fbc8/h":           "https://193.180.251.200/h",
		"https://example.org/ö?kommun=ö": "https://example.org/%C3%B6?kommun=ö",
		"https://example.org/a%2Fb/":     "https://example.org/a%2Fb/",
		"https://ｅｘａｍｐｌｅ。ｏｒｇ/hook":       "https://example.org/hook",
	} {
		w := samverkan.Webhook{URL: given, EventTypes: []string{"*"}}
		err := w.Validate(false)
		if want == "" {
			if !namesURL(err) {
				t.Errorf("%s is taken as %s (%v)", given, w.URL, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", given, err)
		} else if w.URL != want {
			t.Errorf("%s is kept as %s, want %s", given, w.URL, want)
		}
	}
	// A development server sends to its own machine, still in canonical form.
	w := samverkan.Webhook{URL: "http://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ:8080/hook", EventTypes: []string{"*"}}
	if err := w.Validate(true); err != nil || w.URL != "http://localhost:8080/hook" {
		t.Errorf("in development: %s, %v", w.URL, err)
	}
}

func namesURL(err error) bool {
	var e *samverkan.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, p := range e.Fields {
		if p.Pointer == "/url" {
			return e.Code == samverkan.EInvalid
		}
	}
	return false
}
