package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/files"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// settingsStore is what Settings reads and writes: the centre's profile
// and the operator's name (meta MetaOperator, the one meta key it touches),
// and a backup on demand. The shell's store satisfies it; like the screen
// packages, Settings goes through this and not the shell's *store.Store,
// though it lives in the shell's package (restore and the language switch
// restart the shell).
type settingsStore interface {
	Centre(ctx context.Context) (*domain.Centre, error)
	Save(ctx context.Context, rec domain.Record) (domain.Problems, error)
	Rules() domain.Rules
	Meta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, key, value string) error
	Backup(ctx context.Context, dst string) error
}

// settingsScreen is Pengaturan: language, theme, data folder, backup and
// restore.
type settingsScreen struct {
	shell   *Shell
	st      settingsStore
	deps    screen.Deps
	obj     fyne.CanvasObject
	lang    *widget.RadioGroup
	theme   *widget.RadioGroup
	auto    *autoBackups
	profile *profileForm
	tabs    *container.AppTabs
}

func newSettings(s *Shell, d screen.Deps) *settingsScreen {
	st := &settingsScreen{shell: s, st: s.opts.Store, deps: d}
	langs := []string{"Bahasa Indonesia", "English"}
	st.lang = widget.NewRadioGroup(langs, nil)
	st.lang.Horizontal = true
	if i18n.Lang() == domain.English {
		st.lang.SetSelected(langs[1])
	} else {
		st.lang.SetSelected(langs[0])
	}
	st.lang.OnChanged = func(v string) {
		l := domain.Indonesian
		if v == langs[1] {
			l = domain.English
		}
		if l != i18n.Lang() {
			s.SetLang(l)
		}
	}
	themes := []string{i18n.T("settings.theme.system"), i18n.T("settings.theme.light"), i18n.T("settings.theme.dark")}
	codes := []string{"", "light", "dark"}
	st.theme = widget.NewRadioGroup(themes, nil)
	st.theme.Horizontal = true
	cur := s.opts.Prefs.String(PrefTheme)
	for i, c := range codes {
		if c == cur {
			st.theme.SetSelected(themes[i])
		}
	}
	st.theme.OnChanged = func(v string) {
		for i, t := range themes {
			if t == v {
				s.opts.Prefs.SetString(PrefTheme, codes[i])
				ApplyTheme(s.opts.Settings, codes[i])
			}
		}
	}
	folder := &widget.Label{Text: s.opts.DataDir, Wrapping: fyne.TextWrapBreak, Selectable: true}
	backup := widget.NewButtonWithIcon(i18n.T("settings.backup"), theme.DocumentSaveIcon(), st.backup)
	restore := widget.NewButtonWithIcon(i18n.T("settings.restore"), theme.UploadIcon(), st.restore)
	form := widget.NewForm(
		widget.NewFormItem(i18n.T("settings.language"), st.lang),
		widget.NewFormItem(i18n.T("settings.theme"), st.theme),
		widget.NewFormItem(i18n.T("settings.folder"), folder),
		widget.NewFormItem(i18n.T("settings.backups"), container.NewHBox(backup, restore)),
	)
	if about := aboutItem(fyne.CurrentApp().Metadata().Version); about != nil {
		form.AppendItem(about)
	}
	note := &widget.Label{Text: i18n.T("settings.backup.note"), Wrapping: fyne.TextWrapWord}
	head := &widget.Label{Text: i18n.T("nav.settings"), TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	st.auto = newAutoBackups(st)
	general := container.NewBorder(container.NewVBox(form, widget.NewSeparator(), note, st.auto.head), nil, nil, nil, st.auto.list)
	// The centre profile has a tab of its own: the general tab's backup
	// list fills its height, and the profile form needs to scroll.
	st.profile = newProfileForm(s, st.st)
	scroll := container.NewVScroll(st.profile.Object())
	st.profile.resized = scroll.Refresh
	st.tabs = container.NewAppTabs(
		container.NewTabItem(i18n.T("settings.tab.general"), general),
		container.NewTabItem(i18n.T("profile.title"), scroll),
	)
	st.obj = container.NewBorder(head, nil, nil, nil, st.tabs)
	return st
}

// aboutItem is the "Tentang" row: the version from FyneApp.toml, which
// cmd/blk puts in the app's metadata. Test apps have none and show no row.
func aboutItem(version string) *widget.FormItem {
	if version == "" {
		return nil
	}
	return widget.NewFormItem(i18n.T("settings.about"),
		&widget.Label{Text: i18n.T("settings.about.version", version), Selectable: true})
}

func (st *settingsScreen) Content() fyne.CanvasObject { return st.obj }
func (st *settingsScreen) Update(ctx context.Context) {
	st.auto.reload()
	st.profile.Load()
}

// backup asks where to save, then writes a consistent copy (VACUUM INTO)
// behind a progress dialog.
func (st *settingsScreen) backup() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			screen.ShowError(st.deps.Window, err)
			return
		}
		path := w.URI().Path()
		w.Close()
		// The dialog creates the file; the backup must write a new one.
		os.Remove(path)
		screen.RunLong(st.deps.Run, st.deps.Window, i18n.T("settings.backup"), func(ctx context.Context, _ screen.Progress) error {
			return st.st.Backup(ctx, path)
		}, func(err error) {
			if err != nil {
				screen.ShowError(st.deps.Window, err)
				return
			}
			files.ShowSaved(st.deps.Window, i18n.T("settings.backup"), storage.NewFileURI(path))
		})
	}, st.deps.Window)
	d.SetFileName(fmt.Sprintf("blk-backup-%s.db", time.Now().Format("2006-01-02-1504")))
	d.SetFilter(storage.NewExtensionFileFilter([]string{".db"}))
	files.StartIn(d)
	d.Show()
}

