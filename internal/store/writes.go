package store

import (
	"context"
	"reflect"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// Updates are optimistic: the row is written only if its version is still the one the caller
// read, and the write bumps it. Under concurrent writers the second one finds no row to update
// and gets EPreconditionFailed instead of silently overwriting the first.

// create inserts a row and records the revision.
func (s *Store) create(ctx context.Context, c change, row, state any) error {
	if err := s.q(ctx).Create(row).Error; err != nil {
		return translate(err)
	}
	return s.record(ctx, c, samverkan.OpCreate, "", state)
}

// updateVersioned writes every column of row where key matches and the version is version,
// setting the version to version+1. The caller records the revision once the record is whole.
func (s *Store) updateVersioned(ctx context.Context, kind string, row any, where string, key any, version int64, omit ...string) error {
	res := s.q(ctx).Model(row).Where(where+" AND version = ?", key, version).Select("*").Omit(append(omit, "created_at")...).Updates(row)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return stale(kind)
	}
	return nil
}

// deleteVersioned deletes the row with id at version and records the deletion, a tombstone
// that keeps the record as it was; about tells which record it was from the row.
func (s *Store) deleteVersioned(ctx context.Context, kind string, row any, id uuid.UUID, version int64, about func() change) error {
	if err := s.q(ctx).Where("id = ?", id).Take(row).Error; err != nil {
		return s.missing(err, kind, id)
	}
	c := about()
	res := s.q(ctx).Where("id = ? AND version = ?", id, version).Delete(row)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return stale(kind)
	}
	return s.record(ctx, c, samverkan.OpDelete, "", nil)
}

// publishList makes a list's activities public or not with it, marks those that changed as
// updated so that incremental sync sees them appear, and records a revision of each: the
// moment the activity became public is part of its history, and what the change feed and
// webhooks tell public consumers.
func (s *Store) publishList(ctx context.Context, column string, id uuid.UUID, public bool, at time.Time) error {
	var rows []activityRow
	if err := s.q(ctx).Where(column+" = ? AND public <> ?", id, public).Find(&rows).Error; err != nil {
		return translate(err)
	}
	if len(rows) == 0 {
		return nil
	}
	if err := s.q(ctx).Model(&activityRow{}).Where(column+" = ? AND public <> ?", id, public).
		Updates(map[string]any{"public": public, "updated_at": at}).Error; err != nil {
		return translate(err)
	}
	acts, err := s.activitiesWithLinks(ctx, rows)
	if err != nil {
		return err
	}
	op := samverkan.OpPublish
	if !public {
		op = samverkan.OpUpdate // lists do not go back to draft; kept for completeness
	}
	for i := range acts {
		a := &acts[i]
		a.Public, a.UpdatedAt = public, at
		if err := s.record(ctx, activityChange(a), op, "", a); err != nil {
			return err
		}
	}
	return nil
}

func municipalityChange(m *samverkan.Municipality) change {
	return change{kind: samverkan.RecordMunicipality, id: m.Code, public: true,
		parties: samverkan.Parties{MunicipalityCode: m.Code, PoliceAreaID: m.PoliceAreaID}}
}

func policeAreaChange(p *samverkan.PoliceArea) change {
	return change{kind: samverkan.RecordPoliceArea, id: p.ID, public: true, parties: samverkan.Parties{PoliceAreaID: p.ID}}
}

func agreementChange(a *samverkan.Agreement) change {
	return change{kind: samverkan.RecordAgreement, id: a.ID.String(), parties: a.Parties, public: a.IsPublic()}
}

func promisePeriodChange(p *samverkan.PromisePeriod) change {
	return change{kind: samverkan.RecordPromisePeriod, id: p.ID.String(), parties: p.Parties, public: p.Status.IsPublic()}
}

func activityChange(a *samverkan.Activity) change {
	list := a.AgreementID
	if list == nil {
		list = a.PromisePeriodID
	}
	return change{kind: samverkan.RecordActivity, id: a.ID.String(), parties: a.Parties, list: list, public: a.Public}
}

func forumChange(f *samverkan.Forum) change {
	return change{kind: samverkan.RecordForum, id: f.ID.String(), parties: f.Parties(), public: true}
}

func followUpChange(f *samverkan.FollowUp) change {
	return change{kind: samverkan.RecordFollowUp, id: f.ID.String(), parties: f.Parties, public: f.Status.IsPublic()}
}

