package exchangeui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange/traineeimport"
	"github.com/kemnaker/blk/store"
)

func writeList(t *testing.T, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", ref, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "peserta-2.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func nameOf(t *testing.T, st *store.Store, nik string) string {
	t.Helper()
	ts, err := store.ListOf[*domain.Trainee](context.Background(), st, store.Query{Filters: []store.Filter{{Field: "nik", Value: nik}}})
	if err != nil || len(ts) != 1 {
		t.Fatalf("NIK %s: %v %v", nik, ts, err)
	}
	return ts[0].Name
}

func TestAHeldRowIsAppliedOnlyWhenTheOperatorTicksIt(t *testing.T) {
	ctx := context.Background()
	// given Budi and Siti registered, and a second list in which Budi's
	// NIK carries Rina's name and Siti's carries "Siti Aminah Putri"
	s, st := newScreen(t)
	budi := domain.MakeNIK("320101", time.Date(1995, 6, 1, 0, 0, 0, 0, time.UTC), false, 2)
	siti := domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, 1)
	for _, tr := range []*domain.Trainee{
		{NIK: budi, Name: "Budi Santoso", Sex: "L", BirthDate: "1995-06-01"},
		{NIK: siti, Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17"},
	} {
		if _, err := st.Save(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	picks.open = writeList(t, [][]any{{"NIK", "Nama", "L/P", "Tgl Lahir"},
		{budi, "Rina Marlina", "L", "01-06-1995"},
		{siti, "Siti Aminah Putri", "P", "17-08-2001"}})

	// when the file is previewed
	tap(t, findButton(t, s.Content(), "Pilih file…"))
	// then both rows are held, both names are shown, and the summary says so
	rep := s.Report()
	if rep == nil || rep.Held != 2 {
		t.Fatalf("preview %+v", rep)
	}
	if r := rep.Rows[0]; r.Status != traineeimport.RowHeld || !strings.Contains(strings.Join(r.Reasons, " "), "«Budi Santoso», di file «Rina Marlina»") {
		t.Fatalf("row 2: %+v", r)
	}
	if !strings.Contains(s.summary.Text, "2 baris ditahan") || !strings.Contains(s.summary.Text, "0 dicentang") {
		t.Fatalf("summary %q", s.summary.Text)
	}

	// when the operator opens Siti's row and ticks it (her full name), then imports
	s.showRow(rep.Rows[1])
	s.SetApply(3, true)
	if got := s.statusText(rep.Rows[1]); got != "ditahan → diterapkan" {
		t.Fatalf("ticked row shows %q", got)
	}
	tap(t, s.importBtn)

	// then Siti's name is completed, Budi is untouched and still named
	if got := nameOf(t, st, siti); got != "Siti Aminah Putri" {
		t.Errorf("Siti's ticked row not applied: %q", got)
	}
	if got := nameOf(t, st, budi); got != "Budi Santoso" {
		t.Errorf("Budi became %q", got)
	}
	if rep := s.Report(); rep.Held != 1 || rep.Rows[0].Status != traineeimport.RowHeld || !rep.Rows[1].Applied {
		t.Errorf("after import: %+v", rep)
	}
	if s.refusedBtn.Disabled() {
		t.Error("the held row cannot be saved to mend")
	}
}

func TestTheTemplateIsOfferedAndSavedWhereTheOperatorFindsIt(t *testing.T) {
	// given the import, as the Peserta screen's "Impor dari Excel" opens it
	s, _ := newScreen(t)
	imp := ShowImport(s.deps)
	picks.save = filepath.Join(t.TempDir(), "templat peserta.xlsx")
	// when the template is downloaded
	tap(t, findButton(t, imp.Content(), "Unduh templat Excel…"))
	// then it is a sheet with the import's headers
	f, err := excelize.OpenFile(picks.save)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if head, _ := f.GetRows("Peserta"); len(head) == 0 || head[0][0] != "NIK" {
		t.Fatalf("template rows %v", head)
	}
}
