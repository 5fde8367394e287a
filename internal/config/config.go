// Package config reads the settings of `samverkan serve` from flags and environment
// variables, checks every one, and reports all that are wrong at once, each by the name an
// operator set it under.
//
// Each setting is a flag and the environment variable of the same name in capitals with
// underscores (--database-url, DATABASE_URL); a flag wins over the variable, and the variable
// over the default. Parsing them together is peterbourgon/ff's job; the checks are ours.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/peterbourgon/ff/v3"

	"github.com/samverkan/samverkan/internal/store"
)

// Server is the configuration of the API server.
type Server struct {
	Addr        string
	DatabaseURL string // a secret when it carries a password: log Redacted()
	ReplicaURL  string
	DBMaxConns  int
	Migrate     bool
	Demo        bool
	CORSOrigins []string
	// TrustedProxies are the load balancers whose X-Forwarded-For names the client.
	TrustedProxies []netip.Prefix
	RateIP         Rate
	RateToken      Rate
	RequestTimeout time.Duration
	// The HTTP server's own limits.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	ShutdownDelay, ShutdownGrace                              time.Duration
	MetricsAddr                                               string
	LogLevel                                                  slog.Level
	Webhooks, WebhookAllowInsecure                            bool
}

// Rate is a token bucket: PerSecond requests a second on average, Burst at once. Zero turns
// the limit off.
type Rate struct {
	PerSecond float64
	Burst     int
}

func (r Rate) Off() bool { return r.PerSecond == 0 }

// DefaultDatabase is the embedded SQLite file used when no database is configured.
const DefaultDatabase = "samverkan.db"

// Setting documents one setting: its flag, its variable, its default and what it does.
type Setting struct {
	Flag, Env, Default, Usage string
	parse                     func(s *Server, v string) error
	// boolean settings may be given as a bare flag: --demo.
	boolean bool
	// secret settings may hold a password: a problem with one does not repeat its value.
	secret bool
}

// Settings lists every setting of the server, in the order docs/configuration.md's table shows them.
func Settings() []Setting { return settings }

