package exchange

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/domain"
)

// ErrNoCohort is an LSP export of a cohort that does not exist.
var ErrNoCohort = errors.New("cohort not found")

// lspColumns are the candidate columns an LSP (Lembaga Sertifikasi
// Profesi) asks for before a competency test; one column per competency
// unit of the programme (K / BK) follows them, then TUK and assessor.
var lspColumns = []string{"lsp.nik", "lsp.name", "lsp.birth_place", "lsp.birth_date", "lsp.sex", "lsp.address",
	"lsp.education", "lsp.phone", "lsp.email", "lsp.scheme"}

// ExportLSPFile writes the cohort's candidates for competency
// certification (LSP/BNSP) to path, an .xlsx file, through a temporary
// file renamed at the end.
func ExportLSPFile(ctx context.Context, src Source, cohortID, path string) error {
	if f, err := FormatOf(path); err != nil || f != FormatXLSX {
		return fmt.Errorf("%s: the LSP list is an .xlsx file", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*")
	if err != nil {
		return fmt.Errorf("export lsp: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := ExportLSP(ctx, src, cohortID, tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ExportLSP writes the LSP candidate list of a cohort as xlsx: every
// trainee enrolled and not dropped out, with identity and contact as the
// LSP's form asks, the programme as scheme, each unit's result (K, BK or
// empty), and the LSP named in the results where known.
func ExportLSP(ctx context.Context, src Source, cohortID string, w io.Writer) error {
	var cohort *domain.Cohort
	if err := src.EachRecord(ctx, "cohorts", func(r domain.Record) error {
		if c := r.(*domain.Cohort); c.ID == cohortID {
			cohort = c
		}
		return nil
	}); err != nil {
		return err
	}
	if cohort == nil {
		return fmt.Errorf("%q: %w (see `blk export --what cohorts`)", cohortID, ErrNoCohort)
	}
	var prog domain.Programme
	var units []*domain.ProgrammeUnit
	if err := src.EachRecord(ctx, "programmes", func(r domain.Record) error {
		if p := r.(*domain.Programme); p.ID == cohort.ProgrammeID {
			prog = *p
		}
		return nil
	}); err != nil {
		return err
	}
	if err := src.EachRecord(ctx, "programme_units", func(r domain.Record) error {
		if u := r.(*domain.ProgrammeUnit); u.ProgrammeID == cohort.ProgrammeID {
			units = append(units, u)
		}
		return nil
	}); err != nil {
		return err
	}
	sortUnits(units)
	type candidate struct {
		en      *domain.Enrollment
		tr      *domain.Trainee
		results map[string]string
		lsp     string
	}
	var cands []*candidate
	byEnrollment, byTrainee := map[string]*candidate{}, map[string]*candidate{}
	if err := src.EachRecord(ctx, "enrollments", func(r domain.Record) error {
		if e := r.(*domain.Enrollment); e.CohortID == cohortID && e.Status != domain.EnrollmentDropped {
			c := &candidate{en: e, results: map[string]string{}}
			cands = append(cands, c)
			byEnrollment[e.ID], byTrainee[e.TraineeID] = c, c
		}
		return nil
	}); err != nil {
		return err
	}
	if err := src.EachRecord(ctx, "trainees", func(r domain.Record) error {
		if c := byTrainee[r.Base().ID]; c != nil {
			c.tr = r.(*domain.Trainee)
		}
		return nil
	}); err != nil {
		return err
	}
	if err := src.EachRecord(ctx, "assessments", func(r domain.Record) error {
		a := r.(*domain.Assessment)
		if c := byEnrollment[a.EnrollmentID]; c != nil {
			c.results[a.UnitCode] = a.Result
			if a.LSP != "" {
				c.lsp = a.LSP
			}
		}
		return nil
	}); err != nil {
		return err
	}

	f := excelize.NewFile()
	defer f.Close()
	sheet := header("lsp.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{Creator: "BLK Komunitas", Title: sheet, Created: xlsxEpoch, Modified: xlsxEpoch}); err != nil {
		return err
	}
	styles, err := newStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	var head []any
	for _, k := range lspColumns {
		head = append(head, excelize.Cell{StyleID: styles.header, Value: header(k)})
	}
	for _, u := range units {
		head = append(head, excelize.Cell{StyleID: styles.header, Value: u.UnitCode + " " + u.Title})
	}
	head = append(head, excelize.Cell{StyleID: styles.header, Value: header("lsp.tuk")},
		excelize.Cell{StyleID: styles.header, Value: header("lsp.assessor")}, excelize.Cell{StyleID: styles.header, Value: header("lsp.lsp")})
	if err := sw.SetColWidth(1, len(head), 20); err != nil {
		return err
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	text := func(v string) excelize.Cell { return excelize.Cell{StyleID: styles.text, Value: v} }
	scheme := prog.Name
	if prog.FieldCode != "" {
		scheme += " (" + prog.FieldCode + ")"
	}
	n := 1
	for _, c := range cands {
		if c.tr == nil {
			continue
		}
		t := c.tr
		row := []any{text(t.NIK), text(t.Name), text(t.BirthPlace), text(t.BirthDate),
			text(domain.ChoiceLabel("trainees.sex", t.Sex, domain.Indonesian)), text(t.Address),
			text(domain.ChoiceLabel("trainees.education", t.Education, domain.Indonesian)),
			text(domain.LocalPhone(t.Phone)), text(t.Email), text(scheme)}
		for _, u := range units {
			row = append(row, text(c.results[u.UnitCode]))
		}
		row = append(row, text(""), text(""), text(c.lsp))
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func sortUnits(us []*domain.ProgrammeUnit) {
	sort.SliceStable(us, func(i, j int) bool {
		if us[i].Position != us[j].Position {
			return us[i].Position < us[j].Position
		}
		return us[i].UnitCode < us[j].UnitCode
	})
}
