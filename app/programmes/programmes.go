// Package programmes is the "Program & Angkatan" screen: training
// programmes with their competency units (whose JP must add up to the
// programme total), the cohorts of each programme, and per cohort the
// enrolment of trainees, the attendance grid, competency results,
// certificates and completion. It reads through the store's queries and
// writes only through store.Save/Delete/Write, which apply the quota cap,
// overlap and reference rules; it never runs SQL and never imports the Fyne
// app package, so it tests headless.
package programmes

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
	"github.com/kemnaker/blk/store"
)

// snapshot is everything the screen shows, read in one go off the UI goroutine.
type snapshot struct {
	today       time.Time
	progID      string // the programme units and cohorts are of
	programmes  []*domain.Programme
	fields      []*domain.VocationalField
	instructors []*domain.Instructor
	sources     []string                // funding sources already recorded, and funder partners
	units       []*domain.ProgrammeUnit // of the chosen programme
	cohorts     []*domain.Cohort        // of the chosen programme
	allCohorts  []*domain.Cohort        // of every programme, newest first (the cohort picker)
	roster      []store.RosterEntry     // of the chosen cohort
	marks       []*domain.Attendance
	results     []*domain.Assessment
	// minAttendance is the centre's minimum attendance, in percent, below
	// which graduating asks for confirmation.
	minAttendance int
}

// Screen is the programmes and cohorts screen.
type Screen struct {
	deps    screen.Deps
	st      Store
	root    fyne.CanvasObject
	tabs    *container.AppTabs
	heading *widget.Label
	status  *widget.Label

	data     snapshot
	progID   string // chosen programme ("" : a new one is being typed)
	cohortID string // chosen cohort
	// defaultsFor is the programme the new-cohort form's defaults (year,
	// next number) were worked out for.
	defaultsFor string
	// generation counts Updates so that only the latest one's snapshot is applied.
	generation int
	// allStale says the next load reads every cohort again for the cohort
	// picker (1,250 at a big centre: read when the screen is shown and
	// after a cohort or programme is written here, not at every choice).
	allStale bool
	// keepForms says the next load came from a write elsewhere (an import,
	// a pull): it refreshes the lists and grids, and leaves the forms as
	// typed.
	keepForms bool

	progList  *widgets.Table[*domain.Programme]
	progCount *widget.Label
	progForm  *kit.Form
	pName     *kit.Entry
	pField    *widgets.SelectEntry
	pTotal    *kit.Entry
	pMinutes  *kit.Entry
	pDesc     *kit.Entry
	progDel   *widget.Button

	units        *widgets.Table[*domain.ProgrammeUnit]
	unitForm     *kit.Form
	unitCode     *kit.Entry
	unitTitle    *kit.Entry
	unitJP       *kit.Entry
	unitMsg      *widget.Label // the unit row's problems, on a line of its own
	jpCheck      *widget.Label
	selectedUnit *domain.ProgrammeUnit

	cohort cohortPane
	enrol  enrolPane
	att    *markGrid
	attDay *widget.Select // the day "Semua hadir" marks
	attAll *widget.Button
	res    resultsPane
}

// Store is what the screen reads and writes: programmes, units, cohorts,
// enrolments, attendance and results (listed, saved, deleted, the marks of
// a day in one transaction), a cohort's roster, marks and results, the
// trainees to enrol, the funding sources and partners to choose from, the
// centre's attendance minimum, and what the LSP export walks. *store.Store
// satisfies it.
type Store interface {
	kit.Store
	exchange.Source // EachRecord: funding sources, the LSP export
	Write(ctx context.Context, fn func(*store.Tx) error) error
	Centre(ctx context.Context) (*domain.Centre, error)
	CohortRoster(ctx context.Context, cohortID string) ([]store.RosterEntry, error)
	CohortAttendance(ctx context.Context, cohortID string) ([]*domain.Attendance, error)
	CohortAssessments(ctx context.Context, cohortID string) ([]*domain.Assessment, error)
	SearchTrainees(ctx context.Context, q store.TraineeQuery) ([]*domain.Trainee, error)
}

