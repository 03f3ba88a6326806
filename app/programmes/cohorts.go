package programmes

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/domain"
)

// cohortPane is the cohort list and form of the chosen programme.
type cohortPane struct {
	list                            *widget.List
	form                            *kit.Form
	year, number, start, end, quota *kit.Entry
	fund                            *widget.SelectEntry // typed, or one of the sources already known
	state                           *kit.Choice
	instructors                     *widget.CheckGroup
	instrHint                       *widget.Label
	instrIDs                        map[string]string // check label → instructor id
	del                             *widget.Button
}

func (s *Screen) buildCohortTab() fyne.CanvasObject {
	c := &s.cohort
	c.list = widget.NewList(
		func() int { return len(s.data.cohorts) },
		func() fyne.CanvasObject {
			return kit.Label(&widget.Label{Truncation: fyne.TextTruncateEllipsis})
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(s.data.cohorts) {
				return
			}
			k := s.data.cohorts[id]
			o.(*widget.Label).SetText(i18n.T("cohort.row", k.Year, k.Number, k.StartDate, k.EndDate,
				domain.ChoiceLabel("cohorts.status", k.Status, i18n.Lang())))
		})
	c.list.OnSelected = func(id widget.ListItemID) {
		if id >= 0 && id < len(s.data.cohorts) {
			s.chooseCohort(s.data.cohorts[id])
		}
	}
	c.form = kit.New()
	c.year = c.form.Entry("year", i18n.T("cohort.year"), "")
	c.number = c.form.Entry("number", i18n.T("cohort.number"), "")
	c.start = c.form.Entry("start_date", i18n.T("cohort.start"), "TTTT-BB-HH")
	c.end = c.form.Entry("end_date", i18n.T("cohort.end"), "TTTT-BB-HH")
	c.quota = c.form.Entry("quota", i18n.T("cohort.quota"), "16")
	c.instructors = widget.NewCheckGroup(nil, nil)
	c.instructors.Horizontal = true
	c.instrHint = kit.Label(&widget.Label{Text: i18n.T("cohort.no_instructors"), Importance: widget.LowImportance})
	c.form.Add("instructor_ids", i18n.T("cohort.instructors"), container.NewVBox(c.instructors, c.instrHint))
	c.fund = widget.NewSelectEntry(nil)
	c.fund.OnSubmitted = func(string) { s.saveCohort() }
	c.form.Add("funding_source", i18n.T("cohort.funding"), c.fund)
	c.state = c.form.Select("status", i18n.T("cohort.status"), "cohorts.status")
	c.form.Check = func() domain.Problems {
		k, ps := s.cohortRecord()
		domain.Normalize(k)
		return append(ps, domain.Validate(k, s.deps.Store.Rules())...)
	}
	c.form.Submit = s.saveCohort
	save := kit.Button(&widget.Button{Text: i18n.T("common.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.saveCohort})
	c.del = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), s.confirmDeleteCohort)
	newCohort := widget.NewButtonWithIcon(i18n.T("cohort.new"), theme.ContentAddIcon(), func() { s.chooseCohort(nil) })
	form := container.NewVScroll(container.NewVBox(c.form.Content(), container.NewHBox(save, c.del)))
	split := container.NewVSplit(container.NewBorder(newCohort, nil, nil, nil, c.list), form)
	split.Offset = 0.3
	return split
}

func (s *Screen) currentCohort() *domain.Cohort {
	for _, k := range s.data.cohorts {
		if k.ID == s.cohortID {
			return k
		}
	}
	return nil
}

// chooseCohort shows k in the form (nil: a new cohort with sensible defaults).
func (s *Screen) chooseCohort(k *domain.Cohort) {
	c := &s.cohort
	if k == nil {
		s.cohortID = ""
		c.list.UnselectAll()
		next := int64(1)
		year := int64(s.data.today.Year())
		for _, x := range s.data.cohorts {
			if x.Year == year && x.Number >= next {
				next = x.Number + 1
			}
		}
		s.fillCohort(&domain.Cohort{Year: year, Number: next, Quota: domain.DefaultQuota, Status: domain.CohortPlanned})
		c.del.Disable()
		s.data.roster, s.data.marks, s.data.results = nil, nil, nil
		s.refreshCohortDetail()
		s.showHeading()
		return
	}
	s.cohortID = k.ID
	s.fillCohort(k)
	c.del.Enable()
	s.Update(context.Background())
}

func (s *Screen) fillCohort(k *domain.Cohort) {
	c := &s.cohort
	check := c.form.Check
	c.form.Check = nil
	c.year.SetText(strconv.FormatInt(k.Year, 10))
	c.number.SetText(strconv.FormatInt(k.Number, 10))
	c.start.SetText(k.StartDate)
	c.end.SetText(k.EndDate)
	c.quota.SetText(strconv.FormatInt(k.Quota, 10))
	c.fund.SetText(k.FundingSource)
	c.state.SetValue(k.Status)
	var checked []string
	for _, id := range strings.Split(k.InstructorIDs, ",") {
		for label, iid := range c.instrIDs {
			if iid == id && id != "" {
				checked = append(checked, label)
			}
		}
	}
	c.instructors.SetSelected(checked)
	c.form.Check = check
	c.form.Show(nil)
	if k.ID != "" {
		c.form.Revalidate() // a saved cohort keeps its warnings in view
	}
}

func (s *Screen) setInstructorOptions() {
	c := &s.cohort
	c.instrIDs = map[string]string{}
	var labels []string
	for _, in := range s.data.instructors {
		label := in.Name
		if _, dup := c.instrIDs[label]; dup {
			label += " (" + in.ID[len(in.ID)-4:] + ")"
		}
		c.instrIDs[label] = in.ID
		labels = append(labels, label)
	}
	c.instructors.Options = labels
	c.instructors.Refresh()
	if len(labels) == 0 {
		c.instrHint.Show()
	} else {
		c.instrHint.Hide()
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
	k.StartDate, k.EndDate, k.FundingSource, k.Status = c.start.Text, c.end.Text, c.fund.Text, c.state.Value()
	var ids []string
	for _, label := range c.instructors.Selected {
		if id := c.instrIDs[label]; id != "" {
			ids = append(ids, id)
		}
	}
	k.InstructorIDs = strings.Join(ids, ",")
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
