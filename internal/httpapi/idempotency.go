package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// maxReplayedBody bounds the answer kept for a key: an import report of a national file is
// about 2 MB.
const maxReplayedBody = 8 << 20

// idempotency replays the first answer to a request sent again with the same
// Idempotency-Key, so that a client that lost the answer (a timeout, a dropped connection)
// can retry an import without importing twice. It runs after authentication and contract
// validation, so only valid requests of known tokens claim keys, and it keeps only
// successful answers: a refused request may simply be sent again.
func idempotency(svc *samverkan.Service) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			key := req.Header.Get("Idempotency-Key")
			p := principalFrom(req.Context())
			if key == "" || req.Method != http.MethodPost || p == nil {
				return next(c)
			}
			body, err := io.ReadAll(req.Body)
			if err != nil {
				return err
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
			sum := sha256.New()
			sum.Write([]byte(req.Method + " " + req.URL.RequestURI() + "\n"))
			sum.Write(body)
			prior, err := svc.ClaimIdempotencyKey(req.Context(), p, key, sum.Sum(nil))
			if err != nil {
				return err
			}
			if prior != nil {
				c.Response().Header().Set("Idempotent-Replayed", "true")
				return c.JSONBlob(prior.Status, prior.Body)
			}
			// Keeping or releasing the key must happen even when the client has gone: that is
			// the very case the key exists for. Hence a context that outlives the request, and
			// a release that also runs when the handler panics.
			keep := context.WithoutCancel(req.Context())
			done := false
			defer func() {
				if !done {
					_ = svc.ReleaseIdempotencyKey(keep, p, key)
				}
			}()
			rec := &recorder{ResponseWriter: c.Response().Writer, limit: maxReplayedBody}
			c.Response().Writer = rec
			err = next(c)
			if status := c.Response().Status; err == nil && status < 300 && rec.buf.Len() <= maxReplayedBody {
				done = true
				return svc.CompleteIdempotencyKey(keep, p, key, status, rec.buf.Bytes())
			}
			return err
		}
	}
}
