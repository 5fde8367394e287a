package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// Each list has one stable natural order, plus the updatedAt orders for incremental sync, and
// the index that serves each (see the migrations).
var (
	municipalityOrders = map[string]order[municipalityRow]{"": {keyset{name: "municipalities", cols: []string{"code"}, kinds: "s"},
		func(r municipalityRow) []any { return []any{r.Code} }}}
	policeAreaOrders = map[string]order[policeAreaRow]{"": {keyset{name: "police-areas", cols: []string{"id"}, kinds: "s"},
		func(r policeAreaRow) []any { return []any{r.ID} }}}
	agreementOrders = byUpdated("agreements", order[agreementRow]{keyset{name: "agreements", cols: []string{"id"}, kinds: "u", desc: true},
		func(r agreementRow) []any { return []any{r.ID.String()} }},
		func(r agreementRow) (time.Time, string) { return r.UpdatedAt, r.ID.String() })
	promisePeriodOrders = byUpdated("promise-periods", order[promisePeriodRow]{keyset{name: "promise-periods", cols: []string{"start_year", "id"}, kinds: "iu", desc: true},
		func(r promisePeriodRow) []any { return []any{r.StartYear, r.ID.String()} }},
		func(r promisePeriodRow) (time.Time, string) { return r.UpdatedAt, r.ID.String() })
	activityOrders = byUpdated("activities", order[activityRow]{keyset{name: "activities", cols: []string{"list_id", "position", "id"}, kinds: "uiu"},
		func(r activityRow) []any { return []any{r.ListID.String(), r.Position, r.ID.String()} }},
		func(r activityRow) (time.Time, string) { return r.UpdatedAt, r.ID.String() })
	forumOrders = byUpdated("forums", order[forumRow]{keyset{name: "forums", cols: []string{"municipality_code", "code", "id"}, kinds: "ssu"},
		func(r forumRow) []any { return []any{r.MunicipalityCode, r.Code, r.ID.String()} }},
		func(r forumRow) (time.Time, string) { return r.UpdatedAt, r.ID.String() })
	meetingOrders = map[string]order[meetingRow]{"": {keyset{name: "meetings", cols: []string{"held_on", "id"}, kinds: "du", desc: true},
		func(r meetingRow) []any { return []any{r.HeldOn.T.Format(time.DateOnly), r.ID.String()} }}}
	followUpOrders = byUpdated("follow-ups", order[followUpRow]{keyset{name: "follow-ups", cols: []string{"id"}, kinds: "u", desc: true},
		func(r followUpRow) []any { return []any{r.ID.String()} }},
		func(r followUpRow) (time.Time, string) { return r.UpdatedAt, r.ID.String() })
)

// syncFilter applies the filters every cross-municipality list shares.
func syncFilter(q *gorm.DB, f samverkan.SyncFilter) *gorm.DB {
	if f.County != "" {
		q = q.Where("municipality_code IN (SELECT code FROM municipalities WHERE county = ?)", f.County)
	}
	if f.UpdatedSince != nil {
		q = q.Where("updated_at >= ?", f.UpdatedSince.UTC())
	}
	return q
}

// drafts limits q to public rows plus the drafts the scope may see.
func drafts(q *gorm.DB, scope samverkan.DraftScope, public string) *gorm.DB {
	switch {
	case scope.All:
		return q
	case scope.OrgType == samverkan.OrgMunicipality:
		return q.Where("("+public+" OR municipality_code = ?)", scope.OrgID)
	case scope.OrgType == samverkan.OrgPoliceArea:
		return q.Where("("+public+" OR police_area_id = ?)", scope.OrgID)
	}
	return q.Where(public)
}

func yearStart(y int) string { return strconv.Itoa(y) + "-01-01" }
func yearEnd(y int) string   { return strconv.Itoa(y) + "-12-31" }

func (s *Store) Municipality(ctx context.Context, code string) (*samverkan.Municipality, error) {
	var r municipalityRow
	if err := s.q(ctx).Where("code = ?", code).Take(&r).Error; err != nil {
		return nil, s.missing(err, "municipality", code)
	}
	m := toMunicipality(r)
	return &m, nil
}

// missing turns "no row" into the domain's not-found error naming what was asked for.
func (s *Store) missing(err error, kind string, id any) error {
	if err == gorm.ErrRecordNotFound {
		return notFound(kind, id)
	}
	return translate(err)
}

