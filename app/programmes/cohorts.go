package programmes

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

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
)

// cohortPane is the cohort master list of the chosen programme (newest
// first, filtered by status and a search) and the cohort form.
type cohortPane struct {
	list       *widgets.Table[*domain.Cohort]
	count      *widget.Label
	statusPick *widget.Select // "" : every status
	search     *widgets.Entry // lets Ctrl+N and Ctrl+F through to the window
	newBtn     *widget.Button
	// jump picks any cohort of any programme by typing (a big centre has
	// over a thousand).
	jump *widgets.SearchSelect

	form                *kit.Form
	year, number, quota *kit.Entry
	start, end          *datefield.Entry
	fund                *widgets.SelectEntry // typed, or one of the sources already known
	state               *kit.Choice
	instructors         *instructorPicker
	del                 *widget.Button
}

// cohortStatuses are the status codes, in the domain's order.
func cohortStatuses() []string {
	var out []string
	for _, c := range domain.Choices["cohorts.status"] {
		out = append(out, c.Value)
	}
	return out
}

func statusLabel(code string) string {
	return domain.ChoiceLabel("cohorts.status", code, i18n.Lang())
}

// cohortName is "2026/3", how centres name a cohort.
func cohortName(k *domain.Cohort) string { return fmt.Sprintf("%d/%d", k.Year, k.Number) }

// newestFirst orders cohorts by start date, then year and number, newest first.
func newestFirst(cs []*domain.Cohort) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.StartDate != b.StartDate {
			return a.StartDate > b.StartDate
		}
		if a.Year != b.Year {
			return a.Year > b.Year
		}
		return a.Number > b.Number
	})
}

// buildCohortList is the left pane's lower half: the chosen programme's cohorts.
func (s *Screen) buildCohortList() fyne.CanvasObject {
	c := &s.cohort
	c.list = widgets.NewTable([]widgets.Column[*domain.Cohort]{
		{Title: i18n.T("cohort.col.name"), Width: 86, Text: func(k *domain.Cohort) string {
			if k.ID == s.cohortID {
				return "▶ " + cohortName(k)
			}
			return cohortName(k)
		}},
		{Title: i18n.T("cohort.col.start"), Width: 90, Text: func(k *domain.Cohort) string { return domain.ShowDate(k.StartDate) }},
		{Title: i18n.T("cohort.status"), Width: 90, Text: func(k *domain.Cohort) string { return statusLabel(k.Status) }},
	})
	c.list.OnSelected = func(k *domain.Cohort) { s.chooseCohort(k) }
	c.count = widget.NewLabel("")
	labels := []string{i18n.T("cohort.status.all")}
	for _, code := range cohortStatuses() {
		labels = append(labels, statusLabel(code))
	}
	c.statusPick = widget.NewSelect(labels, nil)
	c.statusPick.SetSelectedIndex(0)
	c.statusPick.OnChanged = func(string) { s.showCohorts() }
	c.search = widgets.NewEntry()
	c.search.PlaceHolder = i18n.T("cohort.search")
	c.search.OnChanged = func(string) { s.showCohorts() }
	c.newBtn = widget.NewButtonWithIcon(i18n.T("cohort.new"), theme.ContentAddIcon(), s.newCohort)
	head := container.NewVBox(container.NewBorder(nil, nil, c.newBtn, c.count), c.statusPick, c.search)
	return container.NewBorder(head, nil, nil, nil, c.list)
}

// filteredCohorts are the chosen programme's cohorts the status filter and
// the search let through, newest first.
func (s *Screen) filteredCohorts() []*domain.Cohort {
	c := &s.cohort
	status := ""
	if i := c.statusPick.SelectedIndex(); i > 0 {
		status = cohortStatuses()[i-1]
	}
	q := strings.ToLower(strings.TrimSpace(c.search.Text))
	var out []*domain.Cohort
	for _, k := range s.data.cohorts {
		if status != "" && k.Status != status {
			continue
		}
		if q != "" && !strings.Contains(cohortHaystack(k), q) {
			continue
		}
		out = append(out, k)
	}
	newestFirst(out)
	return out
}

