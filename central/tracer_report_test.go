package central

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

// tracerNation seeds five graduates whose waves were worked out by hand
// for 2026-11-30 (see TestTracerReportWavesResponseAndMatchByProvince).
func tracerNation(t *testing.T, s *sqlStorage) {
	t.Helper()
	ctx := context.Background()
	ca, err := s.AddCentre(ctx, Centre{Name: "BLK Pesantren Al-Falah", Region: "3201"})
	if err != nil {
		t.Fatal(err)
	}
	cb, err := s.AddCentre(ctx, Centre{Name: "BLK Nurul Huda", Region: "3507"})
	if err != nil {
		t.Fatal(err)
	}
	birth := time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC)
	serial := 0
	id := func() domain.Meta { return domain.Meta{ID: domain.NewID()} }
	person := func(name, village string) *domain.Trainee {
		serial++
		return &domain.Trainee{Meta: id(), NIK: domain.MakeNIK("320101", birth, true, serial), Name: name, Sex: "P", BirthDate: "2001-08-17", VillageCode: village}
	}
	graduated := func(cohort, trainee, on string) *domain.Enrollment {
		return &domain.Enrollment{Meta: id(), CohortID: cohort, TraineeID: trainee, Status: domain.EnrollmentCompleted, CompletedOn: on}
	}
	answer := func(trainee, on, status, match string) *domain.Outcome {
		return &domain.Outcome{Meta: id(), TraineeID: trainee, SurveyedOn: on, Status: status, JobMatch: match}
	}
	prog := func() *domain.Programme {
		return &domain.Programme{Meta: id(), Name: "Las SMAW", FieldCode: "LAS", TotalJP: 240, MinutesPerJP: 45}
	}
	cohort := func(p string) *domain.Cohort {
		return &domain.Cohort{Meta: id(), ProgrammeID: p, Year: 2025, Number: 1, StartDate: "2025-08-01", EndDate: "2025-11-01", Quota: 16, Status: domain.CohortCompleted}
	}

	a := enrolled(t, s, ca.ID, "a1")
	pa := prog()
	coA := cohort(pa.ID)
	g1 := person("Siti Aminah", "3201011001") // Jawa Barat
	g2 := person("Dewi Lestari", "")          // no village: the centre's province, Jawa Barat
	g3 := person("Rina Wati", "3301012001")   // Jawa Tengah
	if res := pushAll(t, s, a, pa, coA, g1, g2, g3,
		graduated(coA.ID, g1.ID, "2025-11-01"),
		graduated(coA.ID, g2.ID, "2026-05-15"),
		graduated(coA.ID, g3.ID, "2026-10-01"),
		answer(g1.ID, "2026-02-10", domain.OutcomeEmployed, "yes"),     // 3-month wave
		answer(g1.ID, "2026-11-05", domain.OutcomeEmployed, "partly"),  // 12-month wave; the latest: partly
		answer(g2.ID, "2026-09-01", domain.OutcomeSelfEmployed, "yes"), // 3-month wave
		answer(g3.ID, "2026-10-20", domain.OutcomeLooking, ""),         // traced, no wave due yet
	); len(res.Rejections) > 0 {
		t.Fatalf("rejections %+v", res.Rejections)
	}
	b := enrolled(t, s, cb.ID, "b1")
	pb := prog()
	coB := cohort(pb.ID)
	g4 := person("Budi Santoso", "3507012001") // Jawa Timur
	g5 := person("Joko Susilo", "3507012001")
	r := person("Rahmat", "3507012001") // not a graduate: his answer counts nowhere
	if res := pushAll(t, s, b, pb, coB, g4, g5, r,
		graduated(coB.ID, g4.ID, "2026-01-10"),
		graduated(coB.ID, g5.ID, "2026-01-10"),
		&domain.Enrollment{Meta: id(), CohortID: coB.ID, TraineeID: r.ID, Status: domain.EnrollmentActive},
		answer(g4.ID, "2026-07-20", domain.OutcomeEmployed, "no"), // 6-month wave
		answer(r.ID, "2026-07-20", domain.OutcomeEmployed, "yes"),
	); len(res.Rejections) > 0 {
		t.Fatalf("rejections %+v", res.Rejections)
	}
}

