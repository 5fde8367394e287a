// Package metrics holds the Prometheus metrics the server exports at /metrics: HTTP requests
// by route and status, database pools, imports, webhook deliveries and rate limiting, besides
// the Go runtime's and the process's own.
package metrics

import (
	"context"
	"database/sql"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the server's collectors, in a registry of their own.
type Metrics struct {
	registry *prometheus.Registry

	Requests        *prometheus.CounterVec   // method, route, status
	RequestDuration *prometheus.HistogramVec // method, route, status
	RateLimited     *prometheus.CounterVec   // limit: ip, token
	Imports         *prometheus.CounterVec   // format: json, csv, xlsx; outcome: imported, dry_run, rejected
	ImportRecords   *prometheus.CounterVec   // kind, action: created, updated, unchanged
	WebhookAttempts *prometheus.CounterVec   // outcome: delivered, retry, failed
	WebhookDuration prometheus.Histogram
}

func New() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "samverkan_http_requests_total", Help: "HTTP requests by method, route template and status.",
		}, []string{"method", "route", "status"}),
		RequestDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "samverkan_http_request_duration_seconds", Help: "Time to answer an HTTP request, by method, route template and status.",
			// Cached answers take microseconds, imports seconds.
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"method", "route", "status"}),
		RateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "samverkan_rate_limited_total", Help: "Requests refused with 429, by the limit that refused them (ip or token).",
		}, []string{"limit"}),
		Imports: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "samverkan_imports_total", Help: "Import requests by format and outcome (imported, dry_run, rejected).",
		}, []string{"format", "outcome"}),
		ImportRecords: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "samverkan_import_records_total", Help: "Records written by imports, by kind and action (created, updated, unchanged).",
		}, []string{"kind", "action"}),
		WebhookAttempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "samverkan_webhook_attempts_total", Help: "Webhook delivery attempts by outcome: delivered, retry (failed, to be tried again), failed (given up).",
		}, []string{"outcome"}),
		WebhookDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "samverkan_webhook_attempt_duration_seconds", Help: "Time of a webhook delivery attempt, the receiver's answer included.",
			Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}),
	}
	m.registry.MustRegister(m.Requests, m.RequestDuration, m.RateLimited, m.Imports, m.ImportRecords, m.WebhookAttempts, m.WebhookDuration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// DatabasePool exports a connection pool's statistics (open, in use, idle, waits) labelled
// with its role: primary or replica.
func (m *Metrics) DatabasePool(role string, db *sql.DB) {
	m.registry.MustRegister(collectors.NewDBStatsCollector(db, role))
}

// WebhookBacklog exports the number of webhook deliveries waiting. It is counted in the
// database at most every 10 seconds, however often /metrics is scraped.
func (m *Metrics) WebhookBacklog(count func(context.Context) (int64, error)) {
	var mu sync.Mutex
	var last float64
	var at time.Time
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "samverkan_webhook_deliveries_pending", Help: "Webhook deliveries not yet delivered or given up (-1 when the database does not answer).",
	}, func() float64 {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(at) < 10*time.Second {
			return last
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := count(ctx)
		last, at = float64(n), time.Now()
		if err != nil {
			last = -1
		}
		return last
	}))
}

// ReplicaUp exports whether anonymous reads go to the read replica (1) or, as it does not
// answer, to the primary (0).
func (m *Metrics) ReplicaUp(up func() bool) {
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "samverkan_replica_up", Help: "1 while the read replica answers and takes the anonymous reads, 0 while they go to the primary.",
	}, func() float64 {
		if up() {
			return 1
		}
		return 0
	}))
}

// ObserveWebhook records one delivery attempt.
func (m *Metrics) ObserveWebhook(outcome string, took time.Duration) {
	m.WebhookAttempts.WithLabelValues(outcome).Inc()
	m.WebhookDuration.Observe(took.Seconds())
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}
