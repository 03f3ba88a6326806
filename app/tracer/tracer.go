// Package tracer is the "Penelusuran Alumni" screen: graduates whose 3- or
// 6-month follow-up is due, with their phone as people dial it (08…) and a
// WhatsApp link, and a quick form to record what they do now (a
// domain.Outcome). It reads the due list a page at a time through
// store.TracerDuePage (at 100k trainees some 90k are due, far too many to
// hold), writes only through store.Save, and never imports the Fyne app
// package.
package tracer

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

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

// PageSize is how many graduates one query fetches. The list starts with one
// page and fetches the next when a row near its end is drawn.
const PageSize = 200

// nearEndRows is how close to the last row drawing fetches the next page.
const nearEndRows = 30

// WhatsAppURL is the wa.me link of a stored +62… phone ("" when there is none).
func WhatsAppURL(e164 string) string {
	if !strings.HasPrefix(e164, "+62") {
		return ""
	}
	return "https://wa.me/" + strings.TrimPrefix(e164, "+")
}

// Screen is the tracer list and outcome form.
type Screen struct {
	deps  screen.Deps
	root  fyne.CanvasObject
	rows  []store.FollowUp // the pages fetched so far
	today time.Time
	list  *widget.List
	count *widget.Label
	// filter picks the list: the due list (the default, paged) or one of
	// store.TracerFilters; summary shows the waves' response rates.
	filter  *kit.Choice
	summary *widget.Label

	gen      atomic.Int64 // newest reload; pages of older ones are dropped
	more     bool         // the last page was full: there may be more rows
	fetching bool         // a next page is on its way

	picked    *store.FollowUp
	who       *widget.Label
	phone     *widget.Label
	wa        *widget.Hyperlink
	waButton  *widget.Button
	form      *kit.Form
	state     *kit.Choice
	employer  *kit.Entry
	sector    *kit.Entry
	kbli      *kit.Choice
	match     *kit.Choice
	months    *kit.Entry
	income    *kit.Choice
	source    *kit.Choice
	date      *datefield.Entry
	rating    *employerForm // the employer-satisfaction form under the outcome form
	saveBtn   *widget.Button
	status    *widget.Label
	formBlock *fyne.Container
}

