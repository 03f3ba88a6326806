package demo_test

import (
	"context"
	"testing"

	"github.com/kemnaker/blk/demo"
	"github.com/kemnaker/blk/domain"
)

// TestADemoCentreLandsAtARealisticLevel: the demo's records satisfy the
// criteria a real, busy centre does (permit, partners, traced graduates)
// and not, as a rule, all five: its level is berkembang or near it.
func TestADemoCentreLandsAtARealisticLevel(t *testing.T) {
	levels := map[string]int{}
	for seed := int64(1); seed <= 4; seed++ {
		s := newCentre(t)
		sum, err := demo.Generate(context.Background(), s, demo.Options{Trainees: 64, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Certifications == 0 || sum.LegalDocuments < 3 || sum.LedgerLines < 20 {
			t.Fatalf("seed %d: %+v", seed, sum)
		}
		a, err := s.Kemandirian(context.Background(), day)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range a.Criteria {
			t.Logf("seed %d %s: met %v %d/%d", seed, c.Code, c.Met, c.Value, c.Target)
		}
		if !a.Criterion(domain.CriterionMitra).Met || a.Criterion(domain.CriterionLegal).Value < 1 {
			t.Fatalf("seed %d: a demo centre has its permit and its partners: %+v", seed, a.Criteria)
		}
		if own := a.Criterion(domain.CriterionDana).Value; own < 3 || own > 40 {
			t.Fatalf("seed %d: own income %d %% is not plausible", seed, own)
		}
		levels[a.Level]++
	}
	if levels[domain.LevelBerkembang] == 0 {
		t.Fatalf("no demo centre is berkembang: %v", levels)
	}
}