var settings = []Setting{
	{Flag: "addr", Default: "127.0.0.1:8080", Usage: "listen address (host:port); 0.0.0.0:8080 in a container",
		parse: func(s *Server, v string) error { s.Addr = v; return hostPort(v) }},
	{Flag: "database-url", Default: DefaultDatabase, Usage: "postgres:// or postgresql:// URL for PostgreSQL, or a SQLite file path (sqlite: prefix optional); any other scheme or a key=value string is refused",
		parse: func(s *Server, v string) error { s.DatabaseURL = v; return databaseURL(v) }, secret: true},
	{Flag: "database-replica-url", Usage: "a PostgreSQL read replica for anonymous reads; writes and requests with a token use the primary",
		parse: func(s *Server, v string) error { s.ReplicaURL = v; return replicaURL(v) }, secret: true},
	{Flag: "db-max-conns", Default: "20", Usage: "connections to PostgreSQL per process (and as many per replica)",
		parse: func(s *Server, v string) (err error) { s.DBMaxConns, err = intIn(v, 1, 1000); return }},
	{Flag: "migrate", boolean: true, Default: "true", Usage: "apply pending migrations at start-up; false where a migration job runs them first",
		parse: func(s *Server, v string) (err error) { s.Migrate, err = boolean(v); return }},
	{Flag: "demo", boolean: true, Default: "false", Usage: "load the seed documents' content (safe to repeat) and print an admin token",
		parse: func(s *Server, v string) (err error) { s.Demo, err = boolean(v); return }},
	{Flag: "cors-origins", Usage: "comma-separated browser origins allowed to call the API, e.g. https://www.strangnas.se; empty allows any",
		parse: func(s *Server, v string) (err error) { s.CORSOrigins, err = origins(v); return }},
	{Flag: "trusted-proxies", Usage: "comma-separated CIDRs of load balancers whose X-Forwarded-For names the client (for per-IP limits and logs)",
		parse: func(s *Server, v string) (err error) { s.TrustedProxies, err = prefixes(v); return }},
	{Flag: "rate-limit-ip", Default: "100", Usage: "requests per second per client IP to /v1 (0: no limit); answered 429 with Retry-After beyond it",
		parse: func(s *Server, v string) (err error) { s.RateIP.PerSecond, err = rate(v); return }},
	{Flag: "rate-limit-ip-burst", Default: "200", Usage: "requests a client IP may make at once before the rate applies",
		parse: func(s *Server, v string) (err error) { s.RateIP.Burst, err = intIn(v, 1, 1_000_000); return }},
	{Flag: "rate-limit-token", Default: "20", Usage: "requests per second per bearer token (0: no limit)",
		parse: func(s *Server, v string) (err error) { s.RateToken.PerSecond, err = rate(v); return }},
	{Flag: "rate-limit-token-burst", Default: "60", Usage: "requests a token may make at once before the rate applies",
		parse: func(s *Server, v string) (err error) { s.RateToken.Burst, err = intIn(v, 1, 1_000_000); return }},
	{Flag: "request-timeout", Default: "60s", Usage: "the most a request may take, database work included (imports are the longest)",
		parse: func(s *Server, v string) (err error) {
			s.RequestTimeout, err = duration(v, time.Second, time.Hour)
			return
		}},
	{Flag: "read-header-timeout", Default: "5s", Usage: "time to read a request's headers",
		parse: func(s *Server, v string) (err error) {
			s.ReadHeaderTimeout, err = duration(v, 100*time.Millisecond, time.Minute)
			return
		}},
	{Flag: "read-timeout", Default: "60s", Usage: "time to read a whole request, body included",
		parse: func(s *Server, v string) (err error) {
			s.ReadTimeout, err = duration(v, time.Second, time.Hour)
			return
		}},
	{Flag: "write-timeout", Default: "75s", Usage: "time to write a response; more than request-timeout",
		parse: func(s *Server, v string) (err error) {
			s.WriteTimeout, err = duration(v, time.Second, time.Hour)
			return
		}},
	{Flag: "idle-timeout", Default: "120s", Usage: "how long a kept-alive connection may wait for its next request",
		parse: func(s *Server, v string) (err error) {
			s.IdleTimeout, err = duration(v, time.Second, time.Hour)
			return
		}},
	{Flag: "shutdown-delay", Default: "0s", Usage: "on SIGTERM, answer /readyz with 503 this long before closing the listener, so load balancers stop sending (5s in Kubernetes)",
		parse: func(s *Server, v string) (err error) { s.ShutdownDelay, err = duration(v, 0, time.Minute); return }},
	{Flag: "shutdown-grace", Default: "20s", Usage: "on SIGTERM, how long in-flight requests may take to finish",
		parse: func(s *Server, v string) (err error) {
			s.ShutdownGrace, err = duration(v, time.Second, 10*time.Minute)
			return
		}},
	{Flag: "metrics-addr", Usage: "serve /metrics on this address instead of on addr (e.g. 0.0.0.0:9090, to keep it off the public port)",
		parse: func(s *Server, v string) error {
			s.MetricsAddr = v
			if v == "" {
				return nil
			}
			return hostPort(v)
		}},
	{Flag: "log-level", Default: "info", Usage: "debug, info, warn or error",
		parse: func(s *Server, v string) error {
			if s.LogLevel.UnmarshalText([]byte(v)) != nil {
				return errors.New("want debug, info, warn or error")
			}
			return nil
		}},
	{Flag: "webhooks", boolean: true, Default: "true", Usage: "send queued webhook deliveries from this process (replicas share the work)",
		parse: func(s *Server, v string) (err error) { s.Webhooks, err = boolean(v); return }},
	{Flag: "webhook-allow-insecure", boolean: true, Default: "false", Usage: "development only: webhooks may use plain http and private or loopback addresses",
		parse: func(s *Server, v string) (err error) { s.WebhookAllowInsecure, err = boolean(v); return }},
}

func init() {
	for i := range settings {
		settings[i].Env = strings.ToUpper(strings.ReplaceAll(settings[i].Flag, "-", "_"))
	}
}

// Error lists every wrong setting.
type Error struct{ Problems []string }

func (e *Error) Error() string {
	return "configuration: " + strings.Join(e.Problems, "; ")
}

// Load reads the server's settings from args and the environment and checks them.
func Load(name string, args []string, usage io.Writer) (*Server, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(usage)
	raw := make([]*value, len(settings))
	for i, st := range settings {
		raw[i] = &value{s: st.Default, boolean: st.boolean}
		fs.Var(raw[i], st.Flag, st.Usage+" (env "+st.Env+")")
	}
	if err := ff.Parse(fs, args, ff.WithEnvVars()); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, &Error{Problems: []string{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}}
	}
	s := &Server{}
	var problems []string
	for i, st := range settings {
		if err := st.parse(s, strings.TrimSpace(raw[i].s)); err != nil {
			shown := fmt.Sprintf(" %q", raw[i].s)
			if st.secret {
				shown = ""
			}
			problems = append(problems, fmt.Sprintf("%s (--%s)%s: %v", st.Env, st.Flag, shown, err))
		}
	}
	problems = append(problems, s.crossChecks()...)
	if len(problems) > 0 {
		return nil, &Error{Problems: problems}
	}
	return s, nil
}

