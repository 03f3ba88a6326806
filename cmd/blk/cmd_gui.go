package main

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/kemnaker/blk/app"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/assets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	"github.com/kemnaker/blk/sync"
)

func init() {
	register("gui", command{usage: "open the desktop app (the default)", run: runGUI})
}

// runGUI opens the window: language from the saved choice or the OS locale
// (Indonesian when it is C or unknown), a restore chosen in Settings done
// before the store opens, the sync client running in the background.
func runGUI(ctx context.Context, e *env, args []string) (err error) {
	limitGoMemory()
	a := fyneapp.NewWithID("id.go.kemnaker.blk")
	setReleaseMetadata(a)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	prefs := a.Preferences()
	lang := e.lang
	if saved := prefs.String(app.PrefLang); saved != "" {
		lang = domain.ParseLang(saved)
	}
	if os.Getenv("BLK_LANG") != "" {
		lang = domain.ParseLang(os.Getenv("BLK_LANG"))
	}
	i18n.SetLang(lang)

	if err := os.MkdirAll(e.dataDir, 0o755); err != nil {
		return fmt.Errorf("data folder %s: %w", e.dataDir, err)
	}
	watch := &drawWatch{}
	logPath, stopLog := startGUILog(e, watch)
	defer stopLog()
	defer catchGLFWPanic(&err, e.dataDir, logPath)
	dataFile := filepath.Join(e.dataDir, store.DefaultFile)
	if err := app.PendingRestore(ctx, prefs, dataFile); err != nil {
		return err
	}
	st, err := store.Open(ctx, dataFile)
	if err != nil {
		return err
	}
	defer st.Close()

	// The sync client counts the outbox when it is made, which takes seconds
	// on a big database: make it after the window is up.
	client := newLazySync(ctx, st)
	syncCtx, stopSync := context.WithCancel(ctx)
	defer stopSync()
	go func() {
		// Let the first frame and the first screen have the CPU: on a
		// 2-core PC counting the outbox competes with drawing.
		select {
		case <-time.After(2 * time.Second):
		case <-syncCtx.Done():
			return
		}
		c := sync.NewClient(st, sync.WithLang(lang))
		client.ready(c)
		c.Run(syncCtx)
	}()

	w := a.NewWindow(i18n.T("app.title"))
	app.RememberSize(w, prefs)
	shell := app.New(w, app.Options{
		Store:    st,
		DataDir:  e.dataDir,
		Prefs:    prefs,
		Settings: a.Settings(),
		Sync:     client,
		Enroller: client.Enrol,
		Restart:  a.Quit,
	})
	shell.Start()
	if dir := os.Getenv("BLK_SCREENSHOT_DIR"); dir != "" {
		go screenshotWalk(shell, w, dir, a.Quit)
	}
	if os.Getenv("BLK_TIMING") != "" {
		// Cold start: process start to the first frame drawn (lifecycle
		// "started" fires once the window is shown).
		a.Lifecycle().SetOnStarted(func() {
			fmt.Fprintf(e.stderr, "started after %d ms\n", time.Since(processStart).Milliseconds())
			go func() {
				time.Sleep(50 * time.Millisecond)
				fyne.DoAndWait(func() { w.Canvas().Capture() })
				fmt.Fprintf(e.stderr, "first frame after %d ms\n", time.Since(processStart).Milliseconds())
			}()
		})
	}
	return runWindow(a, w, watch, e.dataDir, logPath)
}

// lazySync stands in for the sync client until it is made: its status says
// only whether this PC is enrolled (one cheap read), subscribers are handed
// to the real client when it arrives, and Enrol waits for it.
type lazySync struct {
	mu      gosync.Mutex
	c       *sync.Client
	st      sync.Status
	subs    []func(sync.Status)
	arrived chan struct{}
}

func newLazySync(ctx context.Context, st *store.Store) *lazySync {
	l := &lazySync{arrived: make(chan struct{})}
	tok, _ := st.Meta(ctx, sync.MetaToken)
	url, _ := st.Meta(ctx, sync.MetaServerURL)
	l.st = sync.Status{Enrolled: tok != "", Server: url}
	return l
}

