package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/kemnaker/blk/central"
)

// serve's schedule refreshes the analytics tables at once and then every
// period, and stops with the server.
func TestServeRefreshesTheAnalyticsTablesOnItsSchedule(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			db := demoDB(t, kind)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			st, err := central.Open(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if _, err := fillDemo(ctx, st, demoPlan{Centres: 2, PerCentre: 20, Seed: 4, DuplicatePercent: 20}, nil); err != nil {
				t.Fatal(err)
			}
			an := st.(central.Analytics)
			if err := an.RebuildAnalytics(ctx, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			go func() {
				refreshAnalytics(ctx, an, time.Hour, slog.New(slog.NewTextHandler(io.Discard, nil)))
				close(done)
			}()
			// the first run comes at once, not after the period
			for {
				_, _, at, err := an.KeptDuplicateCounts(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if at.Year() > 2020 {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
			<-done
		})
	}
}
