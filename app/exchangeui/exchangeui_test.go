package exchangeui

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

var today = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// picks answers the next file dialogs: a path to open, a path to save to.
var picks struct{ open, save string }

func TestMain(m *testing.M) {
	// File dialogs are answered from picks.
	chooseOpen = func(_ fyne.Window, _ []string, pick func(string)) { pick(picks.open) }
	chooseSave = func(_ fyne.Window, _ string, pick func(io.WriteCloser, fyne.URI)) {
		uri := storage.NewFileURI(picks.save)
		w, err := storage.Writer(uri)
		if err != nil {
			panic(err)
		}
		pick(w, uri)
	}
	os.Exit(m.Run())
}

func newScreen(t *testing.T) (*Screen, *store.Store) {
	t.Helper()
	ctx := context.Background()
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = func() time.Time { return today }
	if _, err := st.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren", VillageCode: "3201011001"}); err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	ui = uitest.NewRunner()
	s := New(screen.Deps{Window: w, Changed: func() {}, Run: ui, Now: st.Now}, st)
	w.SetContent(s.Content())
	w.Resize(fyne.NewSize(1100, 700))
	s.Update(ctx)
	ui.Settle(t)
	return s, st
}

func countTrainees(t *testing.T, st *store.Store) int {
	t.Helper()
	n, err := st.Count(context.Background(), domain.LookupTable("trainees"), store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportShowsPreviewBeforeSavingAndOffersTheRefusedRows(t *testing.T) {
	// given a list with two good rows and one with a bad phone
	s, st := newScreen(t)
	f := excelize.NewFile()
	rows := [][]any{{"NIK", "Nama", "L/P", "Tgl Lahir", "No HP"},
		{domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, 1), "Siti Aminah", "P", "17/08/2001", "0812 3456 7890"},
		{domain.MakeNIK("320101", time.Date(1999, 1, 2, 0, 0, 0, 0, time.UTC), false, 2), "Ahmad Fauzi", "L", "02/01/1999", "0813 1111 2222"},
		{domain.MakeNIK("320101", time.Date(1998, 1, 2, 0, 0, 0, 0, time.UTC), false, 3), "Agus Salim", "L", "02/01/1998", "12345"}}
	for i, r := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", ref, &r); err != nil {
			t.Fatal(err)
		}
	}
	picks.open = filepath.Join(t.TempDir(), "peserta.xlsx")
	if err := f.SaveAs(picks.open); err != nil {
		t.Fatal(err)
	}

	// when the file is chosen
	tap(t, findButton(t, s.Content(), "Pilih file…"))
	// then the preview lists every row and nothing is saved yet
	if rep := s.Report(); rep == nil || !rep.Preview || len(rep.Rows) != 3 || rep.Refused != 1 {
		t.Fatalf("preview %+v", rep)
	}
	if n := countTrainees(t, st); n != 0 || s.importBtn.Disabled() || !strings.Contains(s.summary.Text, "pratinjau") {
		t.Fatalf("%d trainees saved by the preview; import button disabled %v; summary %q", n, s.importBtn.Disabled(), s.summary.Text)
	}

	// when Import is pressed
	tap(t, s.importBtn)
	// then the good rows are saved and the button waits for the next file
	if n := countTrainees(t, st); n != 2 || s.Report().Preview || !s.importBtn.Disabled() {
		t.Fatalf("%d trainees after import (want 2), report preview %v", n, s.Report().Preview)
	}

	// when the refused rows are saved
	picks.save = filepath.Join(t.TempDir(), "ditolak.xlsx")
	tap(t, s.refusedBtn)
	// then the file holds the refused row and its reason
	out, err := excelize.OpenFile(picks.save)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	got, _ := out.GetRows(out.GetSheetList()[0])
	if len(got) != 2 || got[1][1] != "Agus Salim" || !strings.Contains(got[1][5], "nomor HP tidak valid") {
		t.Errorf("refusal report %q", got)
	}
}

func TestExportAndDocumentsAreWrittenToTheChosenFile(t *testing.T) {
	ctx := context.Background()
	// given a completed cohort with one graduate
	s, st := newScreen(t)
	p := &domain.Programme{Name: "Menjahit Dasar", FieldCode: "JHT", TotalJP: 160, MinutesPerJP: 45}
	if _, err := st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 1, StartDate: "2026-01-05", EndDate: "2026-02-27", Quota: 16, Status: domain.CohortCompleted}
	tr := &domain.Trainee{NIK: domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, 1), Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17"}
	for _, r := range []domain.Record{c, tr} {
		if _, err := st.Save(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Save(ctx, &domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, CompletedOn: "2026-02-27", CertificateNo: "001/2026"}); err != nil {
		t.Fatal(err)
	}
	s.Update(ctx)
	ui.Settle(t)

	// when the trainee list is exported to xlsx
	picks.save = filepath.Join(t.TempDir(), "peserta.xlsx")
	tap(t, findButton(t, s.Content(), "Excel (.xlsx)…"))
	// then the file is a workbook with the trainee in it
	f, err := excelize.OpenFile(picks.save)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Peserta")
	f.Close()
	if len(rows) != 2 || rows[1][3] != "Siti Aminah" {
		t.Errorf("exported rows %q", rows)
	}

	// when the cohort is chosen and its certificates and report are printed
	if len(s.cohort.Options) != 1 {
		t.Fatalf("cohort options %q", s.cohort.Options)
	}
	s.cohort.SetSelectedIndex(0)
	ui.Settle(t)
	if len(s.trainee.Options) != 2 {
		t.Fatalf("certificate choices %q, want all + Siti", s.trainee.Options)
	}
	for _, label := range []string{"Sertifikat…", "Laporan pelaksanaan…", "Rekap tahunan…"} {
		picks.save = filepath.Join(t.TempDir(), "doc.pdf")
		tap(t, findButton(t, s.Content(), label))
		// then each is a PDF in the chosen file
		data, err := os.ReadFile(picks.save)
		if err != nil || !bytes.HasPrefix(data, []byte("%PDF")) {
			t.Errorf("%s: %v, %d bytes", label, err, len(data))
		}
	}
}

// findButton finds a button by its text anywhere under o (all tabs).
func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil || o == nil {
			return
		}
		switch x := o.(type) {
		case *widget.Button:
			if x.Text == text {
				found = x
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case *container.AppTabs:
			for _, it := range x.Items {
				walk(it.Content)
			}
		case *widget.Card:
			walk(x.Content)
		case *widget.Form:
			for _, it := range x.Items {
				walk(it.Widget)
			}
		}
	}
	walk(o)
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

// ui runs the screen's work as the app would: on goroutines of its own, with
// UI work run on the test goroutine by Settle (see uitest).
var ui *uitest.Runner

// tap taps o and lets the work it started finish.
func tap(t *testing.T, o fyne.Tappable) {
	t.Helper()
	test.Tap(o)
	ui.Settle(t)
}
