// Package tracer is the "Penelusuran Alumni" screen: graduates whose 3- or
// 6-month follow-up is due, with their phone as people dial it (08…) and a
// WhatsApp link, and a quick form to record what they do now (a
// domain.Outcome). It is a kit.Records screen over the graduates: the due
// list is read a page at a time through TracerDuePage, after the last row
// shown (at 100k trainees some 90k are due, far too many to hold); the
// other filters through TracerList. It writes only through the kit's Save
// and never imports the Fyne app package.
package tracer

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/datefield"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// PageSize is how many graduates one query fetches. The list starts with one
// page and fetches the next when a row near its end is drawn.
const PageSize = kit.PageSize

// Store is what the screen reads and writes: the kit's record calls, the
// graduates to trace and their waves, and the answer an employer is asked
// about. *store.Store satisfies it.
type Store interface {
	kit.Store
	TracerDuePage(ctx context.Context, today time.Time, after *store.FollowUp, limit int) ([]store.FollowUp, error)
	TracerDueCount(ctx context.Context, today time.Time) (int, error)
	TracerList(ctx context.Context, today time.Time, filter string) ([]store.FollowUp, error)
	TracerSummary(ctx context.Context, today time.Time) (domain.TracerSummary, error)
	LatestEmployerOutcome(ctx context.Context, traineeID string) (*store.EmployerOutcome, error)
}

// filterField carries the filter chosen on the screen in the list's query
// (Spec.Narrow), so the list reads it off the UI goroutine.
const filterField = "tracer_filter"

// WhatsAppURL is the wa.me link of a stored +62… phone ("" when there is none).
func WhatsAppURL(e164 string) string {
	if !strings.HasPrefix(e164, "+62") {
		return ""
	}
	return "https://wa.me/" + strings.TrimPrefix(e164, "+")
}

// graduate is a row of the list and the record the form holds: the
// graduate to trace and, once read from the form, the answer recorded for
// them (what is checked and saved: Spec.Stores).
type graduate struct {
	store.FollowUp
	meta    domain.Meta // ID: the trainee, so the list marks the graduate open
	outcome *domain.Outcome
}

func (g *graduate) Base() *domain.Meta { return &g.meta }

// Screen is the tracer list and outcome form.
type Screen struct {
	*kit.Records[*graduate]
	st  Store
	now func() time.Time // the store's clock
	win fyne.Window
	// filter picks the list: the due list (the default, paged) or one of
	// store.TracerFilters.
	filter *kit.Choice

	who      *widget.Label
	phone    *widget.Label
	wa       *widget.Hyperlink
	waButton *widget.Button
	state    *kit.Choice
	employer *kit.Entry
	sector   *kit.Entry
	kbli     *kit.Choice
	match    *kit.Choice
	months   *kit.Entry
	income   *kit.Choice
	source   *kit.Choice
	date     *datefield.Entry
	rating   *employerForm // the employer-satisfaction form under the outcome form
}

