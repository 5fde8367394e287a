package httpapi

import (
	"context"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/samverkan"
)

func (h *Handler) ListActivities(ctx context.Context, r api.ListActivitiesRequestObject) (api.ListActivitiesResponseObject, error) {
	q := r.Params
	res, err := h.svc.ListActivities(ctx, principalFrom(ctx), samverkan.ActivityFilter{PageRequest: sorted(q.Limit, q.Cursor, string(q.Sort)),
		SyncFilter:       syncFilter(q.County, q.UpdatedSince),
		MunicipalityCode: q.Municipality, PoliceAreaID: q.PoliceArea, AgreementID: idIn(q.AgreementId),
		PromisePeriodID: idIn(q.PromisePeriodId), PriorityAreaID: idIn(q.PriorityAreaId), Status: samverkan.ActivityStatus(q.Status),
		ResponsibleParty: samverkan.ResponsibleParty(q.ResponsibleParty), Year: q.Year})
	if err != nil {
		return nil, err
	}
	items := mapList(res.Items, func(a samverkan.Activity) api.Activity { return activityOut(&a) })
	if wantsCSV(ctx, string(q.Format)) {
		nextLink(ctx, res.NextCursor) // sent as the Link header: a CSV body has no place for it
		buf, err := activitiesCSV(items, string(q.Delimiter))
		if err != nil {
			return nil, err
		}
		return api.ListActivities200TextcsvResponse{Body: buf, ContentLength: int64(buf.Len())}, nil
	}
	return api.ListActivities200JSONResponse{Items: items, NextCursor: res.NextCursor, Next: nextLink(ctx, res.NextCursor)}, nil
}

func (h *Handler) CreateActivity(ctx context.Context, r api.CreateActivityRequestObject) (api.CreateActivityResponseObject, error) {
	a, err := h.svc.CreateActivity(ctx, principalFrom(ctx), activityIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateActivity201JSONResponse{Body: activityOut(a),
		Headers: api.CreateActivity201ResponseHeaders{ETag: etag(a.Version), Location: "/v1/activities/" + a.ID.String()}}, nil
}

func (h *Handler) GetActivity(ctx context.Context, r api.GetActivityRequestObject) (api.GetActivityResponseObject, error) {
	get := h.svc.Activity
	if r.Params.AsOf != nil {
		at := *r.Params.AsOf
		get = func(ctx context.Context, p *samverkan.Principal, id uuid.UUID) (*samverkan.Activity, error) {
			return h.svc.ActivityAt(ctx, p, id, at)
		}
	}
	a, err := get(ctx, principalFrom(ctx), r.Id)
	if err != nil {
		return nil, err
	}
	return api.GetActivity200JSONResponse{Body: activityOut(a), Headers: api.GetActivity200ResponseHeaders{ETag: etag(a.Version)}}, nil
}

func (h *Handler) UpdateActivity(ctx context.Context, r api.UpdateActivityRequestObject) (api.UpdateActivityResponseObject, error) {
	v, err := ifMatch(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	a, err := h.svc.UpdateActivity(ctx, principalFrom(ctx), r.Id, v, activityIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.UpdateActivity200JSONResponse{Body: activityOut(a), Headers: api.UpdateActivity200ResponseHeaders{ETag: etag(a.Version)}}, nil
}

func (h *Handler) DeleteActivity(ctx context.Context, r api.DeleteActivityRequestObject) (api.DeleteActivityResponseObject, error) {
	return api.DeleteActivity204Response{}, h.delete(ctx, r.Params.IfMatch, r.Id, h.svc.DeleteActivity)
}
