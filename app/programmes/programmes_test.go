package programmes

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
	"github.com/kemnaker/blk/store"
)

var today = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}

func newScreen(t *testing.T) (*Screen, *store.Store, fyne.Window) {
	t.Helper()
	ctx := context.Background()
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = func() time.Time { return today }
	if _, err := st.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren"}); err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	ui = uitest.NewRunner()
	s := New(screen.Deps{Window: w, Changed: func() {}, Run: ui, Now: st.Now}, st)
	w.SetContent(s.Content())
	w.Resize(fyne.NewSize(1200, 760))
	s.Update(ctx)
	ui.Settle(t)
	return s, st, w
}

func traineeFixture(t *testing.T, st *store.Store, name string, serial int) *domain.Trainee {
	t.Helper()
	tr := &domain.Trainee{
		NIK:  domain.MakeNIK("320101", time.Date(2000, 3, 4, 0, 0, 0, 0, time.UTC), false, serial),
		Name: name, Sex: "L", BirthDate: "2000-03-04",
	}
	if _, err := st.Save(context.Background(), tr); err != nil {
		t.Fatal(err)
	}
	return tr
}

// tapButton taps the button labelled text on tab (an index of s.tabs).
func tapButton(t *testing.T, s *Screen, tab int, text string) {
	t.Helper()
	b := findButton(s.tabs.Items[tab].Content, text)
	if b == nil {
		t.Fatalf("no button %q", text)
	}
	tap(t, b)
}

func retype(t *testing.T, e interface {
	fyne.Focusable
	SetText(string)
}, text string) {
	e.SetText("")
	test.Type(e, text)
	ui.Settle(t)
}

func enrolByName(t *testing.T, s *Screen, name string) {
	t.Helper()
	retype(t, s.enrol.search, name)
	if len(s.enrol.found) != 1 || s.enrol.found[0].Name != name {
		t.Fatalf("search %q found %+v", name, s.enrol.found)
	}
	s.enrol.foundList.Select(0)
	ui.Settle(t)
}