func (s *Store) CreateMunicipality(ctx context.Context, m *samverkan.Municipality) error {
	r := fromMunicipality(m)
	return s.create(ctx, municipalityChange(m), &r, m)
}

func (s *Store) UpdateMunicipality(ctx context.Context, m *samverkan.Municipality) error {
	r := fromMunicipality(m)
	r.Version++
	if err := s.updateVersioned(ctx, samverkan.RecordMunicipality, &r, "code = ?", m.Code, m.Version); err != nil {
		return err
	}
	m.Version = r.Version
	return s.record(ctx, municipalityChange(m), samverkan.OpUpdate, "", m)
}

func (s *Store) CreatePoliceArea(ctx context.Context, p *samverkan.PoliceArea) error {
	r := fromPoliceArea(p)
	return s.create(ctx, policeAreaChange(p), &r, p)
}

func (s *Store) UpdatePoliceArea(ctx context.Context, p *samverkan.PoliceArea) error {
	r := fromPoliceArea(p)
	r.Version++
	if err := s.updateVersioned(ctx, samverkan.RecordPoliceArea, &r, "id = ?", p.ID, p.Version); err != nil {
		return err
	}
	p.Version = r.Version
	return s.record(ctx, policeAreaChange(p), samverkan.OpUpdate, "", p)
}

func (s *Store) CreateAgreement(ctx context.Context, a *samverkan.Agreement) error {
	r := fromAgreement(a)
	if err := s.create(ctx, agreementChange(a), &r, a); err != nil {
		return err
	}
	return s.writeAgreementChildren(ctx, a)
}

