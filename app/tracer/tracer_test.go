package tracer

import (
	"context"
	"fmt"
	"os"
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
	"github.com/kemnaker/blk/store"
)

var today = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}

// newScreen opens a store with one graduate who completed on completedOn.
func newScreen(t *testing.T, completedOn string) (*Screen, *store.Store, fyne.Window, *domain.Trainee) {
	t.Helper()
	ctx := context.Background()
	st := uitest.NewStore(t)
	st.Now = func() time.Time { return today }
	p := &domain.Programme{Name: "Las Listrik SMAW", FieldCode: "LAS", TotalJP: 240, MinutesPerJP: 45}
	c := &domain.Cohort{Year: 2026, Number: 1, StartDate: "2026-05-04", EndDate: "2026-06-26", Quota: 16, Status: domain.CohortCompleted}
	tr := &domain.Trainee{NIK: domain.MakeNIK("320101", time.Date(2002, 5, 6, 0, 0, 0, 0, time.UTC), false, 7),
		Name: "Rizky Maulana", Sex: "L", BirthDate: "2002-05-06", Phone: "0857-1234-5678"}
	err := st.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Save(p); err != nil {
			return err
		}
		c.ProgrammeID = p.ID
		if _, err := tx.Save(c); err != nil {
			return err
		}
		if _, err := tx.Save(tr); err != nil {
			return err
		}
		_, err := tx.Save(&domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, CompletedOn: completedOn})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	ui = uitest.NewRunner()
	s := New(screen.Deps{Window: w, Changed: func() {}, Run: ui, Now: st.Now}, st)
	w.SetContent(s.Content())
	w.Resize(fyne.NewSize(1000, 640))
	s.Update(ctx)
	ui.Settle(t)
	return s, st, w, tr
}

