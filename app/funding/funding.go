// Package funding is the "Pendanaan" screen: money and aid the centre
// received (source, amount in rupiah, budget year, the cohort it paid for).
// Amounts are typed and shown the Indonesian way, 1.234.567. It reads and
// writes through the store only (no SQL) and never imports the Fyne app
// package, so it tests headless.
package funding

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// Rupiah formats n with dots between thousands: 1234567 → "1.234.567".
func Rupiah(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ParseRupiah reads an amount as people type it: "1.234.567", "Rp 1.234.567",
// "1234567", "1.234.567,00". ok is false for anything else.
func ParseRupiah(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "Rp"), "rp")
	s = strings.TrimSuffix(strings.TrimSpace(s), ",00")
	s = strings.NewReplacer(".", "", " ", "", "\u00a0", "").Replace(s)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// PageSize is how many funding records one query reads. The list starts
// with one page and reads the next when the operator scrolls near its end;
// the count and total are added up in one pass that keeps no record (at
// 100k trainees a centre has ~6,000 funding records: all of them held
// ~4 MB for as long as the screen lived).
const PageSize = 200

// Screen is the funding list and form.
type Screen struct {
	deps    screen.Deps
	root    fyne.CanvasObject
	cohorts []store.CohortLabel
	table   *widgets.Table[*domain.Funding]
	count   *widget.Label
	orderBy string // the store's sort field of the list
	desc    bool

	gen      int  // newest load (UI goroutine); older pages are dropped
	more     bool // the last page was full: there may be more records
	fetching bool // a next page is on its way

	form                                 *kit.Form
	source, amount, year, received, note *kit.Entry
	cohort                               *kit.Choice
	current                              *domain.Funding // nil: new
	status                               *widget.Label
	del                                  *widget.Button
}

