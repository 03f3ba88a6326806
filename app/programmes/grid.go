package programmes

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/datefield"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// markGrid is trainees × columns (session days, competency units) of short
// marks in one widget.Table, so a 16 × 60 grid costs a screenful of cells,
// not a thousand widgets. Tapping a cell moves it to the next mark in cycle
// and hands the change to set, which writes it and reports back.
type markGrid struct {
	table   *widget.Table
	rows    []store.RosterEntry
	cols    []string // keys: dates or unit codes
	headers []string
	// titles, when set, are the columns' second header line (the results
	// grid: each unit's title under its code); the header row is then two
	// lines high and pointing at a header calls onHeader with its column.
	titles   []string
	onHeader func(col int)
	marks    map[string]map[string]string // enrollment id → key → mark
	cycle    []string                     // "" first
	style    func(mark string) widget.Importance
	set      func(r store.RosterEntry, key, mark string, done func(ok bool))

	cellWidth float32
	// summary, when set, sums up one trainee's marks beside their name.
	summary func(marks map[string]string) string
}

func newMarkGrid(cycle []string, cellWidth float32, style func(string) widget.Importance, onHeader func(col int)) *markGrid {
	g := &markGrid{cycle: cycle, style: style, marks: map[string]map[string]string{}, onHeader: onHeader}
	g.table = widget.NewTable(
		func() (int, int) { return len(g.rows), len(g.cols) + 1 },
		func() fyne.CanvasObject {
			return kit.Label(&widget.Label{Truncation: fyne.TextTruncateEllipsis})
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			if id.Row < 0 || id.Row >= len(g.rows) {
				return
			}
			r := g.rows[id.Row]
			if id.Col == 0 {
				l.Importance = widget.MediumImportance
				if r.Enrollment.Status == domain.EnrollmentDropped {
					l.Importance = widget.LowImportance
				}
				l.Alignment = fyne.TextAlignLeading
				text := r.Name
				if g.summary != nil {
					if x := g.summary(g.marks[r.Enrollment.ID]); x != "" {
						text += " · " + x
					}
				}
				l.SetText(text)
				return
			}
			m := g.mark(r.Enrollment.ID, g.cols[id.Col-1])
			l.Importance = g.style(m)
			l.Alignment = fyne.TextAlignCenter
			l.SetText(m)
		})
	g.table.ShowHeaderRow = true
	g.table.StickyColumnCount = 1
	g.table.CreateHeader = func() fyne.CanvasObject {
		if g.onHeader != nil {
			return newUnitHeader(g.onHeader)
		}
		return kit.Label(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter, Truncation: fyne.TextTruncateEllipsis})
	}
	g.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if h, ok := o.(*unitHeader); ok {
			switch {
			case id.Col == 0:
				h.set(0, i18n.T("att.name"), "", fyne.TextAlignLeading)
			case id.Col > 0 && id.Col <= len(g.headers):
				title := ""
				if id.Col <= len(g.titles) {
					title = g.titles[id.Col-1]
				}
				h.set(id.Col, g.headers[id.Col-1], title, fyne.TextAlignLeading)
			default:
				h.set(-1, "", "", fyne.TextAlignLeading)
			}
			return
		}
		l := o.(*widget.Label)
		switch {
		case id.Col == 0:
			l.Alignment = fyne.TextAlignLeading
			l.SetText(i18n.T("att.name"))
		case id.Col > 0 && id.Col <= len(g.headers):
			l.Alignment = fyne.TextAlignCenter
			l.SetText(g.headers[id.Col-1])
		default:
			l.SetText("")
		}
	}
	g.table.OnSelected = func(id widget.TableCellID) {
		g.table.UnselectAll()
		g.tap(id.Row, id.Col)
	}
	g.table.SetColumnWidth(0, 200)
	g.cellWidth = cellWidth
	return g
}

func (g *markGrid) mark(enrollmentID, key string) string {
	return g.marks[enrollmentID][key]
}

