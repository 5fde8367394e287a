package samverkan

import (
	"context"
	"time"

	"github.com/google/uuid"
)

func (s *Service) PromisePeriod(ctx context.Context, p *Principal, id uuid.UUID) (*PromisePeriod, error) {
	pp, err := s.store.PromisePeriod(ctx, id)
	if err != nil {
		return nil, err
	}
	if !pp.Status.IsPublic() && !p.CanSeeDrafts(pp.Parties) {
		return nil, NotFound("promise period", id)
	}
	return pp, nil
}

func (s *Service) ListPromisePeriods(ctx context.Context, p *Principal, f PromisePeriodFilter) (Page[PromisePeriod], error) {
	pageLimit(&f.PageRequest)
	f.Drafts = draftScopeOf(p)
	return s.store.ListPromisePeriods(ctx, f)
}

func (s *Service) CreatePromisePeriod(ctx context.Context, p *Principal, pp PromisePeriod) (*PromisePeriod, error) {
	return inTx(ctx, s, p, func(tx Tx) (*PromisePeriod, error) { return s.createPromisePeriod(ctx, tx, p, pp) })
}

func (s *Service) createPromisePeriod(ctx context.Context, tx Tx, p *Principal, pp PromisePeriod) (*PromisePeriod, error) {
	if err := requireWrite(p, pp.Parties); err != nil {
		return nil, err
	}
	pp.ID = newID()
	if err := pp.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkPromisePeriodRefs(ctx, tx, &pp, nil); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	pp.Status, pp.PublishedAt, pp.Version, pp.CreatedAt, pp.UpdatedAt = Draft, nil, 1, now, now
	return &pp, tx.CreatePromisePeriod(ctx, &pp)
}

func (s *Service) UpdatePromisePeriod(ctx context.Context, p *Principal, id uuid.UUID, version int64, in PromisePeriod) (*PromisePeriod, error) {
	return inTx(ctx, s, p, func(tx Tx) (*PromisePeriod, error) { return s.updatePromisePeriod(ctx, tx, p, id, version, in) })
}

