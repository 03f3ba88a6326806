package domain

import (
	"fmt"
	"strings"
	"time"
)

// NIK is a decoded Nomor Induk Kependudukan.
type NIK struct {
	Digits    string
	District  string // first 6 digits: the district where it was first issued
	Sex       string // L or P (day +40 means female)
	BirthDate time.Time
	Serial    string
}

// CleanDigits drops spaces, dashes, dots and a leading apostrophe, as people
// type NIKs and as spreadsheets keep them.
func CleanDigits(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "'")
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '\u00a0', '\t':
			return -1
		}
		return r
	}, s)
}

// DecodeNIK checks the structure of a NIK and decodes it. The two-digit year
// is placed in the century that makes the person between 0 and 99 years old
// at now. Problems are all Invalid level, on field "nik".
func DecodeNIK(s string, now time.Time) (NIK, Problems) {
	d := CleanDigits(s)
	var ps Problems
	bad := func(code string, args ...any) (NIK, Problems) {
		return NIK{Digits: d}, append(ps, Problem{Field: "nik", Level: Invalid, Code: code, Args: args})
	}
	if d == "" {
		return bad("problem.required")
	}
	for _, r := range d {
		if r < '0' || r > '9' {
			return bad("problem.nik.digits")
		}
	}
	if len(d) != 16 {
		return bad("problem.nik.length", len(d))
	}
	n := NIK{Digits: d, District: d[:6], Serial: d[12:]}
	if r, ok := LookupRegion(n.District); !ok || r.Level() != 3 {
		return bad("problem.nik.region", n.District)
	}
	day := atoi(d[6:8])
	month := atoi(d[8:10])
	yy := atoi(d[10:12])
	n.Sex = "L"
	if day > 40 {
		day -= 40
		n.Sex = "P"
	}
	year := 2000 + yy
	if year > now.Year() {
		year -= 100
	}
	bd := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 || day < 1 || bd.Day() != day || bd.Month() != time.Month(month) {
		return bad("problem.nik.date", d[6:12])
	}
	n.BirthDate = bd
	if n.Serial == "0000" {
		return bad("problem.nik.serial")
	}
	return n, nil
}

// MakeNIK composes a NIK from its parts (used by demo data and tests).
func MakeNIK(district string, birth time.Time, female bool, serial int) string {
	day := birth.Day()
	if female {
		day += 40
	}
	return fmt.Sprintf("%s%02d%02d%02d%04d", district, day, int(birth.Month()), birth.Year()%100, serial)
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
