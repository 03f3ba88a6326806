package dashboard_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/dashboard"
	"github.com/kemnaker/blk/domain"
)

func TestEveryPageNeedsALogin(t *testing.T) {
	for _, kind := range backends() {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind, dashboard.Options{})
			c := f.client(t)
			for _, path := range []string{"/dashboard/", "/dashboard/province", "/dashboard/field", "/dashboard/outcomes",
				"/dashboard/duplicates", "/dashboard/quality", "/dashboard/centre/" + f.n.a} {
				// when a page is asked for without a session
				code, body, h := get(t, c, f.srv.URL+path)
				// then it sends the browser to the login page, which comes back after
				if code != http.StatusSeeOther || h.Get("Location") != "/dashboard/login?next="+url.QueryEscape(path) {
					t.Errorf("%s: %d → %q", path, code, h.Get("Location"))
				}
				if strings.Contains(body, "Siti") || strings.Contains(body, f.n.nik) {
					t.Errorf("%s leaked data without a login", path)
				}
			}
			// and / leads to the dashboard
			if code, _, h := get(t, c, f.srv.URL+"/"); code != http.StatusFound || h.Get("Location") != "/dashboard/" {
				t.Errorf("/: %d → %q", code, h.Get("Location"))
			}
		})
	}
}

func TestLogin(t *testing.T) {
	for _, kind := range backends() {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind, dashboard.Options{})
			for _, tc := range []struct {
				name, user, pass, next string
				wantCode               int
				wantLocation           string
			}{
				{"wrong password", testUser, testPass + "x", "/dashboard/quality", http.StatusUnauthorized, ""},
				{"unknown user", "budi", testPass, "/dashboard/quality", http.StatusUnauthorized, ""},
				{"right password goes back to the page asked for", testUser, testPass, "/dashboard/quality", http.StatusSeeOther, "/dashboard/quality"},
				{"never redirects off the dashboard", testUser, testPass, "//evil.example/", http.StatusSeeOther, "/dashboard/"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					c := f.client(t)
					// given the login form
					_, html, _ := get(t, c, f.srv.URL+"/dashboard/login?next="+url.QueryEscape(tc.next))
					// when it is posted
					code, body, h := post(t, c, f.srv.URL+"/dashboard/login", url.Values{"csrf": {csrfOf(t, html)}, "user": {tc.user}, "password": {tc.pass}, "next": {tc.next}})
					// then
					if code != tc.wantCode || h.Get("Location") != tc.wantLocation {
						t.Fatalf("%d → %q, want %d → %q", code, h.Get("Location"), tc.wantCode, tc.wantLocation)
					}
					overview, _, _ := get(t, c, f.srv.URL+"/dashboard/")
					if tc.wantCode == http.StatusUnauthorized {
						if !strings.Contains(body, "Nama pengguna atau kata sandi salah") {
							t.Errorf("refusal does not say why:\n%s", body)
						}
						if overview != http.StatusSeeOther {
							t.Errorf("refused login still opened the overview: %d", overview)
						}
						return
					}
					if overview != http.StatusOK {
						t.Errorf("overview after login: %d", overview)
					}
				})
			}
		})
	}
}

