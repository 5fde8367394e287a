package samverkan

import (
	"context"
	"slices"

	"github.com/google/uuid"
)

func (s *Service) Activity(ctx context.Context, p *Principal, id uuid.UUID) (*Activity, error) {
	a, err := s.store.Activity(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.Public && !p.CanSeeDrafts(a.Parties) {
		return nil, NotFound("activity", id)
	}
	return a, nil
}

func (s *Service) ListActivities(ctx context.Context, p *Principal, f ActivityFilter) (Page[Activity], error) {
	pageLimit(&f.PageRequest)
	f.Drafts = draftScopeOf(p)
	return s.store.ListActivities(ctx, f)
}

// activityList is what an activity belongs to: an action plan or an activity list.
type activityList struct {
	parties    Parties
	public     bool
	areas      *Agreement // whose priority areas the activities may refer to
	period     *PromisePeriod
	editable   bool
	kind       string
	reasonLock string
}

func (s *Service) loadActivityList(ctx context.Context, tx Tx, p *Principal, a *Activity) (*activityList, error) {
	if err := tx.LockList(ctx, a.AgreementID, a.PromisePeriodID); err != nil {
		return nil, err
	}
	var pr Problems
	switch {
	case a.AgreementID != nil:
		ag, err := tx.Agreement(ctx, *a.AgreementID)
		if ErrorCode(err) == ENotFound || (err == nil && !ag.IsPublic() && !p.CanSeeDrafts(ag.Parties)) {
			pr.AddUnprocessable("/agreementId", "no agreement has this id")
			return nil, pr.Err()
		}
		if err != nil {
			return nil, err
		}
		l := &activityList{parties: ag.Parties, public: ag.IsPublic(), areas: ag, kind: "action plan",
			editable: ag.Status != AgreementSuperseded, reasonLock: "the agreement is superseded"}
		return l, nil
	case a.PromisePeriodID != nil:
		pp, err := tx.PromisePeriod(ctx, *a.PromisePeriodID)
		if ErrorCode(err) == ENotFound || (err == nil && !pp.Status.IsPublic() && !p.CanSeeDrafts(pp.Parties)) {
			pr.AddUnprocessable("/promisePeriodId", "no promise period has this id")
			return nil, pr.Err()
		}
		if err != nil {
			return nil, err
		}
		l := &activityList{parties: pp.Parties, public: pp.Status.IsPublic(), period: pp, kind: "activity list",
			editable: pp.Status != Archived, reasonLock: "the promise period is archived"}
		if pp.AgreementID != nil {
			if l.areas, err = tx.Agreement(ctx, *pp.AgreementID); err != nil {
				return nil, err
			}
		}
		return l, nil
	}
	return nil, a.Validate()
}

func (l *activityList) check(a *Activity) error {
	var p Problems
	for i, id := range a.PriorityAreaIDs {
		if l.areas == nil {
			p.AddUnprocessable(ptr("/priorityAreaIds", i, ""), "the %s belongs to no agreement, so it has no priority areas", l.kind)
		} else if _, ok := l.areas.PriorityArea(id); !ok {
			p.AddUnprocessable(ptr("/priorityAreaIds", i, ""), "no priority area with this id belongs to the agreement")
		}
	}
	for i, id := range a.PromiseIDs {
		if l.period == nil {
			p.AddUnprocessable(ptr("/promiseIds", i, ""), "only activities of a promise period refer to promises")
		} else if _, ok := l.period.Promise(id); !ok {
			p.AddUnprocessable(ptr("/promiseIds", i, ""), "no promise with this id belongs to the promise period")
		}
	}
	return p.Err()
}

// order puts an activity's links in the order of what they point to, the order reads return
// them in, so that a write answers with what a read of the same version gives.
func (l *activityList) order(a *Activity) {
	byPosition := func(ids []uuid.UUID, pos map[uuid.UUID]int) {
		slices.SortStableFunc(ids, func(x, y uuid.UUID) int { return pos[x] - pos[y] })
	}
	if l.areas != nil {
		pos := map[uuid.UUID]int{}
		for _, pa := range l.areas.PriorityAreas {
			pos[pa.ID] = pa.Position
		}
		byPosition(a.PriorityAreaIDs, pos)
	}
	if l.period != nil {
		pos := map[uuid.UUID]int{}
		for _, pr := range l.period.Promises {
			pos[pr.ID] = pr.Position
		}
		byPosition(a.PromiseIDs, pos)
	}
}

func (s *Service) CreateActivity(ctx context.Context, p *Principal, a Activity) (*Activity, error) {
	return inTx(ctx, s, p, func(tx Tx) (*Activity, error) { return s.createActivity(ctx, tx, p, a) })
}

func (s *Service) createActivity(ctx context.Context, tx Tx, p *Principal, a Activity) (*Activity, error) {
	if p == nil {
		return nil, requireWrite(p, Parties{})
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	l, err := s.loadActivityList(ctx, tx, p, &a)
	if err != nil {
		return nil, err
	}
	if err := requireWrite(p, l.parties); err != nil {
		return nil, err
	}
	if a.Position == 0 {
		existing, err := allActivities(ctx, tx, ActivityFilter{AgreementID: a.AgreementID, PromisePeriodID: a.PromisePeriodID})
		if err != nil {
			return nil, err
		}
		a.Position = 1
		for _, e := range existing {
			a.Position = max(a.Position, e.Position+1)
		}
	}
	if err := s.admitActivity(p, l, &a); err != nil {
		return nil, err
	}
	return &a, tx.CreateActivity(ctx, &a)
}

// admitActivity checks a new activity against its list and sets what the system sets: the
// one place that decides what may enter a list, for single writes and imports alike.
func (s *Service) admitActivity(p *Principal, l *activityList, a *Activity) error {
	if err := requireWrite(p, l.parties); err != nil {
		return err
	}
	if !l.editable {
		return Errorf(EConflict, "No activity can be added: %s.", l.reasonLock)
	}
	if err := l.check(a); err != nil {
		return err
	}
	l.order(a)
	if a.Status == "" {
		a.Status = ActivityPlanned
	}
	now := s.now().UTC()
	a.ID, a.Parties, a.Public, a.Version, a.CreatedAt, a.UpdatedAt = newID(), l.parties, l.public, 1, now, now
	return nil
}

func (s *Service) UpdateActivity(ctx context.Context, p *Principal, id uuid.UUID, version int64, in Activity) (*Activity, error) {
	return inTx(ctx, s, p, func(tx Tx) (*Activity, error) { return s.updateActivity(ctx, tx, p, id, version, in) })
}

func (s *Service) updateActivity(ctx context.Context, tx Tx, p *Principal, id uuid.UUID, version int64, in Activity) (*Activity, error) {
	a, err := tx.Activity(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeChange(p, a.Parties, a.Public, "activity", id); err != nil {
		return nil, err
	}
	if err := checkVersion(a.Version, version); err != nil {
		return nil, err
	}
	if !sameList(a, &in) {
		return nil, &Error{Code: EConflict, Message: "An activity stays in its list; create a new one in the other list instead.",
			Fields: []FieldError{{Pointer: "/agreementId", Detail: "must name the activity's own list"}}}
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	l, err := s.loadActivityList(ctx, tx, p, &in)
	if err != nil {
		return nil, err
	}
	out, changed, err := s.reviseActivity(l, a, in)
	if err != nil || !changed {
		return out, err
	}
	return out, tx.UpdateActivity(ctx, out)
}

// reviseActivity is activity a as in describes it, checked against its list l, which the
// caller has locked, or a itself when nothing changes: the one place that decides how an
// activity may change, for single writes and imports alike.
func (s *Service) reviseActivity(l *activityList, a *Activity, in Activity) (*Activity, bool, error) {
	if !l.editable {
		return nil, false, Errorf(EConflict, "The activity cannot change: %s.", l.reasonLock)
	}
	if err := l.check(&in); err != nil {
		return nil, false, err
	}
	l.order(&in)
	if in.Position == 0 {
		in.Position = a.Position
	}
	if in.Status == "" {
		in.Status = a.Status
	}
	keepRef(&in.ExternalRef, a.ExternalRef)
	if sameContent(activityContent(a), activityContent(&in)) {
		return a, false, nil
	}
	// The list is locked now: its state, not the one read with the activity before, says
	// whether the activity is public (a publication may have committed in between).
	in.ID, in.Parties, in.Public, in.Version, in.CreatedAt, in.UpdatedAt = a.ID, a.Parties, l.public, a.Version, a.CreatedAt, s.now().UTC()
	return &in, true, nil
}

func sameList(a, b *Activity) bool {
	eq := func(x, y *uuid.UUID) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }
	return eq(a.AgreementID, b.AgreementID) && eq(a.PromisePeriodID, b.PromisePeriodID)
}

// DeleteActivity removes an activity from a draft list. Published lists keep what was
// promised: their activities are cancelled instead.
func (s *Service) DeleteActivity(ctx context.Context, p *Principal, id uuid.UUID, version int64) error {
	return s.store.Tx(ctx, p.Actor(), func(tx Tx) error {
		a, err := tx.Activity(ctx, id)
		if err != nil {
			return err
		}
		// Lock the list and read the activity again: if its list was published meanwhile, the
		// activity is public now and must be kept.
		if err := tx.LockList(ctx, a.AgreementID, a.PromisePeriodID); err != nil {
			return err
		}
		if a, err = tx.Activity(ctx, id); err != nil {
			return err
		}
		if err := s.authorizeChange(p, a.Parties, a.Public, "activity", id); err != nil {
			return err
		}
		if err := checkVersion(a.Version, version); err != nil {
			return err
		}
		if a.Public {
			return Errorf(EConflict, "The activity is part of published material; set its status to cancelled instead of deleting it.")
		}
		return tx.DeleteActivity(ctx, id, a.Version)
	})
}
