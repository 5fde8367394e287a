package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	samverkanapi "github.com/samverkan/samverkan"
	"github.com/samverkan/samverkan/internal/config"
	"github.com/samverkan/samverkan/internal/demo"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/metrics"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/store"
	"github.com/samverkan/samverkan/internal/tracing"
	"github.com/samverkan/samverkan/internal/webhook"
)

// webhookClient refuses private and loopback endpoints unless development asks otherwise.
func webhookClient(insecure bool) *http.Client {
	if insecure {
		return webhook.InsecureClient()
	}
	return webhook.SafeClient()
}

func serve(ctx context.Context, args []string) error {
	cfg, err := config.Load("serve", args, os.Stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	log.Info("configuration", cfg.Redacted()...)
	if cfg.WebhookAllowInsecure {
		log.Warn("webhooks may be sent over plain http and to private addresses: for development only")
	}

	traced := tracing.Enabled(os.Getenv)
	if traced {
		flush, err := tracing.Setup(ctx)
		if err != nil {
			return err
		}
		defer func() {
			fctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = flush(fctx)
		}()
		log.Info("tracing on, as the OTEL_* environment says")
	}

	st, err := store.Open(cfg.DatabaseURL, store.Options{MaxOpenConns: cfg.DBMaxConns, ReplicaURL: cfg.ReplicaURL})
	if err != nil {
		return err
	}
	defer st.Close()
	if traced {
		if err := st.Trace(); err != nil {
			return err
		}
	}
	if cfg.Migrate {
		mctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		n, err := st.Migrate(mctx)
		cancel()
		if err != nil {
			return err
		}
		log.Info("database ready", "dialect", st.Dialect(), "migrations_applied", n)
	}
	svc := samverkan.NewService(st, time.Now)
	if err := st.Ping(ctx); err != nil {
		// Not fatal: the server starts not ready, and becomes ready once the migrations ran.
		log.Warn("not ready yet", "reason", err.Error())
	}
	if cfg.Demo {
		// On the primary: the demo writes, and reads what it wrote.
		if err := loadDemo(store.Primary(ctx), log, svc); err != nil {
			return err
		}
	}
	if cfg.WebhookAllowInsecure {
		svc.AllowLocalWebhooks()
	}

	m := metrics.New()
	primary, err := st.DB()
	if err != nil {
		return err
	}
	m.DatabasePool("primary", primary)
	if replica := st.ReplicaDB(); replica != nil {
		m.DatabasePool("replica", replica)
		m.ReplicaUp(st.ReplicaUp)
	}
	m.WebhookBacklog(st.PendingDeliveries)

	dispatcher := webhook.New(webhook.Config{Outbox: st, Body: httpapi.WebhookBody, Logger: log,
		Client: webhookClient(cfg.WebhookAllowInsecure), Observe: m.ObserveWebhook})
	var draining atomic.Bool
	handler, err := httpapi.New(httpapi.Config{
		Service: svc, Logger: log, Spec: samverkanapi.OpenAPI, CORSOrigins: cfg.CORSOrigins, AfterWrite: dispatcher.Wake,
		Limits:         httpapi.Limits{PerIP: httpapi.Rate(cfg.RateIP), PerToken: httpapi.Rate(cfg.RateToken), RequestTimeout: cfg.RequestTimeout},
		TrustedProxies: cfg.TrustedProxies, Metrics: m, ServeMetrics: cfg.MetricsAddr == "", ReadYourWrites: store.Primary,
		Tracing: traced, Draining: draining.Load,
	})
	if err != nil {
		return err
	}
	// Requests run on a context of their own that a SIGTERM does not end, so they may finish;
	// it is cancelled only if they outlast the shutdown grace, so that none goes on working
	// against a database about to close.
	requests, cancelRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRequests()
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return requests },
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	servers := []*http.Server{srv}
	errc := make(chan error, 2)
	if cfg.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.Handler())
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return err
		}
		servers = append(servers, msrv)
		go func() { errc <- msrv.Serve(mln) }()
	}

	workers, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	stopped := make(chan struct{})
	if cfg.Webhooks {
		go func() { dispatcher.Run(workers); close(stopped) }()
	} else {
		close(stopped)
	}
	// Deliveries under way finish (each is bounded by its timeout) before the database
	// closes; a worker that is somehow stuck is not waited for: its lease runs out.
	defer func() {
		stopWorkers()
		select {
		case <-stopped:
		case <-time.After(15 * time.Second):
			log.Warn("webhook workers did not stop in time; their deliveries go out again when the leases run out")
		}
	}()

	fmt.Printf("Samverkan API listening on http://%s (try http://%s/v1/municipalities/0486/promise-periods/current)\n", ln.Addr(), ln.Addr())
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// SIGTERM: first tell load balancers (through /readyz) while still serving, then stop
	// accepting and let in-flight requests finish, then close the database.
	draining.Store(true)
	log.Info("shutting down", "delay", cfg.ShutdownDelay.String(), "grace", cfg.ShutdownGrace.String())
	time.Sleep(cfg.ShutdownDelay)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	var errs []error
	for _, s := range servers {
		if err := s.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			// The grace ran out: end what still runs (a write rolls back whole) and close.
			cancelRequests()
			s.Close()
			errs = append(errs, fmt.Errorf("requests still running after the shutdown grace were ended: %w", err))
		}
	}
	log.Info("stopped")
	return errors.Join(errs...)
}

