package programmes

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// cohortFixture saves a programme with cohorts "year/number" starting on
// the given dates, with the given statuses.
func cohortFixture(t *testing.T, st *store.Store, name string, cohorts ...*domain.Cohort) *domain.Programme {
	t.Helper()
	ctx := context.Background()
	p := &domain.Programme{Name: name, FieldCode: "TIK", TotalJP: 160, MinutesPerJP: 45}
	if _, err := st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	for _, k := range cohorts {
		k.ProgrammeID = p.ID
		if k.Quota == 0 {
			k.Quota = 16
		}
		if _, err := st.Save(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func cohortNames(cs []*domain.Cohort) []string {
	var out []string
	for _, k := range cs {
		out = append(out, cohortName(k))
	}
	return out
}

func TestCohortsAreListedNewestFirstFilteredByStatusAndSearch(t *testing.T) {
	ctx := context.Background()
	// given a programme with four cohorts saved oldest first, one cancelled
	s, st, _ := newScreen(t)
	cohortFixture(t, st, "Operator Komputer",
		&domain.Cohort{Year: 2025, Number: 1, StartDate: "2025-02-03", EndDate: "2025-03-28", Status: domain.CohortCompleted},
		&domain.Cohort{Year: 2025, Number: 2, StartDate: "2025-08-04", EndDate: "2025-09-26", Status: domain.CohortCancelled},
		&domain.Cohort{Year: 2026, Number: 1, StartDate: "2026-02-02", EndDate: "2026-03-27", Status: domain.CohortCompleted},
		&domain.Cohort{Year: 2026, Number: 2, StartDate: "2026-11-02", EndDate: "2026-12-18", Status: domain.CohortRunning})
	s.Update(ctx)
	ui.Settle(t)

	// when the programme is chosen
	s.progList.OnSelected(s.progList.Rows()[0])
	ui.Settle(t)
	// then its cohorts are listed newest first, and counted
	if got, want := cohortNames(s.cohort.list.Rows()), []string{"2026/2", "2026/1", "2025/2", "2025/1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("cohort list = %v, want %v", got, want)
	}
	if s.cohort.count.Text != i18n.Count("cohort.count", 4) {
		t.Fatalf("count = %q", s.cohort.count.Text)
	}
	// and the new-cohort form proposes the next number of this year
	if s.cohort.year.Text != "2026" || s.cohort.number.Text != "3" {
		t.Fatalf("new cohort defaults %s/%s, want 2026/3", s.cohort.year.Text, s.cohort.number.Text)
	}

	// when only completed cohorts are asked for
	s.cohort.statusPick.SetSelected(statusLabel(domain.CohortCompleted))
	if got, want := cohortNames(s.cohort.list.Rows()), []string{"2026/1", "2025/1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("completed = %v, want %v", got, want)
	}
	if s.cohort.count.Text != i18n.T("cohort.count_of", 2, 4) {
		t.Fatalf("count = %q", s.cohort.count.Text)
	}
	// and then "2025" is searched among them
	test.Type(s.cohort.search, "2025")
	if got, want := cohortNames(s.cohort.list.Rows()), []string{"2025/1"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("completed 2025 = %v, want %v", got, want)
	}
	// and a date as the operator writes it finds its cohort in any status
	s.cohort.statusPick.SetSelectedIndex(0)
	s.cohort.search.SetText("04-08-2025")
	if got, want := cohortNames(s.cohort.list.Rows()), []string{"2025/2"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("search by start date = %v, want %v", got, want)
	}

	// when the listed cohort is chosen, it is marked in the list and shown
	s.cohort.list.OnSelected(s.cohort.list.Rows()[0])
	ui.Settle(t)
	if s.cohortID == "" || s.currentCohort().Number != 2 || s.cohort.start.Text != "04-08-2025" {
		t.Fatalf("chosen cohort %+v, start field %q", s.currentCohort(), s.cohort.start.Text)
	}
	if !shows(s.cohort.list, "▶ 2025/2") {
		t.Fatalf("the chosen cohort is not marked in the list: %q", uitest.Strings(uitest.Texts(s.cohort.list)))
	}
}

// shows says whether o draws the text.
func shows(o fyne.CanvasObject, text string) bool {
	for _, x := range uitest.Texts(o) {
		if x.Text == text {
			return true
		}
	}
	return false
}

func TestAnyCohortIsChosenByTypingInThePicker(t *testing.T) {
	ctx := context.Background()
	// given two programmes with cohorts, none chosen
	s, st, _ := newScreen(t)
	cohortFixture(t, st, "Operator Komputer",
		&domain.Cohort{Year: 2026, Number: 1, StartDate: "2026-02-02", EndDate: "2026-03-27", Status: domain.CohortCompleted})
	cohortFixture(t, st, "Tata Boga",
		&domain.Cohort{Year: 2026, Number: 1, StartDate: "2026-03-02", EndDate: "2026-04-24", Status: domain.CohortCompleted},
		&domain.Cohort{Year: 2026, Number: 2, StartDate: "2026-09-07", EndDate: "2026-10-30", Status: domain.CohortRunning})
	s.Update(ctx)
	ui.Settle(t)

	// when "boga" is typed in the picker of every cohort
	s.cohort.jump.TypedRune('b')
	test.Type(s.cohort.jump, "oga")
	got := s.cohort.jump.Results()
	// then both Tata Boga cohorts are offered, newest first
	if len(got) != 2 || !strings.HasPrefix(got[0].Label, "Tata Boga · 2026/2 · 07-09-2026") || !strings.HasPrefix(got[1].Label, "Tata Boga · 2026/1") {
		t.Fatalf("picker offers %+v", got)
	}
	// when the first is picked with Enter
	s.cohort.jump.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	ui.Settle(t)
	// then its programme and it are chosen, and the heading names them
	p := s.programme()
	k := s.currentCohort()
	if p == nil || p.Name != "Tata Boga" || k == nil || k.Number != 2 {
		t.Fatalf("chosen %+v / %+v", p, k)
	}
	if !strings.Contains(s.heading.Text, "Tata Boga — angkatan 2026/2") {
		t.Fatalf("heading %q", s.heading.Text)
	}
	if got := cohortNames(s.cohort.list.Rows()); !reflect.DeepEqual(got, []string{"2026/2", "2026/1"}) {
		t.Fatalf("cohort list = %v", got)
	}
}

func TestInstructorsArePickedBySearchAndTakenOff(t *testing.T) {
	ctx := context.Background()
	// given a programme and forty instructors, two of one name
	s, st, _ := newScreen(t)
	p := cohortFixture(t, st, "Las Listrik")
	var ids []string
	for i := 0; i < 38; i++ {
		in := &domain.Instructor{Name: "Instruktur " + string(rune('A'+i%26)) + string(rune('a'+i/26))}
		if _, err := st.Save(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"Hendra Gunawan", "Hendra Gunawan", "Siti Aminah"} {
		in := &domain.Instructor{Name: name}
		if _, err := st.Save(ctx, in); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, in.ID)
	}
	s.Update(ctx)
	ui.Settle(t)
	s.progList.OnSelected(s.progList.Rows()[0])
	ui.Settle(t)
	c := &s.cohort

	// then the picker is no wider than a form field, however many there are
	if w := c.instructors.Content().MinSize().Width; w > 400 {
		t.Fatalf("instructor picker needs %v wide", w)
	}
	// when "hendra" is searched, both are offered, told apart
	c.instructors.add.Open("hendra")
	if r := c.instructors.add.Results(); len(r) != 2 || r[0].Label == r[1].Label {
		t.Fatalf("hendra: %+v", r)
	}
	c.instructors.add.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	pickInstructor(t, c.instructors, "siti", "Siti Aminah")
	// and one already chosen is not offered again
	c.instructors.add.Open("hendra")
	if r := c.instructors.add.Results(); len(r) != 1 {
		t.Fatalf("hendra after one is chosen: %+v", r)
	}
	c.instructors.add.Close()
	if got := c.instructors.Names(); len(got) != 2 || got[0] != "Hendra Gunawan" || got[1] != "Siti Aminah" {
		t.Fatalf("chosen %v", got)
	}
	// when Hendra is taken off with his button and the cohort saved with
	// dates written the Indonesian way
	tap(t, findButtonWithIcon(t, c.instructors.Content(), 0))
	retype(t, c.start, "2-3-2027")
	retype(t, c.end, "26 Maret 2027")
	tapButton(t, s, tabCohorts, i18n.T("common.save"))

	// then the cohort has only Siti, and its dates stored as ISO
	cohorts, _ := store.ListOf[*domain.Cohort](ctx, st, store.Query{})
	if len(cohorts) != 1 || cohorts[0].InstructorIDs != ids[2] || cohorts[0].StartDate != "2027-03-02" || cohorts[0].EndDate != "2027-03-26" || cohorts[0].ProgrammeID != p.ID {
		t.Fatalf("stored %+v", cohorts)
	}
	// and the picker of every cohort offers it at once
	if got := s.jumpChoices("2027"); len(got) != 1 || got[0].Code != cohorts[0].ID {
		t.Fatalf("picker after the save offers %+v", got)
	}
	// and choosing it again shows Siti and the dates as written in Indonesia
	s.chooseCohort(cohorts[0])
	ui.Settle(t)
	if got := c.instructors.Names(); len(got) != 1 || got[0] != "Siti Aminah" || c.start.Text != "02-03-2027" {
		t.Fatalf("shown again: %v, start %q", got, c.start.Text)
	}
}

// findButtonWithIcon is the n-th button without text (an icon button) in o.
func findButtonWithIcon(t *testing.T, o fyne.CanvasObject, n int) *widget.Button {
	t.Helper()
	var found []*widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Button:
			if x.Text == "" {
				found = append(found, x)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	if n >= len(found) {
		t.Fatalf("no icon button %d in %d", n, len(found))
	}
	return found[n]
}

func TestARefusedCohortScrollsItsFormToTheFirstProblem(t *testing.T) {
	ctx := context.Background()
	// given a programme chosen, its cohort form scrolled to the bottom
	s, st, w := newScreen(t)
	w.Resize(fyne.NewSize(1024, 600))
	cohortFixture(t, st, "Las Listrik")
	s.Update(ctx)
	ui.Settle(t)
	s.progList.OnSelected(s.progList.Rows()[0])
	ui.Settle(t)
	s.tabs.SelectIndex(tabCohorts)
	ui.Settle(t)
	scroll := s.cohort.form.Scroll()
	scroll.ScrollToBottom()
	if scroll.Offset.Y == 0 {
		t.Fatal("the form does not scroll at this size; the test needs a smaller window")
	}
	// when it is saved without a start date
	s.cohort.start.SetText("")
	tapButton(t, s, tabCohorts, i18n.T("common.save"))
	// then the form is scrolled back up to the start date, marked
	if s.cohort.form.Message("start_date") == "" {
		t.Fatal("no problem shown beside the start date")
	}
	if top := s.cohort.form.Field("start_date").Position().Y; scroll.Offset.Y > top {
		t.Fatalf("form scrolled to %v, the start date is at %v", scroll.Offset.Y, top)
	}
}

func TestACohortWrittenElsewhereAppearsAndTypedTextStays(t *testing.T) {
	ctx := context.Background()
	// given a programme chosen with one cohort, and a change typed in its description
	s, st, _ := newScreen(t)
	p := cohortFixture(t, st, "Menjahit",
		&domain.Cohort{Year: 2026, Number: 1, StartDate: "2026-02-02", EndDate: "2026-03-27", Status: domain.CohortCompleted})
	s.Update(ctx)
	ui.Settle(t)
	s.progList.OnSelected(s.progList.Rows()[0])
	ui.Settle(t)
	retype(t, s.pDesc, "kelas sore")

	// when a pull writes a second cohort of it, and the store tells the screen
	k := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 2, StartDate: "2026-09-07", EndDate: "2026-10-30", Quota: 16, Status: domain.CohortRunning}
	if _, err := st.Save(ctx, k); err != nil {
		t.Fatal(err)
	}
	s.DataChanged(ctx, store.Changed{Tables: []string{"cohorts"}})
	ui.Settle(t)

	// then the list shows it first, the picker offers it, and the typed text is kept
	if got := cohortNames(s.cohort.list.Rows()); !reflect.DeepEqual(got, []string{"2026/2", "2026/1"}) {
		t.Fatalf("cohort list = %v", got)
	}
	if got := s.jumpChoices("2026/2"); len(got) != 1 || got[0].Code != k.ID {
		t.Fatalf("picker offers %+v", got)
	}
	if s.pDesc.Text != "kelas sore" {
		t.Fatalf("description now %q", s.pDesc.Text)
	}
	// and a write to another table leaves it alone
	s.DataChanged(ctx, store.Changed{Tables: []string{"tracer_outcomes_unknown"}})
	ui.Settle(t)
	if s.pDesc.Text != "kelas sore" {
		t.Fatalf("description now %q", s.pDesc.Text)
	}
}

func TestCtrlFWorksFromANewCohortsStartDate(t *testing.T) {
	ctx := context.Background()
	// given a programme chosen, and the window's Ctrl+N and Ctrl+F as the shell binds them
	s, st, w := newScreen(t)
	cohortFixture(t, st, "Menjahit")
	s.Update(ctx)
	ui.Settle(t)
	s.progList.OnSelected(s.progList.Rows()[0])
	ui.Settle(t)
	mod := fyne.KeyModifierShortcutDefault
	ctrlN := &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: mod}
	ctrlF := &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: mod}
	w.Canvas().AddShortcut(ctrlN, func(fyne.Shortcut) { s.NewRecord() })
	w.Canvas().AddShortcut(ctrlF, func(fyne.Shortcut) { s.FocusSearch() })
	press := func(sc fyne.Shortcut) { // as Fyne's desktop driver routes it
		if f, ok := w.Canvas().Focused().(fyne.Shortcutable); ok {
			f.TypedShortcut(sc)
		} else {
			w.Canvas().(fyne.Shortcutable).TypedShortcut(sc)
		}
		ui.Settle(t)
	}
	s.tabs.SelectIndex(tabCohorts)
	ui.Settle(t)

	// when Ctrl+N starts a new cohort (the cursor in its start date) and Ctrl+F follows
	press(ctrlN)
	if w.Canvas().Focused() != s.cohort.start {
		t.Fatalf("Ctrl+N focused %T", w.Canvas().Focused())
	}
	press(ctrlF)
	// then the cohort search has the keyboard
	if w.Canvas().Focused() != s.cohort.search {
		t.Fatalf("Ctrl+F from the start date focused %T", w.Canvas().Focused())
	}
}
