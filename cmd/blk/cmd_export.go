package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/kemnaker/blk/exchange"
)

func init() {
	register("export", command{
		usage: "--out FILE (.xlsx|.csv) [--what trainees|cohorts|enrollments|outcomes|partners|funding]",
		run:   runExport,
	})
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags("export", e)
	out := fs.String("out", "", "file to write; .xlsx or .csv")
	what := fs.String("what", "trainees", "which list")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := noExtraArgs(fs); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out FILE.xlsx is required")
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := exchange.ExportFile(ctx, s, *what, *out); err != nil {
		return err
	}
	return e.print(map[string]any{"ok": true, "what": *what, "file": *out}, fmt.Sprintf("%s exported to %s", *what, *out))
}
