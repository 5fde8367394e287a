package samverkan

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"
)

// AllowLocalWebhooks lets webhooks send over plain HTTP and to this machine or a private
// network: for development only.
func (s *Service) AllowLocalWebhooks() { s.allowLocalWebhooks = true }

// requireToken is the rule for webhooks: any token may keep its organization's.
func requireToken(p *Principal) error {
	if p == nil {
		return Errorf(EUnauthorized, "Webhooks need a bearer token.")
	}
	return nil
}

// ownsWebhook tells whether the principal may see and change the webhook: an admin any, an
// editor its organization's.
func ownsWebhook(p *Principal, w *Webhook) bool {
	return p.Role == RoleAdmin || (p.OrgType == w.OrgType && p.OrgID == w.OrgID)
}

func (s *Service) ListWebhooks(ctx context.Context, p *Principal, page PageRequest) (Page[Webhook], error) {
	if err := requireToken(p); err != nil {
		return Page[Webhook]{}, err
	}
	pageLimit(&page)
	return s.store.ListWebhooks(ctx, WebhookFilter{PageRequest: page, All: p.Role == RoleAdmin, OrgType: p.OrgType, OrgID: p.OrgID})
}

func (s *Service) Webhook(ctx context.Context, p *Principal, id uuid.UUID) (*Webhook, error) {
	if err := requireToken(p); err != nil {
		return nil, err
	}
	return s.visibleWebhook(ctx, s.store, p, id)
}

