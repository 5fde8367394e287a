package httpapi

import (
	"context"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/samverkan"
)

func (h *Handler) ListFollowUps(ctx context.Context, r api.ListFollowUpsRequestObject) (api.ListFollowUpsResponseObject, error) {
	q := r.Params
	res, err := h.svc.ListFollowUps(ctx, principalFrom(ctx), samverkan.FollowUpFilter{PageRequest: sorted(q.Limit, q.Cursor, string(q.Sort)),
		SyncFilter:       syncFilter(q.County, q.UpdatedSince),
		MunicipalityCode: q.Municipality, PoliceAreaID: q.PoliceArea, PromisePeriodID: idIn(q.PromisePeriodId),
		AgreementID: idIn(q.AgreementId), Kind: samverkan.FollowUpKind(q.Kind), Status: samverkan.PublicationStatus(q.Status), Year: q.Year})
	if err != nil {
		return nil, err
	}
	return api.ListFollowUps200JSONResponse{Items: mapList(res.Items, func(f samverkan.FollowUp) api.FollowUp { return followUpOut(&f) }),
		NextCursor: res.NextCursor, Next: nextLink(ctx, res.NextCursor)}, nil
}

func (h *Handler) CreateFollowUp(ctx context.Context, r api.CreateFollowUpRequestObject) (api.CreateFollowUpResponseObject, error) {
	f, err := h.svc.CreateFollowUp(ctx, principalFrom(ctx), followUpIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateFollowUp201JSONResponse{Body: followUpOut(f),
		Headers: api.CreateFollowUp201ResponseHeaders{ETag: etag(f.Version), Location: "/v1/follow-ups/" + f.ID.String()}}, nil
}

func (h *Handler) GetFollowUp(ctx context.Context, r api.GetFollowUpRequestObject) (api.GetFollowUpResponseObject, error) {
	get := h.svc.FollowUp
	if r.Params.AsOf != nil {
		at := *r.Params.AsOf
		get = func(ctx context.Context, p *samverkan.Principal, id uuid.UUID) (*samverkan.FollowUp, error) {
			return h.svc.FollowUpAt(ctx, p, id, at)
		}
	}
	f, err := get(ctx, principalFrom(ctx), r.Id)
	if err != nil {
		return nil, err
	}
	return api.GetFollowUp200JSONResponse{Body: followUpOut(f), Headers: api.GetFollowUp200ResponseHeaders{ETag: etag(f.Version)}}, nil
}

func (h *Handler) UpdateFollowUp(ctx context.Context, r api.UpdateFollowUpRequestObject) (api.UpdateFollowUpResponseObject, error) {
	v, err := ifMatch(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	f, err := h.svc.UpdateFollowUp(ctx, principalFrom(ctx), r.Id, v, followUpIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.UpdateFollowUp200JSONResponse{Body: followUpOut(f), Headers: api.UpdateFollowUp200ResponseHeaders{ETag: etag(f.Version)}}, nil
}

func (h *Handler) DeleteFollowUp(ctx context.Context, r api.DeleteFollowUpRequestObject) (api.DeleteFollowUpResponseObject, error) {
	return api.DeleteFollowUp204Response{}, h.delete(ctx, r.Params.IfMatch, r.Id, h.svc.DeleteFollowUp)
}

func (h *Handler) TransitionFollowUp(ctx context.Context, r api.TransitionFollowUpRequestObject) (api.TransitionFollowUpResponseObject, error) {
	v, err := optionalIfMatch(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	f, err := h.svc.TransitionFollowUp(ctx, principalFrom(ctx), r.Id, v, samverkan.PublicationStatus(r.Body.Status))
	if err != nil {
		return nil, err
	}
	return api.TransitionFollowUp200JSONResponse{Body: followUpOut(f), Headers: api.TransitionFollowUp200ResponseHeaders{ETag: etag(f.Version)}}, nil
}
