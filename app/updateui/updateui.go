// Package updateui is the status bar's part of updating the app: while a
// new version downloads in the background it shows the progress quietly,
// and once the download is verified it shows "Versi baru tersedia", whose
// dialog offers "Pasang dan mulai ulang" or "Nanti". It only asks the
// updater (package update) and never downloads, verifies or runs anything
// itself; installing runs off the UI goroutine.
package updateui

import (
	"context"
	"errors"
	"io/fs"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/update"
)

// PostponeFor is how long "Nanti" hides a new version.
const PostponeFor = 24 * time.Hour

// Updater is what the offer needs of the updater (*update.Updater).
type Updater interface {
	State() update.State
	Subscribe(func(update.State)) (cancel func())
	Install(ctx context.Context) error
	Postpone(d time.Duration)
}

// Offer is the status bar's update button and download progress.
type Offer struct {
	win     fyne.Window
	u       Updater
	restart func()
	box     *fyne.Container
	button  *widget.Button
	note    *widget.Label
	cancel  func()
	timer   *time.Timer
	run     screen.Runner
	now     func() time.Time
}

// New makes the offer for win. restart closes the app so that it starts
// again in the new version; nil asks the operator to do it.
func New(run screen.Runner, win fyne.Window, u Updater, restart func()) *Offer {
	o := &Offer{win: win, u: u, restart: restart, run: screen.RunnerOf(run), now: time.Now}
	o.note = &widget.Label{Importance: widget.LowImportance}
	o.button = &widget.Button{Importance: widget.HighImportance, OnTapped: o.ask}
	o.box = container.NewHBox(o.note, o.button)
	o.show(u.State())
	o.cancel = u.Subscribe(func(s update.State) { o.run.Do(func() { o.show(s) }) })
	return o
}

// Object is what the status bar shows.
func (o *Offer) Object() fyne.CanvasObject { return o.box }

// Close stops listening to the updater (the shell rebuilds on a language change).
func (o *Offer) Close() {
	o.cancel()
	if o.timer != nil {
		o.timer.Stop()
	}
}

// show shows the state: progress while downloading, the button when
// offered, nothing otherwise (refusals and failures are in the log; the
// operator can do nothing about them).
func (o *Offer) show(s update.State) {
	o.note.Hide()
	o.button.Hide()
	switch {
	case s.Phase == update.Downloading && s.Total > 0:
		o.note.SetText(i18n.T("update.downloading", s.Release.Version, int(100*s.Have/s.Total)))
		o.note.Show()
	case s.Offered(o.now()):
		o.button.SetText(i18n.T("update.available", s.Release.Version))
		o.button.Show()
	case s.Phase == update.Ready:
		// Postponed: come back when "later" is over.
		if o.timer != nil {
			o.timer.Stop()
		}
		o.timer = time.AfterFunc(s.PostponedUntil.Sub(o.now()), func() {
			o.run.Do(func() { o.show(o.u.State()) })
		})
	}
	o.box.Refresh()
}

// Button is the "Versi baru tersedia" button (for tests and the screenshot walk).
func (o *Offer) Button() *widget.Button { return o.button }

// ask shows what installing means and lets the operator choose.
func (o *Offer) ask() {
	s := o.u.State()
	if !s.Offered(o.now()) {
		return
	}
	text := i18n.T("update.body", s.Release.Version)
	if s.Release.Platform == update.PlatformWindows {
		text += "\n\n" + i18n.T("update.body.windows")
	}
	body := &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustomConfirm(i18n.T("update.title", s.Release.Version), i18n.T("update.install"), i18n.T("update.later"), body,
		func(install bool) {
			if install {
				o.install(s.Release.Version)
			} else {
				o.u.Postpone(PostponeFor)
			}
		}, o.win)
	d.Resize(fyne.NewSize(480, 0))
	d.Show()
}

// install runs the installation off the UI goroutine with a progress
// dialog, then restarts the app or says why not.
func (o *Offer) install(version string) {
	bar := widget.NewProgressBarInfinite()
	wait := dialog.NewCustomWithoutButtons(i18n.T("update.installing", version), bar, o.win)
	wait.Show()
	o.run.Go(func() {
		err := o.u.Install(context.Background())
		o.run.Do(func() {
			wait.Hide()
			if err != nil {
				dialog.ShowInformation(i18n.T("update.title", version), Message(err), o.win)
				return
			}
			if o.restart == nil {
				dialog.ShowInformation(i18n.T("update.title", version), i18n.T("update.close"), o.win)
				return
			}
			o.restart()
		})
	})
}

// Message is what the operator reads when an installation failed.
func Message(err error) string {
	switch {
	case errors.Is(err, update.ErrCancelled):
		return i18n.T("update.cancelled")
	case errors.Is(err, update.ErrTampered), errors.Is(err, update.ErrBadSignature), errors.Is(err, update.ErrUnsigned):
		return i18n.T("update.tampered")
	case errors.Is(err, fs.ErrPermission):
		return i18n.T("update.permission")
	}
	return i18n.T("update.failed", err.Error())
}
