package httpapi

import (
	"context"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/internal/samverkan"
)

type principalKey struct{}

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
			if h == "" {
				return next(c)
			}
			scheme, token, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
				return samverkan.Errorf(samverkan.EUnauthorized, "The Authorization header must be \"Bearer <token>\".")
			}
			p, err := svc.Authenticate(c.Request().Context(), strings.TrimSpace(token))
			if err != nil {
				return err
			}
			c.SetRequest(c.Request().WithContext(context.WithValue(c.Request().Context(), principalKey{}, p)))
			return next(c)
		}
	}
}
