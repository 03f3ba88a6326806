package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kemnaker/blk/demo"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

var day = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func newCentre(tb testing.TB) *store.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(tb.TempDir(), "blk.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return day }
	c := &domain.Centre{Name: "BLK Komunitas Darul Falah", HostType: "pesantren", VillageCode: "3201011001"}
	c.ID = "01a21ec9-5f95-701e-9eab-017e1ccc5824"
	if _, err := s.InitCentre(ctx, c); err != nil {
		tb.Fatal(err)
	}
	// Device 1 of its centre, as the server would number it: certificate
	// numbers carry the device, and the same identity means the same PC.
	if err := s.SetMeta(ctx, store.MetaDeviceNo, "1"); err != nil {
		tb.Fatal(err)
	}
	return s
}

func dump(t *testing.T, s *store.Store) map[string][]map[string]any {
	t.Helper()
	out := map[string][]map[string]any{}
	for _, tb := range domain.Tables {
		err := s.EachRecord(context.Background(), tb.Name, func(r domain.Record) error {
			out[tb.Name] = append(out[tb.Name], domain.Values(r))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestDemoIsDeterministicPerSeed(t *testing.T) {
	ctx := context.Background()
	// given two empty centres with the same identity
	a, b, c := newCentre(t), newCentre(t), newCentre(t)
	// when both get the same seed, and a third another seed
	for _, s := range []*store.Store{a, b} {
		if _, err := demo.Generate(ctx, s, demo.Options{Trainees: 100, Seed: 7}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := demo.Generate(ctx, c, demo.Options{Trainees: 100, Seed: 8}); err != nil {
		t.Fatal(err)
	}
	// then the first two hold identical records and the third differs
	da, db, dc := dump(t, a), dump(t, b), dump(t, c)
	for table, rows := range da {
		if len(rows) != len(db[table]) {
			t.Fatalf("%s: %d vs %d rows", table, len(rows), len(db[table]))
		}
		for i := range rows {
			for k, v := range rows[i] {
				if db[table][i][k] != v {
					t.Fatalf("%s row %d field %s: %v vs %v", table, i, k, v, db[table][i][k])
				}
			}
		}
	}
	if da["trainees"][0]["name"] == dc["trainees"][0]["name"] && da["trainees"][1]["name"] == dc["trainees"][1]["name"] {
		t.Fatal("another seed gave the same trainees")
	}
}

func TestDemoDataIsRealistic(t *testing.T) {
	ctx := context.Background()
	s := newCentre(t)
	sum, err := demo.Generate(ctx, s, demo.Options{Trainees: 300, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Trainees != 300 || sum.Enrollments != 300 || sum.Cohorts != 19 {
		t.Fatalf("summary %+v", sum)
	}
	// Every NIK decodes to the trainee's own sex and birth date, and passes validation.
	trainees, err := store.ListOf[*domain.Trainee](ctx, s, store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range trainees {
		n, ps := domain.DecodeNIK(tr.NIK, day)
		if ps != nil || n.Sex != tr.Sex || n.BirthDate.Format(domain.DateLayout) != tr.BirthDate {
			t.Fatalf("trainee %s: NIK %s decodes to %+v %v", tr.Name, tr.NIK, n, ps)
		}
		if ps := domain.Validate(tr, domain.Rules{Now: day}); len(ps) > 0 {
			t.Fatalf("trainee %s: %s", tr.Name, ps.Text(domain.English))
		}
	}
	// Cohorts hold at most the standard 16, and one is running today.
	cohorts, _ := store.ListOf[*domain.Cohort](ctx, s, store.Query{})
	running := 0
	for _, c := range cohorts {
		n, _ := s.Count(ctx, domain.LookupTable("enrollments"), store.Query{Filters: []store.Filter{{Field: "cohort_id", Value: c.ID}}})
		if n > 16 || n == 0 {
			t.Fatalf("cohort %d/%d has %d trainees", c.Year, c.Number, n)
		}
		if c.Status == domain.CohortRunning {
			running++
		}
	}
	if running == 0 {
		t.Fatal("no cohort running today")
	}
	for _, table := range []string{"attendance", "assessments", "outcomes", "partners", "funding", "instructors", "programme_units",
		"certificates", "competency_certificates", "employer_ratings", "roadmap_targets"} {
		if n, _ := s.Count(ctx, domain.LookupTable(table), store.Query{}); n == 0 {
			t.Errorf("no %s", table)
		}
	}
	// Every list a centre exports has rows, and the summary counts the week's records.
	for table, n := range map[string]int{"competency_certificates": sum.CompetencyCertificates, "employer_ratings": sum.EmployerRatings, "roadmap_targets": sum.RoadmapTargets} {
		if got, _ := s.Count(ctx, domain.LookupTable(table), store.Query{}); got != n || n == 0 {
			t.Errorf("%s: %d in the store, %d in the summary", table, got, n)
		}
	}
}

func benchmarkDemo(b *testing.B, n int) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := newCentre(b)
		b.StartTimer()
		if _, err := demo.Generate(context.Background(), s, demo.Options{Trainees: n, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "trainees/s")
}

func BenchmarkDemo10k(b *testing.B) { benchmarkDemo(b, 10000) }

func BenchmarkDemo100k(b *testing.B) { benchmarkDemo(b, 100000) }
