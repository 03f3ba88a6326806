package dashboard_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/dashboard"
	"github.com/kemnaker/blk/domain"
)

// Once the analytics tables have been refreshed (central/analytics.go;
// `blk-server serve` does it on a schedule), the duplicates, the quality
// page's duplicate counts, the centre page's duplicates and the tracer are
// read from them: the pages show the refresh's figures and time until the
// next refresh, even with the dashboard's cache off.
func TestPagesReadTheAnalyticsTablesOnceRefreshed(t *testing.T) {
	for _, kind := range backends() {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind, dashboard.Options{CacheTTL: -1})
			ctx := context.Background()
			an := f.st.(central.Analytics)
			refreshed := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
			if err := an.RefreshAnalytics(ctx, refreshed); err != nil {
				t.Fatal(err)
			}
			*f.now = refreshed.Add(time.Hour)
			c := f.client(t)
			f.login(t, c)

			duplicatesAcrossCentresAreListed(t, f, c)
			dataQualityFlagsTheSexThatContradictsTheNIK(t, f, c)
			pages := []string{"/dashboard/", "/dashboard/duplicates", "/dashboard/quality", "/dashboard/outcomes", "/dashboard/centre/" + f.n.b}
			for _, p := range pages {
				if _, html, _ := get(t, c, f.srv.URL+p); !strings.Contains(html, "2026-11-30 08:00 UTC") {
					t.Errorf("%s does not say its data is as of the refresh", p)
				}
			}
			_, html, _ := get(t, c, f.srv.URL+"/dashboard/duplicates")
			if !strings.Contains(html, "NIK 1–1 dari 1") || strings.Contains(html, "page=2") {
				t.Errorf("duplicates page: no single page of one NIK:\n%s", html)
			}
			due3 := func() string {
				_, html, _ := get(t, c, f.srv.URL+"/dashboard/outcomes")
				return cellData(t, row(t, html, "data-wave", "3"), "due")
			}
			if got := due3(); got != "3" {
				t.Errorf("3-month wave due: %s, want the seeded nation's 3 graduates", got)
			}

			// given Dewi's NIK and a new graduate entered at centre B after the refresh
			dev := enrolDevice(t, f.st, f.n.b, "b7")
			id := func() domain.Meta { return domain.Meta{ID: domain.NewID()} }
			p := &domain.Programme{Meta: id(), Name: "Tata Busana", FieldCode: "JAH", TotalJP: 200, MinutesPerJP: 45}
			co := &domain.Cohort{Meta: id(), ProgrammeID: p.ID, Year: 2025, Number: 2, StartDate: "2025-01-06", EndDate: "2025-03-28", Quota: 16, Status: domain.CohortCompleted}
			tr := &domain.Trainee{Meta: id(), NIK: domain.MakeNIK("320101", birth, true, 8), Name: "Dewi L.", Sex: "P", BirthDate: "2001-08-17"}
			push(t, f.st, dev, p, co, tr, &domain.Enrollment{Meta: id(), CohortID: co.ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, EnrolledOn: "2025-01-06", CompletedOn: "2025-03-28"})
			dups := func() (int, string) {
				_, html, _ := get(t, c, f.srv.URL+"/dashboard/duplicates")
				_, q, _ := get(t, c, f.srv.URL+"/dashboard/quality")
				return strings.Count(html, "data-nik="), cell(t, row(t, q, "data-centre", f.n.b), "dups")
			}
			// then the pages keep the refresh's figures
			if n, q := dups(); n != 1 || q != "1" || due3() != "3" {
				t.Errorf("before the next refresh: %d NIKs listed, centre B has %s, 3-month wave due %s", n, q, due3())
			}
			// and show the new ones after the next refresh
			if err := an.RefreshAnalytics(ctx, refreshed.Add(5*time.Minute)); err != nil {
				t.Fatal(err)
			}
			if n, q := dups(); n != 2 || q != "2" || due3() != "4" {
				t.Errorf("after the next refresh: %d NIKs listed, centre B has %s, 3-month wave due %s", n, q, due3())
			}
			if _, html, _ := get(t, c, f.srv.URL+"/dashboard/centre/"+f.n.b); !strings.Contains(row(t, html, "data-nik", tr.NIK), "Dewi Lestari") {
				t.Error("centre B's page does not list the new duplicate")
			}
		})
	}
}
