package programmes

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/pdfdoc"
	"github.com/kemnaker/blk/store"
)

// graduationDialog is the confirmation on show, as markup ("" when none).
func graduationDialog(s *Screen) string {
	top := s.deps.Window.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	return test.RenderObjectToMarkup(top)
}

// answerGraduation taps "Ya, nyatakan lulus" (yes) or Batal in the
// confirmation that must be on show.
func answerGraduation(t *testing.T, s *Screen, yes bool) {
	t.Helper()
	top := s.deps.Window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no confirmation was asked")
	}
	label := i18n.T("common.cancel")
	if yes {
		label = i18n.T("grad.confirm.yes")
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == label {
			test.Tap(b)
			ui.Settle(t)
			return
		}
	}
	t.Fatalf("the confirmation has no %q", label)
}

// runningCohort is a cohort that started on 2026-11-16 and ends after
// today (2026-11-27), with two units and the given trainees enrolled.
func runningCohort(t *testing.T, s *Screen, st *store.Store, names ...string) (*domain.Cohort, []*domain.Enrollment) {
	t.Helper()
	ctx := context.Background()
	p := &domain.Programme{Name: "Las Listrik Dasar", FieldCode: "LAS", TotalJP: 40, MinutesPerJP: 45}
	save := func(r domain.Record) {
		t.Helper()
		if _, err := st.Save(ctx, r); err != nil {
			t.Fatalf("%T: %v", r, err)
		}
	}
	save(p)
	save(&domain.ProgrammeUnit{ProgrammeID: p.ID, UnitCode: "LAS.01", Title: "Menyiapkan mesin las", JP: 20, Position: 1})
	save(&domain.ProgrammeUnit{ProgrammeID: p.ID, UnitCode: "LAS.02", Title: "Mengelas posisi bawah tangan", JP: 20, Position: 2})
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 1, StartDate: "2026-11-16", EndDate: "2026-12-04", Quota: 16, Status: domain.CohortRunning}
	save(c)
	var ens []*domain.Enrollment
	for i, n := range names {
		tr := traineeFixture(t, st, n, i+1)
		e := &domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, EnrolledOn: "2026-11-10", Status: domain.EnrollmentActive}
		save(e)
		ens = append(ens, e)
	}
	s.Update(ctx)
	ui.Settle(t)
	s.chooseProgramme(p)
	ui.Settle(t)
	s.chooseCohort(c)
	ui.Settle(t)
	return c, ens
}

func TestAttendanceIsNeverMarkedInTheFutureAndAllPresentMarksADay(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newScreen(t)
	c, ens := runningCohort(t, s, st, "Ahmad Fauzi", "Budi Santoso", "Citra Lestari")

	// when the operator taps a day that has not come (Monday 30 November)
	col := -1
	for i, d := range s.att.cols {
		if d == "2026-11-30" {
			col = i + 1
		}
	}
	if col < 0 {
		t.Fatalf("session days %v", s.att.cols)
	}
	s.att.table.Select(widget.TableCellID{Row: 0, Col: col})
	// then nothing is stored and the screen says why
	if marks, _ := st.CohortAttendance(ctx, c.ID); len(marks) != 0 {
		t.Fatalf("a future day was marked: %+v", marks)
	}
	if !strings.Contains(s.status.Text, "belum tiba") {
		t.Fatalf("status %q", s.status.Text)
	}
	// and the store refuses it too, whatever screen asks
	if _, err := st.Save(ctx, &domain.Attendance{EnrollmentID: ens[0].ID, Date: "2026-11-30", Mark: "H"}); err == nil {
		t.Fatal("the store took a mark for a day that has not come")
	}

	// the "semua hadir" day list offers only days that have come, today first
	if len(s.attDay.Options) == 0 || s.attDay.Selected != "27-11-2026" {
		t.Fatalf("days offered %v, selected %q", s.attDay.Options, s.attDay.Selected)
	}
	for _, o := range s.attDay.Options {
		if o == "30-11-2026" {
			t.Fatal("a future day is offered")
		}
	}

	// when Budi is marked sick today, then everyone is marked present today
	if _, err := st.Save(ctx, &domain.Attendance{EnrollmentID: ens[1].ID, Date: "2026-11-27", Mark: domain.AttendanceSick}); err != nil {
		t.Fatal(err)
	}
	s.Update(ctx)
	ui.Settle(t)
	test.Tap(s.attAll)
	ui.Settle(t)

	// then the two without a mark are present and Budi stays sick
	marks, _ := st.CohortAttendance(ctx, c.ID)
	got := map[string]string{}
	for _, m := range marks {
		if m.Date == "2026-11-27" {
			got[m.EnrollmentID] = m.Mark
		}
	}
	if len(marks) != 3 || got[ens[0].ID] != "H" || got[ens[1].ID] != "S" || got[ens[2].ID] != "H" {
		t.Fatalf("marks after semua hadir: %+v", marks)
	}
	if s.status.Text != i18n.T("att.all.done", 2, "27-11-2026") {
		t.Fatalf("status %q", s.status.Text)
	}
	// and the grid shows them
	if s.att.mark(ens[0].ID, "2026-11-27") != "H" || s.att.mark(ens[1].ID, "2026-11-27") != "S" {
		t.Fatal("the grid does not show the new marks")
	}
}

