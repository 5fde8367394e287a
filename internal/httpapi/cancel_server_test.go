package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/testdb"
)

// A request cancelled by the server itself, not by its client, is the server's failure: a
// 503, whatever deadlines of ours wrapped the request's context on the way in.
func TestARequestTheServerCancelledIsNotAClientThatLeft(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPIWith(t, st, func(c *httpapi.Config) {
			c.Limits.RequestTimeout = time.Minute
			c.ReadYourWrites = func(ctx context.Context) context.Context {
				ctx, cancel := context.WithCancel(ctx)
				cancel() // as a part of the server that gave up would
				return ctx
			}
		})
		admin := a.token("admin", "")
		a.get("/v1/agreements", admin).problem(http.StatusServiceUnavailable)
	})
}
