package samverkan

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Webhook is an organization's HTTPS endpoint for change events. An admin's webhook has no
// organization and receives every event; an organization's receives public material's
// events and its own drafts'.
type Webhook struct {
	ID                uuid.UUID
	OrgType           OrgType // empty for an admin's
	OrgID             string
	URL               string
	Description       string
	EventTypes        []string // event types, "kind.*" or "*"
	MunicipalityCodes []string // empty: every municipality
	Active            bool
	// Secret signs deliveries ("whsec_" and base64). After a rotation the previous one signs
	// too, until PreviousSecretUntil, so receivers can switch without losing an event.
	Secret              string
	PreviousSecret      string
	PreviousSecretUntil *time.Time
	CreatedBy           string // the name of the token that registered it
	// FailureStreak counts the attempts that failed in a row; while PausedUntil lies ahead,
	// no delivery is sent to the endpoint. Both are the delivery workers' to keep.
	FailureStreak int
	PausedUntil   *time.Time
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// MaxWebhooksPerOrganization bounds what one organization makes the server send.
const MaxWebhooksPerOrganization = 25

// SecretGrace is how long a rotated-out secret still signs deliveries.
const SecretGrace = 24 * time.Hour

// NewWebhookSecret makes a signing secret in the Standard Webhooks form: "whsec_" and 32
// random bytes in base64.
func NewWebhookSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// SigningSecrets are the secrets deliveries are signed with at t.
func (w *Webhook) SigningSecrets(t time.Time) []string {
	out := []string{w.Secret}
	if w.PreviousSecret != "" && w.PreviousSecretUntil != nil && t.Before(*w.PreviousSecretUntil) {
		out = append(out, w.PreviousSecret)
	}
	return out
}

// owner is the webhook's organization as a principal's scope, for visibility checks.
func (w *Webhook) owner() *Principal {
	if w.OrgType == "" {
		return &Principal{Role: RoleAdmin}
	}
	return &Principal{Role: RoleEditor, OrgType: w.OrgType, OrgID: w.OrgID}
}

// Wants reports whether the webhook is to receive an event: one of its types, of one of its
// municipalities, about material its organization may see. Webhooks' own events go to no
// one but a ping to the webhook pinged.
func (w *Webhook) Wants(e *Event) bool {
	if e.Kind == RecordWebhook {
		return e.Op == OpPing && e.EntityID == w.ID.String()
	}
	if !w.Active {
		return false
	}
	if !slices.ContainsFunc(w.EventTypes, func(sel string) bool { return MatchesEventType(sel, e.Type) }) {
		return false
	}
	if len(w.MunicipalityCodes) > 0 && !slices.Contains(w.MunicipalityCodes, e.Parties.MunicipalityCode) {
		return false
	}
	return e.Public || w.owner().CanSeeDrafts(e.Parties)
}

// Validate checks the rules of every webhook. development lets a development server send to
// plain HTTP endpoints on its own machine.
func (w *Webhook) Validate(development bool) error {
	var p Problems
	u, err := url.Parse(w.URL)
	switch {
	case err != nil || u.Host == "" || u.Hostname() == "":
		p.Add("/url", "must be an absolute URL with a host")
	case u.Scheme != "https" && !(development && u.Scheme == "http"):
		p.Add("/url", "must use https")
	case !development && localHost(u.Hostname()):
		// Deliveries would be refused when they connect (package webhook checks every
		// address dialled); saying so now spares the owner a webhook that never works.
		p.Add("/url", "points at a loopback, private or link-local address; deliveries go to public endpoints only")
	case u.User != nil:
		p.Add("/url", "must not carry credentials; deliveries are authenticated by their signature")
	case u.Fragment != "":
		p.Add("/url", "must not have a fragment")
	}
	for i, sel := range w.EventTypes {
		if !validSelector(sel) {
			p.Add(ptr("/eventTypes", i, ""), "%q is no event type, kind.* or *", sel)
		}
	}
	return p.Err()
}

// localHost tells a host that is this machine or not public by its name alone.
func localHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && !PublicAddress(ip)
}

func validSelector(sel string) bool {
	if sel == "*" {
		return true
	}
	if kind, ok := strings.CutSuffix(sel, ".*"); ok {
		return slices.ContainsFunc(EventTypes, func(t string) bool { return strings.HasPrefix(t, kind+".") })
	}
	return slices.Contains(EventTypes, sel)
}

// MarshalJSON writes the webhook as the contract shows it, for its history: never a secret.
func (w Webhook) MarshalJSON() ([]byte, error) {
	type org struct {
		Type OrgType `json:"type"`
		ID   string  `json:"id"`
	}
	out := struct {
		ID                uuid.UUID `json:"id"`
		Organization      *org      `json:"organization,omitempty"`
		URL               string    `json:"url"`
		EventTypes        []string  `json:"eventTypes"`
		MunicipalityCodes []string  `json:"municipalityCodes"`
		Description       string    `json:"description,omitempty"`
		Active            bool      `json:"active"`
		CreatedBy         string    `json:"createdBy,omitempty"`
		Version           int64     `json:"version"`
		CreatedAt         time.Time `json:"createdAt"`
		UpdatedAt         time.Time `json:"updatedAt"`
	}{w.ID, nil, w.URL, nonNil(w.EventTypes), nonNil(w.MunicipalityCodes), w.Description, w.Active, w.CreatedBy, w.Version, w.CreatedAt, w.UpdatedAt}
	if w.OrgType != "" {
		out.Organization = &org{w.OrgType, w.OrgID}
	}
	return json.Marshal(out)
}

// DeliveryState is where a webhook delivery stands.
type DeliveryState string

const (
	DeliveryPending   DeliveryState = "pending"
	DeliveryDelivered DeliveryState = "delivered"
	DeliveryFailed    DeliveryState = "failed"
)

// Delivery is one event on its way to one webhook: written with the change it carries (the
// transactional outbox) and sent by a worker, with retries.
type Delivery struct {
	ID            uuid.UUID
	WebhookID     uuid.UUID
	Seq           int64
	State         DeliveryState
	AttemptCount  int
	NextAttemptAt *time.Time
	GiveUpAt      time.Time // retried until then
	DeliveredAt   *time.Time
	CreatedAt     time.Time
	Attempts      []DeliveryAttempt // the latest, oldest first
	Event         Event
}

// DeliveryAttempt is one try at sending a delivery.
type DeliveryAttempt struct {
	Number     int
	At         time.Time
	StatusCode int // 0: no answer
	Error      string
	Duration   time.Duration
}

// AttemptResult is what became of an attempt: the delivery's state after it, when it is
// tried next if still pending, and, after a failure, until when the webhook is paused (nil
// after a success, which ends a pause).
type AttemptResult struct {
	Attempt     DeliveryAttempt
	State       DeliveryState
	NextAttempt *time.Time
	PauseUntil  *time.Time
}

// Outbound is a delivery claimed for sending, with what sending it takes. Its lease token
// is what lets the claim record the attempt.
type Outbound struct {
	Delivery
	Webhook    Webhook
	LeaseToken uuid.UUID
}