// waves prints a summary's waves as "3:due/traced 6:… 12:…".
func waves(s domain.TracerSummary) string {
	out := ""
	for _, w := range s.Waves {
		out += fmt.Sprintf("%d:%d/%d ", w.Months, w.Due, w.Traced)
	}
	return out
}

func TestTracerReportWavesResponseAndMatchByProvince(t *testing.T) {
	today := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			tracerNation(t, s)
			rep, err := s.TracerReport(context.Background(), today)
			if err != nil {
				t.Fatal(err)
			}
			// By hand, on 2026-11-30:
			//  g1 graduated 2025-11-01: 3m (due 02-01) answered 02-10, 6m (05-01) not, 12m (11-01) answered 11-05
			//  g2 graduated 2026-05-15: 3m (08-15) answered 09-01, 6m (11-15) not, 12m not due
			//  g3 graduated 2026-10-01: nothing due
			//  g4 graduated 2026-01-10: 3m (04-10) not, 6m (07-10) answered 07-20, 12m not due
			//  g5 graduated 2026-01-10: 3m and 6m due, never answered
			// Match of the latest answers of those working: g1 partly, g2 yes, g4 no.
			n := rep.National
			if n.Graduates != 5 || n.Traced != 4 || waves(n) != "3:4/2 6:4/1 12:1/1 " ||
				n.MatchYes != 1 || n.MatchPartly != 1 || n.MatchNo != 1 {
				t.Fatalf("national %+v waves %s", n, waves(n))
			}
			if r := n.Waves[0].Rate(); r != 0.5 {
				t.Errorf("3-month response %v, want 0.5", r)
			}
			if r := n.MatchRate(); r < 0.333 || r > 0.334 {
				t.Errorf("match rate %v, want 1/3", r)
			}
			want := []string{
				"32 Jawa Barat grads 2 traced 2 waves 3:2/2 6:2/0 12:1/1  match 1/1/0",
				"33 Jawa Tengah grads 1 traced 1 waves 3:0/0 6:0/0 12:0/0  match 0/0/0",
				"35 Jawa Timur grads 2 traced 1 waves 3:2/0 6:2/1 12:0/0  match 0/0/1",
			}
			if len(rep.Provinces) != len(want) {
				t.Fatalf("%d provinces, want %d: %+v", len(rep.Provinces), len(want), rep.Provinces)
			}
			for i, p := range rep.Provinces {
				got := fmt.Sprintf("%s %s grads %d traced %d waves %s match %d/%d/%d", p.Code, p.Name, p.Graduates, p.Traced, waves(p.TracerSummary), p.MatchYes, p.MatchPartly, p.MatchNo)
				if got != want[i] {
					t.Errorf("province %d:\n got %s\nwant %s", i, got, want[i])
				}
			}
		})
	}
}

// BenchmarkTracerReport times the outcomes page's tracer report over 20
// centres × 1,000 trainees (seedVolume: ~13.3k graduates, ~6.7k answers)
// on SQLite, and on PostgreSQL when BLK_TEST_POSTGRES is set.
func BenchmarkTracerReport(b *testing.B) {
	ctx := context.Background()
	kinds := []string{"sqlite"}
	if os.Getenv("BLK_TEST_POSTGRES") != "" {
		kinds = append(kinds, "postgres")
	}
	for _, kind := range kinds {
		var s *sqlStorage
		var err error
		if kind == "sqlite" {
			s, err = openSQLite(ctx, filepath.Join(b.TempDir(), "server.db"))
		} else {
			s, err = openPGSchema(b)
		}
		if err != nil {
			b.Fatal(err)
		}
		seedVolume(b, s, 20, 1000)
		if kind == "postgres" {
			if _, err := s.rw.ExecContext(ctx, "ANALYZE"); err != nil {
				b.Fatal(err)
			}
		}
		today := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
		b.Run(kind, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.TracerReport(ctx, today); err != nil {
					b.Fatal(err)
				}
			}
		})
		s.Close()
	}
}
