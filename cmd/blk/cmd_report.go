package main

import (
	"context"
	"flag"
	"io"
	"strings"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/pdfdoc"
	"github.com/kemnaker/blk/store"
)

func init() {
	register(func(e *env) *cli.Command {
		return reportCommand(e, "cohort", "--cohort ID --out FILE.pdf",
			cli.Text("cli.blk.report_cohort.short"),
			func(ctx context.Context, s *store.Store, o reportOptions, w io.Writer) error {
				return pdfdoc.CohortReport(ctx, s, o.cohort, w)
			})
	})
	register(func(e *env) *cli.Command {
		return reportCommand(e, "certificates", "--cohort ID [--trainee ID] --out FILE.pdf",
			cli.Text("cli.blk.report_certificates.short"),
			func(ctx context.Context, s *store.Store, o reportOptions, w io.Writer) error {
				return pdfdoc.Certificates(ctx, s, o.cohort, o.trainee, w)
			})
	})
	register(func(e *env) *cli.Command {
		return reportCommand(e, "annual", "--year YYYY --out FILE.pdf",
			cli.Text("cli.blk.report_annual.short"),
			func(ctx context.Context, s *store.Store, o reportOptions, w io.Writer) error {
				return pdfdoc.AnnualSummary(ctx, s, o.year, w)
			})
	})
	register(func(e *env) *cli.Command {
		return reportCommand(e, "kemandirian", "--out FILE.pdf",
			cli.Text("cli.blk.report_kemandirian.short"),
			func(ctx context.Context, s *store.Store, o reportOptions, w io.Writer) error {
				return pdfdoc.KemandirianProfile(ctx, s, w)
			})
	})
}

// reportOptions are the flags of `blk report …`.
type reportOptions struct {
	out, cohort, trainee string
	year                 int
}

// reportCommand is `blk report KIND`: one printed document.
func reportCommand(e *env, kind, usage string, short cli.Text, write func(context.Context, *store.Store, reportOptions, io.Writer) error) *cli.Command {
	var o reportOptions
	return &cli.Command{
		Name:  "report " + kind,
		Usage: usage,
		Short: short,
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&o.out, "out", "", cli.Text("cli.blk.report.flag.out").In(l))
			if needsCohort(kind) {
				fs.StringVar(&o.cohort, "cohort", "", cli.Text("cli.blk.report.flag.cohort").In(l))
			}
			if kind == "certificates" {
				fs.StringVar(&o.trainee, "trainee", "", cli.Text("cli.blk.report.flag.trainee").In(l))
			}
			if kind == "annual" {
				fs.IntVar(&o.year, "year", time.Now().Year(), cli.Text("cli.blk.report.flag.year").In(l))
			}
		},
		Run: func(ctx context.Context, _ []string) error {
			if o.out == "" {
				return cli.Errorf(cli.Text("cli.blk.report.err.out_required"))
			}
			if !strings.HasSuffix(strings.ToLower(o.out), ".pdf") {
				return cli.Errorf(cli.Text("cli.blk.report.err.not_pdf"), o.out)
			}
			if needsCohort(kind) && o.cohort == "" {
				return cli.Errorf(cli.Text("cli.blk.report.err.cohort_required"))
			}
			s, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := pdfdoc.SaveFile(o.out, func(w io.Writer) error { return write(ctx, s, o, w) }); err != nil {
				return err
			}
			return e.print(map[string]any{"ok": true, "document": kind, "file": o.out}, e.say("cli.out.report.written", e.say("cli.out.report."+kind), o.out))
		},
	}
}

// needsCohort reports whether a printed document is about one cohort.
func needsCohort(kind string) bool { return kind == "cohort" || kind == "certificates" }
