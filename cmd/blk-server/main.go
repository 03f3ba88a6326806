// Command blk-server is the central server of BLK Komunitas: it serves the
// sync API to the centres' PCs and keeps the national copy of their data, on
// SQLite (default, one file) or PostgreSQL. Its sub-commands administer
// centres, enrolment codes and devices, and export a centre's central copy.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/dashboard"
	"github.com/kemnaker/blk/exchange"
	syncserver "github.com/kemnaker/blk/sync/server"
)

// exportFile writes one list of a centre as .csv/.xlsx; it is
// exchange.ExportFile, shared with `blk export` so both files are equal.
var exportFile func(ctx context.Context, src exchange.Source, what, path string) error = exchange.ExportFile

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usageText = `usage: blk-server <command> [flags]   (every command takes --db sqlite:PATH|postgres://…, default $BLK_SERVER_DB or sqlite:blk-server.db)

  serve [--addr HOST:PORT] [--tls-cert F --tls-key F] [--metrics]
                                                         serve the sync API, /healthz and the ministry dashboard (/dashboard/)
  centre add --name N --region CODE [--id ID] [--json]   register a centre; prints its id and a one-time enrolment code
  centre code ID [--json]                                a new one-time code for a further or replacement PC
  centre list [--json]                                   registered centres
  device list [--json]                                   enrolled PCs
  device revoke ID                                       refuse a PC from now on
  export --centre ID --out FILE (.csv|.xlsx) [--what trainees|cohorts|enrollments|outcomes|partners|funding]
  reference import FILE (.csv|.xlsx)                     national vocational fields and competency units
  user add NAME                                          dashboard login (password from stdin)`

func defaultDB() string {
	if v := os.Getenv("BLK_SERVER_DB"); v != "" {
		return v
	}
	return "sqlite:blk-server.db"
}

