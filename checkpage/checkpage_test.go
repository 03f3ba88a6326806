package checkpage_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/checkpage"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	blksync "github.com/kemnaker/blk/sync"
	syncserver "github.com/kemnaker/blk/sync/server"
)

func backends() []string {
	if os.Getenv("BLK_TEST_POSTGRES") != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// openBackend opens an empty server store; PostgreSQL gets a schema of its
// own, dropped afterwards, so parallel tests never meet.
func openBackend(t *testing.T, kind string) central.Storage {
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
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "check_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
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

// world is a real blk-server (sync API and check page on one address) and
// one enrolled desktop PC with a graduate whose certificate it printed.
type world struct {
	url    string
	pc     *store.Store
	client *blksync.Client
	cert   *domain.Certificate
	siti   *domain.Trainee
	later  atomic.Int64 // how far the page's clock is ahead, set by tests
}

func newWorld(t *testing.T, kind string) *world {
	t.Helper()
	ctx := context.Background()
	st := openBackend(t, kind)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	w := &world{}
	start := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	mux := http.NewServeMux()
	mux.Handle("/v1/", syncserver.NewServer(st, quiet).Handler())
	page := checkpage.New(st, checkpage.Options{Log: quiet, Now: func() time.Time { return start.Add(time.Duration(w.later.Load())) }})
	mux.Handle(checkpage.Path, page)
	mux.Handle("/v", page)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	w.url = srv.URL

	centre, err := st.AddCentre(ctx, central.Centre{Name: "BLK Komunitas Darussalam", Region: "3201"})
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := st.NewCode(ctx, centre.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if w.pc, err = store.Open(ctx, filepath.Join(t.TempDir(), "blk.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.pc.Close() })
	w.client = blksync.NewClient(w.pc)
	if err := w.client.Enrol(ctx, srv.URL, code); err != nil {
		t.Fatal(err)
	}
	save := func(r domain.Record) {
		t.Helper()
		if _, err := w.pc.Save(ctx, r); err != nil {
			t.Fatalf("%T: %v", r, err)
		}
	}
	p := &domain.Programme{Name: "Menjahit Pakaian Dasar", FieldCode: "JHT", TotalJP: 160, MinutesPerJP: 45}
	save(p)
	save(&domain.ProgrammeUnit{ProgrammeID: p.ID, UnitCode: "C.14KPW01.001.1", Title: "Mengukur badan", JP: 80, Position: 1})
	save(&domain.ProgrammeUnit{ProgrammeID: p.ID, UnitCode: "C.14KPW01.002.1", Title: "Menjahit kemeja", JP: 80, Position: 2})
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 3, StartDate: "2026-07-06", EndDate: "2026-08-17", Quota: 16, Status: domain.CohortCompleted}
	save(c)
	birth := time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC)
	w.siti = &domain.Trainee{NIK: domain.MakeNIK("320101", birth, true, 7), Name: "Siti Nurhaliza", Sex: "P", BirthDate: "2001-08-17",
		Phone: "081234567890", Address: "Jl. Mawar Merah No. 12"}
	save(w.siti)
	e := &domain.Enrollment{CohortID: c.ID, TraineeID: w.siti.ID, Status: domain.EnrollmentCompleted, CompletedOn: "2026-08-17"}
	save(e)
	save(&domain.Assessment{EnrollmentID: e.ID, UnitCode: "C.14KPW01.001.1", Result: "K", AssessedOn: "2026-08-15"})
	save(&domain.Assessment{EnrollmentID: e.ID, UnitCode: "C.14KPW01.002.1", Result: "BK", AssessedOn: "2026-08-15"})
	certs, err := w.pc.CertificatesOf(ctx, []string{e.ID})
	if err != nil || len(certs[e.ID]) != 1 {
		t.Fatalf("certificate: %v %v", certs, err)
	}
	w.cert = certs[e.ID][0]
	return w
}

func (w *world) sync(t *testing.T) {
	t.Helper()
	if _, err := w.client.Round(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, u string, header ...string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

func has(t *testing.T, page string, want ...string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
}

func hasNot(t *testing.T, page string, not ...string) {
	t.Helper()
	for _, s := range not {
		if strings.Contains(page, s) {
			t.Errorf("page shows %q", s)
		}
	}
}

func TestCheckPageConfirmsAfterSyncRefusesAlteredAndShowsRevoked(t *testing.T) {
	for _, kind := range backends() {
		t.Run(kind, func(t *testing.T) {
			w := newWorld(t, kind)
			link := w.url + "/v/" + w.cert.Code
			// before the PC synced, the server knows nothing of it
			code, page, _ := get(t, link)
			if code != http.StatusNotFound {
				t.Fatalf("before sync: %d", code)
			}
			has(t, page, "Tidak ditemukan / tidak sah")

			// after sync the QR link confirms holder, programme, dates,
			// centre, issue date and the units passed, nothing private
			w.sync(t)
			code, page, hdr := get(t, link)
			if code != http.StatusOK {
				t.Fatalf("after sync: %d", code)
			}
			has(t, page, "Sertifikat sah", w.cert.Number, "Siti Nurhaliza", "Menjahit Pakaian Dasar (JHT)",
				"6 Juli 2026 s.d. 17 Agustus 2026", "BLK Komunitas Darussalam, Jawa Barat", "17 Agustus 2026",
				"C.14KPW01.001.1 Mengukur badan")
			hasNot(t, page, w.siti.NIK, "81234567890", "Mawar", "Menjahit kemeja", "dicabut")
			if hdr.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(hdr.Get("Content-Security-Policy"), "default-src 'none'") {
				t.Errorf("headers %v", hdr)
			}
			// in English when asked
			_, page, _ = get(t, link+"?lang=en")
			has(t, page, "Valid certificate", "6 July 2026 to 17 August 2026", "Competency units passed")
			_, page, _ = get(t, link, "Accept-Language", "en-GB,en;q=0.8")
			has(t, page, "Valid certificate")

			// one character changed: not valid
			alt := []byte(w.cert.Code)
			alt[len(alt)-1] = map[bool]byte{true: 'B', false: 'A'}[alt[len(alt)-1] == 'A']
			code, page, _ = get(t, w.url+"/v/"+string(alt))
			if code != http.StatusNotFound {
				t.Fatalf("altered code: %d", code)
			}
			has(t, page, "Tidak ditemukan / tidak sah")
			hasNot(t, page, "Siti")

			// the number typed by hand, in lower case with stray spaces
			typed := " " + strings.ToLower(w.cert.Number) + " "
			code, page, _ = get(t, w.url+"/v?q="+url.QueryEscape(typed))
			if code != http.StatusOK {
				t.Fatalf("typed number: %d", code)
			}
			has(t, page, "Sertifikat sah", "Siti Nurhaliza")
			// and the code typed with dashes
			dashed := strings.ToLower(w.cert.Code[:8] + "-" + w.cert.Code[8:])
			if code, _, _ = get(t, w.url+"/v?q="+url.QueryEscape(dashed)); code != http.StatusOK {
				t.Fatalf("typed code: %d", code)
			}

			// revoked on the desktop, synced: "dicabut" with the date
			if err := w.pc.RevokeCertificate(context.Background(), w.cert.ID, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), "data salah"); err != nil {
				t.Fatal(err)
			}
			w.sync(t)
			code, page, _ = get(t, link)
			if code != http.StatusOK {
				t.Fatalf("revoked: %d", code)
			}
			has(t, page, "Sertifikat dicabut", "20 November 2026")
			hasNot(t, page, "Sertifikat sah")
		})
	}
}

func TestCheckPageFormNeedsNoLoginAndShowsNoResult(t *testing.T) {
	w := newWorld(t, "sqlite")
	for _, u := range []string{"/v", "/v/"} {
		code, page, _ := get(t, w.url+u)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", u, code)
		}
		has(t, page, "Cek keaslian sertifikat pelatihan", `name="q"`)
		hasNot(t, page, "tidak sah", "Sertifikat sah")
	}
}

// Hostile input never reaches the page unescaped, never errors and never
// finds anything.
func TestCheckPageWithstandsHostileInput(t *testing.T) {
	w := newWorld(t, "sqlite")
	w.sync(t)
	for _, in := range []string{
		strings.Repeat("A", 10000),
		"%ff%fe%00",
		"' OR '1'='1",
		"%27%20OR%201%3D1%20--",
		"<script>alert(1)</script>",
		"../../etc/passwd",
		"%25",
	} {
		for _, u := range []string{w.url + "/v/" + url.PathEscape(in), w.url + "/v?q=" + url.QueryEscape(in)} {
			code, page, _ := get(t, u)
			if code != http.StatusNotFound {
				t.Errorf("%.60s: status %d", u, code)
			}
			hasNot(t, page, "<script>alert", "Siti")
		}
	}
	resp, err := http.Post(w.url+"/v/"+w.cert.Code, "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST: %d", resp.StatusCode)
	}
}

// Lookups from one address are limited per window, also when they arrive
// all at once; the window passing lets the address ask again.
func TestCheckPageIsRateLimited(t *testing.T) {
	w := newWorld(t, "sqlite")
	w.sync(t)
	link := w.url + "/v/" + w.cert.Code
	const n = checkpage.PerWindow + 20
	var mu gosync.Mutex
	codes := map[int]int{}
	var wg gosync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, _, hdr := get(t, link)
			mu.Lock()
			codes[code]++
			mu.Unlock()
			if code == http.StatusTooManyRequests && hdr.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		}()
	}
	wg.Wait()
	if codes[http.StatusOK] != checkpage.PerWindow || codes[http.StatusTooManyRequests] != n-checkpage.PerWindow {
		t.Fatalf("statuses %v, want %d OK and %d refused", codes, checkpage.PerWindow, n-checkpage.PerWindow)
	}
	_, page, _ := get(t, link)
	has(t, page, "Terlalu banyak pemeriksaan")
	// the empty form is not a lookup and is always served
	if code, _, _ := get(t, w.url+"/v"); code != http.StatusOK {
		t.Fatalf("form while limited: %d", code)
	}
	w.later.Store(int64(checkpage.Window))
	if code, _, _ := get(t, link); code != http.StatusOK {
		t.Fatalf("after the window: %d", code)
	}
}