func (s *Store) ListMunicipalities(ctx context.Context, f samverkan.MunicipalityFilter) (samverkan.Page[samverkan.Municipality], error) {
	q := s.q(ctx).Model(&municipalityRow{})
	if f.PoliceAreaID != "" {
		q = q.Where("police_area_id = ?", f.PoliceAreaID)
	}
	if f.County != "" {
		q = q.Where("county = ?", f.County)
	}
	if f.UpdatedSince != nil {
		q = q.Where("updated_at >= ?", f.UpdatedSince.UTC())
	}
	rows, next, err := list(q, municipalityOrders, f.PageRequest)
	if err != nil {
		return samverkan.Page[samverkan.Municipality]{}, err
	}
	return samverkan.Page[samverkan.Municipality]{Items: mapSlice(rows, toMunicipality), NextCursor: next}, nil
}

func find[R any](q *gorm.DB, k keyset, page samverkan.PageRequest, rows *[]R) error {
	q, err := k.apply(q, page)
	if err != nil {
		return err
	}
	return translate(q.Find(rows).Error)
}

func mapSlice[A, B any](in []A, f func(A) B) []B {
	out := make([]B, len(in))
	for i, a := range in {
		out[i] = f(a)
	}
	return out
}

func (s *Store) PoliceArea(ctx context.Context, id string) (*samverkan.PoliceArea, error) {
	var r policeAreaRow
	if err := s.q(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, s.missing(err, "police area", id)
	}
	p := toPoliceArea(r)
	return &p, nil
}

func (s *Store) ListPoliceAreas(ctx context.Context, f samverkan.PoliceAreaFilter) (samverkan.Page[samverkan.PoliceArea], error) {
	q := s.q(ctx).Model(&policeAreaRow{})
	if f.UpdatedSince != nil {
		q = q.Where("updated_at >= ?", f.UpdatedSince.UTC())
	}
	rows, next, err := list(q, policeAreaOrders, f.PageRequest)
	if err != nil {
		return samverkan.Page[samverkan.PoliceArea]{}, err
	}
	return samverkan.Page[samverkan.PoliceArea]{Items: mapSlice(rows, toPoliceArea), NextCursor: next}, nil
}

