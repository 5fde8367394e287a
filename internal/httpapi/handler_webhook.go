package httpapi

import (
	"context"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/samverkan"
)

func (h *Handler) ListWebhooks(ctx context.Context, r api.ListWebhooksRequestObject) (api.ListWebhooksResponseObject, error) {
	res, err := h.svc.ListWebhooks(ctx, principalFrom(ctx), page(r.Params.Limit, r.Params.Cursor))
	if err != nil {
		return nil, err
	}
	return api.ListWebhooks200JSONResponse{Items: mapList(res.Items, func(w samverkan.Webhook) api.Webhook { return webhookOut(&w) }),
		NextCursor: res.NextCursor, Next: nextLink(ctx, res.NextCursor)}, nil
}

func (h *Handler) CreateWebhook(ctx context.Context, r api.CreateWebhookRequestObject) (api.CreateWebhookResponseObject, error) {
	w, err := h.svc.CreateWebhook(ctx, principalFrom(ctx), webhookIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateWebhook201JSONResponse{Body: webhookWithSecretOut(w),
		Headers: api.CreateWebhook201ResponseHeaders{ETag: etag(w.Version), Location: "/v1/webhooks/" + w.ID.String()}}, nil
}

func (h *Handler) GetWebhook(ctx context.Context, r api.GetWebhookRequestObject) (api.GetWebhookResponseObject, error) {
	w, err := h.svc.Webhook(ctx, principalFrom(ctx), r.Id)
	if err != nil {
		return nil, err
	}
	return api.GetWebhook200JSONResponse{Body: webhookOut(w), Headers: api.GetWebhook200ResponseHeaders{ETag: etag(w.Version)}}, nil
}

func (h *Handler) UpdateWebhook(ctx context.Context, r api.UpdateWebhookRequestObject) (api.UpdateWebhookResponseObject, error) {
	v, err := ifMatch(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	w, err := h.svc.UpdateWebhook(ctx, principalFrom(ctx), r.Id, v, webhookIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.UpdateWebhook200JSONResponse{Body: webhookOut(w), Headers: api.UpdateWebhook200ResponseHeaders{ETag: etag(w.Version)}}, nil
}

func (h *Handler) DeleteWebhook(ctx context.Context, r api.DeleteWebhookRequestObject) (api.DeleteWebhookResponseObject, error) {
	return api.DeleteWebhook204Response{}, h.delete(ctx, r.Params.IfMatch, r.Id, h.svc.DeleteWebhook)
}

func (h *Handler) RotateWebhookSecret(ctx context.Context, r api.RotateWebhookSecretRequestObject) (api.RotateWebhookSecretResponseObject, error) {
	v, err := optionalIfMatch(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	w, err := h.svc.RotateWebhookSecret(ctx, principalFrom(ctx), r.Id, v)
	if err != nil {
		return nil, err
	}
	return api.RotateWebhookSecret200JSONResponse{Body: webhookWithSecretOut(w), Headers: api.RotateWebhookSecret200ResponseHeaders{ETag: etag(w.Version)}}, nil
}

func (h *Handler) PingWebhook(ctx context.Context, r api.PingWebhookRequestObject) (api.PingWebhookResponseObject, error) {
	p := principalFrom(ctx)
	d, err := h.svc.PingWebhook(ctx, p, r.Id)
	if err != nil {
		return nil, err
	}
	return api.PingWebhook202JSONResponse{Body: deliveryOut(d, p, true),
		Headers: api.PingWebhook202ResponseHeaders{Location: "/v1/webhooks/" + r.Id.String() + "/deliveries/" + d.ID.String()}}, nil
}

func (h *Handler) ListWebhookDeliveries(ctx context.Context, r api.ListWebhookDeliveriesRequestObject) (api.ListWebhookDeliveriesResponseObject, error) {
	p := principalFrom(ctx)
	q := r.Params
	res, err := h.svc.ListDeliveries(ctx, p, r.Id, samverkan.DeliveryState(q.State), page(q.Limit, q.Cursor))
	if err != nil {
		return nil, err
	}
	return api.ListWebhookDeliveries200JSONResponse{Items: mapList(res.Items, func(d samverkan.Delivery) api.WebhookDelivery { return deliveryOut(&d, p, false) }),
		NextCursor: res.NextCursor, Next: nextLink(ctx, res.NextCursor)}, nil
}

func (h *Handler) GetWebhookDelivery(ctx context.Context, r api.GetWebhookDeliveryRequestObject) (api.GetWebhookDeliveryResponseObject, error) {
	p := principalFrom(ctx)
	d, err := h.svc.Delivery(ctx, p, r.Id, r.DeliveryId)
	if err != nil {
		return nil, err
	}
	return api.GetWebhookDelivery200JSONResponse(deliveryOut(d, p, true)), nil
}

func (h *Handler) RetryWebhookDelivery(ctx context.Context, r api.RetryWebhookDeliveryRequestObject) (api.RetryWebhookDeliveryResponseObject, error) {
	p := principalFrom(ctx)
	d, err := h.svc.RetryDelivery(ctx, p, r.Id, r.DeliveryId)
	if err != nil {
		return nil, err
	}
	return api.RetryWebhookDelivery202JSONResponse(deliveryOut(d, p, true)), nil
}
