package kemandirian

import (
	"context"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/datefield"
	"github.com/kemnaker/blk/app/funding"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// Ledger is the business units' cash book: income and expense lines with
// their date, category, unit and amount, one year at a time with its
// totals. The own-income criterion is counted from these lines. A
// kit.Records screen.
type Ledger struct {
	*kit.Records[*domain.LedgerLine]
	st        Store
	now       func() time.Time
	year      *widget.Select // "all years" first, then the years, newest first
	years     []int
	date      *datefield.Entry
	direction *kit.Choice
	category  *kit.Choice
	amount    *kit.Entry
	unit      *kit.Entry
	note      *kit.Entry
}

func categoryOf(l *domain.LedgerLine) string {
	return domain.ChoiceLabel("ledger_lines.ledger_category", l.Category, i18n.Lang())
}

// NewLedger builds the ledger tab, showing this year; call Update to load it.
func NewLedger(deps screen.Deps, st Store) *Ledger {
	s := &Ledger{st: st, now: deps.Now}
	this := s.now().Year()
	s.year = widget.NewSelect(nil, nil)
	s.setYears(this, this)
	s.year.SetSelected(strconv.Itoa(this))
	s.year.OnChanged = func(string) { s.Reload() }
	s.Records = kit.NewRecords(deps, st, kit.Spec[*domain.LedgerLine]{
		Columns: []widgets.Column[*domain.LedgerLine]{
			{Title: i18n.T("field.date"), Width: 95, Key: "date", Text: func(l *domain.LedgerLine) string { return domain.ShowDate(l.Date) }},
			{Title: i18n.T("field.ledger_category"), Width: 140, Key: "ledger_category", Text: categoryOf},
			{Title: i18n.T("field.amount"), Width: 110, Key: "amount", Text: signed,
				Importance: func(l *domain.LedgerLine) widget.Importance {
					if l.Direction == domain.LedgerExpense {
						return widget.DangerImportance
					}
					return widget.SuccessImportance
				}},
			{Title: i18n.T("field.unit"), Width: 95, Key: "unit", Text: func(l *domain.LedgerLine) string { return l.Unit }},
		},
		OrderBy:  "date",
		Desc:     true,
		SearchIn: []string{"unit", "note"},
		Narrow:   s.narrow,
		Tools:    []fyne.CanvasObject{s.year},
		Tables:   []string{"ledger_lines"},
		Fields: func(f *kit.Form) {
			s.date = f.Date("date", i18n.T("field.date"), s.now)
			s.direction = f.Select("direction", i18n.T("field.direction"), "ledger_lines.direction")
			s.category = f.Select("ledger_category", i18n.T("field.ledger_category"), "ledger_lines.ledger_category")
			s.amount = f.Entry("amount", i18n.T("field.amount"), "1.500.000")
			s.unit = f.Entry("unit", i18n.T("field.unit"), i18n.T("kem.unit_hint"))
			s.note = f.Entry("note", i18n.T("field.note"), "")
		},
		Blank: func() *domain.LedgerLine {
			return &domain.LedgerLine{Date: s.now().Format(domain.DateLayout), Direction: domain.LedgerIncome}
		},
		Fill: func(l *domain.LedgerLine) {
			s.date.SetISO(l.Date)
			s.direction.SetValue(l.Direction)
			s.category.SetValue(l.Category)
			s.amount.SetText("")
			if l.Amount != 0 {
				s.amount.SetText(funding.Rupiah(l.Amount))
			}
			s.unit.SetText(l.Unit)
			s.note.SetText(l.Note)
		},
		Read:     s.read,
		Extra:    s.loadYears,
		Count:    s.totals,
		NewLabel: i18n.T("ledger.new"),
		Fix:      i18n.T("kem.fix"),
		Saved: func(l *domain.LedgerLine) string {
			return i18n.T("kem.ledger_saved", categoryOf(l), funding.Rupiah(l.Amount))
		},
		Deleted: func(l *domain.LedgerLine) string {
			return i18n.T("ledger.deleted", categoryOf(l), funding.Rupiah(l.Amount))
		},
		SplitOffset: 0.6,
		ConfirmDelete: func(l *domain.LedgerLine) string {
			return i18n.T("ledger.confirm_delete", categoryOf(l), funding.Rupiah(l.Amount), domain.ShowDate(l.Date))
		},
	})
	return s
}

// signed is the amount as the list shows it: expenses with a minus.
func signed(l *domain.LedgerLine) string {
	if l.Direction == domain.LedgerExpense {
		return "−" + funding.Rupiah(l.Amount)
	}
	return funding.Rupiah(l.Amount)
}

// read copies the form into l, with a problem for an unreadable amount.
func (s *Ledger) read(l *domain.LedgerLine) domain.Problems {
	l.Date, l.Direction, l.Category = s.date.ISO(), s.direction.Value(), s.category.Value()
	l.Unit, l.Note = s.unit.Text, s.note.Text
	n, ok := funding.ParseRupiah(s.amount.Text)
	l.Amount = n
	if !ok && strings.TrimSpace(s.amount.Text) != "" {
		l.Amount = 0
		return domain.Problems{{Field: "amount", Level: domain.Invalid, Code: "fund.not_amount"}}
	}
	return nil
}

// Year is the year shown (0: all years).
func (s *Ledger) Year() int {
	if i := s.year.SelectedIndex(); i > 0 && i <= len(s.years) {
		return s.years[i-1]
	}
	return 0
}

// ShowYear shows the lines of year y (0: all years).
func (s *Ledger) ShowYear(y int) {
	if y == 0 {
		s.year.SetSelectedIndex(0)
		return
	}
	s.year.SetSelected(strconv.Itoa(y))
}

// narrow keeps the lines of the year chosen.
func (s *Ledger) narrow(q *store.Query) {
	if y := s.Year(); y > 0 {
		q.Ranges = append(q.Ranges, store.Range{Field: "date", From: strconv.Itoa(y) + "-01-01", To: strconv.Itoa(y) + "-12-31"})
	}
}

// setYears offers the years from newest down to oldest, after "all years".
func (s *Ledger) setYears(newest, oldest int) {
	s.years = nil
	opts := []string{i18n.T("ledger.all_years")}
	for y := newest; y >= oldest; y-- {
		s.years = append(s.years, y)
		opts = append(opts, strconv.Itoa(y))
	}
	s.year.Options = opts
	s.year.Refresh()
}

// loadYears reads the first and last year the ledger holds (off the UI
// goroutine) for the year choice; this year is always offered.
func (s *Ledger) loadYears(ctx context.Context) (func(), error) {
	this := s.now().Year()
	newest, oldest := this, this
	for _, desc := range []bool{false, true} {
		ls, err := store.ListOf[*domain.LedgerLine](ctx, s.st, store.Query{OrderBy: "date", Desc: desc, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(ls) == 1 && len(ls[0].Date) >= 4 {
			if y, err := strconv.Atoi(ls[0].Date[:4]); err == nil {
				newest, oldest = max(newest, y), min(oldest, y)
			}
		}
	}
	return func() {
		shown := s.Year()
		onChanged := s.year.OnChanged
		s.year.OnChanged = nil // the same choice, offered again: no reload
		s.setYears(newest, oldest)
		s.ShowYear(shown)
		s.year.OnChanged = onChanged
	}, nil
}

// totals counts the lines shown and adds up income, expense and balance,
// one line at a time (a year of a busy centre is a few thousand lines).
func (s *Ledger) totals(ctx context.Context, q store.Query) (string, error) {
	var n int
	var in, out int64
	for q.Offset = 0; ; q.Offset += kit.PageSize {
		q.Limit = kit.PageSize
		ls, err := store.ListOf[*domain.LedgerLine](ctx, s.st, q)
		if err != nil {
			return "", err
		}
		for _, l := range ls {
			n++
			if l.Direction == domain.LedgerExpense {
				out += l.Amount
			} else {
				in += l.Amount
			}
		}
		if len(ls) < q.Limit {
			break
		}
	}
	return i18n.Count("ledger.count", n, funding.Rupiah(in), funding.Rupiah(out), funding.Rupiah(in-out)), nil
}
