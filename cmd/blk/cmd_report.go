package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kemnaker/blk/pdfdoc"
)

func init() {
	register("report", command{
		usage: "cohort --cohort ID | certificates --cohort ID [--trainee ID] | annual --year YYYY   --out FILE.pdf",
		run:   runReport,
	})
}

func runReport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return errors.New("which document? cohort, certificates or annual (e.g. blk report cohort --cohort ID --out laporan.pdf)")
	}
	kind := args[0]
	fs := newFlags("report "+kind, e)
	out := fs.String("out", "", "PDF file to write")
	cohort := fs.String("cohort", "", "cohort id (see blk export --what cohorts)")
	trainee := fs.String("trainee", "", "certificates: only this trainee's")
	year := fs.Int("year", time.Now().Year(), "annual: the year")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := noExtraArgs(fs); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out FILE.pdf is required")
	}
	if !strings.HasSuffix(strings.ToLower(*out), ".pdf") {
		return fmt.Errorf("%s: the file name must end in .pdf", *out)
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	var write func(io.Writer) error
	switch kind {
	case "cohort", "certificates":
		if *cohort == "" {
			return errors.New("--cohort ID is required (see blk export --what cohorts)")
		}
		if kind == "cohort" {
			write = func(w io.Writer) error { return pdfdoc.CohortReport(ctx, s, *cohort, w) }
		} else {
			write = func(w io.Writer) error { return pdfdoc.Certificates(ctx, s, *cohort, *trainee, w) }
		}
	case "annual":
		write = func(w io.Writer) error { return pdfdoc.AnnualSummary(ctx, s, *year, w) }
	default:
		return fmt.Errorf("unknown document %q: choose cohort, certificates or annual", kind)
	}
	if err := pdfdoc.SaveFile(*out, write); err != nil {
		return err
	}
	return e.print(map[string]any{"ok": true, "document": kind, "file": *out}, fmt.Sprintf("%s written to %s", kind, *out))
}
