package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// The dashboard and the Kemandirian assessment read the whole database;
// they wait for the integrity check made at open instead of reading beside
// it (together SQLite held about 45 MB more at 100k trainees, the desktop
// app's start-up peak).
func TestWholeDatabaseReadsWaitForTheCheck(t *testing.T) {
	ctx := context.Background()
	reads := map[string]func(*Store, context.Context) error{
		"Dashboard": func(s *Store, ctx context.Context) error {
			_, err := s.Dashboard(ctx, "2026-11-30")
			return err
		},
		"KemandirianInput": func(s *Store, ctx context.Context) error {
			_, err := s.KemandirianInput(ctx)
			return err
		},
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			s, err := Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			checked := s.health
			defer func() { s.health = checked }()

			// given a check still running and readers that would fail if
			// used, when the caller gives up, then the read has waited:
			// it never reached the readers
			s.health = &health{done: make(chan struct{})}
			ro := s.ro
			closed, _ := Open(ctx, filepath.Join(t.TempDir(), "other.db"))
			closed.Close()
			s.ro = closed.ro
			gaveUp, cancel := context.WithCancel(ctx)
			cancel()
			if err := read(s, gaveUp); !errors.Is(err, context.Canceled) {
				t.Errorf("during the check: %v, want it to wait for the check (context.Canceled)", err)
			}
			s.ro = ro

			// when the check ends, then it reads
			got := make(chan error, 1)
			go func() { got <- read(s, ctx) }()
			close(s.health.done)
			if err := <-got; err != nil {
				t.Errorf("after the check: %v", err)
			}
		})
	}
}