// cohortHaystack is what a cohort search matches: its name, dates as
// stored and as shown, status and funding source.
func cohortHaystack(k *domain.Cohort) string {
	return strings.ToLower(strings.Join([]string{cohortName(k), k.StartDate, k.EndDate,
		domain.ShowDate(k.StartDate), domain.ShowDate(k.EndDate), statusLabel(k.Status), k.FundingSource}, " "))
}

// showCohorts repaints the cohort list.
func (s *Screen) showCohorts() {
	c := &s.cohort
	rows := s.filteredCohorts()
	c.list.SetRows(rows)
	if len(rows) == len(s.data.cohorts) {
		c.count.SetText(i18n.Count("cohort.count", len(rows)))
	} else {
		c.count.SetText(i18n.T("cohort.count_of", len(rows), len(s.data.cohorts)))
	}
	if s.progID == "" {
		c.newBtn.Disable()
	} else {
		c.newBtn.Enable()
	}
}

// jumpChoices are the cohorts of every programme matching query, newest first.
func (s *Screen) jumpChoices(query string) []widgets.Choice {
	q := strings.ToLower(strings.TrimSpace(query))
	names := map[string]string{}
	for _, p := range s.data.programmes {
		names[p.ID] = p.Name
	}
	var out []widgets.Choice
	for _, k := range s.data.allCohorts {
		label := names[k.ProgrammeID] + " · " + cohortName(k) + " · " + domain.ShowDate(k.StartDate) + " · " + statusLabel(k.Status)
		if q == "" || strings.Contains(strings.ToLower(label), q) || strings.Contains(cohortHaystack(k), q) {
			out = append(out, widgets.Choice{Label: label, Code: k.ID})
		}
		if len(out) == 200 {
			break
		}
	}
	return out
}

// jumpTo chooses the cohort with id, and its programme.
func (s *Screen) jumpTo(id string) {
	for _, k := range s.data.allCohorts {
		if k.ID == id {
			s.ShowCohort(k)
			return
		}
	}
}

// ShowCohort chooses k's programme and k (the cohort picker, and the
// layout test).
func (s *Screen) ShowCohort(k *domain.Cohort) {
	s.progID = k.ProgrammeID
	s.cohortID = k.ID
	s.selectedUnit = nil
	if p := s.programme(); p != nil {
		s.fillProgramme(p)
		s.progDel.Enable()
	}
	s.cohort.jump.SetSelected(widgets.Choice{})
	s.cohort.del.Enable()
	s.refresh(context.Background())
}

