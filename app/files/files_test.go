package files_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/files"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
)

func TestDialogsStartInTheCentresFolderUnderDocuments(t *testing.T) {
	// given a home with a Documents folder
	home := t.TempDir()
	if err := os.Mkdir(filepath.Join(home, "Documents"), 0o755); err != nil {
		t.Fatal(err)
	}
	files.Home = func() (string, error) { return home, nil }
	t.Cleanup(func() { files.Home = os.UserHomeDir })
	// when a save dialog is prepared
	test.NewTempApp(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	d := dialog.NewFileSave(func(fyne.URIWriteCloser, error) {}, w)
	files.StartIn(d)
	// then the folder exists and is Documents/BLK Komunitas
	want := filepath.Join(home, "Documents", "BLK Komunitas")
	if fi, err := os.Stat(want); err != nil || !fi.IsDir() || files.Folder() != want {
		t.Fatalf("folder %q (%v), want %q", files.Folder(), err, want)
	}
}

func TestTheSavedMessageNamesTheFolderAndOpensIt(t *testing.T) {
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	w.Resize(fyne.NewSize(800, 600))
	var opened string
	files.OpenFolder = func(dir string) { opened = dir }
	dir := t.TempDir()
	files.ShowSaved(w, "Tersimpan", storage.NewFileURI(filepath.Join(dir, "peserta.xlsx")))
	// the dialog says the file and the folder, and its button opens the folder
	var text string
	var open *widget.Button
	walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			text += x.Text
		case *widget.Button:
			if x.Text == "Buka folder" {
				open = x
			}
		}
	})
	if !strings.Contains(text, "peserta.xlsx disimpan di folder "+dir) || open == nil {
		t.Fatalf("dialog text %q, button %v", text, open)
	}
	test.Tap(open)
	if opened != dir {
		t.Fatalf("opened %q, want %q", opened, dir)
	}
}

func TestFynesOwnTextsSpeakTheAppsLanguage(t *testing.T) {
	if err := files.UseLanguage(domain.Indonesian); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("Cancel"); got != "Batal" {
		t.Errorf("Cancel is %q in Indonesian", got)
	}
	if got := lang.L("Save") + " " + lang.L("File"); got != "Simpan File" {
		t.Errorf("the save dialog's title is %q", got)
	}
	if err := files.UseLanguage(domain.English); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("Cancel"); got != "Cancel" {
		t.Errorf("Cancel is %q after switching to English", got)
	}
}

func walk(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	f(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, f)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(x)
		for _, c := range r.Objects() {
			walk(c, f)
		}
	}
}
