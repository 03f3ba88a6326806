package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportListsHeldRowsAndAppliesThemOnlyWhenAsked(t *testing.T) {
	// given Siti and Budi imported from a first list
	dir := t.TempDir()
	if code, _, errs := blk(t, "--data", dir, "init", "--centre-name", "BLK Komunitas Al-Hikmah", "--region", "3201011001"); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	write := func(name, body string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	first := write("pertama.csv", "NIK,Nama,L/P,Tanggal lahir,No HP\n3201015708010001,Siti Aminah,P,17-08-2001,081200001111\n3201010106950002,Budi Santoso,L,01/06/1995,081200002222\n")
	if code, _, errs := blk(t, "--data", dir, "import", first); code != 0 {
		t.Fatalf("first import: %s", errs)
	}
	// when a second list carries Budi's NIK under Rina's name, and a new phone for Siti
	second := write("kedua.csv", "NIK,Nama,L/P,Tanggal lahir,No HP\n3201015708010001,SITI AMINAH,P,17 Agustus 2001,081299991111\n3201010106950002,Rina Marlina,L,01-06-1995,081377778888\n")
	code, out, errs := blk(t, "--data", dir, "import", second)
	// then the row is named with both names, Budi is unchanged, Siti's phone is updated
	if code != 0 {
		t.Fatalf("second import: exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"NIK sama, nama berbeda: terdaftar «Budi Santoso», di file «Rina Marlina»",
		"No. HP: +6281200001111 → +6281299991111",
		"1 diperbarui", "1 ditahan",
		"1 baris ditahan (baris 3)", "--apply-held 3",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// when the flag names a row badly, nothing is imported and the error says how
	if code, _, errs := blk(t, "--data", dir, "import", second, "--apply-held", "tiga"); code == 0 || !strings.Contains(errs, "--apply-held 12,15") {
		t.Errorf("bad --apply-held: exit %d, %q", code, errs)
	}
	// when the operator applies row 3 explicitly
	code, out, errs = blk(t, "--data", dir, "import", second, "--apply-held", "3")
	if code != 0 || !strings.Contains(out, "diterapkan atas keputusan operator") || !strings.Contains(out, "0 ditahan") {
		t.Fatalf("apply-held 3: exit %d %s\n%s", code, errs, out)
	}
}
