package exchange_test

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/exchange"
)

// modelRead is how sheets were read before the row iterator: excelize's
// whole model, GetRows and GetCellType per cell. It is the oracle the
// streaming reader must agree with.
func modelRead(t *testing.T, path string) []*exchange.Sheet {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []*exchange.Sheet
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		types := make([][]bool, len(rows))
		for r, row := range rows {
			types[r] = make([]bool, len(row))
			for c, v := range row {
				if strings.TrimSpace(v) == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				tp, err := f.GetCellType(name, ref)
				if err != nil {
					t.Fatal(err)
				}
				types[r][c] = tp == excelize.CellTypeUnset || tp == excelize.CellTypeNumber
			}
		}
		out = append(out, &exchange.Sheet{Name: name, Rows: rows, Numeric: func(r, c int) bool {
			return r < len(types) && c < len(types[r]) && types[r][c]
		}})
	}
	return out
}

// TestStreamedSheetsReadAsExcelizeModelDoes: text, numbers typed as
// numbers, text that looks like numbers, dates, booleans, formulas, gaps
// between rows and cells, columns past Z and a second sheet read the same
// values and the same number-or-text through the row iterator as through
// excelize's whole model.
func TestStreamedSheetsReadAsExcelizeModelDoes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mixed.xlsx")
	f := excelize.NewFile()
	set := func(sheet, ref string, v any) {
		t.Helper()
		var err error
		if s, ok := v.(string); ok {
			err = f.SetCellStr(sheet, ref, s)
		} else {
			err = f.SetCellValue(sheet, ref, v)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	set("Sheet1", "A1", "DAFTAR PESERTA")
	set("Sheet1", "A3", "NIK")
	set("Sheet1", "B3", "Nama")
	set("Sheet1", "C3", "Tgl Lahir")
	set("Sheet1", "A4", "3201014108010001")
	set("Sheet1", "B4", "Siti Aminah")
	set("Sheet1", "C4", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC))
	set("Sheet1", "A5", 3201014108010002)
	set("Sheet1", "B5", "Dewi")
	set("Sheet1", "D5", true)
	set("Sheet1", "AC5", 12.5)
	set("Sheet1", "A8", "1234")
	if err := f.SetCellFormula("Sheet1", "B8", "1+1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Kedua"); err != nil {
		t.Fatal(err)
	}
	set("Kedua", "B2", 7)
	set("Kedua", "C2", "tujuh")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()

	got, err := exchange.ReadSheets(path)
	if err != nil {
		t.Fatal(err)
	}
	want := modelRead(t, path)
	if len(got) != len(want) {
		t.Fatalf("%d sheets, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Name != want[i].Name || !reflect.DeepEqual(got[i].Rows, want[i].Rows) {
			t.Fatalf("sheet %d: %s %q, want %s %q", i, got[i].Name, got[i].Rows, want[i].Name, want[i].Rows)
		}
		numbers := 0
		for r := 0; r < len(want[i].Rows)+2; r++ {
			for c := 0; c < 40; c++ {
				if g, w := got[i].Numeric(r, c), want[i].Numeric(r, c); g != w && want[i].Cell(r, c) != "" {
					t.Errorf("sheet %s row %d col %d (%q): numeric %v, want %v", want[i].Name, r+1, c+1, want[i].Cell(r, c), g, w)
				} else if w {
					numbers++
				}
			}
		}
		if numbers == 0 {
			t.Errorf("sheet %s: no numeric cell to compare", want[i].Name)
		}
	}
}
