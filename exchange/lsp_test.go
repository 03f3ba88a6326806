package exchange_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
)

// The LSP candidate list of a cohort opens in a spreadsheet with the
// columns an LSP asks for, one per unit with K/BK, and leaves out those
// who dropped out.
func TestLSPExportHasTheColumnsAnLSPAsksFor(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	save := func(r domain.Record) {
		t.Helper()
		if _, err := s.Save(ctx, r); err != nil {
			t.Fatalf("%T: %v", r, err)
		}
	}
	p := &domain.Programme{Name: "Las Listrik SMAW", FieldCode: "LAS", TotalJP: 160, MinutesPerJP: 45}
	save(p)
	save(&domain.ProgrammeUnit{ProgrammeID: p.ID, UnitCode: "LAS.01", Title: "K3 pengelasan", JP: 80, Position: 1})
	save(&domain.ProgrammeUnit{ProgrammeID: p.ID, UnitCode: "LAS.02", Title: "Las posisi bawah tangan", JP: 80, Position: 2})
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 2, StartDate: "2026-09-01", EndDate: "2026-10-30", Quota: 16, Status: domain.CohortRunning}
	save(c)
	siti := &domain.Trainee{NIK: nik(date(2001, 8, 17), true, 1), Name: "Siti Aminah", Sex: "P", BirthPlace: "Bogor", BirthDate: "2001-08-17",
		Education: "sma", Address: "Jl. Mawar 1", Phone: "0812-3456-7890", Email: "siti@example.id"}
	budi := &domain.Trainee{NIK: nik(date(2000, 1, 2), false, 2), Name: "Budi Santoso", Sex: "L", BirthDate: "2000-01-02"}
	save(siti)
	save(budi)
	es := &domain.Enrollment{CohortID: c.ID, TraineeID: siti.ID, Status: domain.EnrollmentActive}
	save(es)
	save(&domain.Enrollment{CohortID: c.ID, TraineeID: budi.ID, Status: domain.EnrollmentDropped})
	save(&domain.Assessment{EnrollmentID: es.ID, UnitCode: "LAS.01", Result: "K", AssessedOn: "2026-10-28", LSP: "LSP Logam Mesin Indonesia"})
	save(&domain.Assessment{EnrollmentID: es.ID, UnitCode: "LAS.02", Result: "BK", AssessedOn: "2026-10-28"})

	path := filepath.Join(t.TempDir(), "lsp.xlsx")
	if err := exchange.ExportLSPFile(ctx, s, c.ID, path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Calon Asesi")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"NIK", "Nama lengkap", "Tempat lahir", "Tanggal lahir", "Jenis kelamin", "Alamat", "Pendidikan terakhir", "No. HP", "Email",
			"Program / skema", "LAS.01 K3 pengelasan", "LAS.02 Las posisi bawah tangan", "TUK", "Asesor", "LSP"},
		{siti.NIK, "Siti Aminah", "Bogor", "2001-08-17", "Perempuan", "Jl. Mawar 1", domain.ChoiceLabel("trainees.education", "sma", domain.Indonesian),
			"081234567890", "siti@example.id", "Las Listrik SMAW (LAS)", "K", "BK", "", "", "LSP Logam Mesin Indonesia"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d (Budi dropped out): %v", len(rows), len(want), rows)
	}
	for i := range want {
		got := append(rows[i], make([]string, len(want[i])-len(rows[i]))...)
		if strings.Join(got, "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d\n got %q\nwant %q", i+1, got, want[i])
		}
	}
	// an unknown cohort says so
	var buf bytes.Buffer
	if err := exchange.ExportLSP(ctx, s, "no-such-cohort", &buf); !errors.Is(err, exchange.ErrNoCohort) {
		t.Fatalf("unknown cohort: %v", err)
	}
}
