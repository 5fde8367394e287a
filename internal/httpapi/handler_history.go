package httpapi

import (
	"context"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/samverkan"
)

func (h *Handler) revisions(ctx context.Context, kind string, id uuid.UUID, limit int, cursor string) (api.EventPage, error) {
	p := principalFrom(ctx)
	res, err := h.svc.Revisions(ctx, p, kind, id, page(limit, cursor))
	if err != nil {
		return api.EventPage{}, err
	}
	return api.EventPage{Items: eventsOut(res.Items, p), NextCursor: res.NextCursor, Next: nextLink(ctx, res.NextCursor)}, nil
}

func (h *Handler) ListAgreementRevisions(ctx context.Context, r api.ListAgreementRevisionsRequestObject) (api.ListAgreementRevisionsResponseObject, error) {
	out, err := h.revisions(ctx, samverkan.RecordAgreement, r.Id, r.Params.Limit, r.Params.Cursor)
	return api.ListAgreementRevisions200JSONResponse(out), err
}

func (h *Handler) ListPromisePeriodRevisions(ctx context.Context, r api.ListPromisePeriodRevisionsRequestObject) (api.ListPromisePeriodRevisionsResponseObject, error) {
	out, err := h.revisions(ctx, samverkan.RecordPromisePeriod, r.Id, r.Params.Limit, r.Params.Cursor)
	return api.ListPromisePeriodRevisions200JSONResponse(out), err
}

func (h *Handler) ListActivityRevisions(ctx context.Context, r api.ListActivityRevisionsRequestObject) (api.ListActivityRevisionsResponseObject, error) {
	out, err := h.revisions(ctx, samverkan.RecordActivity, r.Id, r.Params.Limit, r.Params.Cursor)
	return api.ListActivityRevisions200JSONResponse(out), err
}

func (h *Handler) ListFollowUpRevisions(ctx context.Context, r api.ListFollowUpRevisionsRequestObject) (api.ListFollowUpRevisionsResponseObject, error) {
	out, err := h.revisions(ctx, samverkan.RecordFollowUp, r.Id, r.Params.Limit, r.Params.Cursor)
	return api.ListFollowUpRevisions200JSONResponse(out), err
}

func (h *Handler) ListForumRevisions(ctx context.Context, r api.ListForumRevisionsRequestObject) (api.ListForumRevisionsResponseObject, error) {
	out, err := h.revisions(ctx, samverkan.RecordForum, r.Id, r.Params.Limit, r.Params.Cursor)
	return api.ListForumRevisions200JSONResponse(out), err
}

func (h *Handler) ListMeetingRevisions(ctx context.Context, r api.ListMeetingRevisionsRequestObject) (api.ListMeetingRevisionsResponseObject, error) {
	out, err := h.revisions(ctx, samverkan.RecordMeeting, r.Id, r.Params.Limit, r.Params.Cursor)
	return api.ListMeetingRevisions200JSONResponse(out), err
}

func (h *Handler) ListEvents(ctx context.Context, r api.ListEventsRequestObject) (api.ListEventsResponseObject, error) {
	q := r.Params
	// The contract's pattern lets only digits and an optional ".epoch" through.
	seq, epoch, _ := strings.Cut(q.After, ".")
	var after int64
	if seq != "" {
		after, _ = strconv.ParseInt(seq, 10, 64)
	}
	p := principalFrom(ctx)
	feed, err := h.svc.Events(ctx, p, samverkan.FeedCursor{Seq: after, Epoch: epoch}, q.Limit, string(q.Kind), q.Municipality)
	if err != nil {
		return nil, err
	}
	return api.ListEvents200JSONResponse{Items: eventsOut(feed.Events, p), NextCursor: feed.Next.String(), HasMore: feed.HasMore}, nil
}

func (h *Handler) ListAuditEvents(ctx context.Context, r api.ListAuditEventsRequestObject) (api.ListAuditEventsResponseObject, error) {
	q := r.Params
	f := samverkan.EventFilter{PageRequest: page(q.Limit, q.Cursor), Kind: string(q.Kind), ActorTokenID: q.ActorToken,
		Op: samverkan.Op(q.Operation), Since: since(q.Since), Until: since(q.Until)}
	switch {
	case q.ActorMunicipality != "" && q.ActorPoliceArea != "":
		return nil, &samverkan.Error{Code: samverkan.EInvalid, Message: "A write is made by one organization.",
			Fields: []samverkan.FieldError{{Parameter: "actorPoliceArea", Detail: "give actorMunicipality or actorPoliceArea, not both"}}}
	case q.ActorMunicipality != "":
		f.ActorOrgType, f.ActorOrgID = samverkan.OrgMunicipality, q.ActorMunicipality
	case q.ActorPoliceArea != "":
		f.ActorOrgType, f.ActorOrgID = samverkan.OrgPoliceArea, q.ActorPoliceArea
	}
	p := principalFrom(ctx)
	res, err := h.svc.Audit(ctx, p, f)
	if err != nil {
		return nil, err
	}
	return api.ListAuditEvents200JSONResponse{Items: eventsOut(res.Items, p), NextCursor: res.NextCursor, Next: nextLink(ctx, res.NextCursor)}, nil
}
