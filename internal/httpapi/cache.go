package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// Anonymous reads are validated by the data version: a counter that every writing
// transaction moves in commit order (migration 00004). An answer's ETag hashes that version,
// the database's epoch, the Swedish day (phases and periods "in force" change at midnight
// without a write) and the request, so revalidating costs one indexed lookup (or none, within
// versionTTL) and never builds the body, and a repeated request is served from the response
// cache. Answers given to a token are private and built afresh: they carry the resource's
// version as ETag, the one If-Match takes. Anonymous callers cannot write, so they need no
// version ETag.

// publicCacheControl lets shared caches keep public answers for a minute and serve them stale
// for five more while they revalidate.
const publicCacheControl = "public, max-age=60, stale-while-revalidate=300"

// responseCacheBytes bounds the memory of cached public answers.
const responseCacheBytes = 32 << 20

// versionTTL is how long a replica reuses the data version it read. A write on this replica
// is seen by its next request; one on another replica within this time.
const versionTTL = time.Second

type versionCache struct {
	svc        *samverkan.Service
	current    atomic.Pointer[cachedVersion]
	generation atomic.Uint64 // moves on every local write, so a read begun before it is not kept
}

type cachedVersion struct {
	v       samverkan.DataVersion
	fetched time.Time
}

func (vc *versionCache) get(ctx context.Context) (samverkan.DataVersion, error) {
	if c := vc.current.Load(); c != nil && time.Since(c.fetched) < versionTTL {
		return c.v, nil
	}
	gen := vc.generation.Load()
	// At most once a second, so its own deadline costs little: anonymous reads get the
	// request's only after the response cache (see deadline).
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	v, err := vc.svc.DataVersion(ctx)
	if err != nil {
		return v, err
	}
	if vc.generation.Load() == gen {
		vc.current.Store(&cachedVersion{v: v, fetched: time.Now()})
	}
	return v, nil
}

func (vc *versionCache) invalidate() {
	vc.generation.Add(1)
	vc.current.Store(nil)
}

// httpCache answers conditional anonymous GETs with 304, serves repeated ones from the
// response cache, and marks every /v1 answer as public or private.
func httpCache(vc *versionCache, rc *responseCache, now func() time.Time) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			h := c.Response().Header()
			if req.Method != http.MethodGet {
				err := next(c)
				if err == nil && c.Response().Status < 400 {
					vc.invalidate() // this replica sees its own writes at once
				}
				return err
			}
			if !strings.HasPrefix(req.URL.Path, "/v1/") {
				return next(c)
			}
			// The same URL answers differently with a token: caches must key on it.
			h.Add("Vary", "Authorization")
			if principalFrom(req.Context()) != nil || req.URL.Path == "/v1/me" {
				c.Response().Before(func() { h.Set("Cache-Control", "private, no-store") })
				return next(c)
			}
			v, err := vc.get(req.Context())
			if err != nil {
				return err
			}
			t := now()
			csv := wantsCSV(context.WithValue(req.Context(), requestInfoKey{}, &requestInfo{url: req.URL, accept: req.Header.Get(echo.HeaderAccept)}),
				req.URL.Query().Get("format"))
			tag := publicETag(v, samverkan.Day(t), req.URL.RequestURI(), csv)
			lastModified := v.At
			if start := samverkan.DayStart(t); start.After(lastModified) {
				lastModified = start
			}
			mark := func() {
				h.Set("ETag", tag)
				h.Set("Last-Modified", announced(lastModified, time.Now()).Format(http.TimeFormat))
				h.Set("Cache-Control", publicCacheControl)
				h.Add("Vary", "Accept")
			}
			if notModified(req, tag, lastModified, time.Now()) {
				mark()
				return c.NoContent(http.StatusNotModified)
			}
			if cached, ok := rc.get(tag); ok {
				mark()
				return cached.serve(c)
			}
			rec := &recorder{ResponseWriter: c.Response().Writer, limit: maxCachedBody}
			c.Response().Writer = rec
			c.Response().Before(func() {
				if c.Response().Status < 300 {
					mark()
				}
			})
			c.Response().After(func() {
				if res := c.Response(); res.Status == http.StatusOK && rec.buf.Len() <= maxCachedBody {
					rc.put(tag, &cachedResponse{status: res.Status, header: answerHeaders(h), body: bytes.Clone(rec.buf.Bytes())})
				}
			})
			return next(c)
		}
	}
}

// publicETag is weak because compression gives one answer several byte sequences; weak
// validators are what If-None-Match compares anyway.
func publicETag(v samverkan.DataVersion, day time.Time, uri string, csv bool) string {
	sum := sha256.New()
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(v.Seq))
	sum.Write(b[:])
	format := "json"
	if csv {
		format = "csv"
	}
	sum.Write([]byte(v.Epoch + "\x00" + day.Format(time.DateOnly) + "\x00" + format + "\x00" + uri))
	return `W/"` + hex.EncodeToString(sum.Sum(nil)[:12]) + `"`
}

// announced is the Last-Modified an answer carries for a last change at lastModified: its
// whole second, or, while that second may not be over (within two seconds of it, which allows
// for the database's clock and ours to differ by one), the second before. A client holding an
// answer from within the second of a change could otherwise miss a second change in that same
// second, which If-Modified-Since cannot tell from the first; a Last-Modified one second early
// only costs that client a full answer instead of a 304.
func announced(lastModified, now time.Time) time.Time {
	s := lastModified.UTC().Truncate(time.Second)
	if now.Before(s.Add(2 * time.Second)) {
		return s.Add(-time.Second)
	}
	return s
}

// notModified applies RFC 9110: If-None-Match when present (weak comparison), else
// If-Modified-Since, compared as net/http's ServeContent does: Last-Modified is sent in whole
// seconds, so the last change counts truncated to its second, and a client that sends back
// the Last-Modified it was given is answered 304 until the data changes (announced keeps a
// second change within the same second from hiding behind the first). A date in the future
// is no date.
func notModified(req *http.Request, tag string, lastModified, now time.Time) bool {
	if inm := req.Header.Get("If-None-Match"); inm != "" {
		return matchesETag(inm, tag)
	}
	if ims := req.Header.Get("If-Modified-Since"); ims != "" {
		since, err := http.ParseTime(ims)
		return err == nil && !since.After(now) && !lastModified.Truncate(time.Second).After(since)
	}
	return false
}

// matchesETag compares an If-None-Match list with a tag, weakly.
func matchesETag(ifNoneMatch, tag string) bool {
	for _, candidate := range strings.Split(ifNoneMatch, ",") {
		candidate = strings.TrimSpace(candidate)
		if candidate == "*" || (candidate != "" && strings.TrimPrefix(candidate, "W/") == strings.TrimPrefix(tag, "W/")) {
			return true
		}
	}
	return false
}
