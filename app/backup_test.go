package app

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// fileDialogStartsIn makes the next file dialog open in dir (Fyne starts
// where the last one was left).
func fileDialogStartsIn(dir string) {
	fyne.CurrentApp().Preferences().SetString("fyne:fileDialogLastFolder", storage.NewFileURI(dir).String())
}

// top is the topmost dialog's content.
func (h *harness) top(t *testing.T) fyne.CanvasObject {
	t.Helper()
	o := h.win.Canvas().Overlays().Top()
	if o == nil {
		t.Fatal("no dialog shows")
	}
	return o
}

func (h *harness) topText() string {
	o := h.win.Canvas().Overlays().Top()
	if o == nil {
		return ""
	}
	var b strings.Builder
	for _, obj := range test.LaidOutObjects(o) {
		switch x := obj.(type) {
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		case *widget.RichText:
			b.WriteString(x.String() + "\n")
		}
	}
	return b.String()
}

// buttonIn finds the button with text (or, for "", the dialog's confirm
// button: the one of high importance).
func buttonIn(o fyne.CanvasObject, text string) *widget.Button {
	for _, obj := range test.LaidOutObjects(o) {
		if b, ok := obj.(*widget.Button); ok && ((text != "" && b.Text == text) || (text == "" && b.Importance == widget.HighImportance)) {
			return b
		}
	}
	return nil
}

// saveAs types name into the file-save dialog on top and saves.
func (h *harness) saveAs(t *testing.T, name string) {
	t.Helper()
	dlg := h.top(t)
	for _, obj := range test.LaidOutObjects(dlg) {
		if e, ok := obj.(*widget.Entry); ok {
			e.SetText(name)
			test.Tap(buttonIn(dlg, ""))
			return
		}
	}
	t.Fatal("the save dialog has no file name box")
}

// open picks the file called name in the file-open dialog on top and opens it.
func (h *harness) open(t *testing.T, name string) {
	t.Helper()
	dlg := h.top(t)
	name = strings.TrimSuffix(name, filepath.Ext(name)) // the grid view hides extensions
	for _, obj := range test.LaidOutObjects(dlg) {
		item, ok := obj.(fyne.Tappable)
		if !ok || fmt.Sprintf("%T", obj) != "*dialog.fileDialogItem" {
			continue
		}
		for _, in := range test.LaidOutObjects(obj) {
			if l, ok := in.(*widget.Label); ok && l.Text == name {
				item.Tapped(&fyne.PointEvent{})
				test.Tap(buttonIn(dlg, ""))
				return
			}
		}
	}
	t.Fatalf("%s is not listed in the open dialog", name)
}

func saveTrainee(t *testing.T, st *store.Store, serial int, name string) {
	t.Helper()
	born := today.AddDate(-25, 0, 0)
	tr := &domain.Trainee{NIK: domain.MakeNIK("320101", born, false, serial), Name: name, Sex: "L", BirthDate: born.Format(domain.DateLayout)}
	if err := st.Write(context.Background(), func(tx *store.Tx) error { _, err := tx.Save(tr); return err }); err != nil {
		t.Fatal(err)
	}
}

