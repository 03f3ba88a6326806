package dashboard_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/dashboard"
	"github.com/kemnaker/blk/domain"
)

// TestScreenshots renders pages with headless Chromium into
// $BLK_SCREENSHOTS (e.g. docs/screenshots) for people to look at; it is
// skipped unless that variable is set and chromium is installed.
//
//	BLK_SCREENSHOTS=$PWD/docs/screenshots go test -tags migrated_fynedo -run Screenshots ./dashboard
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("BLK_SCREENSHOTS")
	if dir == "" {
		t.Skip("set BLK_SCREENSHOTS=DIR to write dashboard screenshots")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed")
	}
	st := openBackend(t, "sqlite")
	seed(t, st)
	seedMore(t, st)
	h := dashboard.New(st, dashboard.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	f := &fixture{st: st, srv: httptest.NewServer(h)}
	defer f.srv.Close()
	c := f.client(t)
	f.login(t, c)
	var session string
	for _, ck := range c.Jar.Cookies(mustURL(t, f.srv.URL+"/dashboard/")) {
		if ck.Name == "blk_session" {
			session = ck.Value
		}
	}
	// Chromium cannot be handed a cookie on its command line, so a second
	// listener adds the session to every request it passes on.
	withSession := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.AddCookie(&http.Cookie{Name: "blk_session", Value: session})
		h.ServeHTTP(w, r)
	}))
	defer withSession.Close()
	for _, shot := range []struct{ name, path string }{
		{"overview", "/dashboard/"},
		{"province", "/dashboard/province"},
		{"field", "/dashboard/field?lang=en"},
		{"outcomes", "/dashboard/outcomes?lang=id"},
		{"duplicates", "/dashboard/duplicates"},
		{"quality", "/dashboard/quality"},
		{"login", "/dashboard/login"},
	} {
		base := withSession.URL
		if shot.name == "login" {
			base = f.srv.URL
		}
		out := filepath.Join(dir, "dashboard-"+shot.name+".png")
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
			"--user-data-dir="+t.TempDir(), "--screenshot="+out, "--window-size=1280,900", base+shot.path)
		if b, err := cmd.CombinedOutput(); err != nil {
			cancel()
			t.Fatalf("%s: %v\n%s", shot.name, err, b)
		}
		cancel()
		t.Logf("wrote %s", out)
	}
}

// seedMore adds centres across several provinces so the charts have
// something to show; deterministic per seed.
func seedMore(t *testing.T, st central.Storage) {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(4, 2))
	fields := []string{"LAS", "JAH", "TIK", "OTO", "BOG"}
	if err := st.ImportReference(ctx, []domain.Record{
		&domain.VocationalField{Code: "TIK", NameID: "Teknologi Informasi", NameEN: "Information technology"},
		&domain.VocationalField{Code: "OTO", NameID: "Otomotif", NameEN: "Automotive"},
		&domain.VocationalField{Code: "BOG", NameID: "Tata Boga", NameEN: "Culinary"},
	}); err != nil {
		t.Fatal(err)
	}
	centres := []struct{ name, region, village string }{
		{"BLK Darul Ulum", "3517", "3517012001"}, {"BLK Miftahul Huda", "3301", "3301012001"},
		{"BLK Al-Hikmah", "1101", "1101012001"}, {"BLK Nurul Iman", "7371", "7371011001"},
		{"BLK Baitul Arqam", "5201", "5201011001"}, {"BLK Sinar Harapan", "6171", "6171011002"},
	}
	given := []string{"Ahmad", "Siti", "Budi", "Dewi", "Rizki", "Nur", "Agus", "Fitri", "Hendra", "Wulan", "Yusuf", "Intan"}
	family := []string{"Hidayat", "Rahmawati", "Saputra", "Lestari", "Nugroho", "Wijaya", "Pratama", "Kurniawan"}
	statuses := []string{domain.OutcomeEmployed, domain.OutcomeSelfEmployed, domain.OutcomeEmployed, domain.OutcomeStudying, domain.OutcomeNotWorking}
	for ci, c := range centres {
		cc, err := st.AddCentre(ctx, central.Centre{Name: c.name, Region: c.region})
		if err != nil {
			t.Fatal(err)
		}
		if ci == len(centres)-1 {
			continue // one centre that never synced: shows as stale
		}
		dev := enrolDevice(t, st, cc.ID, fmt.Sprintf("pc-%d", ci))
		prog := &domain.Programme{Meta: domain.Meta{ID: domain.NewID()}, Name: "Program " + fields[ci%len(fields)], FieldCode: fields[ci%len(fields)], TotalJP: 240, MinutesPerJP: 45}
		co := &domain.Cohort{Meta: domain.Meta{ID: domain.NewID()}, ProgrammeID: prog.ID, Year: 2025, Number: 1, StartDate: "2025-01-06", EndDate: "2025-03-28", Quota: 16, Status: domain.CohortCompleted}
		recs := []domain.Record{prog, co}
		n := 5 + rng.IntN(12)
		for i := range n {
			village := c.village
			district := village[:6]
			tr := &domain.Trainee{Meta: domain.Meta{ID: domain.NewID()}, NIK: domain.MakeNIK(district, birth, i%2 == 0, 100*ci+i+1),
				Name: given[(ci*7+i)%len(given)] + " " + family[(ci*3+i)%len(family)], Sex: map[bool]string{true: "P", false: "L"}[i%2 == 0], BirthDate: "2001-08-17", VillageCode: village}
			status := domain.EnrollmentCompleted
			if rng.IntN(4) == 0 {
				status = domain.EnrollmentActive
			}
			en := &domain.Enrollment{Meta: domain.Meta{ID: domain.NewID()}, CohortID: co.ID, TraineeID: tr.ID, Status: status, EnrolledOn: "2025-01-06"}
			recs = append(recs, tr, en)
			if status == domain.EnrollmentCompleted {
				en.CompletedOn = "2025-03-28"
				if rng.IntN(5) > 0 {
					recs = append(recs, &domain.Outcome{Meta: domain.Meta{ID: domain.NewID()}, TraineeID: tr.ID, SurveyedOn: "2025-06-01", Status: statuses[rng.IntN(len(statuses))]})
				}
			}
		}
		push(t, st, dev, recs...)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
