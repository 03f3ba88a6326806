package sync_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// randomCentre records a seeded, random mix of everything the road map's
// criteria read, with dates around today so that every edge (expired,
// not yet valid, inside and outside the windows) comes up.
func randomCentre(t *testing.T, s *store.Store, seed uint64) {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, 14))
	today := time.Now().UTC()
	day := func(maxBack, maxAhead int) string {
		return today.AddDate(0, 0, r.IntN(maxBack+maxAhead+1)-maxBack).Format(time.DateOnly)
	}
	maybe := func(s string) string {
		if r.IntN(3) == 0 {
			return ""
		}
		return s
	}
	save := func(rec domain.Record) {
		t.Helper()
		if _, err := s.Save(ctx, rec); err != nil {
			t.Fatalf("seed %d: save %T: %v", seed, rec, err)
		}
	}
	for i := range r.IntN(4) {
		in := &domain.Instructor{Name: "Instruktur " + letters(i)}
		save(in)
		for range r.IntN(4) {
			kinds := []string{"methodology", "technical", "bnsp"}
			save(&domain.InstructorCertification{InstructorID: in.ID, Kind: kinds[r.IntN(3)], Number: fmt.Sprint(r.Int()),
				IssuedOn: maybe(day(2000, 20)), ExpiresOn: maybe(day(0, 700))})
		}
	}
	for range r.IntN(4) {
		kinds := []string{"operating_permit", "vin", "lalpk", "foundation_deed"}
		k := kinds[r.IntN(4)]
		d := &domain.LegalDocument{Kind: k, Number: fmt.Sprint(r.Int()), IssuedOn: day(3000, 0), ExpiresOn: maybe(day(200, 900))}
		if k == "lalpk" {
			d.Grade = []string{"A", "B", "C"}[r.IntN(3)]
		}
		save(d)
	}
	for range r.IntN(8) {
		l := &domain.LedgerLine{Date: day(500, 0), Direction: domain.LedgerIncome, Amount: 1 + r.Int64N(20_000_000)}
		l.Category = domain.IncomeCategories[r.IntN(len(domain.IncomeCategories))]
		if r.IntN(4) == 0 {
			l.Direction, l.Category = domain.LedgerExpense, domain.ExpenseCategories[r.IntN(len(domain.ExpenseCategories))]
		}
		save(l)
	}
	for range r.IntN(4) {
		kinds := []string{"", "government_grant", "own_income", "partner"}
		f := &domain.Funding{Source: "Dana", Amount: 1 + r.Int64N(100_000_000), Year: int64(today.Year() - r.IntN(2)), SourceKind: kinds[r.IntN(4)]}
		f.ReceivedOn = maybe(fmt.Sprintf("%d-0%d-1%d", f.Year, 1+r.IntN(9), r.IntN(10)))
		save(f)
	}
	for i := range r.IntN(5) {
		cats := []string{"", "central_government", "local_government", "industry", "umkm", "csr_donor"}
		p := &domain.Partner{Name: "Mitra " + letters(i), Type: []string{"industry", "government", "other"}[r.IntN(3)],
			Category: cats[r.IntN(len(cats))], MoUNumber: maybe("MoU-" + letters(i)), MoUStart: maybe(day(900, 30)), MoUEnd: maybe(day(60, 900))}
		if p.MoUStart != "" && p.MoUEnd != "" && p.MoUEnd < p.MoUStart {
			p.MoUStart, p.MoUEnd = p.MoUEnd, p.MoUStart
		}
		save(p)
	}
	if n := r.IntN(13); n > 0 {
		pr := &domain.Programme{Name: "Menjahit", FieldCode: "JHT", TotalJP: 160, MinutesPerJP: 45}
		save(pr)
		c := &domain.Cohort{ProgrammeID: pr.ID, Year: int64(today.Year()), Number: 1, StartDate: "2024-01-02", EndDate: "2024-03-01", Quota: 16, Status: domain.CohortCompleted}
		save(c)
		for i := range n {
			tr := trainee(int(seed)*100+i+1, "Peserta "+letters(i))
			save(tr)
			done := day(900, 0)
			save(&domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, CompletedOn: done})
			for range r.IntN(3) {
				save(&domain.Outcome{TraineeID: tr.ID, SurveyedOn: day(900, 0), Status: domain.OutcomeEmployed})
			}
		}
	}
}

