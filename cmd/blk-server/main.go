// Command blk-server is the central server of BLK Komunitas: it serves the
// sync API to the centres' PCs and keeps the national copy of their data, on
// SQLite (default, one file) or PostgreSQL. Its sub-commands administer
// centres, enrolment codes and devices, export a centre's central copy, and
// sign and publish releases of the desktop app (docs/RELEASING.md).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/checkpage"
	"github.com/kemnaker/blk/dashboard"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/msg"
	syncserver "github.com/kemnaker/blk/sync/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	end := startProfile()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	end()
	os.Exit(code)
}

// startProfile starts what a developer build profiles (devtools.go) and
// returns what ends it; a release build profiles nothing.
var startProfile = func() (end func()) { return func() {} }

func defaultDB() string {
	if v := os.Getenv("BLK_SERVER_DB"); v != "" {
		return v
	}
	return "sqlite:blk-server.db"
}

// run reads the command line, runs the command and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{db: defaultDB(), lang: cli.EnvLang(), stdin: stdin, stdout: stdout, stderr: stderr}
	p := &cli.Program{
		Name:    "blk-server",
		Usage:   cli.Text("cli.server.usage"),
		Summary: cli.Text("cli.server.summary"),
		Global: func(fs *flag.FlagSet, lang domain.Lang) {
			fs.StringVar(&e.db, "db", e.db, cli.Text("cli.server.flag.db").In(lang))
			fs.BoolVar(&e.json, "json", e.json, cli.Text("cli.server.flag.json").In(lang))
		},
		Lang:   &e.lang,
		JSON:   &e.json,
		Stdout: stdout,
		Stderr: stderr,
	}
	for _, make := range []func(*env) *cli.Command{
		serveCmd, centreAddCmd, centreCodeCmd, centreListCmd, deviceListCmd, deviceRevokeCmd,
		exportCmd, referenceImportCmd, userAddCmd, auditCmd, backupCmd, demoCmd, summariesCmd,
		releaseKeygenCmd, releaseSignCmd, releaseAddCmd, releaseListCmd,
	} {
		p.Commands = append(p.Commands, make(e))
	}
	return p.Run(actor(ctx), args)
}

