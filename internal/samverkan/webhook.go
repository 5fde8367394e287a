package samverkan

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
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

// Validate checks the rules of every webhook and puts its URL in canonical form (see
// webhookURL). development lets a development server send to plain HTTP endpoints on its own
// machine.
func (w *Webhook) Validate(development bool) error {
	var p Problems
	if canonical, problem := webhookURL(w.URL, development); problem != "" {
		p.Add("/url", "%s", problem)
	} else {
		w.URL = canonical
	}
	for i, sel := range w.EventTypes {
		if !validSelector(sel) {
			p.Add(ptr("/eventTypes", i, ""), "%q is no event type, kind.* or *", sel)
		}
	}
	return p.Err()
}

// webhookURL checks a webhook's URL and gives it in canonical form, or says what is wrong
// with it. The host is read as a browser's URL parser reads it (ParseHost), so every spelling
// of a loopback, private or link-local address, and of localhost, is refused here, not only
// the usual one.
//
// The URL is stored canonicalised, not as given: the host as ParseHost serialises it (the
// ASCII form of a domain, an IPv4 address in dotted decimal, an IPv6 address compressed),
// the port without leading zeros or the scheme's default, the rest as Go's URL writer
// escapes it. That is the endpoint a browser would connect to, and the one deliveries
// connect to, so the address checked is the address used; two spellings of one endpoint
// are one URL.
func webhookURL(raw string, development bool) (canonical, problem string) {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.Hostname() == "":
		return "", "must be an absolute URL with a host"
	case u.Scheme != "https" && !(development && u.Scheme == "http"):
		return "", "must use https"
	case u.User != nil:
		return "", "must not carry credentials; deliveries are authenticated by their signature"
	case u.Fragment != "":
		return "", "must not have a fragment"
	}
	input := u.Hostname()
	if strings.HasPrefix(u.Host, "[") {
		input = "[" + input + "]"
	}
	host, err := ParseHost(input)
	if err != nil {
		return "", fmt.Sprintf("has an %v", err) // "has an invalid host: …"
	}
	if !development && host.Local() {
		// Deliveries would be refused when they connect (package webhook checks every
		// address dialled); saying so now spares the owner a webhook that never works.
		return "", "points at a loopback, private or link-local address; deliveries go to public endpoints only"
	}
	port := u.Port()
	u.Host = host.String()
	if port != "" {
		n, err := strconv.ParseUint(port, 10, 16)
		if err != nil || n == 0 { // port 0 is no port anything listens on
			return "", "has a port out of range (1 to 65535)"
		}
		if !(u.Scheme == "https" && n == 443 || u.Scheme == "http" && n == 80) {
			u.Host += ":" + strconv.FormatUint(n, 10)
		}
	}
	canonical = u.String()
	// A few code points IDNA maps onto (fullwidth braces, say) are allowed in a URL
	// parser's hosts but not in Go's, which sends the deliveries.
	if v, err := url.Parse(canonical); err != nil || v.Host != u.Host {
		return "", "has a host this server cannot connect to"
	}
	if len(canonical) > 2000 { // the contract's bound on what is given
		return "", "is longer than 2000 characters once its path is percent-encoded"
	}
	return canonical, ""
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
