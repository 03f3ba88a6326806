package kemandirian

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

var today = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// TestRecordingIncomeMovesTheOwnIncomeCriterion: the operator records a
// paid-training income line on the screen; the own-income criterion's
// value and bar move from 0 % to 20 % of the year's funding, and it is met.
func TestRecordingIncomeMovesTheOwnIncomeCriterion(t *testing.T) {
	ctx := context.Background()
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = func() time.Time { return today }
	if _, err := st.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren"}); err != nil {
		t.Fatal(err)
	}
	// given a grant of Rp 80 million this year and no own income
	if _, err := st.Save(ctx, &domain.Funding{Source: "APBN", Amount: 80_000_000, Year: 2026, ReceivedOn: "2026-02-01", SourceKind: "government_grant"}); err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	run := uitest.NewRunner()
	s := New(screen.Deps{Window: w, Store: st, Changed: func() {}, Run: run})
	w.SetContent(s.Content())
	w.Resize(fyne.NewSize(1024, 700))
	s.Update(ctx)
	run.Settle(t)
	dana := s.Assessment().Criterion(domain.CriterionDana)
	if dana.Met || dana.Value != 0 || s.Bar(domain.CriterionDana).Value != 0 {
		t.Fatalf("before: %+v", dana)
	}
	if s.Assessment().Level != domain.LevelTumbuh || len(s.Assessment().Next) == 0 || !strings.Contains(s.next.Text, "1. ") {
		t.Fatalf("an empty centre says what to do first: %q", s.next.Text)
	}

	// when the operator records Rp 20.000.000 of paid training
	s.category.Select.SetSelected(domain.ChoiceLabel("ledger_lines.ledger_category", "paid_training", domain.Indonesian))
	test.Type(s.amount, "20.000.000")
	test.Type(s.unit, "Pelatihan berbayar")
	s.save()
	run.Settle(t)

	// then it is saved, and the criterion reads 20 % of a 20 % target: met
	if !strings.Contains(s.status.Text, "Rp20.000.000") {
		t.Fatalf("status: %q", s.status.Text)
	}
	dana = s.Assessment().Criterion(domain.CriterionDana)
	if !dana.Met || dana.Value != 20 || s.Bar(domain.CriterionDana).Value != 20 {
		t.Fatalf("after: %+v, bar %v", dana, s.Bar(domain.CriterionDana).Value)
	}
	lines, err := store.ListOf[*domain.LedgerLine](ctx, st, store.Query{})
	if err != nil || len(lines) != 1 || lines[0].Amount != 20_000_000 || lines[0].Date != "2026-11-27" || lines[0].Direction != domain.LedgerIncome {
		t.Fatalf("ledger: %+v %v", lines, err)
	}

	// and an expense with an income category is refused, beside its field
	s.direction.SetValue(domain.LedgerExpense)
	s.category.Select.SetSelected(domain.ChoiceLabel("ledger_lines.ledger_category", "paid_training", domain.Indonesian))
	test.Type(s.amount, "5000")
	s.save()
	run.Settle(t)
	if msg := s.form.Message("ledger_category"); !strings.Contains(msg, "pengeluaran") {
		t.Fatalf("category problem: %q", msg)
	}
	if lines, _ := store.ListOf[*domain.LedgerLine](ctx, st, store.Query{}); len(lines) != 1 {
		t.Fatalf("a refused line was saved: %d lines", len(lines))
	}
}
