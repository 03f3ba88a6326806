package trainees

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/checkpage"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	blksync "github.com/kemnaker/blk/sync"
	syncserver "github.com/kemnaker/blk/sync/server"
)

// harnessOn is newHarness on a store the test prepared (enrolled, say).
func harnessOn(t *testing.T, st *store.Store) *harness {
	t.Helper()
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	h := &harness{st: st, changed: make(chan struct{}, 4), ui: uitest.NewRunner()}
	w := test.NewTempWindow(t, nil)
	h.s = New(screen.Deps{Window: w, Changed: func() { h.changed <- struct{}{} }, Run: h.ui, Now: st.Now}, st)
	h.s.searched = make(chan struct{}, 4)
	h.s.shown = make(chan struct{}, 4)
	w.SetContent(h.s.Content())
	w.Resize(fyne.NewSize(1024, 768))
	return h
}

// graduateOne saves a welding cohort with one trainee who graduated, which
// issues her training certificate, and returns her and the certificate.
func graduateOne(t *testing.T, st *store.Store) (*domain.Trainee, *domain.Certificate) {
	t.Helper()
	ctx := context.Background()
	save := func(r domain.Record) {
		t.Helper()
		if _, err := st.Save(ctx, r); err != nil {
			t.Fatalf("save %T: %v", r, err)
		}
	}
	p := &domain.Programme{Name: "Pengelasan SMAW", FieldCode: "LAS", TotalJP: 240, MinutesPerJP: 45}
	save(p)
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 2, StartDate: "2026-09-01", EndDate: "2026-10-30", Quota: 16, Status: domain.CohortCompleted}
	save(c)
	tr := &domain.Trainee{NIK: domain.MakeNIK("320101", born, true, 3), Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17"}
	save(tr)
	e := &domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, CompletedOn: "2026-10-30"}
	save(e)
	certs, err := st.CertificatesOf(ctx, []string{e.ID})
	if err != nil || len(certs[e.ID]) != 1 {
		t.Fatalf("certificate issued at graduation: %v %v", certs, err)
	}
	return tr, certs[e.ID][0]
}

// revokeInGUI opens the trainee's detail, presses "Cabut sertifikat",
// types the reason and confirms, as the operator does.
func (h *harness) revokeInGUI(t *testing.T, tr *domain.Trainee, reason string) {
	t.Helper()
	h.s.ShowDetail(tr.ID)
	h.wait(t, h.s.shown, "detail view")
	revoke := findButton(h.s.deps.Window.Content(), i18n.T("certs.revoke"))
	if revoke == nil {
		t.Fatal("no revoke button beside a valid certificate")
	}
	test.Tap(revoke)
	overlay := h.s.deps.Window.Canvas().Overlays().Top()
	if overlay == nil {
		t.Fatal("revoking asked nothing")
	}
	confirm := findButton(overlay, i18n.T("certs.revoke"))
	entry := findEntry(overlay)
	if confirm == nil || entry == nil {
		t.Fatalf("revoke dialog lacks its confirm button (%v) or reason (%v)", confirm, entry)
	}
	if !confirm.Disabled() {
		t.Fatal("revoking can be confirmed without a reason")
	}
	test.Type(entry, reason)
	if confirm.Disabled() {
		t.Fatal("confirm stays disabled with a reason typed")
	}
	test.Tap(confirm)
	h.wait(t, h.changed, "revocation saved")
	h.wait(t, h.s.shown, "detail shown again")
}

// hasLabel says whether a label under o holds every one of parts (its
// text, not its wrapped rendering).
func hasLabel(o fyne.CanvasObject, parts ...string) bool {
	for _, obj := range test.LaidOutObjects(o) {
		l, ok := obj.(*widget.Label)
		if !ok {
			continue
		}
		all := true
		for _, p := range parts {
			all = all && strings.Contains(l.Text, p)
		}
		if all {
			return true
		}
	}
	return false
}

func findEntry(o fyne.CanvasObject) *widget.Entry {
	for _, obj := range test.LaidOutObjects(o) {
		if e, ok := obj.(*widget.Entry); ok {
			return e
		}
	}
	return nil
}

