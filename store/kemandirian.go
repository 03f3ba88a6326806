package store

import (
	"context"
	gosync "sync"
	"time"

	"github.com/kemnaker/blk/domain"
)

// KemandirianInput reads what the road map's assessment needs of this
// centre, through the same EachRecord the server's storage offers, so the
// PC and the server feed domain.AssessKemandirian the same records. It
// waits for the integrity check made at open (see afterCheck).
func (s *Store) KemandirianInput(ctx context.Context) (domain.KemandirianInput, error) {
	if err := s.afterCheck(ctx); err != nil {
		return domain.KemandirianInput{}, err
	}
	return domain.LoadKemandirian(func(table string, fn func(domain.Record) error) error {
		return s.EachRecord(ctx, table, fn)
	})
}

// Kemandirian assesses this centre on day (see domain.AssessKemandirian).
func (s *Store) Kemandirian(ctx context.Context, day time.Time) (domain.KemandirianAssessment, error) {
	a, _, err := s.KemandirianFigures(ctx, day)
	return a, err
}

// KemandirianFigures is the assessment on day and the year's figures
// (domain.FiguresOfYear), kept until a write changes the data or the day
// changes: reading their input at 100k trainees takes seconds and 25 MB,
// and the dashboard and the Kemandirian screen asked again at every visit
// and language switch.
func (s *Store) KemandirianFigures(ctx context.Context, day time.Time) (domain.KemandirianAssessment, domain.YearFigures, error) {
	gen, d := s.notify.gen.Load(), day.Format(time.DateOnly)
	s.kem.mu.Lock()
	if k := &s.kem; k.ok && k.gen == gen && k.day == d {
		a, y := k.a, k.y
		s.kem.mu.Unlock()
		return a, y, nil
	}
	s.kem.mu.Unlock()
	in, err := s.KemandirianInput(ctx)
	if err != nil {
		return domain.KemandirianAssessment{}, domain.YearFigures{}, err
	}
	a, y := domain.AssessKemandirian(in, day), domain.FiguresOfYear(in, day.Year())
	s.kem.mu.Lock()
	if gen == s.notify.gen.Load() { // else a write came while reading: keep nothing
		s.kem.gen, s.kem.day, s.kem.a, s.kem.y, s.kem.ok = gen, d, a, y, true
	}
	s.kem.mu.Unlock()
	return a, y, nil
}

// kemCache is the last assessment and the data (notifier gen) and day it
// was made of.
type kemCache struct {
	mu  gosync.Mutex
	ok  bool
	gen uint64
	day string
	a   domain.KemandirianAssessment
	y   domain.YearFigures
}