// env is what every command gets: the database, the language, how to print.
type env struct {
	db     string
	json   bool
	lang   domain.Lang
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func (e *env) open(ctx context.Context) (central.Storage, error) {
	return central.Open(ctx, e.db)
}

// actor names who runs an administrative command, for the audit trail:
// the operating system's user on this machine.
func actor(ctx context.Context) context.Context {
	name := os.Getenv("USER")
	if name == "" {
		name = os.Getenv("USERNAME") // Windows
	}
	if name == "" {
		name = "unknown"
	}
	host, _ := os.Hostname()
	return central.WithActor(ctx, "cli:"+name, host)
}

func (e *env) print(v any, text string) error {
	if e.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	_, err := fmt.Fprintln(e.stdout, text)
	return err
}

// CodeTTL is how long an enrolment code stays valid.
const CodeTTL = 7 * 24 * time.Hour

func serveCmd(e *env) *cli.Command {
	var addr, cert, key, readDB string
	var metrics bool
	var analyticsEvery time.Duration
	return &cli.Command{
		Name:  "serve",
		Usage: "[--addr HOST:PORT] [--tls-cert F --tls-key F] [--metrics] [--read-db postgres://…] [--analytics-every 5m]",
		Short: cli.Text("cli.server.serve.short"),
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.BoolVar(&metrics, "metrics", false, cli.Text("cli.server.serve.flag.metrics").In(l))
			fs.StringVar(&addr, "addr", "127.0.0.1:8440", cli.Text("cli.server.serve.flag.addr").In(l))
			fs.StringVar(&cert, "tls-cert", "", cli.Text("cli.server.serve.flag.tls_cert").In(l))
			fs.StringVar(&key, "tls-key", "", cli.Text("cli.server.serve.flag.tls_key").In(l))
			fs.StringVar(&readDB, "read-db", "", cli.Text("cli.server.serve.flag.read_db").In(l))
			fs.DurationVar(&analyticsEvery, "analytics-every", 5*time.Minute, cli.Text("cli.server.serve.flag.analytics_every").In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
			if (cert == "") != (key == "") {
				return cli.Errorf(cli.Text("cli.server.serve.err.tls_pair"))
			}
			if readDB != "" && !strings.HasPrefix(e.db, "postgres://") && !strings.HasPrefix(e.db, "postgresql://") {
				return cli.Errorf("cli.server.serve.err.read_db_sqlite")
			}
			log := slog.New(slog.NewJSONHandler(e.stderr, nil))
			syncserver.TuneServerRuntime()
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			// Centres' kemandirian levels are recomputed in the background
			// after each push (see central/kemandirian.go).
			if k, ok := st.(interface{ StartKemandirian() }); ok {
				k.StartKemandirian()
			}
			// The dashboard's analytics tables (duplicated NIKs, the tracer)
			// are rebuilt on a schedule, now and every analyticsEvery.
			if an, ok := st.(central.Analytics); ok && analyticsEvery > 0 {
				go refreshAnalytics(ctx, an, analyticsEvery, log)
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", addr, err)
			}
			// The sync API and /healthz for the PCs; everything else is the
			// ministry dashboard, behind its own login.
			syncH := syncserver.NewServer(st, log).Handler()
			mux := http.NewServeMux()
			mux.Handle("/v1/", syncH)
			mux.Handle("/healthz", syncH)
			check := checkpage.New(st, checkpage.Options{Log: log})
			mux.Handle(checkpage.Path, check)
			mux.Handle("/v", check)
			// The dashboard reads from the replica when there is one; its
			// logins are still audited on the primary.
			dopts := dashboard.Options{Metrics: metrics, SecureCookies: cert != "", Log: log}
			if readDB != "" {
				rd, err := central.OpenReplica(ctx, readDB)
				if err != nil {
					return err
				}
				defer rd.Close()
				dopts.Reads = rd
			}
			mux.Handle("/", dashboard.New(st, dopts))
			srv := &http.Server{
				Handler:           mux,
				ReadHeaderTimeout: 10 * time.Second,
				ReadTimeout:       2 * time.Minute,
				WriteTimeout:      2 * time.Minute,
				IdleTimeout:       2 * time.Minute,
				MaxHeaderBytes:    64 << 10,
				ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
			}
			scheme := "http"
			if cert != "" {
				scheme = "https"
			}
			log.Info("listening", "addr", ln.Addr().String(), "url", scheme+"://"+ln.Addr().String(), "db", redact(e.db))
			errc := make(chan error, 1)
			go func() {
				if cert != "" {
					errc <- srv.ServeTLS(ln, cert, key)
				} else {
					errc <- srv.Serve(ln)
				}
			}()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			log.Info("shutting down")
			sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := srv.Shutdown(sctx); err != nil {
				return fmt.Errorf("shutdown: %w", err)
			}
			log.Info("stopped")
			return nil
		},
	}
}

// refreshAnalytics rebuilds the analytics tables every period until ctx
// ends; a failed run is logged and the dashboard keeps the previous one.
func refreshAnalytics(ctx context.Context, an central.Analytics, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		start := time.Now()
		if err := an.RefreshAnalytics(ctx, start); err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Warn("analytics refresh failed", "err", err)
		} else {
			log.Info("analytics refreshed", "seconds", time.Since(start).Seconds())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// redact hides a password in a database URL before logging it.
func redact(db string) string {
	if i := strings.Index(db, "://"); i >= 0 {
		if j := strings.Index(db[i+3:], "@"); j >= 0 {
			userinfo := db[i+3 : i+3+j]
			if k := strings.Index(userinfo, ":"); k >= 0 {
				return db[:i+3] + userinfo[:k] + ":***" + db[i+3+j:]
			}
		}
	}
	return db
}

type codeReport struct {
	CentreID  string `json:"centre_id"`
	Name      string `json:"name,omitempty"`
	Code      string `json:"code"`
	ExpiresAt string `json:"expires_at"`
	// CentreCode starts the centre's certificate numbers (centre add only).
	CentreCode string `json:"centre_code,omitempty"`
}

func centreAddCmd(e *env) *cli.Command {
	var name, region, id string
	var p domain.Centre
	return &cli.Command{
		Name:  "centre add",
		Usage: "--name N --region CODE [--host-type T] [--foundation F] [--address A] [--head H] [--phone P] [--permit NO] [--fields CODES] [--id ID] [--json]",
		Short: cli.Text("cli.server.centre_add.short"),
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&name, "name", "", cli.Text("cli.server.centre_add.flag.name").In(l))
			fs.StringVar(&region, "region", "", cli.Text("cli.server.centre_add.flag.region").In(l))
			fs.StringVar(&p.HostType, "host-type", "", cli.Text("cli.server.centre_add.flag.host_type").In(l))
			fs.StringVar(&p.Foundation, "foundation", "", cli.Text("cli.server.centre_add.flag.foundation").In(l))
			fs.StringVar(&p.Address, "address", "", cli.Text("cli.server.centre_add.flag.address").In(l))
			fs.StringVar(&p.Head, "head", "", cli.Text("cli.server.centre_add.flag.head").In(l))
			fs.StringVar(&p.Phone, "phone", "", cli.Text("cli.server.centre_add.flag.phone").In(l))
			fs.StringVar(&p.PermitNo, "permit", "", cli.Text("cli.server.centre_add.flag.permit").In(l))
			fs.StringVar(&p.Fields, "fields", "", cli.Text("cli.server.centre_add.flag.fields").In(l))
			fs.StringVar(&id, "id", "", cli.Text("cli.server.centre_add.flag.id").In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			c, err := st.AddCentre(ctx, central.Centre{ID: id, Name: name, Region: region, Profile: p})
			if err != nil {
				return err
			}
			code, exp, err := st.NewCode(ctx, c.ID, CodeTTL)
			if err != nil {
				return err
			}
			r := codeReport{CentreID: c.ID, Name: c.Name, Code: code, ExpiresAt: exp.Format(time.RFC3339), CentreCode: c.Code}
			return e.print(r, fmt.Sprintf("centre   %s (%s)\nnumber   %s   (starts its certificate numbers)\ncode     %s   (one PC, valid until %s)", c.ID, c.Name, c.Code, code, r.ExpiresAt))
		},
	}
}

func centreCodeCmd(e *env) *cli.Command {
	return &cli.Command{
		Name:    "centre code",
		Usage:   "ID [--json]",
		Short:   cli.Text("cli.server.centre_code.short"),
		MinArgs: 1, MaxArgs: 1,
		Run: func(ctx context.Context, args []string) error {
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			code, exp, err := st.NewCode(ctx, args[0], CodeTTL)
			if err != nil {
				return err
			}
			r := codeReport{CentreID: args[0], Code: code, ExpiresAt: exp.Format(time.RFC3339)}
			return e.print(r, fmt.Sprintf("code     %s   (one PC of centre %s, valid until %s)", code, r.CentreID, r.ExpiresAt))
		},
	}
}

func centreListCmd(e *env) *cli.Command {
	return &cli.Command{
		Name:  "centre list",
		Usage: "[--json]",
		Short: cli.Text("cli.server.centre_list.short"),
		Run: func(ctx context.Context, _ []string) error {
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			cs, err := st.Centres(ctx)
			if err != nil {
				return err
			}
			rows := [][]string{{"ID", "NAME", "REGION"}}
			for _, c := range cs {
				rows = append(rows, []string{c.ID, c.Name, c.Region})
			}
			return e.print(map[string]any{"centres": cs}, table(rows))
		},
	}
}

func deviceListCmd(e *env) *cli.Command {
	return &cli.Command{
		Name:  "device list",
		Usage: "[--json]",
		Short: cli.Text("cli.server.device_list.short"),
		Run: func(ctx context.Context, _ []string) error {
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			ds, err := st.Devices(ctx)
			if err != nil {
				return err
			}
			rows := [][]string{{"ID", "CENTRE", "NAME", "ENROLLED", "LAST SEEN", "STATE"}}
			for _, d := range ds {
				state, seen := "active", "never"
				if d.Revoked {
					state = "revoked"
				}
				if !d.LastSeen.IsZero() {
					seen = d.LastSeen.Format(time.RFC3339)
				}
				rows = append(rows, []string{d.ID, d.CentreID, d.Name, d.EnrolledAt.Format(time.RFC3339), seen, state})
			}
			return e.print(map[string]any{"devices": ds}, table(rows))
		},
	}
}

func deviceRevokeCmd(e *env) *cli.Command {
	return &cli.Command{
		Name:    "device revoke",
		Usage:   "ID",
		Short:   cli.Text("cli.server.device_revoke.short"),
		MinArgs: 1, MaxArgs: 1,
		Run: func(ctx context.Context, args []string) error {
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.RevokeDevice(ctx, args[0]); err != nil {
				return err
			}
			return e.print(map[string]any{"ok": true, "revoked": args[0]}, msg.T(e.lang, "cli.out.server.device.revoked", args[0]))
		},
	}
}

// listName is a list's name in lang ("Sertifikat pelatihan"), or what itself.
func listName(lang domain.Lang, what string) string {
	if k := "exchange.list." + what; msg.Has(k) {
		return msg.T(lang, k)
	}
	return what
}

// exportKinds are the lists `--what` accepts: every list the desktop
// exports, so the two files of one centre can be compared.
var exportKinds = exchange.Lists

func exportCmd(e *env) *cli.Command {
	var centre, out, what string
	return &cli.Command{
		Name:  "export",
		Usage: "--centre ID --out FILE (.csv|.xlsx) [--what " + strings.Join(exportKinds, "|") + "]",
		Short: cli.Text("cli.server.export.short"),
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&centre, "centre", "", cli.Text("cli.server.export.flag.centre").In(l))
			fs.StringVar(&out, "out", "", cli.Text("cli.server.export.flag.out").In(l))
			fs.StringVar(&what, "what", "trainees", strings.Join(exportKinds, "|"))
		},
		Run: func(ctx context.Context, _ []string) error {
			if centre == "" || out == "" {
				return cli.Errorf(cli.Text("cli.server.export.err.centre_and_out"))
			}
			if !slices.Contains(exportKinds, what) {
				return cli.Errorf(cli.Text("cli.server.export.err.unknown_list"), what, strings.Join(exportKinds, ", "))
			}
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := exchange.ExportFile(ctx, st.Source(centre), what, out); err != nil {
				return fmt.Errorf("export %s of centre %s: %w", what, centre, err)
			}
			return e.print(map[string]any{"ok": true, "out": out, "what": what, "centre": centre}, msg.T(e.lang, "cli.out.server.export.written", listName(e.lang, what), centre, out))
		},
	}
}

// table lays rows out in aligned columns, the first row being the header.
func table(rows [][]string) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
	return strings.TrimRight(b.String(), "\n")
}
