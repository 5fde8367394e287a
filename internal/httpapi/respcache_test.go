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

func TestLastModifiedIsASecondEarlyWhileTheSecondOfTheChangeMayNotBeOver(t *testing.T) {
	change := time.Date(2026, 11, 23, 15, 59, 50, 700_000_000, time.UTC)
	for _, c := range []struct {
		now  time.Time
		want time.Time
	}{
		{change.Add(100 * time.Millisecond), change.Truncate(time.Second).Add(-time.Second)},
		{change.Add(1200 * time.Millisecond), change.Truncate(time.Second).Add(-time.Second)},
		{change.Add(1400 * time.Millisecond), change.Truncate(time.Second)}, // 15:59:52.1: two seconds after 15:59:50
		{change.Add(time.Hour), change.Truncate(time.Second)},
	} {
		if got := announced(change, c.now); !got.Equal(c.want) {
			t.Errorf("at %s: Last-Modified %s, want %s", c.now.Format(time.StampMilli), got.Format(time.TimeOnly), c.want.Format(time.TimeOnly))
		}
		// A client holding the answer, revalidating after a second change in the same second,
		// is never told its copy is current.
		since, _ := http.ParseTime(announced(change, c.now).Format(http.TimeFormat))
		second := change.Add(200 * time.Millisecond)
		if c.now.Before(second) {
			req := httptest.NewRequest(http.MethodGet, "/v1/agreements", nil)
			req.Header.Set("If-Modified-Since", since.Format(http.TimeFormat))
			if notModified(req, `W/"x"`, second, second.Add(time.Second)) {
				t.Errorf("a copy from %s hides a change at %s", c.now.Format(time.StampMilli), second.Format(time.StampMilli))
			}
		}
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
