package dashboard_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/dashboard"
	"github.com/kemnaker/blk/domain"
)

// The outcomes page shows the tracer waves with their response rates and
// the match rate, nationally and by province. Expectations by hand for
// 2026-11-30 over the seeded nation plus two graduates added here:
//
//	Siti, Dewi (Jawa Barat), Budi (Jawa Timur): graduated 2025-03-28, so
//	  all three waves are due; their answers (2025-06-01) came before the
//	  3-month wave (due 2025-06-28), so they answer none; none said
//	  whether the job matches.
//	Eka (Jawa Barat): graduated 2026-05-15; answered 2026-09-01, working,
//	  job matches: the 3-month wave; the 6-month wave (due 11-15) is open.
//	Fajar (Jawa Timur): graduated 2026-01-10; answered 2026-07-20, working,
//	  job does not match: the 6-month wave; the 3-month one was missed.
//
// National: 3 months 1 of 5 (20,0%), 6 months 1 of 5 (20,0%), 12 months
// 0 of 3 (0,0%); match 1 of 2 (50,0%).
func TestOutcomesPageShowsTracerWavesAndMatchByProvince(t *testing.T) {
	for _, kind := range backends() {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind, dashboard.Options{})
			*f.now = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
			id := func() domain.Meta { return domain.Meta{ID: domain.NewID()} }
			add := func(centre, dev, name, nik, village, completed, answered, match string) {
				d := enrolDevice(t, f.st, centre, dev)
				p := &domain.Programme{Meta: id(), Name: "Las SMAW", FieldCode: "LAS", TotalJP: 240, MinutesPerJP: 45}
				c := &domain.Cohort{Meta: id(), ProgrammeID: p.ID, Year: 2026, Number: 5, StartDate: "2026-01-05", EndDate: completed, Quota: 16, Status: domain.CohortCompleted}
				tr := &domain.Trainee{Meta: id(), NIK: nik, Name: name, Sex: "L", BirthDate: "2001-08-17", VillageCode: village}
				push(t, f.st, d, p, c, tr,
					&domain.Enrollment{Meta: id(), CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, CompletedOn: completed},
					&domain.Outcome{Meta: id(), TraineeID: tr.ID, SurveyedOn: answered, Status: domain.OutcomeEmployed, JobMatch: match})
			}
			add(f.n.a, "a9", "Eka Saputra", domain.MakeNIK("320101", birth, false, 21), "3201011001", "2026-05-15", "2026-09-01", "yes")
			add(f.n.b, "b9", "Fajar Nugroho", domain.MakeNIK("350701", birth, false, 22), "3507012001", "2026-01-10", "2026-07-20", "no")
			c := f.client(t)
			f.login(t, c)
			code, html, _ := get(t, c, f.srv.URL+"/dashboard/outcomes")
			if code != http.StatusOK {
				t.Fatalf("outcomes: %d", code)
			}
			for _, w := range []struct{ months, due, traced, rate string }{
				{"3", "5", "1", "20,0%"}, {"6", "5", "1", "20,0%"}, {"12", "3", "0", "0,0%"},
			} {
				r := row(t, html, "data-wave", w.months)
				if !strings.Contains(r, w.months+" bulan") || cellData(t, r, "due") != w.due || cellData(t, r, "traced") != w.traced || cellData(t, r, "response") != w.rate {
					t.Errorf("wave %s: %s", w.months, r)
				}
			}
			if !strings.Contains(html, `id="match-rate">50,0%`) {
				t.Error("national match rate is not 50,0%")
			}
			for _, p := range []struct{ code, name, grads, traced, w3, w6, w12, match string }{
				{"32", "Jawa Barat", "3", "3", "33,3% <small>(1/3)</small>", "0,0% <small>(0/3)</small>", "0,0% <small>(0/2)</small>", "100,0%"},
				{"35", "Jawa Timur", "2", "2", "0,0% <small>(0/2)</small>", "50,0% <small>(1/2)</small>", "0,0% <small>(0/1)</small>", "0,0%"},
			} {
				r := row(t, html, "data-province", p.code)
				got := []string{cellData(t, r, "graduates"), cellData(t, r, "traced"), cellData(t, r, "wave3"), cellData(t, r, "wave6"), cellData(t, r, "wave12"), cellData(t, r, "match")}
				want := []string{p.grads, p.traced, p.w3, p.w6, p.w12, p.match}
				if !strings.Contains(r, p.name) || strings.Join(got, "|") != strings.Join(want, "|") {
					t.Errorf("province %s:\n got %v\nwant %v", p.code, got, want)
				}
			}
			if strings.Contains(html, `data-province="33"`) {
				t.Error("a province without graduates is listed")
			}
			// and in English
			_, html, _ = get(t, c, f.srv.URL+"/dashboard/outcomes?lang=en")
			if r := row(t, html, "data-wave", "6"); !strings.Contains(r, "6 months") || cellData(t, r, "response") != "20.0%" {
				t.Errorf("English wave row %s", r)
			}
		})
	}
}

// cellData is the inner HTML of the <td data-col="name"> of a row.
func cellData(t *testing.T, rowHTML, name string) string {
	t.Helper()
	i := strings.Index(rowHTML, `data-col="`+name+`">`)
	if i < 0 {
		t.Fatalf("no %s cell in %s", name, rowHTML)
	}
	rest := rowHTML[i+len(`data-col="`+name+`">`):]
	return strings.TrimSpace(rest[:strings.Index(rest, "</td>")])
}
