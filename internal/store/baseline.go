package store

import (
	"context"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// recordBaselines gives every record without a recorded state a baseline revision of it as it
// stands, so that a database written before history was kept (migration 00006) answers
// revisions and asOf from its upgrade on. Where every record has its revisions, it costs one
// statement per kind of record.
func (s *Store) recordBaselines(ctx context.Context) error {
	return s.Tx(ctx, samverkan.Actor{Name: "migration", Role: samverkan.RoleSystem}, func(t samverkan.Tx) error {
		tx := t.(*Store)
		for _, b := range baselines {
			var keys []string
			err := tx.q(ctx).Table(b.table).Select("CAST("+b.key+" AS TEXT)").
				Where("NOT EXISTS (SELECT 1 FROM changes c WHERE c.kind = ? AND c.entity_id = CAST("+b.table+"."+b.key+" AS TEXT) AND c.state IS NOT NULL)", b.kind).
				Order(b.key).Pluck("CAST("+b.key+" AS TEXT)", &keys).Error
			if err != nil {
				return translate(err)
			}
			for start := 0; start < len(keys); start += batchSize {
				if err := b.record(ctx, tx, keys[start:min(start+batchSize, len(keys))]); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

type baseline struct {
	kind, table, key string
	record           func(ctx context.Context, tx *Store, keys []string) error
}

var baselines = []baseline{
	{samverkan.RecordPoliceArea, "police_areas", "id", func(ctx context.Context, tx *Store, keys []string) error {
		return recordEach(ctx, tx, keys, "id", toPoliceArea, policeAreaChange)
	}},
	{samverkan.RecordMunicipality, "municipalities", "code", func(ctx context.Context, tx *Store, keys []string) error {
		return recordEach(ctx, tx, keys, "code", toMunicipality, municipalityChange)
	}},
	{samverkan.RecordForum, "forums", "id", func(ctx context.Context, tx *Store, keys []string) error {
		return recordEach(ctx, tx, keys, "id", toForum, forumChange)
	}},
	{samverkan.RecordMeeting, "meetings", "id", func(ctx context.Context, tx *Store, keys []string) error {
		return recordEach(ctx, tx, keys, "id", toMeeting, func(m *samverkan.Meeting) change { return tx.meetingChange(ctx, m.ID, m.ForumID) })
	}},
	{samverkan.RecordAgreement, "agreements", "id", func(ctx context.Context, tx *Store, keys []string) error {
		var rows []agreementRow
		if err := tx.q(ctx).Where("id IN ?", uuids(keys)).Find(&rows).Error; err != nil {
			return translate(err)
		}
		items, err := tx.agreementsWithChildren(ctx, rows)
		return recordAll(ctx, tx, items, err, agreementChange)
	}},
	{samverkan.RecordPromisePeriod, "promise_periods", "id", func(ctx context.Context, tx *Store, keys []string) error {
		var rows []promisePeriodRow
		if err := tx.q(ctx).Where("id IN ?", uuids(keys)).Find(&rows).Error; err != nil {
			return translate(err)
		}
		items, err := tx.periodsWithPromises(ctx, rows)
		return recordAll(ctx, tx, items, err, promisePeriodChange)
	}},
	{samverkan.RecordActivity, "activities", "id", func(ctx context.Context, tx *Store, keys []string) error {
		var rows []activityRow
		if err := tx.q(ctx).Where("id IN ?", uuids(keys)).Find(&rows).Error; err != nil {
			return translate(err)
		}
		items, err := tx.activitiesWithLinks(ctx, rows)
		return recordAll(ctx, tx, items, err, activityChange)
	}},
	{samverkan.RecordFollowUp, "follow_ups", "id", func(ctx context.Context, tx *Store, keys []string) error {
		return recordEach(ctx, tx, keys, "id", toFollowUp, followUpChange)
	}},
	{samverkan.RecordWebhook, "webhooks", "id", func(ctx context.Context, tx *Store, keys []string) error {
		return recordEach(ctx, tx, keys, "id", toWebhook, webhookChange)
	}},
}

// recordEach records a baseline of each row of a table without children.
func recordEach[R, T any](ctx context.Context, tx *Store, keys []string, key string, to func(R) T, about func(*T) change) error {
	var rows []R
	if err := tx.q(ctx).Where(key+" IN ?", keys).Find(&rows).Error; err != nil {
		return translate(err)
	}
	return recordAll(ctx, tx, mapSlice(rows, to), nil, about)
}

func recordAll[T any](ctx context.Context, tx *Store, items []T, err error, about func(*T) change) error {
	if err != nil {
		return err
	}
	for i := range items {
		if err := tx.record(ctx, about(&items[i]), samverkan.OpBaseline, "", &items[i]); err != nil {
			return err
		}
	}
	return nil
}

func uuids(keys []string) []uuid.UUID {
	out := make([]uuid.UUID, 0, len(keys))
	for _, k := range keys {
		if id, err := uuid.Parse(k); err == nil {
			out = append(out, id)
		}
	}
	return out
}
