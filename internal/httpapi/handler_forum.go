package httpapi

import (
	"context"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/internal/samverkan"
)

func (h *Handler) ListForums(ctx context.Context, r api.ListForumsRequestObject) (api.ListForumsResponseObject, error) {
	q := r.Params
	res, err := h.svc.ListForums(ctx, samverkan.ForumFilter{PageRequest: sorted(q.Limit, q.Cursor, string(q.Sort)),
		SyncFilter: syncFilter(q.County, q.UpdatedSince), MunicipalityCode: q.Municipality,
		PoliceAreaID: q.PoliceArea, Code: q.Code})
	if err != nil {
		return nil, err
	}
	return api.ListForums200JSONResponse{Items: mapList(res.Items, func(f samverkan.Forum) api.Forum { return forumOut(&f) }),
		NextCursor: res.NextCursor, Next: nextLink(ctx, res.NextCursor)}, nil
}

func (h *Handler) CreateForum(ctx context.Context, r api.CreateForumRequestObject) (api.CreateForumResponseObject, error) {
	f, err := h.svc.CreateForum(ctx, principalFrom(ctx), forumIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.CreateForum201JSONResponse{Body: forumOut(f),
		Headers: api.CreateForum201ResponseHeaders{ETag: etag(f.Version), Location: "/v1/forums/" + f.ID.String()}}, nil
}

func (h *Handler) GetForum(ctx context.Context, r api.GetForumRequestObject) (api.GetForumResponseObject, error) {
	f, err := h.svc.Forum(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	return api.GetForum200JSONResponse{Body: forumOut(f), Headers: api.GetForum200ResponseHeaders{ETag: etag(f.Version)}}, nil
}

func (h *Handler) UpdateForum(ctx context.Context, r api.UpdateForumRequestObject) (api.UpdateForumResponseObject, error) {
	v, err := ifMatch(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	f, err := h.svc.UpdateForum(ctx, principalFrom(ctx), r.Id, v, forumIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.UpdateForum200JSONResponse{Body: forumOut(f), Headers: api.UpdateForum200ResponseHeaders{ETag: etag(f.Version)}}, nil
}

func (h *Handler) DeleteForum(ctx context.Context, r api.DeleteForumRequestObject) (api.DeleteForumResponseObject, error) {
	return api.DeleteForum204Response{}, h.delete(ctx, r.Params.IfMatch, r.Id, h.svc.DeleteForum)
}

func (h *Handler) ListForumMeetings(ctx context.Context, r api.ListForumMeetingsRequestObject) (api.ListForumMeetingsResponseObject, error) {
	res, err := h.svc.ListMeetings(ctx, samverkan.MeetingFilter{PageRequest: page(r.Params.Limit, r.Params.Cursor), ForumID: r.Id, Year: r.Params.Year,
		UpdatedSince: since(r.Params.UpdatedSince)})
	if err != nil {
		return nil, err
	}
	return api.ListForumMeetings200JSONResponse{Items: mapList(res.Items, func(m samverkan.Meeting) api.Meeting { return meetingOut(&m) }),
		NextCursor: res.NextCursor, Next: nextLink(ctx, res.NextCursor)}, nil
}

func (h *Handler) CreateForumMeeting(ctx context.Context, r api.CreateForumMeetingRequestObject) (api.CreateForumMeetingResponseObject, error) {
	in := meetingIn(*r.Body)
	in.ForumID = r.Id
	m, err := h.svc.CreateMeeting(ctx, principalFrom(ctx), in)
	if err != nil {
		return nil, err
	}
	return api.CreateForumMeeting201JSONResponse{Body: meetingOut(m),
		Headers: api.CreateForumMeeting201ResponseHeaders{ETag: etag(m.Version), Location: "/v1/meetings/" + m.ID.String()}}, nil
}

func (h *Handler) GetMeeting(ctx context.Context, r api.GetMeetingRequestObject) (api.GetMeetingResponseObject, error) {
	m, err := h.svc.Meeting(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	return api.GetMeeting200JSONResponse{Body: meetingOut(m), Headers: api.GetMeeting200ResponseHeaders{ETag: etag(m.Version)}}, nil
}

func (h *Handler) UpdateMeeting(ctx context.Context, r api.UpdateMeetingRequestObject) (api.UpdateMeetingResponseObject, error) {
	v, err := ifMatch(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	m, err := h.svc.UpdateMeeting(ctx, principalFrom(ctx), r.Id, v, meetingIn(*r.Body))
	if err != nil {
		return nil, err
	}
	return api.UpdateMeeting200JSONResponse{Body: meetingOut(m), Headers: api.UpdateMeeting200ResponseHeaders{ETag: etag(m.Version)}}, nil
}

func (h *Handler) DeleteMeeting(ctx context.Context, r api.DeleteMeetingRequestObject) (api.DeleteMeetingResponseObject, error) {
	return api.DeleteMeeting204Response{}, h.delete(ctx, r.Params.IfMatch, r.Id, h.svc.DeleteMeeting)
}
