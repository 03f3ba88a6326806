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

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	"github.com/kemnaker/blk/sync"
	syncserver "github.com/kemnaker/blk/sync/server"
)

// TestARevokedPCReadsWhyOnTheSyncScreenWithDetailsBehindAButton: the
// ministry revokes a PC; its next sync fails, and the Sinkronisasi screen
// says so in a plain sentence, with the server's answer behind Rincian.
func TestARevokedPCReadsWhyOnTheSyncScreenWithDetailsBehindAButton(t *testing.T) {
	ctx := context.Background()
	c0, err := central.OpenSQLite(ctx, filepath.Join(t.TempDir(), "central.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c0.Close() })
	srv := httptest.NewServer(syncserver.NewServer(c0, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler())
	t.Cleanup(srv.Close)
	centre, err := c0.AddCentre(ctx, central.Centre{Name: "BLK Komunitas Al-Hikmah", Region: "3201"})
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := c0.NewCode(ctx, centre.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	client := sync.NewClient(st)
	if err := client.Enrol(ctx, srv.URL, code); err != nil {
		t.Fatal(err)
	}

	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	ui := uitest.NewRunner()
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(900, 600))
	s := New(screen.Deps{Window: w, Run: ui, Now: st.Now}, st, client, client.Enrol)
	w.SetContent(s.Content())
	t.Cleanup(s.Close)
	if s.more.Visible() {
		t.Fatal("Rincian on show before any failure")
	}

	// when the ministry revokes the PC and it syncs
	if err := c0.RevokeDevice(ctx, st.DeviceID()); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Round(ctx); err == nil {
		t.Fatal("a revoked PC synced")
	}
	ui.Until(t, "the failure on screen", func() bool { return s.more.Visible() })

	// then the screen says it in plain words, without the technical text
	if !strings.Contains(s.status.Text, i18n.T("syncerr.revoked")) || strings.Contains(s.status.Text, "403") {
		t.Fatalf("status %q", s.status.Text)
	}
	// and Rincian shows the server's answer
	test.Tap(s.more)
	top := w.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(test.RenderObjectToMarkup(top), "server refused (403 revoked)") {
		t.Fatal("Rincian does not show the server's answer")
	}
}
