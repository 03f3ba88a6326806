package domain

import (
	"strings"
	"time"
)

// This file holds the rules of attendance and graduation that the
// programme screen, the printed cohort report, the desktop store and the
// server share (issue 9.5): one attendance percentage, the safeguards of
// "Nyatakan lulus", a graduation date within its cohort, and no attendance
// for a day that has not come.

// AttendanceRate is the share of marked days a trainee was present, in
// whole percent rounded half up; ok is false before any day is marked. The
// programme screen and the printed report both show this number.
func AttendanceRate(present, marked int) (rate int, ok bool) {
	if marked <= 0 {
		return 0, false
	}
	return (present*200 + marked) / (marked * 2), true
}

// AttendanceRateOf counts marks (one per day, "" for an unmarked day).
func AttendanceRateOf(marks map[string]string) (rate int, ok bool) {
	marked, present := 0, 0
	for _, m := range marks {
		if m == "" {
			continue
		}
		marked++
		if m == AttendancePresent {
			present++
		}
	}
	return AttendanceRate(present, marked)
}

// latestZone is where the Indonesian calendar day starts first (WIT,
// UTC+9): a day that has begun anywhere in Indonesia is not in the future,
// whatever zone the PC or the server keeps its clock in.
var latestZone = time.FixedZone("WIT", 9*60*60)

// Today is the latest calendar date in Indonesia at now.
func Today(now time.Time) string { return now.In(latestZone).Format(DateLayout) }

// GraduationReasons are why graduating a trainee needs the operator's
// confirmation: units assessed Belum Kompeten, attendance below the
// centre's minimum. Each is a warning Problem whose text names it; none
// means the trainee may graduate without asking.
func GraduationReasons(notCompetent []string, present, marked, minimum int) Problems {
	var ps Problems
	if len(notCompetent) > 0 {
		ps = append(ps, Problem{Field: "status", Level: Warning, Code: "problem.graduation.not_competent",
			Args: []any{len(notCompetent), strings.Join(notCompetent, ", ")}})
	}
	if rate, ok := AttendanceRate(present, marked); ok && rate < minimum {
		ps = append(ps, Problem{Field: "status", Level: Warning, Code: "problem.graduation.attendance", Args: []any{rate, minimum}})
	}
	return ps
}

// CheckGraduationDate refuses a completion date before the cohort's start:
// a trainee cannot graduate from training that had not begun. The desktop
// store and the server both apply it when an enrollment is saved.
func CheckGraduationDate(e *Enrollment, cohortStart string) Problems {
	if e.Deleted || e.Status != EnrollmentCompleted || e.CompletedOn == "" || cohortStart == "" {
		return nil
	}
	done, ok1 := ParseDate(e.CompletedOn)
	start, ok2 := ParseDate(cohortStart)
	if ok1 && ok2 && done.Before(start) {
		return Problems{{Field: "completed_on", Level: Invalid, Code: "problem.graduation.before_start", Args: []any{ShowDate(cohortStart)}}}
	}
	return nil
}