// New builds the screen over st; call Update to load it.
func New(deps screen.Deps, st Store) *Screen {
	s := &Screen{deps: deps, st: st}
	s.data.today = deps.Now()
	s.heading = kit.Label(&widget.Label{Text: i18n.T("prog.pick_programme"), TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord})
	s.status = kit.Label(&widget.Label{Wrapping: fyne.TextWrapWord})

	s.progCount = widget.NewLabel("")
	s.progList = widgets.NewTable([]widgets.Column[*domain.Programme]{
		{Title: i18n.T("prog.name"), Width: 180, Text: func(p *domain.Programme) string {
			if p.ID == s.progID {
				return "▶ " + p.Name
			}
			return p.Name
		}, Less: func(a, b *domain.Programme) bool { return strings.ToLower(a.Name) < strings.ToLower(b.Name) }},
		{Title: i18n.T("prog.col.field"), Width: 80, Text: func(p *domain.Programme) string { return p.FieldCode },
			Less: func(a, b *domain.Programme) bool { return a.FieldCode < b.FieldCode }},
	})
	s.progList.OnSelected = s.chooseProgramme
	newProg := widget.NewButtonWithIcon(i18n.T("prog.new"), theme.ContentAddIcon(), func() { s.chooseProgramme(nil) })
	s.cohort.jump = widgets.NewSearchSelect(i18n.T("cohort.jump"), s.jumpChoices, func(c widgets.Choice) { s.jumpTo(c.Code) })
	s.cohort.jump.Hint = i18n.T("cohort.jump_none")
	programmes := container.NewBorder(container.NewVBox(s.cohort.jump, container.NewBorder(nil, nil, newProg, s.progCount)), nil, nil, nil, s.progList)
	// programmes above, the chosen programme's cohorts below: both master lists
	masters := container.NewVSplit(programmes, s.buildCohortList())
	masters.Offset = 0.4

	s.tabs = container.NewAppTabs(
		container.NewTabItem(i18n.T("prog.tab.programme"), s.buildProgrammeTab()),
		container.NewTabItem(i18n.T("prog.tab.cohorts"), s.buildCohortTab()),
		container.NewTabItem(i18n.T("prog.tab.trainees"), s.buildEnrolTab()),
		container.NewTabItem(i18n.T("prog.tab.attendance"), s.buildAttendanceTab()),
		container.NewTabItem(i18n.T("prog.tab.results"), s.buildResultsTab()),
	)
	right := container.NewBorder(s.heading, s.status, nil, nil, s.tabs)
	split := container.NewHSplit(masters, right)
	split.Offset = 0.37
	s.root = split
	s.chooseProgramme(nil)
	return s
}

// Content is the screen's root object.
func (s *Screen) Content() fyne.CanvasObject { return s.root }

// Tabs of the screen, in order.
const (
	tabProgramme = iota
	tabCohorts
	tabTrainees
	tabAttendance
	tabResults
)

// NewRecord starts a new cohort when a programme is chosen and a cohort
// tab is on show, and a new programme otherwise (Ctrl+N).
func (s *Screen) NewRecord() {
	if s.tabs.SelectedIndex() != tabProgramme && s.progID != "" {
		s.newCohort()
		return
	}
	s.tabs.SelectIndex(tabProgramme)
	s.chooseProgramme(nil)
	s.deps.Window.Canvas().Focus(s.pName)
}

// FocusSearch (Ctrl+F) goes to the trainee search on the Peserta tab of a
// chosen cohort, to the cohort search of a chosen programme, and to the
// picker of every cohort otherwise.
func (s *Screen) FocusSearch() {
	switch {
	case s.tabs.SelectedIndex() == tabTrainees && s.cohortID != "":
		s.deps.Window.Canvas().Focus(s.enrol.search)
	case s.progID != "":
		s.deps.Window.Canvas().Focus(s.cohort.search)
	default:
		s.deps.Window.Canvas().Focus(s.cohort.jump)
	}
}

// Update reloads everything the screen shows, the picker's list of every
// cohort too, off the UI goroutine and swaps it in with one Do of its
// Runner (the shell calls it when the screen is shown). Call it on the UI
// goroutine.
func (s *Screen) Update(ctx context.Context) {
	s.allStale = true
	s.refresh(ctx)
}

