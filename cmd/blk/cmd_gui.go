package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	gosync "sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/dialog"

	"github.com/kemnaker/blk/app"
	"github.com/kemnaker/blk/app/files"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/recovery"
	"github.com/kemnaker/blk/assets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/store"
	"github.com/kemnaker/blk/sync"
	"github.com/kemnaker/blk/update"
)

func init() {
	register(func(e *env) *cli.Command {
		return &cli.Command{
			Name:   "gui",
			Short:  cli.Text("cli.blk.gui.short"),
			Hidden: true,
			Run:    func(ctx context.Context, _ []string) error { return runGUI(ctx, e) },
		}
	})
}

// runGUI opens the window: language from the saved choice or the OS locale
// (Indonesian when it is C or unknown), a restore chosen in Settings done
// before the store opens, the sync client running in the background.
func runGUI(ctx context.Context, e *env) (err error) {
	limitGoMemory()
	store.SetWriterCache(guiWriterCacheKiB)
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
	_ = files.UseLanguage(lang) // Fyne's own dialog texts (Save, Cancel…) in the app's language

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
	w := a.NewWindow(i18n.T("app.title"))
	app.RememberSize(w, prefs, screenSize(a))
	g := &guiRun{ctx: ctx, e: e, a: a, w: w, prefs: prefs, lang: lang, dataFile: dataFile}
	if err := g.open(); err != nil {
		return err
	}
	defer g.close()
	if err := runWindow(a, w, watch, e.dataDir, logPath); err != nil {
		return err
	}
	g.mu.Lock()
	upd := g.upd
	g.mu.Unlock()
	if upd != nil {
		planRestart(upd)
	}
	return nil
}

// guiRun is one window's life: the store it shows, the sync client and the
// updater behind it, or the recovery view while the database cannot be used.
type guiRun struct {
	ctx      context.Context
	e        *env
	a        fyne.App
	w        fyne.Window
	prefs    fyne.Preferences
	lang     domain.Lang
	dataFile string

	mu       gosync.Mutex
	st       *store.Store
	upd      *update.Updater
	stopSync context.CancelFunc
	devDone  bool
}

// open opens the store and shows the app, or, when the database is
// damaged, the recovery view. The integrity check reads every page in the
// background (store.OpenChecking); when it fails after the window is up,
// the app gives way to the recovery view (nothing has been written: the
// store refuses writes until the check passes).
func (g *guiRun) open() error {
	st, err := store.OpenChecking(g.ctx, g.dataFile)
	if d, ok := store.IsDamaged(err); ok {
		logDamaged(d)
		g.showRecovery(d)
		return nil
	}
	if err != nil {
		return err
	}
	g.start(st)
	go func() {
		err := st.Healthy(g.ctx)
		if d, ok := store.IsDamaged(err); ok {
			logDamaged(d)
			fyne.Do(func() {
				g.close()
				g.showRecovery(d)
			})
		}
	}()
	return nil
}

func logDamaged(d *store.DamagedError) {
	fmt.Fprintf(os.Stderr, "blk: %v\n", d)
}

// start shows the app on st with the sync client running in the background.
func (g *guiRun) start(st *store.Store) {
	// The sync client counts the outbox when it is made, which takes seconds
	// on a big database: make it after the window is up.
	client := newLazySync(g.ctx, st)
	syncCtx, stopSync := context.WithCancel(g.ctx)
	// The updater hears of new versions from the sync client and downloads
	// them in the background; the status bar offers a verified one.
	upd := newUpdater(g.e.dataDir)
	g.mu.Lock()
	g.st, g.upd, g.stopSync = st, upd, stopSync
	g.mu.Unlock()
	go func() {
		// Let the first frame and the first screen have the CPU: on a
		// 2-core PC counting the outbox competes with drawing.
		select {
		case <-time.After(2 * time.Second):
		case <-syncCtx.Done():
			return
		}
		// It checks what an earlier run downloaded (reading the file once)
		// after the first frame too.
		go upd.Run(syncCtx)
		c := sync.NewClient(st, sync.WithLang(g.lang), sync.WithUpdater(upd))
		client.ready(c)
		c.Run(syncCtx)
	}()

	shell := app.New(g.w, app.Options{
		Store:    st,
		DataDir:  g.e.dataDir,
		Prefs:    g.prefs,
		Settings: g.a.Settings(),
		Sync:     client,
		Enroller: client.Enrol,
		Restart:  g.a.Quit,
		Updates:  upd,
	})
	shell.Start()
	if devTools != nil && !g.devDone {
		g.devDone = true
		devTools(g.a, g.w, shell, g.e.stderr)
	}
}

// close stops the sync client and closes the store, if open.
func (g *guiRun) close() {
	g.mu.Lock()
	st, stop := g.st, g.stopSync
	g.st, g.stopSync = nil, nil
	g.mu.Unlock()
	if stop != nil {
		stop()
	}
	if st != nil {
		st.Close()
	}
}

// showRecovery puts the ways back from a damaged database in the window;
// when one has worked the app opens on the recovered data.
func (g *guiRun) showRecovery(d *store.DamagedError) {
	v := recovery.New(recovery.Options{
		Window:   g.w,
		Damaged:  d,
		DataFile: g.dataFile,
		FromServer: func(ctx context.Context, dataFile string) error {
			return downloadAgain(ctx, dataFile, g.lang)
		},
		Done: func() {
			if err := g.open(); err != nil {
				dialog.ShowError(err, g.w)
			}
		},
		Quit: g.a.Quit,
	})
	g.w.SetContent(v.Content())
}

// devTools starts the developer tools a build with -tags devtools has
// (devtools.go): the screenshot walk, heap profiles, start-up timing. The
// product binary has none.
var devTools func(a fyne.App, w fyne.Window, shell *app.Shell, log io.Writer)

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
