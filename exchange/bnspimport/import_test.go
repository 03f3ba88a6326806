package bnspimport_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange/bnspimport"
	"github.com/kemnaker/blk/store"
)

var born = time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC)

func newStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) }
	if _, err := s.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren", VillageCode: "3201011001"}); err != nil {
		t.Fatal(err)
	}
	return s
}

// writeList writes an LSP's list as the LSP sends it: a title block, a
// header row, then the rows; a cell that is a float64 is stored as an
// Excel date number.
func writeList(t *testing.T, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	sh := f.GetSheetName(0)
	_ = f.SetCellValue(sh, "A1", "DAFTAR PEMEGANG SERTIFIKAT KOMPETENSI")
	_ = f.SetCellValue(sh, "A2", "LSP Pengelasan Indonesia")
	header := []any{"No", "NIK", "Nama Asesi", "Nomor Sertifikat", "Skema Sertifikasi", "Tanggal Terbit", "Masa Berlaku"}
	if err := f.SetSheetRow(sh, "A4", &header); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, 5+i)
		row := append([]any{i + 1}, r...)
		if err := f.SetSheetRow(sh, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "lsp.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportMatchesByNIKHoldsOtherNamesAndCountsHonestly(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	siti := &domain.Trainee{NIK: domain.MakeNIK("320101", born, true, 1), Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17"}
	budi := &domain.Trainee{NIK: domain.MakeNIK("320101", born, false, 2), Name: "Budi Santoso", Sex: "L", BirthDate: "2001-08-17"}
	rina := &domain.Trainee{NIK: domain.MakeNIK("320101", born, true, 3), Name: "Rina Wati", Sex: "P", BirthDate: "2001-08-17"}
	for _, tr := range []*domain.Trainee{siti, budi, rina} {
		if _, err := st.Save(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	unknown := domain.MakeNIK("320101", born, false, 9)
	path := writeList(t, [][]any{
		// line 5: Siti, her name as the LSP writes it (upper case, title): recorded
		{siti.NIK, "HJ. SITI AMINAH", "LAS.0012345.2026", "Juru Las 3G SMAW", "12-11-2026", "12-11-2029"},
		// line 6: Budi's NIK with another person's name: held back
		{budi.NIK, "Bambang Sutrisno", "LAS.0012346.2026", "Juru Las 3G SMAW", "12-11-2026", "12-11-2029"},
		// line 7: a NIK nobody here has: refused
		{unknown, "Joko", "LAS.0012347.2026", "Juru Las 3G SMAW", "12-11-2026", "12-11-2029"},
		// line 8: expiry before issue: refused by the domain
		{rina.NIK, "Rina Wati", "LAS.0012348.2026", "Juru Las 3G SMAW", "12-11-2026", "12-11-2025"},
		// line 9: a date that is no date: refused
		{rina.NIK, "Rina Wati", "LAS.0012349.2026", "Juru Las 3G SMAW", "kemarin", ""},
		// line 10: Rina again, dates as Excel day numbers (46338 = 12-11-2026): recorded
		{rina.NIK, "Rina Wati", "LAS.0012350.2026", "Juru Las 3G SMAW", 46338.0, 47434.0},
	})
	rep, err := bnspimport.Import(ctx, st, path, bnspimport.Options{Lang: domain.Indonesian})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]bnspimport.RowStatus{5: bnspimport.RowImported, 6: bnspimport.RowHeld, 7: bnspimport.RowRefused,
		8: bnspimport.RowRefused, 9: bnspimport.RowRefused, 10: bnspimport.RowImported}
	if len(rep.Rows) != len(want) {
		t.Fatalf("%d rows reported, want %d: %+v", len(rep.Rows), len(want), rep.Rows)
	}
	for _, r := range rep.Rows {
		if r.Status != want[r.Line] {
			t.Errorf("line %d: %s (%v), want %s", r.Line, r.Status, r.Reasons, want[r.Line])
		}
		if r.Status != bnspimport.RowImported && len(r.Reasons) == 0 {
			t.Errorf("line %d %s without a reason", r.Line, r.Status)
		}
	}
	if rep.Imported != 2 || rep.Held != 1 || rep.Refused != 3 || rep.Updated != 0 || rep.Unchanged != 0 {
		t.Fatalf("counts %+v", rep)
	}
	if got := rep.Summary(domain.Indonesian); got != "6 baris dibaca: 2 sertifikat baru, 0 diperbarui, 0 sudah tercatat, 1 ditahan, 3 ditolak" {
		t.Errorf("summary %q", got)
	}
	// then only the two good rows are recorded, on the right people
	certs := map[string]*domain.CompetencyCertificate{}
	each(t, st, func(c *domain.CompetencyCertificate) { certs[c.Number] = c })
	if len(certs) != 2 {
		t.Fatalf("%d certificates recorded, want 2: %v", len(certs), certs)
	}
	if c := certs["LAS.0012345.2026"]; c == nil || c.TraineeID != siti.ID || c.IssuedOn != "2026-11-12" || c.ExpiresOn != "2029-11-12" || c.Scheme != "Juru Las 3G SMAW" {
		t.Errorf("Siti's certificate %+v", c)
	}
	if c := certs["LAS.0012350.2026"]; c == nil || c.TraineeID != rina.ID || c.IssuedOn != "2026-11-12" || c.ExpiresOn != "2029-11-12" {
		t.Errorf("Rina's certificate (Excel dates) %+v", c)
	}

	// when the same list is imported again with the held row applied
	rep, err = bnspimport.Import(ctx, st, path, bnspimport.Options{Lang: domain.Indonesian, ApplyHeld: func(line int) bool { return line == 6 }})
	if err != nil {
		t.Fatal(err)
	}
	// then the recorded rows are unchanged (no duplicates), the held one is recorded on Budi
	if rep.Unchanged != 2 || rep.Imported != 1 || rep.Held != 0 || rep.Refused != 3 {
		t.Fatalf("second import counts %+v", rep)
	}
	certs = map[string]*domain.CompetencyCertificate{}
	each(t, st, func(c *domain.CompetencyCertificate) { certs[c.Number] = c })
	if c := certs["LAS.0012346.2026"]; len(certs) != 3 || c == nil || c.TraineeID != budi.ID {
		t.Fatalf("after applying the held row: %v", certs)
	}
}

func TestImportWithoutNIKOrNumberColumnsSaysWhatToName(t *testing.T) {
	st := newStore(t)
	f := excelize.NewFile()
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"Nama", "Skema"})
	path := filepath.Join(t.TempDir(), "x.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	_, err := bnspimport.Import(context.Background(), st, path, bnspimport.Options{Lang: domain.Indonesian})
	var fe *bnspimport.FileError
	if err == nil || !asFileError(err, &fe) {
		t.Fatalf("got %v, want a FileError", err)
	}
}

func asFileError(err error, fe **bnspimport.FileError) bool {
	e, ok := err.(*bnspimport.FileError)
	*fe = e
	return ok
}

func each(t *testing.T, st *store.Store, fn func(*domain.CompetencyCertificate)) {
	t.Helper()
	cs, err := store.ListOf[*domain.CompetencyCertificate](context.Background(), st, store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		fn(c)
	}
}
