package updateui

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/update"
)

// recorder is the installer: it notes the plan instead of running it.
type recorder struct {
	mu    gosync.Mutex
	plans []update.Plan
	err   error
}

func (r *recorder) Install(_ context.Context, p update.Plan) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.plans = append(r.plans, p)
	return r.err
}

// readyUpdater is a real updater of a PC on 0.2.0 that has downloaded and
// verified release 0.3.0 from a real HTTP server.
func readyUpdater(t *testing.T, inst update.Installer) *update.Updater {
	t.Helper()
	content := []byte(strings.Repeat("MZ installer ", 1000))
	pub, priv, _ := ed25519.GenerateKey(nil)
	sum := sha256.Sum256(content)
	m, err := update.Sign(priv, update.Manifest{Version: "0.3.0", Platform: update.PlatformWindows, File: "blk-0.3.0-setup.exe", Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:])})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(content) }))
	t.Cleanup(srv.Close)
	u := update.New(update.Config{Dir: t.TempDir(), Key: pub, Installed: "0.2.0", Platform: update.PlatformWindows,
		Exe: `C:\Program Files\BLK Komunitas\blk.exe`, Client: srv.Client(), Rate: -1, Installer: inst})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { u.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	ready := make(chan struct{}, 1)
	stop := u.Subscribe(func(s update.State) {
		if s.Phase == update.Ready {
			select {
			case ready <- struct{}{}:
			default:
			}
		}
	})
	defer stop()
	if err := u.Consider(m, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ready:
	case <-time.After(20 * time.Second):
		t.Fatalf("never ready: %+v", u.State())
	}
	return u
}

// button finds a button by its text among what the window's top overlay shows.
func button(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog open looking for %q", text)
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q in the dialog", text)
	return nil
}

func TestTheStatusBarOffersAVerifiedVersionTheOperatorCanPostponeOrInstall(t *testing.T) {
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	inst := &recorder{}
	u := readyUpdater(t, inst)
	restarted := false
	w := test.NewTempWindow(t, widget.NewLabel(""))
	ui := uitest.NewRunner()
	o := New(ui, w, u, func() { restarted = true })
	w.SetContent(o.Object())
	defer o.Close()

	// a verified download is offered
	if !o.Button().Visible() || o.Button().Text != "Versi baru tersedia (0.3.0)" {
		t.Fatalf("button %q visible %v", o.Button().Text, o.Button().Visible())
	}

	// "Nanti" hides it for a day
	test.Tap(o.Button())
	test.Tap(button(t, w, "Nanti"))
	ui.Until(t, "the offer to change", func() bool { return !o.Button().Visible() })
	if until := u.State().PostponedUntil; until.Before(time.Now().Add(23 * time.Hour)) {
		t.Errorf("postponed until %v, want a day", until)
	}
	// a day later it is back
	o.now = func() time.Time { return time.Now().Add(25 * time.Hour) }
	o.show(u.State())
	if !o.Button().Visible() {
		t.Fatal("the offer did not come back after the postponement")
	}

	// "Pasang dan mulai ulang" runs the silent installer, then restarts
	test.Tap(o.Button())
	if top := w.Canvas().Overlays().Top(); top == nil || !strings.Contains(fmt.Sprint(texts(top)), "izin administrator") {
		t.Errorf("the dialog does not say Windows asks for administrator permission: %v", texts(top))
	}
	test.Tap(button(t, w, "Pasang dan mulai ulang"))
	ui.Until(t, "the offer to change", func() bool { return restarted })
	inst.mu.Lock()
	defer inst.mu.Unlock()
	if len(inst.plans) != 1 || len(inst.plans[0].Run) != 2 || inst.plans[0].Run[1] != "/S" || !inst.plans[0].Elevate {
		t.Errorf("installer plans = %+v, want one silent run through UAC", inst.plans)
	}
	if p, ok := u.Pending(); !ok || p.Restart != `C:\Program Files\BLK Komunitas\blk.exe` {
		t.Errorf("pending restart = %+v, %v", p, ok)
	}
}

func TestADeclinedUACPromptSaysSoAndKeepsTheOffer(t *testing.T) {
	test.NewTempApp(t)
	i18n.SetLang(domain.English)
	defer i18n.SetLang(domain.Indonesian)
	u := readyUpdater(t, &recorder{err: update.ErrCancelled})
	restarted := false
	w := test.NewTempWindow(t, widget.NewLabel(""))
	ui := uitest.NewRunner()
	o := New(ui, w, u, func() { restarted = true })
	w.SetContent(o.Object())
	defer o.Close()

	test.Tap(o.Button())
	test.Tap(button(t, w, "Install and restart"))
	ui.Until(t, "the offer to change", func() bool {
		top := w.Canvas().Overlays().Top()
		return top != nil && strings.Contains(fmt.Sprint(texts(top)), "installation was cancelled")
	})
	ui.Until(t, "the offer to change", func() bool { return o.Button().Visible() })
	if restarted {
		t.Error("the app restarted after a cancelled installation")
	}
}

func TestInstallFailuresAreExplainedInTheOperatorsLanguage(t *testing.T) {
	i18n.SetLang(domain.Indonesian)
	for _, c := range []struct {
		err  error
		want string
	}{
		{update.ErrCancelled, "Pemasangan dibatalkan"},
		{fmt.Errorf("x: %w", update.ErrTampered), "rusak atau diubah"},
		{&fs.PathError{Op: "rename", Path: "/usr/local/bin/blk", Err: os.ErrPermission}, "Minta admin"},
		{errors.New("the installer stopped with exit code 2"), "Versi baru belum terpasang: the installer stopped with exit code 2"},
	} {
		if got := Message(c.err); !strings.Contains(got, c.want) {
			t.Errorf("Message(%v) = %q, want it to say %q", c.err, got, c.want)
		}
	}
}

// texts lists the label texts under o.
func texts(o fyne.CanvasObject) []string {
	var out []string
	if o == nil {
		return nil
	}
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*widget.Label); ok {
			out = append(out, l.Text)
		}
	}
	return out
}