func (s *Screen) buildCohortTab() fyne.CanvasObject {
	c := &s.cohort
	c.form = kit.New()
	c.year = c.form.Entry("year", i18n.T("cohort.year"), "")
	c.number = c.form.Entry("number", i18n.T("cohort.number"), "")
	c.start = c.form.Date("start_date", i18n.T("cohort.start"), s.deps.Now)
	c.end = c.form.Date("end_date", i18n.T("cohort.end"), s.deps.Now)
	c.quota = c.form.Entry("quota", i18n.T("cohort.quota"), "16")
	c.instructors = newInstructorPicker(func() { c.form.Revalidate() })
	c.form.Add("instructor_ids", i18n.T("cohort.instructors"), c.instructors.Content())
	c.fund = widgets.NewSelectEntry(nil)
	c.fund.OnSubmitted = func(string) { s.saveCohort() }
	c.form.Add("funding_source", i18n.T("cohort.funding"), c.fund)
	c.state = c.form.Select("status", i18n.T("cohort.status"), "cohorts.status")
	c.form.Check = func() domain.Problems {
		k, ps := s.cohortRecord()
		domain.Normalize(k)
		return append(ps, domain.Validate(k, s.st.Rules())...)
	}
	c.form.Submit = s.saveCohort
	save := kit.Button(&widget.Button{Text: i18n.T("common.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.saveCohort})
	c.del = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), s.confirmDeleteCohort)
	// The buttons stay in view under the scrolled form.
	return container.NewBorder(nil, container.NewHBox(save, c.del), nil, nil, c.form.Scroll())
}

func (s *Screen) currentCohort() *domain.Cohort {
	for _, k := range s.data.cohorts {
		if k.ID == s.cohortID {
			return k
		}
	}
	return nil
}

// newCohort starts a new cohort of the chosen programme on the cohort tab.
func (s *Screen) newCohort() {
	if s.progID == "" {
		s.say(widget.WarningImportance, i18n.T("prog.pick_programme"))
		return
	}
	s.chooseCohort(nil)
	s.tabs.SelectIndex(tabCohorts)
	s.deps.Window.Canvas().Focus(s.cohort.start)
}

// chooseCohort shows k in the form (nil: a new cohort with sensible defaults).
func (s *Screen) chooseCohort(k *domain.Cohort) {
	c := &s.cohort
	if k == nil {
		s.cohortID = ""
		s.defaultsFor = s.data.progID
		next := int64(1)
		year := int64(s.data.today.Year())
		for _, x := range s.data.cohorts {
			if x.Year == year && x.Number >= next {
				next = x.Number + 1
			}
		}
		s.fillCohort(&domain.Cohort{Year: year, Number: next, Quota: domain.DefaultQuota, Status: domain.CohortPlanned})
		c.del.Disable()
		c.list.Refresh()
		s.data.roster, s.data.marks, s.data.results = nil, nil, nil
		s.refreshCohortDetail()
		s.showHeading()
		return
	}
	s.cohortID = k.ID
	s.fillCohort(k)
	c.del.Enable()
	c.list.Refresh()
	s.refresh(context.Background())
}

func (s *Screen) fillCohort(k *domain.Cohort) {
	c := &s.cohort
	check := c.form.Check
	c.form.Check = nil
	c.year.SetText(strconv.FormatInt(k.Year, 10))
	c.number.SetText(strconv.FormatInt(k.Number, 10))
	c.start.SetISO(k.StartDate)
	c.end.SetISO(k.EndDate)
	c.quota.SetText(strconv.FormatInt(k.Quota, 10))
	c.fund.SetText(k.FundingSource)
	c.state.SetValue(k.Status)
	c.instructors.SetIDs(k.InstructorIDs)
	c.form.Check = check
	c.form.Show(nil)
	if k.ID != "" {
		c.form.Revalidate() // a saved cohort keeps its warnings in view
	}
}

// cohortRecord is the cohort as typed, with problems for unreadable numbers.
func (s *Screen) cohortRecord() (*domain.Cohort, domain.Problems) {
	c := &s.cohort
	k := &domain.Cohort{}
	if cur := s.currentCohort(); cur != nil {
		*k = *cur
	}
	k.ProgrammeID = s.progID
	var ps domain.Problems
	num := func(field, text string) int64 {
		n, ok := kit.Int(text)
		if !ok {
			ps = append(ps, kit.NotNumber(field))
		}
		return n
	}
	k.Year, k.Number, k.Quota = num("year", c.year.Text), num("number", c.number.Text), num("quota", c.quota.Text)
	k.StartDate, k.EndDate, k.FundingSource, k.Status = c.start.ISO(), c.end.ISO(), c.fund.Text, c.state.Value()
	k.InstructorIDs = c.instructors.IDs()
	return k, ps
}

func (s *Screen) saveCohort() {
	if s.progID == "" {
		s.say(widget.WarningImportance, i18n.T("prog.pick_programme"))
		return
	}
	k, _ := s.cohortRecord()
	if ps := s.cohort.form.Check(); ps.Invalid() {
		s.cohort.form.ShowAndScroll(ps)
		s.say(widget.DangerImportance, i18n.T("prog.fix"))
		return
	}
	s.save(k, s.cohort.form, func(domain.Problems) {
		s.cohortID = k.ID
		s.cohort.del.Enable()
		s.say(widget.SuccessImportance, i18n.T("cohort.saved", k.Year, k.Number))
	})
}

func (s *Screen) confirmDeleteCohort() {
	k := s.currentCohort()
	if k == nil {
		return
	}
	dialog.ShowConfirm(i18n.T("common.delete"), i18n.T("cohort.confirm_delete", k.Year, k.Number), func(ok bool) {
		if ok {
			s.remove(k, func() {
				s.chooseCohort(nil)
				s.say(widget.MediumImportance, i18n.T("cohort.deleted"))
			})
		}
	}, s.deps.Window)
}
