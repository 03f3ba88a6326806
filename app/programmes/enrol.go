package programmes

import (
	"context"
	"errors"

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
	"github.com/kemnaker/blk/store"
)

// enrolPane finds trainees and puts them in the chosen cohort.
type enrolPane struct {
	search    *widgets.Entry // lets Ctrl+N and Ctrl+F through to the window
	found     []*domain.Trainee
	foundList *widget.List
	roster    *widget.List
	picked    int // index into the roster, -1: none
}

func (s *Screen) buildEnrolTab() fyne.CanvasObject {
	e := &s.enrol
	e.picked = -1
	e.search = widgets.NewEntry()
	e.search.PlaceHolder = i18n.T("enrol.search")
	e.search.OnChanged = s.searchTrainees
	e.foundList = widget.NewList(
		func() int { return len(e.found) },
		func() fyne.CanvasObject {
			return kit.Label(&widget.Label{Truncation: fyne.TextTruncateEllipsis})
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(e.found) {
				t := e.found[id]
				o.(*widget.Label).SetText(t.Name + " · " + t.NIK)
			}
		})
	e.foundList.OnSelected = func(id widget.ListItemID) {
		e.foundList.UnselectAll()
		if id >= 0 && id < len(e.found) {
			s.enrolTrainee(e.found[id])
		}
	}
	e.roster = widget.NewList(
		func() int { return len(s.data.roster) },
		func() fyne.CanvasObject {
			return kit.Label(&widget.Label{Truncation: fyne.TextTruncateEllipsis})
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(s.data.roster) {
				return
			}
			r := s.data.roster[id]
			l := o.(*widget.Label)
			text := r.Name + " · " + r.NIK
			l.Importance = widget.MediumImportance
			switch r.Enrollment.Status {
			case domain.EnrollmentDropped:
				text += " · " + i18n.T("status.dropped")
				l.Importance = widget.LowImportance
			case domain.EnrollmentCompleted:
				text += " · " + i18n.T("status.completed")
				l.Importance = widget.SuccessImportance
			}
			l.SetText(text)
		})
	e.roster.OnSelected = func(id widget.ListItemID) { e.picked = id }
	e.roster.OnUnselected = func(widget.ListItemID) { e.picked = -1 }
	drop := widget.NewButtonWithIcon(i18n.T("enrol.drop"), theme.ContentRemoveIcon(), s.dropPicked)
	remove := widget.NewButtonWithIcon(i18n.T("enrol.remove"), theme.DeleteIcon(), s.confirmRemovePicked)

	hint := &widget.Label{Text: i18n.T("enrol.add_hint"), Wrapping: fyne.TextWrapWord}
	search := container.NewBorder(container.NewVBox(e.search, hint), nil, nil, nil, e.foundList)
	// the buttons one above the other: side by side they made the tab
	// wider than a 1024×768 window
	roster := container.NewBorder(widget.NewLabelWithStyle(i18n.T("enrol.roster"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewVBox(drop, remove), nil, nil, e.roster)
	return container.NewHSplit(search, roster)
}

func (s *Screen) activeCount() int {
	n := 0
	for _, r := range s.data.roster {
		if r.Enrollment.Status != domain.EnrollmentDropped {
			n++
		}
	}
	return n
}

// searchTrainees looks up text off the UI goroutine; a slower answer to an
// older keystroke is dropped so the list always matches the entry.
func (s *Screen) searchTrainees(text string) {
	s.deps.Go(func() {
		found, err := s.st.SearchTrainees(context.Background(), store.TraineeQuery{Text: text, Limit: 50})
		s.deps.Do(func() {
			if s.enrol.search.Text != text {
				return
			}
			if err != nil {
				s.fail(err)
				return
			}
			s.enrol.found = found
			s.enrol.foundList.Refresh()
		})
	})
}

// enrolTrainee puts t in the chosen cohort; the store refuses a full cohort
// and a trainee already in another cohort at the same time.
func (s *Screen) enrolTrainee(t *domain.Trainee) {
	if s.cohortID == "" {
		s.say(widget.WarningImportance, i18n.T("cohort.pick"))
		return
	}
	en := &domain.Enrollment{CohortID: s.cohortID, TraineeID: t.ID, Status: domain.EnrollmentActive,
		EnrolledOn: s.data.today.Format(domain.DateLayout)}
	s.deps.Go(func() {
		warnings, err := s.st.Save(context.Background(), en)
		s.deps.Do(func() {
			if ps := kit.ProblemsOf(err); ps != nil {
				msg := i18n.T("enrol.refused", t.Name, ps.Text(i18n.Lang()))
				s.say(widget.DangerImportance, msg)
				screen.ShowError(s.deps.Window, errors.New(msg))
				return
			}
			if err != nil {
				s.fail(err)
				return
			}
			if len(warnings) > 0 {
				s.say(widget.WarningImportance, i18n.T("enrol.added_warn", t.Name, warnings.Text(i18n.Lang())))
			} else {
				s.say(widget.SuccessImportance, i18n.T("enrol.added", t.Name))
			}
			s.deps.Changed()
			s.refresh(context.Background())
		})
	})
}

func (s *Screen) pickedEnrollment() (store.RosterEntry, bool) {
	i := s.enrol.picked
	if i < 0 || i >= len(s.data.roster) {
		s.say(widget.WarningImportance, i18n.T("enrol.pick"))
		return store.RosterEntry{}, false
	}
	return s.data.roster[i], true
}

func (s *Screen) dropPicked() {
	r, ok := s.pickedEnrollment()
	if !ok {
		return
	}
	en := *r.Enrollment
	en.Status = domain.EnrollmentDropped
	s.save(&en, nil, func(domain.Problems) {
		s.say(widget.MediumImportance, i18n.T("enrol.dropped", r.Name))
	})
}

func (s *Screen) confirmRemovePicked() {
	r, ok := s.pickedEnrollment()
	if !ok {
		return
	}
	dialog.ShowConfirm(i18n.T("enrol.remove"), i18n.T("enrol.confirm_remove", r.Name), func(yes bool) {
		if yes {
			s.removeEnrollment(r)
		}
	}, s.deps.Window)
}

func (s *Screen) removeEnrollment(r store.RosterEntry) {
	s.remove(r.Enrollment, func() {
		s.enrol.picked = -1
		s.enrol.roster.UnselectAll()
		s.say(widget.MediumImportance, i18n.T("enrol.removed", r.Name))
	})
}
