package traineeimport

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

// StatusLabel is the status as the operator reads it.
func StatusLabel(s RowStatus, lang domain.Lang) string {
	if k := "import.status." + string(s); msg.Has(k) {
		return msg.T(lang, k)
	}
	return string(s)
}

// Summary is the one-line outcome of the import in lang.
func (r *Report) Summary(lang domain.Lang) string {
	n := func(v int) string { return msg.N(lang, v) }
	out := msg.T(lang, "import.summary", filepath.Base(r.File), msg.Count(lang, "count.rows", len(r.Rows)),
		n(r.Imported), n(r.Updated), n(r.Unchanged), n(r.Flagged), n(r.Held), n(r.Refused))
	if r.Preview {
		out += msg.T(lang, "import.summary.preview")
	}
	if len(r.Ignored) > 0 {
		out += msg.T(lang, "import.summary.ignored", strings.Join(r.Ignored, ", "))
	}
	return out
}

// Text is one change as "Nama: Siti → Siti Aminah".
func (c Change) Text(lang domain.Lang) string {
	return msg.T(lang, "import.change", c.Label, c.Old, c.New)
}

// HeldRows lists the rows held back, in file order.
func (r *Report) HeldRows() []Row {
	var out []Row
	for _, row := range r.Rows {
		if row.Status == RowHeld {
			out = append(out, row)
		}
	}
	return out
}

// RefusalHeader is the extra column of the refusal report.
const RefusalHeader = "Keterangan"

// unsaved reports whether the row is in the refusal report: refused, or
// held back because its NIK is someone else's.
func (r Row) unsaved() bool { return r.Status == RowRefused || r.Status == RowHeld }

// SaveXLSX writes the refused and held-back rows, as they were in the file, under the
// file's own header plus a "Keterangan" column with the reasons, so the
// operator can mend them and import this same file again. Every cell is
// text, so nothing (NIKs above all) is turned into a number on the way.
func (r *Report) SaveXLSX(path string) error {
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("save refusal report: %w", err)
	}
	if err := r.WriteXLSX(out); err != nil {
		out.Close()
		os.Remove(path)
		return fmt.Errorf("save refusal report %s: %w", path, err)
	}
	return out.Close()
}

// WriteXLSX is SaveXLSX to any writer (a file chosen in a save dialog).
func (r *Report) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Ditolak"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	textFmt := "@"
	text, err := f.NewStyle(&excelize.Style{CustomNumFmt: &textFmt, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F4CCCC"}}})
	if err != nil {
		return err
	}
	width := len(r.header)
	for _, row := range r.Rows {
		if row.unsaved() && len(row.cells) > width {
			width = len(row.cells)
		}
	}
	header := make([]any, width+1)
	for i := range width {
		if i < len(r.header) {
			header[i] = r.header[i]
		} else {
			header[i] = ""
		}
	}
	header[width] = RefusalHeader
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
	}
	if err := f.SetColStyle(sheet, "A:"+colName(width+1), text); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "A", colName(width), 18); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, colName(width+1), colName(width+1), 80); err != nil {
		return err
	}
	line := 1
	for _, row := range r.Rows {
		if !row.unsaved() {
			continue
		}
		line++
		cells := make([]string, width+1)
		copy(cells, row.cells)
		cells[width] = msg.T(r.lang, "import.row", row.Line) + strings.Join(row.Reasons, "; ")
		for i, v := range cells {
			ref, _ := excelize.CoordinatesToCellName(i+1, line)
			if err := f.SetCellStr(sheet, ref, v); err != nil {
				return err
			}
		}
	}
	for i := range width + 1 {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStyle(sheet, ref, ref, head); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

func colName(n int) string {
	s, _ := excelize.ColumnNumberToName(n)
	return s
}