// visibleWebhook loads a webhook the principal owns; others' are not found.
func (s *Service) visibleWebhook(ctx context.Context, r Reader, p *Principal, id uuid.UUID) (*Webhook, error) {
	w, err := r.Webhook(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ownsWebhook(p, w) {
		return nil, NotFound("webhook", id)
	}
	return w, nil
}

// CreateWebhook registers an endpoint for the principal's organization (an admin's for the
// whole system) and gives it a new signing secret, which the answer alone carries.
func (s *Service) CreateWebhook(ctx context.Context, p *Principal, w Webhook) (*Webhook, error) {
	if err := requireToken(p); err != nil {
		return nil, err
	}
	w.ID, w.OrgType, w.OrgID = newID(), p.OrgType, p.OrgID
	if p.Role == RoleAdmin {
		w.OrgType, w.OrgID = "", ""
	}
	if err := w.Validate(s.allowLocalWebhooks); err != nil {
		return nil, err
	}
	now := s.now()
	w.Secret, w.PreviousSecret, w.PreviousSecretUntil = NewWebhookSecret(), "", nil
	w.CreatedBy, w.Version, w.CreatedAt, w.UpdatedAt = p.TokenName, 1, now, now
	return inTx(ctx, s, p, func(tx Tx) (*Webhook, error) {
		if err := checkMunicipalities(ctx, tx, w.MunicipalityCodes); err != nil {
			return nil, err
		}
		n, err := tx.CountWebhooks(ctx, w.OrgType, w.OrgID)
		if err != nil {
			return nil, err
		}
		if n >= MaxWebhooksPerOrganization {
			return nil, Errorf(EConflict, "An organization may have at most %d webhooks; remove one first.", MaxWebhooksPerOrganization)
		}
		return &w, tx.CreateWebhook(ctx, &w)
	})
}

// UpdateWebhook replaces what the owner sets: the endpoint, the event types, the
// municipalities, the description and whether it is active.
func (s *Service) UpdateWebhook(ctx context.Context, p *Principal, id uuid.UUID, version int64, in Webhook) (*Webhook, error) {
	return inTx(ctx, s, p, func(tx Tx) (*Webhook, error) {
		w, err := s.webhookForChange(ctx, tx, p, id, version)
		if err != nil {
			return nil, err
		}
		if err := in.Validate(s.allowLocalWebhooks); err != nil {
			return nil, err
		}
		if err := checkMunicipalities(ctx, tx, in.MunicipalityCodes); err != nil {
			return nil, err
		}
		if w.URL == in.URL && w.Description == in.Description && w.Active == in.Active &&
			slices.Equal(w.EventTypes, in.EventTypes) && slices.Equal(nonNil(w.MunicipalityCodes), nonNil(in.MunicipalityCodes)) {
			return w, nil
		}
		w.URL, w.Description, w.Active, w.EventTypes, w.MunicipalityCodes = in.URL, in.Description, in.Active, in.EventTypes, in.MunicipalityCodes
		w.UpdatedAt = s.now()
		return w, tx.UpdateWebhook(ctx, w)
	})
}

// RotateWebhookSecret gives the webhook a new secret; the old one signs too for a day.
func (s *Service) RotateWebhookSecret(ctx context.Context, p *Principal, id uuid.UUID, version int64) (*Webhook, error) {
	return inTx(ctx, s, p, func(tx Tx) (*Webhook, error) {
		w, err := s.webhookForChange(ctx, tx, p, id, version)
		if err != nil {
			return nil, err
		}
		now := s.now()
		until := now.Add(SecretGrace)
		w.PreviousSecret, w.PreviousSecretUntil, w.Secret, w.UpdatedAt = w.Secret, &until, NewWebhookSecret(), now
		return w, tx.UpdateWebhook(ctx, w)
	})
}

func (s *Service) DeleteWebhook(ctx context.Context, p *Principal, id uuid.UUID, version int64) error {
	return s.store.Tx(ctx, p.Actor(), func(tx Tx) error {
		w, err := s.webhookForChange(ctx, tx, p, id, version)
		if err != nil {
			return err
		}
		return tx.DeleteWebhook(ctx, id, w.Version)
	})
}

// PingWebhook queues a webhook.ping event for the webhook alone.
func (s *Service) PingWebhook(ctx context.Context, p *Principal, id uuid.UUID) (*Delivery, error) {
	// The answer is the delivery as the ping queued it, read before commit: read after, a
	// worker may already have sent it.
	return inTx(ctx, s, p, func(tx Tx) (*Delivery, error) {
		w, err := s.webhookForChange(ctx, tx, p, id, AnyVersion)
		if err != nil {
			return nil, err
		}
		if !w.Active {
			return nil, Errorf(EConflict, "The webhook is inactive; make it active to send it events.")
		}
		deliveryID, err := tx.PingWebhook(ctx, w)
		if err != nil {
			return nil, err
		}
		if err := tx.Flush(ctx); err != nil {
			return nil, err
		}
		return tx.Delivery(ctx, id, deliveryID)
	})
}

func (s *Service) ListDeliveries(ctx context.Context, p *Principal, webhookID uuid.UUID, state DeliveryState, page PageRequest) (Page[Delivery], error) {
	if _, err := s.Webhook(ctx, p, webhookID); err != nil {
		return Page[Delivery]{}, err
	}
	pageLimit(&page)
	return s.store.ListDeliveries(ctx, DeliveryFilter{PageRequest: page, WebhookID: webhookID, State: state})
}

func (s *Service) Delivery(ctx context.Context, p *Principal, webhookID, id uuid.UUID) (*Delivery, error) {
	if _, err := s.Webhook(ctx, p, webhookID); err != nil {
		return nil, err
	}
	return s.store.Delivery(ctx, webhookID, id)
}

// RetryDelivery sends a delivery again at once, whatever became of it.
func (s *Service) RetryDelivery(ctx context.Context, p *Principal, webhookID, id uuid.UUID) (*Delivery, error) {
	// The answer is the delivery as the retry left it, read before commit (see PingWebhook).
	return inTx(ctx, s, p, func(tx Tx) (*Delivery, error) {
		w, err := s.webhookForChange(ctx, tx, p, webhookID, AnyVersion)
		if err != nil {
			return nil, err
		}
		if !w.Active {
			return nil, Errorf(EConflict, "The webhook is inactive; make it active to send it events.")
		}
		if err := tx.RetryDelivery(ctx, webhookID, id); err != nil {
			return nil, err
		}
		return tx.Delivery(ctx, webhookID, id)
	})
}

// checkMunicipalities refuses codes of municipalities that do not exist: a webhook for one
// would wait for events that never come.
func checkMunicipalities(ctx context.Context, r Reader, codes []string) error {
	var p Problems
	for i, code := range codes {
		if _, err := r.Municipality(ctx, code); ErrorCode(err) == ENotFound {
			p.AddUnprocessable(ptr("/municipalityCodes", i, ""), "no municipality has the code %s", code)
		} else if err != nil {
			return err
		}
	}
	return p.Err()
}

func (s *Service) webhookForChange(ctx context.Context, tx Tx, p *Principal, id uuid.UUID, version int64) (*Webhook, error) {
	if err := requireToken(p); err != nil {
		return nil, err
	}
	w, err := s.visibleWebhook(ctx, tx, p, id)
	if err != nil {
		return nil, err
	}
	return w, checkVersion(w.Version, version)
}

// DeliveryBackoff is the wait before attempt n+1 after n failed attempts: 30 seconds,
// doubling, at most 10 minutes.
func DeliveryBackoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < 10*time.Minute; i++ {
		d *= 2
	}
	return min(d, 10*time.Minute)
}

// DeliveryGiveUp is how long a delivery is retried before it is failed.
const DeliveryGiveUp = 72 * time.Hour