func TestSessionCookieIsHttpOnlyStrictAndExpires(t *testing.T) {
	f := newFixture(t, "sqlite", dashboard.Options{SessionTTL: time.Hour})
	c := f.client(t)
	_, html, _ := get(t, c, f.srv.URL+"/dashboard/login")
	res, err := c.PostForm(f.srv.URL+"/dashboard/login", url.Values{"csrf": {csrfOf(t, html)}, "user": {testUser}, "password": {testPass}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var sess *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "blk_session" {
			sess = ck
		}
	}
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteStrictMode || len(sess.Value) < 40 {
		t.Fatalf("session cookie %+v", sess)
	}
	// given a session used 59 minutes ago, it still works and slides on
	*f.now = f.now.Add(59 * time.Minute)
	if code, _, _ := get(t, c, f.srv.URL+"/dashboard/"); code != http.StatusOK {
		t.Fatalf("within the TTL: %d", code)
	}
	// when more than the TTL passes without use, then it is gone
	*f.now = f.now.Add(61 * time.Minute)
	if code, _, _ := get(t, c, f.srv.URL+"/dashboard/"); code != http.StatusSeeOther {
		t.Fatalf("after the TTL: %d", code)
	}
}

func TestFormsWithoutTheRightCSRFTokenAreRefused(t *testing.T) {
	for _, kind := range backends() {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind, dashboard.Options{})
			// login without the form's token (a cross-site post)
			c := f.client(t)
			get(t, c, f.srv.URL+"/dashboard/login")
			for _, tok := range []string{"", "forged"} {
				code, _, h := post(t, c, f.srv.URL+"/dashboard/login", url.Values{"csrf": {tok}, "user": {testUser}, "password": {testPass}})
				if code != http.StatusForbidden || h.Get("Location") != "" {
					t.Errorf("login with csrf %q: %d", tok, code)
				}
			}
			// logout with a wrong token leaves the session alone
			c = f.client(t)
			tok := f.login(t, c)
			code, _, _ := post(t, c, f.srv.URL+"/dashboard/logout", url.Values{"csrf": {"forged"}})
			if code != http.StatusForbidden {
				t.Errorf("forged logout: %d", code)
			}
			if code, _, _ := get(t, c, f.srv.URL+"/dashboard/"); code != http.StatusOK {
				t.Fatalf("forged logout ended the session: %d", code)
			}
			// and the real token logs out
			code, _, h := post(t, c, f.srv.URL+"/dashboard/logout", url.Values{"csrf": {tok}})
			if code != http.StatusSeeOther || h.Get("Location") != "/dashboard/login" {
				t.Errorf("logout: %d → %q", code, h.Get("Location"))
			}
			if code, _, _ := get(t, c, f.srv.URL+"/dashboard/"); code != http.StatusSeeOther {
				t.Errorf("still logged in after logout: %d", code)
			}
		})
	}
}

func TestOverviewShowsEveryCentreWithItsCounts(t *testing.T) {
	for _, kind := range backends() {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind, dashboard.Options{SessionTTL: 60 * 24 * time.Hour})
			c := f.client(t)
			f.login(t, c)
			_, html, _ := get(t, c, f.srv.URL+"/dashboard/")
			for _, tc := range []struct {
				centre, name                 string
				devices, trainees, graduates string
				province                     string
			}{
				{f.n.a, "BLK Pesantren Al-Falah", "2", "3", "2", "Jawa Barat"},
				{f.n.b, "BLK Nurul Huda", "1", "1", "1", "Jawa Timur"},
			} {
				r := row(t, html, "data-centre", tc.centre)
				if !strings.Contains(r, tc.name) || !strings.Contains(r, tc.province) || !strings.Contains(r, "badge active") {
					t.Errorf("row of %s: %s", tc.name, r)
				}
				if got := [3]string{cell(t, r, "devices"), cell(t, r, "trainees"), cell(t, r, "graduates")}; got != [3]string{tc.devices, tc.trainees, tc.graduates} {
					t.Errorf("%s devices/trainees/graduates %v", tc.name, got)
				}
			}
			// a month without sync turns both centres stale
			*f.now = f.now.Add(31 * 24 * time.Hour)
			_, html, _ = get(t, c, f.srv.URL+"/dashboard/")
			if n := strings.Count(html, `class="badge stale"`); n != 2 {
				t.Errorf("%d stale badges after 31 days", n)
			}
		})
	}
}

// TestPagesOfTheSeededNation reads every page of one logged-in fixture per
// backend (each fixture costs two bcrypt rounds, which -race makes slow).
func TestPagesOfTheSeededNation(t *testing.T) {
	for _, kind := range backends() {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind, dashboard.Options{})
			c := f.client(t)
			f.login(t, c)
			for _, page := range []struct {
				name string
				test func(*testing.T, *fixture, *http.Client)
			}{
				{"province and field breakdowns", provinceAndFieldBreakdowns},
				{"outcomes show the placement rate", outcomesShowThePlacementRate},
				{"duplicates across centres are listed", duplicatesAcrossCentresAreListed},
				{"data quality flags the sex that contradicts the NIK", dataQualityFlagsTheSexThatContradictsTheNIK},
				{"language switch is remembered", languageSwitchIsRemembered},
				{"centre page", centrePage},
			} {
				t.Run(page.name, func(t *testing.T) { page.test(t, f, c) })
			}
		})
	}
}

