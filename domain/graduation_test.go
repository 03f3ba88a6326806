package domain_test

import (
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

func TestAttendanceRateRoundsToTheNearestPercent(t *testing.T) {
	for _, c := range []struct {
		present, marked, want int
		ok                    bool
	}{
		{0, 0, 0, false}, {2, 3, 67, true}, {1, 3, 33, true}, {1, 2, 50, true}, {159, 200, 80, true}, {158, 200, 79, true}, {5, 5, 100, true},
	} {
		if got, ok := domain.AttendanceRate(c.present, c.marked); got != c.want || ok != c.ok {
			t.Errorf("%d of %d: %d %v, want %d %v", c.present, c.marked, got, ok, c.want, c.ok)
		}
	}
}

func TestAttendanceForADayThatHasNotComeIsInvalid(t *testing.T) {
	// 23:30 UTC on 26 November is already 27 November in Jakarta and Jayapura
	now := time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		date    string
		invalid bool
	}{{"2026-11-26", false}, {"2026-11-27", false}, {"2026-11-28", true}, {"2027-01-01", true}} {
		a := &domain.Attendance{EnrollmentID: "e", Date: c.date, Mark: "H"}
		ps := domain.Validate(a, domain.Rules{Now: now})
		if ps.Invalid() != c.invalid {
			t.Errorf("%s: problems %v, want invalid %v", c.date, ps, c.invalid)
		}
		if c.invalid && ps.For("date")[0].Code != "problem.attendance.future" {
			t.Errorf("%s: %v", c.date, ps)
		}
	}
}

func TestGraduationReasonsNameTheUnitsAndTheAttendance(t *testing.T) {
	ps := domain.GraduationReasons([]string{"LAS.01", "LAS.02"}, 7, 10, 80)
	if len(ps) != 2 || ps.Invalid() {
		t.Fatalf("reasons %v", ps)
	}
	if got := ps[0].Message(domain.Indonesian); got != "2 unit masih Belum Kompeten (LAS.01, LAS.02)" {
		t.Errorf("units: %q", got)
	}
	if got := ps[1].Message(domain.English); got != "attendance 70% is below the centre's minimum of 80%" {
		t.Errorf("attendance: %q", got)
	}
	if ps := domain.GraduationReasons(nil, 8, 10, 80); len(ps) != 0 {
		t.Errorf("80%% of 80%%: %v", ps)
	}
	if ps := domain.GraduationReasons(nil, 0, 0, 80); len(ps) != 0 {
		t.Errorf("no attendance recorded is no reason: %v", ps)
	}
}

func TestAGraduationDateBeforeTheCohortStartIsInvalid(t *testing.T) {
	e := &domain.Enrollment{Status: domain.EnrollmentCompleted, CompletedOn: "2026-11-13"}
	if ps := domain.CheckGraduationDate(e, "2026-11-16"); !ps.Invalid() || ps[0].Field != "completed_on" {
		t.Fatalf("before the start: %v", ps)
	}
	e.CompletedOn = "2026-11-16"
	if ps := domain.CheckGraduationDate(e, "2026-11-16"); len(ps) != 0 {
		t.Fatalf("on the first day: %v", ps)
	}
	e.Status, e.CompletedOn = domain.EnrollmentActive, ""
	if ps := domain.CheckGraduationDate(e, "2026-11-16"); len(ps) != 0 {
		t.Fatalf("not graduating: %v", ps)
	}
}

func TestTheCentresAttendanceMinimumDefaultsTo80(t *testing.T) {
	c := &domain.Centre{Name: "BLK"}
	if c.AttendanceMinimum() != 80 {
		t.Fatal(c.AttendanceMinimum())
	}
	c.MinAttendance = 101
	if ps := domain.Validate(c, domain.Rules{}); !ps.Invalid() {
		t.Fatal("a minimum of 101% was accepted")
	}
}
