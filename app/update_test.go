package app

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/update"
)

// downloadedUpdate is a real updater of a PC on 0.2.0 that has downloaded
// and verified release 0.3.0.
func downloadedUpdate(t *testing.T) *update.Updater {
	t.Helper()
	content := []byte(strings.Repeat("MZ installer ", 500))
	pub, priv, _ := ed25519.GenerateKey(nil)
	sum := sha256.Sum256(content)
	m, err := update.Sign(priv, update.Manifest{Version: "0.3.0", Platform: update.PlatformWindows, File: "blk-0.3.0-setup.exe", Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:])})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(content) }))
	t.Cleanup(srv.Close)
	u := update.New(update.Config{Dir: t.TempDir(), Key: pub, Installed: "0.2.0", Platform: update.PlatformWindows, Client: srv.Client(), Rate: -1})
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
	u.Consider(m, srv.URL, nil)
	select {
	case <-ready:
	case <-time.After(20 * time.Second):
		t.Fatalf("never ready: %+v", u.State())
	}
	return u
}

// countingUpdater counts the live subscriptions to an updater.
type countingUpdater struct {
	*update.Updater
	live int
}

func (c *countingUpdater) Subscribe(fn func(update.State)) func() {
	c.live++
	cancel := c.Updater.Subscribe(fn)
	return func() { c.live--; cancel() }
}

func TestTheStatusBarOffersANewVersionInTheChosenLanguage(t *testing.T) {
	st := openStore(t, true)
	u := &countingUpdater{Updater: downloadedUpdate(t)}
	h := newShell(t, st, Options{Updates: u}, "nav.settings")
	if m := h.markup(); !strings.Contains(m, "Versi baru tersedia (0.3.0)") {
		t.Fatalf("the status bar does not offer the new version:\n%s", m)
	}
	h.shell.SetLang(domain.English)
	if m := h.markup(); !strings.Contains(m, "New version available (0.3.0)") {
		t.Fatalf("the offer is not in English after switching:\n%s", m)
	}
	if u.live != 1 {
		t.Errorf("%d live subscriptions to the updater after a rebuild, want 1", u.live)
	}
}
