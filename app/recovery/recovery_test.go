package recovery

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// emptiedPC makes a data folder whose database held one trainee and one
// automatic backup, and then was emptied to 0 bytes (the third case of
// issue 10's D6); it returns the database path and Open's DamagedError.
func emptiedPC(t *testing.T) (string, *store.DamagedError) {
	t.Helper()
	ctx := context.Background()
	dataFile := filepath.Join(t.TempDir(), store.DefaultFile)
	st, err := store.Open(ctx, dataFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren", VillageCode: "3201011001"}); err != nil {
		t.Fatal(err)
	}
	born := time.Now().AddDate(-25, 0, 0)
	tr := &domain.Trainee{NIK: domain.MakeNIK("320101", born, false, 1), Name: "Siti Aminah", Sex: "P", BirthDate: born.Format(domain.DateLayout)}
	if err := st.Write(ctx, func(tx *store.Tx) error { _, err := tx.Save(tr); return err }); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AutoBackup(ctx, store.BackupDaily); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if err := os.Truncate(dataFile, 0); err != nil {
		t.Fatal(err)
	}
	_, err = store.Open(ctx, dataFile)
	d, ok := store.IsDamaged(err)
	if !ok {
		t.Fatalf("an emptied database opened: %v", err)
	}
	return dataFile, d
}

type harness struct {
	win  fyne.Window
	ui   *uitest.Runner
	v    *View
	done bool
}

func newHarness(t *testing.T, o Options) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	h := &harness{ui: uitest.NewRunner()}
	h.win = a.NewWindow("blk")
	h.win.Resize(fyne.NewSize(1000, 680))
	o.Window = h.win
	o.Done = func() { h.done = true }
	o.Run = h.ui
	h.v = New(o)
	h.win.SetContent(h.v.Content())
	return h
}

// settle runs the UI work the view queued until cond holds.
func (h *harness) settle(t *testing.T, what string, cond func() bool) {
	t.Helper()
	h.ui.Until(t, what, cond)
}

func (h *harness) texts() string {
	var b strings.Builder
	for _, o := range test.LaidOutObjects(h.win.Content()) {
		switch x := o.(type) {
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		case *widget.Button:
			b.WriteString("[" + x.Text + "]\n")
		}
	}
	return b.String()
}

func (h *harness) button(t *testing.T, prefix string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(h.win.Content()) {
		if b, ok := o.(*widget.Button); ok && strings.HasPrefix(b.Text, prefix) {
			return b
		}
	}
	t.Fatalf("no button %q in:\n%s", prefix, h.texts())
	return nil
}

func TestAnEmptiedDatabaseIsRestoredFromTheNewestBackupInTheWindow(t *testing.T) {
	dataFile, d := emptiedPC(t)
	h := newHarness(t, Options{Damaged: d, DataFile: dataFile})

	// the window says what happened and that nothing was changed, and
	// offers the backup and a file; not the server, since this PC never
	// enrolled
	got := h.texts()
	for _, want := range []string{i18n.T("recovery.title"), i18n.T("cli.blk.damaged.emptied"), i18n.T("recovery.kept"), "[" + i18n.T("recovery.file") + "]"} {
		if !strings.Contains(got, want) {
			t.Errorf("the window lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, i18n.T("recovery.server")) {
		t.Errorf("a PC that never enrolled is offered the server:\n%s", got)
	}
	// the view fits a 1024×768 laptop
	if m := h.win.Content().MinSize(); m.Width > 1000 || m.Height > 680 {
		t.Errorf("the recovery view needs %v", m)
	}

	// when the operator restores the newest automatic backup
	test.Tap(h.button(t, strings.SplitN(i18n.T("recovery.newest", ""), "(", 2)[0]))
	h.settle(t, "the restore", func() bool { return h.done })

	// then the database opens with the trainee, and the emptied file is kept
	st, err := store.Open(context.Background(), dataFile)
	if err != nil {
		t.Fatalf("after the restore: %v", err)
	}
	defer st.Close()
	if n, err := st.Counts(context.Background()); err != nil || n["trainees"] != 1 {
		t.Fatalf("trainees after the restore: %v, %v", n, err)
	}
	if h.v.Restored != d.Backups[0].Path {
		t.Errorf("restored from %q, want the newest backup %q", h.v.Restored, d.Backups[0].Path)
	}
	kept, _ := filepath.Glob(dataFile + ".damaged-*")
	if len(kept) != 1 {
		t.Errorf("the emptied file was not kept beside the new one: %v", kept)
	}
}

func TestAFileThatIsNotABackupChangesNothingAndSaysSo(t *testing.T) {
	dataFile, d := emptiedPC(t)
	h := newHarness(t, Options{Damaged: d, DataFile: dataFile})
	notBackup := filepath.Join(t.TempDir(), "daftar.db")
	if err := os.WriteFile(notBackup, []byte("NIK,Nama\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// when the operator chooses a file that is not a backup
	h.v.RestoreFile(notBackup)
	h.settle(t, "the failure", func() bool { return strings.Contains(h.texts(), i18n.T("recovery.failed")) })

	// then nothing opened, the damaged file is as it was, and the ways back
	// can be tried again
	if h.done {
		t.Fatal("Done was called after a failed restore")
	}
	if fi, err := os.Stat(dataFile); err != nil || fi.Size() != 0 {
		t.Fatalf("the damaged file was touched: %v %v", fi, err)
	}
	if b := h.button(t, i18n.T("recovery.file")); b.Disabled() {
		t.Fatal("the ways back stay disabled after a failure")
	}
}

func TestAnEnrolledPCIsOfferedTheServerAndTheDownloadCanBeCancelled(t *testing.T) {
	dataFile, d := emptiedPC(t)
	d.Enrolled = true // as store reads it from identity.json
	started := make(chan struct{})
	h := newHarness(t, Options{Damaged: d, DataFile: dataFile, FromServer: func(ctx context.Context, _ string) error {
		close(started)
		<-ctx.Done() // a link that never answers
		return ctx.Err()
	}})
	test.Tap(h.button(t, i18n.T("recovery.server")))
	<-started
	cancel := h.button(t, i18n.T("recovery.cancel"))
	if !cancel.Visible() {
		t.Fatal("a download offers no cancel")
	}
	test.Tap(cancel)
	h.settle(t, "the cancel", func() bool { return strings.Contains(h.texts(), i18n.T("recovery.cancelled")) })
	if h.done {
		t.Fatal("a cancelled download counts as recovered")
	}
}