func (l *lazySync) ready(c *sync.Client) {
	l.mu.Lock()
	l.c = c
	subs := l.subs
	l.subs = nil
	l.mu.Unlock()
	close(l.arrived)
	for _, fn := range subs {
		c.Subscribe(fn)
		fn(c.Status())
	}
}

func (l *lazySync) Status() sync.Status {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.c != nil {
		return l.c.Status()
	}
	return l.st
}

func (l *lazySync) SyncNow() {
	l.mu.Lock()
	c := l.c
	l.mu.Unlock()
	if c != nil {
		c.SyncNow()
	}
}

func (l *lazySync) Subscribe(fn func(sync.Status)) (cancel func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.c != nil {
		return l.c.Subscribe(fn)
	}
	// Before the client exists the subscription is forwarded on arrival;
	// cancelling it early silences it.
	stopped := false
	l.subs = append(l.subs, func(st sync.Status) {
		l.mu.Lock()
		s := stopped
		l.mu.Unlock()
		if !s {
			fn(st)
		}
	})
	return func() {
		l.mu.Lock()
		stopped = true
		l.mu.Unlock()
	}
}

// Enrol waits for the client, then enrols.
func (l *lazySync) Enrol(ctx context.Context, url, code string) error {
	select {
	case <-l.arrived:
	case <-ctx.Done():
		return ctx.Err()
	}
	return l.c.Enrol(ctx, url, code)
}

// processStart is as close to the process start as Go code gets.
var processStart = time.Now()

// screenshotWalk (BLK_SCREENSHOT_DIR) visits every screen in both languages
// and saves the window as dir/<screen>-<lang>.png, then quits. It drives the
// real window, so the pictures are what operators see. With BLK_PPROF=DIR it
// also writes a heap profile per screen and logs memory (memoryCheckpoint).
func screenshotWalk(shell *app.Shell, w fyne.Window, dir string, quit func()) {
	settle := 1500 * time.Millisecond
	if v, err := time.ParseDuration(os.Getenv("BLK_SCREENSHOT_SETTLE")); err == nil {
		settle = v
	}
	time.Sleep(2 * settle)
	// The window is grabbed from the X server (ImageMagick's import): the
	// GL driver's Canvas().Capture() comes back blank under Xvfb.
	winID := ""
	if out, err := exec.Command("xdotool", "search", "--name", "^"+i18n.T("app.title")+"$").Output(); err == nil {
		winID = strings.TrimSpace(strings.Split(string(out), "\n")[0])
	}
	shot := func(name string) {
		time.Sleep(settle)
		memoryCheckpoint(os.Stderr, name+"-"+string(i18n.Lang()))
		path := filepath.Join(dir, name+"-"+string(i18n.Lang())+".png")
		if winID != "" {
			if out, err := exec.Command("import", "-window", winID, path).CombinedOutput(); err == nil {
				return
			} else {
				fmt.Fprintf(os.Stderr, "screenshot %s: %v %s\n", name, err, out)
			}
		}
		fyne.DoAndWait(func() {
			f, err := os.Create(path)
			if err != nil {
				fmt.Fprintln(os.Stderr, "screenshot:", err)
				return
			}
			defer f.Close()
			if err := png.Encode(f, w.Canvas().Capture()); err != nil {
				fmt.Fprintln(os.Stderr, "screenshot:", err)
			}
		})
	}
	_ = os.MkdirAll(dir, 0o755)
	for _, l := range []domain.Lang{domain.Indonesian, domain.English} {
		fyne.DoAndWait(func() { shell.SetLang(l) })
		if len(shell.NavKeys()) > 0 && shell.Current() == nil {
			shot("wizard") // no centre yet: the first-run wizard is all there is
			fyne.DoAndWait(shell.SkipServerStep)
			shot("wizard-centre")
			continue
		}
		for _, key := range shell.NavKeys() {
			fyne.DoAndWait(func() { shell.Navigate(key) })
			shot(strings.TrimPrefix(key, "nav."))
			if key == "nav.trainees" {
				fyne.DoAndWait(shell.ShortcutNew)
				shot("trainee-form")
			}
		}
	}
	fyne.DoAndWait(quit)
}