// setData replaces what the grid shows.
func (g *markGrid) setData(rows []store.RosterEntry, cols, headers, titles []string, marks map[string]map[string]string) {
	g.rows, g.cols, g.headers, g.titles, g.marks = rows, cols, headers, titles, marks
	if g.onHeader != nil {
		// Fyne gives every row the height of the tallest template, here
		// the two-line header's: rows keep the height of one line.
		h := g.table.CreateCell().MinSize().Height
		for i := range rows {
			g.table.SetRowHeight(i, h)
		}
	}
	for i := range cols {
		g.table.SetColumnWidth(i+1, g.cellWidth)
	}
	g.table.Refresh()
}

// tap cycles the mark of one cell; dropped trainees are not marked.
func (g *markGrid) tap(row, col int) {
	if row < 0 || row >= len(g.rows) || col < 1 || col > len(g.cols) || g.set == nil {
		return
	}
	r := g.rows[row]
	if r.Enrollment.Status == domain.EnrollmentDropped {
		return
	}
	key := g.cols[col-1]
	next := g.cycle[0]
	cur := g.mark(r.Enrollment.ID, key)
	for i, m := range g.cycle {
		if m == cur {
			next = g.cycle[(i+1)%len(g.cycle)]
		}
	}
	g.set(r, key, next, func(ok bool) {
		if !ok {
			return
		}
		if g.marks[r.Enrollment.ID] == nil {
			g.marks[r.Enrollment.ID] = map[string]string{}
		}
		g.marks[r.Enrollment.ID][key] = next
		g.table.RefreshItem(widget.TableCellID{Row: row, Col: col})
		if g.summary != nil {
			g.table.RefreshItem(widget.TableCellID{Row: row, Col: 0})
		}
	})
}

// ---- attendance ----

func (s *Screen) buildAttendanceTab() fyne.CanvasObject {
	s.att = newMarkGrid([]string{"", domain.AttendancePresent, domain.AttendanceSick, domain.AttendanceExcused, domain.AttendanceAbsent}, 64,
		func(m string) widget.Importance {
			switch m {
			case domain.AttendancePresent:
				return widget.SuccessImportance
			case domain.AttendanceAbsent:
				return widget.DangerImportance
			case domain.AttendanceSick, domain.AttendanceExcused:
				return widget.WarningImportance
			}
			return widget.MediumImportance
		}, nil)
	s.att.set = s.setAttendance
	s.att.summary = func(marks map[string]string) string {
		if rate, ok := AttendanceRate(marks); ok {
			return strconv.Itoa(rate) + "%"
		}
		return ""
	}
	s.attDay = widget.NewSelect(nil, nil)
	s.attDay.PlaceHolder = i18n.T("att.all.day")
	s.attAll = widget.NewButtonWithIcon(i18n.T("att.all"), theme.ConfirmIcon(), s.markAllPresent)
	// A Select is as wide as its placeholder; a date needs more.
	day := container.NewGridWrap(fyne.NewSize(170, s.attDay.MinSize().Height), s.attDay)
	all := container.NewHBox(widget.NewLabel(i18n.T("att.all.day")), day, s.attAll)
	legend := &widget.Label{Text: i18n.T("att.legend"), Wrapping: fyne.TextWrapWord}
	return container.NewBorder(container.NewVBox(legend, all), nil, nil, nil, s.att.table)
}

// markableDays are the cohort's session days that have come (the newest
// first, as "semua hadir" is usually for today), with their labels.
func markableDays(days []string, today string) (out, labels []string) {
	for i := len(days) - 1; i >= 0; i-- {
		if days[i] <= today {
			t, _ := domain.ParseDate(days[i])
			out = append(out, days[i])
			labels = append(labels, t.Format("02-01-2006"))
		}
	}
	return out, labels
}

