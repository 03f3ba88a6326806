package domain_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kemnaker/blk/domain"
)

func trainee() *domain.Trainee {
	return &domain.Trainee{
		NIK: "3171015708010001", Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17",
		Phone: "0812-3456-7890", VillageCode: "31.71.01.1001", Email: "Siti@Example.id",
	}
}

func TestValidateTrainee(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*domain.Trainee)
		field string
		level domain.Level
		code  string
	}{
		{"valid", func(*domain.Trainee) {}, "", 0, ""},
		{"sex disagrees with NIK is a warning", func(tr *domain.Trainee) { tr.Sex = "L" }, "sex", domain.Warning, "problem.nik.sex"},
		{"birth date disagrees with NIK is a warning", func(tr *domain.Trainee) { tr.BirthDate = "2001-08-18" }, "birth_date", domain.Warning, "problem.nik.birthdate"},
		{"landline is a warning", func(tr *domain.Trainee) { tr.Phone = "(021) 5551234" }, "phone", domain.Warning, "problem.phone.landline"},
		{"unreadable phone is invalid", func(tr *domain.Trainee) { tr.Phone = "12-34" }, "phone", domain.Invalid, "problem.phone.invalid"},
		{"district instead of village is a warning", func(tr *domain.Trainee) { tr.VillageCode = "317101" }, "village_code", domain.Warning, "problem.region.village"},
		{"BPS-style unknown code is invalid", func(tr *domain.Trainee) { tr.VillageCode = "3171010001" }, "village_code", domain.Invalid, "problem.region.invalid"},
		{"bad email", func(tr *domain.Trainee) { tr.Email = "siti@" }, "email", domain.Invalid, "problem.email.invalid"},
		{"digits in name", func(tr *domain.Trainee) { tr.Name = "Siti 2" }, "name", domain.Invalid, "problem.name.chars"},
		{"bad date", func(tr *domain.Trainee) { tr.BirthDate = "17/08/2001" }, "birth_date", domain.Invalid, "problem.date.invalid"},
		{"too young", func(tr *domain.Trainee) { tr.NIK = "3171015708150001"; tr.BirthDate = "2015-08-17" }, "birth_date", domain.Warning, "problem.age.range"},
		{"bad KK", func(tr *domain.Trainee) { tr.KK = "123" }, "kk", domain.Invalid, "problem.kk.length"},
		{"postal code", func(tr *domain.Trainee) { tr.PostalCode = "1234" }, "postal_code", domain.Invalid, "problem.postal.invalid"},
		// An open choice keeps what the field writes, with a warning; a closed one refuses.
		{"unknown education", func(tr *domain.Trainee) { tr.Education = "Pesantren (Ulya)" }, "education", domain.Warning, "problem.choice.other"},
		{"unknown group", func(tr *domain.Trainee) { tr.Group = "alumni" }, "grp", domain.Warning, "problem.choice.other"},
		{"unknown sex", func(tr *domain.Trainee) { tr.Sex = "X" }, "sex", domain.Invalid, "problem.choice.invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := trainee()
			tc.edit(tr)
			domain.Normalize(tr)
			ps := domain.Validate(tr, domain.Rules{Now: now})
			if tc.code == "" {
				if len(ps) != 0 {
					t.Fatalf("unexpected: %s", ps.Text(domain.English))
				}
				if tr.Phone != "+6281234567890" || tr.VillageCode != "3171011001" || tr.Email != "siti@example.id" {
					t.Fatalf("not normalised: %+v", tr)
				}
				return
			}
			got := ps.For(tc.field)
			if len(got) != 1 || got[0].Code != tc.code || got[0].Level != tc.level {
				t.Fatalf("problems on %s = %+v (all: %s)", tc.field, got, ps.Text(domain.English))
			}
		})
	}
}

