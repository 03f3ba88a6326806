package traineeimport_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange/traineeimport"
)

// secondList is a centre's second list: Siti again with her title and a
// new phone (an honest update), a NIK typed wrong that is Budi's under
// Rina's name, Ahmad with a birth date that is not his, and someone new.
func secondList(t *testing.T, siti, budi, ahmad, rina string) string {
	t.Helper()
	return writeXLSX(t, []sheetRow{
		{"NIK", "Nama", "L/P", "Tgl Lahir", "No HP"},
		{siti, "Hj. SITI  aminah, S.Pd.", "P", "17-08-2001", "0812-9999-1111"},
		{budi, "Rina Marlina", "P", "01/06/1995", "0813-2222-3333"},
		{ahmad, "Ahmad Fauzi", "L", "18-08-1999", "0812-1111-2222"},
		{rina, "Rina Marlina", "P", "20 Februari 2002", "0813-2222-3333"},
	})
}

func TestImportHoldsBackARowWhoseNIKIsSomeoneElse(t *testing.T) {
	ctx := context.Background()
	// given Siti, Budi and Ahmad registered from a first list
	s := newStore(t)
	siti, budi, ahmad := nik(date(2001, 8, 17), true, 1), nik(date(1995, 6, 1), false, 2), nik(date(1999, 8, 17), false, 3)
	rina := nik(date(2002, 2, 20), true, 4)
	for _, tr := range []*domain.Trainee{
		{NIK: siti, Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17", Phone: "081200001111"},
		{NIK: budi, Name: "Budi Santoso", Sex: "L", BirthDate: "1995-06-01", Phone: "081200002222"},
		{NIK: ahmad, Name: "Ahmad Fauzi", Sex: "L", BirthDate: "1999-08-17"},
	} {
		if _, err := s.Save(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	path := secondList(t, siti, budi, ahmad, rina)

	// when the second list is imported without the operator's say
	rep, err := traineeimport.Import(ctx, s, path, traineeimport.Options{Lang: domain.Indonesian})
	if err != nil {
		t.Fatal(err)
	}

	// then Budi is still Budi, Ahmad keeps his birth date, and both rows
	// are named with both versions; Siti's honest update and Rina apply
	b := traineeByNIK(t, s, budi)
	if b.Name != "Budi Santoso" || b.Sex != "L" || b.Phone != "+6281200002222" {
		t.Errorf("Budi changed: %+v", b)
	}
	if a := traineeByNIK(t, s, ahmad); a.BirthDate != "1999-08-17" {
		t.Errorf("Ahmad's birth date changed: %+v", a)
	}
	if si := traineeByNIK(t, s, siti); si.Phone != "+6281299991111" || si.Name != "Siti Aminah" {
		t.Errorf("Siti's phone not updated, or her name rewritten: %+v", si)
	}
	traineeByNIK(t, s, rina)
	byLine := map[int]traineeimport.Row{}
	for _, r := range rep.Rows {
		byLine[r.Line] = r
	}
	if r := byLine[3]; r.Status != traineeimport.RowHeld || !strings.Contains(strings.Join(r.Reasons, ";"), "NIK sama, nama berbeda: terdaftar «Budi Santoso», di file «Rina Marlina»") {
		t.Errorf("row 3 = %+v, want held with both names", r)
	}
	if r := byLine[4]; r.Status != traineeimport.RowHeld || !strings.Contains(strings.Join(r.Reasons, ";"), "tanggal lahir berbeda: terdaftar 17-08-1999, di file 18-08-1999") {
		t.Errorf("row 4 = %+v, want held for the birth date", r)
	}
	if r := byLine[2]; r.Status != traineeimport.RowUpdated || len(r.Changes) != 1 || r.Changes[0].Text(domain.Indonesian) != "No. HP: +6281200001111 → +6281299991111" {
		t.Errorf("row 2 = %+v, want updated with the phone's old → new", r)
	}
	if rep.Held != 2 || rep.Updated != 1 || rep.Imported != 1 || rep.Refused != 0 || len(rep.HeldRows()) != 2 {
		t.Errorf("counts %+v", rep)
	}
	want := "4 baris dibaca: 1 baru, 1 diperbarui, 0 tidak berubah, 0 disimpan dengan peringatan, 2 ditahan (NIK sama, orang berbeda), 0 ditolak"
	if got := rep.Summary(domain.Indonesian); !strings.Contains(got, want) {
		t.Errorf("summary %q, want it to say %q", got, want)
	}

	// when the operator applies row 4 (Ahmad's date was wrong before)
	rep, err = traineeimport.Import(ctx, s, path, traineeimport.Options{Lang: domain.English, ApplyHeld: traineeimport.ApplyLines(4)})
	if err != nil {
		t.Fatal(err)
	}
	// then only that row changes who is registered
	if a := traineeByNIK(t, s, ahmad); a.BirthDate != "1999-08-18" {
		t.Errorf("Ahmad's approved birth date not applied: %+v", a)
	}
	if b := traineeByNIK(t, s, budi); b.Name != "Budi Santoso" {
		t.Errorf("Budi changed by another row's approval: %+v", b)
	}
	if rep.Held != 1 || !rep.Rows[2].Applied || rep.Rows[2].Status == traineeimport.RowHeld {
		t.Errorf("after applying row 4: %+v", rep)
	}
	if got := rep.Summary(domain.English); !strings.Contains(got, "4 rows read: 0 new, 0 updated, 2 unchanged, 1 saved with warnings, 1 held back") {
		t.Errorf("summary %q", got)
	}
}

func TestNameKeySetsAsideWhatIsNotTheName(t *testing.T) {
	same := [][2]string{
		{"Hj. Siti  Aminah, S.Pd.", "SITI AMINAH"},
		{"H. Ahmad Fauzi S.Ag", "ahmad fauzi"},
		{"Muhammad Ma'ruf", "Muhammad Maruf"},
		{"Nur Aini", "Nuraini"},
		{"K.H. Abdul Rahman, M.Pd.I", "Abdul-Rahman"},
		{"Dra. Sri Wahyuni, M.Pd.", "Sri Wahyuni"},
	}
	for _, p := range same {
		if !domain.SameName(p[0], p[1]) {
			t.Errorf("%q and %q should be one name (%q, %q)", p[0], p[1], domain.NameKey(p[0]), domain.NameKey(p[1]))
		}
	}
	other := [][2]string{{"Siti Aminah", "Siti Aminah Putri"}, {"Budi Santoso", "Rina Marlina"}, {"Hj.", "Siti"}}
	for _, p := range other {
		if domain.SameName(p[0], p[1]) {
			t.Errorf("%q and %q should be two names", p[0], p[1])
		}
	}
}

func TestTheTemplateFilledInImportsAndItsExampleDoesNot(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	// given the blank template, as the Peserta screen offers it
	path := filepath.Join(t.TempDir(), "templat.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := traineeimport.WriteTemplate(out, domain.Indonesian); err != nil {
		t.Fatal(err)
	}
	out.Close()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// its NIK column is text and sex has a drop-down
	if st, _ := f.GetCellStyle("Peserta", "A2"); st == 0 {
		t.Error("NIK column not formatted as text")
	}
	dvs, err := f.GetDataValidations("Peserta")
	if err != nil || len(dvs) < 3 || !strings.Contains(dvs[0].Formula1, "Perempuan") {
		t.Fatalf("drop-downs %+v (%v)", dvs, err)
	}
	// when a trainee is typed under its headers, in the operator's spelling
	siti := nik(date(2001, 8, 17), true, 1)
	for col, v := range map[string]string{"A2": siti, "C2": "Siti Aminah", "D2": "Perempuan", "F2": "17-08-2001", "G2": "Pesantren (Ulya)", "H2": "Santri"} {
		if err := f.SetCellStr("Peserta", col, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	rep, err := traineeimport.Import(ctx, s, path, traineeimport.Options{Lang: domain.Indonesian})
	if err != nil {
		t.Fatal(err)
	}
	// then that trainee, and not the example, is imported
	if len(rep.Rows) != 1 || rep.Imported != 1 || len(rep.Ignored) != 0 {
		t.Fatalf("report %+v", rep)
	}
	if tr := traineeByNIK(t, s, siti); tr.Education != "sma" || tr.Group != "santri" || tr.BirthDate != "2001-08-17" {
		t.Errorf("stored %+v", tr)
	}
}
