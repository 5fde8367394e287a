package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// The transactional outbox: deliveries are written in the transaction of the change they
// carry (enqueueDeliveries, from flushChanges), so a change and its notifications commit
// together or not at all; workers claim due ones, send them outside any transaction and
// record each attempt.

type deliveryRow struct {
	ID            uuid.UUID `gorm:"primaryKey"`
	WebhookID     uuid.UUID
	Seq           int64
	ResourceKey   string
	State         string
	AttemptCount  int
	NextAttemptAt *time.Time
	LeaseUntil    *time.Time
	LeaseToken    *uuid.UUID
	GiveUpAt      time.Time
	DeliveredAt   *time.Time
	CreatedAt     time.Time `gorm:"autoCreateTime:false"`
}

func (deliveryRow) TableName() string { return "webhook_deliveries" }

type attemptRow struct {
	DeliveryID uuid.UUID `gorm:"primaryKey"`
	Number     int       `gorm:"primaryKey"`
	At         time.Time
	StatusCode *int
	Error      string
	DurationMs int
}

func (attemptRow) TableName() string { return "webhook_attempts" }

// attemptsShown is how many of a delivery's latest attempts it is shown with.
const attemptsShown = 20

// enqueueDeliveries queues each change for every active webhook that wants it. It runs after
// the data version moved, under its lock, so it sees every webhook registered by a change
// committed before this one.
func (s *Store) enqueueDeliveries(ctx context.Context, changes []changeRow) error {
	var hooks []webhookRow
	if err := s.q(ctx).Where("active").Find(&hooks).Error; err != nil {
		return translate(err)
	}
	if len(hooks) == 0 {
		return nil
	}
	webhooks := mapSlice(hooks, toWebhook)
	var rows []deliveryRow
	for i := range changes {
		c := &changes[i]
		e := samverkan.Event{Kind: c.Kind, EntityID: c.EntityID, Op: samverkan.Op(c.Op), Type: *c.EventType, Public: c.Public,
			Parties: samverkan.Parties{MunicipalityCode: c.MunicipalityCode, PoliceAreaID: c.PoliceAreaID}}
		for j := range webhooks {
			if !webhooks[j].Wants(&e) {
				continue
			}
			id := c.DeliveryID
			if id == uuid.Nil {
				id = uuid.Must(uuid.NewV7())
			}
			due := c.At
			rows = append(rows, deliveryRow{ID: id, WebhookID: webhooks[j].ID, Seq: c.Seq, ResourceKey: c.Kind + "/" + c.EntityID,
				State: string(samverkan.DeliveryPending), NextAttemptAt: &due, GiveUpAt: c.At.Add(samverkan.DeliveryGiveUp), CreatedAt: c.At})
		}
	}
	return createInBatches(ctx, s, rows)
}

// RetryDelivery sends a delivery again now. One being sent at this moment keeps its lease,
// and only its next attempt moves forward: taking the lease away would let a second worker
// send it at the same time. The webhook, if paused for failing, is tried again too.
func (s *Store) RetryDelivery(ctx context.Context, webhookID, id uuid.UUID) error {
	now := time.Now().UTC()
	if err := s.unpause(ctx, webhookID); err != nil {
		return err
	}
	res := s.q(ctx).Model(&deliveryRow{}).Where("id = ? AND webhook_id = ? AND state = ? AND lease_until > ?", id, webhookID,
		string(samverkan.DeliveryPending), now).Update("next_attempt_at", now)
	if res.Error != nil || res.RowsAffected == 1 {
		return translate(res.Error)
	}
	res = s.q(ctx).Model(&deliveryRow{}).Where("id = ? AND webhook_id = ?", id, webhookID).Updates(map[string]any{
		"state": string(samverkan.DeliveryPending), "next_attempt_at": now, "lease_until": nil, "lease_token": nil,
		"give_up_at": now.Add(samverkan.DeliveryGiveUp), "delivered_at": nil})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return notFound("delivery", id)
	}
	return nil
}

