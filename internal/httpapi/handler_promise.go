package httpapi

import (
	"context"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/samverkan"
)

func (h *Handler) ListPromisePeriods(ctx context.Context, r api.ListPromisePeriodsRequestObject) (api.ListPromisePeriodsResponseObject, error) {
	q := r.Params
	res, err := h.svc.ListPromisePeriods(ctx, principalFrom(ctx), samverkan.PromisePeriodFilter{PageRequest: sorted(q.Limit, q.Cursor, string(q.Sort)),
		SyncFilter:       syncFilter(q.County, q.UpdatedSince),
		MunicipalityCode: q.Municipality, PoliceAreaID: q.PoliceArea, AgreementID: idIn(q.AgreementId),
		Status: samverkan.PublicationStatus(q.Status), Year: q.Year})
	if err != nil {
		return nil, err
	}
	now := h.svc.Now()
	items := mapList(res.Items, func(p samverkan.PromisePeriod) api.PromisePeriod { return promisePeriodOut(&p, now) })
	if wantsCSV(ctx, string(q.Format)) {
		nextLink(ctx, res.NextCursor) // sent as the Link header: a CSV body has no place for it
		buf, err := promisePeriodsCSV(items, string(q.Delimiter))
		if err != nil {
			return nil, err
		}
		return api.ListPromisePeriods200TextcsvResponse{Body: buf, ContentLength: int64(buf.Len())}, nil
	}
	return api.ListPromisePeriods200JSONResponse{Items: items, NextCursor: res.NextCursor, Next: nextLink(ctx, res.NextCursor)}, nil
}

func (h *Handler) CreatePromisePeriod(ctx context.Context, r api.CreatePromisePeriodRequestObject) (api.CreatePromisePeriodResponseObject, error) {
	p, err := h.svc.CreatePromisePeriod(ctx, principalFrom(ctx), promisePeriodIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.CreatePromisePeriod201JSONResponse{Body: promisePeriodOut(p, h.svc.Now()),
		Headers: api.CreatePromisePeriod201ResponseHeaders{ETag: etag(p.Version), Location: "/v1/promise-periods/" + p.ID.String()}}, nil
}

func (h *Handler) GetPromisePeriod(ctx context.Context, r api.GetPromisePeriodRequestObject) (api.GetPromisePeriodResponseObject, error) {
	if r.Params.AsOf != nil {
		at := *r.Params.AsOf
		p, acts, err := h.svc.PromisePeriodAt(ctx, principalFrom(ctx), r.Id, at)
		if err != nil {
			return nil, err
		}
		out := promisePeriodOut(p, at)
		activities := activitiesOut(acts)
		out.Activities = &activities
		return api.GetPromisePeriod200JSONResponse{Body: out, Headers: api.GetPromisePeriod200ResponseHeaders{ETag: etag(p.Version)}}, nil
	}
	p, err := h.svc.PromisePeriod(ctx, principalFrom(ctx), r.Id)
	if err != nil {
		return nil, err
	}
	return api.GetPromisePeriod200JSONResponse{Body: promisePeriodOut(p, h.svc.Now()), Headers: api.GetPromisePeriod200ResponseHeaders{ETag: etag(p.Version)}}, nil
}

func (h *Handler) UpdatePromisePeriod(ctx context.Context, r api.UpdatePromisePeriodRequestObject) (api.UpdatePromisePeriodResponseObject, error) {
	v, err := ifMatch(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	p, err := h.svc.UpdatePromisePeriod(ctx, principalFrom(ctx), r.Id, v, promisePeriodIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.UpdatePromisePeriod200JSONResponse{Body: promisePeriodOut(p, h.svc.Now()), Headers: api.UpdatePromisePeriod200ResponseHeaders{ETag: etag(p.Version)}}, nil
}

func (h *Handler) DeletePromisePeriod(ctx context.Context, r api.DeletePromisePeriodRequestObject) (api.DeletePromisePeriodResponseObject, error) {
	return api.DeletePromisePeriod204Response{}, h.delete(ctx, r.Params.IfMatch, r.Id, h.svc.DeletePromisePeriod)
}

func (h *Handler) TransitionPromisePeriod(ctx context.Context, r api.TransitionPromisePeriodRequestObject) (api.TransitionPromisePeriodResponseObject, error) {
	v, err := optionalIfMatch(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	p, err := h.svc.TransitionPromisePeriod(ctx, principalFrom(ctx), r.Id, v, samverkan.PublicationStatus(r.Body.Status))
	if err != nil {
		return nil, err
	}
	return api.TransitionPromisePeriod200JSONResponse{Body: promisePeriodOut(p, h.svc.Now()), Headers: api.TransitionPromisePeriod200ResponseHeaders{ETag: etag(p.Version)}}, nil
}

func (h *Handler) GetCurrentPromisePeriod(ctx context.Context, r api.GetCurrentPromisePeriodRequestObject) (api.GetCurrentPromisePeriodResponseObject, error) {
	cur, err := h.svc.CurrentPromisePeriod(ctx, r.Code)
	if err != nil {
		return nil, err
	}
	now := h.svc.Now()
	out := api.GetCurrentPromisePeriod200JSONResponse{
		InForce:       cur.InForce,
		AsOf:          openapi_types.Date{Time: cur.AsOf},
		PromisePeriod: promisePeriodOut(cur.PromisePeriod, now),
		PriorityAreas: priorityAreasOut(list(cur.PriorityAreas)),
		Activities:    mapList(list(cur.Activities), func(a samverkan.Activity) api.Activity { return activityOut(&a) }),
	}
	if cur.LatestFollowUp != nil {
		out.LatestFollowUp = followUpOut(cur.LatestFollowUp)
	}
	return out, nil
}