func (s *Store) UpdateAgreement(ctx context.Context, a *samverkan.Agreement) error {
	r := fromAgreement(a)
	r.Version++
	if err := s.updateVersioned(ctx, samverkan.RecordAgreement, &r, "id = ?", a.ID, a.Version); err != nil {
		return err
	}
	a.Version = r.Version
	if err := s.record(ctx, agreementChange(a), samverkan.OpUpdate, "", a); err != nil {
		return err
	}
	// An action plan is public exactly when its agreement is.
	if err := s.publishList(ctx, "agreement_id", a.ID, a.IsPublic(), a.UpdatedAt); err != nil {
		return err
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

// transition writes a lifecycle step of a record: its status, timestamps and version, with
// the same optimistic check as every update, moves the record's version on and records the
// step, with the record as it stands after it.
func (s *Store) transition(ctx context.Context, c change, model any, id uuid.UUID, version *int64, values map[string]any, status string, state any) error {
	values["version"] = *version + 1
	res := s.q(ctx).Model(model).Where("id = ? AND version = ?", id, *version).Updates(values)
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return stale(c.kind)
	}
	*version++
	return s.record(ctx, c, samverkan.OpTransition, status, state)
}

func (s *Store) UpdateAgreementStatus(ctx context.Context, a *samverkan.Agreement) error {
	err := s.transition(ctx, agreementChange(a), &agreementRow{}, a.ID, &a.Version,
		map[string]any{"status": string(a.Status), "updated_at": a.UpdatedAt}, string(a.Status), a)
	if err != nil {
		return err
	}
	return s.publishList(ctx, "agreement_id", a.ID, a.IsPublic(), a.UpdatedAt)
}

func (s *Store) UpdatePromisePeriodStatus(ctx context.Context, p *samverkan.PromisePeriod) error {
	err := s.transition(ctx, promisePeriodChange(p), &promisePeriodRow{}, p.ID, &p.Version,
		map[string]any{"status": string(p.Status), "published_at": p.PublishedAt, "updated_at": p.UpdatedAt}, string(p.Status), p)
	if err != nil {
		return err
	}
	return s.publishList(ctx, "promise_period_id", p.ID, p.Status.IsPublic(), p.UpdatedAt)
}

func (s *Store) UpdateFollowUpStatus(ctx context.Context, f *samverkan.FollowUp) error {
	return s.transition(ctx, followUpChange(f), &followUpRow{}, f.ID, &f.Version,
		map[string]any{"status": string(f.Status), "published_at": f.PublishedAt, "updated_at": f.UpdatedAt}, string(f.Status), f)
}

func (s *Store) DeleteAgreement(ctx context.Context, id uuid.UUID, version int64) error {
	if err := s.deleteActivitiesOf(ctx, "agreement_id", id); err != nil {
		return err
	}
	var r agreementRow
	return s.deleteVersioned(ctx, samverkan.RecordAgreement, &r, id, version, func() change {
		a := toAgreement(r)
		return agreementChange(&a)
	})
}

func (s *Store) CreatePromisePeriod(ctx context.Context, p *samverkan.PromisePeriod) error {
	r := fromPromisePeriod(p)
	if err := s.create(ctx, promisePeriodChange(p), &r, p); err != nil {
		return err
	}
	return s.writePromises(ctx, p)
}

func (s *Store) UpdatePromisePeriod(ctx context.Context, p *samverkan.PromisePeriod) error {
	r := fromPromisePeriod(p)
	r.Version++
	if err := s.updateVersioned(ctx, samverkan.RecordPromisePeriod, &r, "id = ?", p.ID, p.Version); err != nil {
		return err
	}
	p.Version = r.Version
	if err := s.record(ctx, promisePeriodChange(p), samverkan.OpUpdate, "", p); err != nil {
		return err
	}
	if err := s.publishList(ctx, "promise_period_id", p.ID, p.Status.IsPublic(), p.UpdatedAt); err != nil {
		return err
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
	if err := s.deleteActivitiesOf(ctx, "promise_period_id", id); err != nil {
		return err
	}
	var r promisePeriodRow
	return s.deleteVersioned(ctx, samverkan.RecordPromisePeriod, &r, id, version, func() change {
		p := toPromisePeriod(r)
		return promisePeriodChange(&p)
	})
}

// deleteActivitiesOf deletes a list's activities, each with its tombstone, before the list.
// The foreign keys would cascade, but PostgreSQL runs the cascade to priority areas and
// promises first and the activities' links to them refuse it; a cascade would also leave no
// tombstones. It runs in the caller's transaction, so a stale version of the list undoes it.
func (s *Store) deleteActivitiesOf(ctx context.Context, column string, id uuid.UUID) error {
	var rows []activityRow
	if err := s.q(ctx).Where(column+" = ?", id).Find(&rows).Error; err != nil {
		return translate(err)
	}
	for _, r := range rows {
		if err := s.q(ctx).Where("id = ?", r.ID).Delete(&activityRow{}).Error; err != nil {
			return translate(err)
		}
		a := toActivity(r)
		if err := s.record(ctx, activityChange(&a), samverkan.OpDelete, "", nil); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) CreateActivity(ctx context.Context, a *samverkan.Activity) error {
	r := fromActivity(a)
	if err := s.create(ctx, activityChange(a), &r, a); err != nil {
		return err
	}
	return s.writeActivityLinks(ctx, []*samverkan.Activity{a}, false)
}

// batchSize is how many keys an IN list of one statement holds.
const batchSize = 500

func (s *Store) CreateActivities(ctx context.Context, acts []*samverkan.Activity) error {
	if len(acts) == 0 {
		return nil
	}
	rows := make([]activityRow, len(acts))
	for i, a := range acts {
		rows[i] = fromActivity(a)
		if err := s.record(ctx, activityChange(a), samverkan.OpCreate, "", a); err != nil {
			return err
		}
	}
	if err := createInBatches(ctx, s, rows); err != nil {
		return err
	}
	return s.writeActivityLinks(ctx, acts, false)
}

// activityLinks are the rows that link activities to their priority areas and promises.
func activityLinks(acts []*samverkan.Activity) (areas []activityAreaRow, promises []activityPromiseRow) {
	for _, a := range acts {
		for _, id := range a.PriorityAreaIDs {
			areas = append(areas, activityAreaRow{ActivityID: a.ID, PriorityAreaID: id})
		}
		for _, id := range a.PromiseIDs {
			promises = append(promises, activityPromiseRow{ActivityID: a.ID, PromiseID: id})
		}
	}
	return areas, promises
}

// createInBatches inserts rows in multi-row statements of a bounded number of parameters:
// well under PostgreSQL's limit of 65,535, and on SQLite small, as the driver's binding of
// parameters grows with the square of their number per statement.
func createInBatches[R any](ctx context.Context, s *Store, rows []R) error {
	if len(rows) == 0 {
		return nil
	}
	return translate(s.q(ctx).CreateInBatches(&rows, rowsPerStatement[R](s)).Error)
}

// rowsPerStatement is how many rows of R one multi-row statement holds: parameters well under
// PostgreSQL's limit of 65,535, and on SQLite few, as the driver's binding of parameters
// grows with the square of their number per statement.
func rowsPerStatement[R any](s *Store) int {
	budget := 20000
	if s.dialect == SQLite {
		budget = 1000
	}
	return max(1, budget/reflect.TypeFor[R]().NumField())
}

func (s *Store) UpdateActivity(ctx context.Context, a *samverkan.Activity) error {
	r := fromActivity(a)
	r.Version++
	// public belongs to the list (publishList): an activity write never sets it.
	if err := s.updateVersioned(ctx, samverkan.RecordActivity, &r, "id = ?", a.ID, a.Version, "public"); err != nil {
		return err
	}
	a.Version = r.Version
	if err := s.writeActivityLinks(ctx, []*samverkan.Activity{a}, true); err != nil {
		return err
	}
	return s.record(ctx, activityChange(a), samverkan.OpUpdate, "", a)
}

// activityUpdateColumns are what an activity write changes: public belongs to the list
// (publishList) and created_at to the first write.
var activityUpdateColumns = []string{"agreement_id", "promise_period_id", "list_id", "municipality_code", "police_area_id",
	"description", "position", "responsible_party", "partners", "method", "recurrence", "starts_on", "ends_on", "status",
	"external_ref", "version", "updated_at"}

// UpdateActivities writes changed activities in a few statements, however many they are: one
// upsert per batch whose update applies only at the version each was read at, the links
// replaced in batches, and a revision each. The caller holds the list's lock (LockList), so
// every row exists; one that moved on meanwhile makes the whole write stale.
func (s *Store) UpdateActivities(ctx context.Context, acts []*samverkan.Activity) error {
	if len(acts) == 0 {
		return nil
	}
	rows := make([]activityRow, len(acts))
	ids := make([]uuid.UUID, len(acts))
	for i, a := range acts {
		rows[i] = fromActivity(a)
		rows[i].Version++
		ids[i] = a.ID
	}
	// The upsert could insert a row that is gone; on PostgreSQL the rows are locked first, and
	// all must be there. (SQLite has one writer, which read them in this transaction.)
	if s.dialect == Postgres {
		for chunk := range slices.Chunk(ids, batchSize) {
			var found int64
			if err := s.q(ctx).Raw("SELECT count(*) FROM (SELECT 1 FROM activities WHERE id IN ? FOR UPDATE) AS locked", chunk).Scan(&found).Error; err != nil {
				return translate(err)
			}
			if found != int64(len(chunk)) {
				return stale(samverkan.RecordActivity)
			}
		}
	}
	atVersion := clause.OnConflict{
		Columns:   []clause.Column{{Name: "id"}},
		DoUpdates: clause.AssignmentColumns(activityUpdateColumns),
		Where:     clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "activities.version = excluded.version - 1"}}},
	}
	res := s.q(ctx).Clauses(atVersion).CreateInBatches(&rows, rowsPerStatement[activityRow](s))
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected != int64(len(rows)) {
		return stale(samverkan.RecordActivity)
	}
	if err := s.writeActivityLinks(ctx, acts, true); err != nil {
		return err
	}
	for i, a := range acts {
		a.Version = rows[i].Version
		if err := s.record(ctx, activityChange(a), samverkan.OpUpdate, "", a); err != nil {
			return err
		}
	}
	return nil
}

