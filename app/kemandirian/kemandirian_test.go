package kemandirian

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

var today = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// TestRecordingIncomeMovesTheOwnIncomeCriterion: the operator records a
// paid-training income line on the screen; the own-income criterion's
// value and bar move from 0 % to 20 % of the year's funding, and it is met.
func TestRecordingIncomeMovesTheOwnIncomeCriterion(t *testing.T) {
	ctx := context.Background()
	// given a grant of Rp 80 million this year and no own income (the
	// screen hears of writes as the shell tells it: see newScreen)
	s, st, run := newScreen(t)
	if _, err := st.Save(ctx, &domain.Funding{Source: "APBN", Amount: 80_000_000, Year: 2026, ReceivedOn: "2026-02-01", SourceKind: "government_grant"}); err != nil {
		t.Fatal(err)
	}
	run.Settle(t)
	dana := s.Assessment().Criterion(domain.CriterionDana)
	if dana.Met || dana.Value != 0 || s.Bar(domain.CriterionDana).Value != 0 {
		t.Fatalf("before: %+v", dana)
	}
	if s.Assessment().Level != domain.LevelTumbuh || len(s.Assessment().Next) == 0 || !strings.Contains(s.next.Text, "1. ") {
		t.Fatalf("an empty centre says what to do first: %q", s.next.Text)
	}

	// when the operator opens the ledger tab and records Rp 20.000.000 of paid training
	l := s.Ledger()
	tap(t, run, uitest.FindButton(s.Content(), i18n.T("ledger.open")))
	if s.tabs.Selected().Text != i18n.T("ledger.tab") {
		t.Fatalf("tab shown: %q", s.tabs.Selected().Text)
	}
	l.category.Select.SetSelected(domain.ChoiceLabel("ledger_lines.ledger_category", "paid_training", domain.Indonesian))
	test.Type(l.amount, "20.000.000")
	test.Type(l.unit, "Pelatihan berbayar")
	tap(t, run, l.SaveButton)

	// then it is saved dated today, listed, totalled, and the criterion
	// reads 20 % of a 20 % target: met
	if !strings.Contains(l.Status.Text, "Rp20.000.000") {
		t.Fatalf("status: %q", l.Status.Text)
	}
	dana = s.Assessment().Criterion(domain.CriterionDana)
	if !dana.Met || dana.Value != 20 || s.Bar(domain.CriterionDana).Value != 20 {
		t.Fatalf("after: %+v, bar %v", dana, s.Bar(domain.CriterionDana).Value)
	}
	lines, err := store.ListOf[*domain.LedgerLine](ctx, st, store.Query{})
	if err != nil || len(lines) != 1 || lines[0].Amount != 20_000_000 || lines[0].Date != "2026-11-27" || lines[0].Direction != domain.LedgerIncome {
		t.Fatalf("ledger: %+v %v", lines, err)
	}
	if rows := l.Table.Rows(); len(rows) != 1 || rows[0].ID != lines[0].ID {
		t.Fatalf("listed %d", len(rows))
	}
	if want := "1 baris · masuk Rp20.000.000 · keluar Rp0 · saldo Rp20.000.000"; l.Count.Text != want {
		t.Fatalf("totals %q, want %q", l.Count.Text, want)
	}

	// and an expense with an income category is refused, beside its field
	l.NewRecord()
	l.direction.SetValue(domain.LedgerExpense)
	l.category.Select.SetSelected(domain.ChoiceLabel("ledger_lines.ledger_category", "paid_training", domain.Indonesian))
	test.Type(l.amount, "5000")
	tap(t, run, l.SaveButton)
	if msg := l.Form.Message("ledger_category"); !strings.Contains(msg, "pengeluaran") {
		t.Fatalf("category problem: %q", msg)
	}
	if lines, _ := store.ListOf[*domain.LedgerLine](ctx, st, store.Query{}); len(lines) != 1 {
		t.Fatalf("a refused line was saved: %d lines", len(lines))
	}

	// when the income line is opened from the list and its amount halved
	l.Edit(l.Table.Rows()[0])
	if l.amount.Text != "20.000.000" || l.date.Text != "27-11-2026" || l.unit.Text != "Pelatihan berbayar" {
		t.Fatalf("form shows %q %q %q", l.amount.Text, l.date.Text, l.unit.Text)
	}
	l.amount.SetText("10.000.000")
	tap(t, run, l.SaveButton)

	// then the same line is changed, and the criterion falls below its target
	lines, _ = store.ListOf[*domain.LedgerLine](ctx, st, store.Query{})
	if len(lines) != 1 || lines[0].Amount != 10_000_000 {
		t.Fatalf("after edit: %+v", lines)
	}
	if dana = s.Assessment().Criterion(domain.CriterionDana); dana.Met || dana.Value != 11 {
		t.Fatalf("after halving: %+v", dana)
	}

	// when it is deleted (after saying yes)
	l.Delete(lines[0])
	run.Settle(t)

	// then the ledger is empty and the criterion back at zero
	if n, _ := st.Count(ctx, domain.LookupTable("ledger_lines"), store.Query{}); n != 0 || len(l.Table.Rows()) != 0 {
		t.Fatalf("%d lines left, %d listed", n, len(l.Table.Rows()))
	}
	if dana = s.Assessment().Criterion(domain.CriterionDana); dana.Value != 0 {
		t.Fatalf("after delete: %+v", dana)
	}
}

