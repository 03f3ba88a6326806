// Package app is the desktop shell of BLK Komunitas: the window's
// navigation between screens, the always-visible status bar, the first-run
// wizard, settings (language, theme, backup/restore), window-size memory
// and keyboard shortcuts. Screens live in their own packages and plug in
// through app/screen. This package never imports fyne.io/fyne/v2/app (the
// window is made in cmd/blk) and never runs SQL.
package app

import (
	"context"
	"log"
	"slices"
	gosync "sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/files"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/syncui"
	"github.com/kemnaker/blk/app/updateui"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	"github.com/kemnaker/blk/sync"
)

// Preference keys.
const (
	PrefLang           = "lang"
	PrefTheme          = "theme" // "light", "dark" or "" (follow the system)
	PrefWidth          = "window.width"
	PrefHeight         = "window.height"
	PrefPendingRestore = "restore.pending" // backup file to restore on next start
	MetaOperator       = "operator_name"
)

// Options is what the shell is given by cmd/blk.
type Options struct {
	Store   *store.Store
	DataDir string
	Prefs   fyne.Preferences
	// Settings applies the theme; nil leaves the theme alone (tests).
	Settings fyne.Settings
	// Sync is the sync client; nil means none: the app works offline.
	Sync syncui.Client
	// Enroller joins a central server (sync.Client.Enrol); nil hides the
	// connect step of the wizard and the connect form.
	Enroller syncui.Enroller
	// Restart closes the app so a pending restore can happen; nil: the
	// operator is asked to close the app themselves.
	Restart func()
	// Updates is the updater whose new versions the status bar offers;
	// nil shows none.
	Updates updateui.Updater
	// Run runs work off the UI goroutine for the shell and every screen;
	// nil means screen.FyneRunner (tests give a uitest.Runner).
	Run screen.Runner
}

// Shell is the window's content: navigation, current screen, status bar.
type Shell struct {
	opts    Options
	win     fyne.Window
	nav     *widget.List
	body    *fyne.Container
	status  *widget.Label
	more    *widget.Button // "Rincian" of the last sync failure
	logged  string         // that failure's detail, once logged
	who     *widget.Label
	bar     *fyne.Container
	entries []navEntry
	screens map[string]screen.Screen
	current int
	cancel  func()
	leave   func() // cancels the loads of the screen shown (show)
	offer   *updateui.Offer
	wizard  *wizard
	run     screen.Runner
	// news gathers the tables committed writes changed until the UI
	// goroutine hands them to the screen on show (see forward).
	newsMu   gosync.Mutex
	news     map[string]bool
	stopNews func()
}

// navEntry is one item of the navigation.
type navEntry struct {
	key   string // translation key of its label, also its id
	build func(screen.Deps) screen.Screen
}

// Searcher is a screen with a search box (Ctrl+F focuses it). A screen
// built on kit.Records is one when HasSearch says so.
type Searcher interface{ FocusSearch() }

// mayHaveSearch is a Searcher whose search box depends on its set-up.
type mayHaveSearch interface{ HasSearch() bool }

// Creator is a screen that can start a new record (Ctrl+N).
type Creator interface{ NewRecord() }

// closer is a screen that holds subscriptions to release on rebuild.
type closer interface{ Close() }

// New makes the shell for win; call Start to show it.
func New(win fyne.Window, opts Options) *Shell {
	if opts.Prefs == nil {
		opts.Prefs = fyne.CurrentApp().Preferences()
	}
	s := &Shell{opts: opts, win: win, screens: map[string]screen.Screen{}, run: screen.RunnerOf(opts.Run)}
	s.entries = s.navEntries()
	s.stopNews = opts.Store.Subscribe(s.heard)
	return s
}