func TestValidateCohortQuota(t *testing.T) {
	c := &domain.Cohort{ProgrammeID: "p", Year: 2026, Number: 1, StartDate: "2026-01-05", EndDate: "2026-02-27", Status: domain.CohortPlanned}
	for _, tc := range []struct {
		quota   int64
		invalid bool
		warn    bool
	}{{16, false, false}, {20, false, true}, {24, false, true}, {25, true, false}, {0, true, false}} {
		c.Quota = tc.quota
		ps := domain.Validate(c, domain.Rules{Now: now})
		if ps.Invalid() != tc.invalid || (len(ps.Warnings()) > 0) != tc.warn {
			t.Errorf("quota %d: %s", tc.quota, ps.Text(domain.English))
		}
	}
	c.Quota = 30
	if ps := domain.Validate(c, domain.Rules{Now: now, QuotaCap: 32}); ps.Invalid() {
		t.Errorf("configurable cap ignored: %s", ps.Text(domain.English))
	}
}

func TestMergeRuleIsATotalOrder(t *testing.T) {
	a := domain.Version{Clock: 10, Device: "a"}
	b := domain.Version{Clock: 10, Device: "b"}
	c := domain.Version{Clock: 11, Device: "a"}
	if !b.Newer(a) || a.Newer(b) || !c.Newer(b) || b.Newer(c) || a.Newer(a) {
		t.Fatal("Newer is not a strict total order")
	}
	if !a.Newer(domain.Version{}) {
		t.Fatal("any write must beat a never-written field")
	}
}

func TestClockNeverGoesBack(t *testing.T) {
	t0 := now
	c1 := domain.Next(0, t0)
	c2 := domain.Next(c1, t0)                    // same millisecond
	c3 := domain.Next(c2, t0.Add(-24*time.Hour)) // PC clock set back a day
	remote := domain.MakeClock(t0.Add(time.Hour).UnixMilli(), 5)
	c4 := domain.Next(domain.Observe(c3, remote), t0)
	if !(c1 < c2 && c2 < c3 && c3 < c4 && remote < c4) {
		t.Fatalf("clocks not increasing: %d %d %d %d (remote %d)", c1, c2, c3, c4, remote)
	}
	if c1.WallMS() != t0.UnixMilli() {
		t.Fatalf("wall part = %d", c1.WallMS())
	}
}

// TestTextThatCannotBeStoredIsRefused: text fields have maximum lengths
// and refuse NUL and invalid UTF-8, with a message that says what to fix
// and never repeats the value.
func TestTextThatCannotBeStoredIsRefused(t *testing.T) {
	huge := strings.Repeat("PT Maju Jaya ", 9<<20/13) // about 9 MiB
	tests := []struct {
		name  string
		rec   domain.Record
		field string
		code  string
	}{
		{"a 9 MiB partner name", &domain.Partner{Name: huge, Type: domain.PartnerIndustry}, "name", "problem.too.long"},
		{"a NUL in an address", func() domain.Record { tr := trainee(); tr.Address = "Jl. Melati\x00 No. 4"; return tr }(), "address", "problem.text.nul"},
		{"invalid UTF-8 in a name", func() domain.Record { tr := trainee(); tr.Name = "Siti \xff\xfe Aminah"; return tr }(), "name", "problem.text.utf8"},
		{"a lone surrogate's bytes in a note", &domain.Funding{Source: "APBN", Amount: 1, Year: 2026, Note: "a\xed\xa0\x80b"}, "note", "problem.text.utf8"},
		{"a 101-character trainee name", func() domain.Record { tr := trainee(); tr.Name = strings.Repeat("a", 101); return tr }(), "name", "problem.too.long"},
		{"a NUL in a date", &domain.Funding{Source: "APBN", Amount: 1, Year: 2026, ReceivedOn: "2026\x00-01-01"}, "received_on", "problem.text.nul"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			domain.Normalize(tc.rec)
			ps := domain.Validate(tc.rec, domain.Rules{Now: now})
			got := ps.For(tc.field)
			if len(got) != 1 || got[0].Code != tc.code || got[0].Level != domain.Invalid {
				t.Fatalf("problems on %s: %+v", tc.field, got)
			}
			for _, l := range []domain.Lang{domain.Indonesian, domain.English} {
				if m := ps.Text(l); len(m) > 300 || strings.IndexByte(m, 0) >= 0 || !utf8.ValidString(m) {
					t.Fatalf("message repeats the value (%d bytes): %.200q", len(m), m)
				}
			}
			// The server checks what a change writes the same way, tombstones too.
			tb := domain.TableOf(tc.rec)
			f, _ := tb.Field(tc.field)
			if ps := domain.CheckText(tb, map[string]any{tc.field: f.Get(tc.rec), "deleted": true}); len(ps) != 1 || ps[0].Code != tc.code {
				t.Fatalf("CheckText: %+v", ps)
			}
		})
	}
	// 100 characters of a three-byte script fit a 100-character name.
	tr := trainee()
	tr.Name = strings.Repeat("ꦱ", 100)
	if ps := domain.Validate(tr, domain.Rules{Now: now}).For("name"); len(ps) != 0 {
		t.Fatalf("300 bytes of Javanese script in 100 characters: %+v", ps)
	}
	// A tombstone lands whatever it holds.
	p := &domain.Partner{Name: huge, Meta: domain.Meta{Deleted: true}}
	if ps := domain.Validate(p, domain.Rules{Now: now}); len(ps) != 0 {
		t.Fatalf("tombstone refused: %+v", ps)
	}
}

