package dashboard

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

var today = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// seed writes one running cohort of a welding programme with three
// trainees: one graduate employed, one graduate self-employed then employed
// (the latest answer counts), one still active; four attendance marks, three present.
func seed(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = func() time.Time { return today }
	if _, err := st.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren", VillageCode: "3201011001"}); err != nil {
		t.Fatal(err)
	}
	save := func(r domain.Record) {
		t.Helper()
		if _, err := st.Save(ctx, r); err != nil {
			t.Fatalf("save %T: %v", r, err)
		}
	}
	p := &domain.Programme{Name: "Pengelasan SMAW", FieldCode: "LAS", TotalJP: 240, MinutesPerJP: 45}
	save(p)
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 3, StartDate: "2026-11-01", EndDate: "2026-12-20", Quota: 16, Status: domain.CohortRunning}
	save(c)
	born := time.Date(2000, 1, 15, 0, 0, 0, 0, time.UTC)
	var ens []*domain.Enrollment
	for i, status := range []string{domain.EnrollmentCompleted, domain.EnrollmentCompleted, domain.EnrollmentActive} {
		tr := &domain.Trainee{NIK: domain.MakeNIK("320101", born, false, i+1), Name: []string{"Ahmad", "Budi", "Cecep"}[i], Sex: "L", BirthDate: "2000-01-15"}
		save(tr)
		e := &domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: status, EnrolledOn: "2026-11-01"}
		if status == domain.EnrollmentCompleted {
			e.CompletedOn = "2026-11-20"
		}
		save(e)
		ens = append(ens, e)
		switch i {
		case 0:
			save(&domain.Outcome{TraineeID: tr.ID, SurveyedOn: "2026-11-25", Status: domain.OutcomeEmployed})
		case 1:
			save(&domain.Outcome{TraineeID: tr.ID, SurveyedOn: "2026-11-21", Status: domain.OutcomeSelfEmployed})
			save(&domain.Outcome{TraineeID: tr.ID, SurveyedOn: "2026-11-26", Status: domain.OutcomeEmployed})
		}
	}
	for i, m := range []string{"H", "H", "A", "H"} {
		save(&domain.Attendance{EnrollmentID: ens[i%3].ID, Date: []string{"2026-11-02", "2026-11-02", "2026-11-02", "2026-11-03"}[i], Mark: m})
	}
	return st
}

func TestDashboardShowsTheNumbersAHeadAsksFor(t *testing.T) {
	// given a centre with one running cohort
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	st := seed(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1100, 700))
	ui := uitest.NewRunner()
	s := New(screen.Deps{Window: w, Changed: func() {}, Run: ui, Now: st.Now}, st)
	w.SetContent(s.Content())

	// when the dashboard loads
	s.Update(context.Background())
	ui.Settle(t)

	// then the aggregates are right
	got := s.stats
	checks := []struct {
		name      string
		got, want any
	}{
		{"trainees", got.Trainees, 3},
		{"graduates", got.Graduates, 2},
		{"active", got.Enrolled, 1},
		{"attendance marks", got.Marked, 4},
		{"attendance rate", got.AttendanceRate, 0.75},
		{"traced graduates", got.Traced, 2},
		{"running cohorts", len(got.Running), 1},
		{"per programme", len(got.PerProgramme), 1},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if len(got.Outcomes) != 1 || got.Outcomes[0].Name != domain.OutcomeEmployed || got.Outcomes[0].Count != 2 {
		t.Errorf("latest outcomes %+v, want both employed", got.Outcomes)
	}
	// and the screen draws them, in this order: the cards (figures over their names), the kemandirian
	// level with what to do next, the two charts side by side (a bar's name
	// over its figure), and the running cohorts' attendance
	want := []string{
		"3 | 1 | 2 | 1 | 75%",
		"Peserta terdaftar | Sedang pelatihan | Lulusan | Angkatan berjalan | Tingkat kehadiran",
		"Tumbuh | Catat izin operasional atau VIN yang berlaku di Kemandirian › Dokumen legal",
		"Kemandirian (0/5 kriteria)",
		"Peserta per program | Kegiatan alumni (2 alumni ditelusuri)",
		"Pengelasan SMAW | Bekerja",
		"3 | 2 (100%)",
		"Berwirausaha",
		"0 (0%)",
		"Melanjutkan studi",
		"0 (0%)",
		"Belum bekerja",
		"0 (0%)",
		"Angkatan berjalan: kehadiran",
		"Pengelasan SMAW 2026/3 · 3 peserta",
		"75%",
	}
	uitest.AssertLines(t, "the dashboard", w.Content(), want)
}

func TestDashboardComputesOnceAtATime(t *testing.T) {
	// given a dashboard whose numbers are being computed
	test.NewTempApp(t)
	st := seed(t)
	w := test.NewTempWindow(t, nil)
	ui := uitest.NewRunner()
	s := New(screen.Deps{Window: w, Changed: func() {}, Run: ui, Now: st.Now}, st)
	s.Update(context.Background())

	// when it is asked twice more before they land
	s.Update(context.Background())
	s.Update(context.Background())

	// then one computation lands and starts exactly one more, and nothing after it
	ui.Next(t, "the first computation")
	if !s.running || s.again {
		t.Fatalf("after the first landed: running %v, again %v; want one more running", s.running, s.again)
	}
	ui.Next(t, "the second computation")
	if s.running || s.again {
		t.Fatalf("after the second landed: running %v, again %v", s.running, s.again)
	}
	if n := ui.Settle(t); n != 0 {
		t.Fatalf("%d more computations landed", n)
	}
	if s.stats == nil || s.stats.Trainees != 3 {
		t.Fatalf("stats %+v", s.stats)
	}

	// when the shell drops the screen while a computation runs
	s.Update(context.Background())
	s.Close()
	ui.Settle(t)

	// then the screen holds nothing
	if s.stats != nil || len(s.root.Objects) != 0 {
		t.Fatalf("after Close: stats %v, %d objects", s.stats, len(s.root.Objects))
	}
}
