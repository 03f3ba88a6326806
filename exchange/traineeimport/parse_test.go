package traineeimport

import (
	"testing"
	"time"
)

func TestParseDateReadsIndonesianSpellingsDayFirst(t *testing.T) {
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	tests := []struct{ in, want string }{
		{"17/08/2001", "2001-08-17"},
		{"1/2/1999", "1999-02-01"},
		{"5-3-98", "1998-03-05"},
		{"05.03.1998", "1998-03-05"},
		{"2001-08-17", "2001-08-17"},
		{"2001-08-17 00:00:00", "2001-08-17"},
		{"17 Agustus 2001", "2001-08-17"},
		{"17 agt 2001", "2001-08-17"},
		{"17-Agu-2001", "2001-08-17"},
		{"3 Pebruari 1990", "1990-02-03"},
		{"1 Januari 10", "2010-01-01"},
		{"1 Januari 27", "1927-01-01"}, // 2027 is in the future
		{"'17/08/2001", "2001-08-17"},
		{"31/02/2001", ""},
		{"17 Agustusan 2001", ""},
		{"2001", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in, now)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("parseDate(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestParseSexAndChoicesAcceptIndonesianWords(t *testing.T) {
	for in, want := range map[string]string{"L": "L", "p": "P", "Laki-laki": "L", "LAKI LAKI": "L", "Perempuan": "P", "Pria": "L", "Wanita": "P", "X": "X"} {
		if got := parseSex(in); got != want {
			t.Errorf("parseSex(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"SMK": "sma", "SMA/SMK/sederajat": "sma", "MTs": "smp", "D3": "d3", "S2": "s1", "Tidak sekolah": "none", "Senior secondary": "sma", "kursus": "kursus"} {
		if got := parseChoice("trainees.education", in); got != want {
			t.Errorf("education %q = %q, want %q", in, got, want)
		}
	}
}

func TestHeadersAreFoundByTheirIndonesianNames(t *testing.T) {
	for in, want := range map[string]string{"No. KTP": "nik", "NIK": "nik", "Nama Lengkap": "name", "L/P": "sex", "Jenis Kelamin": "sex",
		"Tgl. Lahir": "birth_date", "Tanggal Lahir": "birth_date", "No. HP/WA": "phone", "No HP": "phone", "Pendidikan Terakhir": "education",
		"Desa/Kode Wilayah": "village_code", "Kode Pos": "postal_code", "E-mail": "email", "Tempat, Tgl Lahir": placeAndDate} {
		if got := headerAliases[headerKey(in)]; got != want {
			t.Errorf("header %q = %q, want %q", in, got, want)
		}
	}
}
