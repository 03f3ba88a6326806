// Command blk-server is the central server of BLK Komunitas: it serves the
// sync API to the centres' PCs and keeps the national copy of their data, on
// SQLite (default, one file) or PostgreSQL. Its sub-commands administer
// centres, enrolment codes and devices, and export a centre's central copy.
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
	"github.com/kemnaker/blk/dashboard"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
	"github.com/kemnaker/blk/internal/cli"
	syncserver "github.com/kemnaker/blk/sync/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

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
		Name:  "blk-server",
		Usage: cli.Text{"[--db sqlite:PATH|postgres://…] [--lang id|en] PERINTAH [--json] …", "[--db sqlite:PATH|postgres://…] [--lang id|en] COMMAND [--json] …"},
		Summary: cli.Text{
			"Server pusat BLK Komunitas. Setiap perintah memakai --db (bawaan $BLK_SERVER_DB atau sqlite:blk-server.db) dan keluar dengan kode bukan nol dan satu baris alasan bila gagal.",
			"The central server of BLK Komunitas. Every command takes --db (default $BLK_SERVER_DB or sqlite:blk-server.db) and exits non-zero with a one-line reason on failure.",
		},
		Global: func(fs *flag.FlagSet, lang domain.Lang) {
			fs.StringVar(&e.db, "db", e.db, cli.Text{"basis data: `sqlite:PATH` atau postgres://…", "database: `sqlite:PATH` or postgres://…"}.In(lang))
			fs.BoolVar(&e.json, "json", e.json, cli.Text{"cetak satu objek JSON", "print one JSON object"}.In(lang))
		},
		Lang:   &e.lang,
		JSON:   &e.json,
		Stdout: stdout,
		Stderr: stderr,
	}
	for _, make := range []func(*env) *cli.Command{
		serveCmd, centreAddCmd, centreCodeCmd, centreListCmd, deviceListCmd, deviceRevokeCmd,
		exportCmd, referenceImportCmd, userAddCmd,
	} {
		p.Commands = append(p.Commands, make(e))
	}
	return p.Run(ctx, args)
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
	var addr, cert, key string
	var metrics bool
	return &cli.Command{
		Name:  "serve",
		Usage: "[--addr HOST:PORT] [--tls-cert F --tls-key F] [--metrics]",
		Short: cli.Text{"layani API sinkronisasi, /healthz dan dasbor kementerian (/dashboard/)", "serve the sync API, /healthz and the ministry dashboard (/dashboard/)"},
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.BoolVar(&metrics, "metrics", false, cli.Text{"layani /metrics (teks Prometheus, tanpa login)", "serve /metrics (Prometheus text, no login)"}.In(l))
			fs.StringVar(&addr, "addr", "127.0.0.1:8440", cli.Text{"alamat `HOST:PORT` yang didengarkan", "listen address `HOST:PORT`"}.In(l))
			fs.StringVar(&cert, "tls-cert", "", cli.Text{"`file` sertifikat TLS (PEM)", "TLS certificate `file` (PEM)"}.In(l))
			fs.StringVar(&key, "tls-key", "", cli.Text{"`file` kunci TLS (PEM)", "TLS key `file` (PEM)"}.In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
			if (cert == "") != (key == "") {
				return cli.Errorf(cli.Text{"--tls-cert dan --tls-key dipakai bersama", "--tls-cert and --tls-key go together"})
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

func centreAddCmd(e *env) *cli.Command {
	var name, region, id string
	return &cli.Command{
		Name:  "centre add",
		Usage: "--name N --region CODE [--id ID] [--json]",
		Short: cli.Text{"daftarkan lembaga; mencetak id-nya dan kode pendaftaran sekali pakai", "register a centre; prints its id and a one-time enrolment code"},
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&name, "name", "", cli.Text{"nama lembaga", "centre name"}.In(l))
			fs.StringVar(&region, "region", "", cli.Text{"`kode` wilayah Kemendagri lembaga", "Kemendagri region `code` of the centre"}.In(l))
			fs.StringVar(&id, "id", "", cli.Text{"`id` lembaga yang sudah dimiliki PC-nya (lihat `blk status`), bila mulai tanpa internet", "the centre `id` its PC already has (shown by `blk status`), if it started offline"}.In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
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

func centreCodeCmd(e *env) *cli.Command {
	return &cli.Command{
		Name:    "centre code",
		Usage:   "ID [--json]",
		Short:   cli.Text{"kode sekali pakai baru untuk PC tambahan atau pengganti", "a new one-time code for a further or replacement PC"},
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
		Short: cli.Text{"lembaga yang terdaftar", "registered centres"},
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
		Short: cli.Text{"PC yang terdaftar", "enrolled PCs"},
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
		Short:   cli.Text{"tolak sebuah PC mulai sekarang", "refuse a PC from now on"},
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
			return e.print(map[string]any{"ok": true, "revoked": args[0]}, "revoked "+args[0])
		},
	}
}

// exportKinds are the lists `--what` accepts.
var exportKinds = []string{"trainees", "cohorts", "enrollments", "outcomes", "partners", "funding"}

func exportCmd(e *env) *cli.Command {
	var centre, out, what string
	return &cli.Command{
		Name:  "export",
		Usage: "--centre ID --out FILE (.csv|.xlsx) [--what " + strings.Join(exportKinds, "|") + "]",
		Short: cli.Text{"ekspor satu daftar salinan pusat sebuah lembaga, sama dengan `blk export` PC-nya", "export one list of a centre's central copy, equal to its PC's `blk export`"},
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&centre, "centre", "", cli.Text{"`id` lembaga", "centre `id`"}.In(l))
			fs.StringVar(&out, "out", "", cli.Text{"`file` tujuan (.csv atau .xlsx)", "`file` to write (.csv or .xlsx)"}.In(l))
			fs.StringVar(&what, "what", "trainees", strings.Join(exportKinds, "|"))
		},
		Run: func(ctx context.Context, _ []string) error {
			if centre == "" || out == "" {
				return cli.Errorf(cli.Text{"--centre dan --out wajib diisi: blk-server export --centre ID --out FILE (.csv|.xlsx) [--what …]", "both --centre and --out are required: blk-server export --centre ID --out FILE (.csv|.xlsx) [--what …]"})
			}
			if !slices.Contains(exportKinds, what) {
				return cli.Errorf(cli.Text{"--what %q: pilih salah satu dari %s", "--what %q: choose one of %s"}, what, strings.Join(exportKinds, ", "))
			}
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := exchange.ExportFile(ctx, st.Source(centre), what, out); err != nil {
				return fmt.Errorf("export %s of centre %s: %w", what, centre, err)
			}
			return e.print(map[string]any{"ok": true, "out": out, "what": what, "centre": centre}, "wrote "+out)
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