// TestTheDeclaredRules: required, date, choice and positive come from the
// struct tags, for every table alike.
func TestTheDeclaredRules(t *testing.T) {
	p := &domain.Programme{Name: " ", FieldCode: "LAS", TotalJP: 0, MinutesPerJP: 45}
	domain.Normalize(p)
	ps := domain.Validate(p, domain.Rules{Now: now})
	if g := ps.For("name"); len(g) != 1 || g[0].Code != "problem.required" {
		t.Errorf("blank name: %+v", g)
	}
	if g := ps.For("total_jp"); len(g) != 1 || g[0].Code != "problem.positive" {
		t.Errorf("0 JP: %+v", g)
	}
	e := &domain.Enrollment{CohortID: "c", TraineeID: "t", Status: "graduated", EnrolledOn: "2026-13-01"}
	ps = domain.Validate(e, domain.Rules{Now: now})
	if g := ps.For("status"); len(g) != 1 || g[0].Code != "problem.choice.invalid" {
		t.Errorf("unknown status: %+v", g)
	}
	if g := ps.For("enrolled_on"); len(g) != 1 || g[0].Code != "problem.date.invalid" {
		t.Errorf("month 13: %+v", g)
	}
	e = &domain.Enrollment{CohortID: "c", TraineeID: "t", Status: domain.EnrollmentCompleted}
	if g := domain.Validate(e, domain.Rules{Now: now}).For("completed_on"); len(g) != 1 || g[0].Code != "problem.required" {
		t.Errorf("completed without a date: %+v", g)
	}
}

func TestReadDateReadsDatesAsIndonesiansWriteThem(t *testing.T) {
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	for _, in := range []string{"17-08-2001", "17/08/2001", "17-8-01", "17 Agustus 2001", "17 Agu 2001", "2001-08-17", "17.08.2001", " 17 agustus 2001 ", "'17/08/2001", "17 August 2001"} {
		if got, ok := domain.ReadDate(in, now); !ok || got != "2001-08-17" {
			t.Errorf("ReadDate(%q) = %q, %v; want 2001-08-17", in, got, ok)
		}
	}
	// a two-digit year is never in the future
	if got, _ := domain.ReadDate("1-1-27", now); got != "1927-01-01" {
		t.Errorf("1-1-27 read as %s", got)
	}
	for _, in := range []string{"31-02-2001", "17-13-2001", "17 Agustusan 2001", "kemarin", "", "2001-08-17x"} {
		if got, ok := domain.ReadDate(in, now); ok {
			t.Errorf("ReadDate(%q) = %q, want not a date", in, got)
		}
	}
	if got := domain.ShowDate("2001-08-17"); got != "17-08-2001" {
		t.Errorf("ShowDate = %q", got)
	}
	if got := domain.ShowDate("kemarin"); got != "kemarin" {
		t.Errorf("ShowDate of a non-date hid it: %q", got)
	}
}