// writeActivityLinks writes the rows that link activities to their priority areas and
// promises, in batches; replace deletes the ones they had first.
func (s *Store) writeActivityLinks(ctx context.Context, acts []*samverkan.Activity, replace bool) error {
	if replace {
		ids := mapSlice(acts, func(a *samverkan.Activity) uuid.UUID { return a.ID })
		for chunk := range slices.Chunk(ids, batchSize) {
			if err := s.q(ctx).Where("activity_id IN ?", chunk).Delete(&activityAreaRow{}).Error; err != nil {
				return translate(err)
			}
			if err := s.q(ctx).Where("activity_id IN ?", chunk).Delete(&activityPromiseRow{}).Error; err != nil {
				return translate(err)
			}
		}
	}
	areas, promises := activityLinks(acts)
	if err := createInBatches(ctx, s, areas); err != nil {
		return err
	}
	return createInBatches(ctx, s, promises)
}

func (s *Store) DeleteActivity(ctx context.Context, id uuid.UUID, version int64) error {
	var r activityRow
	return s.deleteVersioned(ctx, samverkan.RecordActivity, &r, id, version, func() change {
		a := toActivity(r)
		return activityChange(&a)
	})
}

func (s *Store) CreateForum(ctx context.Context, f *samverkan.Forum) error {
	r := fromForum(f)
	return s.create(ctx, forumChange(f), &r, f)
}

