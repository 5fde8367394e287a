package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/internal/samverkan"
)

type webhookRow struct {
	ID                  uuid.UUID `gorm:"primaryKey"`
	OrgType             string
	OrgID               string
	URL                 string
	Description         string
	EventTypes          listCol[string]
	MunicipalityCodes   listCol[string]
	Active              bool
	Secret              string
	PreviousSecret      string
	PreviousSecretUntil *time.Time
	CreatedBy           string
	FailureStreak       int
	PausedUntil         *time.Time
	Version             int64
	CreatedAt           time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt           time.Time `gorm:"autoUpdateTime:false"`
}

func (webhookRow) TableName() string { return "webhooks" }

func toWebhook(r webhookRow) samverkan.Webhook {
	return samverkan.Webhook{ID: r.ID, OrgType: samverkan.OrgType(r.OrgType), OrgID: r.OrgID, URL: r.URL, Description: r.Description,
		EventTypes: nonNil(r.EventTypes.V), MunicipalityCodes: nonNil(r.MunicipalityCodes.V), Active: r.Active,
		Secret: r.Secret, PreviousSecret: r.PreviousSecret, PreviousSecretUntil: r.PreviousSecretUntil,
		CreatedBy: r.CreatedBy, FailureStreak: r.FailureStreak, PausedUntil: r.PausedUntil,
		Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func fromWebhook(w *samverkan.Webhook) webhookRow {
	return webhookRow{ID: w.ID, OrgType: string(w.OrgType), OrgID: w.OrgID, URL: w.URL, Description: w.Description,
		EventTypes: listCol[string]{w.EventTypes}, MunicipalityCodes: listCol[string]{w.MunicipalityCodes}, Active: w.Active,
		Secret: w.Secret, PreviousSecret: w.PreviousSecret, PreviousSecretUntil: w.PreviousSecretUntil,
		CreatedBy: w.CreatedBy, Version: w.Version, CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// webhookChange names a webhook in the audit trail: never public, its organization's.
func webhookChange(w *samverkan.Webhook) change {
	c := change{kind: samverkan.RecordWebhook, id: w.ID.String()}
	switch w.OrgType {
	case samverkan.OrgMunicipality:
		c.parties.MunicipalityCode = w.OrgID
	case samverkan.OrgPoliceArea:
		c.parties.PoliceAreaID = w.OrgID
	}
	return c
}

var webhookOrders = map[string]order[webhookRow]{"": {keyset{name: "webhooks", cols: []string{"id"}, kinds: "u"},
	func(r webhookRow) []any { return []any{r.ID.String()} }}}

func (s *Store) Webhook(ctx context.Context, id uuid.UUID) (*samverkan.Webhook, error) {
	var r webhookRow
	if err := s.q(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return nil, s.missing(err, "webhook", id)
	}
	w := toWebhook(r)
	return &w, nil
}

func (s *Store) ListWebhooks(ctx context.Context, f samverkan.WebhookFilter) (samverkan.Page[samverkan.Webhook], error) {
	q := s.q(ctx).Model(&webhookRow{})
	if !f.All {
		q = q.Where("org_type = ? AND org_id = ?", string(f.OrgType), f.OrgID)
	}
	rows, next, err := list(q, webhookOrders, f.PageRequest)
	if err != nil {
		return samverkan.Page[samverkan.Webhook]{}, err
	}
	return samverkan.Page[samverkan.Webhook]{Items: mapSlice(rows, toWebhook), NextCursor: next}, nil
}

func (s *Store) CountWebhooks(ctx context.Context, orgType samverkan.OrgType, orgID string) (int, error) {
	var n int64
	err := s.q(ctx).Model(&webhookRow{}).Where("org_type = ? AND org_id = ?", string(orgType), orgID).Count(&n).Error
	return int(n), translate(err)
}

func (s *Store) CreateWebhook(ctx context.Context, w *samverkan.Webhook) error {
	r := fromWebhook(w)
	return s.create(ctx, webhookChange(w), &r, w)
}

func (s *Store) UpdateWebhook(ctx context.Context, w *samverkan.Webhook) error {
	r := fromWebhook(w)
	r.Version++
	// The failure streak and pause are the workers' to keep, not the owner's to set.
	if err := s.updateVersioned(ctx, samverkan.RecordWebhook, &r, "id = ?", w.ID, w.Version, "failure_streak", "paused_until"); err != nil {
		return err
	}
	w.Version = r.Version
	return s.record(ctx, webhookChange(w), samverkan.OpUpdate, "", w)
}

// DeleteWebhook removes the webhook; its deliveries and their attempts go with it. It takes
// the data version's lock before the webhook's row: every writer queues its deliveries while
// holding that lock, and their foreign keys wait on the webhook row a deletion holds, so the
// other order deadlocks.
func (s *Store) DeleteWebhook(ctx context.Context, id uuid.UUID, version int64) error {
	if err := s.lockVersion(ctx); err != nil {
		return err
	}
	var r webhookRow
	return s.deleteVersioned(ctx, samverkan.RecordWebhook, &r, id, version, func() change {
		w := toWebhook(r)
		return webhookChange(&w)
	})
}

func (s *Store) PingWebhook(ctx context.Context, w *samverkan.Webhook) (uuid.UUID, error) {
	if s.pending == nil {
		return uuid.Nil, samverkan.Errorf(samverkan.EInternal, "A ping is queued in a transaction.")
	}
	if err := s.record(ctx, webhookChange(w), samverkan.OpPing, "", w); err != nil {
		return uuid.Nil, err
	}
	// A ping tests the endpoint now, also when failures have paused the webhook.
	if err := s.unpause(ctx, w.ID); err != nil {
		return uuid.Nil, err
	}
	id := uuid.Must(uuid.NewV7())
	(*s.pending)[len(*s.pending)-1].DeliveryID = id
	return id, nil
}

// Flush writes the changes recorded so far in this transaction; commit writes the rest.
func (s *Store) Flush(ctx context.Context) error {
	if s.pending == nil {
		return samverkan.Errorf(samverkan.EInternal, "Changes are flushed in a transaction.")
	}
	return s.flushChanges(ctx)
}

// unpause ends a pause that failures put the webhook in; its failure streak stays, so a
// failure after it pauses for as long as the next step of the back-off.
func (s *Store) unpause(ctx context.Context, id uuid.UUID) error {
	return translate(s.q(ctx).Model(&webhookRow{}).Where("id = ?", id).Update("paused_until", nil).Error)
}