func traineeNames(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM trainees WHERE deleted = 0 ORDER BY name`)
	if err != nil {
		t.Fatalf("%s is not a readable database: %v", path, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

func TestBackupAndRestoreFromSettings(t *testing.T) {
	ctx := context.Background()
	dataDir, backups := t.TempDir(), t.TempDir()
	dataFile := filepath.Join(dataDir, store.DefaultFile)
	st, err := store.Open(ctx, dataFile)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { st.Close() }()
	if _, err := st.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren", VillageCode: "3201011001"}); err != nil {
		t.Fatal(err)
	}
	saveTrainee(t, st, 1, "Siti Aminah")

	// given the settings screen, with file dialogs opening in the backup folder
	restarted := false
	h := newShell(t, st, Options{Restart: func() { restarted = true }}, "nav.settings")
	fileDialogStartsIn(backups)

	// when the operator makes a backup called cadangan.db
	test.Tap(buttonIn(h.shell.Current().Content(), i18n.T("settings.backup")))
	h.saveAs(t, "cadangan.db")
	h.settle(t, "backup done", func() bool { return strings.Contains(h.topText(), "cadangan.db") })

	// then it is a real SQLite file holding the data
	backup := filepath.Join(backups, "cadangan.db")
	if got := traineeNames(t, backup); strings.Join(got, ",") != "Siti Aminah" {
		t.Fatalf("backup holds %v", got)
	}
	h.win.Canvas().Overlays().Remove(h.top(t))

	// when a trainee is added afterwards, and the backup is restored
	saveTrainee(t, st, 2, "Budi Santoso")
	test.Tap(buttonIn(h.shell.Current().Content(), i18n.T("settings.restore")))
	h.open(t, "cadangan.db")
	h.settle(t, "restore asks first", func() bool {
		return buttonIn(h.win.Canvas().Overlays().Top(), i18n.T("settings.restore.confirm")) != nil
	})
	if restarted || h.shell.opts.Prefs.String(PrefPendingRestore) != "" {
		t.Fatal("restore started before it was confirmed")
	}
	test.Tap(buttonIn(h.top(t), i18n.T("settings.restore.confirm")))

	// then the app restarts, and on the way up the data is the backup's
	if !restarted || h.shell.opts.Prefs.String(PrefPendingRestore) != backup {
		t.Fatalf("after confirming: restarted %v, pending %q", restarted, h.shell.opts.Prefs.String(PrefPendingRestore))
	}
	st.Close()
	if err := PendingRestore(ctx, h.shell.opts.Prefs, dataFile); err != nil {
		t.Fatal(err)
	}
	if h.shell.opts.Prefs.String(PrefPendingRestore) != "" {
		t.Fatal("the restore request is still pending after it ran")
	}
	st, err = store.Open(ctx, dataFile)
	if err != nil {
		t.Fatal(err)
	}
	h2 := newShell(t, st, Options{}, "nav.trainees")
	h2.settle(t, "the trainee list shows the restored trainee", func() bool { return strings.Contains(h2.markup(), "Siti Aminah") })
	if strings.Contains(h2.markup(), "Budi Santoso") {
		t.Fatal("the trainee added after the backup is still listed")
	}
}

func TestRestoringAFileThatIsNotABackupSaysSoAndChangesNothing(t *testing.T) {
	// given a centre with one trainee and a text file named like a backup
	st := openStore(t, true)
	saveTrainee(t, st, 1, "Siti Aminah")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bukan-cadangan.db"), []byte("ini bukan database\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	restarted := false
	h := newShell(t, st, Options{Restart: func() { restarted = true }}, "nav.settings")
	fileDialogStartsIn(dir)

	// when the operator restores from it
	test.Tap(buttonIn(h.shell.Current().Content(), i18n.T("settings.restore")))
	h.open(t, "bukan-cadangan.db")

	// then an error names the file and says it is not a backup; nothing is pending, the data stays
	h.settle(t, "an error", func() bool { return strings.Contains(h.topText(), "not a BLK Komunitas backup") })
	if !strings.Contains(h.topText(), "bukan-cadangan.db") {
		t.Fatalf("error does not name the file: %q", h.topText())
	}
	if restarted || h.shell.opts.Prefs.String(PrefPendingRestore) != "" {
		t.Fatalf("restarted %v, pending %q", restarted, h.shell.opts.Prefs.String(PrefPendingRestore))
	}
	if buttonIn(h.top(t), i18n.T("settings.restore.confirm")) != nil {
		t.Fatal("a file that is not a backup is offered for restore")
	}
	ts, err := st.SearchTrainees(context.Background(), store.TraineeQuery{})
	if err != nil || len(ts) != 1 || ts[0].Name != "Siti Aminah" {
		t.Fatalf("data after the refused restore: %v (%v)", ts, err)
	}
}

func TestAnAutomaticBackupIsListedInSettingsAndRestoredFromThere(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	dataFile := filepath.Join(dataDir, store.DefaultFile)
	st, err := store.Open(ctx, dataFile)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { st.Close() }()
	if _, err := st.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren", VillageCode: "3201011001"}); err != nil {
		t.Fatal(err)
	}
	saveTrainee(t, st, 1, "Siti Aminah")
	// given the day's automatic backup, and a trainee added after it
	b, err := st.AutoBackup(ctx, store.BackupDaily)
	if err != nil {
		t.Fatal(err)
	}
	saveTrainee(t, st, 2, "Budi Santoso")

	// when the operator opens Settings
	restarted := false
	h := newShell(t, st, Options{DataDir: dataDir, Restart: func() { restarted = true }}, "nav.settings")
	row := b.At.Local().Format("02-01-2006 15:04") + " · " + i18n.T("settings.auto.reason.daily")
	h.settle(t, "the backup is listed", func() bool { return strings.Contains(h.markup(), row) })

	// and restores it, and confirms
	var restore *widget.Button
	for _, o := range test.LaidOutObjects(h.shell.Current().Content()) {
		if x, ok := o.(*widget.Button); ok && x.Text == i18n.T("settings.auto.restore") && x.OnTapped != nil {
			restore = x
		}
	}
	if restore == nil {
		t.Fatal("no restore button on the backup's row")
	}
	test.Tap(restore)
	h.settle(t, "restore asks first", func() bool {
		return buttonIn(h.win.Canvas().Overlays().Top(), i18n.T("settings.restore.confirm")) != nil
	})
	if restarted {
		t.Fatal("restarted before the operator confirmed")
	}
	test.Tap(buttonIn(h.top(t), i18n.T("settings.restore.confirm")))

	// then on the way up the data is the backup's
	if !restarted || h.shell.opts.Prefs.String(PrefPendingRestore) != b.Path {
		t.Fatalf("after confirming: restarted %v, pending %q", restarted, h.shell.opts.Prefs.String(PrefPendingRestore))
	}
	st.Close()
	if err := PendingRestore(ctx, h.shell.opts.Prefs, dataFile); err != nil {
		t.Fatal(err)
	}
	if got := traineeNames(t, dataFile); strings.Join(got, ",") != "Siti Aminah" {
		t.Fatalf("after the restore the trainees are %v", got)
	}
}
