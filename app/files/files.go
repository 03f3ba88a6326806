// Package files is where the desktop's file dialogs start and what they
// say after saving: save and open dialogs open in a "BLK Komunitas"
// folder under the user's Documents (until the operator picks another), and a saved file is announced with
// its folder and a "Buka folder" button, so operators find what they
// saved. It also gives Fyne's own dialog texts (Save, Cancel, Folder…) in
// the app's language through Fyne's lang API. No store, no screens.
package files

import (
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
)

// FolderName is the folder the app keeps the operator's files in.
const FolderName = "BLK Komunitas"

// Home is the user's home folder; a seam for tests.
var Home = os.UserHomeDir

// Folder is Documents/BLK Komunitas, made if missing. Where there is no
// Documents folder it is made under the home folder; "" when neither can
// be written (the dialog then starts where Fyne starts it).
func Folder() string {
	home, err := Home()
	if err != nil || home == "" {
		return ""
	}
	docs := filepath.Join(home, "Documents")
	if fi, err := os.Stat(docs); err != nil || !fi.IsDir() {
		docs = home
	}
	dir := filepath.Join(docs, FolderName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ""
	}
	return dir
}

// lastFolderPref is where Fyne's file dialog remembers the folder it was
// last used in.
const lastFolderPref = "fyne:fileDialogLastFolder"

// StartIn makes a file dialog open in Folder, unless the operator has
// already chosen another folder in a file dialog (Fyne remembers it): a
// folder someone picked on purpose is where they look next.
func StartIn(d interface{ SetLocation(fyne.ListableURI) }) {
	if a := fyne.CurrentApp(); a != nil {
		if last := a.Preferences().String(lastFolderPref); last != "" {
			if u, err := storage.ParseURI(last); err == nil {
				if ok, err := storage.CanList(u); err == nil && ok {
					return
				}
			}
		}
	}
	dir := Folder()
	if dir == "" {
		return
	}
	if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
		d.SetLocation(l)
	}
}

// ShowSaved tells the operator where a file went: its name and folder,
// with a button that opens the folder.
func ShowSaved(win fyne.Window, title string, uri fyne.URI) {
	dir := filepath.Dir(uri.Path())
	text := &widget.Label{Text: i18n.T("files.saved", uri.Name(), dir), Wrapping: fyne.TextWrapWord}
	var d dialog.Dialog
	open := widget.NewButton(i18n.T("files.open_folder"), func() {
		OpenFolder(dir)
		d.Hide()
	})
	open.Importance = widget.HighImportance
	closeBtn := widget.NewButton(i18n.T("common.close"), func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons(title, container.NewVBox(text, container.NewCenter(container.NewHBox(open, closeBtn))), win)
	d.Resize(fyne.NewSize(520, 180))
	d.Show()
}

// OpenFolder shows a folder in the system's file manager; a seam for tests.
var OpenFolder = func(dir string) {
	u := storage.NewFileURI(dir)
	if a := fyne.CurrentApp(); a != nil {
		if pu, err := urlOf(u); err == nil {
			_ = a.OpenURL(pu)
		}
	}
}
