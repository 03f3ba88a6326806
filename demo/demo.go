// Package demo fills a desktop store with realistic, deterministic demo
// data (package demo/gen makes it): it writes only through the store, so
// the data passes every rule a person's entry would and lands in the
// outbox like any other write.
package demo

import (
	"context"
	"time"

	"github.com/kemnaker/blk/demo/gen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// Options control the generator. The same Seed, Trainees and Today give the
// same data.
type Options struct {
	Trainees int
	Seed     int64
	Today    time.Time             // zero: the store's clock, truncated to the day
	Progress func(done, total int) // called now and then with trainees written
}

// Summary counts what was written.
type Summary = gen.Summary

// Generate writes the demo data into st, which must have a centre profile.
// Work is committed in transactions of whole cohorts; cancelling ctx stops
// after the current one is rolled back, leaving only whole cohorts behind.
func Generate(ctx context.Context, st *store.Store, opt Options) (Summary, error) {
	centre, err := st.Centre(ctx)
	if err != nil {
		return Summary{}, err
	}
	today := opt.Today
	if today.IsZero() {
		today = st.Now()
	}
	fields, err := store.ListOf[*domain.VocationalField](ctx, st, store.Query{OrderBy: "code"})
	if err != nil {
		return Summary{}, err
	}
	units, err := store.ListOf[*domain.CompetencyUnit](ctx, st, store.Query{OrderBy: "code"})
	if err != nil {
		return Summary{}, err
	}
	return gen.Generate(ctx, storeSink{st}, gen.Options{Trainees: opt.Trainees, Seed: opt.Seed, Today: today,
		Village: centre.VillageCode, Fields: fields, Units: units, Progress: opt.Progress})
}

// storeSink writes each batch in one store transaction.
type storeSink struct{ st *store.Store }

func (s storeSink) Batch(ctx context.Context, fn func(save func(domain.Record) error) error) error {
	return s.st.Write(ctx, func(tx *store.Tx) error {
		return fn(func(rec domain.Record) error {
			_, err := tx.Save(rec)
			return err
		})
	})
}
