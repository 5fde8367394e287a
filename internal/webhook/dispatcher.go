// Package webhook sends the deliveries queued in the outbox to the webhooks' endpoints:
// signed as Standard Webhooks, retried with exponential back-off, in order per resource,
// from any number of replicas at once.
package webhook

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// Outbox is where deliveries wait; package store implements it.
type Outbox interface {
	// ClaimDeliveries leases due deliveries, each the first pending one of its resource.
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]samverkan.Outbound, error)
	// FinishAttempt records an attempt and where the delivery stands after it, if the claim
	// still holds the lease.
	FinishAttempt(ctx context.Context, o *samverkan.Outbound, r samverkan.AttemptResult) error
}

// Config sets a dispatcher up; zero values pick the defaults.
type Config struct {
	Outbox Outbox
	// Body renders the event a delivery carries; its bytes are what the signature covers.
	Body func(*samverkan.Event) ([]byte, error)
	// Client sends the requests; nil means SafeClient, which refuses non-public addresses.
	Client *http.Client
	Logger *slog.Logger
	// Poll is how often the outbox is looked at when nothing wakes the dispatcher (1 s).
	Poll time.Duration
	// Lease is how long a claimed delivery is kept from other workers (1 minute); it is
	// made to outlast Timeout several times over.
	Lease time.Duration
	// Timeout bounds one attempt, answer included (10 s).
	Timeout time.Duration
	// Concurrency is how many deliveries this process sends at once (8); each worker claims
	// one at a time, so that a lease never waits behind other sends.
	Concurrency int
	// Backoff is the wait after the n-th failed attempt (samverkan.DeliveryBackoff).
	Backoff func(n int) time.Duration
	Now     func() time.Time
	// Observe, when set, learns the outcome ("delivered", "retry", "failed") of each attempt.
	Observe func(outcome string, took time.Duration)
}

// Dispatcher sends deliveries until its context ends.
type Dispatcher struct {
	cfg  Config
	wake chan struct{}
	// down is set while the outbox cannot be read, so that it is logged once, not per poll.
	down atomic.Bool
}

