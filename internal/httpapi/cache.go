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

// Public reads are cached by validators derived from the data version: the newest entry of
// the change log, which every write moves in its own transaction. An answer's ETag hashes that
// version with the request and the Swedish day (phases and periods "in force" change at
// midnight without a write), so a revalidation costs one indexed lookup (or none, within
// versionTTL) and never builds the body.

// publicCacheControl lets shared caches keep public answers for a minute and serve them stale
// for five more while they revalidate.
const publicCacheControl = "public, max-age=60, stale-while-revalidate=300"

// responseCacheBytes bounds the memory of cached public answers.
const responseCacheBytes = 32 << 20

// versionTTL is how long a replica reuses the data version it read. A write on this replica
// is seen at once; one on another replica within this time.
const versionTTL = time.Second

type versionCache struct {
	svc     *samverkan.Service
	current atomic.Pointer[cachedVersion]
}

type cachedVersion struct {
	v       samverkan.DataVersion
	fetched time.Time
}

func (vc *versionCache) get(ctx context.Context) (samverkan.DataVersion, error) {
	if c := vc.current.Load(); c != nil && time.Since(c.fetched) < versionTTL {
		return c.v, nil
	}
	v, err := vc.svc.DataVersion(ctx)
	if err != nil {
		return v, err
	}
	vc.current.Store(&cachedVersion{v: v, fetched: time.Now()})
	return v, nil
}

func (vc *versionCache) invalidate() { vc.current.Store(nil) }

// httpCache answers conditional anonymous GETs with 304 and marks everything else: public
// answers as cacheable with their validators, answers given to credentials as private.
func httpCache(vc *versionCache, rc *responseCache, now func() time.Time) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			h := c.Response().Header()
			if req.Method != http.MethodGet {
				err := next(c)
				vc.invalidate() // this replica sees its own writes at once
				return err
			}
			if !strings.HasPrefix(req.URL.Path, "/v1/") {
				return next(c)
			}
			if principalFrom(req.Context()) != nil || req.URL.Path == "/v1/me" {
				c.Response().Before(func() { h.Set("Cache-Control", "private, no-store") })
				return next(c)
			}
			v, err := vc.get(req.Context())
			if err != nil {
				return err
			}
			t := now()
			tag := publicETag(v.Seq, samverkan.Day(t), req.URL.RequestURI(), req.Header.Get(echo.HeaderAccept))
			lastModified := v.At
			if start := samverkan.DayStart(t); start.After(lastModified) {
				lastModified = start
			}
			lastModified = lastModified.UTC().Truncate(time.Second)
			mark := func() {
				h.Set("Last-Modified", lastModified.Format(http.TimeFormat))
				h.Set("Cache-Control", publicCacheControl)
				h.Add("Vary", "Accept")
			}
			if notModified(req, tag, lastModified) {
				mark()
				h.Set("ETag", tag)
				return c.NoContent(http.StatusNotModified)
			}
			key := tag + " " + req.Header.Get("If-None-Match")
			if cached, ok := rc.get(key); ok {
				return cached.serve(c)
			}
			rec := &recorder{ResponseWriter: c.Response().Writer}
			c.Response().Writer = rec
			c.Response().After(func() {
				if res := c.Response(); res.Status == http.StatusOK && rec.buf.Len() <= maxCachedBody {
					rc.put(key, &cachedResponse{status: res.Status, header: answerHeaders(h), body: bytes.Clone(rec.buf.Bytes())})
				}
			})
			c.Response().Before(func() {
				res := c.Response()
				if res.Status >= 300 {
					return
				}
				mark()
				version := h.Get("ETag")
				if version == "" {
					h.Set("ETag", tag)
					return
				}
				// A single resource keeps its version ETag, the one If-Match takes. It is
				// answered 304 on that version unless its answer also depends on the day.
				if !dependsOnDay[c.Path()] && matchesETag(req.Header.Get("If-None-Match"), version) {
					res.Status = http.StatusNotModified
					res.Writer = headWriter{res.Writer}
				}
			})
			return next(c)
		}
	}
}

// dependsOnDay lists the single resources whose answer changes at midnight without a write
// (phase, inForce): their version alone does not validate a cached copy.
var dependsOnDay = map[string]bool{"/v1/agreements/:id": true, "/v1/promise-periods/:id": true}

// publicETag is weak because compression gives one answer several byte sequences; weak
// validators are what If-None-Match compares anyway.
func publicETag(seq int64, day time.Time, uri, accept string) string {
	sum := sha256.New()
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(seq))
	sum.Write(b[:])
	sum.Write([]byte(day.Format(time.DateOnly) + "\x00" + uri + "\x00" + accept))
	return `W/"` + hex.EncodeToString(sum.Sum(nil)[:12]) + `"`
}

// notModified applies RFC 9110: If-None-Match when present (weak comparison), else
// If-Modified-Since.
func notModified(req *http.Request, tag string, lastModified time.Time) bool {
	if inm := req.Header.Get("If-None-Match"); inm != "" {
		return matchesETag(inm, tag)
	}
	if ims := req.Header.Get("If-Modified-Since"); ims != "" {
		since, err := http.ParseTime(ims)
		return err == nil && !lastModified.After(since)
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