const demoTokenName = "demo admin"

// loadDemo imports the seed documents as the system itself and prints a fresh admin token so
// that a new user can try writes at once.
func loadDemo(ctx context.Context, log *slog.Logger, svc *samverkan.Service) error {
	system := &samverkan.Principal{TokenName: "demo data", Role: samverkan.RoleAdmin}
	rep, err := httpapi.ImportFile(ctx, svc, samverkanapi.OpenAPI, system, demo.Seed, false)
	if err != nil {
		return fmt.Errorf("load demo data: %w", explain(err))
	}
	log.Info("demo data loaded", "created", rep.Created, "updated", rep.Updated, "unchanged", rep.Unchanged)
	// One demo admin token at a time: the one printed now replaces those printed before.
	tokens, err := svc.ListTokens(ctx)
	if err != nil {
		return err
	}
	for _, t := range tokens {
		if strings.HasPrefix(t.Name, demoTokenName) && t.RevokedAt == nil {
			if err := svc.RevokeToken(ctx, t.ID); err != nil {
				return err
			}
		}
	}
	secret, _, err := svc.CreateToken(ctx, samverkan.NewTokenSpec{Name: demoTokenName + " " + time.Now().UTC().Format(time.RFC3339), Role: samverkan.RoleAdmin})
	if err != nil {
		return err
	}
	fmt.Printf("Demo admin token (shown once): %s\n", secret)
	return nil
}

// healthcheck asks a running server whether it is ready: the container image has no curl,
// so its health check runs the binary itself. The server is ADDR's port on loopback unless
// its URL is given; a URL without a path means its /readyz.
func healthcheck(ctx context.Context, args []string) error {
	base := "http://127.0.0.1:8080"
	if addr := os.Getenv("ADDR"); addr != "" {
		if _, port, err := net.SplitHostPort(addr); err == nil {
			base = "http://127.0.0.1:" + port
		}
	}
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			fmt.Println("usage: samverkan healthcheck [URL]\n  exits 0 when the server at URL (default: ADDR's port on 127.0.0.1) answers /readyz with 200")
			return nil
		}
		base = args[0]
	}
	u, err := neturl.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not a server's URL, such as http://127.0.0.1:8080", base)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/readyz"
	}
	url := u.String()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %d", url, res.StatusCode)
	}
	return nil
}
