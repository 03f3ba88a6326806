package main

import (
	"context"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/msg"
)

// summariesCmd rebuilds the dashboard's summary tables from the records.
// Pushes keep them up to date and the migration fills them once; this is
// for a database restored from a file made by other tools, or to check.
func summariesCmd(e *env) *cli.Command {
	return &cli.Command{
		Name:  "summaries",
		Short: cli.Text("cli.server.summaries.short"),
		Run: func(ctx context.Context, _ []string) error {
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			start := time.Now()
			if err := central.RebuildSummaries(ctx, st); err != nil {
				return err
			}
			if an, ok := st.(central.Analytics); ok {
				if err := an.RebuildAnalytics(ctx, time.Now()); err != nil {
					return err
				}
			}
			took := time.Since(start).Round(time.Millisecond)
			return e.print(map[string]any{"ok": true, "seconds": took.Seconds()}, msg.T(e.lang, "cli.out.server.summaries.rebuilt", took))
		},
	}
}