func New(cfg Config) *Dispatcher {
	if cfg.Client == nil {
		cfg.Client = SafeClient()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Lease <= 0 {
		cfg.Lease = time.Minute
	}
	cfg.Lease = max(cfg.Lease, 3*cfg.Timeout)
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if cfg.Backoff == nil {
		cfg.Backoff = samverkan.DeliveryBackoff
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Dispatcher{cfg: cfg, wake: make(chan struct{}, 1)}
}

// Wake makes a worker look at the outbox now rather than at its next poll; a write that
// queued deliveries calls it, so that they leave at once.
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run sends due deliveries with Concurrency workers until ctx ends, then waits for the sends
// under way (each bounded by Timeout). A delivery cut off by a crash stays in the outbox and
// is sent again when its lease runs out.
func (d *Dispatcher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range d.cfg.Concurrency {
		wg.Go(func() { d.work(ctx) })
	}
	wg.Wait()
}

func (d *Dispatcher) work(ctx context.Context) {
	t := time.NewTicker(d.cfg.Poll)
	defer t.Stop()
	for {
		sent, err := d.RunOnce(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			if d.down.CompareAndSwap(false, true) {
				d.cfg.Logger.Warn("webhook outbox unavailable; deliveries wait", "error", err.Error())
			}
		case err == nil && d.down.CompareAndSwap(true, false):
			d.cfg.Logger.Info("webhook outbox available again")
		}
		if sent {
			d.Wake() // there may be more: another worker joins in
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.wake:
		}
	}
}

// RunOnce claims one due delivery and sends it, and reports whether there was one.
func (d *Dispatcher) RunOnce(ctx context.Context) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	// A stop does not cut a send short: a claim interrupted halfway would leave the delivery
	// leased, held back until the lease ran out. Each step has its own bound.
	ctx = context.WithoutCancel(ctx)
	claimCtx, cancel := context.WithTimeout(ctx, d.cfg.Timeout)
	defer cancel()
	claimed, err := d.cfg.Outbox.ClaimDeliveries(claimCtx, d.cfg.Now(), d.cfg.Lease, 1)
	if err != nil || len(claimed) == 0 {
		return false, err
	}
	d.deliver(ctx, &claimed[0])
	return true, nil
}

// deliver makes one attempt and records it. Sends are not cut off by a stop (each is bounded
// by Timeout), so an attempt that reached the receiver is recorded. A failure also pauses
// the webhook, with the same back-off over its failures in a row as a delivery has over its
// attempts: an endpoint that is down is then tried now and then, not by every worker at once.
func (d *Dispatcher) deliver(ctx context.Context, o *samverkan.Outbound) {
	start := d.cfg.Now()
	status, retryAfter, err := d.send(ctx, o, start)
	took := d.cfg.Now().Sub(start)
	r := samverkan.AttemptResult{Attempt: samverkan.DeliveryAttempt{At: start, StatusCode: status, Duration: took}, State: samverkan.DeliveryDelivered}
	outcome := "delivered"
	if err != nil {
		r.Attempt.Error = describe(err)
		pause := start.Add(max(d.cfg.Backoff(o.Webhook.FailureStreak+1), retryAfter))
		next := start.Add(max(d.cfg.Backoff(o.AttemptCount+1), retryAfter))
		r.PauseUntil = &pause
		if next.After(o.GiveUpAt) {
			r.State, outcome = samverkan.DeliveryFailed, "failed"
		} else {
			r.State, r.NextAttempt, outcome = samverkan.DeliveryPending, &next, "retry"
		}
	}
	if d.cfg.Observe != nil {
		d.cfg.Observe(outcome, took)
	}
	ctx, cancel := context.WithTimeout(ctx, d.cfg.Timeout)
	defer cancel()
	if err := d.cfg.Outbox.FinishAttempt(ctx, o, r); err != nil {
		// Either the lease ran out and another worker has the delivery, or the database did
		// not answer and the lease will run out: at least once, never lost.
		d.cfg.Logger.Warn("webhook attempt not recorded", "delivery", o.ID.String(), "error", err.Error())
	}
	log := d.cfg.Logger.With("delivery", o.ID.String(), "webhook", o.WebhookID.String(), "event", o.Event.Type,
		"sequence", o.Seq, "attempt", o.AttemptCount+1, "status", status, "outcome", outcome)
	if err != nil {
		log.Info("webhook delivery attempt failed", "error", r.Attempt.Error)
		return
	}
	log.Debug("webhook delivered")
}

// send POSTs the event, signed with each of the webhook's current secrets. Only a 2xx
// answer is success; a Retry-After on 429 or 503 is honoured, up to an hour.
func (d *Dispatcher) send(ctx context.Context, o *samverkan.Outbound, at time.Time) (int, time.Duration, error) {
	body, err := d.cfg.Body(&o.Event)
	if err != nil {
		return 0, 0, failure("the event could not be rendered: %v", err)
	}
	id := o.Event.ID.String()
	var sigs []string
	for _, secret := range o.Webhook.SigningSecrets(at) {
		wh, err := standardwebhooks.NewWebhook(secret)
		if err != nil {
			return 0, 0, failure("the webhook's secret is unusable: %v", err)
		}
		sig, err := wh.Sign(id, at, body)
		if err != nil {
			return 0, 0, err
		}
		sigs = append(sigs, sig)
	}
	ctx, cancel := context.WithTimeout(ctx, d.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.Webhook.URL, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Samverkan-Webhooks/1")
	req.Header.Set(standardwebhooks.HeaderWebhookID, id)
	req.Header.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(at.Unix(), 10))
	req.Header.Set(standardwebhooks.HeaderWebhookSignature, strings.Join(sigs, " "))
	res, err := d.cfg.Client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // lets the connection be reused
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		return res.StatusCode, 0, nil
	}
	var wait time.Duration
	if res.StatusCode == http.StatusTooManyRequests || res.StatusCode == http.StatusServiceUnavailable {
		if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && s > 0 {
			wait = min(time.Duration(s)*time.Second, time.Hour)
		}
	}
	return res.StatusCode, wait, failure("the endpoint answered %d %s", res.StatusCode, http.StatusText(res.StatusCode))
}