// TestTheLedgerShowsOneYearWithItsTotals: lines of other years are behind
// the year choice; the totals are those of the lines shown.
func TestTheLedgerShowsOneYearWithItsTotals(t *testing.T) {
	s, st, run := newScreen(t)
	ctx := context.Background()
	for _, l := range []*domain.LedgerLine{
		{Date: "2025-03-01", Direction: domain.LedgerIncome, Category: "product_sales", Amount: 7_000_000, Unit: "Konveksi"},
		{Date: "2026-02-01", Direction: domain.LedgerIncome, Category: "product_sales", Amount: 3_000_000, Unit: "Konveksi"},
		{Date: "2026-02-03", Direction: domain.LedgerExpense, Category: "materials", Amount: 1_250_000, Unit: "Konveksi"},
		{Date: "2026-05-20", Direction: domain.LedgerIncome, Category: "services", Amount: 500_000, Unit: "Bengkel"},
	} {
		if _, err := st.Save(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	run.Settle(t)
	l := s.Ledger()
	if l.Year() != 2026 || len(l.Table.Rows()) != 3 || l.Count.Text != "3 baris · masuk Rp3.500.000 · keluar Rp1.250.000 · saldo Rp2.250.000" {
		t.Fatalf("2026: year %d, %d rows, %q", l.Year(), len(l.Table.Rows()), l.Count.Text)
	}
	if got := l.Table.Rows()[0].Date; got != "2026-05-20" {
		t.Fatalf("newest first: %s", got)
	}
	// the years on offer reach back to the oldest line
	if opts := l.year.Options; len(opts) != 3 || opts[1] != "2026" || opts[2] != "2025" {
		t.Fatalf("years offered %v", opts)
	}
	l.ShowYear(2025)
	run.Settle(t)
	if len(l.Table.Rows()) != 1 || l.Count.Text != "1 baris · masuk Rp7.000.000 · keluar Rp0 · saldo Rp7.000.000" {
		t.Fatalf("2025: %d rows, %q", len(l.Table.Rows()), l.Count.Text)
	}
	l.ShowYear(0)
	run.Settle(t)
	if len(l.Table.Rows()) != 4 {
		t.Fatalf("all years: %d rows", len(l.Table.Rows()))
	}
	// searching the unit keeps the year and narrows the lines
	l.ShowYear(2026)
	l.Search.SetText("bengkel")
	run.Settle(t)
	if len(l.Table.Rows()) != 1 || l.Count.Text != "1 baris · masuk Rp500.000 · keluar Rp0 · saldo Rp500.000" {
		t.Fatalf("2026, Bengkel: %d rows, %q", len(l.Table.Rows()), l.Count.Text)
	}
}

// tap taps o and lets the work it started finish.
func tap(t *testing.T, run *uitest.Runner, o fyne.Tappable) {
	t.Helper()
	test.Tap(o)
	run.Settle(t)
}

// TestTheTargetsDoNotOverlapTheirForm: the targets' bars arrive after the
// first layout; what is under them moves down rather than being drawn over.
func TestTheTargetsDoNotOverlapTheirForm(t *testing.T) {
	s, _, _ := newScreen(t)
	d := fyne.CurrentApp().Driver()
	bottom := d.AbsolutePositionForObject(s.targets).Y + s.targets.Size().Height
	if len(s.targets.Objects) == 0 || s.targets.Size().Height < s.targets.MinSize().Height {
		t.Fatalf("targets %d objects, %v high, want %v", len(s.targets.Objects), s.targets.Size().Height, s.targets.MinSize().Height)
	}
	if form := d.AbsolutePositionForObject(s.tGrad).Y; form < bottom {
		t.Fatalf("the targets end at %v, their form starts at %v", bottom, form)
	}
}
