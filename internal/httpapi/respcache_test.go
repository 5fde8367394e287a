package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestTheResponseCacheCountsReplacedAnswersOnce(t *testing.T) {
	rc := newResponseCache(1000)
	for range 5 { // two misses on one key store it twice; it must count once
		rc.put("tag", &cachedResponse{status: 200, body: make([]byte, 300)})
	}
	if bytes, entries := rc.len(); bytes != 300 || entries != 1 {
		t.Fatalf("%d bytes in %d entries, want 300 in 1", bytes, entries)
	}
	rc.put("other", &cachedResponse{status: 200, body: make([]byte, 800)})
	if bytes, entries := rc.len(); bytes != 800 || entries != 1 {
		t.Fatalf("over the bound: %d bytes in %d entries, want the newest alone", bytes, entries)
	}
}

func TestIfModifiedSinceComparesWholeSecondsAsLastModifiedIsSent(t *testing.T) {
	now := time.Date(2026, 11, 23, 16, 0, 0, 0, time.UTC)
	change := now.Add(-10*time.Second + 700*time.Millisecond) // 15:59:50.7, sent as 15:59:50
	cases := []struct {
		since string
		want  bool
	}{
		{"Mon, 23 Nov 2026 15:59:50 GMT", true}, // the Last-Modified the server sent
		{"Mon, 23 Nov 2026 15:59:51 GMT", true},
		{"Mon, 23 Nov 2026 15:59:49 GMT", false},
		{"Mon, 23 Nov 2026 15:59:00 GMT", false},
		{"Mon, 23 Nov 2026 16:00:30 GMT", false}, // in the future: not a date the server gave
		{"not a date", false},
	}
	for _, c := range cases {
		req := httptest.NewRequest(http.MethodGet, "/v1/agreements", nil)
		req.Header.Set("If-Modified-Since", c.since)
		if got := notModified(req, `W/"x"`, change, now); got != c.want {
			t.Errorf("If-Modified-Since %s: %v, want %v", c.since, got, c.want)
		}
	}
}
