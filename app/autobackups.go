package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/store"
)

// autoBackups is Settings' list of the automatic backups (store.AutoBackup:
// one a day while the app is used, one before every import, restore and
// migration), newest first, each with a button that restores it through
// the same confirmation and restart as a chosen file.
type autoBackups struct {
	st    *settingsScreen
	head  fyne.CanvasObject
	list  *widget.List
	empty *widget.Label
	items []store.BackupFile
}

func newAutoBackups(st *settingsScreen) *autoBackups {
	a := &autoBackups{st: st}
	title := &widget.Label{Text: i18n.T("settings.auto.title"), TextStyle: fyne.TextStyle{Bold: true}}
	a.empty = &widget.Label{Text: i18n.T("settings.auto.none"), Wrapping: fyne.TextWrapWord}
	a.empty.Hide()
	a.head = container.NewVBox(widget.NewSeparator(), title, a.empty)
	a.list = widget.NewList(
		func() int { return len(a.items) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil,
				widget.NewButtonWithIcon(i18n.T("settings.auto.restore"), theme.HistoryIcon(), nil),
				widget.NewLabel(""))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(a.items) {
				return
			}
			b := a.items[id]
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Label).SetText(backupLine(b))
			row.Objects[1].(*widget.Button).OnTapped = func() { a.restore(b) }
		})
	a.reload()
	return a
}

// reasonKey is the text of each reason an automatic backup is made for.
var reasonKey = map[string]string{
	store.BackupDaily:           "settings.auto.reason.daily",
	store.BackupBeforeImport:    "settings.auto.reason.before-import",
	store.BackupBeforeRestore:   "settings.auto.reason.before-restore",
	store.BackupBeforeMigration: "settings.auto.reason.before-migration",
}

// backupLine is one row: when, why and how big.
func backupLine(b store.BackupFile) string {
	return fmt.Sprintf("%s · %s · %s",
		b.At.Local().Format("02-01-2006 15:04"),
		i18n.T(reasonKey[b.Reason]),
		i18n.T("settings.auto.size", i18n.N((b.Size+1<<20-1)>>20)))
}

// reload lists the backups off the UI goroutine.
func (a *autoBackups) reload() {
	dir := a.st.shell.opts.DataDir
	a.st.deps.Go(func() {
		items, err := store.ListBackups(dir)
		a.st.deps.Do(func() {
			if err != nil {
				screen.ShowError(a.st.deps.Window, err)
				return
			}
			a.items = items
			if len(items) == 0 {
				a.empty.Show()
			} else {
				a.empty.Hide()
			}
			a.list.Refresh()
		})
	})
}

// restore checks the backup, then asks as for a chosen file.
func (a *autoBackups) restore(b store.BackupFile) {
	screen.RunLong(a.st.deps.Run, a.st.deps.Window, i18n.T("settings.restore"), func(ctx context.Context, _ screen.Progress) error {
		return store.CheckBackup(ctx, b.Path)
	}, func(err error) {
		if err != nil {
			screen.ShowError(a.st.deps.Window, err)
			return
		}
		a.st.confirmRestore(b.Path)
	})
}
