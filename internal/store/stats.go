package store

import (
	"context"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// ActivityStats counts in the database with GROUP BY: four small statements whatever the
// number of activities.
func (s *Store) ActivityStats(ctx context.Context, f samverkan.StatsFilter) (*samverkan.ActivityStats, error) {
	scope := func() *gorm.DB {
		q := drafts(s.q(ctx).Table("activities a"), f.Drafts, "a.public")
		if f.MunicipalityCode != "" {
			q = q.Where("a.municipality_code = ?", f.MunicipalityCode)
		}
		if f.County != "" {
			q = q.Where("a.municipality_code IN (SELECT code FROM municipalities WHERE county = ?)", f.County)
		}
		if f.PoliceAreaID != "" {
			q = q.Where("a.police_area_id = ?", f.PoliceAreaID)
		}
		if f.PromisePeriodID != nil {
			q = q.Where("a.promise_period_id = ?", *f.PromisePeriodID)
		}
		if f.AgreementID != nil {
			q = q.Where("a.agreement_id = ?", *f.AgreementID)
		}
		if f.Year != 0 {
			q = listsOfYear(q, "a.", f.Year)
		}
		return q
	}
	out := &samverkan.ActivityStats{ByStatus: map[samverkan.ActivityStatus]int{}, ByResponsibleParty: map[samverkan.ResponsibleParty]int{}}
	var byStatus []struct {
		Status string
		N      int
	}
	if err := scope().Select("a.status AS status, COUNT(*) AS n").Group("a.status").Scan(&byStatus).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range byStatus {
		out.ByStatus[samverkan.ActivityStatus(r.Status)] = r.N
		out.Total += r.N
	}
	var byParty []struct {
		Party string
		N     int
	}
	if err := scope().Select("a.responsible_party AS party, COUNT(*) AS n").Group("a.responsible_party").Scan(&byParty).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range byParty {
		out.ByResponsibleParty[samverkan.ResponsibleParty(r.Party)] = r.N
	}
	var byArea []struct {
		ID          uuid.UUID
		AgreementID uuid.UUID
		Title       string
		Position    int
		N           int
	}
	err := scope().Joins("JOIN activity_priority_areas x ON x.activity_id = a.id").Joins("JOIN priority_areas p ON p.id = x.priority_area_id").
		Select("p.id AS id, p.agreement_id AS agreement_id, p.title AS title, p.position AS position, COUNT(*) AS n").
		Group("p.id, p.agreement_id, p.title, p.position").Order("p.agreement_id, p.position").Scan(&byArea).Error
	if err != nil {
		return nil, translate(err)
	}
	for _, r := range byArea {
		out.ByPriorityArea = append(out.ByPriorityArea, samverkan.PriorityAreaCount{PriorityAreaID: r.ID, AgreementID: r.AgreementID, Title: r.Title, Count: r.N})
	}
	var without int64
	if err := scope().Where("NOT EXISTS (SELECT 1 FROM activity_priority_areas x WHERE x.activity_id = a.id)").Count(&without).Error; err != nil {
		return nil, translate(err)
	}
	out.WithoutArea = int(without)
	return out, nil
}
