package dashboard_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/dashboard"
	"github.com/kemnaker/blk/domain"
)

const (
	testUser = "kemnaker"
	testPass = "rahasia-nasional"
)

// backends lists the server stores every dashboard test runs against.
func backends() []string {
	out := []string{"sqlite"}
	if os.Getenv("BLK_TEST_POSTGRES") != "" {
		out = append(out, "postgres")
	}
	return out
}

// openBackend opens a fresh store; PostgreSQL gets its own schema, dropped
// after the test.
func openBackend(t testing.TB, kind string) central.Storage {
	t.Helper()
	ctx := context.Background()
	if kind == "sqlite" {
		st, err := central.OpenSQLite(ctx, filepath.Join(t.TempDir(), "server.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	base := os.Getenv("BLK_TEST_POSTGRES")
	if base == "" {
		t.Skip("PostgreSQL tests need BLK_TEST_POSTGRES, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	st, err := central.OpenPostgres(ctx, base+sep+"search_path="+schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// nation is what seed pushed:
//
//	BLK Pesantren Al-Falah (3201, Jawa Barat), 2 PCs: Siti (village in 32,
//	completed, employed), Dewi (no village, completed, studying), Rina (village
//	in 33, active). BLK Nurul Huda (3507, Jawa Timur), 1 PC: Budi (village in
//	35, same NIK as Siti, completed, self-employed).
type nation struct {
	a, b string
	nik  string
}

var birth = time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC)

func enrolDevice(t testing.TB, st central.Storage, centre, id string) central.Device {
	t.Helper()
	ctx := context.Background()
	code, _, err := st.NewCode(ctx, centre, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	// Device ids are UUIDs; the readable name maps to the same one each time.
	_, d, err := st.Enrol(ctx, code, domain.NaturalID("test device", id), "PC "+id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// push sends records as one device's changes, the way the sync client does.
func push(t testing.TB, st central.Storage, dev central.Device, recs ...domain.Record) {
	t.Helper()
	var ch []domain.Change
	for i, r := range recs {
		r.Base().CentreID = dev.CentreID
		vals := domain.Values(r)
		delete(vals, "id")
		seq := int64(i + 1)
		ch = append(ch, domain.Change{Seq: seq, Table: domain.TableOf(r).Name, ID: r.Base().ID, Clock: domain.MakeClock(time.Now().UnixMilli(), seq), Fields: vals})
	}
	res, err := st.Push(context.Background(), dev, ch)
	if err != nil || len(res.Rejections) > 0 {
		t.Fatalf("push from %s: %+v %v", dev.ID, res.Rejections, err)
	}
}

func seed(t testing.TB, st central.Storage) nation {
	t.Helper()
	ctx := context.Background()
	ca, err := st.AddCentre(ctx, central.Centre{Name: "BLK Pesantren Al-Falah", Region: "3201"})
	if err != nil {
		t.Fatal(err)
	}
	cb, err := st.AddCentre(ctx, central.Centre{Name: "BLK Nurul Huda", Region: "3507"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ImportReference(ctx, []domain.Record{&domain.VocationalField{Code: "LAS", NameID: "Teknik Las", NameEN: "Welding"},
		&domain.VocationalField{Code: "JAH", NameID: "Menjahit", NameEN: "Tailoring"}}); err != nil {
		t.Fatal(err)
	}
	n := nation{a: ca.ID, b: cb.ID, nik: domain.MakeNIK("320101", birth, true, 7)}
	id := func() domain.Meta { return domain.Meta{ID: domain.NewID()} }
	trainee := func(name, nik, village, sex string) *domain.Trainee {
		return &domain.Trainee{Meta: id(), NIK: nik, Name: name, Sex: sex, BirthDate: "2001-08-17", VillageCode: village}
	}
	completed := func(cohort, trainee string) *domain.Enrollment {
		return &domain.Enrollment{Meta: id(), CohortID: cohort, TraineeID: trainee, Status: domain.EnrollmentCompleted, EnrolledOn: "2025-01-06", CompletedOn: "2025-03-28"}
	}
	cohort := func(prog string) *domain.Cohort {
		return &domain.Cohort{Meta: id(), ProgrammeID: prog, Year: 2025, Number: 1, StartDate: "2025-01-06", EndDate: "2025-03-28", Quota: 16, Status: domain.CohortCompleted}
	}
	outcome := func(trainee, status string) *domain.Outcome {
		return &domain.Outcome{Meta: id(), TraineeID: trainee, SurveyedOn: "2025-06-01", Status: status}
	}

	a1 := enrolDevice(t, st, n.a, "a1")
	enrolDevice(t, st, n.a, "a2")
	pa := &domain.Programme{Meta: id(), Name: "Las SMAW", FieldCode: "LAS", TotalJP: 240, MinutesPerJP: 45}
	coA := cohort(pa.ID)
	siti := trainee("Siti Aminah", n.nik, "3201011001", "P")
	dewi := trainee("Dewi Lestari", domain.MakeNIK("320101", birth, true, 8), "", "P")
	rina := trainee("Rina Wati", domain.MakeNIK("320101", birth, true, 9), "3301012001", "P")
	push(t, st, a1, pa, coA, siti, dewi, rina, completed(coA.ID, siti.ID), completed(coA.ID, dewi.ID),
		&domain.Enrollment{Meta: id(), CohortID: coA.ID, TraineeID: rina.ID, Status: domain.EnrollmentActive, EnrolledOn: "2025-01-06"},
		outcome(siti.ID, domain.OutcomeEmployed), outcome(dewi.ID, domain.OutcomeStudying))

	b1 := enrolDevice(t, st, n.b, "b1")
	pb := &domain.Programme{Meta: id(), Name: "Tata Busana", FieldCode: "JAH", TotalJP: 200, MinutesPerJP: 45}
	coB := cohort(pb.ID)
	budi := trainee("Budi Santoso", n.nik, "3507012001", "L")
	push(t, st, b1, pb, coB, budi, completed(coB.ID, budi.ID), outcome(budi.ID, domain.OutcomeSelfEmployed))

	if _, err := st.(central.Reporter).AddUser(ctx, testUser, testPass); err != nil {
		t.Fatal(err)
	}
	return n
}

// fixture is a seeded store behind a real dashboard on 127.0.0.1.
type fixture struct {
	st  central.Storage
	srv *httptest.Server
	n   nation
	now *time.Time
}

func newFixture(t *testing.T, kind string, opts dashboard.Options) *fixture {
	t.Helper()
	st := openBackend(t, kind)
	f := &fixture{st: st, n: seed(t, st)}
	now := time.Now()
	f.now = &now
	opts.Now = func() time.Time { return *f.now }
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	f.srv = httptest.NewServer(dashboard.New(st, opts))
	t.Cleanup(f.srv.Close)
	return f
}

// client is a browser: a cookie jar and no automatic redirects, so tests
// see every 303.
func (f *fixture) client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string) (int, string, http.Header) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (int, string, http.Header) {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, html string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no csrf field in:\n%s", html)
	}
	return m[1]
}

// login signs the client in through the login form and returns the session's
// CSRF token (from the logout form of the overview).
func (f *fixture) login(t *testing.T, c *http.Client) string {
	t.Helper()
	_, html, _ := get(t, c, f.srv.URL+"/dashboard/login")
	code, _, h := post(t, c, f.srv.URL+"/dashboard/login", url.Values{"csrf": {csrfOf(t, html)}, "user": {testUser}, "password": {testPass}, "next": {"/dashboard/"}})
	if code != http.StatusSeeOther || h.Get("Location") != "/dashboard/" {
		t.Fatalf("login: %d → %q", code, h.Get("Location"))
	}
	code, html, _ = get(t, c, f.srv.URL+"/dashboard/")
	if code != http.StatusOK {
		t.Fatalf("overview after login: %d", code)
	}
	return csrfOf(t, html)
}

// row returns the HTML of the table row carrying attr="val".
func row(t *testing.T, html, attr, val string) string {
	t.Helper()
	i := strings.Index(html, attr+`="`+val+`"`)
	if i < 0 {
		t.Fatalf("no row %s=%q", attr, val)
	}
	j := strings.Index(html[i:], "</tr>")
	return html[i : i+j]
}

// cell is the text of the first <td class="… name …"> in a row.
func cell(t *testing.T, rowHTML, name string) string {
	t.Helper()
	re := regexp.MustCompile(`<td class="[^"]*\b` + name + `\b[^"]*">([^<]*)`)
	m := re.FindStringSubmatch(rowHTML)
	if m == nil {
		t.Fatalf("no %s cell in %s", name, rowHTML)
	}
	return strings.TrimSpace(m[1])
}
