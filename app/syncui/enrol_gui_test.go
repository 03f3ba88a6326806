package syncui

import (
	"context"
	"io"
	"log/slog"
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
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	"github.com/kemnaker/blk/sync"
	syncserver "github.com/kemnaker/blk/sync/server"
)

func TestConnectingToALiveServerEnrolsThePCAndPushes(t *testing.T) {
	ctx := context.Background()
	// given a real blk-server with a centre and a one-time code
	central0, err := central.OpenSQLite(ctx, filepath.Join(t.TempDir(), "central.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { central0.Close() })
	srv := httptest.NewServer(syncserver.NewServer(central0, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler())
	t.Cleanup(srv.Close)
	centre, err := central0.AddCentre(ctx, central.Centre{Name: "BLK Komunitas Al-Hikmah", Region: "3201"})
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := central0.NewCode(ctx, centre.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}

	// and a new PC: an empty data folder, its sync client running in the background
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	client := sync.NewClient(st, sync.WithDeviceName("PC-Kantor"), sync.WithSchedule(time.Hour, time.Hour, time.Hour, time.Hour))
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { client.Run(runCtx); close(done) }()
	t.Cleanup(func() { stop(); <-done })

	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	ui := uitest.NewRunner()
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(900, 600))
	changed := 0
	s := New(screen.Deps{Window: w, Changed: func() { changed++ }, Run: ui, Now: st.Now}, st, client, client.Enrol)
	w.SetContent(s.Content())
	t.Cleanup(s.Close)

	// when the operator types the server address and the code and taps Connect
	var entries []*widget.Entry
	for _, o := range test.LaidOutObjects(s.Content()) {
		if e, ok := o.(*widget.Entry); ok {
			entries = append(entries, e)
		}
	}
	if len(entries) != 2 {
		t.Fatalf("connect form has %d boxes, want address and code", len(entries))
	}
	test.Type(entries[0], srv.URL)
	test.Type(entries[1], code)
	connect := find(s.Content(), i18n.T("sync.enrol.button"))
	if connect == nil {
		t.Fatal("no connect button")
	}
	test.Tap(connect)

	// then the PC is enrolled: the server lists it, the screen says so
	ui.Until(t, "enrolment", func() bool { return changed > 0 })
	if !client.Status().Enrolled {
		t.Fatal("client not enrolled after connecting")
	}
	if st.CentreID() != centre.ID {
		t.Fatalf("desktop centre %q, want the server's %q", st.CentreID(), centre.ID)
	}
	devices, err := central0.Devices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(devices) != 1 || devices[0].ID != st.DeviceID() || devices[0].Name != "PC-Kantor" || devices[0].CentreID != centre.ID {
		t.Fatalf("server devices %+v", devices)
	}
	if o := w.Canvas().Overlays().Top(); o == nil || !strings.Contains(test.RenderObjectToMarkup(o), i18n.T("sync.enrol.done")) {
		t.Fatal("no message that the PC is connected")
	}
	w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	now := find(s.Content(), i18n.T("sync.now"))
	if now == nil {
		t.Fatal("after enrolling, the screen offers no Sync now")
	}

	// when a trainee is registered and the operator taps Sync now
	tr := &domain.Trainee{NIK: domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, 7),
		Name: "Nur Aisyah", Sex: "P", BirthDate: "2001-08-17"}
	if err := st.Write(ctx, func(tx *store.Tx) error { _, err := tx.Save(tr); return err }); err != nil {
		t.Fatal(err)
	}
	test.Tap(now)

	// then the push reaches the server
	onServer := func() bool {
		found := false
		_ = central0.Source(centre.ID).EachRecord(ctx, "trainees", func(r domain.Record) error {
			if x, ok := r.(*domain.Trainee); ok && x.Name == "Nur Aisyah" && x.ID == tr.ID {
				found = true
			}
			return nil
		})
		return found
	}
	ui.Until(t, "the trainee on the server", onServer)
	ui.Until(t, "nothing pending", func() bool { return client.Status().Pending == 0 })
}
