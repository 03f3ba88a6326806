// Package demo fills a desktop store with realistic, deterministic demo
// data (package demo/gen makes it): it writes only through the store, so
// the data passes every rule a person's entry would and lands in the
// outbox like any other write.
package demo

import (
	"context"
	"crypto/sha256"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/kemnaker/blk/demo/gen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// Options control the generator. The same Seed, Trainees and Today give the
// same data in the same centre; another centre's records get ids of their
// own.
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
	sink := &storeSink{st: st, seed: strconv.FormatInt(opt.Seed, 10)}
	return gen.Generate(ctx, sink, gen.Options{Trainees: opt.Trainees, Seed: opt.Seed, Today: today, Centre: centre.ID,
		Village: centre.VillageCode, Fields: fields, Units: units, Progress: opt.Progress})
}

// storeSink writes each batch in one store transaction. The store issues
// a graduate's certificate as it saves the graduation; its check code is
// drawn from a source seeded by the batch, so the demo stays deterministic
// (real graduations draw them from crypto/rand).
type storeSink struct {
	st    *store.Store
	seed  string
	batch int
}

func (s *storeSink) Batch(ctx context.Context, fn func(save func(domain.Record) error) error) error {
	s.batch++
	random := sha256.Sum256([]byte(s.seed + "/certificates/" + strconv.Itoa(s.batch)))
	return s.st.Write(ctx, func(tx *store.Tx) error {
		tx.SetRandom(rand.NewChaCha8(random))
		return fn(func(rec domain.Record) error {
			_, err := tx.Save(rec)
			return err
		})
	})
}