func (s *Store) Delivery(ctx context.Context, webhookID, id uuid.UUID) (*samverkan.Delivery, error) {
	var r deliveryRow
	if err := s.q(ctx).Where("id = ? AND webhook_id = ?", id, webhookID).Take(&r).Error; err != nil {
		return nil, s.missing(err, "delivery", id)
	}
	out, err := s.deliveriesWithEvents(ctx, []deliveryRow{r})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

var deliveryOrders = map[string]order[deliveryRow]{"": {keyset{name: "deliveries", cols: []string{"seq"}, kinds: "i", desc: true},
	func(r deliveryRow) []any { return []any{r.Seq} }}}

func (s *Store) ListDeliveries(ctx context.Context, f samverkan.DeliveryFilter) (samverkan.Page[samverkan.Delivery], error) {
	q := s.q(ctx).Model(&deliveryRow{}).Where("webhook_id = ?", f.WebhookID)
	if f.State != "" {
		q = q.Where("state = ?", string(f.State))
	}
	rows, next, err := list(q, deliveryOrders, f.PageRequest)
	if err != nil {
		return samverkan.Page[samverkan.Delivery]{}, err
	}
	items, err := s.deliveriesWithEvents(ctx, rows)
	return samverkan.Page[samverkan.Delivery]{Items: items, NextCursor: next}, err
}

// deliveriesWithEvents loads the events and latest attempts of deliveries, in two statements.
func (s *Store) deliveriesWithEvents(ctx context.Context, rows []deliveryRow) ([]samverkan.Delivery, error) {
	out := make([]samverkan.Delivery, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	seqs := mapSlice(rows, func(r deliveryRow) int64 { return r.Seq })
	var changes []changeRow
	if err := s.q(ctx).Where("seq IN ?", seqs).Find(&changes).Error; err != nil {
		return nil, translate(err)
	}
	events := map[int64]samverkan.Event{}
	for _, c := range changes {
		e, err := toEvent(c)
		if err != nil {
			return nil, err
		}
		events[c.Seq] = e
	}
	ids := mapSlice(rows, func(r deliveryRow) uuid.UUID { return r.ID })
	var attempts []attemptRow
	if err := s.q(ctx).Where("delivery_id IN ?", ids).Order("delivery_id, number").Find(&attempts).Error; err != nil {
		return nil, translate(err)
	}
	byDelivery := map[uuid.UUID][]samverkan.DeliveryAttempt{}
	for _, a := range attempts {
		byDelivery[a.DeliveryID] = append(byDelivery[a.DeliveryID], toAttempt(a))
	}
	for i, r := range rows {
		as := byDelivery[r.ID]
		if len(as) > attemptsShown {
			as = as[len(as)-attemptsShown:]
		}
		out[i] = samverkan.Delivery{ID: r.ID, WebhookID: r.WebhookID, Seq: r.Seq, State: samverkan.DeliveryState(r.State),
			AttemptCount: r.AttemptCount, DeliveredAt: r.DeliveredAt, CreatedAt: r.CreatedAt, Attempts: nonNil(as), Event: events[r.Seq]}
		if r.State == string(samverkan.DeliveryPending) {
			out[i].NextAttemptAt = r.NextAttemptAt
		}
	}
	return out, nil
}

func toAttempt(a attemptRow) samverkan.DeliveryAttempt {
	out := samverkan.DeliveryAttempt{Number: a.Number, At: a.At, Error: a.Error, Duration: time.Duration(a.DurationMs) * time.Millisecond}
	if a.StatusCode != nil {
		out.StatusCode = *a.StatusCode
	}
	return out
}

// ClaimDeliveries leases up to limit deliveries that are due, each the first pending one of
// its resource for its webhook, so that a resource's events arrive in order, and none of a
// webhook paused for failing. The lease keeps other workers (other replicas) off them while
// they are sent, and its token lets only this claim record the attempt; on PostgreSQL,
// workers that claim at the same moment skip each other's rows instead of waiting.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]samverkan.Outbound, error) {
	now = now.UTC()
	token := uuid.Must(uuid.NewV7())
	var rows []deliveryRow
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Table("webhook_deliveries AS d").Select("d.*").
			Where("d.state = ? AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until <= ?)", string(samverkan.DeliveryPending), now, now).
			Where("d.webhook_id IN (SELECT id FROM webhooks WHERE active AND (paused_until IS NULL OR paused_until <= ?))", now).
			Where(`NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.webhook_id = d.webhook_id AND e.resource_key = d.resource_key
				AND e.state = ? AND e.seq < d.seq)`, string(samverkan.DeliveryPending)).
			Order("d.seq").Limit(limit)
		if s.dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: "d"}, Options: "SKIP LOCKED"})
		}
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		ids := mapSlice(rows, func(r deliveryRow) uuid.UUID { return r.ID })
		return tx.Model(&deliveryRow{}).Where("id IN ?", ids).Updates(map[string]any{"lease_until": now.Add(lease), "lease_token": token}).Error
	})
	if err != nil || len(rows) == 0 {
		return nil, translate(err)
	}
	ctx = Primary(ctx) // the events were committed just now; a replica may not have them yet
	deliveries, err := s.deliveriesWithEvents(ctx, rows)
	if err != nil {
		return nil, err
	}
	hookIDs := mapSlice(rows, func(r deliveryRow) uuid.UUID { return r.WebhookID })
	var hooks []webhookRow
	if err := s.q(ctx).Where("id IN ?", hookIDs).Find(&hooks).Error; err != nil {
		return nil, translate(err)
	}
	byID := map[uuid.UUID]samverkan.Webhook{}
	for _, h := range hooks {
		byID[h.ID] = toWebhook(h)
	}
	out := make([]samverkan.Outbound, 0, len(deliveries))
	for i, d := range deliveries {
		d.GiveUpAt = rows[i].GiveUpAt
		out = append(out, samverkan.Outbound{Delivery: d, Webhook: byID[d.WebhookID], LeaseToken: token})
	}
	return out, nil
}

