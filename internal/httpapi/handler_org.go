package httpapi

import (
	"context"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/samverkan"
)

func (h *Handler) ListMunicipalities(ctx context.Context, r api.ListMunicipalitiesRequestObject) (api.ListMunicipalitiesResponseObject, error) {
	res, err := h.svc.ListMunicipalities(ctx, samverkan.MunicipalityFilter{
		PageRequest: page(r.Params.Limit, r.Params.Cursor), PoliceAreaID: r.Params.PoliceArea, County: r.Params.County,
		UpdatedSince: since(r.Params.UpdatedSince)})
	if err != nil {
		return nil, err
	}
	return api.ListMunicipalities200JSONResponse{Items: mapList(res.Items, func(m samverkan.Municipality) api.Municipality { return municipalityOut(&m) }),
		NextCursor: res.NextCursor, Next: nextLink(ctx, res.NextCursor)}, nil
}

func (h *Handler) CreateMunicipality(ctx context.Context, r api.CreateMunicipalityRequestObject) (api.CreateMunicipalityResponseObject, error) {
	m, err := h.svc.CreateMunicipality(ctx, principalFrom(ctx), municipalityIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateMunicipality201JSONResponse{Body: municipalityOut(m),
		Headers: api.CreateMunicipality201ResponseHeaders{ETag: etag(m.Version), Location: "/v1/municipalities/" + m.Code}}, nil
}

func (h *Handler) GetMunicipality(ctx context.Context, r api.GetMunicipalityRequestObject) (api.GetMunicipalityResponseObject, error) {
	m, err := h.svc.Municipality(ctx, r.Code)
	if err != nil {
		return nil, err
	}
	return api.GetMunicipality200JSONResponse{Body: municipalityOut(m), Headers: api.GetMunicipality200ResponseHeaders{ETag: etag(m.Version)}}, nil
}

func (h *Handler) UpdateMunicipality(ctx context.Context, r api.UpdateMunicipalityRequestObject) (api.UpdateMunicipalityResponseObject, error) {
	v, err := ifMatch(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	m, err := h.svc.UpdateMunicipality(ctx, principalFrom(ctx), r.Code, v, municipalityIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.UpdateMunicipality200JSONResponse{Body: municipalityOut(m), Headers: api.UpdateMunicipality200ResponseHeaders{ETag: etag(m.Version)}}, nil
}

func (h *Handler) ListPoliceAreas(ctx context.Context, r api.ListPoliceAreasRequestObject) (api.ListPoliceAreasResponseObject, error) {
	res, err := h.svc.ListPoliceAreas(ctx, samverkan.PoliceAreaFilter{PageRequest: page(r.Params.Limit, r.Params.Cursor),
		UpdatedSince: since(r.Params.UpdatedSince)})
	if err != nil {
		return nil, err
	}
	return api.ListPoliceAreas200JSONResponse{Items: mapList(res.Items, func(p samverkan.PoliceArea) api.PoliceArea { return policeAreaOut(&p) }),
		NextCursor: res.NextCursor, Next: nextLink(ctx, res.NextCursor)}, nil
}

func (h *Handler) CreatePoliceArea(ctx context.Context, r api.CreatePoliceAreaRequestObject) (api.CreatePoliceAreaResponseObject, error) {
	p, err := h.svc.CreatePoliceArea(ctx, principalFrom(ctx), policeAreaIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.CreatePoliceArea201JSONResponse{Body: policeAreaOut(p),
		Headers: api.CreatePoliceArea201ResponseHeaders{ETag: etag(p.Version), Location: "/v1/police-areas/" + p.ID}}, nil
}

func (h *Handler) GetPoliceArea(ctx context.Context, r api.GetPoliceAreaRequestObject) (api.GetPoliceAreaResponseObject, error) {
	p, err := h.svc.PoliceArea(ctx, r.PoliceAreaId)
	if err != nil {
		return nil, err
	}
	return api.GetPoliceArea200JSONResponse{Body: policeAreaOut(p), Headers: api.GetPoliceArea200ResponseHeaders{ETag: etag(p.Version)}}, nil
}

func (h *Handler) UpdatePoliceArea(ctx context.Context, r api.UpdatePoliceAreaRequestObject) (api.UpdatePoliceAreaResponseObject, error) {
	v, err := ifMatch(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	p, err := h.svc.UpdatePoliceArea(ctx, principalFrom(ctx), r.PoliceAreaId, v, policeAreaIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.UpdatePoliceArea200JSONResponse{Body: policeAreaOut(p), Headers: api.UpdatePoliceArea200ResponseHeaders{ETag: etag(p.Version)}}, nil
}
