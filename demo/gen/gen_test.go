package gen_test

import (
	"context"
	"testing"
	"time"

	"github.com/kemnaker/blk/demo/gen"
	"github.com/kemnaker/blk/domain"
)

// counting keeps how many records of each table a generation hands over.
type counting map[string]int

func (c counting) Batch(ctx context.Context, fn func(save func(domain.Record) error) error) error {
	return fn(func(rec domain.Record) error {
		c[domain.TableOf(rec).Name]++
		return nil
	})
}

// A small centre's demo shows one of every list an analyst is trained on,
// whatever the day it is generated: the sync export test makes 60 trainees
// with seed 7 on the day CI runs, and on 1 December 2026 the quarter of
// employed graduates whose employers rate them came out as none.
func TestASmallCentreHasEveryListOnEveryDayOfTheYear(t *testing.T) {
	fields, units, err := gen.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := 0; d < 366; d++ {
		today := day.AddDate(0, 0, d)
		got := counting{}
		sum, err := gen.Generate(ctx, got, gen.Options{Trainees: 60, Seed: 7, Today: today, Village: "3201011001", Fields: fields, Units: units})
		if err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"competency_certificates", "employer_ratings", "roadmap_targets"} {
			if got[table] == 0 {
				t.Fatalf("generated on %s: no %s (%+v)", today.Format(domain.DateLayout), table, sum)
			}
		}
		if sum.EmployerRatings != got["employer_ratings"] || sum.CompetencyCertificates != got["competency_certificates"] {
			t.Fatalf("generated on %s: the summary counts %d ratings and %d certificates, %d and %d were handed over",
				today.Format(domain.DateLayout), sum.EmployerRatings, sum.CompetencyCertificates, got["employer_ratings"], got["competency_certificates"])
		}
	}
}