// markAllPresent marks every trainee still in the cohort present on the
// chosen day, in one write; marks already made that day (sick, excused,
// absent) are kept.
func (s *Screen) markAllPresent() {
	if s.attDay.SelectedIndex() < 0 {
		s.say(widget.WarningImportance, i18n.T("att.all.pick"))
		return
	}
	days, _ := markableDays(s.att.cols, domain.Today(s.data.today))
	day := days[s.attDay.SelectedIndex()]
	var todo []*domain.Attendance
	for _, r := range s.data.roster {
		if r.Enrollment.Status == domain.EnrollmentDropped || s.att.mark(r.Enrollment.ID, day) != "" {
			continue
		}
		todo = append(todo, &domain.Attendance{EnrollmentID: r.Enrollment.ID, Date: day, Mark: domain.AttendancePresent})
	}
	if len(todo) == 0 {
		s.say(widget.MediumImportance, i18n.T("att.all.none", s.attDay.Selected))
		return
	}
	s.deps.Go(func() {
		err := s.st.Write(context.Background(), func(tx *store.Tx) error {
			for _, a := range todo {
				if _, err := tx.Save(a); err != nil {
					return err
				}
			}
			return nil
		})
		s.deps.Do(func() {
			if err != nil {
				s.fail(err)
				return
			}
			s.say(widget.SuccessImportance, i18n.T("att.all.done", len(todo), s.attDay.Selected))
			s.deps.Changed()
			s.refresh(context.Background())
		})
	})
}

// AttendanceRate is the share of marked days a trainee was present (H), in
// whole percent; ok is false before any day is marked. It is
// domain.AttendanceRateOf, the number the printed report shows too.
func AttendanceRate(marks map[string]string) (rate int, ok bool) {
	return domain.AttendanceRateOf(marks)
}

// SessionDays are the days of a cohort's attendance grid: every weekday from
// start to end, plus any other day that already has marks, in order. An
// unreadable or absurd range gives only the recorded days.
func SessionDays(start, end string, recorded []string) []string {
	seen := map[string]bool{}
	var days []string
	add := func(d string) {
		if !seen[d] {
			seen[d] = true
			days = append(days, d)
		}
	}
	s, okS := domain.ParseDate(start)
	e, okE := domain.ParseDate(end)
	if okS && okE && !e.Before(s) && e.Sub(s) <= 400*24*time.Hour {
		for d := s; !d.After(e); d = d.AddDate(0, 0, 1) {
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				add(d.Format(domain.DateLayout))
			}
		}
	}
	for _, d := range recorded {
		add(d)
	}
	sort.Strings(days)
	return days
}

func (s *Screen) setAttendance(r store.RosterEntry, date, mark string, done func(bool)) {
	a := &domain.Attendance{EnrollmentID: r.Enrollment.ID, Date: date, Mark: mark}
	if ps := domain.Validate(a, s.st.Rules()); mark != "" && ps.Invalid() {
		s.say(widget.DangerImportance, ps.Text(i18n.Lang()))
		done(false)
		return
	}
	s.deps.Go(func() {
		var err error
		if mark == "" {
			a.ID = domain.NaturalID("attendance", a.EnrollmentID, a.Date)
			err = s.st.Delete(context.Background(), a)
		} else {
			_, err = s.st.Save(context.Background(), a)
		}
		s.deps.Do(func() {
			if err != nil {
				s.fail(err)
				done(false)
				return
			}
			done(true)
			s.deps.Changed()
		})
	})
}

// ---- results, certificates and completion ----

type resultsPane struct {
	grid                *markGrid
	form                *kit.Form
	lsp                 *widgets.Entry
	assessedOn          *datefield.Entry
	trainee             *kit.Choice
	certNo              *kit.Entry
	certDate, completed *datefield.Entry
	noUnits             *widget.Label
	unitInfo            *widget.Label // the full title of the unit last pointed at
}