// New builds the screen; call Update to load it.
func New(deps screen.Deps) *Screen {
	s := &Screen{deps: deps, orderBy: "year", desc: true}
	s.count = widget.NewLabel("")
	// sorting goes to the store (OnSort below): the list holds pages
	s.table = widgets.NewTable([]widgets.Column[*domain.Funding]{
		{Title: i18n.T("fund.source"), Width: 200, Text: func(f *domain.Funding) string { return f.Source }, Key: "source"},
		{Title: i18n.T("fund.amount"), Width: 140, Text: func(f *domain.Funding) string { return Rupiah(f.Amount) }, Key: "amount"},
		{Title: i18n.T("fund.year_short"), Width: 80, Text: func(f *domain.Funding) string { return strconv.FormatInt(f.Year, 10) }, Key: "year"},
		{Title: i18n.T("fund.cohort"), Width: 180, Text: func(f *domain.Funding) string { return s.cohortLabel(f.CohortID) }},
	})
	s.table.OnSelected = s.edit
	s.table.NearEnd = s.loadMore
	s.table.OnSort = func(key string, desc bool) {
		s.orderBy, s.desc = key, desc
		s.table.ScrollToTop()
		s.load(context.Background(), false)
	}

	s.form = kit.New()
	s.source = s.form.Entry("source", i18n.T("fund.source"), i18n.T("fund.source_hint"))
	s.amount = s.form.Entry("amount", i18n.T("fund.amount"), "150.000.000")
	s.year = s.form.Entry("year", i18n.T("fund.year"), "")
	s.cohort = kit.NewChoiceOf(nil, nil)
	s.cohort.Select.OnChanged = func(string) { s.form.Revalidate() }
	s.form.Add("cohort_id", i18n.T("fund.cohort"), s.cohort.Select)
	s.received = s.form.Entry("received_on", i18n.T("fund.received_on"), "TTTT-BB-HH")
	s.note = s.form.Entry("note", i18n.T("fund.note"), "")
	s.form.Check = s.check
	s.form.Submit = s.save
	s.form.Cancel = func() { s.edit(nil) }
	s.status = kit.Label(&widget.Label{Wrapping: fyne.TextWrapWord})
	save := kit.Button(&widget.Button{Text: i18n.T("common.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.save})
	s.del = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), s.confirmDelete)
	newBtn := widget.NewButtonWithIcon(i18n.T("fund.new"), theme.ContentAddIcon(), func() { s.edit(nil) })
	s.edit(nil)

	s.root = kit.Layout(newBtn, s.count, s.table, s.form, []fyne.CanvasObject{save, s.del}, s.status, 0.5)
	return s
}

// Content is the screen's root object.
func (s *Screen) Content() fyne.CanvasObject { return s.root }

// NewRecord empties the form for new funding (Ctrl+N).
func (s *Screen) NewRecord() {
	s.edit(nil)
	s.deps.Window.Canvas().Focus(s.source)
}

// Update reloads the first page of the list, the count and total, and the
// cohort choices off the UI goroutine and swaps them in with one Do of its Runner.
func (s *Screen) Update(ctx context.Context) { s.load(ctx, true) }

func (s *Screen) query(offset int) store.Query {
	return store.Query{OrderBy: s.orderBy, Desc: s.desc, Limit: PageSize, Offset: offset}
}

// load (UI goroutine) reads the first page and the totals, and the cohort
// choices too when cohorts is set.
func (s *Screen) load(ctx context.Context, cohorts bool) {
	s.gen++
	gen, q := s.gen, s.query(0)
	s.deps.Go(func() {
		rows, err := store.ListOf[*domain.Funding](ctx, s.deps.Store, q)
		var n int
		var total int64
		if err == nil {
			n, total, err = fundingTotals(ctx, s.deps.Store)
		}
		var cs []store.CohortLabel
		if err == nil && cohorts {
			cs, err = s.deps.Store.CohortLabels(ctx)
		}
		s.deps.Do(func() {
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			if gen != s.gen {
				return // a newer load, or the screen was closed
			}
			s.count.SetText(i18n.Count("fund.count", n, Rupiah(total)))
			if cohorts {
				s.setCohorts(cs)
			}
			s.more, s.fetching = len(rows) >= PageSize, false
			s.table.SetRows(rows)
		})
	})
}

// fundingTotals counts the live funding records and adds up their amounts,
// one record at a time.
func fundingTotals(ctx context.Context, st *store.Store) (n int, total int64, err error) {
	err = st.EachRecord(ctx, "funding", func(r domain.Record) error {
		n++
		total += r.(*domain.Funding).Amount
		return nil
	})
	return n, total, err
}

// loadMore reads the page after the rows shown (called while drawing, so it
// only starts the work).
func (s *Screen) loadMore() {
	if !s.more || s.fetching {
		return
	}
	s.fetching = true
	gen, q := s.gen, s.query(len(s.table.Rows()))
	s.deps.Go(func() {
		rows, err := store.ListOf[*domain.Funding](context.Background(), s.deps.Store, q)
		s.deps.Do(func() {
			if gen != s.gen {
				return
			}
			s.fetching = false
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.more = len(rows) >= PageSize
			s.table.Append(rows)
		})
	})
}

func (s *Screen) setCohorts(cohorts []store.CohortLabel) {
	s.cohorts = cohorts
	ids, labels := []string{""}, []string{i18n.T("fund.no_cohort")}
	for _, c := range cohorts {
		ids, labels = append(ids, c.ID), append(labels, c.Label)
	}
	// Refreshing the choices is not the user editing: no messages.
	check := s.form.Check
	s.form.Check = nil
	s.cohort.SetOptions(ids, labels)
	s.form.Check = check
}

// Close lets go of the records and cohort choices when the shell drops the
// screen (a language switch rebuilds every screen); a page still on its way
// is dropped.
func (s *Screen) Close() {
	s.gen++
	s.more, s.fetching = false, false
	s.table.SetRows(nil)
	s.setCohorts(nil)
	s.cohorts = nil
}

func (s *Screen) cohortLabel(id string) string {
	for _, c := range s.cohorts {
		if c.ID == id {
			return c.Label
		}
	}
	return ""
}

// edit fills the form with f (nil: an empty form for new funding).
func (s *Screen) edit(f *domain.Funding) {
	s.current = f
	if f == nil {
		f = &domain.Funding{Year: int64(s.deps.Store.Now().Year())}
		s.del.Disable()
	} else {
		s.del.Enable()
	}
	s.form.Check = nil // no messages while filling
	s.source.SetText(f.Source)
	s.amount.SetText("")
	if f.Amount != 0 {
		s.amount.SetText(Rupiah(f.Amount))
	}
	s.year.SetText(strconv.FormatInt(f.Year, 10))
	s.cohort.SetValue(f.CohortID)
	s.received.SetText(f.ReceivedOn)
	s.note.SetText(f.Note)
	s.form.Check = s.check
	s.form.Show(nil)
	s.status.SetText("")
}

// record is the funding as typed, with problems for unreadable numbers.
func (s *Screen) record() (*domain.Funding, domain.Problems) {
	f := &domain.Funding{}
	if s.current != nil {
		*f = *s.current
	}
	var ps domain.Problems
	f.Source, f.CohortID, f.ReceivedOn, f.Note = s.source.Text, s.cohort.Value(), s.received.Text, s.note.Text
	var ok bool
	if f.Amount, ok = ParseRupiah(s.amount.Text); !ok && strings.TrimSpace(s.amount.Text) != "" {
		ps = append(ps, domain.Problem{Field: "amount", Level: domain.Invalid, Code: "fund.not_amount"})
		f.Amount = 0
	}
	if f.Year, ok = kit.Int(s.year.Text); !ok {
		ps = append(ps, kit.NotNumber("year"))
	}
	return f, ps
}

func (s *Screen) check() domain.Problems {
	f, ps := s.record()
	domain.Normalize(f)
	return append(ps, domain.Validate(f, s.deps.Store.Rules())...)
}

func (s *Screen) say(importance widget.Importance, text string) {
	s.status.Importance = importance
	s.status.SetText(text)
}

func (s *Screen) save() {
	f, _ := s.record()
	if ps := s.check(); ps.Invalid() {
		s.form.ShowAndScroll(ps)
		s.say(widget.DangerImportance, i18n.T("fund.fix"))
		return
	}
	kit.Save(s.deps, f, func(warnings, refused domain.Problems) {
		if refused != nil {
			s.form.ShowAndScroll(refused)
			s.say(widget.DangerImportance, i18n.T("fund.fix"))
			return
		}
		s.current = f
		s.del.Enable()
		s.amount.SetText(Rupiah(f.Amount))
		s.form.Show(warnings)
		s.say(widget.SuccessImportance, i18n.T("fund.saved", f.Source))
		s.Update(context.Background())
	})
}

func (s *Screen) confirmDelete() {
	if f := s.current; f != nil {
		kit.ConfirmDelete(s.deps, i18n.T("fund.confirm_delete", f.Source, Rupiah(f.Amount)), f, func() { s.deleted(f) })
	}
}

func (s *Screen) deleted(f *domain.Funding) {
	s.edit(nil)
	s.say(widget.MediumImportance, i18n.T("fund.deleted", f.Source))
	s.Update(context.Background())
}

// DataChanged (screen.Watcher) reloads what the screen shows when a
// committed write (its own, an import, a pull) changed one of its tables.
func (s *Screen) DataChanged(ctx context.Context, c store.Changed) {
	if c.Has("funding", "cohorts", "programmes") {
		s.Update(ctx)
	}
}
