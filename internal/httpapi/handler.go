package httpapi

import (
	"context"
	"time"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/metrics"
	"github.com/samverkan/samverkan/internal/samverkan"
)

// Handler implements the generated strict server interface. Each method decodes nothing
// itself (the generated code and the contract validator have done that), calls one use case
// and maps its result; errors go back to echo's error handler, the one place that writes
// problems.
type Handler struct {
	svc      *samverkan.Service
	metrics  *metrics.Metrics
	draining func() bool
}

var _ api.StrictServerInterface = (*Handler)(nil)

func (h *Handler) GetHealth(ctx context.Context, _ api.GetHealthRequestObject) (api.GetHealthResponseObject, error) {
	return api.GetHealth200JSONResponse{Status: api.Ok}, nil
}

func (h *Handler) GetReadiness(ctx context.Context, _ api.GetReadinessRequestObject) (api.GetReadinessResponseObject, error) {
	if h.draining != nil && h.draining() {
		return nil, samverkan.Errorf(samverkan.EUnavailable, "The server is shutting down; requests go to the other replicas.")
	}
	if err := h.svc.Ready(ctx); err != nil {
		return nil, &samverkan.Error{Code: samverkan.EUnavailable, Message: "The database cannot be reached.", Err: err}
	}
	return api.GetReadiness200JSONResponse{Status: api.Ok}, nil
}

func (h *Handler) GetMe(ctx context.Context, _ api.GetMeRequestObject) (api.GetMeResponseObject, error) {
	p := principalFrom(ctx)
	out := api.GetMe200JSONResponse{TokenName: p.TokenName, Role: api.Role(p.Role)}
	if p.OrgType != "" {
		out.Organization = api.OrganizationRef{Type: api.OrganizationRefType(p.OrgType), Id: p.OrgID}
	}
	return out, nil
}

func page(limit int, cursor string) samverkan.PageRequest {
	return samverkan.PageRequest{Limit: limit, Cursor: cursor}
}

// sorted is a page request in one of a list's documented orders.
func sorted(limit int, cursor string, sort string) samverkan.PageRequest {
	return samverkan.PageRequest{Limit: limit, Cursor: cursor, Sort: sort}
}

func syncFilter(county string, updatedSince time.Time) samverkan.SyncFilter {
	return samverkan.SyncFilter{County: county, UpdatedSince: since(updatedSince)}
}

// since is an optional instant: the zero time means none was given.
func since(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
