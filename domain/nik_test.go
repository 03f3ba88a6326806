package domain_test

import (
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

var now = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

func TestDecodeNIK(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantCode string // problem code; "" when valid
		district string
		sex      string
		birth    string
	}{
		{"male", "3171011708010001", "", "317101", "L", "2001-08-17"},
		{"female day plus 40", "3171015708010001", "", "317101", "P", "2001-08-17"},
		{"born last century", "3171010101850002", "", "317101", "L", "1985-01-01"},
		{"spaces and dashes", "3171 0117-0801 0001", "", "317101", "L", "2001-08-17"},
		{"leading apostrophe from Excel", "'3171011708010001", "", "317101", "L", "2001-08-17"},
		{"old Papua code (Merauke before the 2022 split)", "9101011708010001", "", "910101", "L", "2001-08-17"},
		{"15 digits", "317101170801000", "problem.nik.length", "", "", ""},
		{"17 digits", "31710117080100011", "problem.nik.length", "", "", ""},
		{"letters", "31710117080100A1", "problem.nik.digits", "", "", ""},
		{"invalid month", "3171011713010001", "problem.nik.date", "", "", ""},
		{"day 32", "3171013201010001", "problem.nik.date", "", "", ""},
		{"female day 72", "3171017202010001", "problem.nik.date", "", "", ""},
		{"31 February", "3171013102010001", "problem.nik.date", "", "", ""},
		{"serial 0000", "3171011708010000", "problem.nik.serial", "", "", ""},
		{"unknown district", "9999991708010001", "problem.nik.region", "", "", ""},
		{"empty", "", "problem.required", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, ps := domain.DecodeNIK(tc.in, now)
			if tc.wantCode != "" {
				if len(ps) != 1 || ps[0].Code != tc.wantCode || ps[0].Level != domain.Invalid {
					t.Fatalf("problems = %+v, want one invalid %s", ps, tc.wantCode)
				}
				if ps[0].Message(domain.Indonesian) == ps[0].Message(domain.English) {
					t.Fatalf("message not translated: %q", ps[0].Message(domain.English))
				}
				return
			}
			if ps != nil {
				t.Fatalf("unexpected problems %v", ps.Text(domain.English))
			}
			if n.District != tc.district || n.Sex != tc.sex || n.BirthDate.Format(domain.DateLayout) != tc.birth {
				t.Fatalf("decoded %+v", n)
			}
		})
	}
}

func TestMakeNIKRoundTrips(t *testing.T) {
	birth := time.Date(1999, 2, 28, 0, 0, 0, 0, time.UTC)
	for _, female := range []bool{false, true} {
		s := domain.MakeNIK("320101", birth, female, 42)
		n, ps := domain.DecodeNIK(s, now)
		if ps != nil || !n.BirthDate.Equal(birth) || (n.Sex == "P") != female || n.Serial != "0042" {
			t.Fatalf("%s decoded to %+v %v", s, n, ps)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		mobile bool
		ok     bool
	}{
		{"081234567890", "+6281234567890", true, true},
		{"0812-3456-7890", "+6281234567890", true, true},
		{"0812 3456 7890", "+6281234567890", true, true},
		{"6281234567890", "+6281234567890", true, true},
		{"+62 812 3456 7890", "+6281234567890", true, true},
		{"+62-812-3456-7890", "+6281234567890", true, true},
		{"'081234567890", "+6281234567890", true, true},
		{"(021) 5551234", "+62215551234", false, true},
		{"0274-512345", "+62274512345", false, true},
		{"0812345", "", false, false},           // too short for a mobile
		{"08123456789012345", "", false, false}, // too long
		{"+1 555 123 4567", "", false, false},   // not Indonesian
		{"81234567890", "", false, false},       // no prefix
		{"0812abc4567", "", false, false},       // letters
		{"", "", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, mobile, ok := domain.NormalizePhone(tc.in)
			if got != tc.want || mobile != tc.mobile || ok != tc.ok {
				t.Fatalf("NormalizePhone(%q) = %q, %v, %v; want %q, %v, %v", tc.in, got, mobile, ok, tc.want, tc.mobile, tc.ok)
			}
		})
	}
}

func TestRegions(t *testing.T) {
	r, ok := domain.LookupRegion("31.71.01")
	if !ok || r.Name != "Gambir" || r.Level() != 3 || r.Historical {
		t.Fatalf("31.71.01 = %+v, %v", r, ok)
	}
	old, ok := domain.LookupRegion("910101")
	if !ok || !old.Historical || old.LastSeen != "2022" {
		t.Fatalf("old Merauke code = %+v, %v", old, ok)
	}
	if n := len(domain.RegionChildren("")); n != 38 {
		t.Fatalf("%d provinces, want 38", n)
	}
	for _, c := range domain.RegionChildren("91") {
		if c.Historical {
			t.Fatalf("picker offers historical code %s", c.Code)
		}
	}
	if p := domain.RegionPath("3171011001"); p != "Gambir, Gambir, Kota Administrasi Jakarta Pusat, Daerah Khusus Ibukota Jakarta" {
		t.Fatalf("RegionPath = %q", p)
	}
}
