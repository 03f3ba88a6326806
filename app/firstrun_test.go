package app

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/kemnaker/blk/app/dashboard"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	"github.com/kemnaker/blk/sync"
	syncserver "github.com/kemnaker/blk/sync/server"
)

// registeredCentre is a real blk-server (central storage on SQLite and the
// sync handler over HTTP) with a centre the ministry registered by name and
// region, as `blk-server centre add` does, and a one-time code for it.
func registeredCentre(t *testing.T, name string) (url, code string) {
	t.Helper()
	url, code, _ = registeredCentreOn(t, name)
	return url, code
}

// registeredCentreOn is registeredCentre with the server's storage, for
// tests that act as the ministry afterwards.
func registeredCentreOn(t *testing.T, name string) (url, code string, storage central.Storage) {
	t.Helper()
	ctx := context.Background()
	c0, err := central.OpenSQLite(ctx, filepath.Join(t.TempDir(), "central.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c0.Close() })
	srv := httptest.NewServer(syncserver.NewServer(c0, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler())
	t.Cleanup(srv.Close)
	centre, err := c0.AddCentre(ctx, central.Centre{Name: name, Region: "3201"})
	if err != nil {
		t.Fatal(err)
	}
	code, _, err = c0.NewCode(ctx, centre.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return srv.URL, code, c0
}

func TestJoiningWithACodeEndsOnTheDashboardWithTheCentresName(t *testing.T) {
	// given a centre the ministry registered on the server, and a new PC
	url, code := registeredCentre(t, "BLK Komunitas Al-Ikhlas")
	st := openStore(t, false)
	client := sync.NewClient(st, sync.WithDeviceName("PC-Kantor"))
	h := newShell(t, st, Options{Enroller: client.Enrol, Sync: client}, "nav.dashboard")
	w := h.shell.wizard
	if w == nil || w.step != 0 || w.canGoBack() {
		t.Fatal("the wizard does not open on the server step")
	}

	// when the operator types the address and the code and connects
	test.Type(w.url, url)
	test.Type(w.code, code)
	test.Tap(w.next)
	h.settle(t, "the operator step after joining", func() bool { return w.step == 2 })
	// then there is no way back to a spent code, and nothing went wrong
	if w.canGoBack() || w.msg.Sentence() != "" {
		t.Fatalf("after joining: back %v, message %q", w.canGoBack(), w.msg.Sentence())
	}
	if st.CentreID() == "" {
		t.Fatal("the PC did not join the centre")
	}
	if !strings.Contains(h.markup(), i18n.T("wizard.joined", "BLK Komunitas Al-Ikhlas")) {
		t.Fatal("the operator step does not say which centre the PC joined")
	}

	// when the operator gives their name and finishes
	test.Type(w.operator, "Ustadzah Aminah")
	test.Tap(w.next)
	h.settle(t, "the main window", func() bool { return h.shell.wizard == nil && h.shell.who != nil })

	// then the dashboard is on show and the status bar names the centre
	// the server registered, and the operator
	if _, ok := h.shell.Current().(*dashboard.Screen); !ok {
		t.Fatalf("after the wizard the screen is %T, want the dashboard", h.shell.Current())
	}
	h.settle(t, "the centre's name in the status bar", func() bool {
		return h.shell.who.Text == "BLK Komunitas Al-Ikhlas · Ustadzah Aminah"
	})
	c, err := st.Centre(context.Background())
	if err != nil || c.Name != "BLK Komunitas Al-Ikhlas" {
		t.Fatalf("centre profile %+v, %v", c, err)
	}
}

func TestAWrongCodeInTheWizardSaysWhatToDoWithDetailsBehindAButton(t *testing.T) {
	url, _ := registeredCentre(t, "BLK Komunitas Al-Ikhlas")
	st := openStore(t, false)
	client := sync.NewClient(st)
	h := newShell(t, st, Options{Enroller: client.Enrol}, "nav.dashboard")
	w := h.shell.wizard

	// when a mistyped code is sent
	test.Type(w.url, url)
	test.Type(w.code, "KODE-SALAH")
	test.Tap(w.next)
	h.settle(t, "the refusal", func() bool { return w.msg.Sentence() != "" })

	// then the wizard stays, says in plain words what to do, and keeps the
	// technical detail behind "Rincian"
	if w.step != 0 || w.msg.Sentence() != i18n.T("syncerr.code") {
		t.Fatalf("step %d, message %q", w.step, w.msg.Sentence())
	}
	if strings.Contains(h.markup(), "server refused") || !w.msg.DetailButton().Visible() {
		t.Fatal("the technical detail is on show, or there is no Rincian button")
	}
	test.Tap(w.msg.DetailButton())
	top := h.win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(test.RenderObjectToMarkup(top), "server refused (403 bad_code)") {
		t.Fatal("Rincian does not show the server's answer")
	}
	h.win.Canvas().Overlays().Remove(top)
}

func TestAClosedPortInTheWizardSaysThereIsNoConnection(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	st := openStore(t, false)
	h := newShell(t, st, Options{Enroller: sync.NewClient(st).Enrol}, "nav.dashboard")
	h.shell.SetLang(domain.English)
	w := h.shell.wizard
	test.Type(w.url, closed)
	test.Type(w.code, "ABC")
	test.Tap(w.next)
	h.settle(t, "the failure", func() bool { return w.msg.Sentence() != "" })
	if w.msg.Sentence() != i18n.T("syncerr.offline") || !strings.HasPrefix(w.msg.Sentence(), "No connection") {
		t.Fatalf("message %q", w.msg.Sentence())
	}
}

func TestTheWizardGoesBackWithWhatWasTyped(t *testing.T) {
	st := openStore(t, false)
	h := newShell(t, st, Options{Enroller: func(context.Context, string, string) error { return nil }}, "nav.dashboard")
	w := h.shell.wizard
	test.Type(w.url, "https://blk.example")
	w.Skip()
	test.Type(w.name, "BLK Komunitas Nurul Iman")
	// when Back is pressed on the centre step, the server step returns with its address
	if !w.back.Visible() && !w.canGoBack() {
		t.Fatal("no Back on the centre step")
	}
	test.Tap(w.back)
	if w.step != 0 || w.url.Text != "https://blk.example" {
		t.Fatalf("back: step %d url %q", w.step, w.url.Text)
	}
	// and forward again, the centre's name is still there
	w.Skip()
	if w.step != 1 || w.name.Text != "BLK Komunitas Nurul Iman" {
		t.Fatalf("forward: step %d name %q", w.step, w.name.Text)
	}
	// the operator step goes back to the centre step when nothing was joined
	w.region.SetCode("3201011001")
	test.Tap(w.next)
	if w.step != 2 {
		t.Fatalf("centre step refused: %v", w.centre.Message("name"))
	}
	test.Tap(w.back)
	if w.step != 1 {
		t.Fatalf("back from the operator step: step %d", w.step)
	}
}

func TestSettingsEditsTheCentreProfileAndTheOperator(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, true)
	if err := st.SetMeta(ctx, MetaOperator, "Ustadz Hasan"); err != nil {
		t.Fatal(err)
	}
	pendingBefore, err := st.PendingCount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := newShell(t, st, Options{}, "nav.settings")
	set := h.shell.Current().(*settingsScreen)
	p := set.profile
	h.settle(t, "the profile loaded", func() bool { return p.centre != nil })
	if p.name.Text != "BLK Komunitas Al-Hikmah" || p.operator.Text != "Ustadz Hasan" || p.minimum.PlaceHolder != "80" {
		t.Fatalf("loaded name %q operator %q minimum hint %q", p.name.Text, p.operator.Text, p.minimum.PlaceHolder)
	}

	// when an impossible minimum is typed, nothing is saved and the row says why
	p.minimum.SetText("120")
	test.Tap(p.save)
	if !strings.Contains(p.form.Message("min_attendance"), "0 sampai 100") {
		t.Fatalf("minimum 120 message %q", p.form.Message("min_attendance"))
	}

	// when the operator corrects the profile and saves
	p.name.SetText("BLK Komunitas Pondok Pesantren Al-Hikmah")
	p.foundation.SetText("Yayasan Al-Hikmah Cibinong")
	p.address.SetText("Jl. Raya Cibinong No. 5")
	p.head.SetText("H. Ahmad Fauzi")
	p.phone.SetText("0812-3456-7890")
	p.permit.SetText("503/123/IZIN-LPK/2025")
	p.minimum.SetText("75")
	p.operator.SetText("Ustadzah Aminah")
	test.Tap(p.save)
	h.settle(t, "the profile saved", func() bool { return p.msg.Text == i18n.T("profile.saved") })

	// then the stored profile has every field, as one synced change
	c, err := st.Centre(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "BLK Komunitas Pondok Pesantren Al-Hikmah" || c.Foundation != "Yayasan Al-Hikmah Cibinong" || c.Head != "H. Ahmad Fauzi" ||
		c.Phone != "+6281234567890" || c.PermitNo != "503/123/IZIN-LPK/2025" || c.MinAttendance != 75 || c.AttendanceMinimum() != 75 || c.Address != "Jl. Raya Cibinong No. 5" {
		t.Fatalf("stored profile %+v", c)
	}
	if n, _ := st.PendingCount(ctx); n != pendingBefore+1 {
		t.Fatalf("pending changes %d, want %d", n, pendingBefore+1)
	}
	// and the status bar names the centre and the new operator
	h.settle(t, "the status bar", func() bool {
		return h.shell.who.Text == "BLK Komunitas Pondok Pesantren Al-Hikmah · Ustadzah Aminah"
	})
}

func TestTheStatusBarSaysWhySyncFailsWithDetailsBehindAButton(t *testing.T) {
	ctx := context.Background()
	url, code, c0 := registeredCentreOn(t, "BLK Komunitas Al-Ikhlas")
	st := openStore(t, false)
	client := sync.NewClient(st)
	if err := client.Enrol(ctx, url, code); err != nil {
		t.Fatal(err)
	}
	if err := st.SetMeta(ctx, MetaOperator, "Ustadzah Aminah"); err != nil {
		t.Fatal(err)
	}
	h := newShell(t, st, Options{Sync: client, Enroller: client.Enrol}, "nav.dashboard")
	if h.shell.more.Visible() {
		t.Fatal("Rincian in the status bar before any failure")
	}
	// when the ministry revokes this PC and it syncs
	if err := c0.RevokeDevice(ctx, st.DeviceID()); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Round(ctx); err == nil {
		t.Fatal("a revoked PC synced")
	}
	h.settle(t, "the failure in the status bar", func() bool { return h.shell.more.Visible() })
	// then the status bar gives the plain sentence, and Rincian the detail
	if !strings.Contains(h.shell.status.Text, i18n.T("syncerr.revoked")) || strings.Contains(h.shell.status.Text, "403") {
		t.Fatalf("status bar %q", h.shell.status.Text)
	}
	test.Tap(h.shell.more)
	top := h.win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(test.RenderObjectToMarkup(top), "server refused (403 revoked)") {
		t.Fatal("Rincian does not show the server's answer")
	}
}

func TestTheCentresSecondPCJoinsThroughTheWizardAndWorksWithTheFirstPCsRecords(t *testing.T) {
	ctx := context.Background()
	// given a centre the ministry registered, whose first PC has enrolled,
	// recorded a trainee and synced
	url, code, ministry := registeredCentreOn(t, "BLK Komunitas Al-Ikhlas")
	first := openStore(t, false)
	if err := sync.NewClient(first).Enrol(ctx, url, code); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Save(ctx, &domain.Trainee{NIK: domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, 1),
		Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17"}); err != nil {
		t.Fatal(err)
	}
	if _, err := sync.NewClient(first).Round(ctx); err != nil {
		t.Fatal(err)
	}
	// and a second code the ministry gave for the centre's next PC
	code2, _, err := ministry.NewCode(ctx, first.CentreID(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}

	// when the operator of a new PC joins with it through the wizard
	st := openStore(t, false)
	client := sync.NewClient(st, sync.WithDeviceName("PC-Depan"))
	h := newShell(t, st, Options{Enroller: client.Enrol, Sync: client}, "nav.dashboard")
	w := h.shell.wizard
	test.Type(w.url, url)
	test.Type(w.code, code2)
	test.Tap(w.next)
	h.settle(t, "the operator step after joining", func() bool { return w.step == 2 })
	test.Type(w.operator, "Ustadz Hasan")
	test.Tap(w.next)
	h.settle(t, "the main window", func() bool { return h.shell.wizard == nil && h.shell.who != nil })

	// then it belongs to the same centre and shows its name
	if st.CentreID() != first.CentreID() {
		t.Fatalf("the second PC joined centre %q, the first is in %q", st.CentreID(), first.CentreID())
	}
	h.settle(t, "the centre's name in the status bar", func() bool {
		return h.shell.who.Text == "BLK Komunitas Al-Ikhlas · Ustadz Hasan"
	})
	// and its first sync brings the first PC's trainee, and sends its own
	if _, err := first.Save(ctx, &domain.Trainee{NIK: domain.MakeNIK("320101", time.Date(2002, 3, 12, 0, 0, 0, 0, time.UTC), false, 2),
		Name: "Ahmad Fauzi", Sex: "L", BirthDate: "2002-03-12"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Save(ctx, &domain.Trainee{NIK: domain.MakeNIK("320101", time.Date(2003, 1, 5, 0, 0, 0, 0, time.UTC), true, 3),
		Name: "Nur Hidayah", Sex: "P", BirthDate: "2003-01-05"}); err != nil {
		t.Fatal(err)
	}
	res, err := client.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pushed == 0 || res.Rejected != 0 {
		t.Fatalf("the second PC's first round: %+v", res)
	}
	if _, err := sync.NewClient(first).Round(ctx); err != nil {
		t.Fatal(err)
	}
	names := func(s *store.Store) string {
		ts, err := store.ListOf[*domain.Trainee](ctx, s, store.Query{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tr := range ts {
			out = append(out, tr.Name)
		}
		sort.Strings(out)
		return strings.Join(out, ", ")
	}
	if got := names(st); got != "Nur Hidayah, Siti Aminah" {
		t.Fatalf("the second PC holds %s", got)
	}
	if got := names(first); got != "Ahmad Fauzi, Nur Hidayah, Siti Aminah" {
		t.Fatalf("the first PC holds %s", got)
	}
}