func provinceAndFieldBreakdowns(t *testing.T, f *fixture, c *http.Client) {
	for _, tc := range []struct {
		path, code, name, trainees, graduates string
	}{
		{"/dashboard/province", "32", "Jawa Barat", "2", "2"},
		{"/dashboard/province", "33", "Jawa Tengah", "1", "0"},
		{"/dashboard/province", "35", "Jawa Timur", "1", "1"},
		{"/dashboard/field", "LAS", "Teknik Las", "3", "2"},
		{"/dashboard/field", "JAH", "Menjahit", "1", "1"},
	} {
		code, html, _ := get(t, c, f.srv.URL+tc.path)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", tc.path, code)
		}
		r := row(t, html, "data-code", tc.code)
		if !strings.Contains(r, tc.name) || cell(t, r, "trainees") != tc.trainees || cell(t, r, "graduates") != tc.graduates {
			t.Errorf("%s %s: %s", tc.path, tc.code, r)
		}
		if !strings.Contains(r, "<svg") {
			t.Errorf("%s %s has no bar", tc.path, tc.code)
		}
	}
}

func outcomesShowThePlacementRate(t *testing.T, f *fixture, c *http.Client) {
	_, html, _ := get(t, c, f.srv.URL+"/dashboard/outcomes")
	// employed + self-employed of 3 traced
	if !strings.Contains(html, `id="placement">66,7%`) {
		t.Errorf("placement rate missing:\n%s", html)
	}
	if r := row(t, html, "data-status", "self_employed"); !strings.Contains(r, "Berwirausaha") || !strings.Contains(r, "33,3%") {
		t.Errorf("self-employed row %s", r)
	}
}

func duplicatesAcrossCentresAreListed(t *testing.T, f *fixture, c *http.Client) {
	_, html, _ := get(t, c, f.srv.URL+"/dashboard/duplicates")
	r := row(t, html, "data-nik", f.n.nik)
	for _, want := range []string{"Antar-lembaga", "Siti Aminah", "BLK Pesantren Al-Falah", "Budi Santoso", "BLK Nurul Huda"} {
		if !strings.Contains(r, want) {
			t.Errorf("duplicate row lacks %q: %s", want, r)
		}
	}
	if strings.Count(html, "data-nik=") != 1 {
		t.Errorf("only one NIK is duplicated, page lists %d", strings.Count(html, "data-nik="))
	}
	// and the centre's own page lists it too
	_, html, _ = get(t, c, f.srv.URL+"/dashboard/centre/"+f.n.b)
	if r := row(t, html, "data-nik", f.n.nik); !strings.Contains(r, "Siti Aminah") {
		t.Errorf("centre page duplicate row %s", r)
	}
}

func dataQualityFlagsTheSexThatContradictsTheNIK(t *testing.T, f *fixture, c *http.Client) {
	_, html, _ := get(t, c, f.srv.URL+"/dashboard/quality")
	r := row(t, html, "data-centre", f.n.b)
	if !strings.HasPrefix(cell(t, r, "warnings"), "1") || cell(t, r, "dups") != "1" || !strings.Contains(r, "Jenis kelamin") {
		t.Errorf("quality row of centre B: %s", r)
	}
}

func languageSwitchIsRemembered(t *testing.T, f *fixture, c *http.Client) {
	for _, tc := range []struct{ path, want, notWant string }{
		{"/dashboard/", "Ringkasan nasional", "National overview"},
		{"/dashboard/?lang=en", "National overview", "Ringkasan nasional"},
		{"/dashboard/province", "Trainees and graduates by province", "Peserta dan lulusan"}, // remembered
		{"/dashboard/province?lang=id", "Peserta dan lulusan per provinsi", "Trainees and graduates"},
		{"/dashboard/", "Ringkasan nasional", "National overview"},
	} {
		_, html, _ := get(t, c, f.srv.URL+tc.path)
		if !strings.Contains(html, tc.want) || strings.Contains(html, tc.notWant) {
			t.Errorf("%s: want %q, not %q", tc.path, tc.want, tc.notWant)
		}
	}
}