func criteriaOf(a domain.KemandirianAssessment) []central.KemandirianCriterion {
	out := make([]central.KemandirianCriterion, len(a.Criteria))
	for i, c := range a.Criteria {
		out[i] = central.KemandirianCriterion{Code: c.Code, Met: c.Met, Value: c.Value, Target: c.Target}
	}
	return out
}

// TestPCAndServerGradeACentreAlike: for seeded random centres, the level
// and every criterion the PC computes from its own records equal what the
// server computes, and stores in its national table, from the synced copy;
// with the ministry's thresholds pulled by the PC for half of them.
func TestPCAndServerGradeACentreAlike(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			st := openBackend(t, kind)
			url := startServer(t, st)
			rep := st.(central.KemandirianReporter)
			levels := map[string]int{}
			for seed := uint64(1); seed <= 12; seed++ {
				if seed == 7 {
					th := domain.DefaultThresholds()
					th.OwnIncomePct, th.TracedPct, th.BerkembangMin, th.PartnerCategories = 10, 30, 2, 1
					if err := st.ImportReference(ctx, []domain.Record{&th}); err != nil {
						t.Fatal(err)
					}
				}
				centre := addCentre(t, st, fmt.Sprintf("BLK %d", seed))
				pc := enrolDevice(t, st, url, centre, "pc")
				randomCentre(t, pc.st, seed)
				if res := mustRound(t, pc); res.Rejected != 0 {
					t.Fatalf("seed %d: %d changes rejected", seed, res.Rejected)
				}
				mustRound(t, pc) // pulls what the server wrote, thresholds too
				server, err := rep.Kemandirian(ctx, centre)
				if err != nil {
					t.Fatal(err)
				}
				day, _ := domain.ParseDate(server.Date)
				local, err := pc.st.Kemandirian(ctx, day)
				if err != nil {
					t.Fatal(err)
				}
				if local.Level != server.Level || !reflect.DeepEqual(criteriaOf(local), criteriaOf(server)) || local.Thresholds != server.Thresholds {
					t.Fatalf("seed %d: PC %s %+v, server %s %+v", seed, local.Level, criteriaOf(local), server.Level, criteriaOf(server))
				}
				if seed >= 7 && local.Thresholds.OwnIncomePct != 10 {
					t.Fatalf("seed %d: the PC did not pull the ministry's thresholds: %+v", seed, local.Thresholds)
				}
				rows, err := rep.KemandirianLevels(ctx)
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, row := range rows {
					if row.ID == centre {
						found = true
						if row.Level != local.Level || !reflect.DeepEqual(row.Criteria, criteriaOf(local)) || row.ShortOf != local.ShortOf() {
							t.Fatalf("seed %d: national table %+v, PC %s %+v", seed, row, local.Level, criteriaOf(local))
						}
					}
				}
				if !found {
					t.Fatalf("seed %d: centre missing from the national table", seed)
				}
				levels[local.Level]++
			}
			t.Logf("levels: %v", levels)
			if len(levels) < 2 {
				t.Fatalf("the generator only made %v: it tests too little", levels)
			}
		})
	}
}

// TestTheNationalTableFollowsEachSync: a centre's stored level moves when
// a sync brings the record that completes a criterion.
func TestTheNationalTableFollowsEachSync(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			st := openBackend(t, kind)
			url := startServer(t, st)
			rep := st.(central.KemandirianReporter)
			centre := addCentre(t, st, "BLK Tumbuh")
			pc := enrolDevice(t, st, url, centre, "pc")
			crit := func() central.KemandirianCriterion {
				t.Helper()
				rows, err := rep.KemandirianLevels(ctx)
				if err != nil || len(rows) != 1 {
					t.Fatalf("levels: %+v %v", rows, err)
				}
				return rows[0].Criteria[2] // dana
			}
			if c := crit(); c.Code != domain.CriterionDana || c.Met || c.Value != 0 {
				t.Fatalf("new centre: %+v", c)
			}
			today := time.Now().UTC().Format(time.DateOnly)
			for _, r := range []domain.Record{
				&domain.Funding{Source: "APBN", Amount: 80_000_000, Year: int64(time.Now().Year()), ReceivedOn: today, SourceKind: "government_grant"},
				&domain.LedgerLine{Date: today, Direction: domain.LedgerIncome, Category: "paid_training", Amount: 20_000_000},
			} {
				if _, err := pc.st.Save(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			mustRound(t, pc)
			if c := crit(); !c.Met || c.Value != 20 {
				t.Fatalf("after the sync: %+v", c)
			}
		})
	}
}