// showUnitTitle puts the code and full title of the results grid's column
// col over the grid.
func (s *Screen) showUnitTitle(col int) {
	if col < 1 || col > len(s.res.grid.cols) {
		return
	}
	code := s.res.grid.cols[col-1]
	for _, u := range s.data.units {
		if u.UnitCode == code {
			s.res.unitInfo.SetText(code + " — " + u.Title)
			return
		}
	}
}

func (s *Screen) buildResultsTab() fyne.CanvasObject {
	p := &s.res
	p.grid = newMarkGrid([]string{"", domain.Competent, domain.NotCompetent}, 140, func(m string) widget.Importance {
		switch m {
		case domain.Competent:
			return widget.SuccessImportance
		case domain.NotCompetent:
			return widget.DangerImportance
		}
		return widget.MediumImportance
	}, s.showUnitTitle)
	p.unitInfo = kit.Label(&widget.Label{Text: i18n.T("res.legend"), Wrapping: fyne.TextWrapWord})
	p.grid.set = s.setResult
	p.lsp = widgets.NewEntry()
	p.lsp.PlaceHolder = "LSP …"
	p.assessedOn = datefield.New(s.deps.Now)
	p.noUnits = kit.Label(&widget.Label{Text: i18n.T("res.no_units"), Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord})
	p.noUnits.Hide()
	testRow := container.NewBorder(nil, nil, nil, nil, container.NewGridWithColumns(4,
		widget.NewLabel(i18n.T("res.lsp")), p.lsp, widget.NewLabel(i18n.T("res.assessed_on")), p.assessedOn))

	p.form = kit.New()
	p.form.Compact = true
	p.trainee = kit.NewChoiceOf(nil, nil)
	p.trainee.Select.OnChanged = func(string) { s.fillCertificate() }
	p.form.Add("enrollment_id", i18n.T("res.trainee"), p.trainee.Select)
	p.certNo = p.form.Entry("certificate_no", i18n.T("res.cert_no"), "")
	p.certDate = p.form.Date("certificate_date", i18n.T("res.cert_date"), s.deps.Now)
	p.completed = p.form.Date("completed_on", i18n.T("res.completed_on"), s.deps.Now)
	saveCert := widget.NewButtonWithIcon(i18n.T("res.save_cert"), theme.DocumentSaveIcon(), func() { s.saveCertificate(false) })
	complete := kit.Button(&widget.Button{Text: i18n.T("res.complete"), Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: func() { s.saveCertificate(true) }})

	lsp := widget.NewButtonWithIcon(i18n.T("res.export_lsp"), theme.DownloadIcon(), s.exportLSP)
	// the export beside the legend (which gives way to the full title of
	// the unit pointed at): in the button row below it made the tab wider
	// than a 1024×768 window leaves it
	top := container.NewVBox(container.NewBorder(nil, nil, nil, lsp, p.unitInfo), testRow, p.noUnits)
	grid := container.NewBorder(top, nil, nil, nil, p.grid.table)
	cert := container.NewBorder(nil, container.NewHBox(saveCert, complete), nil, nil, p.form.Scroll())
	// the grid above, the certificate of one trainee below; the operator
	// can move the divider
	split := container.NewVSplit(grid, cert)
	split.Offset = 0.62
	return split
}

func (s *Screen) setResult(r store.RosterEntry, unit, result string, done func(bool)) {
	a := &domain.Assessment{}
	for _, x := range s.data.results {
		if x.EnrollmentID == r.Enrollment.ID && x.UnitCode == unit {
			*a = *x // keep the BNSP certificate fields already recorded
		}
	}
	a.EnrollmentID, a.UnitCode, a.Result = r.Enrollment.ID, unit, result
	if t := s.res.lsp.Text; t != "" {
		a.LSP = t
	}
	if t := s.res.assessedOn.ISO(); t != "" || a.AssessedOn == "" {
		a.AssessedOn = t
	}
	if result != "" {
		if ps := domain.Validate(a, s.st.Rules()); ps.Invalid() {
			s.say(widget.DangerImportance, ps.Text(i18n.Lang()))
			done(false)
			return
		}
	}
	s.deps.Go(func() {
		var err error
		if result == "" {
			a.ID = domain.NaturalID("assessment", a.EnrollmentID, a.UnitCode)
			err = s.st.Delete(context.Background(), a)
		} else {
			_, err = s.st.Save(context.Background(), a)
		}
		s.deps.Do(func() {
			if err != nil {
				s.fail(err)
				done(false)
				return
			}
			s.upsertResult(a)
			done(true)
			s.deps.Changed()
		})
	})
}