// restore checks the chosen backup, then asks to restart: the database is
// replaced on the next start, before anything opens it.
func (st *settingsScreen) restore() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			screen.ShowError(st.deps.Window, err)
			return
		}
		path := r.URI().Path()
		r.Close()
		screen.RunLong(st.deps.Run, st.deps.Window, i18n.T("settings.restore"), func(ctx context.Context, _ screen.Progress) error {
			return store.CheckBackup(ctx, path)
		}, func(err error) {
			if err != nil {
				screen.ShowError(st.deps.Window, err)
				return
			}
			st.confirmRestore(path)
		})
	}, st.deps.Window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".db"}))
	files.StartIn(d)
	d.Show()
}

// confirmRestore asks whether to replace the data with the checked backup
// at path, then restarts: the database is replaced on the next start.
func (st *settingsScreen) confirmRestore(path string) {
	d := dialog.NewConfirm(i18n.T("settings.restore"), i18n.T("settings.restore.ask", filepath.Base(path)), func(ok bool) {
		if !ok {
			return
		}
		st.shell.opts.Prefs.SetString(PrefPendingRestore, path)
		if st.shell.opts.Restart != nil {
			st.shell.opts.Restart()
			return
		}
		dialog.ShowInformation(i18n.T("settings.restore"), i18n.T("settings.restore.close"), st.deps.Window)
	}, st.deps.Window)
	d.SetConfirmText(i18n.T("settings.restore.confirm"))
	d.SetDismissText(i18n.T("common.cancel"))
	d.Show()
}

// PendingRestore performs a restore chosen in Settings, before the store is
// opened: it replaces dataFile with the backup and forgets the request.
func PendingRestore(ctx context.Context, prefs fyne.Preferences, dataFile string) error {
	src := prefs.String(PrefPendingRestore)
	if src == "" {
		return nil
	}
	prefs.RemoveValue(PrefPendingRestore)
	if err := store.Restore(ctx, src, dataFile); err != nil {
		return fmt.Errorf("restore from %s: %w", src, err)
	}
	return nil
}
