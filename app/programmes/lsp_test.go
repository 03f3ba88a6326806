package programmes

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
)

func readSheet(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestLSPListIsExportedFromTheCohortScreen(t *testing.T) {
	ctx := context.Background()
	// given a cohort of two trainees, one dropped out, in a two-unit programme
	s, st, _ := newScreen(t)
	p := &domain.Programme{Name: "Las Listrik SMAW", FieldCode: "LAS", TotalJP: 160, MinutesPerJP: 45}
	if _, err := st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	for i, u := range []*domain.ProgrammeUnit{{UnitCode: "LAS.01", Title: "K3 pengelasan", JP: 80}, {UnitCode: "LAS.02", Title: "Las posisi bawah tangan", JP: 80}} {
		u.ProgrammeID, u.Position = p.ID, int64(i+1)
		if _, err := st.Save(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 2, StartDate: "2026-09-01", EndDate: "2026-10-30", Quota: 16, Status: domain.CohortRunning}
	if _, err := st.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	siti := traineeFixture(t, st, "Siti Aminah", 1)
	budi := traineeFixture(t, st, "Budi Santoso", 2)
	for _, e := range []*domain.Enrollment{{CohortID: c.ID, TraineeID: siti.ID, Status: domain.EnrollmentActive}, {CohortID: c.ID, TraineeID: budi.ID, Status: domain.EnrollmentDropped}} {
		if _, err := st.Save(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	s.Update(ctx)
	ui.Settle(t)
	s.ShowCohort(c)
	ui.Settle(t)
	s.tabs.SelectIndex(tabResults)
	ui.Settle(t)
	// and Siti's first unit marked K on the results grid, with the LSP named
	retype(t, s.res.lsp, "LSP Logam Mesin Indonesia")
	row := 0
	if s.res.grid.rows[0].Enrollment.TraineeID != siti.ID {
		row = 1
	}
	s.res.grid.table.Select(widget.TableCellID{Row: row, Col: 1})
	ui.Settle(t)

	// when "Ekspor untuk LSP" is tapped and a file without extension chosen
	dir := t.TempDir()
	var proposed string
	defer func(keep func(fyne.Window, string, func(string))) { chooseLSPFile = keep }(chooseLSPFile)
	chooseLSPFile = func(_ fyne.Window, name string, pick func(string)) {
		proposed = name
		pick(filepath.Join(dir, "calon asesi"))
	}
	tapButton(t, s, tabResults, i18n.T("res.export_lsp"))

	// then the cohort's name was proposed, the list saved as .xlsx, and said so
	if proposed != "LSP Las Listrik SMAW 2026-2.xlsx" {
		t.Fatalf("proposed %q", proposed)
	}
	path := filepath.Join(dir, "calon asesi.xlsx")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("nothing saved: %v (status %q)", err, s.status.Text)
	}
	if want := i18n.T("res.export_lsp_done", "calon asesi.xlsx"); s.status.Text != want {
		t.Fatalf("status %q, want %q", s.status.Text, want)
	}
	// and it holds Siti (not Budi, who dropped out) with her result and LSP
	rows := readSheet(t, path)
	if len(rows) != 2 {
		t.Fatalf("%d rows: %q", len(rows), rows)
	}
	head, line := strings.Join(rows[0], "|"), strings.Join(rows[1], "|")
	if !strings.Contains(head, "LAS.01 K3 pengelasan|LAS.02 Las posisi bawah tangan") ||
		!strings.HasPrefix(line, siti.NIK+"|Siti Aminah|") || !strings.Contains(line, "|K||") || !strings.HasSuffix(line, "LSP Logam Mesin Indonesia") {
		t.Fatalf("sheet:\n%s\n%s", head, line)
	}
	// and it is the very list the command line writes
	cli := filepath.Join(dir, "cli.xlsx")
	if err := exchange.ExportLSPFile(ctx, st, c.ID, cli); err != nil {
		t.Fatal(err)
	}
	if want := readSheet(t, cli); !reflect.DeepEqual(rows, want) {
		t.Fatalf("screen's list\n%q\ndiffers from blk export's\n%q", rows, want)
	}
	// and no temporary file is left beside it
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("folder holds %d files", len(entries))
	}
}
