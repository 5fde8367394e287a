package httpapi

import (
	"context"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/samverkan"
)

func (h *Handler) ListAgreements(ctx context.Context, r api.ListAgreementsRequestObject) (api.ListAgreementsResponseObject, error) {
	q := r.Params
	res, err := h.svc.ListAgreements(ctx, principalFrom(ctx), samverkan.AgreementFilter{PageRequest: sorted(q.Limit, q.Cursor, string(q.Sort)),
		SyncFilter:       syncFilter(q.County, q.UpdatedSince),
		MunicipalityCode: q.Municipality, PoliceAreaID: q.PoliceArea, Status: samverkan.AgreementStatus(q.Status), Year: q.Year, Phase: samverkan.Phase(q.Phase)})
	if err != nil {
		return nil, err
	}
	now := h.svc.Now()
	return api.ListAgreements200JSONResponse{Items: mapList(res.Items, func(a samverkan.Agreement) api.Agreement { return agreementOut(&a, now) }),
		NextCursor: res.NextCursor, Next: nextLink(ctx, res.NextCursor)}, nil
}

func (h *Handler) CreateAgreement(ctx context.Context, r api.CreateAgreementRequestObject) (api.CreateAgreementResponseObject, error) {
	a, err := h.svc.CreateAgreement(ctx, principalFrom(ctx), agreementIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateAgreement201JSONResponse{Body: agreementOut(a, h.svc.Now()),
		Headers: api.CreateAgreement201ResponseHeaders{ETag: etag(a.Version), Location: "/v1/agreements/" + a.ID.String()}}, nil
}

func (h *Handler) GetAgreement(ctx context.Context, r api.GetAgreementRequestObject) (api.GetAgreementResponseObject, error) {
	if r.Params.AsOf != nil {
		at := *r.Params.AsOf
		a, acts, err := h.svc.AgreementAt(ctx, principalFrom(ctx), r.Id, at)
		if err != nil {
			return nil, err
		}
		out := agreementOut(a, at)
		activities := activitiesOut(acts)
		out.Activities = &activities
		return api.GetAgreement200JSONResponse{Body: out, Headers: api.GetAgreement200ResponseHeaders{ETag: etag(a.Version)}}, nil
	}
	a, err := h.svc.Agreement(ctx, principalFrom(ctx), r.Id)
	if err != nil {
		return nil, err
	}
	return api.GetAgreement200JSONResponse{Body: agreementOut(a, h.svc.Now()), Headers: api.GetAgreement200ResponseHeaders{ETag: etag(a.Version)}}, nil
}

func (h *Handler) UpdateAgreement(ctx context.Context, r api.UpdateAgreementRequestObject) (api.UpdateAgreementResponseObject, error) {
	v, err := ifMatch(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	a, err := h.svc.UpdateAgreement(ctx, principalFrom(ctx), r.Id, v, agreementIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.UpdateAgreement200JSONResponse{Body: agreementOut(a, h.svc.Now()), Headers: api.UpdateAgreement200ResponseHeaders{ETag: etag(a.Version)}}, nil
}

func (h *Handler) DeleteAgreement(ctx context.Context, r api.DeleteAgreementRequestObject) (api.DeleteAgreementResponseObject, error) {
	return api.DeleteAgreement204Response{}, h.delete(ctx, r.Params.IfMatch, r.Id, h.svc.DeleteAgreement)
}

// delete runs one of the Delete use cases after reading If-Match.
func (h *Handler) delete(ctx context.Context, header string, id uuid.UUID, del func(context.Context, *samverkan.Principal, uuid.UUID, int64) error) error {
	v, err := ifMatch(header)
	if err != nil {
		return err
	}
	return del(ctx, principalFrom(ctx), id, v)
}

func (h *Handler) TransitionAgreement(ctx context.Context, r api.TransitionAgreementRequestObject) (api.TransitionAgreementResponseObject, error) {
	v, err := optionalIfMatch(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	a, err := h.svc.TransitionAgreement(ctx, principalFrom(ctx), r.Id, v, samverkan.AgreementStatus(r.Body.Status))
	if err != nil {
		return nil, err
	}
	return api.TransitionAgreement200JSONResponse{Body: agreementOut(a, h.svc.Now()), Headers: api.TransitionAgreement200ResponseHeaders{ETag: etag(a.Version)}}, nil
}