func (s *Store) UpdateForum(ctx context.Context, f *samverkan.Forum) error {
	r := fromForum(f)
	r.Version++
	if err := s.updateVersioned(ctx, samverkan.RecordForum, &r, "id = ?", f.ID, f.Version); err != nil {
		return err
	}
	f.Version = r.Version
	return s.record(ctx, forumChange(f), samverkan.OpUpdate, "", f)
}

func (s *Store) DeleteForum(ctx context.Context, id uuid.UUID, version int64) error {
	var r forumRow
	return s.deleteVersioned(ctx, samverkan.RecordForum, &r, id, version, func() change {
		f := toForum(r)
		return forumChange(&f)
	})
}

func (s *Store) CreateMeeting(ctx context.Context, m *samverkan.Meeting) error {
	r := fromMeeting(m)
	return s.create(ctx, s.meetingChange(ctx, m.ID, m.ForumID), &r, m)
}

func (s *Store) UpdateMeeting(ctx context.Context, m *samverkan.Meeting) error {
	r := fromMeeting(m)
	r.Version++
	if err := s.updateVersioned(ctx, samverkan.RecordMeeting, &r, "id = ?", m.ID, m.Version); err != nil {
		return err
	}
	m.Version = r.Version
	return s.record(ctx, s.meetingChange(ctx, m.ID, m.ForumID), samverkan.OpUpdate, "", m)
}

func (s *Store) DeleteMeeting(ctx context.Context, id uuid.UUID, version int64) error {
	var r meetingRow
	return s.deleteVersioned(ctx, samverkan.RecordMeeting, &r, id, version, func() change { return s.meetingChange(ctx, id, r.ForumID) })
}

func (s *Store) CreateFollowUp(ctx context.Context, f *samverkan.FollowUp) error {
	r := fromFollowUp(f)
	return s.create(ctx, followUpChange(f), &r, f)
}

func (s *Store) UpdateFollowUp(ctx context.Context, f *samverkan.FollowUp) error {
	r := fromFollowUp(f)
	r.Version++
	if err := s.updateVersioned(ctx, samverkan.RecordFollowUp, &r, "id = ?", f.ID, f.Version); err != nil {
		return err
	}
	f.Version = r.Version
	return s.record(ctx, followUpChange(f), samverkan.OpUpdate, "", f)
}

func (s *Store) DeleteFollowUp(ctx context.Context, id uuid.UUID, version int64) error {
	var r followUpRow
	return s.deleteVersioned(ctx, samverkan.RecordFollowUp, &r, id, version, func() change {
		f := toFollowUp(r)
		return followUpChange(&f)
	})
}

// meetingChange names a meeting for its revision with the parties of its forum. A missing
// forum leaves them empty; the write itself reports it.
func (s *Store) meetingChange(ctx context.Context, id, forumID uuid.UUID) change {
	c := change{kind: samverkan.RecordMeeting, id: id.String(), public: true}
	var f forumRow
	if err := s.q(ctx).Select("municipality_code", "police_area_id").Where("id = ?", forumID).Take(&f).Error; err == nil {
		c.parties = samverkan.Parties{MunicipalityCode: f.MunicipalityCode, PoliceAreaID: str(f.PoliceAreaID)}
	}
	return c
}

// LockList holds an activity list's parent row until the transaction ends, so that an
// activity written into the list and the list's publication or archiving happen one after
// the other. SQLite has one writer at a time already.
func (s *Store) LockList(ctx context.Context, agreementID, periodID *uuid.UUID) error {
	if s.dialect != Postgres {
		return nil
	}
	table, id := "agreements", agreementID
	if periodID != nil {
		table, id = "promise_periods", periodID
	}
	if id == nil {
		return nil
	}
	return translate(s.q(ctx).Exec("SELECT 1 FROM "+table+" WHERE id = ? FOR UPDATE", *id).Error)
}
