package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	samverkanapi "github.com/samverkan/samverkan"
	"github.com/samverkan/samverkan/internal/demo"
	"github.com/samverkan/samverkan/internal/httpapi"
	"github.com/samverkan/samverkan/internal/samverkan"
	"github.com/samverkan/samverkan/internal/webhook"
)

// webhookClient refuses private and loopback endpoints unless development asks otherwise.
func webhookClient(insecure bool) *http.Client {
	if insecure {
		return webhook.InsecureClient()
	}
	return webhook.SafeClient()
}

func serve(ctx context.Context, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	db := databaseFlag(fs)
	withDemo := fs.Bool("demo", false, "load the seed documents' content (safe to repeat) and print an admin token")
	cors := fs.String("cors-origins", os.Getenv("CORS_ORIGINS"), "comma-separated browser origins allowed to call the API (env CORS_ORIGINS); empty allows any")
	shutdownGrace := fs.Duration("shutdown-grace", 20*time.Second, "how long in-flight requests may take to finish on SIGTERM")
	sendWebhooks := fs.Bool("webhooks", true, "send queued webhook deliveries from this process")
	insecureWebhooks := fs.Bool("webhook-allow-insecure", false, "development only: let webhooks use plain http and private or loopback addresses")
	if err := fs.Parse(args); err != nil {
		return err
	}
	svc, st, err := openService(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	log.Info("database ready", "dialect", st.Dialect())

	if *withDemo {
		if err := loadDemo(ctx, log, svc); err != nil {
			return err
		}
	}
	var origins []string
	for _, o := range strings.Split(*cors, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	if *insecureWebhooks {
		svc.AllowHTTPWebhooks()
	}
	dispatcher := webhook.New(webhook.Config{Outbox: st, Body: httpapi.WebhookBody, Logger: log, Client: webhookClient(*insecureWebhooks)})
	handler, err := httpapi.New(httpapi.Config{Service: svc, Logger: log, Spec: samverkanapi.OpenAPI, CORSOrigins: origins, AfterWrite: dispatcher.Wake})
	if err != nil {
		return err
	}
	workers, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	var working sync.WaitGroup
	if *sendWebhooks {
		working.Go(func() { dispatcher.Run(workers) })
	}
	// Deliveries under way finish (each is bounded by its timeout) before the database closes.
	defer working.Wait()
	defer stopWorkers()
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Printf("Samverkan API listening on http://%s (try http://%s/v1/municipalities/0486/promise-periods/current)\n", ln.Addr(), ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// SIGTERM: stop accepting, let in-flight requests finish, then close the database.
	log.Info("shutting down", "grace", shutdownGrace.String())
	sctx, cancel := context.WithTimeout(context.Background(), *shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
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