func (s *Service) updatePromisePeriod(ctx context.Context, tx Tx, p *Principal, id uuid.UUID, version int64, in PromisePeriod) (*PromisePeriod, error) {
	pp, err := s.promisePeriodForChange(ctx, tx, p, id, version)
	if err != nil {
		return nil, err
	}
	if err := partiesUnchanged(pp.Parties, in.Parties); err != nil {
		return nil, err
	}
	if pp.Status == Archived {
		return nil, Errorf(EConflict, "An archived promise period is part of the record and cannot change.")
	}
	in.ID, in.Status, in.PublishedAt, in.Version, in.CreatedAt = pp.ID, pp.Status, pp.PublishedAt, pp.Version, pp.CreatedAt
	keepRef(&in.ExternalRef, pp.ExternalRef)
	for i := range in.Promises {
		if kept, ok := pp.Promise(in.Promises[i].ID); ok {
			keepRef(&in.Promises[i].ExternalRef, kept.ExternalRef)
		}
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkPromisePeriodRefs(ctx, tx, &in, pp); err != nil {
		return nil, err
	}
	if err := publicRefs(ctx, tx, in.Status.IsPublic(), in.AgreementID, nil); err != nil {
		return nil, err
	}
	if sameContent(periodContent(pp), periodContent(&in)) {
		return pp, nil
	}
	in.UpdatedAt = s.now().UTC()
	return &in, tx.UpdatePromisePeriod(ctx, &in)
}

func (s *Service) checkPromisePeriodRefs(ctx context.Context, tx Tx, pp *PromisePeriod, stored *PromisePeriod) error {
	var p Problems
	if err := checkParties(ctx, tx, &p, pp.Parties); err != nil {
		return err
	}
	if pp.AgreementID != nil {
		a, err := tx.Agreement(ctx, *pp.AgreementID)
		switch {
		case ErrorCode(err) == ENotFound:
			p.AddUnprocessable("/agreementId", "no agreement has this id")
		case err != nil:
			return err
		case a.Parties != pp.Parties:
			p.AddUnprocessable("/agreementId", "the agreement is between other parties (%s, %s)", a.MunicipalityCode, a.PoliceAreaID)
		}
	}
	kept := map[uuid.UUID]bool{}
	for i := range pp.Promises {
		pr := &pp.Promises[i]
		pr.Position = i + 1
		if pr.ID == uuid.Nil {
			pr.ID = newID()
			continue
		}
		if stored == nil {
			p.AddUnprocessable(ptr("/promises", i, "id"), "a new promise period has no promises to keep; leave the id out")
		} else if _, ok := stored.Promise(pr.ID); !ok {
			p.AddUnprocessable(ptr("/promises", i, "id"), "the promise period has no promise with this id")
		}
		kept[pr.ID] = true
	}
	if stored != nil {
		for _, old := range stored.Promises {
			if kept[old.ID] {
				continue
			}
			if used, err := promiseInUse(ctx, tx, stored.ID, old.ID); err != nil {
				return err
			} else if used {
				return &Error{Code: EConflict, Message: "A promise cannot be removed while activities or follow-ups refer to it.",
					Fields: []FieldError{{Pointer: "/promises", Detail: "must keep " + old.ID.String()}}}
			}
		}
	}
	return p.Err()
}

func promiseInUse(ctx context.Context, tx Tx, periodID, promiseID uuid.UUID) (bool, error) {
	acts, err := allActivities(ctx, tx, ActivityFilter{PromisePeriodID: &periodID})
	if err != nil {
		return false, err
	}
	for _, a := range acts {
		for _, id := range a.PromiseIDs {
			if id == promiseID {
				return true, nil
			}
		}
	}
	fus, err := tx.ListFollowUps(ctx, FollowUpFilter{PageRequest: PageRequest{Limit: MaxPageSize}, Drafts: DraftScope{All: true}, PromisePeriodID: &periodID})
	if err != nil {
		return false, err
	}
	for _, f := range fus.Items {
		for _, pa := range f.PromiseAssessments {
			if pa.PromiseID == promiseID {
				return true, nil
			}
		}
	}
	return false, nil
}

// allActivities reads every page of a list; lists are dozens of activities, never thousands.
func allActivities(ctx context.Context, r Reader, f ActivityFilter) ([]Activity, error) {
	f.Drafts = DraftScope{All: true}
	f.Limit = MaxPageSize
	var out []Activity
	for {
		page, err := r.ListActivities(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out, nil
		}
		f.Cursor = page.NextCursor
	}
}

func (s *Service) TransitionPromisePeriod(ctx context.Context, p *Principal, id uuid.UUID, version int64, to PublicationStatus) (*PromisePeriod, error) {
	return inTx(ctx, s, p, func(tx Tx) (*PromisePeriod, error) { return s.transitionPromisePeriod(ctx, tx, p, id, version, to) })
}

func (s *Service) transitionPromisePeriod(ctx context.Context, tx Tx, p *Principal, id uuid.UUID, version int64, to PublicationStatus) (*PromisePeriod, error) {
	pp, err := s.promisePeriodForChange(ctx, tx, p, id, version)
	if err != nil {
		return nil, err
	}
	if err := pp.TransitionTo(to, s.now()); err != nil {
		return nil, err
	}
	if err := publicRefs(ctx, tx, pp.Status.IsPublic(), pp.AgreementID, nil); err != nil {
		return nil, err
	}
	pp.UpdatedAt = s.now().UTC()
	return pp, tx.UpdatePromisePeriodStatus(ctx, pp)
}

func (s *Service) DeletePromisePeriod(ctx context.Context, p *Principal, id uuid.UUID, version int64) error {
	return s.store.Tx(ctx, p.Actor(), func(tx Tx) error {
		pp, err := s.promisePeriodForChange(ctx, tx, p, id, version)
		if err != nil {
			return err
		}
		if pp.Status != Draft {
			return Errorf(EConflict, "Only a draft promise period can be deleted; this one is %s. Archive it instead.", pp.Status)
		}
		fus, err := tx.ListFollowUps(ctx, FollowUpFilter{PageRequest: PageRequest{Limit: 1}, Drafts: DraftScope{All: true}, PromisePeriodID: &id})
		if err != nil {
			return err
		}
		if len(fus.Items) > 0 {
			return Errorf(EConflict, "The promise period cannot be deleted while follow-ups refer to it.")
		}
		return tx.DeletePromisePeriod(ctx, id, pp.Version)
	})
}

// Current is what a municipal website shows: the promise period in force, or the latest one.
type Current struct {
	InForce        bool
	AsOf           time.Time
	PromisePeriod  *PromisePeriod
	PriorityAreas  []PriorityArea
	Activities     []Activity
	LatestFollowUp *FollowUp
}

// CurrentPromisePeriod finds the published period in force today for the municipality, or
// else the most recent public one. Only public material is considered, whoever asks.
func (s *Service) CurrentPromisePeriod(ctx context.Context, code string) (*Current, error) {
	if _, err := s.store.Municipality(ctx, code); err != nil {
		return nil, err
	}
	today := Day(s.now())
	// Newest first: the first public period that covers today wins; else the first one.
	page, err := s.store.ListPromisePeriods(ctx, PromisePeriodFilter{PageRequest: PageRequest{Limit: MaxPageSize}, MunicipalityCode: code})
	if err != nil {
		return nil, err
	}
	var chosen *PromisePeriod
	for i := range page.Items {
		pp := &page.Items[i]
		if pp.InForce(today) {
			chosen = pp
			break
		}
		if chosen == nil || pp.EndYear > chosen.EndYear {
			chosen = pp
		}
	}
	if chosen == nil {
		return nil, Errorf(ENotFound, "Municipality %s has no published promise period.", code)
	}
	cur := &Current{InForce: chosen.InForce(today), AsOf: today, PromisePeriod: chosen}
	if cur.Activities, err = allActivities(ctx, s.store, ActivityFilter{PromisePeriodID: &chosen.ID}); err != nil {
		return nil, err
	}
	if chosen.AgreementID != nil {
		a, err := s.store.Agreement(ctx, *chosen.AgreementID)
		if err != nil {
			return nil, err
		}
		if a.IsPublic() { // always, by publicRefs; checked again because this answer is public
			cur.PriorityAreas = a.PriorityAreas
		}
	}
	if cur.LatestFollowUp, err = s.store.LatestPublicFollowUp(ctx, chosen.ID); err != nil && ErrorCode(err) != ENotFound {
		return nil, err
	}
	return cur, nil
}

// promisePeriodForChange loads a promise period for a write: it must exist, be visible to the principal, be
// theirs to change, and still be at the version the change was based on.
func (s *Service) promisePeriodForChange(ctx context.Context, tx Tx, p *Principal, id uuid.UUID, version int64) (*PromisePeriod, error) {
	if version == AnyVersion { // see AnyVersion: decided on the state read under the row's lock
		if err := tx.LockList(ctx, nil, &id); err != nil {
			return nil, err
		}
	}
	pp, err := tx.PromisePeriod(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeChange(p, pp.Parties, pp.Status.IsPublic(), "promise period", id); err != nil {
		return nil, err
	}
	return pp, checkVersion(pp.Version, version)
}
