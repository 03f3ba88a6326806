package exchange_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
	"github.com/kemnaker/blk/exchange/traineeimport"
	"github.com/kemnaker/blk/store"
)

func TestCSVExportNeutralisesFormulasAndImportReadsThemBack(t *testing.T) {
	ctx := context.Background()
	// given trainees whose text starts like a spreadsheet formula
	s := newStore(t)
	addresses := []string{
		`=HYPERLINK("http://contoh.id/x","Klik")`,
		"-5 km dari pasar",
		"@pondok",
		"'=sudah ada apostrof",
		"'Gang Apostrof",
		"Jl. Melati 4",
	}
	for i, a := range addresses {
		tr := &domain.Trainee{NIK: nik(date(2001, 8, 17), true, i+1), Name: "Siti " + string(rune('A'+i)), Sex: "P",
			BirthDate: "2001-08-17", Address: a, Phone: "0812-3456-78" + string(rune('0'+i)) + "0"}
		if _, err := s.Save(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := store.ListOf[*domain.Trainee](ctx, s, store.Query{})
	// when the list is exported as CSV
	path := filepath.Join(t.TempDir(), "peserta.csv")
	if err := exchange.ExportFile(ctx, s, "trainees", path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// then no cell starts a formula: the risky ones carry an apostrophe
	cells := map[string]bool{}
	for _, row := range rows[1:] {
		for _, c := range row {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("cell %q starts a formula", c)
			}
			cells[c] = true
		}
	}
	for _, want := range []string{`'=HYPERLINK("http://contoh.id/x","Klik")`, "'-5 km dari pasar", "'@pondok", "''=sudah ada apostrof", "'Gang Apostrof", "Jl. Melati 4", "081234567800"} {
		if !cells[want] {
			t.Errorf("no cell %q in the export", want)
		}
	}
	// (phones go out in their local 08… form, so the guard never touches them)
	// and importing it back changes nothing
	rep, err := traineeimport.Import(ctx, s, path, traineeimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Rows {
		if r.Status != traineeimport.RowUnchanged {
			t.Errorf("row %d %s %v", r.Line, r.Status, r.Reasons)
		}
	}
	after, _ := store.ListOf[*domain.Trainee](ctx, s, store.Query{})
	if !reflect.DeepEqual(before, after) {
		t.Errorf("records changed:\n%+v\n%+v", before, after)
	}
}

func TestXLSXExportKeepsFormulaLikeTextAsText(t *testing.T) {
	ctx := context.Background()
	// given a trainee whose address looks like a formula
	s := newStore(t)
	tr := &domain.Trainee{NIK: nik(date(2001, 8, 17), true, 1), Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17", Address: "=1+1"}
	if _, err := s.Save(ctx, tr); err != nil {
		t.Fatal(err)
	}
	// when it goes to xlsx and back
	path := filepath.Join(t.TempDir(), "peserta.xlsx")
	if err := exchange.ExportFile(ctx, s, "trainees", path); err != nil {
		t.Fatal(err)
	}
	rep, err := traineeimport.Import(ctx, s, path, traineeimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// then it is unchanged: a typed text cell is never run, so it needs no apostrophe
	if len(rep.Rows) != 1 || rep.Rows[0].Status != traineeimport.RowUnchanged {
		t.Fatalf("import: %+v", rep.Rows)
	}
}
