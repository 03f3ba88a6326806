// Package recovery is the window an operator sees when the PC's database
// cannot be used (store.DamagedError): what happened in one sentence, that
// nothing was written, and the ways back that apply to this PC as buttons —
// restore the newest automatic backup, download the centre again from the
// server (when the PC was enrolled), or choose a backup file. The damaged
// file is always kept beside the new one (store.Restore, store.Rebuild).
//
// The work runs off the UI goroutine with the buttons disabled, a progress
// bar and, for the download, a cancel button; on success Done is called on
// the UI goroutine so the caller can open the app on the recovered data.
package recovery

import (
	"context"
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/store"
)

// Options are what the recovery view needs from the program.
type Options struct {
	Window  fyne.Window
	Damaged *store.DamagedError
	// DataFile is the database path the recovery replaces.
	DataFile string
	// FromServer rebuilds the database and downloads the centre again
	// (store.Rebuild, then one sync round); nil when this PC cannot.
	FromServer func(ctx context.Context, dataFile string) error
	// Done is called on the UI goroutine after a way back has worked.
	Done func()
	// Quit closes the app.
	Quit func()
	// Run runs the ways back off the UI goroutine; nil means
	// screen.FyneRunner (tests give a uitest.Runner).
	Run screen.Runner
}

// View is the recovery screen.
type View struct {
	opts    Options
	content fyne.CanvasObject
	buttons []*widget.Button
	bar     *widget.ProgressBarInfinite
	status  *widget.Label
	cancel  *widget.Button
	stop    context.CancelFunc

	// Restored is set to the backup used by the last successful restore
	// (empty after a download from the server).
	Restored string
}

// New builds the view for o.Damaged.
func New(o Options) *View {
	o.Run = screen.RunnerOf(o.Run)
	v := &View{opts: o}
	d := o.Damaged
	title := widget.NewLabelWithStyle(i18n.T("recovery.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	what := &widget.Label{Text: i18n.T("recovery.what", i18n.T("cli.blk.damaged."+d.Reason)), Wrapping: fyne.TextWrapWord}
	kept := &widget.Label{Text: i18n.T("recovery.kept"), Wrapping: fyne.TextWrapWord}

	var ways []fyne.CanvasObject
	if len(d.Backups) > 0 {
		b := widget.NewButtonWithIcon(i18n.T("recovery.newest", d.Backups[0].At.Local().Format("02-01-2006 15:04")), theme.HistoryIcon(), v.restoreNewest)
		b.Importance = widget.HighImportance
		v.buttons = append(v.buttons, b)
		ways = append(ways, b)
	}
	if d.Enrolled && o.FromServer != nil {
		b := widget.NewButtonWithIcon(i18n.T("recovery.server"), theme.DownloadIcon(), v.fromServer)
		if len(d.Backups) == 0 {
			b.Importance = widget.HighImportance
		}
		v.buttons = append(v.buttons, b)
		ways = append(ways, b)
	}
	file := widget.NewButtonWithIcon(i18n.T("recovery.file"), theme.FolderOpenIcon(), v.chooseFile)
	v.buttons = append(v.buttons, file)
	ways = append(ways, file)

	quit := widget.NewButton(i18n.T("recovery.quit"), func() {
		if o.Quit != nil {
			o.Quit()
		}
	})
	details := widget.NewButton(i18n.T("recovery.details"), func() {
		t := &widget.Label{Text: d.Path + "\n" + d.Detail, Wrapping: fyne.TextWrapBreak}
		dl := dialog.NewCustom(i18n.T("recovery.details"), i18n.T("recovery.close"), t, o.Window)
		dl.Resize(fyne.NewSize(520, 220))
		dl.Show()
	})
	v.buttons = append(v.buttons, quit)

	v.bar = widget.NewProgressBarInfinite()
	v.bar.Stop()
	v.bar.Hide()
	v.status = &widget.Label{Wrapping: fyne.TextWrapWord}
	v.cancel = widget.NewButton(i18n.T("recovery.cancel"), func() {
		if v.stop != nil {
			v.stop()
		}
	})
	v.cancel.Hide()

	body := container.NewVBox(
		container.NewHBox(widget.NewIcon(theme.WarningIcon()), title),
		what, kept,
		widget.NewSeparator(),
		widget.NewLabel(i18n.T("recovery.choose")),
	)
	body.Objects = append(body.Objects, ways...)
	body.Objects = append(body.Objects, v.bar, v.status, v.cancel, widget.NewSeparator(),
		container.NewHBox(details, quit))
	// A column of readable width in the middle of the window.
	v.content = container.NewCenter(container.NewGridWrap(fyne.NewSize(560, body.MinSize().Height+40), container.NewPadded(body)))
	return v
}

// Content is the view's root object.
func (v *View) Content() fyne.CanvasObject { return v.content }

func (v *View) restoreNewest() {
	v.run(i18n.T("recovery.working.newest"), false, func(ctx context.Context) error {
		b, err := store.RestoreNewestBackup(ctx, v.opts.DataFile)
		if err == nil {
			v.Restored = b.Path
		}
		return err
	})
}

func (v *View) fromServer() {
	v.run(i18n.T("recovery.working.server"), true, func(ctx context.Context) error {
		v.Restored = ""
		return v.opts.FromServer(ctx, v.opts.DataFile)
	})
}

func (v *View) chooseFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		v.RestoreFile(path)
	}, v.opts.Window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".db"}))
	if l, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(v.opts.DataFile))); err == nil {
		d.SetLocation(l)
	}
	d.Show()
}

// RestoreFile checks the backup at path and restores it (the "choose a
// backup file" way, after the file dialog).
func (v *View) RestoreFile(path string) {
	v.run(i18n.T("recovery.working.file"), false, func(ctx context.Context) error {
		// Restore checks the file first and keeps the damaged one.
		if err := store.Restore(ctx, path, v.opts.DataFile); err != nil {
			return err
		}
		v.Restored = path
		return nil
	})
}

// run does work off the UI goroutine with the ways back disabled, then
// either calls Done or says why it failed, in the operator's words, with
// SQLite's or the network's words kept for the details.
func (v *View) run(what string, cancellable bool, work func(ctx context.Context) error) {
	ctx, cancel := context.WithCancel(context.Background())
	v.stop = cancel
	for _, b := range v.buttons {
		b.Disable()
	}
	v.status.SetText(what)
	v.bar.Show()
	v.bar.Start()
	if cancellable {
		v.cancel.Show()
	}
	v.opts.Run.Go(func() {
		err := work(ctx)
		cancel()
		v.opts.Run.Do(func() {
			v.bar.Stop()
			v.bar.Hide()
			v.cancel.Hide()
			for _, b := range v.buttons {
				b.Enable()
			}
			if err != nil {
				text := i18n.T("recovery.failed")
				if errors.Is(err, context.Canceled) {
					text = i18n.T("recovery.cancelled")
				}
				v.status.SetText(text + "\n" + err.Error())
				return
			}
			v.status.SetText(i18n.T("recovery.done"))
			if v.opts.Done != nil {
				v.opts.Done()
			}
		})
	})
}
