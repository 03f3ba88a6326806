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
	deps    screen.Deps
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
	loads   kit.Loader      // a load overtaken by a newer pick is dropped
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

func (s *Screen) newEmployerForm(deps screen.Deps) *employerForm {
	e := &employerForm{deps: deps, form: kit.New()}
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
	e.date = e.form.Date("rated_on", domain.FieldLabel("rated_on", lang), s.now)
	e.form.Check = func() domain.Problems {
		r := e.record()
		domain.Normalize(r)
		return append(domain.Validate(r, s.st.Rules()), badDate("rated_on", e.date)...)
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

// loadEmployer finds, off the UI goroutine, the answer of g that names an
// employer and shows the form for it; one with no trainee hides it.
func (s *Screen) loadEmployer(g *graduate) {
	e := s.rating
	e.outcome = nil
	e.block.Hide()
	id := g.TraineeID
	kit.Load(&e.loads, e.deps, context.Background(), func(ctx context.Context) (*store.EmployerOutcome, error) {
		if id == "" {
			return nil, nil
		}
		return s.st.LatestEmployerOutcome(ctx, id)
	}, s.showEmployer)
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
	e.date.SetISO(s.now().Format(domain.DateLayout)) // the PC's own day, as the outcome form
	e.form.Check = check
	e.form.Show(nil)
	e.status.SetText("")
	e.block.Show()
}

// saveRating validates the rating and saves it off the UI goroutine (kit.Save),
// then shows the employer's ratings again.
func (s *Screen) saveRating() {
	e := s.rating
	if e.outcome == nil {
		return
	}
	if ps := e.form.Check(); ps.Invalid() {
		e.form.ShowAndScroll(ps)
		s.ratingStatus(widget.DangerImportance, i18n.T("tracer.fix"))
		return
	}
	traineeID := e.outcome.TraineeID
	kit.Save(e.deps, s.st, e.record(), func(_, refused domain.Problems) {
		if refused != nil {
			e.form.ShowAndScroll(refused)
			s.ratingStatus(widget.DangerImportance, i18n.T("tracer.fix"))
			return
		}
		kit.Load(&e.loads, e.deps, context.Background(), func(ctx context.Context) (*store.EmployerOutcome, error) {
			return s.st.LatestEmployerOutcome(ctx, traineeID)
		}, func(eo *store.EmployerOutcome) {
			s.showEmployer(eo)
			s.ratingStatus(widget.SuccessImportance, i18n.T("employer.saved"))
		})
	})
}

func (s *Screen) ratingStatus(importance widget.Importance, text string) {
	s.rating.status.Importance = importance
	s.rating.status.SetText(text)
}
