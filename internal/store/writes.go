package store

import (
	"context"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// Updates are optimistic: the row is written only if its version is still the one the caller
// read, and the write bumps it. Under concurrent writers the second one finds no row to update
// and gets EPreconditionFailed instead of silently overwriting the first.

func (s *Store) create(ctx context.Context, row any) error {
	return translate(s.q(ctx).Create(row).Error)
}

// updateVersioned writes every column of row where key matches and the version is version,
// setting the version to version+1.
func (s *Store) updateVersioned(ctx context.Context, kind string, row any, where string, key any, version int64) error {
	res := s.q(ctx).Model(row).Where(where+" AND version = ?", key, version).Select("*").Omit("created_at").Updates(row)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return stale(kind)
	}
	return nil
}

func (s *Store) deleteVersioned(ctx context.Context, kind string, row any, id uuid.UUID, version int64) error {
	res := s.q(ctx).Where("id = ? AND version = ?", id, version).Delete(row)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return stale(kind)
	}
	return nil
}

func (s *Store) CreateMunicipality(ctx context.Context, m *samverkan.Municipality) error {
	r := fromMunicipality(m)
	return s.create(ctx, &r)
}

func (s *Store) UpdateMunicipality(ctx context.Context, m *samverkan.Municipality) error {
	r := fromMunicipality(m)
	r.Version++
	if err := s.updateVersioned(ctx, "municipality", &r, "code = ?", m.Code, m.Version); err != nil {
		return err
	}
	m.Version = r.Version
	return nil
}

func (s *Store) CreatePoliceArea(ctx context.Context, p *samverkan.PoliceArea) error {
	r := fromPoliceArea(p)
	return s.create(ctx, &r)
}

func (s *Store) UpdatePoliceArea(ctx context.Context, p *samverkan.PoliceArea) error {
	r := fromPoliceArea(p)
	r.Version++
	if err := s.updateVersioned(ctx, "police area", &r, "id = ?", p.ID, p.Version); err != nil {
		return err
	}
	p.Version = r.Version
	return nil
}

func (s *Store) CreateAgreement(ctx context.Context, a *samverkan.Agreement) error {
	r := fromAgreement(a)
	if err := s.create(ctx, &r); err != nil {
		return err
	}
	return s.writeAgreementChildren(ctx, a)
}

func (s *Store) UpdateAgreement(ctx context.Context, a *samverkan.Agreement) error {
	r := fromAgreement(a)
	r.Version++
	if err := s.updateVersioned(ctx, "agreement", &r, "id = ?", a.ID, a.Version); err != nil {
		return err
	}
	a.Version = r.Version
	// An action plan is public exactly when its agreement is.
	if err := s.q(ctx).Model(&activityRow{}).Where("agreement_id = ?", a.ID).Update("public", a.IsPublic()).Error; err != nil {
		return translate(err)
	}
	return s.writeAgreementChildren(ctx, a)
}

// writeAgreementChildren makes the stored priority areas and forum links equal to a's:
// removed areas are deleted (the foreign keys refuse while activities use them), kept ones are
// updated in place so their ids stay, new ones are inserted.
func (s *Store) writeAgreementChildren(ctx context.Context, a *samverkan.Agreement) error {
	keep := mapSlice(a.PriorityAreas, func(p samverkan.PriorityArea) uuid.UUID { return p.ID })
	del := s.q(ctx).Where("agreement_id = ?", a.ID)
	if len(keep) > 0 {
		del = del.Where("id NOT IN ?", keep)
	}
	if err := del.Delete(&priorityAreaRow{}).Error; err != nil {
		return translate(err)
	}
	if len(a.PriorityAreas) > 0 {
		rows := mapSlice(a.PriorityAreas, func(p samverkan.PriorityArea) priorityAreaRow { return fromPriorityArea(a.ID, p) })
		if err := upsert(s.q(ctx), &rows); err != nil {
			return err
		}
	}
	if err := s.q(ctx).Where("agreement_id = ?", a.ID).Delete(&agreementForumRow{}).Error; err != nil {
		return translate(err)
	}
	if len(a.ForumIDs) > 0 {
		links := make([]agreementForumRow, len(a.ForumIDs))
		for i, f := range a.ForumIDs {
			links[i] = agreementForumRow{AgreementID: a.ID, ForumID: f, Position: i + 1}
		}
		if err := s.q(ctx).Create(&links).Error; err != nil {
			return translate(err)
		}
	}
	return nil
}

// upsert inserts rows in one statement, updating the ones whose primary key exists.
func upsert[R any](q *gorm.DB, rows *[]R) error {
	return translate(q.Clauses(clause.OnConflict{UpdateAll: true}).Create(rows).Error)
}

func (s *Store) DeleteAgreement(ctx context.Context, id uuid.UUID, version int64) error {
	return s.deleteVersioned(ctx, "agreement", &agreementRow{}, id, version)
}

func (s *Store) CreatePromisePeriod(ctx context.Context, p *samverkan.PromisePeriod) error {
	r := fromPromisePeriod(p)
	if err := s.create(ctx, &r); err != nil {
		return err
	}
	return s.writePromises(ctx, p)
}