func TestRevokingACertificateAsksWhyNamesTheConsequenceAndSaves(t *testing.T) {
	// given a graduate whose certificate is valid
	st := newStore(t)
	h := harnessOn(t, st)
	tr, cert := graduateOne(t, st)
	ctx := context.Background()

	// when her detail opens, the certificate shows with its number, issue date and status
	h.s.ShowDetail(tr.ID)
	h.wait(t, h.s.shown, "detail view")
	content := h.s.deps.Window.Content()
	if !hasLabel(content, i18n.T("certs.section")) || !hasLabel(content, cert.Number, "Pengelasan SMAW 2026/2", "terbit 30-10-2026") || !hasLabel(content, "Berlaku") {
		t.Error("detail lacks the certificate section, its number and issue date, or its status")
	}

	// when the operator presses revoke and then cancels, nothing changes
	test.Tap(findButton(h.s.deps.Window.Content(), i18n.T("certs.revoke")))
	overlay := h.s.deps.Window.Canvas().Overlays().Top()
	if !hasLabel(overlay, "tidak berlaku lagi", "Siti Aminah", cert.Number) {
		t.Error("the dialog does not name the consequence, the holder and the number")
	}
	// in lines the width of the dialog, not a narrow column beside the labels
	for _, obj := range test.LaidOutObjects(overlay) {
		if l, ok := obj.(*widget.Label); ok && strings.Contains(l.Text, "tidak berlaku lagi") && l.Size().Width < 500 {
			t.Errorf("the consequence is %v wide in a 1024×768 window", l.Size().Width)
		}
	}
	test.Tap(findButton(overlay, i18n.T("common.cancel")))
	h.ui.Settle(t)
	got := &domain.Certificate{}
	got.ID = cert.ID
	if err := st.Get(ctx, got); err != nil || got.RevokedOn != "" {
		t.Fatalf("cancelled revocation changed the certificate: %+v %v", got, err)
	}

	// when revoked with a reason
	h.revokeInGUI(t, tr, "  nama salah ketik ")

	// then the store holds today's date and the reason, and the detail says so without a revoke button
	if err := st.Get(ctx, got); err != nil || got.RevokedOn != "2026-11-27" || got.RevokeReason != "nama salah ketik" {
		t.Fatalf("after revoking: %+v %v", got, err)
	}
	if !hasLabel(h.s.deps.Window.Content(), "Dicabut 27-11-2026: nama salah ketik") {
		t.Error("detail does not show the revocation")
	}
	if findButton(h.s.deps.Window.Content(), i18n.T("certs.revoke")) != nil {
		t.Error("a revoked certificate can be revoked again")
	}
	// and the number is unchanged: a printed number never changes
	if got.Number != cert.Number || got.Code != cert.Code {
		t.Fatalf("revoking changed number or code: %+v", got)
	}
}

func TestStoreRefusesRevocationWithoutReason(t *testing.T) {
	st := newStore(t)
	_, cert := graduateOne(t, st)
	err := st.RevokeCertificate(context.Background(), cert.ID, today, "  ")
	if _, ok := errValidation(err); !ok {
		t.Fatalf("revocation without reason: %v, want a validation error", err)
	}
}

// A revocation made in the GUI reaches the public check page through an
// ordinary sync: before it the page says "Sertifikat sah", after it
// "Sertifikat dicabut" with the date.
func TestRevokedInGUIShowsDicabutOnTheCheckPageAfterSync(t *testing.T) {
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srvStore, err := central.OpenSQLite(ctx, filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srvStore.Close() })
	mux := http.NewServeMux()
	mux.Handle("/v1/", syncserver.NewServer(srvStore, quiet).Handler())
	mux.Handle(checkpage.Path, checkpage.New(srvStore, checkpage.Options{Log: quiet}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	centre, err := srvStore.AddCentre(ctx, central.Centre{Name: "BLK Komunitas Al-Hikmah", Region: "3201"})
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := srvStore.NewCode(ctx, centre.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pc, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	pc.Now = func() time.Time { return today }
	client := blksync.NewClient(pc)
	if err := client.Enrol(ctx, srv.URL, code); err != nil {
		t.Fatal(err)
	}
	tr, cert := graduateOne(t, pc)
	if _, err := client.Round(ctx); err != nil {
		t.Fatal(err)
	}
	page := func() (int, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + "/v/" + cert.Code)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b)
	}
	if status, body := page(); status != http.StatusOK || !strings.Contains(body, "Sertifikat sah") || !strings.Contains(body, "Siti Aminah") {
		t.Fatalf("before revoking: %d, page lacks Sertifikat sah", status)
	}

	h := harnessOn(t, pc)
	h.revokeInGUI(t, tr, "diterbitkan untuk orang yang salah")
	if status, body := page(); strings.Contains(body, "dicabut") {
		t.Fatalf("page says revoked (%d) before the PC synced", status)
	}
	if _, err := client.Round(ctx); err != nil {
		t.Fatal(err)
	}
	status, body := page()
	if status != http.StatusOK || !strings.Contains(body, "Sertifikat dicabut") || !strings.Contains(body, "27 November 2026") {
		t.Fatalf("after sync: %d, page lacks Sertifikat dicabut with 27 November 2026:\n%s", status, body)
	}
}

func findCheck(o fyne.CanvasObject, text string) *widget.Check {
	for _, obj := range test.LaidOutObjects(o) {
		if c, ok := obj.(*widget.Check); ok && c.Text == text {
			return c
		}
	}
	return nil
}