func (s *Screen) upsertResult(a *domain.Assessment) {
	for i, x := range s.data.results {
		if x.EnrollmentID == a.EnrollmentID && x.UnitCode == a.UnitCode {
			s.data.results[i] = a
			return
		}
	}
	s.data.results = append(s.data.results, a)
}

// refreshCohortDetail repaints the roster, both grids and the certificate form.
func (s *Screen) refreshCohortDetail() {
	s.enrol.roster.Refresh()
	k := s.currentCohort()
	att := map[string]map[string]string{}
	var recorded []string
	for _, a := range s.data.marks {
		if att[a.EnrollmentID] == nil {
			att[a.EnrollmentID] = map[string]string{}
		}
		att[a.EnrollmentID][a.Date] = a.Mark
		recorded = append(recorded, a.Date)
	}
	var days, dayHeads []string
	if k != nil {
		days = SessionDays(k.StartDate, k.EndDate, recorded)
		for _, d := range days {
			t, _ := domain.ParseDate(d)
			dayHeads = append(dayHeads, t.Format("02/01"))
		}
	}
	s.att.setData(s.data.roster, days, dayHeads, nil, att)
	prev := s.attDay.Selected
	_, labels := markableDays(days, domain.Today(s.data.today))
	s.attDay.SetOptions(labels)
	switch {
	case len(labels) == 0:
		s.attDay.ClearSelected()
	case prev != "" && slices.Contains(labels, prev):
		s.attDay.SetSelected(prev)
	default:
		s.attDay.SetSelectedIndex(0)
	}

	res := map[string]map[string]string{}
	for _, a := range s.data.results {
		if res[a.EnrollmentID] == nil {
			res[a.EnrollmentID] = map[string]string{}
		}
		res[a.EnrollmentID][a.UnitCode] = a.Result
	}
	var units, titles []string
	if k != nil {
		for _, u := range s.data.units {
			units = append(units, u.UnitCode)
			titles = append(titles, u.Title)
		}
	}
	s.res.grid.setData(s.data.roster, units, units, titles, res)
	s.res.unitInfo.SetText(i18n.T("res.legend"))
	if k != nil && len(units) == 0 {
		s.res.noUnits.Show()
	} else {
		s.res.noUnits.Hide()
	}
	if s.res.assessedOn.Text == "" && k != nil {
		s.res.assessedOn.SetISO(s.data.today.Format(domain.DateLayout))
	}

	var ids, names []string
	for _, r := range s.data.roster {
		ids = append(ids, r.Enrollment.ID)
		names = append(names, r.Name)
	}
	s.res.trainee.SetOptions(ids, names)
	s.fillCertificate()
}

func (s *Screen) rosterEntry(enrollmentID string) (store.RosterEntry, bool) {
	for _, r := range s.data.roster {
		if r.Enrollment.ID == enrollmentID {
			return r, true
		}
	}
	return store.RosterEntry{}, false
}

func (s *Screen) fillCertificate() {
	p := &s.res
	r, ok := s.rosterEntry(p.trainee.Value())
	if !ok {
		p.certNo.SetText("")
		p.certDate.SetText("")
		p.completed.SetText("")
		p.form.Show(nil)
		return
	}
	p.certNo.SetText(r.Enrollment.CertificateNo)
	p.certDate.SetISO(r.Enrollment.CertificateDate)
	done := r.Enrollment.CompletedOn
	if done == "" {
		done = s.defaultCompletion()
	}
	p.completed.SetISO(done)
	p.form.Show(nil)
}