// refresh is Update after a choice or a write of the screen's own: every
// cohort is read again only when allStale says so.
func (s *Screen) refresh(ctx context.Context) {
	progID, cohortID, all, keep := s.progID, s.cohortID, s.allStale, s.keepForms
	s.allStale, s.keepForms = false, false
	s.generation++
	gen := s.generation
	s.deps.Go(func() {
		snap, err := s.load(ctx, progID, cohortID, all)
		s.deps.Do(func() {
			if gen != s.generation {
				s.allStale = s.allStale || all // the later one reads them
				return                         // a later Update (another programme or cohort chosen) wins
			}
			if err != nil {
				s.allStale = s.allStale || all
				screen.ShowError(s.deps.Window, err)
				return
			}
			if !all {
				snap.allCohorts = s.data.allCohorts
			}
			s.applyKeeping(snap, keep)
		})
	})
}

// load reads what the screen shows; with all, every cohort of every
// programme as well.
func (s *Screen) load(ctx context.Context, progID, cohortID string, all bool) (snapshot, error) {
	st := s.st
	snap := snapshot{today: s.deps.Now(), progID: progID}
	var err error
	if snap.programmes, err = store.ListOf[*domain.Programme](ctx, st, store.Query{OrderBy: "name"}); err != nil {
		return snap, fmt.Errorf("programmes: %w", err)
	}
	if snap.fields, err = store.ListOf[*domain.VocationalField](ctx, st, store.Query{OrderBy: "code"}); err != nil {
		return snap, fmt.Errorf("vocational fields: %w", err)
	}
	if snap.instructors, err = store.ListOf[*domain.Instructor](ctx, st, store.Query{OrderBy: "name"}); err != nil {
		return snap, fmt.Errorf("instructors: %w", err)
	}
	if snap.sources, err = fundingSources(ctx, st); err != nil {
		return snap, err
	}
	if progID != "" {
		byProg := store.Query{Filters: []store.Filter{{Field: "programme_id", Value: progID}}, OrderBy: "position"}
		if snap.units, err = store.ListOf[*domain.ProgrammeUnit](ctx, st, byProg); err != nil {
			return snap, fmt.Errorf("units: %w", err)
		}
	}
	switch {
	case all:
		if snap.allCohorts, err = store.ListOf[*domain.Cohort](ctx, st, store.Query{}); err != nil {
			return snap, fmt.Errorf("cohorts: %w", err)
		}
		newestFirst(snap.allCohorts)
		for _, k := range snap.allCohorts {
			if k.ProgrammeID == progID && progID != "" {
				snap.cohorts = append(snap.cohorts, k)
			}
		}
	case progID != "":
		byProg := store.Query{Filters: []store.Filter{{Field: "programme_id", Value: progID}}}
		if snap.cohorts, err = store.ListOf[*domain.Cohort](ctx, st, byProg); err != nil {
			return snap, fmt.Errorf("cohorts: %w", err)
		}
		newestFirst(snap.cohorts)
	}
	snap.minAttendance = domain.DefaultMinAttendance
	if c, err := st.Centre(ctx); err == nil {
		snap.minAttendance = c.AttendanceMinimum()
	}
	if cohortID != "" {
		if snap.roster, err = st.CohortRoster(ctx, cohortID); err != nil {
			return snap, err
		}
		if snap.marks, err = st.CohortAttendance(ctx, cohortID); err != nil {
			return snap, err
		}
		if snap.results, err = st.CohortAssessments(ctx, cohortID); err != nil {
			return snap, err
		}
	}
	return snap, nil
}

// Close lets go of everything loaded (programmes, the chosen programme's
// cohorts, a cohort's roster, marks and results, trainees found to enrol)
// when the shell drops the screen (a language switch rebuilds every
// screen); an Update still on its way is dropped when it lands.
func (s *Screen) Close() {
	s.generation++
	s.progID, s.cohortID = "", ""
	s.enrol.found = nil
	s.enrol.foundList.Refresh()
	s.apply(snapshot{today: s.data.today})
}

