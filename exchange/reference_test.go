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