// New builds the screen; call Update to load it.
func New(deps screen.Deps, st Store) *Screen {
	s := &Screen{st: st, now: deps.Now, win: deps.Window}
	values, labels := []string{""}, []string{i18n.T("tracer.filter.due")}
	for _, f := range store.TracerFilters {
		values, labels = append(values, f), append(labels, i18n.T("tracer.filter."+f))
	}
	s.filter = kit.NewChoiceOf(values, labels)
	s.filter.SetValue("")
	s.filter.Select.OnChanged = func(string) { s.Reload() }

	s.who = kit.Label(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord})
	s.phone = widget.NewLabel("")
	s.wa = widget.NewHyperlink("", nil)
	s.waButton = widget.NewButtonWithIcon(i18n.T("tracer.whatsapp"), theme.MailComposeIcon(), s.openWhatsApp)
	s.rating = s.newEmployerForm(deps)

	s.Records = kit.NewRecords(deps, st, kit.Spec[*graduate]{
		Columns: []widgets.Column[*graduate]{
			{Title: i18n.T("tracer.col.name"), Width: 145, Text: func(g *graduate) string { return g.Name }},
			{Title: i18n.T("tracer.col.wave"), Width: 225, Text: s.waveText, Importance: s.waveImportance},
			{Title: i18n.T("tracer.col.phone"), Width: 120, Text: func(g *graduate) string { return phoneText(g.Phone) }},
			{Title: i18n.T("tracer.col.programme"), Width: 160, Text: func(g *graduate) string { return g.Programme }},
		},
		PageSize: PageSize,
		List:     s.list,
		Count:    s.count,
		Narrow: func(q *store.Query) {
			q.Filters = append(q.Filters, store.Filter{Field: filterField, Value: s.filter.Value()})
		},
		Tools:  []fyne.CanvasObject{s.filter.Select},
		Tables: []string{"outcomes", "enrollments", "trainees", "cohorts", "programmes"},
		Stores: func(g *graduate) domain.Record { return g.outcome },
		Head:   container.NewVBox(s.who, container.NewHBox(s.phone, s.waButton), s.wa, widget.NewSeparator()),
		Foot:   s.rating.block,
		Fields: func(f *kit.Form) {
			s.state = f.Select("status", i18n.T("tracer.status"), "outcomes.status")
			s.employer = f.Entry("employer", i18n.T("tracer.employer"), "")
			s.sector = f.Entry("sector", i18n.T("tracer.sector"), "")
			s.kbli = f.Select("kbli", i18n.T("tracer.kbli"), "outcomes.kbli")
			s.match = f.Select("job_match", i18n.T("tracer.match"), "outcomes.job_match")
			s.months = f.Entry("months_to_job", i18n.T("tracer.months"), "")
			s.income = f.Select("income_band", i18n.T("tracer.income"), "outcomes.income_band")
			s.source = f.Select("source", i18n.T("tracer.source"), "outcomes.source")
			s.date = f.Date("surveyed_on", i18n.T("tracer.date"), s.now)
		},
		Blank:       func() *graduate { return &graduate{} },
		Fill:        s.fill,
		Read:        s.read,
		Fix:         i18n.T("tracer.fix"),
		Saved:       func(g *graduate) string { return i18n.T("tracer.saved", g.Name) },
		SplitOffset: 0.5,
	})
	s.saveable(false)     // nothing picked yet
	s.NewButton.Hide()    // a graduate is picked from the list, never made here
	s.DeleteButton.Hide() // answers are not taken back from this screen
	return s
}

// waveText is what is due for g, or what was answered (filters other than
// the due list show graduates whatever their standing).
func (s *Screen) waveText(g *graduate) string {
	switch {
	case g.Months == 0:
		return i18n.T("tracer.col.graduated", domain.ShowDate(g.CompletedOn))
	case !g.Open && s.filter.Value() != "":
		return i18n.T("tracer.col.answered", g.Months, domain.ShowDate(g.LastSurvey))
	default:
		return i18n.T("tracer.col.due", g.Months, domain.ShowDate(g.DueOn))
	}
}

func (s *Screen) waveImportance(g *graduate) widget.Importance {
	switch {
	case g.Months == 0:
		return widget.MediumImportance
	case !g.Open && s.filter.Value() != "":
		return widget.SuccessImportance
	case g.Months >= 6:
		return widget.DangerImportance
	default:
		return widget.WarningImportance
	}
}

// filterOf is the filter q was made with ("" : the due list).
func filterOf(q store.Query) string {
	for _, f := range q.Filters {
		if v, ok := f.Value.(string); ok && f.Field == filterField {
			return v
		}
	}
	return ""
}

// list reads a page of graduates (off the UI goroutine): the due list a
// page at a time after the last row shown, another filter all at once.
func (s *Screen) list(ctx context.Context, q store.Query, last *graduate) ([]*graduate, error) {
	var rows []store.FollowUp
	var err error
	if filter := filterOf(q); filter != "" {
		if last != nil {
			return nil, nil // the whole list came with the first page
		}
		rows, err = s.st.TracerList(ctx, s.now(), filter)
	} else {
		var after *store.FollowUp
		if last != nil {
			after = &last.FollowUp
		}
		rows, err = s.st.TracerDuePage(ctx, s.now(), after, q.Limit)
	}
	if err != nil {
		return nil, err
	}
	gs := make([]*graduate, len(rows))
	for i, f := range rows {
		gs[i] = &graduate{FollowUp: f, meta: domain.Meta{ID: f.TraineeID}}
	}
	return gs, nil
}

