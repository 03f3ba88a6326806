// Package screen is the contract between the app shell and each screen
// package (trainees, cohorts, partners, …): what a screen is, what it is
// given, and the shared ways to run long work and to show errors. It holds
// no screen of its own and no SQL.
package screen

import (
	"context"
	"errors"
	"fmt"
	gosync "sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// Screen is one area of the app, shown by the shell's navigation.
type Screen interface {
	// Content is the screen's root object; built once, kept by the shell.
	Content() fyne.CanvasObject
	// Update reloads the screen's data: it queries off the UI goroutine and
	// swaps the result in with one fyne.Do. Called on show and after changes.
	// The shell cancels ctx when the operator leaves the screen (a load
	// nobody will see stops); the screen loads again when shown again.
	Update(ctx context.Context)
}

// Watcher is a screen that shows what the store holds and refreshes when
// it changes. While the screen is on show, the shell calls DataChanged on
// the UI goroutine after committed writes (this screen's own, another
// screen's, an import, a pull from the server; several close together
// arrive as one call naming every table) with the tables they changed. The
// screen reloads what it shows of those tables off the UI goroutine,
// keeping the selection, the scroll position and any half-typed form.
// Screens not on show reload on their next Update anyway.
type Watcher interface {
	DataChanged(ctx context.Context, c store.Changed)
}

// Runner is the one way screens run work off the UI goroutine and come
// back to it. The app's is FyneRunner; tests inject uitest.Runner, which
// keeps the goroutine boundary real (work on its own goroutine, UI work on
// the test's), so -race sees a database call made on the UI goroutine.
type Runner interface {
	// Go runs work on a goroutine of its own; work must not touch widgets.
	Go(work func())
	// Do runs ui on the UI goroutine; safe from any goroutine.
	Do(ui func())
}

// FyneRunner is the app's Runner: a goroutine per work, fyne.Do back.
type FyneRunner struct{}

// Go runs work on a new goroutine.
func (FyneRunner) Go(work func()) { go work() }

// Do hands ui to the UI goroutine (fyne.Do).
func (FyneRunner) Do(ui func()) { fyne.Do(ui) }

// Deps is what every screen gets from the shell. It carries no store: each
// screen package declares the interface of what it reads and writes (its
// Store) and its constructor takes that, so no screen can reach what it
// does not declare — the sync internals above all (outbox, cursors, device
// token, pulls). *store.Store satisfies every such interface; the shell's
// navigation (app/nav.go) is where it is handed over.
type Deps struct {
	Window fyne.Window
	// Now is the store's clock (store.Store.Now): what "today" is for
	// forms, defaults and due dates. Tests fix it through the store.
	Now func() time.Time
	// Changed tells the shell that data changed (status bar, other screens).
	// Never nil: the shell provides a no-op at least.
	Changed func()
	// Run runs work off the UI goroutine; nil means FyneRunner.
	Run Runner
}

// Go runs work off the UI goroutine with the screen's Runner.
func (d Deps) Go(work func()) { RunnerOf(d.Run).Go(work) }

// Do runs ui on the UI goroutine with the screen's Runner.
func (d Deps) Do(ui func()) { RunnerOf(d.Run).Do(ui) }

// RunnerOf is r, or FyneRunner when r is nil.
func RunnerOf(r Runner) Runner {
	if r == nil {
		return FyneRunner{}
	}
	return r
}

// ShowError shows err as a dialog that says what to do, in the user's language.
func ShowError(win fyne.Window, err error) {
	if err == nil {
		return
	}
	msg := err.Error()
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		msg = ve.Localized(i18n.Lang())
	} else if errors.Is(err, context.Canceled) {
		return
	}
	dialog.ShowError(errors.New(msg), win)
}

// Progress reports how far long work has come; safe from any goroutine.
type Progress func(done, total int)

// RunLong runs work off the UI goroutine behind a modal dialog with a
// progress bar and a cancel button, then calls done (on the UI goroutine)
// with work's error. Cancel cancels work's context; work must honour it and
// leave nothing half-saved (one transaction).
func RunLong(run Runner, win fyne.Window, title string, work func(ctx context.Context, progress Progress) error, done func(error)) {
	run = RunnerOf(run)
	ctx, cancel := context.WithCancel(context.Background())
	bar := widget.NewProgressBar()
	status := widget.NewLabel(title)
	cancelBtn := widget.NewButton(i18n.T("common.cancel"), cancel)
	d := dialog.NewCustomWithoutButtons(title, container.NewVBox(status, bar, cancelBtn), win)
	d.Resize(fyne.NewSize(420, 160))
	d.Show()
	var mu gosync.Mutex
	last := -1
	progress := func(n, total int) {
		if total <= 0 {
			return
		}
		pct := n * 100 / total
		mu.Lock()
		same := pct == last
		last = pct
		mu.Unlock()
		if same {
			return // one repaint per percent, not per row
		}
		run.Do(func() {
			bar.SetValue(float64(n) / float64(total))
			status.SetText(fmt.Sprintf("%s (%d/%d)", title, n, total))
		})
	}
	run.Go(func() {
		err := work(ctx, progress)
		cancel()
		run.Do(func() {
			d.Hide()
			if done != nil {
				done(err)
			}
		})
	})
}
