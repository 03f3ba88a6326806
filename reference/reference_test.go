package reference_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"github.com/kemnaker/blk/assets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/reference"
)

func rows(t *testing.T, text string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	out, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestTheShippedCatalogueParses(t *testing.T) {
	recs, err := reference.Parse(rows(t, string(assets.Catalogue)))
	if err != nil {
		t.Fatal(err)
	}
	// every unit line of the file is one unit, and every field code one field
	lines := strings.Count(strings.TrimSpace(string(assets.Catalogue)), "\n")
	codes := map[string]bool{}
	for _, line := range strings.Split(string(assets.Catalogue), "\n")[1:] {
		if code, _, ok := strings.Cut(line, ","); ok {
			codes[code] = true
		}
	}
	var fields, units int
	for _, r := range recs {
		switch r.(type) {
		case *domain.VocationalField:
			fields++
		case *domain.CompetencyUnit:
			units++
		}
	}
	if fields != len(codes) || units != lines {
		t.Fatalf("%d fields and %d units, want %d and %d", fields, units, len(codes), lines)
	}
}

func TestParseReadsFieldsOnceAndUnitsInOrder(t *testing.T) {
	recs, err := reference.Parse(rows(t, `

JP , Unit_Code,unit_title,field_code,field_name_id,field_name_en,notes
16,LAS.01,K3 pengelasan,LAS,Teknik Las,Welding,x
80,LAS.02,Las SMAW,LAS,Teknik Las,Welding,
,,,TIK,Teknologi Informasi,Information technology,field without units yet
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []domain.Record{
		&domain.VocationalField{Code: "LAS", NameID: "Teknik Las", NameEN: "Welding"},
		&domain.CompetencyUnit{FieldCode: "LAS", Code: "LAS.01", Title: "K3 pengelasan", JP: 16},
		&domain.CompetencyUnit{FieldCode: "LAS", Code: "LAS.02", Title: "Las SMAW", JP: 80},
		&domain.VocationalField{Code: "TIK", NameID: "Teknologi Informasi", NameEN: "Information technology"},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d", len(recs), len(want))
	}
	for i := range want {
		if g, w := domain.Values(recs[i]), domain.Values(want[i]); !equal(g, w) {
			t.Fatalf("record %d: %v, want %v", i, g, w)
		}
	}
}

func equal(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestParseSaysWhatToFixInBothLanguages(t *testing.T) {
	const head = "field_code,field_name_id,field_name_en,unit_code,unit_title,jp\n"
	tests := []struct {
		name, text     string
		line           int
		wantID, wantEN string
		notReference   bool
	}{
		{"an empty file", "\n\n", 0, "tidak berisi data referensi", "holds no reference data", true},
		{"the old kind,code format", "kind,field_code,code,name_id,name_en,title,jp\nfield,,LAS,Teknik Las,Welding,,\n", 1, "tidak punya kolom field_name_id", "has no field_name_id column", true},
		{"only a header", head, 0, "tidak berisi data referensi", "holds no reference data", true},
		{"a row without field code", head + ",Teknik Las,Welding,LAS.01,K3,16\n", 2, "baris 2: field_code kosong", "line 2: field_code is empty", false},
		{"jp that is not a number", head + "LAS,Teknik Las,Welding,LAS.01,K3,enam belas\n", 2, `jp "enam belas" bukan bilangan bulat`, `jp "enam belas" is not a whole number`, false},
		{"a field named two ways", head + "LAS,Teknik Las,Welding,LAS.01,K3,16\nLAS,Las,Welding,LAS.02,SMAW,80\n", 3, "samakan namanya", "make the names the same", false},
		{"a unit twice", head + "LAS,Teknik Las,Welding,LAS.01,K3,16\nLAS,Teknik Las,Welding,LAS.01,K3 lagi,16\n", 3, "sudah ada di baris 2", "already on line 2", false},
		{"unit columns without a unit code", head + "LAS,Teknik Las,Welding,,K3,16\n", 2, "tanpa unit_code", "without a unit_code", false},
		{"a field without its name", head + "LAS,,Welding,LAS.01,K3,16\n", 2, "baris 2: ", "line 2: ", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := reference.Parse(rows(t, tc.text))
			var re *reference.Error
			if !errors.As(err, &re) {
				t.Fatalf("error %v, want a reference.Error", err)
			}
			if re.Line != tc.line || !strings.Contains(re.Localized(domain.Indonesian), tc.wantID) || !strings.Contains(re.Localized(domain.English), tc.wantEN) {
				t.Fatalf("line %d, %q / %q; want line %d saying %q / %q", re.Line, re.Localized(domain.Indonesian), re.Localized(domain.English), tc.line, tc.wantID, tc.wantEN)
			}
			if errors.Is(err, reference.ErrNotReference) != tc.notReference {
				t.Fatalf("ErrNotReference %v, want %v", errors.Is(err, reference.ErrNotReference), tc.notReference)
			}
		})
	}
}

// The catalogue read as the server reads a file gives the same records.
func TestCatalogueBytesParseTheSameWithABOM(t *testing.T) {
	plain, err := reference.Parse(rows(t, string(assets.Catalogue)))
	if err != nil {
		t.Fatal(err)
	}
	bom, err := csv.NewReader(bytes.NewReader(append([]byte("\ufeff"), assets.Catalogue...))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got, err := reference.Parse(bom)
	if err != nil || len(got) != len(plain) {
		t.Fatalf("with a BOM: %d records, %v; want %d", len(got), err, len(plain))
	}
}