// DataChanged (screen.Watcher) reloads what the screen lists after a write
// elsewhere (an import, a pull, another screen): programmes, cohorts, the
// chosen cohort's roster, attendance and results. The programme and cohort
// forms keep what is typed in them.
func (s *Screen) DataChanged(ctx context.Context, c store.Changed) {
	if !c.Has("programmes", "programme_units", "cohorts", "enrollments", "attendance", "assessments", "instructors", "trainees", "funding", "partners", "vocational_fields", "centres") {
		return
	}
	s.allStale, s.keepForms = true, true
	s.refresh(ctx)
}

// apply swaps a snapshot in (UI goroutine).
func (s *Screen) apply(snap snapshot) { s.applyKeeping(snap, false) }

// applyKeeping swaps a snapshot in; with keep, the programme and cohort
// forms are not filled again.
func (s *Screen) applyKeeping(snap snapshot, keep bool) {
	s.data = snap
	s.progList.SetRows(snap.programmes)
	s.progCount.SetText(i18n.Count("prog.count", len(snap.programmes)))
	s.pField.SetOptions(s.fieldOptions())
	if p := s.programme(); p != nil {
		if !keep {
			s.fillProgramme(p)
		}
	} else if s.progID != "" {
		s.chooseProgramme(nil) // deleted meanwhile
	}
	s.units.SetRows(snap.units)
	s.showJPCheck()
	s.showCohorts()
	s.cohort.instructors.SetOptions(snap.instructors)
	s.cohort.fund.SetOptions(snap.sources)
	if c := s.currentCohort(); c != nil {
		if !keep {
			s.fillCohort(c)
		}
	} else if s.cohortID != "" || s.defaultsFor != snap.progID {
		s.chooseCohort(nil) // deleted meanwhile, or the programme's cohorts just arrived
	}
	s.refreshCohortDetail()
	s.showHeading()
}

