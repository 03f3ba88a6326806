package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// server runs blk-server in-process and returns exit code, stdout, stderr.
func server(t testing.TB, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// referenceOf is the reference data a PC pulls from the server at db, as
// sorted text.
func referenceOf(t *testing.T, db string) []string {
	t.Helper()
	ctx := context.Background()
	st, err := central.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.AddCentre(ctx, central.Centre{Name: "BLK Uji", Region: "3201"})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for ref := int64(0); ; {
		page, err := st.Pull(ctx, c.ID, "", 0, ref, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range page.RefChanges {
			fields := map[string]any{}
			for k, v := range ch.Fields {
				if k != "centre_id" && k != "deleted" {
					fields[k] = v
				}
			}
			out = append(out, fmt.Sprint(ch.Table, " ", ch.ID, " ", fields))
		}
		if !page.More {
			break
		}
		ref = page.RefCursor
	}
	sort.Strings(out)
	return out
}

func TestReferenceImportReadsTheShippedCatalogueAndTheSameRowsAsXLSX(t *testing.T) {
	dir := t.TempDir()
	catalogue := filepath.Join("..", "..", "assets", "catalogue.csv")
	// given the catalogue the desktop ships, and its rows saved as a workbook
	raw, err := os.ReadFile(catalogue)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	for r, row := range rows {
		for c, v := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			var err error
			if n, nerr := strconv.Atoi(v); nerr == nil && r > 0 && c == 5 {
				err = f.SetCellInt("Sheet1", ref, int64(n)) // JP typed as a number
			} else {
				err = f.SetCellStr("Sheet1", ref, v)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	xlsx := filepath.Join(dir, "katalog.xlsx")
	if err := f.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	f.Close()

	// when each is imported into its own server
	fromCSV, fromXLSX := "sqlite:"+filepath.Join(dir, "csv.db"), "sqlite:"+filepath.Join(dir, "xlsx.db")
	code, out, errs := server(t, "reference", "import", catalogue, "--db", fromCSV, "--json")
	if code != 0 {
		t.Fatalf("import of the catalogue: exit %d: %s", code, errs)
	}
	var rep struct {
		Records int `json:"records"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%q: %v", out, err)
	}
	if code, _, errs := server(t, "reference", "import", "--db", fromXLSX, xlsx); code != 0 {
		t.Fatalf("import of the workbook: exit %d: %s", code, errs)
	}

	// then the server has every field and unit of the file, and the same
	// records from either
	got := referenceOf(t, fromCSV)
	if fields := strings.Count(string(raw), "\n"); rep.Records != len(got) || len(got) <= fields {
		t.Fatalf("reported %d records, server has %d, the file has %d unit lines", rep.Records, len(got), fields)
	}
	for _, r := range got {
		if !strings.HasPrefix(r, "vocational_fields ") && !strings.HasPrefix(r, "competency_units ") {
			t.Fatalf("not reference data: %s", r)
		}
	}
	if other := referenceOf(t, fromXLSX); strings.Join(other, "\n") != strings.Join(got, "\n") {
		t.Fatalf("the workbook gave other records:\n%s\nwant\n%s", strings.Join(other, "\n"), strings.Join(got, "\n"))
	}
	// and a desktop's seed from the same file is the same records, so the
	// server's copy replaces it field by field
	desk, err := store.Open(context.Background(), filepath.Join(dir, "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer desk.Close()
	var seeded []string
	for _, table := range []string{"vocational_fields", "competency_units"} {
		err := desk.EachRecord(context.Background(), table, func(r domain.Record) error {
			fields := domain.Values(r)
			id := fields["id"]
			delete(fields, "id")
			delete(fields, "centre_id")
			delete(fields, "deleted")
			seeded = append(seeded, fmt.Sprint(table, " ", id, " ", fields))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(seeded)
	if strings.Join(seeded, "\n") != strings.Join(got, "\n") {
		t.Fatalf("the desktop's seed differs from the server's import:\n%s\nwant\n%s", strings.Join(seeded, "\n"), strings.Join(got, "\n"))
	}
}

func TestReferenceImportOfABadFileSaysWhyAndStoresNothing(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "s.db")
	bad := filepath.Join(dir, "bad.csv")
	text := "field_code,field_name_id,field_name_en,unit_code,unit_title,jp\nLAS,Teknik Las,Welding,LAS.01,K3,16\nLAS,Teknik Las,Welding,LAS.02,SMAW,delapan puluh\n"
	if err := os.WriteFile(bad, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"id": `baris 3: jp "delapan puluh" bukan bilangan bulat`, "en": `line 3: jp "delapan puluh" is not a whole number`} {
		code, _, errs := server(t, "reference", "import", "--db", db, bad, "--lang", lang)
		if code == 0 || strings.Count(strings.TrimSpace(errs), "\n") != 0 || !strings.Contains(errs, want) {
			t.Fatalf("exit %d, stderr %q: want one line saying %q", code, errs, want)
		}
	}
	if got := referenceOf(t, db); len(got) != 0 {
		t.Fatalf("a refused file stored %d records", len(got))
	}
}
