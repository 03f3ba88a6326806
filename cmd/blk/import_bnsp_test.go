package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportBNSPRecordsByNIKAndHoldsAnotherName(t *testing.T) {
	// given Siti and Budi registered
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
	people := write("peserta.csv", "NIK,Nama,L/P,Tanggal lahir\n3201015708010001,Siti Aminah,P,17-08-2001\n3201010106950002,Budi Santoso,L,01/06/1995\n")
	if code, _, errs := blk(t, "--data", dir, "import", people); code != 0 {
		t.Fatalf("trainee import: %s", errs)
	}
	// when the LSP's list comes back, Budi's NIK under another name and a NIK nobody has
	list := write("lsp.csv", "NIK,Nama,No. Sertifikat,Skema,Tanggal Terbit,Berlaku Sampai\n"+
		"3201015708010001,SITI AMINAH,JHT.01.2026,Penjahit Pakaian,12-11-2026,12-11-2029\n"+
		"3201010106950002,Rina Marlina,JHT.02.2026,Penjahit Pakaian,12-11-2026,12-11-2029\n"+
		"3201010106950099,Joko,JHT.03.2026,Penjahit Pakaian,12-11-2026,12-11-2029\n")
	code, out, errs := blk(t, "--data", dir, "import", list, "--what", "bnsp")
	if code != 0 {
		t.Fatalf("bnsp import: exit %d: %s", code, errs)
	}
	for _, want := range []string{"1 sertifikat baru", "1 ditahan", "1 ditolak", "tidak terdaftar", "Rina Marlina", "--apply-held"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// when row 3 is applied, it is recorded; Siti's is already there
	code, out, errs = blk(t, "--data", dir, "import", list, "--what", "bnsp", "--apply-held", "3")
	if code != 0 || !strings.Contains(out, "1 sertifikat baru, 0 diperbarui, 1 sudah tercatat, 0 ditahan, 1 ditolak") {
		t.Fatalf("apply-held: exit %d %s\n%s", code, errs, out)
	}
	// an unknown --what is refused with the choices
	if code, _, errs := blk(t, "--data", dir, "import", list, "--what", "sertifikat"); code == 0 || !strings.Contains(errs, "trainees atau bnsp") {
		t.Errorf("unknown --what: exit %d %q", code, errs)
	}
}
