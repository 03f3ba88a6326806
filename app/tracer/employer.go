package tracer

import (
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/datefield"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// employerForm is the optional employer-satisfaction form: shown under the
// outcome form when the picked graduate's latest answer names an employer
// they work for, it records how that employer rates them (domain.EmployerRating).
type employerForm struct {
	block   *fyne.Container
	title   *widget.Label
	last    *widget.Label
	form    *kit.Form
	ratings []*kit.Choice // in domain.EmployerRatingFields order
	rater   *kit.Entry
	comment *kit.Entry
	date    *datefield.Entry
	save    *widget.Button
	status  *widget.Label
	outcome *domain.Outcome // the answer being rated; nil: the block is hidden
	gen     int             // newest load; older ones are dropped
}

// ratingChoice is a 1–5 select with the words people rate with.
func ratingChoice() *kit.Choice {
	values := []string{"1", "2", "3", "4", "5"}
	labels := make([]string, len(values))
	for i, v := range values {
		labels[i] = v + " – " + i18n.T("employer.scale."+v)
	}
	return kit.NewChoiceOf(values, labels)
}

func (s *Screen) newEmployerForm() *employerForm {
	e := &employerForm{form: kit.New()}
	lang := i18n.Lang()
	e.title = kit.Label(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord})
	e.last = kit.Label(&widget.Label{Wrapping: fyne.TextWrapWord})
	for _, f := range domain.EmployerRatingFields {
		c := ratingChoice()
		c.Select.OnChanged = func(string) { e.form.Revalidate() }
		e.form.Add(f, domain.FieldLabel(f, lang), c.Select)
		e.ratings = append(e.ratings, c)
	}
	e.rater = e.form.Entry("rater", domain.FieldLabel("rater", lang), i18n.T("employer.rater.hint"))
	e.comment = e.form.Entry("comment", domain.FieldLabel("comment", lang), "")
	e.date = datefield.New(s.deps.Store.Now)
	e.date.OnChanged = func(string) { e.form.Revalidate() }
	e.form.Add("rated_on", domain.FieldLabel("rated_on", lang), e.date)
	e.form.Check = func() domain.Problems {
		r := e.record()
		domain.Normalize(r)
		ps := domain.Validate(r, s.deps.Store.Rules())
		if e.date.Text != "" && e.date.ISO() == "" {
			ps = append(ps, domain.Problem{Field: "rated_on", Level: domain.Invalid, Code: "problem.date.invalid"})
		}
		return ps
	}
	e.form.Submit = s.saveRating
	e.save = kit.Button(&widget.Button{Text: i18n.T("employer.save"), Icon: theme.DocumentSaveIcon(), OnTapped: s.saveRating})
	e.status = kit.Label(&widget.Label{Wrapping: fyne.TextWrapWord})
	e.block = container.NewVBox(widget.NewSeparator(), e.title, e.last, e.form.Content(), e.save, e.status)
	e.block.Hide()
	return e
}

// record is the rating as the form holds it.
func (e *employerForm) record() *domain.EmployerRating {
	r := &domain.EmployerRating{Rater: e.rater.Text, Comment: e.comment.Text, RatedOn: e.date.ISO()}
	vals := make([]int64, len(e.ratings))
	for i, c := range e.ratings {
		vals[i], _ = strconv.ParseInt(c.Value(), 10, 64)
	}
	r.Competence, r.Discipline, r.Teamwork = vals[0], vals[1], vals[2]
	if e.outcome != nil {
		r.OutcomeID = e.outcome.ID
	}
	return r
}

// loadEmployer finds, off the UI goroutine, the answer of f that names an
// employer and shows the form for it; nil hides it.
func (s *Screen) loadEmployer(f *store.FollowUp) {
	e := s.rating
	e.gen++
	gen := e.gen
	e.outcome = nil
	e.block.Hide()
	if f == nil {
		return
	}
	id := f.TraineeID
	s.deps.Go(func() {
		eo, err := s.deps.Store.LatestEmployerOutcome(context.Background(), id)
		s.deps.Do(func() {
			if gen != e.gen {
				return
			}
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.showEmployer(eo)
		})
	})
}

func (s *Screen) showEmployer(eo *store.EmployerOutcome) {
	e := s.rating
	if eo == nil {
		e.outcome = nil
		e.block.Hide()
		return
	}
	e.outcome = eo.Outcome
	e.title.SetText(i18n.T("employer.title", eo.Outcome.Employer, domain.ShowDate(eo.Outcome.SurveyedOn)))
	if len(eo.Ratings) == 0 {
		e.last.SetText(i18n.T("employer.none"))
	} else {
		r := eo.Ratings[0]
		e.last.SetText(i18n.Count("employer.count", len(eo.Ratings), domain.ShowDate(r.RatedOn), r.Competence, r.Discipline, r.Teamwork))
	}
	check := e.form.Check
	e.form.Check = nil
	for _, c := range e.ratings {
		c.SetValue("")
	}
	e.rater.SetText("")
	e.comment.SetText("")
	e.date.SetISO(s.deps.Store.Now().Format(domain.DateLayout)) // the PC's own day, as the outcome form
	e.form.Check = check
	e.form.Show(nil)
	e.status.SetText("")
	e.block.Show()
}

// saveRating validates and saves the rating off the UI goroutine.
func (s *Screen) saveRating() {
	e := s.rating
	if e.outcome == nil {
		return
	}
	if ps := e.form.Check(); ps.Invalid() {
		e.form.Show(ps)
		e.status.Importance = widget.DangerImportance
		e.status.SetText(i18n.T("tracer.fix"))
		return
	}
	r := e.record()
	traineeID := e.outcome.TraineeID
	e.save.Disable()
	s.deps.Go(func() {
		_, err := s.deps.Store.Save(context.Background(), r)
		eo, lerr := s.deps.Store.LatestEmployerOutcome(context.Background(), traineeID)
		s.deps.Do(func() {
			e.save.Enable()
			if ps := kit.ProblemsOf(err); ps != nil {
				e.form.Show(ps)
				e.status.Importance = widget.DangerImportance
				e.status.SetText(i18n.T("tracer.fix"))
				return
			}
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			if lerr == nil {
				s.showEmployer(eo)
			}
			e.status.Importance = widget.SuccessImportance
			e.status.SetText(i18n.T("employer.saved"))
			s.deps.Changed()
		})
	})
}
