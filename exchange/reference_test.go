package exchange_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/assets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
)

// catalogueXLSX writes the shipped catalogue's rows as a workbook the way
// a person makes one in Excel: a notes sheet first, JP typed as numbers.
func catalogueXLSX(t *testing.T) string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(assets.Catalogue)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Catatan"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStr("Catatan", "A1", "Katalog kejuruan nasional, diperbarui November"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Katalog"); err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			var err error
			if n, perr := strconv.Atoi(v); perr == nil && r > 0 && c == 5 {
				err = f.SetCellInt("Katalog", ref, int64(n))
			} else {
				err = f.SetCellStr("Katalog", ref, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "katalog.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReferenceFromXLSXAndCSVOfTheSameRowsIsTheSame(t *testing.T) {
	csvPath := filepath.Join(t.TempDir(), "katalog.csv")
	if err := os.WriteFile(csvPath, assets.Catalogue, 0o644); err != nil {
		t.Fatal(err)
	}
	fromCSV, err := exchange.ReadReference(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	fromXLSX, err := exchange.ReadReference(catalogueXLSX(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(fromCSV) < 50 || len(fromCSV) != len(fromXLSX) {
		t.Fatalf("%d records from csv, %d from xlsx", len(fromCSV), len(fromXLSX))
	}
	for i := range fromCSV {
		if c, x := domain.Values(fromCSV[i]), domain.Values(fromXLSX[i]); !reflect.DeepEqual(c, x) {
			t.Fatalf("record %d: csv %v, xlsx %v", i, c, x)
		}
	}
}

// TestAThresholdsFileGoesThroughTheImportReader: the file the ministry
// writes (semicolons, as a spreadsheet in Indonesian saves it) is read by
// the same reader `blk-server reference import` uses; a bad value is
// refused naming its line.
func TestAThresholdsFileGoesThroughTheImportReader(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "ambang.csv")
	if err := os.WriteFile(good, []byte("threshold;value\r\ntraced_pct;70\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	recs, err := exchange.ReadReference(good)
	if err != nil {
		t.Fatal(err)
	}
	want := domain.DefaultThresholds()
	want.TracedPct = 70
	if len(recs) != 1 || !reflect.DeepEqual(recs[0], &want) {
		t.Fatalf("got %+v, want %+v", recs, want)
	}
	bad := filepath.Join(dir, "salah.csv")
	if err := os.WriteFile(bad, []byte("threshold;value\ntraced_pct;70\nown_income_pct;20%\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = exchange.ReadReference(bad)
	if err == nil || err.Error() != `line 3: the value of threshold own_income_pct ("20%") must be a whole number` {
		t.Fatalf("got %v", err)
	}
}
