package samverkan

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Revisions lists a record's revisions, newest first: all of them to its parties and admins,
// to everyone else those made while it was public. A record with no revision the caller may
// see is not found, so that a draft's existence is not revealed.
func (s *Service) Revisions(ctx context.Context, p *Principal, kind string, id uuid.UUID, page PageRequest) (Page[Event], error) {
	pageLimit(&page)
	res, err := s.store.ListEvents(ctx, EventFilter{PageRequest: page, Scope: draftScopeOf(p), Kind: kind, EntityID: id.String()})
	if err != nil {
		return res, err
	}
	if len(res.Items) == 0 && page.Cursor == "" {
		return res, NotFound(recordName(kind), id)
	}
	return res, nil
}

// Feed is a slice of the change feed.
type Feed struct {
	Events  []Event
	Next    FeedCursor // where to continue
	HasMore bool
}

// FeedCursor is a place in the change feed: the last sequence number covered, and the first
// eight characters of the epoch of the database it is a place in (empty in a cursor a
// consumer makes up, such as 0).
type FeedCursor struct {
	Seq   int64
	Epoch string
}

func (c FeedCursor) String() string { return itoa(c.Seq) + "." + c.Epoch }

// MaxFeedSize is the most events one answer of the change feed holds.
const MaxFeedSize = 1000

// Events is the change feed: the changes after a cursor that the caller may see, in commit
// order. Webhooks' own changes are configuration, not data, and stay out.
func (s *Service) Events(ctx context.Context, p *Principal, after FeedCursor, limit int, kind, municipality string) (*Feed, error) {
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, MaxFeedSize)
	// The data version is read before the events, from the same database: every change up
	// to it is committed and visible to the events' read, so once the events are drained the
	// cursor may move up to it, past changes the caller does not see (a filtered feed would
	// otherwise read them again and again). From two databases, the version could come from
	// the primary and the events from a replica that has not replayed them yet: a cursor
	// past events never handed out.
	var v DataVersion
	var res Page[Event]
	behind := false
	err := s.store.ReadTogether(ctx, func(r Reader) error {
		var err error
		if v, err = r.DataVersion(ctx); err != nil {
			return err
		}
		if after.Epoch != "" && after.Epoch != feedEpoch(v) {
			return restoredFeed("is a cursor of another database, or of this one before it was restored")
		}
		if behind = after.Seq > v.Seq; behind {
			return nil
		}
		res, err = r.ListEvents(ctx, EventFilter{PageRequest: PageRequest{Limit: limit}, After: &after.Seq, Scope: draftScopeOf(p),
			Kind: kind, MunicipalityCode: municipality, ExcludeKind: RecordWebhook})
		return err
	})
	if err != nil {
		return nil, err
	}
	epoch := feedEpoch(v)
	if behind {
		// A replica that lags behind has not seen the cursor's change yet; only if the
		// primary has not either was the cursor handed out by a database restored since.
		committed, err := s.store.CommittedVersion(ctx)
		if err != nil {
			return nil, err
		}
		if after.Seq > committed.Seq {
			return nil, restoredFeed("is past the newest change, " + itoa(committed.Seq))
		}
		return &Feed{Events: []Event{}, Next: FeedCursor{after.Seq, epoch}}, nil
	}
	feed := &Feed{Events: res.Items, Next: FeedCursor{after.Seq, epoch}, HasMore: res.NextCursor != ""}
	if n := len(res.Items); n > 0 {
		feed.Next.Seq = res.Items[n-1].Seq
	}
	if !feed.HasMore {
		feed.Next.Seq = max(feed.Next.Seq, v.Seq)
	}
	return feed, nil
}

// feedEpoch is the part of the database's epoch that cursors carry.
func feedEpoch(v DataVersion) string { return v.Epoch[:min(8, len(v.Epoch))] }

func restoredFeed(why string) error {
	return &Error{Code: EConflict, Message: "The cursor was not handed out by this change feed: it belongs to another database, or to this one before it was restored or re-created. Mirror again from after=0.",
		Fields: []FieldError{{Parameter: "after", Detail: why}}}
}

// Audit lists every write across the system, newest first; admins only.
func (s *Service) Audit(ctx context.Context, p *Principal, f EventFilter) (Page[Event], error) {
	if p == nil {
		return Page[Event]{}, Errorf(EUnauthorized, "The audit trail needs a bearer token.")
	}
	if p.Role != RoleAdmin {
		return Page[Event]{}, Errorf(EForbidden, "Only an admin token may read the audit trail.")
	}
	pageLimit(&f.PageRequest)
	f.Scope, f.After = DraftScope{All: true}, nil
	return s.store.ListEvents(ctx, f)
}

