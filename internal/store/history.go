package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// History is read from the revisions in the changes table; rows from before history was kept
// have no event type and are left out.

var eventOrders = map[string]order[changeRow]{"": {keyset{name: "events", cols: []string{"seq"}, kinds: "i", desc: true},
	func(r changeRow) []any { return []any{r.Seq} }}}

func (s *Store) ListEvents(ctx context.Context, f samverkan.EventFilter) (samverkan.Page[samverkan.Event], error) {
	q := drafts(s.q(ctx).Model(&changeRow{}).Where("event_type IS NOT NULL"), f.Scope, "public")
	q = eventFilter(q, f)
	var rows []changeRow
	var next string
	var err error
	if f.After != nil {
		// The change feed: oldest first after the caller's sequence number; the extra row
		// only says whether more are waiting.
		if err := q.Where("seq > ?", *f.After).Order("seq").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
			return samverkan.Page[samverkan.Event]{}, translate(err)
		}
		if len(rows) > f.Limit {
			rows, next = rows[:f.Limit], "more"
		}
	} else if rows, next, err = list(q, eventOrders, f.PageRequest); err != nil {
		return samverkan.Page[samverkan.Event]{}, err
	}
	items := make([]samverkan.Event, len(rows))
	for i := range rows {
		if items[i], err = toEvent(rows[i]); err != nil {
			return samverkan.Page[samverkan.Event]{}, err
		}
	}
	return samverkan.Page[samverkan.Event]{Items: items, NextCursor: next}, nil
}

func eventFilter(q *gorm.DB, f samverkan.EventFilter) *gorm.DB {
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.ExcludeKind != "" {
		q = q.Where("kind <> ?", f.ExcludeKind)
	}
	if f.MunicipalityCode != "" {
		q = q.Where("municipality_code = ?", f.MunicipalityCode)
	}
	if f.ActorOrgType != "" {
		q = q.Where("actor_org_type = ? AND actor_org_id = ?", string(f.ActorOrgType), f.ActorOrgID)
	}
	if f.ActorTokenID != "" {
		q = q.Where("actor_token_id = ?", f.ActorTokenID)
	}
	if f.Op != "" {
		q = q.Where("op = ?", string(f.Op))
	}
	if f.Since != nil {
		q = q.Where("at >= ?", f.Since.UTC())
	}
	if f.Until != nil {
		q = q.Where("at < ?", f.Until.UTC())
	}
	return q
}

func (s *Store) EventAt(ctx context.Context, kind, id string, at time.Time) (*samverkan.Event, error) {
	var r changeRow
	err := s.q(ctx).Where("kind = ? AND entity_id = ? AND event_type IS NOT NULL AND at <= ?", kind, id, at.UTC()).
		Order("seq DESC").Take(&r).Error
	if err != nil {
		return nil, s.missing(err, kind, id)
	}
	e, err := toEvent(r)
	return &e, err
}

func (s *Store) ActivitiesAt(ctx context.Context, listID uuid.UUID, at time.Time) ([]samverkan.Event, error) {
	// The latest revision at the instant of every activity that was ever in the list, kept
	// if it still was in the list then and had not been deleted.
	members := s.q(ctx).Model(&changeRow{}).Distinct("entity_id").Where("list_id = ?", listID.String())
	latest := s.q(ctx).Model(&changeRow{}).Select("MAX(seq)").
		Where("kind = ? AND entity_id IN (?) AND event_type IS NOT NULL AND at <= ?", samverkan.RecordActivity, members, at.UTC()).
		Group("entity_id")
	var rows []changeRow
	if err := s.q(ctx).Where("seq IN (?) AND list_id = ? AND op <> ?", latest, listID.String(), string(samverkan.OpDelete)).
		Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]samverkan.Event, len(rows))
	for i := range rows {
		var err error
		if out[i], err = toEvent(rows[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func toEvent(r changeRow) (samverkan.Event, error) {
	e := samverkan.Event{
		Seq: r.Seq, Op: samverkan.Op(r.Op), At: r.At.UTC(),
		Kind: r.Kind, EntityID: r.EntityID, Public: r.Public, Data: json.RawMessage(r.State),
		Parties: samverkan.Parties{MunicipalityCode: r.MunicipalityCode, PoliceAreaID: r.PoliceAreaID},
		Actor: samverkan.Actor{TokenID: r.ActorTokenID, Name: r.ActorName, Role: samverkan.Role(r.ActorRole),
			OrgType: samverkan.OrgType(r.ActorOrgType), OrgID: r.ActorOrgID},
		Changes: []samverkan.PatchOp{},
	}
	if r.EventType != nil {
		e.Type = *r.EventType
	}
	if r.EventID != nil {
		e.ID = *r.EventID
	}
	if len(r.Diff) > 0 {
		if err := json.Unmarshal(r.Diff, &e.Changes); err != nil {
			return e, err
		}
	}
	return e, nil
}
