package httpapi

import (
	openapi_types "github.com/oapi-codegen/runtime/types"

	"context"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/samverkan"
)

func (h *Handler) ListDeletions(ctx context.Context, r api.ListDeletionsRequestObject) (api.ListDeletionsResponseObject, error) {
	q := r.Params
	f := samverkan.DeletionFilter{PageRequest: page(q.Limit, q.Cursor), Kind: string(q.Kind)}
	if !q.UpdatedSince.IsZero() {
		f.Since = &q.UpdatedSince
	}
	res, err := h.svc.ListDeletions(ctx, principalFrom(ctx), f)
	if err != nil {
		return nil, err
	}
	return api.ListDeletions200JSONResponse{NextCursor: res.NextCursor, Next: nextLink(ctx, res.NextCursor),
		Items: mapList(res.Items, func(d samverkan.Deletion) api.Deletion {
			return api.Deletion{Kind: api.RecordKind(d.Kind), Id: d.ID, MunicipalityCode: d.MunicipalityCode, DeletedAt: d.DeletedAt}
		})}, nil
}

func (h *Handler) GetActivityStats(ctx context.Context, r api.GetActivityStatsRequestObject) (api.GetActivityStatsResponseObject, error) {
	q := r.Params
	st, err := h.svc.ActivityStats(ctx, principalFrom(ctx), samverkan.StatsFilter{MunicipalityCode: q.Municipality, County: q.County,
		PoliceAreaID: q.PoliceArea, PromisePeriodID: idIn(q.PromisePeriodId), AgreementID: idIn(q.AgreementId), Year: q.Year})
	if err != nil {
		return nil, err
	}
	out := api.GetActivityStats200JSONResponse{Total: st.Total, WithoutPriorityArea: st.WithoutArea,
		ByStatus: map[string]int{}, ByResponsibleParty: map[string]int{}}
	for k, n := range st.ByStatus {
		out.ByStatus[string(k)] = n
	}
	for k, n := range st.ByResponsibleParty {
		name := string(k)
		if name == "" {
			name = "unspecified"
		}
		out.ByResponsibleParty[name] = n
	}
	out.ByPriorityArea = make([]struct {
		AgreementId    openapi_types.UUID `json:"agreementId"`
		Count          int                `json:"count"`
		PriorityAreaId openapi_types.UUID `json:"priorityAreaId"`
		Title          string             `json:"title"`
	}, len(st.ByPriorityArea))
	for i, c := range st.ByPriorityArea {
		out.ByPriorityArea[i].AgreementId, out.ByPriorityArea[i].PriorityAreaId = c.AgreementID, c.PriorityAreaID
		out.ByPriorityArea[i].Title, out.ByPriorityArea[i].Count = c.Title, c.Count
	}
	return out, nil
}