// heard runs on the writer's goroutine after a commit: it adds the tables
// to the news and, unless a hand-over is already on its way, asks the UI
// goroutine to forward them, so a burst of writes (an import, a pull of
// many pages) costs the screen one reload, not one per write.
func (s *Shell) heard(c store.Changed) {
	s.newsMu.Lock()
	defer s.newsMu.Unlock()
	first := s.news == nil
	if first {
		s.news = map[string]bool{}
	}
	for _, t := range c.Tables {
		s.news[t] = true
	}
	if first {
		s.run.Do(s.forward)
	}
}

// forward (UI goroutine) gives the news to the screen on show.
func (s *Shell) forward() {
	s.newsMu.Lock()
	news := s.news
	s.news = nil
	s.newsMu.Unlock()
	if len(news) == 0 || s.body == nil {
		return
	}
	c := store.Changed{Tables: make([]string, 0, len(news))}
	for t := range news {
		c.Tables = append(c.Tables, t)
	}
	slices.Sort(c.Tables)
	if w, ok := s.Current().(screen.Watcher); ok {
		w.DataChanged(context.Background(), c)
	}
}

// Close stops listening to the store (tests that open many shells on one store).
func (s *Shell) Close() {
	if s.stopNews != nil {
		s.stopNews()
	}
}

// Start shows the first-run wizard when the store has no centre yet, and
// the main window otherwise.
func (s *Shell) Start() {
	ApplyTheme(s.opts.Settings, s.opts.Prefs.String(PrefTheme))
	s.installShortcuts()
	if s.opts.Store.CentreID() == "" {
		s.wizard = newWizard(s, s.showMain)
		s.win.SetContent(s.wizard.object)
		return
	}
	s.showMain()
}

func (s *Shell) deps() screen.Deps {
	return screen.Deps{Window: s.win, Now: s.opts.Store.Now, Changed: s.changed, Run: s.run}
}

// changed refreshes the status bar after a write; the sync client learns of
// the new outbox rows by itself.
func (s *Shell) changed() {
	if s.opts.Sync != nil {
		s.opts.Sync.SyncNow()
	}
}

// showMain builds navigation, body and status bar for the current language.
func (s *Shell) showMain() {
	s.wizard = nil
	s.win.SetTitle(i18n.T("app.title"))
	longest := ""
	for _, e := range s.entries {
		if t := i18n.T(e.key); len(t) > len(longest) {
			longest = t
		}
	}
	s.nav = widget.NewList(
		func() int { return len(s.entries) },
		func() fyne.CanvasObject { return widget.NewLabel(longest) },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(i18n.T(s.entries[id].key)) },
	)
	s.nav.OnSelected = func(id widget.ListItemID) {
		if id != s.current || s.body == nil || len(s.body.Objects) == 0 {
			s.show(id)
		}
	}
	s.body = container.NewStack()
	s.status = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	s.more = widget.NewButtonWithIcon(i18n.T("syncerr.detail"), theme.InfoIcon(), func() { syncui.ShowDetail(s.win, s.logged) })
	s.more.Importance = widget.LowImportance
	s.more.Hide()
	s.who = widget.NewLabel("")
	s.loadWho()
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
	}
	if s.opts.Sync != nil {
		s.cancel = s.opts.Sync.Subscribe(func(st sync.Status) { s.run.Do(func() { s.showStatus(st) }) })
		s.showStatus(s.opts.Sync.Status())
	} else {
		s.showStatus(sync.Status{})
	}
	right := fyne.CanvasObject(container.NewHBox(s.more, s.who))
	if s.offer != nil {
		s.offer.Close()
		s.offer = nil
	}
	if s.opts.Updates != nil {
		s.offer = updateui.New(s.run, s.win, s.opts.Updates, s.opts.Restart)
		right = container.NewHBox(s.more, s.who, s.offer.Object())
	}
	s.bar = container.NewBorder(widget.NewSeparator(), nil, nil, right, s.status)
	bar := s.bar
	// The navigation keeps the width of its longest label; the screen gets
	// the rest and never pushes the window wider than the operator made it.
	body := container.New(bodyLayout{}, s.body)
	s.win.SetContent(container.NewBorder(nil, bar, container.NewHBox(s.nav, widget.NewSeparator()), nil, body))
	s.show(s.current)
	s.nav.Select(s.current)
}

