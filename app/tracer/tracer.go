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
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

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
	income    *kit.Choice
	source    *kit.Choice
	date      *kit.Entry
	saveBtn   *widget.Button
	status    *widget.Label
	formBlock *fyne.Container
}

// New builds the screen; call Update to load it.
func New(deps screen.Deps) *Screen {
	s := &Screen{deps: deps, today: deps.Store.Now()}
	s.count = widget.NewLabel("")
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
			if f.Months == 6 {
				due.Importance = widget.DangerImportance
			}
			due.SetText(i18n.T("tracer.due", f.Months, f.DueOn) + " · " + f.Programme)
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
	s.income = s.form.Select("income_band", i18n.T("tracer.income"), "outcomes.income_band")
	s.source = s.form.Select("source", i18n.T("tracer.source"), "outcomes.source")
	s.date = s.form.Entry("surveyed_on", i18n.T("tracer.date"), "TTTT-BB-HH")
	s.form.Check = func() domain.Problems {
		o := s.record()
		domain.Normalize(o)
		return domain.Validate(o, deps.Store.Rules())
	}
	s.form.Submit = s.save
	s.saveBtn = kit.Button(&widget.Button{Text: i18n.T("common.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.save})
	s.status = kit.Label(&widget.Label{Wrapping: fyne.TextWrapWord})
	s.formBlock = container.NewVBox(s.who, container.NewHBox(s.phone, s.waButton), s.wa, widget.NewSeparator(), s.form.Content(), s.saveBtn)
	s.pick(nil)

	left := container.NewBorder(s.count, nil, nil, nil, s.list)
	right := container.NewVScroll(container.NewVBox(s.formBlock, s.status))
	split := container.NewHSplit(left, right)
	split.Offset = 0.45
	s.root = split
	return s
}

// Content is the screen's root object.
func (s *Screen) Content() fyne.CanvasObject { return s.root }

// Update reloads the first page of the due list and then its count off the
// UI goroutine, swapping each in with one Do of its Runner.
func (s *Screen) Update(ctx context.Context) {
	gen := s.gen.Add(1)
	s.fetching = true
	s.deps.Go(func() {
		today := s.deps.Store.Now()
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
	s.income.SetValue("")
	s.source.SetValue("whatsapp")
	s.date.SetText(s.today.Format(domain.DateLayout))
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
		IncomeBand: s.income.Value(), Source: s.source.Value(), SurveyedOn: s.date.Text}
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
		s.form.ShowAndScroll(ps)
		s.status.Importance = widget.DangerImportance
		s.status.SetText(i18n.T("tracer.fix"))
		return
	}
	name := s.picked.Name
	s.deps.Go(func() {
		warnings, err := s.deps.Store.Save(context.Background(), o)
		s.deps.Do(func() {
			if ps := kit.ProblemsOf(err); ps != nil {
				s.form.ShowAndScroll(ps)
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
