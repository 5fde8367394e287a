package samverkan

import (
	"context"

	"github.com/google/uuid"
)

func (s *Service) Agreement(ctx context.Context, p *Principal, id uuid.UUID) (*Agreement, error) {
	a, err := s.store.Agreement(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.IsPublic() && !p.CanSeeDrafts(a.Parties) {
		return nil, NotFound("agreement", id)
	}
	return a, nil
}

func (s *Service) ListAgreements(ctx context.Context, p *Principal, f AgreementFilter) (Page[Agreement], error) {
	pageLimit(&f.PageRequest)
	f.Drafts = draftScopeOf(p)
	f.Today = Day(s.now())
	return s.store.ListAgreements(ctx, f)
}

// CreateAgreement stores a new agreement as a draft.
func (s *Service) CreateAgreement(ctx context.Context, p *Principal, a Agreement) (*Agreement, error) {
	return inTx(ctx, s, p, func(tx Tx) (*Agreement, error) { return s.createAgreement(ctx, tx, p, a) })
}

func (s *Service) createAgreement(ctx context.Context, tx Tx, p *Principal, a Agreement) (*Agreement, error) {
	if err := requireWrite(p, a.Parties); err != nil {
		return nil, err
	}
	a.ID = newID()
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkAgreementRefs(ctx, tx, &a, nil); err != nil {
		return nil, err
	}
	for i := range a.PriorityAreas {
		a.PriorityAreas[i].ID = newID()
		a.PriorityAreas[i].Position = i + 1
	}
	now := s.now().UTC()
	a.Status, a.Version, a.CreatedAt, a.UpdatedAt = AgreementDraft, 1, now, now
	return &a, tx.CreateAgreement(ctx, &a)
}

// UpdateAgreement replaces an agreement's content; its status changes only by transitions.
func (s *Service) UpdateAgreement(ctx context.Context, p *Principal, id uuid.UUID, version int64, in Agreement) (*Agreement, error) {
	return inTx(ctx, s, p, func(tx Tx) (*Agreement, error) { return s.updateAgreement(ctx, tx, p, id, version, in) })
}

func (s *Service) updateAgreement(ctx context.Context, tx Tx, p *Principal, id uuid.UUID, version int64, in Agreement) (*Agreement, error) {
	a, err := s.agreementForChange(ctx, tx, p, id, version)
	if err != nil {
		return nil, err
	}
	if err := partiesUnchanged(a.Parties, in.Parties); err != nil {
		return nil, err
	}
	if a.Status == AgreementSuperseded {
		return nil, Errorf(EConflict, "A superseded agreement is part of the record and cannot change.")
	}
	in.ID, in.Status, in.Version, in.CreatedAt = a.ID, a.Status, a.Version, a.CreatedAt
	keepRef(&in.ExternalRef, a.ExternalRef)
	for i := range in.PriorityAreas {
		if kept, ok := a.PriorityArea(in.PriorityAreas[i].ID); ok {
			keepRef(&in.PriorityAreas[i].ExternalRef, kept.ExternalRef)
		}
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkAgreementRefs(ctx, tx, &in, a); err != nil {
		return nil, err
	}
	if sameContent(agreementContent(a), agreementContent(&in)) {
		return a, nil // nothing changes, so neither does the version
	}
	in.UpdatedAt = s.now().UTC()
	return &in, tx.UpdateAgreement(ctx, &in)
}

// authorizeChange hides drafts from outsiders (404) before it refuses them (403), so that a
// write never reveals that a draft exists.
func (s *Service) authorizeChange(p *Principal, parties Parties, public bool, kind string, id any) error {
	if p == nil {
		return requireWrite(p, parties)
	}
	if !public && !p.CanSeeDrafts(parties) {
		return NotFound(kind, id)
	}
	return requireWrite(p, parties)
}

// checkAgreementRefs verifies parties, forums, the replaced agreement and, on update, that
// kept priority areas exist and removed ones are no longer used.
func (s *Service) checkAgreementRefs(ctx context.Context, tx Tx, a *Agreement, stored *Agreement) error {
	var p Problems
	if err := checkParties(ctx, tx, &p, a.Parties); err != nil {
		return err
	}
	for i, fid := range a.ForumIDs {
		f, err := tx.Forum(ctx, fid)
		switch {
		case ErrorCode(err) == ENotFound:
			p.AddUnprocessable(ptr("/forumIds", i, ""), "no forum has this id")
		case err != nil:
			return err
		case f.MunicipalityCode != a.MunicipalityCode:
			p.AddUnprocessable(ptr("/forumIds", i, ""), "the forum belongs to municipality %s", f.MunicipalityCode)
		}
	}
	if a.ReplacesID != nil {
		r, err := tx.Agreement(ctx, *a.ReplacesID)
		switch {
		case ErrorCode(err) == ENotFound:
			p.AddUnprocessable("/replacesAgreementId", "no agreement has this id")
		case err != nil:
			return err
		case r.MunicipalityCode != a.MunicipalityCode:
			p.AddUnprocessable("/replacesAgreementId", "the replaced agreement belongs to municipality %s", r.MunicipalityCode)
		}
	}
	if stored == nil {
		for i, pa := range a.PriorityAreas {
			if pa.ID != uuid.Nil {
				p.AddUnprocessable(ptr("/priorityAreas", i, "id"), "a new agreement has no priority areas to keep; leave the id out")
			}
		}
		return p.Err()
	}
	kept := map[uuid.UUID]bool{}
	for i := range a.PriorityAreas {
		pa := &a.PriorityAreas[i]
		pa.Position = i + 1
		if pa.ID == uuid.Nil {
			pa.ID = newID()
			continue
		}
		if _, ok := stored.PriorityArea(pa.ID); !ok {
			p.AddUnprocessable(ptr("/priorityAreas", i, "id"), "the agreement has no priority area with this id")
		}
		kept[pa.ID] = true
	}
	for _, old := range stored.PriorityAreas {
		if kept[old.ID] {
			continue
		}
		used, err := tx.ListActivities(ctx, ActivityFilter{PageRequest: PageRequest{Limit: 1}, Drafts: DraftScope{All: true}, PriorityAreaID: &old.ID})
		if err != nil {
			return err
		}
		if len(used.Items) > 0 {
			return &Error{Code: EConflict, Message: "The priority area \u201c" + old.Title + "\u201d cannot be removed while activities refer to it.",
				Fields: []FieldError{{Pointer: "/priorityAreas", Detail: "must keep " + old.ID.String()}}}
		}
	}
	return p.Err()
}

// TransitionAgreement moves an agreement along its lifecycle; version may be AnyVersion.
func (s *Service) TransitionAgreement(ctx context.Context, p *Principal, id uuid.UUID, version int64, to AgreementStatus) (*Agreement, error) {
	return inTx(ctx, s, p, func(tx Tx) (*Agreement, error) { return s.transitionAgreement(ctx, tx, p, id, version, to) })
}

func (s *Service) transitionAgreement(ctx context.Context, tx Tx, p *Principal, id uuid.UUID, version int64, to AgreementStatus) (*Agreement, error) {
	a, err := s.agreementForChange(ctx, tx, p, id, version)
	if err != nil {
		return nil, err
	}
	if err := a.TransitionTo(to, s.now()); err != nil {
		return nil, err
	}
	a.UpdatedAt = s.now().UTC()
	return a, tx.UpdateAgreementStatus(ctx, a)
}

// DeleteAgreement removes a draft with its action plan. Signed agreements are public record.
func (s *Service) DeleteAgreement(ctx context.Context, p *Principal, id uuid.UUID, version int64) error {
	return s.store.Tx(ctx, p.Actor(), func(tx Tx) error {
		a, err := s.agreementForChange(ctx, tx, p, id, version)
		if err != nil {
			return err
		}
		if a.Status != AgreementDraft {
			return Errorf(EConflict, "Only a draft agreement can be deleted; this one is %s. Supersede it instead.", a.Status)
		}
		periods, err := tx.ListPromisePeriods(ctx, PromisePeriodFilter{PageRequest: PageRequest{Limit: 1}, Drafts: DraftScope{All: true}, AgreementID: &id})
		if err != nil {
			return err
		}
		followUps, err := tx.ListFollowUps(ctx, FollowUpFilter{PageRequest: PageRequest{Limit: 1}, Drafts: DraftScope{All: true}, AgreementID: &id})
		if err != nil {
			return err
		}
		if len(periods.Items) > 0 || len(followUps.Items) > 0 {
			return Errorf(EConflict, "The agreement cannot be deleted while promise periods or follow-ups refer to it.")
		}
		return tx.DeleteAgreement(ctx, id, a.Version)
	})
}

// agreementForChange loads a agreement for a write: it must exist, be visible to the principal, be
// theirs to change, and still be at the version the change was based on.
func (s *Service) agreementForChange(ctx context.Context, tx Tx, p *Principal, id uuid.UUID, version int64) (*Agreement, error) {
	if version == AnyVersion { // see AnyVersion: decided on the state read under the row's lock
		if err := tx.LockList(ctx, &id, nil); err != nil {
			return nil, err
		}
	}
	a, err := tx.Agreement(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeChange(p, a.Parties, a.IsPublic(), "agreement", id); err != nil {
		return nil, err
	}
	return a, checkVersion(a.Version, version)
}
