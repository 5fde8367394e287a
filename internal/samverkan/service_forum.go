package samverkan

import (
	"context"

	"github.com/google/uuid"
)

// Forums and their meetings are public: they describe how the parties work, never individuals.

func (s *Service) Forum(ctx context.Context, id uuid.UUID) (*Forum, error) {
	return s.store.Forum(ctx, id)
}

func (s *Service) ListForums(ctx context.Context, f ForumFilter) (Page[Forum], error) {
	pageLimit(&f.PageRequest)
	return s.store.ListForums(ctx, f)
}

func (s *Service) CreateForum(ctx context.Context, p *Principal, f Forum) (*Forum, error) {
	return inTx(ctx, s, p, func(tx Tx) (*Forum, error) { return s.createForum(ctx, tx, p, f) })
}

func (s *Service) createForum(ctx context.Context, tx Tx, p *Principal, f Forum) (*Forum, error) {
	if err := requireWrite(p, f.Parties()); err != nil {
		return nil, err
	}
	var pr Problems
	if err := checkParties(ctx, tx, &pr, f.Parties()); err != nil {
		return nil, err
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	f.ID, f.Version, f.CreatedAt, f.UpdatedAt = newID(), 1, now, now
	return &f, tx.CreateForum(ctx, &f)
}

func (s *Service) UpdateForum(ctx context.Context, p *Principal, id uuid.UUID, version int64, in Forum) (*Forum, error) {
	return inTx(ctx, s, p, func(tx Tx) (*Forum, error) { return s.updateForum(ctx, tx, p, id, version, in) })
}

func (s *Service) updateForum(ctx context.Context, tx Tx, p *Principal, id uuid.UUID, version int64, in Forum) (*Forum, error) {
	f, err := tx.Forum(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := requireWrite(p, f.Parties()); err != nil {
		return nil, err
	}
	if err := checkVersion(f.Version, version); err != nil {
		return nil, err
	}
	if err := partiesUnchanged(f.Parties(), in.Parties()); err != nil {
		return nil, err
	}
	keepRef(&in.ExternalRef, f.ExternalRef)
	var pr Problems
	if err := checkParties(ctx, tx, &pr, in.Parties()); err != nil {
		return nil, err
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	if sameContent(forumContent(f), forumContent(&in)) {
		return f, nil
	}
	in.ID, in.Version, in.CreatedAt, in.UpdatedAt = f.ID, f.Version, f.CreatedAt, s.now().UTC()
	return &in, tx.UpdateForum(ctx, &in)
}

func (s *Service) DeleteForum(ctx context.Context, p *Principal, id uuid.UUID, version int64) error {
	return s.store.Tx(ctx, p.Actor(), func(tx Tx) error {
		f, err := tx.Forum(ctx, id)
		if err != nil {
			return err
		}
		if err := requireWrite(p, f.Parties()); err != nil {
			return err
		}
		if err := checkVersion(f.Version, version); err != nil {
			return err
		}
		// Agreements name their forums, and meetings hold follow-ups: the store refuses to
		// delete a forum still referred to, as a conflict.
		return tx.DeleteForum(ctx, id, f.Version)
	})
}

func (s *Service) Meeting(ctx context.Context, id uuid.UUID) (*Meeting, error) {
	return s.store.Meeting(ctx, id)
}

func (s *Service) ListMeetings(ctx context.Context, f MeetingFilter) (Page[Meeting], error) {
	if _, err := s.store.Forum(ctx, f.ForumID); err != nil {
		return Page[Meeting]{}, err
	}
	pageLimit(&f.PageRequest)
	return s.store.ListMeetings(ctx, f)
}

func (s *Service) CreateMeeting(ctx context.Context, p *Principal, m Meeting) (*Meeting, error) {
	return inTx(ctx, s, p, func(tx Tx) (*Meeting, error) { return s.createMeeting(ctx, tx, p, m) })
}

func (s *Service) createMeeting(ctx context.Context, tx Tx, p *Principal, m Meeting) (*Meeting, error) {
	if _, err := s.meetingForum(ctx, tx, p, m.ForumID); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	m.ID, m.Version, m.CreatedAt, m.UpdatedAt = newID(), 1, now, now
	return &m, tx.CreateMeeting(ctx, &m)
}

// meetingForum loads a meeting's forum and checks that the principal writes for it.
func (s *Service) meetingForum(ctx context.Context, tx Tx, p *Principal, forumID uuid.UUID) (*Forum, error) {
	f, err := tx.Forum(ctx, forumID)
	if err != nil {
		return nil, err
	}
	return f, requireWrite(p, f.Parties())
}

func (s *Service) UpdateMeeting(ctx context.Context, p *Principal, id uuid.UUID, version int64, in Meeting) (*Meeting, error) {
	return inTx(ctx, s, p, func(tx Tx) (*Meeting, error) { return s.updateMeeting(ctx, tx, p, id, version, in) })
}

func (s *Service) updateMeeting(ctx context.Context, tx Tx, p *Principal, id uuid.UUID, version int64, in Meeting) (*Meeting, error) {
	m, err := tx.Meeting(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.meetingForum(ctx, tx, p, m.ForumID); err != nil {
		return nil, err
	}
	if err := checkVersion(m.Version, version); err != nil {
		return nil, err
	}
	in.ID, in.ForumID, in.Version, in.CreatedAt, in.UpdatedAt = m.ID, m.ForumID, m.Version, m.CreatedAt, m.UpdatedAt
	if sameContent(in, *m) {
		return m, nil
	}
	in.UpdatedAt = s.now().UTC()
	return &in, tx.UpdateMeeting(ctx, &in)
}

func (s *Service) DeleteMeeting(ctx context.Context, p *Principal, id uuid.UUID, version int64) error {
	return s.store.Tx(ctx, p.Actor(), func(tx Tx) error {
		m, err := tx.Meeting(ctx, id)
		if err != nil {
			return err
		}
		if _, err := s.meetingForum(ctx, tx, p, m.ForumID); err != nil {
			return err
		}
		if err := checkVersion(m.Version, version); err != nil {
			return err
		}
		return tx.DeleteMeeting(ctx, id, m.Version)
	})
}