// defaultCompletion is the cohort's end date once it has passed, else today.
func (s *Screen) defaultCompletion() string {
	today := s.data.today.Format(domain.DateLayout)
	if k := s.currentCohort(); k != nil && k.EndDate != "" && k.EndDate < today {
		return k.EndDate
	}
	return today
}

// saveCertificate writes the training certificate of the chosen trainee and,
// with complete, marks the enrollment completed on the completion date.
func (s *Screen) saveCertificate(complete bool) {
	p := &s.res
	r, ok := s.rosterEntry(p.trainee.Value())
	if !ok {
		s.say(widget.WarningImportance, i18n.T("enrol.pick"))
		return
	}
	en := *r.Enrollment
	en.CertificateNo, en.CertificateDate = p.certNo.Text, p.certDate.ISO()
	if complete {
		en.Status, en.CompletedOn = domain.EnrollmentCompleted, p.completed.ISO()
	}
	ps := domain.Validate(&en, s.st.Rules())
	if k := s.currentCohort(); k != nil {
		ps = append(ps, domain.CheckGraduationDate(&en, k.StartDate)...)
	}
	if ps.Invalid() {
		p.form.ShowAndScroll(ps)
		s.say(widget.DangerImportance, i18n.T("prog.fix"))
		return
	}
	if complete && r.Enrollment.Status != domain.EnrollmentCompleted {
		if reasons := s.graduationReasons(en.ID); len(reasons) > 0 {
			s.confirmGraduation(r.Name, reasons, func() { s.writeCertificate(en, r.Name, complete) })
			return
		}
	}
	s.writeCertificate(en, r.Name, complete)
}

// graduationReasons are why graduating this enrollment needs confirmation:
// its Belum Kompeten units and an attendance below the centre's minimum.
func (s *Screen) graduationReasons(enrollmentID string) domain.Problems {
	var bk []string
	for _, a := range s.data.results {
		if a.EnrollmentID == enrollmentID && a.Result == domain.NotCompetent && !a.Deleted {
			bk = append(bk, a.UnitCode)
		}
	}
	sort.Strings(bk)
	present, marked := 0, 0
	for _, m := range s.data.marks {
		if m.EnrollmentID == enrollmentID && m.Mark != "" {
			marked++
			if m.Mark == domain.AttendancePresent {
				present++
			}
		}
	}
	return domain.GraduationReasons(bk, present, marked, s.data.minAttendance)
}

// confirmGraduation names the reasons and graduates only on the operator's
// say; cancelling changes nothing.
func (s *Screen) confirmGraduation(name string, reasons domain.Problems, yes func()) {
	lang := i18n.Lang()
	lines := []string{i18n.T("grad.confirm.intro", name)}
	for _, p := range reasons {
		lines = append(lines, "• "+p.Message(lang))
	}
	lines = append(lines, i18n.T("grad.confirm.ask"))
	text := &widget.Label{Text: strings.Join(lines, "\n"), Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustomConfirm(i18n.T("grad.confirm.title"), i18n.T("grad.confirm.yes"), i18n.T("common.cancel"), text, func(ok bool) {
		if ok {
			yes()
		}
	}, s.deps.Window)
	d.Resize(fyne.NewSize(min(520, s.deps.Window.Canvas().Size().Width-40), 0))
	d.Show()
}

// writeCertificate saves the enrollment and says what happened.
func (s *Screen) writeCertificate(en domain.Enrollment, name string, complete bool) {
	p := &s.res
	s.save(&en, p.form, func(domain.Problems) {
		if complete {
			s.say(widget.SuccessImportance, i18n.T("res.completed", name))
		} else {
			s.say(widget.SuccessImportance, i18n.T("res.cert_saved", en.CertificateNo))
		}
	})
}