func enrollments(t *testing.T, st *store.Store, cohortID string) map[string]*domain.Enrollment {
	t.Helper()
	ens, err := store.ListOf[*domain.Enrollment](context.Background(), st, store.Query{Filters: []store.Filter{{Field: "cohort_id", Value: cohortID}}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*domain.Enrollment{}
	for _, e := range ens {
		out[e.TraineeID] = e
	}
	return out
}

func TestSessionDaysAreWeekdaysPlusRecordedDays(t *testing.T) {
	tests := []struct {
		name, start, end string
		recorded         []string
		want             []string
	}{
		{"one week skips the weekend", "2026-01-09", "2026-01-13", nil, []string{"2026-01-09", "2026-01-12", "2026-01-13"}},
		{"a recorded saturday is kept", "2026-01-09", "2026-01-12", []string{"2026-01-10"}, []string{"2026-01-09", "2026-01-10", "2026-01-12"}},
		{"unreadable dates give the recorded days", "2026-01-09", "kapan-kapan", []string{"2026-02-02"}, []string{"2026-02-02"}},
		{"end before start gives nothing", "2026-01-13", "2026-01-09", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SessionDays(tc.start, tc.end, tc.recorded); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestRunningACohortFromProgrammeToCompletion walks the whole workflow an
// operator does for one training package, asserting what the store holds.
func TestRunningACohortFromProgrammeToCompletion(t *testing.T) {
	ctx := context.Background()
	// given an empty centre with a quota cap of 3 and four registered trainees
	s, st, _ := newScreen(t)
	st.QuotaCap = 3
	for _, rec := range []domain.Record{
		&domain.Funding{Source: "Kemnaker (APBN)", Amount: 150000000, Year: 2026},
		&domain.Partner{Name: "Dinas Tenaga Kerja Kab. Bogor", Type: domain.PartnerGovernment},
		&domain.Partner{Name: "PT Maju Jaya", Type: domain.PartnerIndustry},
	} {
		if _, err := st.Save(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	s.Update(ctx)
	ui.Settle(t)
	ahmad := traineeFixture(t, st, "Ahmad Fauzi", 1)
	budi := traineeFixture(t, st, "Budi Santoso", 2)
	citra := traineeFixture(t, st, "Citra Lestari", 3)
	dewi := traineeFixture(t, st, "Dewi Sartika", 4)

	// when a programme is typed and saved
	test.Type(s.pName, "Menjahit Pakaian Dasar")
	s.pField.SetText("jht")
	retype(t, s.pTotal, "16")
	retype(t, s.pMinutes, "45")
	tapButton(t, s, 0, i18n.T("common.save"))

	// then it is stored with its field code
	progs, _ := store.ListOf[*domain.Programme](ctx, st, store.Query{})
	if len(progs) != 1 || progs[0].Name != "Menjahit Pakaian Dasar" || progs[0].FieldCode != "JHT" || progs[0].TotalJP != 16 || progs[0].MinutesPerJP != 45 {
		t.Fatalf("programmes = %+v", progs)
	}
	prog := progs[0]

	// when units are added, the JP check follows the sum
	for i, u := range []struct{ code, title, jp string }{{"JHT.01", "Mengukur badan", "10"}, {"JHT.02", "Menjahit kemeja", "6"}} {
		test.Type(s.unitCode, u.code)
		test.Type(s.unitTitle, u.title)
		test.Type(s.unitJP, u.jp)
		tapButton(t, s, 0, i18n.T("prog.unit_add"))
		if i == 0 && s.jpCheck.Text != i18n.T("prog.jp_bad", 10, 16, -6) {
			t.Fatalf("after one unit the check says %q", s.jpCheck.Text)
		}
	}
	if s.jpCheck.Text != i18n.T("prog.jp_ok", 16, 16) {
		t.Fatalf("after both units the check says %q", s.jpCheck.Text)
	}
	units, _ := store.ListOf[*domain.ProgrammeUnit](ctx, st, store.Query{OrderBy: "position"})
	if len(units) != 2 || units[0].UnitCode != "JHT.01" || units[1].JP != 6 || units[1].ProgrammeID != prog.ID {
		t.Fatalf("units = %+v", units)
	}

	// when the first unit is chosen, its JP changed and saved, the check follows;
	// then it is set back
	for _, jp := range []string{"12", "10"} {
		s.units.OnSelected(s.units.Rows()[0])
		retype(t, s.unitJP, jp)
		tapButton(t, s, 0, i18n.T("prog.unit_add"))
	}
	units, _ = store.ListOf[*domain.ProgrammeUnit](ctx, st, store.Query{OrderBy: "position"})
	if len(units) != 2 || units[0].UnitCode != "JHT.01" || units[0].JP != 10 || units[0].Position != 1 {
		t.Fatalf("units after change = %+v", units)
	}

	// when the second unit is removed, the check says the sum is short
	s.units.OnSelected(s.units.Rows()[1])
	tapButton(t, s, 0, i18n.T("prog.unit_remove"))
	if s.jpCheck.Text != i18n.T("prog.jp_bad", 10, 16, -6) {
		t.Fatalf("after removing a unit the check says %q", s.jpCheck.Text)
	}
	test.Type(s.unitCode, "JHT.02")
	test.Type(s.unitTitle, "Menjahit kemeja")
	test.Type(s.unitJP, "6")
	tapButton(t, s, 0, i18n.T("prog.unit_add"))
	if s.jpCheck.Text != i18n.T("prog.jp_ok", 16, 16) {
		t.Fatalf("after adding it back the check says %q", s.jpCheck.Text)
	}

	// when a cohort with a quota above the cap is saved, it is refused beside the quota
	c := &s.cohort
	if !reflect.DeepEqual(s.data.sources, []string{"Dinas Tenaga Kerja Kab. Bogor", "Kemnaker (APBN)"}) {
		t.Fatalf("funding sources offered: %v", s.data.sources)
	}
	c.fund.SetText("Kemnaker (APBN)")
	if c.quota.Text != "16" || c.year.Text != "2026" || c.number.Text != "1" {
		t.Fatalf("new cohort defaults: quota %q year %q number %q", c.quota.Text, c.year.Text, c.number.Text)
	}
	test.Type(c.start, "2026-01-05")
	test.Type(c.end, "2026-01-16")
	retype(t, c.quota, "4")
	tapButton(t, s, 1, i18n.T("common.save"))
	if got := c.form.Message("quota"); !strings.Contains(got, "melebihi batas 3") {
		t.Fatalf("quota message = %q", got)
	}
	if n, _ := st.Count(ctx, domain.LookupTable("cohorts"), store.Query{}); n != 0 {
		t.Fatalf("%d cohorts saved after a refusal", n)
	}
	// and with quota 2 it is saved
	retype(t, c.quota, "2")
	tapButton(t, s, 1, i18n.T("common.save"))
	cohorts, _ := store.ListOf[*domain.Cohort](ctx, st, store.Query{})
	if len(cohorts) != 1 || cohorts[0].Quota != 2 || cohorts[0].StartDate != "2026-01-05" || cohorts[0].FundingSource != "Kemnaker (APBN)" || cohorts[0].Status != domain.CohortPlanned || cohorts[0].ProgrammeID != prog.ID {
		t.Fatalf("cohorts = %+v", cohorts)
	}
	cohort := cohorts[0]
	if s.cohortID != cohort.ID {
		t.Fatalf("the saved cohort is not the chosen one")
	}

	// when four trainees are enrolled in a cohort of quota 2 and cap 3
	enrolByName(t, s, "Ahmad Fauzi")
	enrolByName(t, s, "Budi Santoso")
	enrolByName(t, s, "Citra Lestari")
	if !strings.Contains(s.status.Text, "melebihi kuota") {
		t.Fatalf("third enrolment should warn over quota, status %q", s.status.Text)
	}
	enrolByName(t, s, "Dewi Sartika")

	// then the fourth is refused with the translated reason and not stored
	if !strings.Contains(s.status.Text, "angkatan sudah penuh (3 dari batas 3 peserta)") {
		t.Fatalf("status after refusal = %q", s.status.Text)
	}
	ens := enrollments(t, st, cohort.ID)
	if len(ens) != 3 || ens[dewi.ID] != nil || ens[ahmad.ID].Status != domain.EnrollmentActive || ens[ahmad.ID].EnrolledOn != "2026-11-27" {
		t.Fatalf("enrollments = %+v", ens)
	}

	// when Citra drops out
	s.enrol.roster.Select(indexOf(s, citra.ID))
	tapButton(t, s, 2, i18n.T("enrol.drop"))

	// then her enrollment stays, marked dropped
	if e := enrollments(t, st, cohort.ID)[citra.ID]; e.Status != domain.EnrollmentDropped {
		t.Fatalf("citra = %+v", e)
	}

	// when Budi is enrolled in a second cohort that overlaps the first in time
	other := &domain.Cohort{ProgrammeID: prog.ID, Year: 2026, Number: 2, StartDate: "2026-01-12", EndDate: "2026-01-23", Quota: 2, Status: domain.CohortPlanned}
	if _, err := st.Save(ctx, other); err != nil {
		t.Fatal(err)
	}
	s.Update(ctx)
	ui.Settle(t)
	s.chooseCohort(other)
	ui.Settle(t)
	enrolByName(t, s, "Budi Santoso")
	if !strings.Contains(s.status.Text, "peserta sudah ikut angkatan lain pada waktu yang sama (2026/1") {
		t.Fatalf("overlap status = %q", s.status.Text)
	}
	// then he is refused with the clashing cohort named, and nothing is stored
	if len(enrollments(t, st, other.ID)) != 0 {
		t.Fatal("an overlapping enrollment was stored")
	}
	s.chooseCohort(cohort)
	ui.Settle(t)

	// when attendance cells are tapped: Ahmad (row 0) on the first day once,
	// Budi (row 1) on the second day five times (H S I A, then empty)
	if s.att.cols[0] != "2026-01-05" || len(s.att.cols) != 10 {
		t.Fatalf("session days = %v", s.att.cols)
	}
	if s.att.rows[0].Enrollment.TraineeID != ahmad.ID || s.att.rows[1].Enrollment.TraineeID != budi.ID {
		t.Fatalf("grid rows = %+v", s.att.rows)
	}
	s.att.table.Select(widget.TableCellID{Row: 0, Col: 1})
	ui.Settle(t)
	for i := 0; i < 4; i++ {
		s.att.table.Select(widget.TableCellID{Row: 1, Col: 2})
		ui.Settle(t)
	}
	marks, _ := st.CohortAttendance(ctx, cohort.ID)
	if len(marks) != 2 || marks[0].Mark != "H" || marks[0].Date != "2026-01-05" || marks[1].Mark != "A" || marks[1].Date != "2026-01-06" {
		t.Fatalf("marks = %+v", marks)
	}
	s.att.table.Select(widget.TableCellID{Row: 1, Col: 2})
	ui.Settle(t)
	marks, _ = st.CohortAttendance(ctx, cohort.ID)
	if len(marks) != 1 || s.att.mark(s.att.rows[1].Enrollment.ID, "2026-01-06") != "" {
		t.Fatalf("cleared mark still stored: %+v", marks)
	}
	// a dropped trainee's row does not take marks
	s.att.table.Select(widget.TableCellID{Row: 2, Col: 1})
	ui.Settle(t)
	if marks, _ = st.CohortAttendance(ctx, cohort.ID); len(marks) != 1 {
		t.Fatalf("dropped trainee was marked: %+v", marks)
	}

	// when Ahmad's results are recorded: K for both units, with the LSP
	retype(t, s.res.lsp, "LSP Garmen Nusantara")
	retype(t, s.res.assessedOn, "16-01-2026") // as Indonesians write dates
	s.res.grid.table.Select(widget.TableCellID{Row: 0, Col: 1})
	ui.Settle(t)
	s.res.grid.table.Select(widget.TableCellID{Row: 0, Col: 2})
	ui.Settle(t)
	s.res.grid.table.Select(widget.TableCellID{Row: 0, Col: 2}) // K → BK
	ui.Settle(t)
	results, _ := st.CohortAssessments(ctx, cohort.ID)
	if len(results) != 2 || results[0].Result != "K" || results[1].Result != "BK" || results[0].LSP != "LSP Garmen Nusantara" || results[0].AssessedOn != "2026-01-16" {
		t.Fatalf("results = %+v", results)
	}

	// when Ahmad gets his certificate and is marked completed
	s.res.trainee.SetValue(ens[ahmad.ID].ID)
	ui.Settle(t)
	if s.res.completed.ISO() != "2026-01-16" || s.res.completed.Text != "16-01-2026" {
		t.Fatalf("default completion date = %q, want the cohort's end", s.res.completed.Text)
	}
	test.Type(s.res.certNo, "001/BLKK-AH/2026")
	test.Type(s.res.certDate, "20 Januari 2026")
	tapButton(t, s, 4, i18n.T("res.complete"))
	// (he has a Belum Kompeten unit: the operator is asked first)
	answerGraduation(t, s, true)

	// then the enrollment is completed with its certificate
	e := enrollments(t, st, cohort.ID)[ahmad.ID]
	if e.Status != domain.EnrollmentCompleted || e.CompletedOn != "2026-01-16" || e.CertificateNo != "001/BLKK-AH/2026" || e.CertificateDate != "2026-01-20" {
		t.Fatalf("completed enrollment = %+v", e)
	}
	if b := enrollments(t, st, cohort.ID)[budi.ID]; b.Status != domain.EnrollmentActive {
		t.Fatalf("budi changed too: %+v", b)
	}

	// when Ahmad is removed from the cohort (after the confirmation)
	s.removeEnrollment(s.data.roster[indexOf(s, ahmad.ID)])
	ui.Settle(t)

	// then his enrollment, attendance and results are gone with him
	if _, ok := enrollments(t, st, cohort.ID)[ahmad.ID]; ok {
		t.Fatal("removed enrollment still stored")
	}
	if marks, _ := st.CohortAttendance(ctx, cohort.ID); len(marks) != 0 {
		t.Fatalf("marks left: %+v", marks)
	}
	if results, _ := st.CohortAssessments(ctx, cohort.ID); len(results) != 0 {
		t.Fatalf("results left: %+v", results)
	}
	if len(s.data.roster) != 2 {
		t.Fatalf("roster shows %d", len(s.data.roster))
	}
}

func indexOf(s *Screen, traineeID string) int {
	for i, r := range s.data.roster {
		if r.Enrollment.TraineeID == traineeID {
			return i
		}
	}
	return -1
}

// TestTranslationsHaveTheSameKeysInBothLanguages: the texts of these
// screens are in the catalogue (msg), which must have every key in both
// languages, so a string is never shown as a bare key in one of them.
func TestTranslationsHaveTheSameKeysInBothLanguages(t *testing.T) {
	if problems := msg.Verify(); len(problems) > 0 {
		t.Fatalf("catalogue: %v", problems)
	}
}

func TestAttendanceGridShowsDaysAndColouredMarks(t *testing.T) {
	ctx := context.Background()
	// given a running cohort of three trainees with some marks
	s, st, _ := newScreen(t)
	p := &domain.Programme{Name: "Tata Rias Pengantin", FieldCode: "TRP", TotalJP: 120, MinutesPerJP: 45}
	if _, err := st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 3, StartDate: "2026-11-16", EndDate: "2026-11-27", Quota: 16, Status: domain.CohortRunning}
	if _, err := st.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Nur Aisyah", "Putri Ayu", "Siti Rahma"} {
		tr := traineeFixture(t, st, name, i+1)
		if _, err := st.Save(ctx, &domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentActive}); err != nil {
			t.Fatal(err)
		}
	}
	s.Update(ctx)
	ui.Settle(t)
	s.progList.OnSelected(s.progList.Rows()[0])
	ui.Settle(t)
	s.chooseCohort(s.data.cohorts[0])
	ui.Settle(t)
	s.tabs.SelectIndex(tabAttendance)
	ui.Settle(t)

	// when cells are tapped
	for row, taps := range []int{1, 2, 4} {
		for i := 0; i < taps; i++ {
			s.att.tap(row, row+1)
			ui.Settle(t)
		}
	}

	// then the grid shows the days as headers and H, S, A in colour on the
	// diagonal, each trainee's attendance rate beside the name
	rows := uitest.Rows(uitest.Texts(s.att.table))
	wantHead := []string{i18n.T("att.name"), "16/11", "17/11", "18/11", "19/11", "20/11", "23/11"}
	if got := uitest.Strings(rows[0]); len(got) < len(wantHead) || !reflect.DeepEqual(got[:len(wantHead)], wantHead) {
		t.Fatalf("header row = %q, want it to start %q", got, wantHead)
	}
	want := []struct {
		name, mark string
		importance widget.Importance
	}{
		{"Nur Aisyah · 100%", "H", widget.SuccessImportance},
		{"Putri Ayu · 0%", "S", widget.WarningImportance},
		{"Siti Rahma · 0%", "A", widget.DangerImportance},
	}
	if len(rows) != 1+len(want) {
		t.Fatalf("grid shows %d lines: %v", len(rows), rows)
	}
	for i, w := range want {
		row := rows[i+1]
		if row[0].Text != w.name {
			t.Errorf("line %d starts %q, want %q", i+1, row[0].Text, w.name)
		}
		for col, cell := range row[1:] {
			wantText, wantImp := "", widget.MediumImportance
			if col == i {
				wantText, wantImp = w.mark, w.importance
			}
			if cell.Text != wantText || cell.Importance != wantImp {
				t.Errorf("%s on %s shows %q (importance %d), want %q (%d)", w.name, rows[0][col+1].Text, cell.Text, cell.Importance, wantText, wantImp)
			}
		}
	}
}

func TestCohortQuotaIsWarnedAboveSixteenAndRefusedAboveTheCap(t *testing.T) {
	tests := []struct {
		quota     string
		wantSaved bool
		wantMsg   string
	}{
		{"16", true, ""},
		{"17", true, "⚠ kuota 17 melebihi standar 16 peserta"},
		{"25", false, "kuota 25 melebihi batas 24 peserta"},
		{"enam belas", false, "tulis angka saja, mis. 16"},
	}
	for _, tc := range tests {
		t.Run(tc.quota, func(t *testing.T) {
			ctx := context.Background()
			// given a programme with one instructor on the centre's books
			s, st, _ := newScreen(t)
			p := &domain.Programme{Name: "Otomotif Sepeda Motor", FieldCode: "OTO", TotalJP: 200, MinutesPerJP: 45}
			in := &domain.Instructor{Name: "Hendra Gunawan"}
			for _, rec := range []domain.Record{p, in} {
				if _, err := st.Save(ctx, rec); err != nil {
					t.Fatal(err)
				}
			}
			s.Update(ctx)
			ui.Settle(t)
			s.progList.OnSelected(s.progList.Rows()[0])
			ui.Settle(t)

			// when a cohort with the quota, the instructor ticked, is saved
			c := &s.cohort
			test.Type(c.start, "2027-02-01")
			test.Type(c.end, "2027-03-26")
			retype(t, c.quota, tc.quota)
			pickInstructor(t, c.instructors, "hend", "Hendra Gunawan")
			tapButton(t, s, tabCohorts, i18n.T("common.save"))

			// then the message beside the quota and what is stored follow the rule
			if got := c.form.Message("quota"); got != tc.wantMsg {
				t.Fatalf("message beside quota = %q, want %q", got, tc.wantMsg)
			}
			cohorts, _ := store.ListOf[*domain.Cohort](ctx, st, store.Query{})
			if !tc.wantSaved {
				if len(cohorts) != 0 {
					t.Fatalf("refused cohort stored: %+v", cohorts)
				}
				return
			}
			if len(cohorts) != 1 || strconv.FormatInt(cohorts[0].Quota, 10) != tc.quota || cohorts[0].InstructorIDs != in.ID {
				t.Fatalf("stored %+v", cohorts)
			}
		})
	}
}

func TestEnrolmentRefusalIsShownInEnglishWhenChosen(t *testing.T) {
	ctx := context.Background()
	// given an English interface and a cohort at the cap of one
	s, st, _ := newScreen(t)
	i18n.SetLang(domain.English)
	t.Cleanup(func() { i18n.SetLang(domain.Indonesian) })
	st.QuotaCap = 1
	p := &domain.Programme{Name: "Barista", FieldCode: "PAR", TotalJP: 80, MinutesPerJP: 45}
	if _, err := st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 1, StartDate: "2026-12-01", EndDate: "2026-12-18", Quota: 1, Status: domain.CohortPlanned}
	if _, err := st.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	traineeFixture(t, st, "Ahmad Fauzi", 1)
	traineeFixture(t, st, "Budi Santoso", 2)
	s.Update(ctx)
	ui.Settle(t)
	s.progList.OnSelected(s.progList.Rows()[0])
	ui.Settle(t)
	s.chooseCohort(s.data.cohorts[0])
	ui.Settle(t)

	// when two trainees are enrolled
	enrolByName(t, s, "Ahmad Fauzi")
	enrolByName(t, s, "Budi Santoso")

	// then the second is refused in English
	if want := "Budi Santoso cannot be enrolled: Cohort: the cohort is full (1 of a cap of 1 trainees)"; s.status.Text != want {
		t.Fatalf("status = %q, want %q", s.status.Text, want)
	}
}

func TestAttendanceRateIsPresentOverMarkedDays(t *testing.T) {
	tests := []struct {
		name   string
		marks  map[string]string
		want   int
		wantOK bool
	}{
		{"nothing marked", nil, 0, false},
		{"cleared marks do not count", map[string]string{"2026-01-05": ""}, 0, false},
		{"all present", map[string]string{"2026-01-05": "H", "2026-01-06": "H"}, 100, true},
		{"sick and absent count as not present", map[string]string{"a": "H", "b": "S", "c": "A", "d": "H"}, 50, true},
		{"rounded to the nearest, as the printed report", map[string]string{"a": "H", "b": "H", "c": "I"}, 67, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, ok := AttendanceRate(tc.marks); got != tc.want || ok != tc.wantOK {
				t.Fatalf("got %d %v, want %d %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

// BenchmarkCohortScreenLoad measures what one Update of the screen reads for
// a running cohort: 16 trainees, 40 session days marked, 5 units assessed.
func BenchmarkCohortScreenLoad(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "blk.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	st.Now = func() time.Time { return today }
	if _, err := st.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren"}); err != nil {
		b.Fatal(err)
	}
	p := &domain.Programme{Name: "Menjahit", FieldCode: "JHT", TotalJP: 200, MinutesPerJP: 45}
	c := &domain.Cohort{Year: 2026, Number: 1, StartDate: "2026-08-03", EndDate: "2026-09-25", Quota: 16, Status: domain.CohortRunning}
	err = st.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Save(p); err != nil {
			return err
		}
		c.ProgrammeID = p.ID
		if _, err := tx.Save(c); err != nil {
			return err
		}
		for u := 0; u < 5; u++ {
			if _, err := tx.Save(&domain.ProgrammeUnit{ProgrammeID: p.ID, UnitCode: "U" + strconv.Itoa(u), JP: 40}); err != nil {
				return err
			}
		}
		days := SessionDays(c.StartDate, c.EndDate, nil)
		for i := 0; i < 16; i++ {
			tr := &domain.Trainee{NIK: domain.MakeNIK("320101", time.Date(2000, 3, 4, 0, 0, 0, 0, time.UTC), false, i+1), Name: "Peserta " + string(rune('A'+i)), Sex: "L", BirthDate: "2000-03-04"}
			if _, err := tx.Save(tr); err != nil {
				return err
			}
			en := &domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentActive}
			if _, err := tx.Save(en); err != nil {
				return err
			}
			for _, d := range days {
				if _, err := tx.Save(&domain.Attendance{EnrollmentID: en.ID, Date: d, Mark: "H"}); err != nil {
					return err
				}
			}
			for u := 0; u < 5; u++ {
				if _, err := tx.Save(&domain.Assessment{EnrollmentID: en.ID, UnitCode: "U" + strconv.Itoa(u), Result: "K", AssessedOn: "2026-09-25"}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	s := &Screen{deps: screen.Deps{Now: st.Now}, st: st}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		snap, err := s.load(ctx, p.ID, c.ID, false)
		if err != nil || len(snap.marks) != 16*40 || len(snap.results) != 80 {
			b.Fatalf("%d marks, %d results, %v", len(snap.marks), len(snap.results), err)
		}
	}
}

func TestClosedScreenLetsGoOfWhatItLoaded(t *testing.T) {
	ctx := context.Background()
	// given a programme chosen with a cohort of one trainee, its attendance tab
	// shown, and a trainee found to enrol
	s, st, _ := newScreen(t)
	p := &domain.Programme{Name: "Menjahit", FieldCode: "JHT", TotalJP: 160, MinutesPerJP: 45}
	if _, err := st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 1, StartDate: "2026-11-16", EndDate: "2026-11-27", Quota: 16, Status: domain.CohortRunning, FundingSource: "Kemnaker (APBN)"}
	if _, err := st.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	tr := traineeFixture(t, st, "Nur Aisyah", 1)
	if _, err := st.Save(ctx, &domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentActive}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Save(ctx, &domain.Funding{Source: "Kemnaker (APBN)", Amount: 1000000, Year: 2026}); err != nil {
		t.Fatal(err)
	}
	s.Update(ctx)
	ui.Settle(t)
	s.progList.OnSelected(s.progList.Rows()[0])
	ui.Settle(t)
	s.chooseCohort(s.data.cohorts[0])
	ui.Settle(t)
	s.tabs.SelectIndex(tabAttendance)
	ui.Settle(t)
	retype(t, s.enrol.search, "Nur")
	if len(s.data.roster) != 1 || len(s.data.sources) != 1 || len(s.enrol.found) != 1 {
		t.Fatalf("loaded roster %d, sources %v, found %d", len(s.data.roster), s.data.sources, len(s.enrol.found))
	}

	// when the shell drops it (as on a language switch) while an Update is
	// on its way, and the Update lands afterwards
	s.Update(ctx)
	s.Close()
	ui.Settle(t)

	// then it holds nothing it loaded, and no programme or cohort is chosen
	d := s.data
	if d.programmes != nil || d.cohorts != nil || d.roster != nil || d.marks != nil || d.results != nil || d.sources != nil ||
		s.enrol.found != nil || s.progID != "" || s.cohortID != "" || len(s.progList.Rows()) != 0 || len(s.att.rows) != 0 {
		t.Fatalf("after Close: %d programmes, %d cohorts, %d roster, %d found, programme %q, cohort %q, grid %d",
			len(d.programmes), len(d.cohorts), len(d.roster), len(s.enrol.found), s.progID, s.cohortID, len(s.att.rows))
	}
}

// ui runs the screen's work as the app would: on goroutines of its own, with
// UI work run on the test goroutine by Settle (see uitest).
var ui *uitest.Runner

// tap taps o and lets the work it started finish.
func tap(t *testing.T, o fyne.Tappable) {
	t.Helper()
	test.Tap(o)
	ui.Settle(t)
}

// pickInstructor types query into the instructor picker's search and picks
// the one result, which must be name.
func pickInstructor(t *testing.T, p *instructorPicker, query, name string) {
	t.Helper()
	p.add.Open("")
	test.Type(p.add, query)
	if r := p.add.Results(); len(r) != 1 || r[0].Label != name {
		t.Fatalf("instructor search %q found %+v", query, r)
	}
	p.add.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	ui.Settle(t)
}