// run dispatches a command and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stdout, usageText)
		return 0
	}
	name := args[0]
	rest := args[1:]
	if (name == "centre" || name == "device" || name == "reference" || name == "user") && len(rest) > 0 {
		name += " " + rest[0]
		rest = rest[1:]
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "blk-server: unknown command %q\n%s\n", name, usageText)
		return 2
	}
	fs := flag.NewFlagSet("blk-server "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	e := &env{fs: fs, stdin: stdin, stdout: stdout, stderr: stderr}
	fs.StringVar(&e.db, "db", defaultDB(), "database: sqlite:PATH or postgres://…")
	fs.BoolVar(&e.json, "json", false, "print one JSON object")
	c.flags(e)
	if err := fs.Parse(interleave(rest)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := c.run(ctx, e); err != nil {
		if e.json {
			_ = json.NewEncoder(stdout).Encode(map[string]any{"ok": false, "error": err.Error()})
		}
		fmt.Fprintf(stderr, "blk-server %s: %s\n", name, strings.ReplaceAll(err.Error(), "\n", " "))
		return 1
	}
	return 0
}

// interleave moves positional arguments after the flags, so `centre code
// ID --json` parses like `centre code --json ID`.
func interleave(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") && !boolFlag(a) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

func boolFlag(a string) bool {
	a = strings.TrimLeft(a, "-")
	return a == "json"
}

type env struct {
	fs     *flag.FlagSet
	db     string
	json   bool
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func (e *env) open(ctx context.Context) (central.Storage, error) {
	return central.Open(ctx, e.db)
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

type command struct {
	flags func(*env)
	run   func(context.Context, *env) error
}

var commands = map[string]command{
	"serve":            serveCmd(),
	"centre add":       centreAddCmd(),
	"centre code":      centreCodeCmd(),
	"centre list":      centreListCmd(),
	"device list":      deviceListCmd(),
	"device revoke":    deviceRevokeCmd(),
	"export":           exportCmd(),
	"reference import": referenceImportCmd(),
	"user add":         userAddCmd(),
}

// CodeTTL is how long an enrolment code stays valid.
const CodeTTL = 7 * 24 * time.Hour

func serveCmd() command {
	var addr, cert, key string
	var metrics bool
	return command{
		flags: func(e *env) {
			e.fs.BoolVar(&metrics, "metrics", false, "serve /metrics (Prometheus text, no login)")
			e.fs.StringVar(&addr, "addr", "127.0.0.1:8440", "listen address HOST:PORT")
			e.fs.StringVar(&cert, "tls-cert", "", "TLS certificate file (PEM)")
			e.fs.StringVar(&key, "tls-key", "", "TLS key file (PEM)")
		},
		run: func(ctx context.Context, e *env) error {
			if (cert == "") != (key == "") {
				return errors.New("--tls-cert and --tls-key go together")
			}
			log := slog.New(slog.NewJSONHandler(e.stderr, nil))
			syncserver.TuneServerRuntime()
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
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
			mux.Handle("/", dashboard.New(st, dashboard.Options{Metrics: metrics, SecureCookies: cert != "", Log: log}))
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
}

func centreAddCmd() command {
	var name, region, id string
	return command{
		flags: func(e *env) {
			e.fs.StringVar(&name, "name", "", "centre name")
			e.fs.StringVar(&region, "region", "", "Kemendagri region code of the centre")
			e.fs.StringVar(&id, "id", "", "the centre id its PC already has (shown by `blk status`), if it started offline")
		},
		run: func(ctx context.Context, e *env) error {
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			c, err := st.AddCentre(ctx, central.Centre{ID: id, Name: name, Region: region})
			if err != nil {
				return err
			}
			code, exp, err := st.NewCode(ctx, c.ID, CodeTTL)
			if err != nil {
				return err
			}
			r := codeReport{CentreID: c.ID, Name: c.Name, Code: code, ExpiresAt: exp.Format(time.RFC3339)}
			return e.print(r, fmt.Sprintf("centre   %s (%s)\ncode     %s   (one PC, valid until %s)", c.ID, c.Name, code, r.ExpiresAt))
		},
	}
}

func centreCodeCmd() command {
	return command{
		flags: func(*env) {},
		run: func(ctx context.Context, e *env) error {
			if e.fs.NArg() != 1 {
				return errors.New("usage: blk-server centre code CENTRE-ID")
			}
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			code, exp, err := st.NewCode(ctx, e.fs.Arg(0), CodeTTL)
			if err != nil {
				return err
			}
			r := codeReport{CentreID: e.fs.Arg(0), Code: code, ExpiresAt: exp.Format(time.RFC3339)}
			return e.print(r, fmt.Sprintf("code     %s   (one PC of centre %s, valid until %s)", code, r.CentreID, r.ExpiresAt))
		},
	}
}

func centreListCmd() command {
	return command{
		flags: func(*env) {},
		run: func(ctx context.Context, e *env) error {
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

func deviceListCmd() command {
	return command{
		flags: func(*env) {},
		run: func(ctx context.Context, e *env) error {
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

func deviceRevokeCmd() command {
	return command{
		flags: func(*env) {},
		run: func(ctx context.Context, e *env) error {
			if e.fs.NArg() != 1 {
				return errors.New("usage: blk-server device revoke DEVICE-ID")
			}
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.RevokeDevice(ctx, e.fs.Arg(0)); err != nil {
				return err
			}
			return e.print(map[string]any{"ok": true, "revoked": e.fs.Arg(0)}, "revoked "+e.fs.Arg(0))
		},
	}
}

// exportKinds are the lists `--what` accepts.
var exportKinds = []string{"trainees", "cohorts", "enrollments", "outcomes", "partners", "funding"}

func exportCmd() command {
	var centre, out, what string
	return command{
		flags: func(e *env) {
			e.fs.StringVar(&centre, "centre", "", "centre id")
			e.fs.StringVar(&out, "out", "", "file to write (.csv or .xlsx)")
			e.fs.StringVar(&what, "what", "trainees", strings.Join(exportKinds, "|"))
		},
		run: func(ctx context.Context, e *env) error {
			if centre == "" || out == "" {
				return errors.New("usage: blk-server export --centre ID --out FILE (.csv|.xlsx) [--what …]")
			}
			if i := sort.SearchStrings(sortedKinds(), what); i >= len(exportKinds) || sortedKinds()[i] != what {
				return fmt.Errorf("--what %q: choose one of %s", what, strings.Join(exportKinds, ", "))
			}
			if exportFile == nil {
				return errors.New("this build of blk-server has no exporter (exchange.ExportFile missing)")
			}
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := exportFile(ctx, st.Source(centre), what, out); err != nil {
				return fmt.Errorf("export %s of centre %s: %w", what, centre, err)
			}
			return e.print(map[string]any{"ok": true, "out": out, "what": what, "centre": centre}, "wrote "+out)
		},
	}
}

func sortedKinds() []string {
	k := append([]string{}, exportKinds...)
	sort.Strings(k)
	return k
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