// New builds the screen; call Update to load it.
func New(deps screen.Deps) *Screen {
	s := &Screen{deps: deps, today: deps.Store.Now()}
	s.count = widget.NewLabel("")
	s.summary = kit.Label(&widget.Label{Wrapping: fyne.TextWrapWord})
	values, labels := []string{""}, []string{i18n.T("tracer.filter.due")}
	for _, f := range store.TracerFilters {
		values, labels = append(values, f), append(labels, i18n.T("tracer.filter."+f))
	}
	s.filter = kit.NewChoiceOf(values, labels)
	s.filter.SetValue("")
	s.filter.Select.OnChanged = func(string) { s.Update(context.Background()) }
	s.list = widget.NewList(
		func() int { return len(s.rows) },
		kit.TwoLineItem,
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(s.rows) {
				return
			}
			f := s.rows[id]
			title, due := kit.TwoLines(o)
			title.SetText(i18n.T("tracer.row", f.Name, phoneText(f.Phone)))
			due.Importance = widget.WarningImportance
			if f.Months >= 6 {
				due.Importance = widget.DangerImportance
			}
			switch {
			case f.Months == 0:
				due.Importance = widget.MediumImportance
				due.SetText(i18n.T("tracer.graduated", f.CompletedOn) + " · " + f.Programme)
			case s.filter.Value() != "" && !f.Open:
				due.Importance = widget.SuccessImportance
				due.SetText(i18n.T("tracer.answered", f.Months, f.LastSurvey) + " · " + f.Programme)
			default:
				due.SetText(i18n.T("tracer.due", f.Months, f.DueOn) + " · " + f.Programme)
			}
			if id >= len(s.rows)-nearEndRows {
				s.LoadMore()
			}
		})
	s.list.OnSelected = func(id widget.ListItemID) {
		if id >= 0 && id < len(s.rows) {
			f := s.rows[id]
			s.pick(&f)
		}
	}

	s.who = kit.Label(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord})
	s.phone = widget.NewLabel("")
	s.wa = widget.NewHyperlink("", nil)
	s.waButton = widget.NewButtonWithIcon(i18n.T("tracer.whatsapp"), theme.MailComposeIcon(), s.openWhatsApp)
	s.form = kit.New()
	s.state = s.form.Select("status", i18n.T("tracer.status"), "outcomes.status")
	s.employer = s.form.Entry("employer", i18n.T("tracer.employer"), "")
	s.sector = s.form.Entry("sector", i18n.T("tracer.sector"), "")
	s.kbli = s.form.Select("kbli", i18n.T("tracer.kbli"), "outcomes.kbli")
	s.match = s.form.Select("job_match", i18n.T("tracer.match"), "outcomes.job_match")
	s.months = s.form.Entry("months_to_job", i18n.T("tracer.months"), "")
	s.income = s.form.Select("income_band", i18n.T("tracer.income"), "outcomes.income_band")
	s.source = s.form.Select("source", i18n.T("tracer.source"), "outcomes.source")
	s.date = datefield.New(deps.Store.Now)
	s.date.OnChanged = func(string) { s.form.Revalidate() }
	s.form.Add("surveyed_on", i18n.T("tracer.date"), s.date)
	s.form.Check = func() domain.Problems {
		o := s.record()
		domain.Normalize(o)
		ps := domain.Validate(o, deps.Store.Rules())
		if n, ok := kit.Int(s.months.Text); !ok || n < 0 {
			ps = append(ps, kit.NotNumber("months_to_job"))
		}
		if s.date.Text != "" && s.date.ISO() == "" {
			ps = append(ps, domain.Problem{Field: "surveyed_on", Level: domain.Invalid, Code: "problem.date.invalid"})
		}
		return ps
	}
	s.form.Submit = s.save
	s.saveBtn = kit.Button(&widget.Button{Text: i18n.T("common.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.save})
	s.status = kit.Label(&widget.Label{Wrapping: fyne.TextWrapWord})
	s.formBlock = container.NewVBox(s.who, container.NewHBox(s.phone, s.waButton), s.wa, widget.NewSeparator(), s.form.Content(), s.saveBtn)
	s.rating = s.newEmployerForm()
	s.pick(nil)

	left := container.NewBorder(container.NewVBox(s.filter.Select, s.count, s.summary), nil, nil, nil, s.list)
	right := container.NewVScroll(container.NewVBox(s.formBlock, s.status, s.rating.block))
	split := container.NewHSplit(left, right)
	split.Offset = 0.45
	s.root = split
	return s
}

// Content is the screen's root object.
func (s *Screen) Content() fyne.CanvasObject { return s.root }

// Update reloads the first page of the due list and then its count off the
// UI goroutine, swapping each in on the UI goroutine (the screen's Runner).
func (s *Screen) Update(ctx context.Context) {
	gen := s.gen.Add(1)
	s.fetching = true
	filter := s.filter.Value()
	s.deps.Go(func() {
		today := s.deps.Store.Now()
		sum, serr := s.deps.Store.TracerSummary(ctx, today)
		s.deps.Do(func() {
			if gen == s.gen.Load() && serr == nil {
				s.summary.SetText(summaryText(sum))
			}
		})
		if filter != "" {
			s.loadFiltered(ctx, gen, today, filter)
			return
		}
		rows, err := s.deps.Store.TracerDuePage(ctx, today, nil, PageSize)
		s.deps.Do(func() {
			if gen != s.gen.Load() {
				return
			}
			s.fetching = false
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.rows, s.today, s.more = rows, today, len(rows) >= PageSize
			switch {
			case len(rows) == 0:
				s.count.SetText(i18n.T("tracer.none"))
			case s.more:
				s.count.SetText(i18n.T("common.loading")) // until the count lands
			default:
				s.count.SetText(i18n.T("tracer.count", len(rows)))
			}
			s.list.UnselectAll()
			s.list.Refresh()
		})
		if err != nil || len(rows) < PageSize {
			return // a short first page is the whole list: nothing to count
		}
		n, err := s.deps.Store.TracerDueCount(ctx, today)
		s.deps.Do(func() {
			if gen != s.gen.Load() {
				return
			}
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.count.SetText(i18n.T("tracer.count", n))
		})
	})
}

// loadFiltered lists the graduates filter selects (all at once: a filter
// other than the due list is not paged).
func (s *Screen) loadFiltered(ctx context.Context, gen int64, today time.Time, filter string) {
	rows, err := s.deps.Store.TracerList(ctx, today, filter)
	s.deps.Do(func() {
		if gen != s.gen.Load() {
			return
		}
		s.fetching = false
		if err != nil {
			screen.ShowError(s.deps.Window, err)
			return
		}
		s.rows, s.today, s.more = rows, today, false
		if len(rows) == 0 {
			s.count.SetText(i18n.T("tracer.filter_none"))
		} else {
			s.count.SetText(i18n.Count("tracer.filter_count", len(rows)))
		}
		s.list.UnselectAll()
		s.list.Refresh()
	})
}

// summaryText is the waves' response rates and the match rate in one line.
func summaryText(sum domain.TracerSummary) string {
	parts := make([]string, 0, len(sum.Waves)+1)
	for _, w := range sum.Waves {
		parts = append(parts, i18n.T("tracer.wave_rate", w.Months, percent(w.Rate(), w.Due), w.Traced, w.Due))
	}
	if n := sum.MatchYes + sum.MatchPartly + sum.MatchNo; n > 0 {
		parts = append(parts, i18n.T("tracer.match_rate", percent(sum.MatchRate(), n)))
	}
	return i18n.T("tracer.summary", strings.Join(parts, " · "))
}

// percent is a rate as people read it; "–" when there was nothing to count.
func percent(r float64, of int) string {
	if of == 0 {
		return "–"
	}
	return strconv.Itoa(int(r*100+0.5)) + "%"
}

// LoadMore fetches the page after the rows shown, unless one is on its way
// or the last page was not full. It only starts the work (it is called from
// drawing the list).
func (s *Screen) LoadMore() {
	if !s.more || s.fetching || len(s.rows) == 0 {
		return
	}
	s.fetching = true
	gen := s.gen.Load()
	after, today := s.rows[len(s.rows)-1], s.today
	s.deps.Go(func() {
		rows, err := s.deps.Store.TracerDuePage(context.Background(), today, &after, PageSize)
		s.deps.Do(func() {
			if gen != s.gen.Load() {
				return // reloaded meanwhile: this page belongs to the old list
			}
			s.fetching = false
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.rows = append(s.rows, rows...)
			s.more = len(rows) >= PageSize
			s.list.Refresh()
		})
	})
}

// Close lets go of the rows when the shell drops the screen (a language
// switch rebuilds every screen); a page still on its way is dropped.
func (s *Screen) Close() {
	s.gen.Add(1)
	s.rows, s.more, s.picked = nil, false, nil
}

func phoneText(e164 string) string {
	if e164 == "" {
		return i18n.T("tracer.no_phone")
	}
	return domain.LocalPhone(e164)
}

// pick shows f's contact and an empty outcome form (nil: nothing chosen).
func (s *Screen) pick(f *store.FollowUp) {
	s.picked = f
	s.loadEmployer(f)
	check := s.form.Check
	s.form.Check = nil
	defer func() {
		s.form.Check = check
		s.form.Show(nil)
	}()
	if f == nil {
		s.who.SetText(i18n.T("tracer.pick"))
		s.phone.SetText("")
		s.wa.Hide()
		s.waButton.Hide()
		s.saveBtn.Disable()
		return
	}
	s.who.SetText(i18n.T("tracer.graduate", f.Name, f.CompletedOn, f.Programme))
	if f.Phone == "" {
		s.phone.SetText(i18n.T("tracer.no_phone"))
	} else {
		s.phone.SetText(i18n.T("tracer.phone", domain.LocalPhone(f.Phone)))
	}
	if u, err := url.Parse(WhatsAppURL(f.Phone)); err == nil && WhatsAppURL(f.Phone) != "" {
		s.wa.SetText(WhatsAppURL(f.Phone))
		s.wa.SetURL(u)
		s.wa.Show()
		s.waButton.Show()
	} else {
		s.wa.Hide()
		s.waButton.Hide()
	}
	s.state.SetValue("")
	s.employer.SetText("")
	s.sector.SetText("")
	s.kbli.SetValue("")
	s.match.SetValue("")
	s.months.SetText("")
	s.income.SetValue("")
	s.source.SetValue("whatsapp")
	s.date.SetISO(s.today.Format(domain.DateLayout))
	s.saveBtn.Enable()
}

func (s *Screen) openWhatsApp() {
	if s.picked == nil {
		return
	}
	u, err := url.Parse(WhatsAppURL(s.picked.Phone))
	if err != nil || u.String() == "" {
		return
	}
	if a := fyne.CurrentApp(); a != nil {
		if err := a.OpenURL(u); err != nil {
			screen.ShowError(s.deps.Window, err)
		}
	}
}

// record is the outcome as the form holds it.
func (s *Screen) record() *domain.Outcome {
	o := &domain.Outcome{Status: s.state.Value(), Employer: s.employer.Text, Sector: s.sector.Text,
		KBLI: s.kbli.Value(), JobMatch: s.match.Value(),
		IncomeBand: s.income.Value(), Source: s.source.Value(), SurveyedOn: s.date.ISO()}
	o.MonthsToJob, _ = kit.Int(s.months.Text)
	if s.picked != nil {
		o.TraineeID = s.picked.TraineeID
	}
	return o
}

func (s *Screen) save() {
	if s.picked == nil {
		return
	}
	o := s.record()
	if ps := s.form.Check(); ps.Invalid() {
		s.form.Show(ps)
		s.status.Importance = widget.DangerImportance
		s.status.SetText(i18n.T("tracer.fix"))
		return
	}
	name := s.picked.Name
	s.deps.Go(func() {
		warnings, err := s.deps.Store.Save(context.Background(), o)
		s.deps.Do(func() {
			if ps := kit.ProblemsOf(err); ps != nil {
				s.form.Show(ps)
				s.status.Importance = widget.DangerImportance
				s.status.SetText(i18n.T("tracer.fix"))
				return
			}
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.pick(nil)
			s.form.Show(warnings)
			s.status.Importance = widget.SuccessImportance
			s.status.SetText(i18n.T("tracer.saved", name))
			s.deps.Changed()
			s.Update(context.Background())
		})
	})
}