// count is how many graduates the list holds, with the waves' response
// rates under it (off the UI goroutine).
func (s *Screen) count(ctx context.Context, q store.Query) (string, error) {
	today := s.now()
	sum, err := s.st.TracerSummary(ctx, today)
	if err != nil {
		return "", err
	}
	var line string
	if filter := filterOf(q); filter != "" {
		rows, err := s.st.TracerList(ctx, today, filter)
		if err != nil {
			return "", err
		}
		line = i18n.T("tracer.filter_none")
		if len(rows) > 0 {
			line = i18n.Count("tracer.filter_count", len(rows))
		}
	} else {
		n, err := s.st.TracerDueCount(ctx, today)
		if err != nil {
			return "", err
		}
		line = i18n.T("tracer.none")
		if n > 0 {
			line = i18n.T("tracer.count", n)
		}
	}
	return line + "\n" + summaryText(sum), nil
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

func phoneText(e164 string) string {
	if e164 == "" {
		return i18n.T("tracer.no_phone")
	}
	return domain.LocalPhone(e164)
}

// fill shows g's contact and an empty answer form (a Blank: nothing picked).
func (s *Screen) fill(g *graduate) {
	s.loadEmployer(g)
	s.state.SetValue("")
	s.employer.SetText("")
	s.sector.SetText("")
	s.kbli.SetValue("")
	s.match.SetValue("")
	s.months.SetText("")
	s.income.SetValue("")
	s.source.SetValue("whatsapp")
	s.date.SetISO(s.now().Format(domain.DateLayout))
	link := WhatsAppURL(g.Phone)
	u, err := url.Parse(link)
	if link != "" && err == nil {
		s.wa.SetText(link)
		s.wa.SetURL(u)
		s.wa.Show()
		s.waButton.Show()
	} else {
		s.wa.Hide()
		s.waButton.Hide()
	}
	switch {
	case g.TraineeID == "":
		s.who.SetText(i18n.T("tracer.pick"))
		s.phone.SetText("")
		s.saveable(false)
		return
	case g.Phone == "":
		s.phone.SetText(i18n.T("tracer.no_phone"))
	default:
		s.phone.SetText(i18n.T("tracer.phone", domain.LocalPhone(g.Phone)))
	}
	s.who.SetText(i18n.T("tracer.graduate", g.Name, domain.ShowDate(g.CompletedOn), g.Programme))
	s.saveable(true)
}

// saveable enables Save while a graduate is open (the first, empty form is
// filled while NewRecords builds the buttons: New disables it after).
func (s *Screen) saveable(yes bool) {
	switch {
	case s.Records == nil:
	case yes:
		s.SaveButton.Enable()
	default:
		s.SaveButton.Disable()
	}
}

func (s *Screen) openWhatsApp() {
	g, ok := s.Current()
	if !ok {
		return
	}
	u, err := url.Parse(WhatsAppURL(g.Phone))
	if err != nil || u.String() == "" {
		return
	}
	if a := fyne.CurrentApp(); a != nil {
		if err := a.OpenURL(u); err != nil {
			screen.ShowError(s.win, err)
		}
	}
}

// read makes g's answer from the form, with problems for what cannot be
// read (months that are not a number, a date that is not one).
func (s *Screen) read(g *graduate) domain.Problems {
	o := &domain.Outcome{TraineeID: g.TraineeID, Status: s.state.Value(), Employer: s.employer.Text, Sector: s.sector.Text,
		KBLI: s.kbli.Value(), JobMatch: s.match.Value(),
		IncomeBand: s.income.Value(), Source: s.source.Value(), SurveyedOn: s.date.ISO()}
	g.outcome = o
	var ps domain.Problems
	n, ok := kit.Int(s.months.Text)
	if !ok || n < 0 {
		ps = append(ps, kit.NotNumber("months_to_job"))
	}
	o.MonthsToJob = n
	return append(ps, badDate("surveyed_on", s.date)...)
}

// badDate is the problem of a date typed that is not one.
func badDate(field string, d *datefield.Entry) domain.Problems {
	if d.Text != "" && d.ISO() == "" {
		return domain.Problems{{Field: field, Level: domain.Invalid, Code: "problem.date.invalid"}}
	}
	return nil
}
