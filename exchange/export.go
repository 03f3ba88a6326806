package exchange

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/domain"
)

// Formats an export can take.
const (
	FormatXLSX = "xlsx"
	FormatCSV  = "csv"
)

// FormatOf picks the format from a file name's extension.
func FormatOf(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		return FormatXLSX, nil
	case ".csv":
		return FormatCSV, nil
	}
	return "", fmt.Errorf("%s: the file name must end in .xlsx or .csv", path)
}

// ExportFile writes list what of src to path, as xlsx or csv by its
// extension. It writes a temporary file next to path and renames it at the
// end, so a cancelled or failed export leaves no half-written file.
func ExportFile(ctx context.Context, src Source, what, path string) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*")
	if err != nil {
		return fmt.Errorf("export %s: %w", what, err)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err := Export(ctx, src, what, format, bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("export %s to %s: %w", what, path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export %s to %s: %w", what, path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("export %s to %s: %w", what, path, err)
	}
	return nil
}

// Export writes list what (one of Lists) of src to w in format (xlsx or csv). The output
// depends only on src's records, in id order: no clock, no local settings,
// so the desktop and the server produce the same bytes for one centre.
func Export(ctx context.Context, src Source, what, format string, w io.Writer) error {
	l, err := loadLookups(ctx, src, what)
	if err != nil {
		return fmt.Errorf("export %s: %w", what, err)
	}
	cols, err := columnsFor(what, l)
	if err != nil {
		return err
	}
	switch format {
	case FormatCSV:
		err = exportCSV(ctx, src, what, cols, w)
	case FormatXLSX:
		err = exportXLSX(ctx, src, what, cols, w)
	default:
		return fmt.Errorf("export format %q: choose xlsx or csv", format)
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", what, err)
	}
	return nil
}

func exportCSV(ctx context.Context, src Source, what string, cols []column, w io.Writer) error {
	// A byte-order mark makes Excel read the file as UTF-8 (names with é, ñ…).
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = c.header
	}
	if err := cw.Write(row); err != nil {
		return err
	}
	err := src.EachRecord(ctx, what, func(r domain.Record) error {
		for i, c := range cols {
			row[i] = csvText(c, c.value(r))
		}
		return cw.Write(row)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func csvText(c column, v any) string {
	switch x := v.(type) {
	case string:
		return guardFormula(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		if c.kind == cellPercent {
			return strconv.FormatFloat(x*100, 'f', 1, 64)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// xlsxEpoch is fixed so two exports of the same data are the same bytes.
var xlsxEpoch = "2000-01-01T00:00:00Z"

func exportXLSX(ctx context.Context, src Source, what string, cols []column, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := sheetName(what)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: "BLK Komunitas", Title: sheet, Created: xlsxEpoch, Modified: xlsxEpoch,
	}); err != nil {
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
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := make([]any, len(cols))
	for i, c := range cols {
		row[i] = excelize.Cell{StyleID: styles.header, Value: c.header}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	n := 1
	err = src.EachRecord(ctx, what, func(r domain.Record) error {
		n++
		for i, c := range cols {
			row[i] = xlsxCell(c, c.value(r), styles)
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, row)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// sheetName is the Indonesian name of a list, used as the sheet title.
func sheetName(what string) string {
	switch what {
	case "trainees":
		return "Peserta"
	case "cohorts":
		return "Angkatan"
	case "enrollments":
		return "Pendaftaran dan hasil"
	case "outcomes":
		return "Penelusuran alumni"
	case "partners":
		return "Mitra"
	case "funding":
		return "Pendanaan"
	case "ledger_lines":
		return "Buku kas unit usaha"
	case "instructor_certifications":
		return "Sertifikat instruktur"
	case "legal_documents":
		return "Dokumen legal"
	case "roadmap_targets":
		return "Target peta jalan"
	case "certificates":
		return "Sertifikat pelatihan"
	case "competency_certificates":
		return "Sertifikat kompetensi BNSP"
	case "employer_ratings":
		return "Penilaian pemberi kerja"
	}
	return what
}

type xlsxStyles struct{ header, text, date, integer, percent int }

func newStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	textFmt := "@"
	dateFmt := "dd/mm/yyyy"
	s.header = mk(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F5C99"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "0F2F4F", Style: 1}},
	})
	// "@" keeps NIKs and phones text when someone edits the cell later.
	s.text = mk(&excelize.Style{CustomNumFmt: &textFmt})
	s.date = mk(&excelize.Style{CustomNumFmt: &dateFmt})
	s.integer = mk(&excelize.Style{NumFmt: 3})
	s.percent = mk(&excelize.Style{NumFmt: 10})
	return s, err
}

func xlsxCell(c column, v any, s xlsxStyles) excelize.Cell {
	switch c.kind {
	case cellDate:
		if str, ok := v.(string); ok {
			if t, ok := domain.ParseDate(str); ok {
				return excelize.Cell{StyleID: s.date, Value: t}
			}
		}
		return excelize.Cell{StyleID: s.text, Value: v}
	case cellInt:
		return excelize.Cell{StyleID: s.integer, Value: v}
	case cellPercent:
		if _, ok := v.(float64); ok {
			return excelize.Cell{StyleID: s.percent, Value: v}
		}
	}
	return excelize.Cell{StyleID: s.text, Value: v}
}

// ExportWithProgress is Export calling progress with the number of rows
// written so far, for a progress bar (the caller knows the total from a count).
func ExportWithProgress(ctx context.Context, src Source, what, format string, w io.Writer, progress func(done int)) error {
	return Export(ctx, &countingSource{Source: src, table: what, progress: progress}, what, format, w)
}

// countingSource reports each record of one table as it passes.
type countingSource struct {
	Source
	table    string
	progress func(int)
}

func (c *countingSource) EachRecord(ctx context.Context, table string, fn func(domain.Record) error) error {
	if table != c.table || c.progress == nil {
		return c.Source.EachRecord(ctx, table, fn)
	}
	n := 0
	return c.Source.EachRecord(ctx, table, func(r domain.Record) error {
		n++
		c.progress(n)
		return fn(r)
	})
}

// WriteTable writes a table that is no list of records (a national summary)
// as csv or xlsx: a header row, then rows of string and int64 cells.
func WriteTable(w io.Writer, format, sheet string, headers []string, rows [][]any) error {
	cols := make([]column, len(headers))
	for i, h := range headers {
		cols[i] = column{header: h, kind: cellText, width: 18}
		if len(rows) > 0 {
			if _, ok := rows[0][i].(int64); ok {
				cols[i].kind, cols[i].width = cellInt, 12
			}
		}
	}
	src := tableRows{rows: rows}
	for i := range cols {
		cols[i].value = func(domain.Record) any { return src.current[i] }
	}
	switch format {
	case FormatCSV:
		return exportCSV(context.Background(), &src, sheet, cols, w)
	case FormatXLSX:
		return exportXLSX(context.Background(), &src, sheet, cols, w)
	}
	return fmt.Errorf("export format %q: choose xlsx or csv", format)
}

// tableRows feeds WriteTable's rows through the export's writers, which
// walk a Source: each row stands for one record.
type tableRows struct {
	rows    [][]any
	current []any
}

func (t *tableRows) EachRecord(ctx context.Context, _ string, fn func(domain.Record) error) error {
	for _, r := range t.rows {
		if err := ctx.Err(); err != nil {
			return err
		}
		t.current = r
		if err := fn(&domain.Meta{}); err != nil {
			return err
		}
	}
	return nil
}
