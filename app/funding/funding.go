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
	"time"

	"github.com/kemnaker/blk/app/datefield"
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
const PageSize = kit.PageSize

// Store is what the screen reads and writes: the kit's record calls, the
// cohorts to choose from, and every funding record once for the total.
// *store.Store satisfies it.
type Store interface {
	kit.Store
	CohortLabels(ctx context.Context) ([]store.CohortLabel, error)
	EachRecord(ctx context.Context, table string, fn func(domain.Record) error) error
}

// Screen is the funding list and form, a kit.Records screen.
type Screen struct {
	*kit.Records[*domain.Funding]
	st      Store
	now     func() time.Time // the store's clock
	cohorts []store.CohortLabel

	source, amount, year, note *kit.Entry
	received                   *datefield.Entry
	cohort, kind               *kit.Choice
}

// New builds the screen; call Update to load it.
func New(deps screen.Deps, st Store) *Screen {
	s := &Screen{st: st, now: deps.Now}
	s.Records = kit.NewRecords(deps, st, kit.Spec[*domain.Funding]{
		Columns: []widgets.Column[*domain.Funding]{
			{Title: i18n.T("fund.source"), Width: 140, Text: func(f *domain.Funding) string { return f.Source }, Key: "source"},
			{Title: i18n.T("fund.amount"), Width: 115, Text: func(f *domain.Funding) string { return Rupiah(f.Amount) }, Key: "amount"},
			{Title: i18n.T("fund.year_short"), Width: 60, Text: func(f *domain.Funding) string { return strconv.FormatInt(f.Year, 10) }, Key: "year"},
			{Title: i18n.T("fund.cohort"), Width: 150, Text: func(f *domain.Funding) string { return s.cohortLabel(f.CohortID) }},
		},
		OrderBy:  "year",
		Desc:     true,
		SearchIn: []string{"source", "note"},
		Tables:   []string{"funding", "cohorts", "programmes"},
		Fields:   s.addFields,
		Blank:    func() *domain.Funding { return &domain.Funding{Year: int64(s.now().Year())} },
		Fill:     s.fill,
		Read:     s.read,
		Extra: func(ctx context.Context) (func(), error) {
			cs, err := s.st.CohortLabels(ctx)
			return func() { s.setCohorts(cs) }, err
		},
		Count: func(ctx context.Context, _ store.Query) (string, error) {
			n, total, err := fundingTotals(ctx, s.st)
			return i18n.Count("fund.count", n, Rupiah(total)), err
		},
		NewLabel:      i18n.T("fund.new"),
		Fix:           i18n.T("fund.fix"),
		Saved:         func(f *domain.Funding) string { return i18n.T("fund.saved", f.Source) },
		ConfirmDelete: func(f *domain.Funding) string { return i18n.T("fund.confirm_delete", f.Source, Rupiah(f.Amount)) },
		Deleted:       func(f *domain.Funding) string { return i18n.T("fund.deleted", f.Source) },
		SplitOffset:   0.55,
	})
	return s
}

func (s *Screen) addFields(f *kit.Form) {
	s.source = f.Entry("source", i18n.T("fund.source"), i18n.T("fund.source_hint"))
	// the road map's funding criterion reads own income from this
	s.kind = f.Select("source_kind", domain.FieldLabel("source_kind", i18n.Lang()), "funding.source_kind")
	s.amount = f.Entry("amount", i18n.T("fund.amount"), "150.000.000")
	s.year = f.Entry("year", i18n.T("fund.year"), "")
	s.cohort = kit.NewChoiceOf(nil, nil)
	s.cohort.Select.OnChanged = func(string) { f.Revalidate() }
	f.Add("cohort_id", i18n.T("fund.cohort"), s.cohort.Select)
	s.received = f.Date("received_on", i18n.T("fund.received_on"), s.now)
	s.note = f.Entry("note", i18n.T("fund.note"), "")
}

// fundingTotals counts the live funding records and adds up their amounts,
// one record at a time.
func fundingTotals(ctx context.Context, st Store) (n int, total int64, err error) {
	err = st.EachRecord(ctx, "funding", func(r domain.Record) error {
		n++
		total += r.(*domain.Funding).Amount
		return nil
	})
	return n, total, err
}

func (s *Screen) setCohorts(cohorts []store.CohortLabel) {
	s.cohorts = cohorts
	ids, labels := []string{""}, []string{i18n.T("fund.no_cohort")}
	for _, c := range cohorts {
		ids, labels = append(ids, c.ID), append(labels, c.Label)
	}
	s.cohort.SetOptions(ids, labels)
}

// Close lets go of the records and cohort choices when the shell drops the
// screen (a language switch rebuilds every screen); a page still on its way
// is dropped.
func (s *Screen) Close() {
	s.Records.Close()
	check := s.Form.Check
	s.Form.Check = nil
	s.setCohorts(nil)
	s.Form.Check = check
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

// fill shows f in the form.
func (s *Screen) fill(f *domain.Funding) {
	s.source.SetText(f.Source)
	s.kind.SetValue(f.SourceKind)
	s.amount.SetText("")
	if f.Amount != 0 {
		s.amount.SetText(Rupiah(f.Amount))
	}
	s.year.SetText(strconv.FormatInt(f.Year, 10))
	s.cohort.SetValue(f.CohortID)
	s.received.SetISO(f.ReceivedOn)
	s.note.SetText(f.Note)
}

// read copies the form into f, with problems for unreadable numbers.
func (s *Screen) read(f *domain.Funding) domain.Problems {
	var ps domain.Problems
	f.Source, f.SourceKind, f.CohortID = s.source.Text, s.kind.Value(), s.cohort.Value()
	f.ReceivedOn, f.Note = s.received.ISO(), s.note.Text
	var ok bool
	if f.Amount, ok = ParseRupiah(s.amount.Text); !ok && strings.TrimSpace(s.amount.Text) != "" {
		ps = append(ps, domain.Problem{Field: "amount", Level: domain.Invalid, Code: "fund.not_amount"})
		f.Amount = 0
	}
	if f.Year, ok = kit.Int(s.year.Text); !ok {
		ps = append(ps, kit.NotNumber("year"))
	}
	return ps
}
