package httpapi

import (
	"bytes"
	"net/http"
	"sync"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/labstack/echo/v4"
)

// responseCache keeps recent public answers by their ETag. The tag hashes the data version
// (which every committed write moves), the day and the request, so once a replica has read
// the version a write produced, it no longer finds answers from before that write. Eviction is least recently used, bounded
// by bytes so that memory stays predictable.
type responseCache struct {
	mu       sync.Mutex
	lru      *simplelru.LRU[string, *cachedResponse]
	bytes    int
	maxBytes int
}

type cachedResponse struct {
	status int
	header http.Header
	body   []byte
}

// maxCachedBody keeps one large answer from pushing many small ones out.
const maxCachedBody = 256 << 10

func newResponseCache(maxBytes int) *responseCache {
	rc := &responseCache{maxBytes: maxBytes}
	rc.lru, _ = simplelru.NewLRU[string, *cachedResponse](1<<16, func(_ string, r *cachedResponse) { rc.bytes -= len(r.body) })
	return rc
}

func (rc *responseCache) get(key string) (*cachedResponse, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.lru.Get(key)
}

func (rc *responseCache) put(key string, r *cachedResponse) {
	if len(r.body) > maxCachedBody {
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	// Adding a key that is there replaces it without the eviction callback: count it out here.
	if old, ok := rc.lru.Peek(key); ok {
		rc.bytes -= len(old.body)
	}
	rc.lru.Add(key, r)
	rc.bytes += len(r.body)
	for rc.bytes > rc.maxBytes && rc.lru.Len() > 0 {
		rc.lru.RemoveOldest()
	}
}

// cachedHeaders are the headers of an answer itself; transport headers (Content-Encoding,
// Content-Length, X-Request-Id) belong to each exchange and are not replayed, and neither are
// the validators httpCache sets on every answer (Last-Modified moves on with the clock).
var cachedHeaders = []string{echo.HeaderContentType, echo.HeaderContentDisposition, "Cache-Control", "Link"}

func answerHeaders(h http.Header) http.Header {
	out := http.Header{}
	for _, k := range cachedHeaders {
		if v := h.Values(k); len(v) > 0 {
			out[http.CanonicalHeaderKey(k)] = v // serve copies keys as they are: "ETag" would stand beside "Etag"
		}
	}
	return out
}

// serve writes a cached answer.
func (r *cachedResponse) serve(c echo.Context) error {
	h := c.Response().Header()
	for k, v := range r.header {
		h[k] = v
	}
	c.Response().WriteHeader(r.status)
	_, err := c.Response().Write(r.body)
	return err
}

// len reports the bytes and entries held, for tests.
func (rc *responseCache) len() (bytes, entries int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.bytes, rc.lru.Len()
}

// recorder copies what a handler writes, up to limit bytes (and one write beyond, so that
// an answer over the limit can be told apart), to keep it once the answer is complete.
type recorder struct {
	http.ResponseWriter
	buf   bytes.Buffer
	limit int
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.buf.Len() <= w.limit {
		w.buf.Write(b)
	}
	return w.ResponseWriter.Write(b)
}