func (s *Shell) showStatus(st sync.Status) {
	s.status.SetText(syncui.Describe(st))
	if st.LastErrorDetail != "" {
		if st.LastErrorDetail != s.logged {
			log.Printf("sync: %s: %s", st.LastErrorKind, st.LastErrorDetail)
		}
		s.more.Show()
	} else {
		s.more.Hide()
	}
	s.logged = st.LastErrorDetail
	if st.ClockWarn || st.Rejected > 0 || st.Conflicts > 0 {
		s.status.Importance = widget.WarningImportance
	} else {
		s.status.Importance = widget.MediumImportance
	}
	s.status.Refresh()
}

// loadWho shows the centre and operator in the status bar.
func (s *Shell) loadWho() {
	s.run.Go(func() {
		ctx := context.Background()
		name := ""
		if c, err := s.opts.Store.Centre(ctx); err == nil {
			name = c.Name
		}
		op, _ := s.opts.Store.Meta(ctx, MetaOperator)
		s.run.Do(func() {
			if op != "" {
				name += " · " + op
			}
			if s.who != nil {
				s.who.SetText(name)
				s.bar.Refresh() // the label grew: lay the bar out again
			}
		})
	})
}

// show displays the screen of entry i, building it on first use.
func (s *Shell) show(i int) {
	if i < 0 || i >= len(s.entries) {
		return
	}
	// The field that had the keyboard goes with the screen it was on: left
	// focused, the hidden entry went on taking every key, Ctrl+N and Ctrl+F
	// included, so the shortcuts died after going back to a list.
	if c := s.win.Canvas(); c.Focused() != nil {
		c.Unfocus()
	}
	s.current = i
	sc := s.screen(i)
	s.body.Objects = []fyne.CanvasObject{sc.Content()}
	s.body.Refresh()
	// What the screen left behind reads for no one: its loads stop (a
	// screen shown again loads anew). Reading the kemandirian input and
	// every graduate at 100k trainees takes seconds and 20-25 MB each, and
	// an operator going through the menu ran them all at once.
	if s.leave != nil {
		s.leave()
	}
	ctx, leave := context.WithCancel(context.Background())
	s.leave = leave
	sc.Update(ctx)
}

func (s *Shell) screen(i int) screen.Screen {
	e := s.entries[i]
	sc, ok := s.screens[e.key]
	if !ok {
		sc = e.build(s.deps())
		s.screens[e.key] = sc
	}
	return sc
}

// Navigate shows the screen whose navigation key is key ("nav.trainees"…)
// and returns it (nil when unknown).
func (s *Shell) Navigate(key string) screen.Screen {
	for i, e := range s.entries {
		if e.key == key {
			if s.nav == nil {
				return nil
			}
			s.show(i)
			s.nav.Select(i)
			return s.screens[key]
		}
	}
	return nil
}

// NavKeys lists the navigation keys in order (for the screenshot walk).
func (s *Shell) NavKeys() []string {
	out := make([]string, len(s.entries))
	for i, e := range s.entries {
		out[i] = e.key
	}
	return out
}

// Current is the screen on show (nil before the main window).
func (s *Shell) Current() screen.Screen {
	if s.body == nil {
		return nil
	}
	return s.screens[s.entries[s.current].key]
}