func (s *Store) UpdatePromisePeriod(ctx context.Context, p *samverkan.PromisePeriod) error {
	r := fromPromisePeriod(p)
	r.Version++
	if err := s.updateVersioned(ctx, "promise period", &r, "id = ?", p.ID, p.Version); err != nil {
		return err
	}
	p.Version = r.Version
	if err := s.q(ctx).Model(&activityRow{}).Where("promise_period_id = ?", p.ID).Update("public", p.Status.IsPublic()).Error; err != nil {
		return translate(err)
	}
	return s.writePromises(ctx, p)
}

func (s *Store) writePromises(ctx context.Context, p *samverkan.PromisePeriod) error {
	keep := mapSlice(p.Promises, func(x samverkan.Promise) uuid.UUID { return x.ID })
	del := s.q(ctx).Where("promise_period_id = ?", p.ID)
	if len(keep) > 0 {
		del = del.Where("id NOT IN ?", keep)
	}
	if err := del.Delete(&promiseRow{}).Error; err != nil {
		return translate(err)
	}
	if len(p.Promises) == 0 {
		return nil
	}
	rows := mapSlice(p.Promises, func(x samverkan.Promise) promiseRow { return fromPromise(p.ID, x) })
	return upsert(s.q(ctx), &rows)
}

func (s *Store) DeletePromisePeriod(ctx context.Context, id uuid.UUID, version int64) error {
	return s.deleteVersioned(ctx, "promise period", &promisePeriodRow{}, id, version)
}

func (s *Store) CreateActivity(ctx context.Context, a *samverkan.Activity) error {
	r := fromActivity(a)
	if err := s.create(ctx, &r); err != nil {
		return err
	}
	return s.writeActivityLinks(ctx, a, false)
}

func (s *Store) UpdateActivity(ctx context.Context, a *samverkan.Activity) error {
	r := fromActivity(a)
	r.Version++
	if err := s.updateVersioned(ctx, "activity", &r, "id = ?", a.ID, a.Version); err != nil {
		return err
	}
	a.Version = r.Version
	return s.writeActivityLinks(ctx, a, true)
}

func (s *Store) writeActivityLinks(ctx context.Context, a *samverkan.Activity, replace bool) error {
	if replace {
		if err := s.q(ctx).Where("activity_id = ?", a.ID).Delete(&activityAreaRow{}).Error; err != nil {
			return translate(err)
		}
		if err := s.q(ctx).Where("activity_id = ?", a.ID).Delete(&activityPromiseRow{}).Error; err != nil {
			return translate(err)
		}
	}
	if len(a.PriorityAreaIDs) > 0 {
		rows := mapSlice(a.PriorityAreaIDs, func(id uuid.UUID) activityAreaRow { return activityAreaRow{ActivityID: a.ID, PriorityAreaID: id} })
		if err := s.q(ctx).Create(&rows).Error; err != nil {
			return translate(err)
		}
	}
	if len(a.PromiseIDs) > 0 {
		rows := mapSlice(a.PromiseIDs, func(id uuid.UUID) activityPromiseRow { return activityPromiseRow{ActivityID: a.ID, PromiseID: id} })
		if err := s.q(ctx).Create(&rows).Error; err != nil {
			return translate(err)
		}
	}
	return nil
}

func (s *Store) DeleteActivity(ctx context.Context, id uuid.UUID, version int64) error {
	return s.deleteVersioned(ctx, "activity", &activityRow{}, id, version)
}

func (s *Store) CreateForum(ctx context.Context, f *samverkan.Forum) error {
	r := fromForum(f)
	return s.create(ctx, &r)
}

func (s *Store) UpdateForum(ctx context.Context, f *samverkan.Forum) error {
	r := fromForum(f)
	r.Version++
	if err := s.updateVersioned(ctx, "forum", &r, "id = ?", f.ID, f.Version); err != nil {
		return err
	}
	f.Version = r.Version
	return nil
}

func (s *Store) DeleteForum(ctx context.Context, id uuid.UUID, version int64) error {
	return s.deleteVersioned(ctx, "forum", &forumRow{}, id, version)
}

func (s *Store) CreateMeeting(ctx context.Context, m *samverkan.Meeting) error {
	r := fromMeeting(m)
	return s.create(ctx, &r)
}

func (s *Store) UpdateMeeting(ctx context.Context, m *samverkan.Meeting) error {
	r := fromMeeting(m)
	r.Version++
	if err := s.updateVersioned(ctx, "meeting", &r, "id = ?", m.ID, m.Version); err != nil {
		return err
	}
	m.Version = r.Version
	return nil
}

func (s *Store) DeleteMeeting(ctx context.Context, id uuid.UUID, version int64) error {
	return s.deleteVersioned(ctx, "meeting", &meetingRow{}, id, version)
}

func (s *Store) CreateFollowUp(ctx context.Context, f *samverkan.FollowUp) error {
	r := fromFollowUp(f)
	return s.create(ctx, &r)
}

func (s *Store) UpdateFollowUp(ctx context.Context, f *samverkan.FollowUp) error {
	r := fromFollowUp(f)
	r.Version++
	if err := s.updateVersioned(ctx, "follow-up", &r, "id = ?", f.ID, f.Version); err != nil {
		return err
	}
	f.Version = r.Version
	return nil
}

func (s *Store) DeleteFollowUp(ctx context.Context, id uuid.UUID, version int64) error {
	return s.deleteVersioned(ctx, "follow-up", &followUpRow{}, id, version)
}