// fundingSources are the names a cohort's funding source is usually one of:
// sources of recorded funding and partners that fund (funders, government).
// The funding records are read one at a time and only new names kept: a
// centre has thousands of records and a handful of sources.
func fundingSources(ctx context.Context, st Store) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(name string) {
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	err := st.EachRecord(ctx, "funding", func(r domain.Record) error {
		add(r.(*domain.Funding).Source)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("funding sources: %w", err)
	}
	partners, err := store.ListOf[*domain.Partner](ctx, st, store.Query{OrderBy: "name"})
	if err != nil {
		return nil, fmt.Errorf("funding partners: %w", err)
	}
	for _, p := range partners {
		if p.Type == domain.PartnerFunder || p.Type == domain.PartnerGovernment {
			add(p.Name)
		}
	}
	sort.Strings(out)
	return out, nil
}

func (s *Screen) programme() *domain.Programme {
	for _, p := range s.data.programmes {
		if p.ID == s.progID {
			return p
		}
	}
	return nil
}

func (s *Screen) showHeading() {
	p := s.programme()
	switch {
	case p == nil:
		s.heading.SetText(i18n.T("prog.pick_programme"))
	case s.currentCohort() != nil:
		c := s.currentCohort()
		s.heading.SetText(i18n.T("cohort.heading", p.Name, c.Year, c.Number, domain.ShowDate(c.StartDate), domain.ShowDate(c.EndDate), s.activeCount(), c.Quota))
	default:
		s.heading.SetText(p.Name)
	}
}

// say shows the outcome of the last action under the tabs.
func (s *Screen) say(importance widget.Importance, text string) {
	s.status.Importance = importance
	s.status.SetText(text)
}

// fail shows a store error: a refusal in the user's language in the status
// line (the form shows it beside the fields), anything else as a dialog.
func (s *Screen) fail(err error) {
	var ve *domain.ValidationError
	if ps := kit.ProblemsOf(err); ps != nil {
		ve = &domain.ValidationError{Problems: ps}
		s.say(widget.DangerImportance, ve.Localized(i18n.Lang()))
		return
	}
	screen.ShowError(s.deps.Window, err)
}

// save writes rec off the UI goroutine, then calls done on the UI goroutine
// with the warnings, or shows the refusal (in form, when given) and stops.
func (s *Screen) save(rec domain.Record, form *kit.Form, done func(domain.Problems)) {
	s.staleIfListed(rec)
	s.deps.Go(func() {
		warnings, err := s.st.Save(context.Background(), rec)
		s.deps.Do(func() {
			if err != nil {
				if form != nil {
					form.Show(kit.ProblemsOf(err))
				}
				s.fail(err)
				return
			}
			if form != nil {
				form.Show(warnings)
			}
			done(warnings)
			s.deps.Changed()
			s.refresh(context.Background())
		})
	})
}

// staleIfListed has the next load read every cohort again when rec is one
// the cohort picker lists (a cohort) or names (a programme).
func (s *Screen) staleIfListed(rec domain.Record) {
	switch rec.(type) {
	case *domain.Cohort, *domain.Programme:
		s.allStale = true
	}
}

func (s *Screen) remove(rec domain.Record, done func()) {
	s.staleIfListed(rec)
	s.deps.Go(func() {
		err := s.st.Delete(context.Background(), rec)
		s.deps.Do(func() {
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			done()
			s.deps.Changed()
			s.refresh(context.Background())
		})
	})
}

// ---- programme tab ----

func (s *Screen) buildProgrammeTab() fyne.CanvasObject {
	s.progForm = kit.New()
	s.progForm.Compact = true
	s.pName = s.progForm.Entry("name", i18n.T("prog.name"), "")
	s.pField = widgets.NewSelectEntry(nil)
	s.pField.PlaceHolder = i18n.T("prog.field_hint")
	s.pField.OnChanged = func(string) { s.progForm.Revalidate() }
	s.pField.OnSubmitted = func(string) { s.saveProgramme() }
	s.progForm.Add("field_code", i18n.T("prog.field"), s.pField)
	s.pTotal = s.progForm.Entry("total_jp", i18n.T("prog.total_jp"), "160")
	s.pMinutes = s.progForm.Entry("minutes_per_jp", i18n.T("prog.minutes_per_jp"), "45")
	s.pDesc = s.progForm.Entry("description", i18n.T("prog.description"), "")
	s.progForm.Check = func() domain.Problems {
		p, ps := s.programmeRecord()
		domain.Normalize(p)
		return append(ps, domain.Validate(p, s.st.Rules())...)
	}
	s.progForm.Submit = s.saveProgramme
	save := kit.Button(&widget.Button{Text: i18n.T("common.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.saveProgramme})
	s.progDel = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), s.confirmDeleteProgramme)

	s.units = widgets.NewTable([]widgets.Column[*domain.ProgrammeUnit]{
		{Title: i18n.T("prog.unit_code"), Width: 150, Text: func(u *domain.ProgrammeUnit) string { return u.UnitCode }},
		{Title: i18n.T("prog.unit_title"), Width: 230, Text: func(u *domain.ProgrammeUnit) string { return u.Title }},
		{Title: i18n.T("prog.unit_jp"), Width: 50, Text: func(u *domain.ProgrammeUnit) string { return strconv.FormatInt(u.JP, 10) }},
	})
	s.units.OnSelected = func(u *domain.ProgrammeUnit) {
		// A chosen unit fills the unit form: saving it again under the same
		// code changes that unit (its id comes from programme and code).
		s.selectedUnit = u
		s.unitCode.SetText(u.UnitCode)
		s.unitTitle.SetText(u.Title)
		s.unitJP.SetText(strconv.FormatInt(u.JP, 10))
		s.showUnitProblems(nil)
	}
	// The unit row is one line of entries (code, title, JP) laid out here,
	// its problems on a line of their own under it that is always there.
	s.unitForm = kit.New()
	s.unitCode = s.unitForm.NewEntry(i18n.T("prog.unit_code"))
	s.unitTitle = s.unitForm.NewEntry(i18n.T("prog.unit_title"))
	s.unitJP = s.unitForm.NewEntry(i18n.T("prog.unit_jp"))
	s.unitForm.Submit = s.addUnit
	s.unitMsg = kit.Label(&widget.Label{Importance: widget.DangerImportance, Truncation: fyne.TextTruncateEllipsis})
	addUnit := widget.NewButtonWithIcon(i18n.T("prog.unit_add"), theme.ContentAddIcon(), s.addUnit)
	delUnit := widget.NewButtonWithIcon(i18n.T("prog.unit_remove"), theme.ContentRemoveIcon(), s.removeUnit)
	s.jpCheck = kit.Label(&widget.Label{Truncation: fyne.TextTruncateEllipsis, TextStyle: fyne.TextStyle{Bold: true}})

	jp := container.NewGridWrap(fyne.NewSize(70, s.unitJP.MinSize().Height), s.unitJP)
	unitRow := container.NewBorder(nil, nil, nil, jp, container.NewGridWithColumns(2, s.unitCode, s.unitTitle))
	unitButtons := container.NewBorder(nil, nil, container.NewHBox(addUnit, delUnit), nil, s.unitMsg)
	units := container.NewBorder(
		container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil,
			widget.NewLabelWithStyle(i18n.T("prog.units"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, s.jpCheck)),
		container.NewVBox(unitRow, unitButtons), nil, nil, s.units)
	form := container.NewBorder(nil, container.NewHBox(save, s.progDel), nil, nil, s.progForm.Scroll())
	// the form above, the units (most of the height) below; the operator
	// can move the divider
	split := container.NewVSplit(form, units)
	split.Offset = 0.38
	return split
}

// fieldOptions are the vocational fields to choose from: the reference
// catalogue, or, when it has not arrived yet, the codes programmes already use.
func (s *Screen) fieldOptions() []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range s.data.fields {
		name := f.NameID
		if i18n.Lang() == domain.English && f.NameEN != "" {
			name = f.NameEN
		}
		out = append(out, f.Code+" — "+name)
		seen[f.Code] = true
	}
	for _, p := range s.data.programmes {
		if p.FieldCode != "" && !seen[p.FieldCode] {
			seen[p.FieldCode] = true
			out = append(out, p.FieldCode)
		}
	}
	return out
}

// fieldCode reads the code out of "CODE — name" or a typed code.
func fieldCode(s string) string {
	code, _, _ := strings.Cut(s, " — ")
	return strings.ToUpper(strings.TrimSpace(code))
}

func (s *Screen) fieldText(code string) string {
	for _, o := range s.fieldOptions() {
		if fieldCode(o) == code && code != "" {
			return o
		}
	}
	return code
}

func (s *Screen) chooseProgramme(p *domain.Programme) {
	s.cohortID = ""
	s.selectedUnit = nil
	if p == nil {
		s.progID = ""
		s.fillProgramme(&domain.Programme{})
		s.progDel.Disable()
		s.data.units, s.data.cohorts, s.data.roster, s.data.marks, s.data.results = nil, nil, nil, nil, nil
		s.units.SetRows(nil)
		s.showJPCheck()
		s.showCohorts()
		s.progList.Refresh()
		s.chooseCohort(nil)
		s.showHeading()
		return
	}
	s.progID = p.ID
	s.fillProgramme(p)
	s.progDel.Enable()
	s.progList.Refresh()
	s.data.cohorts = nil // the new programme's arrive with the Update
	s.chooseCohort(nil)
	s.refresh(context.Background())
}

func (s *Screen) fillProgramme(p *domain.Programme) {
	check := s.progForm.Check
	s.progForm.Check = nil
	s.pName.SetText(p.Name)
	s.pField.SetText(s.fieldText(p.FieldCode))
	num := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	s.pTotal.SetText(num(p.TotalJP))
	s.pMinutes.SetText(num(p.MinutesPerJP))
	if p.ID == "" && p.MinutesPerJP == 0 {
		s.pMinutes.SetText("45") // the usual length of one JP
	}
	s.pDesc.SetText(p.Description)
	s.progForm.Check = check
	s.progForm.Show(nil)
	if p.ID != "" {
		s.progForm.Revalidate() // a saved programme keeps its warnings in view
	}
}

// programmeRecord is the programme as typed, with problems for unreadable numbers.
func (s *Screen) programmeRecord() (*domain.Programme, domain.Problems) {
	p := &domain.Programme{}
	if cur := s.programme(); cur != nil {
		*p = *cur
	}
	var ps domain.Problems
	p.Name, p.FieldCode, p.Description = s.pName.Text, fieldCode(s.pField.Text), s.pDesc.Text
	var ok bool
	if p.TotalJP, ok = kit.Int(s.pTotal.Text); !ok {
		ps = append(ps, kit.NotNumber("total_jp"))
	}
	if p.MinutesPerJP, ok = kit.Int(s.pMinutes.Text); !ok {
		ps = append(ps, kit.NotNumber("minutes_per_jp"))
	}
	return p, ps
}

func (s *Screen) saveProgramme() {
	p, _ := s.programmeRecord()
	if ps := s.progForm.Check(); ps.Invalid() {
		s.progForm.ShowAndScroll(ps)
		s.say(widget.DangerImportance, i18n.T("prog.fix"))
		return
	}
	s.save(p, s.progForm, func(domain.Problems) {
		s.progID = p.ID
		s.progDel.Enable()
		s.say(widget.SuccessImportance, i18n.T("prog.saved", p.Name))
	})
}

func (s *Screen) confirmDeleteProgramme() {
	p := s.programme()
	if p == nil {
		return
	}
	dialog.ShowConfirm(i18n.T("common.delete"), i18n.T("prog.confirm_delete", p.Name), func(ok bool) {
		if ok {
			s.remove(p, func() {
				s.chooseProgramme(nil)
				s.say(widget.MediumImportance, i18n.T("prog.deleted", p.Name))
			})
		}
	}, s.deps.Window)
}

// JPSum adds up the JP of units.
func JPSum(units []*domain.ProgrammeUnit) int64 {
	var n int64
	for _, u := range units {
		n += u.JP
	}
	return n
}

func (s *Screen) showJPCheck() {
	p := s.programme()
	switch {
	case p == nil:
		s.jpCheck.SetText("")
	case len(s.data.units) == 0:
		s.jpCheck.Importance = widget.WarningImportance
		s.jpCheck.SetText(i18n.T("prog.jp_none"))
	default:
		sum := JPSum(s.data.units)
		if sum == p.TotalJP {
			s.jpCheck.Importance = widget.SuccessImportance
			s.jpCheck.SetText(i18n.T("prog.jp_ok", sum, p.TotalJP))
		} else {
			s.jpCheck.Importance = widget.DangerImportance
			s.jpCheck.SetText(i18n.T("prog.jp_bad", sum, p.TotalJP, sum-p.TotalJP))
		}
	}
}

func (s *Screen) addUnit() {
	if s.progID == "" {
		s.say(widget.WarningImportance, i18n.T("prog.pick_programme"))
		return
	}
	jp, ok := kit.Int(s.unitJP.Text)
	u := &domain.ProgrammeUnit{ProgrammeID: s.progID, UnitCode: s.unitCode.Text, Title: s.unitTitle.Text, JP: jp, Position: int64(len(s.data.units) + 1)}
	for _, x := range s.data.units {
		if x.UnitCode == strings.TrimSpace(u.UnitCode) {
			u.Position = x.Position // changing a unit keeps its place
		}
	}
	ps := domain.Validate(u, s.st.Rules())
	if !ok {
		ps = append(ps, kit.NotNumber("jp"))
	}
	s.showUnitProblems(ps)
	if ps.Invalid() {
		return
	}
	s.save(u, nil, func(domain.Problems) {
		s.showUnitProblems(nil)
		s.selectedUnit = nil
		s.unitCode.SetText("")
		s.unitTitle.SetText("")
		s.unitJP.SetText("")
	})
}

// showUnitProblems puts the unit row's problems on its message line.
func (s *Screen) showUnitProblems(ps domain.Problems) {
	s.unitMsg.SetText(ps.Text(i18n.Lang()))
}

func (s *Screen) removeUnit() {
	u := s.selectedUnit
	if u == nil {
		return
	}
	s.remove(u, func() {
		s.selectedUnit = nil
		s.unitCode.SetText("")
		s.unitTitle.SetText("")
		s.unitJP.SetText("")
	})
}
