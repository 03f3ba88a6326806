package trainees

import (
	"context"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

func TestDetailRecordsBNSPCertificateByHandBesideTheTrainingCertificate(t *testing.T) {
	// given a graduate with her training certificate
	st := newStore(t)
	h := harnessOn(t, st)
	tr, cert := graduateOne(t, st)
	h.s.ShowDetail(tr.ID)
	h.wait(t, h.s.shown, "detail view")

	// when the operator records her BNSP certificate with the expiry before the issue date
	add := findButton(h.s.deps.Window.Content(), i18n.T("bnsp.add"))
	if add == nil {
		t.Fatal("no way to record a BNSP certificate")
	}
	test.Tap(add)
	f := h.s.bnspForm
	test.Type(f.number, "LAS.0012345.2026")
	test.Type(f.scheme, "Juru Las 3G SMAW")
	test.Type(f.lsp, "LSP Pengelasan Indonesia")
	test.Type(f.issued, "12-11-2026")
	test.Type(f.expires, "12-11-2025")
	test.Tap(f.save)
	h.ui.Settle(t)
	// then it is refused beside the field and nothing is saved
	if f.form.Message("expires_on") == "" {
		t.Fatal("expiry before issue shows no problem")
	}
	if n := countCompetency(t, st); n != 0 {
		t.Fatalf("%d BNSP certificates saved from a refused form", n)
	}

	// when the expiry is corrected and Enter pressed in it (a date field
	// submits the form like every other field)
	f.expires.SetText("12-11-2029")
	f.expires.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.wait(t, h.changed, "BNSP certificate saved")
	h.wait(t, h.s.shown, "detail shown again")

	// then the detail shows both certificates, the BLK's and the BNSP's
	content := h.s.deps.Window.Content()
	if !hasLabel(content, cert.Number, "terbit 30-10-2026") {
		t.Error("the training certificate is missing")
	}
	if !hasLabel(content, i18n.T("bnsp.section")) || !hasLabel(content, "LAS.0012345.2026", "Juru Las 3G SMAW", "12-11-2026", "LSP Pengelasan Indonesia") ||
		!hasLabel(content, "berlaku sampai 12-11-2029") {
		t.Error("the BNSP certificate is missing from the detail")
	}
	if n := countCompetency(t, st); n != 1 {
		t.Fatalf("%d BNSP certificates saved, want 1", n)
	}
}

func TestBNSPImportFromTheTraineeScreenHoldsAnotherNameUntilTicked(t *testing.T) {
	st := newStore(t)
	h := harnessOn(t, st)
	ctx := context.Background()
	siti := &domain.Trainee{NIK: domain.MakeNIK("320101", born, true, 3), Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17"}
	budi := &domain.Trainee{NIK: domain.MakeNIK("320101", born, false, 4), Name: "Budi Santoso", Sex: "L", BirthDate: "2001-08-17"}
	for _, tr := range []*domain.Trainee{siti, budi} {
		if _, err := st.Save(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	f := excelize.NewFile()
	rows := [][]any{
		{"NIK", "Nama", "No. Sertifikat", "Skema", "Tanggal Terbit", "Berlaku Sampai"},
		{siti.NIK, "Siti Aminah", "JHT.01.2026", "Penjahit Pakaian", "2026-11-12", "2029-11-12"},
		{budi.NIK, "Bambang", "JHT.02.2026", "Penjahit Pakaian", "2026-11-12", "2029-11-12"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "lsp.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	if findButton(h.s.deps.Window.Content(), i18n.T("trainees.import.menu")) == nil {
		t.Fatal("the trainee screen has no import button")
	}
	if items := h.s.ImportMenu().Items; len(items) != 2 || items[1].Label != i18n.T("bnsp.import.menu") {
		t.Fatal("the trainee screen's import offers no BNSP import")
	}

	// when the LSP's list is imported
	h.s.ImportBNSP(path, nil)
	h.wait(t, h.changed, "import")
	rep := h.s.bnspReport
	if rep == nil || rep.Imported != 1 || rep.Held != 1 || countCompetency(t, st) != 1 {
		t.Fatalf("first import: %+v", rep)
	}
	// then the report offers to apply the held row; ticking it and applying records it on Budi
	overlay := h.s.deps.Window.Canvas().Overlays().Top()
	if !hasLabel(overlay, "1 ditahan") || !hasLabel(overlay, "Bambang", "Budi Santoso") {
		t.Fatal("the report does not say what was held and why")
	}
	tick := findCheck(overlay, i18n.T("bnsp.apply_row", "3"))
	apply := findButton(overlay, i18n.T("bnsp.apply_ticked"))
	if tick == nil || apply == nil {
		t.Fatal("no tick and apply for the held row")
	}
	test.Tap(tick)
	test.Tap(apply)
	h.wait(t, h.changed, "apply held")
	if rep := h.s.bnspReport; rep.Imported != 1 || rep.Unchanged != 1 || rep.Held != 0 || countCompetency(t, st) != 2 {
		t.Fatalf("after applying: %+v", rep)
	}
}

func countCompetency(t *testing.T, st *store.Store) int {
	t.Helper()
	n, err := st.Count(context.Background(), domain.LookupTable("competency_certificates"), store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