func centrePage(t *testing.T, f *fixture, c *http.Client) {
	code, html, _ := get(t, c, f.srv.URL+"/dashboard/centre/"+f.n.a)
	if code != http.StatusOK || !strings.Contains(html, "PC a1") || !strings.Contains(html, "PC a2") || strings.Contains(html, "PC b1") {
		t.Errorf("centre A page %d:\n%s", code, html)
	}
	if code, _, _ := get(t, c, f.srv.URL+"/dashboard/centre/no-such-centre"); code != http.StatusNotFound {
		t.Errorf("unknown centre: %d", code)
	}
}

func TestPagesForbidScriptsAndFraming(t *testing.T) {
	f := newFixture(t, "sqlite", dashboard.Options{})
	c := f.client(t)
	_, html, h := get(t, c, f.srv.URL+"/dashboard/login")
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(html, "<script") || strings.Contains(html, "http://") || strings.Contains(html, "https://") {
		t.Errorf("login page loads something external or runs a script:\n%s", html)
	}
}

func TestMetricsAreOptIn(t *testing.T) {
	for _, tc := range []struct {
		on       bool
		wantCode int
	}{{false, http.StatusNotFound}, {true, http.StatusOK}} {
		f := newFixture(t, "sqlite", dashboard.Options{Metrics: tc.on})
		code, body, h := get(t, f.client(t), f.srv.URL+"/metrics")
		if code != tc.wantCode {
			t.Fatalf("metrics on=%v: %d", tc.on, code)
		}
		if !tc.on {
			continue
		}
		for _, want := range []string{"blk_centres 2\n", "blk_devices{state=\"active\"} 3\n", "blk_records{table=\"trainees\"} 4\n",
			"blk_records{table=\"attendance\"} 0\n", "blk_conflicts 0\n", "# TYPE blk_last_push_timestamp_seconds gauge\n"} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %q:\n%s", want, body)
			}
		}
		if strings.Contains(body, "blk_last_push_timestamp_seconds 0\n") {
			t.Error("last push time is 0 after pushes")
		}
		if !strings.HasPrefix(h.Get("Content-Type"), "text/plain; version=0.0.4") {
			t.Errorf("content type %q", h.Get("Content-Type"))
		}
	}
}

func TestRepeatedWrongPasswordsAreThrottled(t *testing.T) {
	f := newFixture(t, "sqlite", dashboard.Options{})
	c := f.client(t)
	try := func(pass string) int {
		_, html, _ := get(t, c, f.srv.URL+"/dashboard/login")
		code, _, _ := post(t, c, f.srv.URL+"/dashboard/login", url.Values{"csrf": {csrfOf(t, html)}, "user": {testUser}, "password": {pass}})
		return code
	}
	// given five wrong guesses
	for i := range 5 {
		if code := try("salah-" + string(rune('a'+i))); code != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, code)
		}
	}
	// when even the right password comes next, then it waits out the window
	if code := try(testPass); code != http.StatusTooManyRequests {
		t.Fatalf("sixth attempt: %d", code)
	}
	*f.now = f.now.Add(16 * time.Minute)
	if code := try(testPass); code != http.StatusSeeOther {
		t.Fatalf("after the window: %d", code)
	}
}

func TestNationalFiguresAreReusedForTheCacheTTL(t *testing.T) {
	f := newFixture(t, "sqlite", dashboard.Options{CacheTTL: time.Minute})
	c := f.client(t)
	f.login(t, c)
	trainees := func() string {
		_, html, _ := get(t, c, f.srv.URL+"/dashboard/")
		return cell(t, row(t, html, "data-centre", f.n.a), "trainees")
	}
	if got := trainees(); got != "3" {
		t.Fatalf("before: %s", got)
	}
	// given a new trainee pushed after the figures were read
	dev := enrolDevice(t, f.st, f.n.a, "a3")
	push(t, f.st, dev, &domain.Trainee{Meta: domain.Meta{ID: domain.NewID()}, NIK: domain.MakeNIK("320101", birth, false, 30), Name: "Agus Salim", Sex: "L", BirthDate: "2001-08-17"})
	// then the page keeps the cached figure within the TTL
	if got := trainees(); got != "3" {
		t.Errorf("within the TTL: %s", got)
	}
	// and shows the new one after it
	*f.now = f.now.Add(2 * time.Minute)
	if got := trainees(); got != "4" {
		t.Errorf("after the TTL: %s", got)
	}
}