func TestGraduatingATraineeWhoFallsShortAsksAndNamesTheReasons(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newScreen(t)
	c, ens := runningCohort(t, s, st, "Ahmad Fauzi", "Budi Santoso")
	ahmad, budi := ens[0], ens[1]
	save := func(r domain.Record) {
		t.Helper()
		if _, err := st.Save(ctx, r); err != nil {
			t.Fatalf("%T: %v", r, err)
		}
	}
	// Ahmad: LAS.02 Belum Kompeten, present 3 of 5 days (60 %)
	// Budi: competent in both, present 5 of 5
	for i, d := range []string{"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"} {
		mark := domain.AttendancePresent
		if i >= 3 {
			mark = domain.AttendanceAbsent
		}
		save(&domain.Attendance{EnrollmentID: ahmad.ID, Date: d, Mark: mark})
		save(&domain.Attendance{EnrollmentID: budi.ID, Date: d, Mark: domain.AttendancePresent})
	}
	for _, r := range []struct{ e, unit, res string }{{ahmad.ID, "LAS.01", "K"}, {ahmad.ID, "LAS.02", "BK"}, {budi.ID, "LAS.01", "K"}, {budi.ID, "LAS.02", "K"}} {
		save(&domain.Assessment{EnrollmentID: r.e, UnitCode: r.unit, Result: r.res, AssessedOn: "2026-11-26"})
	}
	s.Update(ctx)
	ui.Settle(t)
	if rate, _ := AttendanceRate(s.att.marks[ahmad.ID]); rate != 60 {
		t.Fatalf("Ahmad's attendance on screen %d%%", rate)
	}

	// when "Nyatakan lulus" is tapped for Ahmad
	s.res.trainee.SetValue(ahmad.ID)
	retype(t, s.res.completed, "2026-11-27")
	tapButton(t, s, 4, i18n.T("res.complete"))
	// then a confirmation names both reasons, and nothing is saved yet
	dlg := graduationDialog(s)
	for _, want := range []string{"Ahmad Fauzi", "1 unit masih Belum Kompeten (LAS.02)", "kehadiran 60% di bawah batas minimal lembaga 80%"} {
		if !strings.Contains(dlg, want) {
			t.Fatalf("the confirmation does not say %q:\n%s", want, dlg)
		}
	}
	if e := enrollments(t, st, c.ID)[ahmad.TraineeID]; e.Status != domain.EnrollmentActive {
		t.Fatalf("graduated before the answer: %+v", e)
	}
	// when the operator cancels, nothing changes
	answerGraduation(t, s, false)
	if e := enrollments(t, st, c.ID)[ahmad.TraineeID]; e.Status != domain.EnrollmentActive {
		t.Fatalf("graduated after cancel: %+v", e)
	}

	// when Budi, who meets every requirement, graduates, nobody is asked
	s.res.trainee.SetValue(budi.ID)
	retype(t, s.res.completed, "2026-11-27")
	tapButton(t, s, 4, i18n.T("res.complete"))
	if graduationDialog(s) != "" {
		t.Fatal("a confirmation for a trainee who meets every requirement")
	}
	if e := enrollments(t, st, c.ID)[budi.TraineeID]; e.Status != domain.EnrollmentCompleted || e.CompletedOn != "2026-11-27" {
		t.Fatalf("budi %+v", e)
	}

	// when the centre lowers its minimum to 60 %, only the unit is named
	cen, err := st.Centre(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cen.MinAttendance = 60
	save(cen)
	s.Update(ctx)
	ui.Settle(t)
	s.res.trainee.SetValue(ahmad.ID)
	retype(t, s.res.completed, "2026-11-27")
	tapButton(t, s, 4, i18n.T("res.complete"))
	dlg = graduationDialog(s)
	if !strings.Contains(dlg, "LAS.02") || strings.Contains(dlg, "kehadiran") {
		t.Fatalf("with a 60%% minimum the confirmation says:\n%s", dlg)
	}
	// and confirming graduates him
	answerGraduation(t, s, true)
	if e := enrollments(t, st, c.ID)[ahmad.TraineeID]; e.Status != domain.EnrollmentCompleted {
		t.Fatalf("ahmad after confirming %+v", e)
	}
}

func TestAGraduationDateBeforeTheCohortStartsIsRefused(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newScreen(t)
	c, ens := runningCohort(t, s, st, "Budi Santoso")

	// when the operator types a completion date before the cohort's start
	s.res.trainee.SetValue(ens[0].ID)
	retype(t, s.res.completed, "2026-11-13")
	tapButton(t, s, 4, i18n.T("res.complete"))

	// then it is refused beside the date, and nothing is stored
	if got := s.res.form.Message("completed_on"); !strings.Contains(got, "sebelum angkatan mulai (16-11-2026)") {
		t.Fatalf("completion date message %q", got)
	}
	if e := enrollments(t, st, c.ID)[ens[0].TraineeID]; e.Status != domain.EnrollmentActive {
		t.Fatalf("stored %+v", e)
	}
	// and the store refuses it whatever screen asks
	e := *ens[0]
	e.Status, e.CompletedOn = domain.EnrollmentCompleted, "2026-11-13"
	_, err := st.Save(ctx, &e)
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(ve.Localized(domain.Indonesian), "sebelum angkatan mulai (16-11-2026)") {
		t.Fatalf("store took a graduation before the start: %v", err)
	}
}

func TestTheGridAndThePrintedReportShowTheSameAttendance(t *testing.T) {
	ctx := context.Background()
	s, st, _ := newScreen(t)
	c, ens := runningCohort(t, s, st, "Citra Lestari")
	// present 2 of 3 days: 66.7 %, which one rounded down and the other up
	for i, d := range []string{"2026-11-16", "2026-11-17", "2026-11-18"} {
		mark := domain.AttendancePresent
		if i == 2 {
			mark = domain.AttendanceExcused
		}
		if _, err := st.Save(ctx, &domain.Attendance{EnrollmentID: ens[0].ID, Date: d, Mark: mark}); err != nil {
			t.Fatal(err)
		}
	}
	s.Update(ctx)
	ui.Settle(t)
	onScreen := s.att.summary(s.att.marks[ens[0].ID])

	var buf bytes.Buffer
	if err := pdfdoc.CohortReport(ctx, st, c.ID, &buf); err != nil {
		t.Fatal(err)
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed; install it to read the PDF")
	}
	path := filepath.Join(t.TempDir(), "cohort.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	var row string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "Citra Lestari") {
			row = l
		}
	}
	if onScreen != "67%" || !strings.Contains(row, " 67% ") && !strings.HasSuffix(strings.TrimSpace(row), "67%") {
		t.Fatalf("screen %q, report row %q", onScreen, row)
	}
}
