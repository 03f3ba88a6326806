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
// The assessment is kept until a write changes the data or the day
// changes: reading its input at 100k trainees takes seconds and 25 MB, and
// the dashboard asked again at every language switch and every visit.
func (s *Store) Kemandirian(ctx context.Context, day time.Time) (domain.KemandirianAssessment, error) {
	gen, d := s.notify.gen.Load(), day.Format(time.DateOnly)
	s.kem.mu.Lock()
	if k := &s.kem; k.ok && k.gen == gen && k.day == d {
		a := k.a
		s.kem.mu.Unlock()
		return a, nil
	}
	s.kem.mu.Unlock()
	in, err := s.KemandirianInput(ctx)
	if err != nil {
		return domain.KemandirianAssessment{}, err
	}
	a := domain.AssessKemandirian(in, day)
	s.kem.mu.Lock()
	if gen == s.notify.gen.Load() { // else a write came while reading: keep nothing
		s.kem.gen, s.kem.day, s.kem.a, s.kem.ok = gen, d, a, true
	}
	s.kem.mu.Unlock()
	return a, nil
}

// kemCache is the last assessment and the data (notifier gen) and day it
// was made of.
type kemCache struct {
	mu  gosync.Mutex
	ok  bool
	gen uint64
	day string
	a   domain.KemandirianAssessment
}
