package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/internal/samverkan"
)

type principalKey struct{}

// invalidTokenKey marks a request whose credentials were presented and refused, so that the
// 401 says error="invalid_token" (RFC 6750) rather than only asking for credentials.
const invalidTokenKey = "samverkan.invalid_token"

func principalFrom(ctx context.Context) *samverkan.Principal {
	p, _ := ctx.Value(principalKey{}).(*samverkan.Principal)
	return p
}

// authenticate resolves a bearer token to its principal. A request without one is anonymous;
// a request with a malformed, unknown or revoked one is refused with 401 whatever it asks for,
// so that a client never mistakes a broken credential for anonymous access.
func authenticate(svc *samverkan.Service) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Request().Header.Get(echo.HeaderAuthorization)
			// Health checks, the contract and the docs page are for everyone, always.
			if h == "" || !strings.HasPrefix(c.Request().URL.Path, "/v1/") {
				return next(c)
			}
			scheme, token, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
				c.Set(invalidTokenKey, true)
				return samverkan.Errorf(samverkan.EUnauthorized, "The Authorization header must be \"Bearer <token>\".")
			}
			p, err := svc.Authenticate(c.Request().Context(), strings.TrimSpace(token))
			if err != nil {
				c.Set(invalidTokenKey, samverkan.ErrorCode(err) == samverkan.EUnauthorized)
				return err
			}
			c.SetRequest(c.Request().WithContext(context.WithValue(c.Request().Context(), principalKey{}, p)))
			return next(c)
		}
	}
}

// requireToken refuses an anonymous request to an operation that needs a token before
// anything reads its body: identity comes before any work a body costs. A body sent where
// no operation takes one (an unknown path, another method, a GET) is left unread.
func requireToken(ops operations) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			o := ops.of(c)
			if o != nil && o.needsToken && principalFrom(c.Request().Context()) == nil {
				return samverkan.Errorf(samverkan.EUnauthorized, "This operation needs a bearer token (Authorization: Bearer smv_…).")
			}
			if o == nil || o.op.RequestBody == nil {
				c.Request().Body = http.NoBody
			}
			return next(c)
		}
	}
}