// FinishAttempt records an attempt at a claimed delivery and where the delivery stands after
// it: delivered, failed, or pending again at next. Only the claim that holds the lease may:
// a worker whose lease ran out, and whose delivery another worker has taken over, records
// nothing (samverkan.EConflict). A failed attempt pauses the webhook until r.PauseUntil, so
// that an endpoint that is down does not hold up the workers; a success ends the pause.
func (s *Store) FinishAttempt(ctx context.Context, o *samverkan.Outbound, r samverkan.AttemptResult) error {
	a := r.Attempt
	return translate(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var delivered *time.Time
		if r.State == samverkan.DeliveryDelivered {
			at := a.At.UTC()
			delivered = &at
		}
		var counts []int
		err := tx.Raw(`UPDATE webhook_deliveries SET attempt_count = attempt_count + 1, state = ?, next_attempt_at = ?,
				lease_until = NULL, lease_token = NULL, delivered_at = COALESCE(?, delivered_at)
			WHERE id = ? AND lease_token = ? RETURNING attempt_count`,
			string(r.State), r.NextAttempt, delivered, o.ID, o.LeaseToken).Scan(&counts).Error
		if err != nil {
			return err
		}
		if len(counts) == 0 {
			return samverkan.Errorf(samverkan.EConflict, "The lease of delivery %s ran out and another worker took it over.", o.ID)
		}
		row := attemptRow{DeliveryID: o.ID, Number: counts[0], At: a.At.UTC(), Error: a.Error, DurationMs: int(a.Duration.Milliseconds())}
		if a.StatusCode != 0 {
			row.StatusCode = &a.StatusCode
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if r.PauseUntil == nil {
			return tx.Model(&webhookRow{}).Where("id = ?", o.WebhookID).Updates(map[string]any{"failure_streak": 0, "paused_until": nil}).Error
		}
		return tx.Model(&webhookRow{}).Where("id = ?", o.WebhookID).
			Updates(map[string]any{"failure_streak": gorm.Expr("failure_streak + 1"), "paused_until": r.PauseUntil.UTC()}).Error
	}))
}

// PendingDeliveries counts the deliveries still to be sent, for the metrics.
func (s *Store) PendingDeliveries(ctx context.Context) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&deliveryRow{}).Where("state = ?", string(samverkan.DeliveryPending)).Count(&n).Error
	return n, translate(err)
}