func (s *Store) Agreement(ctx context.Context, id uuid.UUID) (*samverkan.Agreement, error) {
	var r agreementRow
	if err := s.q(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, s.missing(err, "agreement", id)
	}
	out, err := s.agreementsWithChildren(ctx, []agreementRow{r})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

func (s *Store) ListAgreements(ctx context.Context, f samverkan.AgreementFilter) (samverkan.Page[samverkan.Agreement], error) {
	q := drafts(s.q(ctx).Model(&agreementRow{}), f.Drafts, "status <> 'draft'")
	if f.MunicipalityCode != "" {
		q = q.Where("municipality_code = ?", f.MunicipalityCode)
	}
	if f.PoliceAreaID != "" {
		q = q.Where("police_area_id = ?", f.PoliceAreaID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.Year != 0 {
		q = q.Where("valid_from <= ? AND valid_to >= ?", yearEnd(f.Year), yearStart(f.Year))
	}
	if f.Phase != "" {
		q = phase(q, f.Phase, f.Today.Format(time.DateOnly))
	}
	rows, next, err := list(syncFilter(q, f.SyncFilter), agreementOrders, f.PageRequest)
	if err != nil {
		return samverkan.Page[samverkan.Agreement]{}, err
	}
	items, err := s.agreementsWithChildren(ctx, rows)
	return samverkan.Page[samverkan.Agreement]{Items: items, NextCursor: next}, err
}

// agreementsWithChildren loads priority areas and forum links for all rows in two statements.
func (s *Store) agreementsWithChildren(ctx context.Context, rows []agreementRow) ([]samverkan.Agreement, error) {
	out := mapSlice(rows, toAgreement)
	if len(rows) == 0 {
		return out, nil
	}
	ids := mapSlice(rows, func(r agreementRow) uuid.UUID { return r.ID })
	index := make(map[uuid.UUID]*samverkan.Agreement, len(out))
	for i := range out {
		out[i].PriorityAreas, out[i].ForumIDs = []samverkan.PriorityArea{}, []uuid.UUID{}
		index[out[i].ID] = &out[i]
	}
	var areas []priorityAreaRow
	if err := s.q(ctx).Where("agreement_id IN ?", ids).Order("agreement_id, position").Find(&areas).Error; err != nil {
		return nil, translate(err)
	}
	for _, a := range areas {
		index[a.AgreementID].PriorityAreas = append(index[a.AgreementID].PriorityAreas, toPriorityArea(a))
	}
	var forums []agreementForumRow
	if err := s.q(ctx).Where("agreement_id IN ?", ids).Order("agreement_id, position").Find(&forums).Error; err != nil {
		return nil, translate(err)
	}
	for _, f := range forums {
		index[f.AgreementID].ForumIDs = append(index[f.AgreementID].ForumIDs, f.ForumID)
	}
	return out, nil
}

func (s *Store) PromisePeriod(ctx context.Context, id uuid.UUID) (*samverkan.PromisePeriod, error) {
	var r promisePeriodRow
	if err := s.q(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, s.missing(err, "promise period", id)
	}
	out, err := s.periodsWithPromises(ctx, []promisePeriodRow{r})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

func (s *Store) ListPromisePeriods(ctx context.Context, f samverkan.PromisePeriodFilter) (samverkan.Page[samverkan.PromisePeriod], error) {
	q := drafts(s.q(ctx).Model(&promisePeriodRow{}), f.Drafts, "status <> 'draft'")
	if f.MunicipalityCode != "" {
		q = q.Where("municipality_code = ?", f.MunicipalityCode)
	}
	if f.PoliceAreaID != "" {
		q = q.Where("police_area_id = ?", f.PoliceAreaID)
	}
	if f.AgreementID != nil {
		q = q.Where("agreement_id = ?", *f.AgreementID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.Year != 0 {
		q = q.Where("start_year <= ? AND end_year >= ?", f.Year, f.Year)
	}
	rows, next, err := list(syncFilter(q, f.SyncFilter), promisePeriodOrders, f.PageRequest)
	if err != nil {
		return samverkan.Page[samverkan.PromisePeriod]{}, err
	}
	items, err := s.periodsWithPromises(ctx, rows)
	return samverkan.Page[samverkan.PromisePeriod]{Items: items, NextCursor: next}, err
}

func (s *Store) periodsWithPromises(ctx context.Context, rows []promisePeriodRow) ([]samverkan.PromisePeriod, error) {
	out := mapSlice(rows, toPromisePeriod)
	if len(rows) == 0 {
		return out, nil
	}
	index := make(map[uuid.UUID]*samverkan.PromisePeriod, len(out))
	for i := range out {
		out[i].Promises = []samverkan.Promise{}
		index[out[i].ID] = &out[i]
	}
	var promises []promiseRow
	ids := mapSlice(rows, func(r promisePeriodRow) uuid.UUID { return r.ID })
	if err := s.q(ctx).Where("promise_period_id IN ?", ids).Order("promise_period_id, position").Find(&promises).Error; err != nil {
		return nil, translate(err)
	}
	for _, p := range promises {
		index[p.PromisePeriodID].Promises = append(index[p.PromisePeriodID].Promises, toPromise(p))
	}
	return out, nil
}

func (s *Store) Activity(ctx context.Context, id uuid.UUID) (*samverkan.Activity, error) {
	var r activityRow
	if err := s.q(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, s.missing(err, "activity", id)
	}
	out, err := s.activitiesWithLinks(ctx, []activityRow{r})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

func (s *Store) ListActivities(ctx context.Context, f samverkan.ActivityFilter) (samverkan.Page[samverkan.Activity], error) {
	q := drafts(s.q(ctx).Model(&activityRow{}), f.Drafts, "public")
	if f.MunicipalityCode != "" {
		q = q.Where("municipality_code = ?", f.MunicipalityCode)
	}
	if f.PoliceAreaID != "" {
		q = q.Where("police_area_id = ?", f.PoliceAreaID)
	}
	// list_id is the list's id whichever kind it is: it leads the index of the natural order.
	if f.AgreementID != nil {
		q = q.Where("list_id = ? AND agreement_id = ?", *f.AgreementID, *f.AgreementID)
	}
	if f.PromisePeriodID != nil {
		q = q.Where("list_id = ? AND promise_period_id = ?", *f.PromisePeriodID, *f.PromisePeriodID)
	}
	if f.PriorityAreaID != nil {
		q = q.Where("EXISTS (SELECT 1 FROM activity_priority_areas x WHERE x.activity_id = activities.id AND x.priority_area_id = ?)", *f.PriorityAreaID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.ResponsibleParty != "" {
		q = q.Where("responsible_party = ?", string(f.ResponsibleParty))
	}
	if f.Year != 0 {
		q = listsOfYear(q, "", f.Year)
	}
	rows, next, err := list(syncFilter(q, f.SyncFilter), activityOrders, f.PageRequest)
	if err != nil {
		return samverkan.Page[samverkan.Activity]{}, err
	}
	items, err := s.activitiesWithLinks(ctx, rows)
	return samverkan.Page[samverkan.Activity]{Items: items, NextCursor: next}, err
}

// activitiesWithLinks loads the priority area and promise links of all rows in two statements.
func (s *Store) activitiesWithLinks(ctx context.Context, rows []activityRow) ([]samverkan.Activity, error) {
	out := mapSlice(rows, toActivity)
	if len(rows) == 0 {
		return out, nil
	}
	index := make(map[uuid.UUID]*samverkan.Activity, len(out))
	for i := range out {
		index[out[i].ID] = &out[i]
	}
	ids := mapSlice(rows, func(r activityRow) uuid.UUID { return r.ID })
	// Links are ordered by the position of what they point to, so areas come in agreement order.
	var areas []activityAreaRow
	if err := s.q(ctx).Table("activity_priority_areas x").Select("x.activity_id, x.priority_area_id").
		Joins("JOIN priority_areas p ON p.id = x.priority_area_id").
		Where("x.activity_id IN ?", ids).Order("x.activity_id, p.position").Find(&areas).Error; err != nil {
		return nil, translate(err)
	}
	for _, a := range areas {
		index[a.ActivityID].PriorityAreaIDs = append(index[a.ActivityID].PriorityAreaIDs, a.PriorityAreaID)
	}
	var promises []activityPromiseRow
	if err := s.q(ctx).Table("activity_promises x").Select("x.activity_id, x.promise_id").
		Joins("JOIN promises p ON p.id = x.promise_id").
		Where("x.activity_id IN ?", ids).Order("x.activity_id, p.position").Find(&promises).Error; err != nil {
		return nil, translate(err)
	}
	for _, p := range promises {
		index[p.ActivityID].PromiseIDs = append(index[p.ActivityID].PromiseIDs, p.PromiseID)
	}
	return out, nil
}

func (s *Store) Forum(ctx context.Context, id uuid.UUID) (*samverkan.Forum, error) {
	var r forumRow
	if err := s.q(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, s.missing(err, "forum", id)
	}
	f := toForum(r)
	return &f, nil
}

func (s *Store) ListForums(ctx context.Context, f samverkan.ForumFilter) (samverkan.Page[samverkan.Forum], error) {
	q := s.q(ctx).Model(&forumRow{})
	if f.MunicipalityCode != "" {
		q = q.Where("municipality_code = ?", f.MunicipalityCode)
	}
	if f.PoliceAreaID != "" {
		q = q.Where("police_area_id = ?", f.PoliceAreaID)
	}
	if f.Code != "" {
		q = q.Where("code = ?", f.Code)
	}
	rows, next, err := list(syncFilter(q, f.SyncFilter), forumOrders, f.PageRequest)
	if err != nil {
		return samverkan.Page[samverkan.Forum]{}, err
	}
	return samverkan.Page[samverkan.Forum]{Items: mapSlice(rows, toForum), NextCursor: next}, nil
}

func (s *Store) Meeting(ctx context.Context, id uuid.UUID) (*samverkan.Meeting, error) {
	var r meetingRow
	if err := s.q(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, s.missing(err, "meeting", id)
	}
	m := toMeeting(r)
	return &m, nil
}

func (s *Store) ListMeetings(ctx context.Context, f samverkan.MeetingFilter) (samverkan.Page[samverkan.Meeting], error) {
	q := s.q(ctx).Model(&meetingRow{}).Where("forum_id = ?", f.ForumID)
	if f.Year != 0 {
		q = q.Where("held_on BETWEEN ? AND ?", yearStart(f.Year), yearEnd(f.Year))
	}
	if f.UpdatedSince != nil {
		q = q.Where("updated_at >= ?", f.UpdatedSince.UTC())
	}
	rows, next, err := list(q, meetingOrders, f.PageRequest)
	if err != nil {
		return samverkan.Page[samverkan.Meeting]{}, err
	}
	return samverkan.Page[samverkan.Meeting]{Items: mapSlice(rows, toMeeting), NextCursor: next}, nil
}

func (s *Store) FollowUp(ctx context.Context, id uuid.UUID) (*samverkan.FollowUp, error) {
	var r followUpRow
	if err := s.q(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, s.missing(err, "follow-up", id)
	}
	f := toFollowUp(r)
	return &f, nil
}

func (s *Store) ListFollowUps(ctx context.Context, f samverkan.FollowUpFilter) (samverkan.Page[samverkan.FollowUp], error) {
	q := drafts(s.q(ctx).Model(&followUpRow{}), f.Drafts, "status <> 'draft'")
	if f.MunicipalityCode != "" {
		q = q.Where("municipality_code = ?", f.MunicipalityCode)
	}
	if f.PoliceAreaID != "" {
		q = q.Where("police_area_id = ?", f.PoliceAreaID)
	}
	if f.PromisePeriodID != nil {
		q = q.Where("promise_period_id = ?", *f.PromisePeriodID)
	}
	if f.AgreementID != nil {
		q = q.Where("agreement_id = ?", *f.AgreementID)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", string(f.Kind))
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.Year != 0 {
		q = q.Where("covers_from <= ? AND covers_to >= ?", yearEnd(f.Year), yearStart(f.Year))
	}
	rows, next, err := list(syncFilter(q, f.SyncFilter), followUpOrders, f.PageRequest)
	if err != nil {
		return samverkan.Page[samverkan.FollowUp]{}, err
	}
	return samverkan.Page[samverkan.FollowUp]{Items: mapSlice(rows, toFollowUp), NextCursor: next}, nil
}

func (s *Store) LatestPublicFollowUp(ctx context.Context, periodID uuid.UUID) (*samverkan.FollowUp, error) {
	var rows []followUpRow
	err := s.q(ctx).Where("promise_period_id = ? AND status IN ?", periodID, []string{"published", "archived"}).
		Order("reported_on DESC NULLS LAST").Order("id DESC").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, translate(err)
	}
	f := toFollowUp(rows[0])
	return &f, nil
}

var refTables = map[samverkan.RefKind]string{
	samverkan.RefForum:         "forums",
	samverkan.RefAgreement:     "agreements",
	samverkan.RefPriorityArea:  "priority_areas",
	samverkan.RefPromisePeriod: "promise_periods",
	samverkan.RefPromise:       "promises",
	samverkan.RefActivity:      "activities",
	samverkan.RefFollowUp:      "follow_ups",
}

func (s *Store) ExternalRefs(ctx context.Context, kind samverkan.RefKind, refs []string) (map[string]uuid.UUID, error) {
	table, ok := refTables[kind]
	if !ok {
		return nil, fmt.Errorf("store: no external refs for %q", kind)
	}
	out := make(map[string]uuid.UUID, len(refs))
	var rows []struct {
		ID          uuid.UUID
		ExternalRef string
	}
	// Chunks keep the statement under both databases' parameter limits.
	for start := 0; start < len(refs); start += 500 {
		chunk := refs[start:min(start+500, len(refs))]
		rows = rows[:0]
		if err := s.q(ctx).Table(table).Select("id, external_ref").Where("external_ref IN ?", chunk).Find(&rows).Error; err != nil {
			return nil, translate(err)
		}
		for _, r := range rows {
			out[r.ExternalRef] = r.ID
		}
	}
	return out, nil
}

// phase selects agreements by where they stand on today, the same rule as Agreement.Phase.
func phase(q *gorm.DB, p samverkan.Phase, today string) *gorm.DB {
	signed := []string{string(samverkan.AgreementSigned), string(samverkan.AgreementAdopted)}
	switch p {
	case samverkan.PhaseDraft, samverkan.PhaseSuperseded:
		return q.Where("status = ?", string(p))
	case samverkan.PhaseExpired:
		return q.Where("status IN ? AND valid_to < ?", signed, today)
	case samverkan.PhaseInForce:
		return q.Where("status IN ? AND valid_from <= ? AND valid_to >= ?", signed, today, today)
	case samverkan.PhaseSigned, samverkan.PhaseAdopted:
		return q.Where("status = ? AND valid_from > ?", string(p), today)
	}
	return q.Where("1 = 0")
}

// listsOfYear keeps activities whose list concerns the year: a promise period covering it, or
// an agreement valid in it. alias prefixes the activities' columns ("a." in joins).
func listsOfYear(q *gorm.DB, alias string, year int) *gorm.DB {
	return q.Where("("+alias+"promise_period_id IN (SELECT id FROM promise_periods WHERE start_year <= ? AND end_year >= ?)"+
		" OR "+alias+"agreement_id IN (SELECT id FROM agreements WHERE valid_from <= ? AND valid_to >= ?))",
		year, year, yearEnd(year), yearStart(year))
}