// AgreementAt is the agreement as it stood at an instant, with its action plan then.
func (s *Service) AgreementAt(ctx context.Context, p *Principal, id uuid.UUID, at time.Time) (*Agreement, []Activity, error) {
	e, err := s.stateAt(ctx, p, RecordAgreement, id, at)
	if err != nil {
		return nil, nil, err
	}
	var a Agreement
	if err := json.Unmarshal(e.Data, &a); err != nil {
		return nil, nil, err
	}
	acts, err := s.activitiesAt(ctx, id, at)
	return &a, acts, err
}

// PromisePeriodAt is the promise period as it stood at an instant, with its activity list
// then: what was promised when.
func (s *Service) PromisePeriodAt(ctx context.Context, p *Principal, id uuid.UUID, at time.Time) (*PromisePeriod, []Activity, error) {
	e, err := s.stateAt(ctx, p, RecordPromisePeriod, id, at)
	if err != nil {
		return nil, nil, err
	}
	var pp PromisePeriod
	if err := json.Unmarshal(e.Data, &pp); err != nil {
		return nil, nil, err
	}
	acts, err := s.activitiesAt(ctx, id, at)
	return &pp, acts, err
}

// ActivityAt is the activity as it stood at an instant.
func (s *Service) ActivityAt(ctx context.Context, p *Principal, id uuid.UUID, at time.Time) (*Activity, error) {
	e, err := s.stateAt(ctx, p, RecordActivity, id, at)
	if err != nil {
		return nil, err
	}
	return activityOf(e)
}

// FollowUpAt is the follow-up as it stood at an instant.
func (s *Service) FollowUpAt(ctx context.Context, p *Principal, id uuid.UUID, at time.Time) (*FollowUp, error) {
	e, err := s.stateAt(ctx, p, RecordFollowUp, id, at)
	if err != nil {
		return nil, err
	}
	var f FollowUp
	if err := json.Unmarshal(e.Data, &f); err != nil {
		return nil, err
	}
	f.Parties = e.Parties
	return &f, nil
}

// stateAt is a record's latest revision at an instant, if the record existed then and the
// caller may see it as it was: public then, or the caller's own.
func (s *Service) stateAt(ctx context.Context, p *Principal, kind string, id uuid.UUID, at time.Time) (*Event, error) {
	e, err := s.store.EventAt(ctx, kind, id.String(), at)
	switch {
	case ErrorCode(err) == ENotFound:
		return nil, Errorf(ENotFound, "No %s with the id %s existed at %s.", recordName(kind), id, at.UTC().Format(time.RFC3339Nano))
	case err != nil:
		return nil, err
	case !e.Public && !p.CanSeeDrafts(e.Parties):
		return nil, Errorf(ENotFound, "No %s with the id %s was public at %s.", recordName(kind), id, at.UTC().Format(time.RFC3339Nano))
	case e.Op == OpDelete || e.Data == nil:
		return nil, Errorf(ENotFound, "The %s with the id %s had been deleted by %s.", recordName(kind), id, at.UTC().Format(time.RFC3339Nano))
	}
	return e, nil
}

// activitiesAt rebuilds a list as it stood at an instant, in list order.
func (s *Service) activitiesAt(ctx context.Context, listID uuid.UUID, at time.Time) ([]Activity, error) {
	evs, err := s.store.ActivitiesAt(ctx, listID, at)
	if err != nil {
		return nil, err
	}
	out := make([]Activity, 0, len(evs))
	for i := range evs {
		a, err := activityOf(&evs[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	slices.SortFunc(out, func(x, y Activity) int {
		if x.Position != y.Position {
			return x.Position - y.Position
		}
		return bytes.Compare(x.ID[:], y.ID[:])
	})
	return out, nil
}

func activityOf(e *Event) (*Activity, error) {
	var a Activity
	if err := json.Unmarshal(e.Data, &a); err != nil {
		return nil, err
	}
	a.Parties, a.Public = e.Parties, e.Public
	return &a, nil
}

func recordName(kind string) string {
	switch kind {
	case RecordPromisePeriod:
		return "promise period"
	case RecordFollowUp:
		return "follow-up"
	case RecordPoliceArea:
		return "police area"
	}
	return kind
}
