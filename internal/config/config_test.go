package config_test

import (
	"errors"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/config"
)

// clearEnv unsets every setting's variable for the test, so the machine's own do not leak in.
func clearEnv(t *testing.T) {
	for _, s := range config.Settings() {
		t.Setenv(s.Env, "")
	}
}

func TestWithNothingSetTheServerRunsOnTheEmbeddedDatabaseLocally(t *testing.T) {
	clearEnv(t)
	s, err := config.Load("serve", nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if s.Addr != "127.0.0.1:8080" || s.DatabaseURL != config.DefaultDatabase || !s.Migrate || !s.Webhooks || s.WebhookAllowInsecure ||
		s.RequestTimeout != time.Minute || s.WriteTimeout != 75*time.Second || s.RateIP.PerSecond != 100 || s.RateToken.Burst != 60 ||
		s.LogLevel != slog.LevelInfo || s.ShutdownGrace != 20*time.Second {
		t.Errorf("defaults %+v", s)
	}
}

func TestFlagsWinOverEnvironmentVariables(t *testing.T) {
	clearEnv(t)
	t.Setenv("ADDR", "0.0.0.0:8080")
	t.Setenv("RATE_LIMIT_IP", "7.5")
	t.Setenv("CORS_ORIGINS", "https://www.strangnas.se, https://www.eskilstuna.se/")
	t.Setenv("TRUSTED_PROXIES", "10.0.0.0/8,192.168.1.7")
	t.Setenv("MIGRATE", "false")
	s, err := config.Load("serve", []string{"--addr", "127.0.0.1:9000", "--log-level", "debug", "--demo", "--webhooks=false"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if s.Addr != "127.0.0.1:9000" || s.RateIP.PerSecond != 7.5 || s.Migrate || s.LogLevel != slog.LevelDebug || !s.Demo || s.Webhooks {
		t.Errorf("flags over variables %+v", s)
	}
	if !slices.Equal(s.CORSOrigins, []string{"https://www.strangnas.se", "https://www.eskilstuna.se"}) {
		t.Errorf("origins %v", s.CORSOrigins)
	}
	if !slices.Equal(s.TrustedProxies, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32")}) {
		t.Errorf("proxies %v", s.TrustedProxies)
	}
}

func TestEveryWrongSettingIsNamedWithWhatItShouldBe(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		want []string // each must appear in the error
	}{
		{env: map[string]string{"ADDR": "localhost"}, want: []string{`ADDR (--addr) "localhost": want host:port`}},
		{args: []string{"--addr", "0.0.0.0:99999"}, want: []string{"the port must be a number from 0 to 65535"}},
		{env: map[string]string{"DATABASE_URL": "postgres://"}, want: []string{"DATABASE_URL", "is not a PostgreSQL URL"}},
		// A mistyped URL must not become a SQLite file of that name, an empty database.
		{env: map[string]string{"DATABASE_URL": "postgres:/db:5432/samverkan"}, want: []string{"DATABASE_URL", `starts with "postgres:"`}},
		{env: map[string]string{"DATABASE_URL": "mysql://db/samverkan"}, want: []string{"DATABASE_URL", `starts with "mysql:"`}},
		{env: map[string]string{"DATABASE_URL": "host=db user=samverkan dbname=samverkan"}, want: []string{"DATABASE_URL", "key=value connection string"}},
		{env: map[string]string{"DATABASE_REPLICA_URL": "replica.db"}, want: []string{"DATABASE_REPLICA_URL", "must be a postgres:// URL"}},
		{env: map[string]string{"DATABASE_REPLICA_URL": "postgres://replica:5432/samverkan"}, want: []string{"DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL"}},
		{env: map[string]string{"DB_MAX_CONNS": "many"}, want: []string{"DB_MAX_CONNS", "want a whole number from 1 to 1000"}},
		{env: map[string]string{"RATE_LIMIT_IP": "-1"}, want: []string{"RATE_LIMIT_IP", "0 for no limit"}},
		{env: map[string]string{"REQUEST_TIMEOUT": "30"}, want: []string{"REQUEST_TIMEOUT", "want a duration such as 30s"}},
		{env: map[string]string{"REQUEST_TIMEOUT": "2m"}, want: []string{"REQUEST_TIMEOUT (2m0s) must be shorter than WRITE_TIMEOUT (1m15s)"}},
		{env: map[string]string{"MIGRATE": "ja"}, want: []string{"MIGRATE", "want true or false"}},
		{env: map[string]string{"CORS_ORIGINS": "www.strangnas.se"}, want: []string{"CORS_ORIGINS", "is not an origin"}},
		{env: map[string]string{"TRUSTED_PROXIES": "10.0.0.0/33"}, want: []string{"TRUSTED_PROXIES", "is not a CIDR"}},
		{env: map[string]string{"LOG_LEVEL": "loud"}, want: []string{"LOG_LEVEL", "want debug, info, warn or error"}},
		{env: map[string]string{"METRICS_ADDR": "127.0.0.1:8080"}, want: []string{"METRICS_ADDR must differ from ADDR"}},
		{args: []string{"extra"}, want: []string{`unexpected argument "extra"`}},
		// All at once: an operator fixes everything in one go.
		{env: map[string]string{"ADDR": "x", "DB_MAX_CONNS": "0", "SHUTDOWN_GRACE": "0s"}, want: []string{"ADDR", "DB_MAX_CONNS", "SHUTDOWN_GRACE"}},
	}
	for _, c := range cases {
		t.Run(strings.Join(append(keys(c.env), c.args...), " "), func(t *testing.T) {
			clearEnv(t)
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			_, err := config.Load("serve", c.args, io.Discard)
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v, want the settings named", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not say %q", err, w)
				}
			}
		})
	}
}

func TestTheLoggedConfigurationHidesDatabasePasswords(t *testing.T) {
	clearEnv(t)
	t.Setenv("DATABASE_URL", "postgres://samverkan:hemligt@db:5432/samverkan?sslmode=require")
	t.Setenv("DATABASE_REPLICA_URL", "postgres://db-replica:5432/samverkan?user=samverkan&password=hemligt")
	s, err := config.Load("serve", nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("configuration", s.Redacted()...)
	if strings.Contains(logged.String(), "hemligt") || !strings.Contains(logged.String(), "db:5432") {
		t.Errorf("logged %s", logged.String())
	}
}

func TestAWrongDatabaseURLIsNamedWithoutItsPassword(t *testing.T) {
	for _, v := range []string{"postgres:/samverkan:hemligt@db/samverkan", "host=db user=samverkan password=hemligt", "postgres://samverkan:hemligt@/samverkan"} {
		clearEnv(t)
		t.Setenv("DATABASE_URL", v)
		_, err := config.Load("serve", nil, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") || strings.Contains(err.Error(), "hemligt") {
			t.Errorf("%s: %v", v, err)
		}
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k+"="+m[k])
	}
	slices.Sort(out)
	return out
}

// The table of settings in docs/configuration.md is the operator's reference: it must list every one.
func TestTheConfigurationPageListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range config.Settings() {
		row := "| `" + s.Env + "` | `--" + s.Flag + "` |"
		if !strings.Contains(string(readme), row) {
			t.Errorf("docs/configuration.md has no row for %s", s.Env)
		}
	}
}