func TestWhatsAppURL(t *testing.T) {
	tests := map[string]string{"+6285712345678": "https://wa.me/6285712345678", "": "", "12345": ""}
	for in, want := range tests {
		if got := WhatsAppURL(in); got != want {
			t.Errorf("WhatsAppURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRecordingAGraduateOutcomeClosesTheFollowUp(t *testing.T) {
	ctx := context.Background()
	// given a graduate who completed four months ago
	s, st, _, tr := newScreen(t, "2026-07-20")
	if len(rows(s)) != 1 || rows(s)[0].Months != 3 || rows(s)[0].DueOn != "2026-10-20" {
		t.Fatalf("due rows = %+v", rows(s))
	}

	// when the graduate is picked
	pick(t, s, 0)

	// then the phone shows as dialled and the WhatsApp link is offered
	if s.phone.Text != "No. HP: 085712345678" || s.wa.URL.String() != "https://wa.me/6285712345678" || !s.wa.Visible() {
		t.Fatalf("phone %q, link %v", s.phone.Text, s.wa.URL)
	}

	// when saving without a status
	tap(t, s.SaveButton)

	// then the status is asked for and nothing is stored
	if s.Form.Message("status") == "" {
		t.Fatal("no message beside the missing status")
	}
	if n, _ := st.Count(ctx, domain.LookupTable("outcomes"), store.Query{}); n != 0 {
		t.Fatalf("%d outcomes stored after a refusal", n)
	}

	// when the outcome is filled in and saved
	s.state.SetValue(domain.OutcomeEmployed)
	test.Type(s.employer, "PT Baja Konstruksi Indonesia")
	test.Type(s.sector, "Konstruksi")
	s.income.SetValue("3to5")
	tap(t, s.SaveButton)

	// then the outcome is stored for the graduate and the follow-up is closed
	got, err := store.ListOf[*domain.Outcome](ctx, st, store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	want := domain.Outcome{TraineeID: tr.ID, SurveyedOn: "2026-11-27", Status: domain.OutcomeEmployed,
		Employer: "PT Baja Konstruksi Indonesia", Sector: "Konstruksi", IncomeBand: "3to5", Source: "whatsapp"}
	if len(got) != 1 {
		t.Fatalf("%d outcomes stored", len(got))
	}
	want.Meta = got[0].Meta
	if *got[0] != want {
		t.Fatalf("stored %+v\nwant   %+v", *got[0], want)
	}
	if len(rows(s)) != 0 || !strings.Contains(s.Status.Text, "Rizky Maulana") {
		t.Fatalf("rows after save %+v, status %q", rows(s), s.Status.Text)
	}
}

func TestTracerScreenShowsTheGraduatePicked(t *testing.T) {
	// given a graduate due for the 6-month follow-up
	s, _, w, _ := newScreen(t, "2026-05-10")
	// when the graduate is picked
	pick(t, s, 0)
	// then the list shows the graduate, the wave due in red and the
	// response rates, and the form their contact and an empty answer for today
	texts := func(o fyne.CanvasObject) string { return strings.Join(uitest.Strings(uitest.Texts(o)), " | ") }
	// (the programme column is further right, where the list scrolls to)
	if got, want := texts(s.Table), "Nama | Penelusuran | No. HP | Rizky Maulana | 6 bln · jatuh tempo 10-11-2026 | 085712345678"; got != want {
		t.Errorf("list shows\n%s\nwant\n%s", got, want)
	}
	if want := "1 alumni perlu dihubungi\nTingkat respons: 3 bln 0% (0/1) · 6 bln 0% (0/1) · 12 bln – (0/0)"; s.Count.Text != want {
		t.Errorf("count %q, want %q", s.Count.Text, want)
	}
	if s.filter.Select.Selected != "Jatuh tempo hari ini" || !s.filter.Select.Visible() {
		t.Errorf("filter shows %q", s.filter.Select.Selected)
	}
	got := texts(s.FormSide())
	for _, want := range []string{
		"Rizky Maulana — lulus 10-05-2026 (Las Listrik SMAW)",
		"No. HP: 085712345678", "Chat WhatsApp", "https://wa.me/6285712345678",
		"Status | (Pilih)", "Sumber informasi | WhatsApp", "Tanggal penelusuran | 27-11-2026", "Simpan",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the form does not show %q; it shows:\n%s", want, got)
		}
	}
	if w.Canvas().Content().MinSize().Width > 1000 {
		t.Errorf("the screen needs %v", w.Canvas().Content().MinSize())
	}
	red := false
	for _, x := range uitest.Texts(s.Table) {
		red = red || strings.HasPrefix(x.Text, "6 bln") && x.Importance == widget.DangerImportance
	}
	if !red {
		t.Error("the 6-month wave is not shown in red")
	}
	if !s.SaveButton.Visible() || s.SaveButton.Disabled() || s.NewButton.Visible() || s.DeleteButton.Visible() {
		t.Error("the tracer offers New or Delete, or no Save, for a graduate picked")
	}
}

// manyGraduates adds n graduates to st, completed on different days of
// 2025-2026 and all due today, in cohorts of 20.
func manyGraduates(t *testing.T, st *store.Store, n int) {
	t.Helper()
	err := st.Write(context.Background(), func(tx *store.Tx) error {
		p := &domain.Programme{Name: "Menjahit Dasar", FieldCode: "JHT", TotalJP: 160, MinutesPerJP: 45}
		if _, err := tx.Save(p); err != nil {
			return err
		}
		var c *domain.Cohort
		for i := 0; i < n; i++ {
			if i%20 == 0 {
				c = &domain.Cohort{ProgrammeID: p.ID, Year: 2025, Number: int64(i/20 + 1), StartDate: "2025-03-03", EndDate: "2025-04-25", Quota: 20, Status: domain.CohortCompleted}
				if _, err := tx.Save(c); err != nil {
					return err
				}
			}
			birth := time.Date(2000+i%5, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
			tr := &domain.Trainee{NIK: domain.MakeNIK("320101", birth, false, 100+i), Name: fmt.Sprintf("Alumni %c%c", 'A'+i/26, 'a'+i%26),
				Sex: "L", BirthDate: birth.Format(domain.DateLayout), Phone: fmt.Sprintf("0812%08d", i)}
			if _, err := tx.Save(tr); err != nil {
				return err
			}
			done := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format(domain.DateLayout)
			if _, err := tx.Save(&domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, CompletedOn: done}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTracerListPagesThroughMoreGraduatesThanOnePage(t *testing.T) {
	ctx := context.Background()
	// given more graduates due than one page holds (one from newScreen, the rest here)
	s, st, _, _ := newScreen(t, "2026-07-20")
	manyGraduates(t, st, PageSize+40)
	total := PageSize + 41

	// when the screen loads
	s.Update(ctx)
	ui.Settle(t)

	// then it holds the first page only and counts every graduate due
	if len(rows(s)) != PageSize {
		t.Fatalf("%d rows after loading, want one page of %d", len(rows(s)), PageSize)
	}
	if want := i18n.T("tracer.count", total); countLine(s) != want {
		t.Fatalf("count %q, want %q", s.Count.Text, want)
	}

	// when the operator scrolls to the end of the list
	s.Table.ScrollToBottom()
	ui.Settle(t)

	// then the next page is fetched and follows the first, oldest due first, nobody twice
	if len(rows(s)) != total {
		t.Fatalf("%d rows after scrolling to the end, want %d", len(rows(s)), total)
	}
	seen := map[string]bool{}
	for i, r := range rows(s) {
		if seen[r.TraineeID] || (i > 0 && r.DueOn < rows(s)[i-1].DueOn) {
			t.Fatalf("row %d (%s, due %s) repeated or out of order", i, r.Name, r.DueOn)
		}
		seen[r.TraineeID] = true
	}
	// and nothing more is asked for past the end
	if s.More() {
		t.Fatal("more rows expected after the last page")
	}

	// when a graduate of the second page is picked and the outcome saved
	last := rows(s)[len(rows(s))-1]
	pick(t, s, len(rows(s))-1)
	s.state.SetValue(domain.OutcomeSelfEmployed)
	test.Type(s.employer, "Warung Jahit Berkah")
	tap(t, s.SaveButton)

	// then the outcome is stored for that graduate, and the list is read again
	// with one graduate fewer to contact
	got, err := store.ListOf[*domain.Outcome](ctx, st, store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].TraineeID != last.TraineeID || got[0].Status != domain.OutcomeSelfEmployed {
		t.Fatalf("stored %+v, want the outcome of %s", got, last.Name)
	}
	if countLine(s) != i18n.T("tracer.count", total-1) || len(rows(s)) < PageSize {
		t.Fatalf("after saving: %d rows, count %q", len(rows(s)), s.Count.Text)
	}
	for _, r := range rows(s) {
		if r.TraineeID == last.TraineeID {
			t.Fatalf("%s is still listed after the outcome was saved", last.Name)
		}
	}
}

func TestClosedTracerLetsGoOfItsRows(t *testing.T) {
	// given a tracer screen with a graduate listed
	s, _, _, _ := newScreen(t, "2026-07-20")
	if len(rows(s)) != 1 {
		t.Fatalf("rows %d", len(rows(s)))
	}
	// when the shell drops it (as on a language switch)
	s.Close()
	// then it holds no rows and asks for no more
	if rows(s) != nil || s.More() {
		t.Fatalf("after Close: %d rows, more %v", len(rows(s)), s.More())
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

// A cohort that graduated last week is not due yet, yet the operator can
// find the graduate under "all graduates", record what they do now with
// the new fields, and then find them under "traced"; the response rates
// follow.
func TestJustGraduatedCanBeTracedFromTheAllGraduatesFilter(t *testing.T) {
	ctx := context.Background()
	// given a graduate who completed a week ago
	s, st, _, tr := newScreen(t, "2026-11-20")
	if len(rows(s)) != 0 || countLine(s) != i18n.T("tracer.none") {
		t.Fatalf("due list %+v, count %q", rows(s), s.Count.Text)
	}
	// when the operator shows every graduate
	s.filter.SetValue(store.TracerAll)
	ui.Settle(t)
	if len(rows(s)) != 1 || rows(s)[0].TraineeID != tr.ID || rows(s)[0].Months != 0 {
		t.Fatalf("all graduates: %+v", rows(s))
	}
	if countLine(s) != "1 lulusan" {
		t.Fatalf("count %q", s.Count.Text)
	}
	// and records an answer with the tracer's fields
	pick(t, s, 0)
	ui.Settle(t)
	s.state.SetValue(domain.OutcomeEmployed)
	test.Type(s.employer, "Bengkel Las Sinar Jaya")
	s.kbli.SetValue("C")
	s.match.SetValue("yes")
	test.Type(s.months, "abc")
	tap(t, s.SaveButton)
	if s.Form.Message("months_to_job") == "" {
		t.Fatal("letters in months to first job are not refused")
	}
	s.months.SetText("")
	test.Type(s.months, "1")
	tap(t, s.SaveButton)
	got, err := store.ListOf[*domain.Outcome](ctx, st, store.Query{})
	if err != nil || len(got) != 1 {
		t.Fatalf("outcomes %v %v", got, err)
	}
	if o := got[0]; o.TraineeID != tr.ID || o.KBLI != "C" || o.JobMatch != "yes" || o.MonthsToJob != 1 || o.Employer != "Bengkel Las Sinar Jaya" {
		t.Fatalf("stored %+v", o)
	}
	// then the graduate is under "traced" and no longer "never traced"
	s.filter.SetValue(store.TracerTraced)
	ui.Settle(t)
	if len(rows(s)) != 1 || rows(s)[0].LastSurvey != "2026-11-27" {
		t.Fatalf("traced: %+v", rows(s))
	}
	s.filter.SetValue(store.TracerNever)
	ui.Settle(t)
	if len(rows(s)) != 0 || countLine(s) != i18n.T("tracer.filter_none") {
		t.Fatalf("never traced: %+v %q", rows(s), s.Count.Text)
	}
	// and the summary speaks of waves not yet due and the match rate
	if !strings.Contains(s.Count.Text, "sesuai kejuruan 100%") || !strings.Contains(s.Count.Text, "3 bln – (0/0)") {
		t.Fatalf("summary %q", s.Count.Text)
	}
}

// rows are the graduates the list shows.
func rows(s *Screen) []*graduate { return s.Table.Rows() }

// pick opens the graduate of row i as a tap on the list does.
func pick(t *testing.T, s *Screen, i int) {
	t.Helper()
	s.Table.Select(widget.TableCellID{Row: i})
	ui.Settle(t)
}

// countLine is the count line without the response rates under it.
func countLine(s *Screen) string {
	line, _, _ := strings.Cut(s.Count.Text, "\n")
	return line
}