// SetLang switches the language at run time. Every screen is dropped
// (Close releases what it holds) and only the one on show is built again,
// so each label is looked up again; the others are built on their next
// visit. Choosing the language already in use changes nothing. The choice is
// remembered.
func (s *Shell) SetLang(l domain.Lang) {
	prev := i18n.Lang()
	i18n.SetLang(l)
	_ = files.UseLanguage(i18n.Lang()) // Fyne's own dialog texts too
	s.opts.Prefs.SetString(PrefLang, string(i18n.Lang()))
	if i18n.Lang() == prev && (s.wizard != nil || s.body != nil) {
		return
	}
	for _, sc := range s.screens {
		if c, ok := sc.(closer); ok {
			c.Close()
		}
	}
	s.screens = map[string]screen.Screen{}
	if s.wizard != nil {
		s.wizard = newWizard(s, s.showMain)
		s.win.SetContent(s.wizard.object)
		return
	}
	s.showMain()
}

// SkipServerStep moves the first-run wizard past the central-server step
// (as the operator's "skip" button does); nothing happens otherwise.
func (s *Shell) SkipServerStep() {
	if s.wizard != nil {
		s.wizard.Skip()
	}
}

// installShortcuts binds Ctrl+F (search) and Ctrl+N (new record).
func (s *Shell) installShortcuts() {
	mod := fyne.KeyModifierShortcutDefault
	s.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: mod}, func(fyne.Shortcut) { s.ShortcutSearch() })
	s.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: mod}, func(fyne.Shortcut) { s.ShortcutNew() })
}

// ShortcutSearch focuses the current screen's search, or the trainee search.
func (s *Shell) ShortcutSearch() {
	if s.body == nil {
		return
	}
	if f, ok := s.Current().(Searcher); ok {
		if m, ok := f.(mayHaveSearch); !ok || m.HasSearch() {
			f.FocusSearch()
			return
		}
	}
	if f, ok := s.Navigate("nav.trainees").(Searcher); ok {
		f.FocusSearch()
	}
}

// ShortcutNew starts a new record on the current screen, or a new trainee.
func (s *Shell) ShortcutNew() {
	if s.body == nil {
		return
	}
	if c, ok := s.Current().(Creator); ok {
		c.NewRecord()
		return
	}
	if c, ok := s.Navigate("nav.trainees").(Creator); ok {
		c.NewRecord()
	}
}

// DefaultWindow is the window size on a screen that has room for it; on a
// smaller screen the window takes WindowShare of each side instead.
var DefaultWindow = fyne.NewSize(1200, 760)

// WindowShare is how much of a small screen the window takes at most.
const WindowShare = 0.9

// WindowSize is the size to open the window at: the size the operator left
// it at (saved; zero when none), else DefaultWindow, never more than
// WindowShare of the screen (zero when unknown), so a 1024×768 laptop gets a
// window that fits with room for the task bar.
func WindowSize(saved, screen fyne.Size) fyne.Size {
	size := DefaultWindow
	if saved.Width > 200 && saved.Height > 200 {
		size = saved
	}
	if screen.Width > 0 && screen.Height > 0 {
		size = size.Min(fyne.NewSize(screen.Width*WindowShare, screen.Height*WindowShare))
	}
	return size
}

// RememberSize opens win at WindowSize of the saved size and the screen
// (zero when unknown), and saves the size again when the window closes.
func RememberSize(win fyne.Window, prefs fyne.Preferences, screen fyne.Size) {
	saved := fyne.NewSize(float32(prefs.Float(PrefWidth)), float32(prefs.Float(PrefHeight)))
	win.Resize(WindowSize(saved, screen))
	win.SetCloseIntercept(func() {
		size := win.Canvas().Size()
		if size.Width > 200 && size.Height > 200 {
			prefs.SetFloat(PrefWidth, float64(size.Width))
			prefs.SetFloat(PrefHeight, float64(size.Height))
		}
		win.Close()
	})
}

// bodyLayout gives its object all the space but asks for only a modest
// minimum, so a screen with a wide minimum size is clipped instead of
// forcing the window beyond a small laptop screen.
type bodyLayout struct{}

func (bodyLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (bodyLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(640, 480) }
