package traineeimport_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange/traineeimport"
)

func TestAListWithPesantrenEducationLevelsImportsEveryRow(t *testing.T) {
	ctx := context.Background()
	// given a pesantren's list: its own education levels, its own words
	// for sex, and one education nobody has a code for
	s := newStore(t)
	type person struct {
		nik, name, sex, education, group string
		wantEducation, wantSex           string
	}
	people := []person{
		{nik(date(2001, 8, 17), true, 1), "Siti Aminah", "Putri", "Pesantren (Ulya)", "Santri", "sma", "P"},
		{nik(date(2002, 1, 5), false, 2), "Ahmad Fauzi", "Putra", "Wustha", "santri", "smp", "L"},
		{nik(date(2003, 3, 3), false, 3), "Rudi Hartono", "Ikhwan", "Madrasah Ibtidaiyah", "", "sd", "L"},
		{nik(date(2000, 4, 4), true, 4), "Dewi Lestari", "Akhwat", "MTs", "", "smp", "P"},
		{nik(date(1999, 5, 5), true, 5), "Nur Aisyah", "P", "Paket C", "", "sma", "P"},
		{nik(date(1998, 6, 6), false, 6), "Joko Susilo", "L", "Mu'adalah", "", "sma", "L"},
		{nik(date(1997, 7, 7), false, 7), "Agus Salim", "L", "D4", "", "s1", "L"},
		{nik(date(1996, 8, 8), false, 8), "Bambang Irawan", "L", "S2", "", "s1", "L"},
		{nik(date(1995, 9, 9), true, 9), "Rina Marlina", "P", "D1", "", "d3", "P"},
		{nik(date(1994, 10, 10), false, 10), "Yusuf Hakim", "L", "Tidak sekolah", "", "none", "L"},
		{nik(date(1993, 11, 11), true, 11), "Lina Marlina", "P", "Salafiyah Ula", "", "sd", "P"},
		{nik(date(1992, 12, 12), false, 12), "Hadi Pranoto", "L", "MA", "", "sma", "L"},
		{nik(date(2001, 2, 2), false, 13), "Umar Said", "L", "Kulliyatul Mu'allimin", "Alumni", "Kulliyatul Mu'allimin", "L"},
		{nik(date(2001, 2, 3), true, 14), "Aisyah Putri", "?", "SMK", "", "sma", "P"},
	}
	rows := []sheetRow{{"NIK", "Nama", "Jenis Kelamin", "Tgl Lahir", "Pendidikan Terakhir", "Kelompok"}}
	for _, p := range people {
		n, _ := domain.DecodeNIK(p.nik, today)
		rows = append(rows, sheetRow{p.nik, p.name, p.sex, n.BirthDate.Format("02-01-2006"), p.education, p.group})
	}

	// when it is imported
	rep, err := traineeimport.Import(ctx, s, writeXLSX(t, rows), traineeimport.Options{Lang: domain.Indonesian})
	if err != nil {
		t.Fatal(err)
	}

	// then every row is saved, with the level mapped or the text kept
	if rep.Refused != 0 || rep.Imported+rep.Flagged != len(people) {
		t.Fatalf("not every row saved: %s\n%+v", rep.Summary(domain.Indonesian), rep.Rows)
	}
	for _, p := range people {
		tr := traineeByNIK(t, s, p.nik)
		if tr.Education != p.wantEducation || tr.Sex != p.wantSex {
			t.Errorf("%s: education %q sex %q, want %q %q", p.name, tr.Education, tr.Sex, p.wantEducation, p.wantSex)
		}
	}
	umar := rep.Rows[12]
	if umar.Status != traineeimport.RowFlagged || !strings.Contains(strings.Join(umar.Reasons, ";"), "«Kulliyatul Mu'allimin» tidak ada dalam pilihan; disimpan apa adanya") ||
		!strings.Contains(strings.Join(umar.Reasons, ";"), "«Alumni» tidak ada dalam pilihan") {
		t.Errorf("unknown education: %+v, want saved with a warning that names it", umar)
	}
	if r := rep.Rows[13]; r.Status != traineeimport.RowFlagged || !strings.Contains(strings.Join(r.Reasons, ";"), "diisi dari NIK: Perempuan") {
		t.Errorf("unknown sex: %+v, want it taken from the NIK with a note", r)
	}
}
