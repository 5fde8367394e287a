package samverkan

import (
	"context"

	"github.com/google/uuid"
)

func (s *Service) FollowUp(ctx context.Context, p *Principal, id uuid.UUID) (*FollowUp, error) {
	f, err := s.store.FollowUp(ctx, id)
	if err != nil {
		return nil, err
	}
	if !f.Status.IsPublic() && !p.CanSeeDrafts(f.Parties) {
		return nil, NotFound("follow-up", id)
	}
	return f, nil
}

func (s *Service) ListFollowUps(ctx context.Context, p *Principal, f FollowUpFilter) (Page[FollowUp], error) {
	pageLimit(&f.PageRequest)
	f.Drafts = draftScopeOf(p)
	return s.store.ListFollowUps(ctx, f)
}

func (s *Service) CreateFollowUp(ctx context.Context, p *Principal, f FollowUp) (*FollowUp, error) {
	return inTx(ctx, s, p, func(tx Tx) (*FollowUp, error) { return s.createFollowUp(ctx, tx, p, f) })
}

func (s *Service) createFollowUp(ctx context.Context, tx Tx, p *Principal, f FollowUp) (*FollowUp, error) {
	if p == nil {
		return nil, requireWrite(p, Parties{})
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkFollowUpRefs(ctx, tx, p, &f); err != nil {
		return nil, err
	}
	if err := requireWrite(p, f.Parties); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	f.ID, f.Status, f.PublishedAt, f.Version, f.CreatedAt, f.UpdatedAt = newID(), Draft, nil, 1, now, now
	return &f, tx.CreateFollowUp(ctx, &f)
}

func (s *Service) UpdateFollowUp(ctx context.Context, p *Principal, id uuid.UUID, version int64, in FollowUp) (*FollowUp, error) {
	return inTx(ctx, s, p, func(tx Tx) (*FollowUp, error) { return s.updateFollowUp(ctx, tx, p, id, version, in) })
}

func (s *Service) updateFollowUp(ctx context.Context, tx Tx, p *Principal, id uuid.UUID, version int64, in FollowUp) (*FollowUp, error) {
	f, err := s.followUpForChange(ctx, tx, p, id, version)
	if err != nil {
		return nil, err
	}
	if f.Status == Archived {
		return nil, Errorf(EConflict, "An archived follow-up is part of the record and cannot change.")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkFollowUpRefs(ctx, tx, p, &in); err != nil {
		return nil, err
	}
	if err := partiesUnchanged(f.Parties, in.Parties); err != nil {
		return nil, err
	}
	if err := publicRefs(ctx, tx, f.Status.IsPublic(), in.AgreementID, in.PromisePeriodID); err != nil {
		return nil, err
	}
	keepRef(&in.ExternalRef, f.ExternalRef)
	if sameContent(followUpContent(f), followUpContent(&in)) {
		return f, nil
	}
	in.ID, in.Status, in.PublishedAt, in.Version, in.CreatedAt, in.UpdatedAt = f.ID, f.Status, f.PublishedAt, f.Version, f.CreatedAt, s.now().UTC()
	return &in, tx.UpdateFollowUp(ctx, &in)
}

// checkFollowUpRefs resolves the subject (and with it the parties), the meeting, and that
// every assessed promise and reported activity belongs to the subject.
func (s *Service) checkFollowUpRefs(ctx context.Context, tx Tx, p *Principal, f *FollowUp) error {
	var pr Problems
	var promises map[uuid.UUID]bool
	var acts ActivityFilter
	switch {
	case f.PromisePeriodID != nil:
		pp, err := tx.PromisePeriod(ctx, *f.PromisePeriodID)
		if ErrorCode(err) == ENotFound || (err == nil && !pp.Status.IsPublic() && !p.CanSeeDrafts(pp.Parties)) {
			pr.AddUnprocessable("/promisePeriodId", "no promise period has this id")
			return pr.Err()
		} else if err != nil {
			return err
		}
		f.Parties = pp.Parties
		promises = map[uuid.UUID]bool{}
		for _, x := range pp.Promises {
			promises[x.ID] = true
		}
		acts.PromisePeriodID = &pp.ID
	default:
		a, err := tx.Agreement(ctx, *f.AgreementID)
		if ErrorCode(err) == ENotFound || (err == nil && !a.IsPublic() && !p.CanSeeDrafts(a.Parties)) {
			pr.AddUnprocessable("/agreementId", "no agreement has this id")
			return pr.Err()
		} else if err != nil {
			return err
		}
		f.Parties = a.Parties
		acts.AgreementID = &a.ID
	}
	for i, a := range f.PromiseAssessments {
		if !promises[a.PromiseID] {
			pr.AddUnprocessable(ptr("/promiseAssessments", i, "promiseId"), "no promise with this id belongs to the promise period")
		}
	}
	if len(f.ActivityStatuses) > 0 {
		list, err := allActivities(ctx, tx, acts)
		if err != nil {
			return err
		}
		ids := map[uuid.UUID]bool{}
		for _, a := range list {
			ids[a.ID] = true
		}
		for i, st := range f.ActivityStatuses {
			if !ids[st.ActivityID] {
				pr.AddUnprocessable(ptr("/activityStatuses", i, "activityId"), "no activity with this id belongs to the followed-up list")
			}
		}
	}
	if f.MeetingID != nil {
		m, err := tx.Meeting(ctx, *f.MeetingID)
		switch {
		case ErrorCode(err) == ENotFound:
			pr.AddUnprocessable("/meetingId", "no meeting has this id")
		case err != nil:
			return err
		default:
			fo, err := tx.Forum(ctx, m.ForumID)
			if err != nil {
				return err
			}
			if fo.MunicipalityCode != f.Parties.MunicipalityCode {
				pr.AddUnprocessable("/meetingId", "the meeting is of a forum of municipality %s", fo.MunicipalityCode)
			}
		}
	}
	return pr.Err()
}

func (s *Service) TransitionFollowUp(ctx context.Context, p *Principal, id uuid.UUID, version int64, to PublicationStatus) (*FollowUp, error) {
	return inTx(ctx, s, p, func(tx Tx) (*FollowUp, error) { return s.transitionFollowUp(ctx, tx, p, id, version, to) })
}

func (s *Service) transitionFollowUp(ctx context.Context, tx Tx, p *Principal, id uuid.UUID, version int64, to PublicationStatus) (*FollowUp, error) {
	f, err := s.followUpForChange(ctx, tx, p, id, version)
	if err != nil {
		return nil, err
	}
	if err := f.TransitionTo(to, s.now()); err != nil {
		return nil, err
	}
	if err := publicRefs(ctx, tx, f.Status.IsPublic(), f.AgreementID, f.PromisePeriodID); err != nil {
		return nil, err
	}
	f.UpdatedAt = s.now().UTC()
	return f, tx.UpdateFollowUpStatus(ctx, f)
}

func (s *Service) DeleteFollowUp(ctx context.Context, p *Principal, id uuid.UUID, version int64) error {
	return s.store.Tx(ctx, p.Actor(), func(tx Tx) error {
		f, err := s.followUpForChange(ctx, tx, p, id, version)
		if err != nil {
			return err
		}
		if f.Status != Draft {
			return Errorf(EConflict, "Only a draft follow-up can be deleted; this one is %s. Archive it instead.", f.Status)
		}
		return tx.DeleteFollowUp(ctx, id, f.Version)
	})
}

// followUpForChange loads a follow-up for a write: it must exist, be visible to the principal, be
// theirs to change, and still be at the version the change was based on.
func (s *Service) followUpForChange(ctx context.Context, tx Tx, p *Principal, id uuid.UUID, version int64) (*FollowUp, error) {
	if version == AnyVersion { // see AnyVersion: decided on the state read under the row's lock
		if err := tx.LockFollowUp(ctx, id); err != nil {
			return nil, err
		}
	}
	f, err := tx.FollowUp(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.authorizeChange(p, f.Parties, f.Status.IsPublic(), "follow-up", id); err != nil {
		return nil, err
	}
	return f, checkVersion(f.Version, version)
}