// crossChecks are the rules between settings.
func (s *Server) crossChecks() []string {
	var out []string
	if s.WriteTimeout > 0 && s.RequestTimeout >= s.WriteTimeout {
		out = append(out, fmt.Sprintf("REQUEST_TIMEOUT (%v) must be shorter than WRITE_TIMEOUT (%v), or a slow answer is cut off mid-way",
			s.RequestTimeout, s.WriteTimeout))
	}
	if s.MetricsAddr != "" && s.MetricsAddr == s.Addr {
		out = append(out, "METRICS_ADDR must differ from ADDR; leave it empty to serve /metrics on ADDR")
	}
	if s.ReplicaURL != "" && !isPostgres(s.DatabaseURL) {
		out = append(out, "DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL")
	}
	return out
}

// value is a flag that takes any text, so that every setting is read before any is checked.
type value struct {
	s       string
	boolean bool
}

func (v *value) String() string     { return v.s }
func (v *value) Set(s string) error { v.s = s; return nil }
func (v *value) IsBoolFlag() bool   { return v.boolean }

// Redacted is the configuration as it may be logged: database passwords are masked.
func (s *Server) Redacted() []any {
	return []any{"addr", s.Addr, "database", redact(s.DatabaseURL), "replica", redact(s.ReplicaURL), "db_max_conns", s.DBMaxConns,
		"migrate", s.Migrate, "metrics_addr", s.MetricsAddr, "cors_origins", s.CORSOrigins, "trusted_proxies", s.TrustedProxies,
		"rate_limit_ip", s.RateIP, "rate_limit_token", s.RateToken, "request_timeout", s.RequestTimeout.String(),
		"write_timeout", s.WriteTimeout.String(), "shutdown_delay", s.ShutdownDelay.String(), "shutdown_grace", s.ShutdownGrace.String(),
		"log_level", s.LogLevel.String(), "webhooks", s.Webhooks, "webhook_allow_insecure", s.WebhookAllowInsecure}
}

func redact(dbURL string) string {
	if !isPostgres(dbURL) {
		return dbURL
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		return "(unparsable)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

func isPostgres(u string) bool {
	d, _, err := store.DialectOf(u)
	return err == nil && d == store.Postgres
}

func hostPort(v string) error {
	_, port, err := net.SplitHostPort(v)
	if err != nil {
		return errors.New("want host:port, e.g. 0.0.0.0:8080")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return errors.New("the port must be a number from 0 to 65535")
	}
	return nil
}

func databaseURL(v string) error {
	if v == "" {
		return errors.New("must name a database; the default is the SQLite file " + DefaultDatabase)
	}
	d, _, err := store.DialectOf(v)
	if err != nil {
		return err
	}
	if d == store.Postgres {
		u, err := url.Parse(v)
		if err != nil || u.Host == "" {
			return errors.New("is not a PostgreSQL URL like postgres://user:password@host:5432/samverkan")
		}
	}
	return nil
}

func replicaURL(v string) error {
	if v == "" {
		return nil
	}
	if !isPostgres(v) {
		return errors.New("must be a postgres:// URL")
	}
	return databaseURL(v)
}

func intIn(v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("want a whole number from %d to %d", lo, hi)
	}
	return n, nil
}

func rate(v string) (float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f > 1e6 {
		return 0, errors.New("want requests per second, 0 for no limit")
	}
	return f, nil
}

func duration(v string, lo, hi time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, errors.New("want a duration such as 30s or 2m")
	}
	if d < lo || d > hi {
		return 0, fmt.Errorf("want from %v to %v", lo, hi)
	}
	return d, nil
}

func boolean(v string) (bool, error) {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, errors.New("want true or false")
	}
	return b, nil
}

func origins(v string) ([]string, error) {
	var out []string
	for _, o := range strings.Split(v, ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		u, err := url.Parse(o)
		if o != "*" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/")) {
			return nil, fmt.Errorf("%q is not an origin like https://www.strangnas.se", o)
		}
		out = append(out, strings.TrimSuffix(o, "/"))
	}
	return out, nil
}

func prefixes(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		pr, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return nil, fmt.Errorf("%q is not a CIDR like 10.0.0.0/8", p)
			}
			pr = netip.PrefixFrom(addr, addr.BitLen())
		}
		out = append(out, pr.Masked())
	}
	return out, nil
}
