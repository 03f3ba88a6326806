package funding

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

var today = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}

func newScreen(t *testing.T) (*Screen, *store.Store, fyne.Window, *domain.Cohort) {
	t.Helper()
	ctx := context.Background()
	st := uitest.NewStore(t)
	st.Now = func() time.Time { return today }
	p := &domain.Programme{Name: "Menjahit", FieldCode: "JHT", TotalJP: 160, MinutesPerJP: 45}
	if _, err := st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 1, StartDate: "2026-03-02", EndDate: "2026-04-24", Quota: 16, Status: domain.CohortRunning}
	if _, err := st.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	ui = uitest.NewRunner()
	s := New(screen.Deps{Window: w, Changed: func() {}, Run: ui, Now: st.Now}, st)
	w.SetContent(s.Content())
	w.Resize(fyne.NewSize(1100, 600))
	s.Update(ctx)
	ui.Settle(t)
	return s, st, w, c
}

func TestRupiahFormatsAndParsesTheIndonesianWay(t *testing.T) {
	tests := []struct {
		n    int64
		text string
	}{{0, "0"}, {999, "999"}, {1000, "1.000"}, {1234567, "1.234.567"}, {150000000, "150.000.000"}}
	for _, tc := range tests {
		if got := Rupiah(tc.n); got != tc.text {
			t.Errorf("Rupiah(%d) = %q, want %q", tc.n, got, tc.text)
		}
		if got, ok := ParseRupiah(tc.text); !ok || got != tc.n {
			t.Errorf("ParseRupiah(%q) = %d, %v", tc.text, got, ok)
		}
	}
	for in, want := range map[string]int64{"Rp 2.500.000": 2500000, "2500000": 2500000, "2.500.000,00": 2500000} {
		if got, ok := ParseRupiah(in); !ok || got != want {
			t.Errorf("ParseRupiah(%q) = %d, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "dua juta", "2,5 juta"} {
		if _, ok := ParseRupiah(bad); ok {
			t.Errorf("ParseRupiah(%q) accepted", bad)
		}
	}
}

func TestRecordingFundingForACohort(t *testing.T) {
	ctx := context.Background()
	// given the funding screen of a centre with one cohort
	s, st, _, cohort := newScreen(t)
	save := findButton(s.Content(), i18n.T("common.save"))

	// when an amount in words is typed and saved
	test.Type(s.source, "Kemnaker (APBN)")
	test.Type(s.amount, "seratus juta")
	tap(t, save)

	// then the amount's message is beside it and nothing is stored
	if got := s.Form.Message("amount"); got != i18n.T("fund.not_amount") {
		t.Fatalf("message beside amount = %q", got)
	}
	if n, _ := st.Count(ctx, domain.LookupTable("funding"), store.Query{}); n != 0 {
		t.Fatalf("%d funding stored", n)
	}

	// when the amount is typed with dots, the cohort chosen, and saved
	s.amount.SetText("")
	test.Type(s.amount, "150.000.000")
	s.cohort.SetValue(cohort.ID)
	s.kind.Select.SetSelected(domain.ChoiceLabel("funding.source_kind", "government_grant", domain.Indonesian))
	test.Type(s.received, "10/02/2026")
	tap(t, save)

	// then the funding is stored in rupiah, linked to the cohort, and listed formatted
	got, _ := store.ListOf[*domain.Funding](ctx, st, store.Query{})
	if len(got) != 1 || got[0].Amount != 150000000 || got[0].Year != 2026 || got[0].CohortID != cohort.ID || got[0].Source != "Kemnaker (APBN)" || got[0].ReceivedOn != "2026-02-10" ||
		got[0].SourceKind != "government_grant" {
		t.Fatalf("stored %+v", got)
	}
	if s.Count.Text != "1 catatan · jumlah Rp150.000.000" {
		t.Fatalf("count = %q", s.Count.Text)
	}
	// and the form side shows what was saved (the shared list table has its own tests)
	// each field's label over what it now holds (the amount grouped, the
	// cohort by name, the date as typed in the Indonesian way), then the
	// buttons and a green "saved"
	want := []string{
		"Sumber dana", "Kemnaker (APBN)",
		"Jenis sumber dana", "Bantuan pemerintah",
		"Jumlah (Rp)", "150.000.000",
		"Tahun anggaran", "2026",
		"Untuk angkatan", "Menjahit 2026/1",
		"Tanggal diterima", "10-02-2026",
		"Catatan",
		"Simpan | Hapus",
		"Pendanaan dari Kemnaker (APBN) tersimpan",
	}
	uitest.AssertLines(t, "the form", s.FormSide(), want)
	if s.Status.Importance != widget.SuccessImportance {
		t.Errorf("the saved status is not green: importance %v", s.Status.Importance)
	}
}

// manyFunding stores n funding records of 1.000.000 × (i+1) rupiah.
func manyFunding(t *testing.T, st *store.Store, n int) {
	t.Helper()
	err := st.Write(context.Background(), func(tx *store.Tx) error {
		for i := 0; i < n; i++ {
			f := &domain.Funding{Source: fmt.Sprintf("Donatur %03d", i), Amount: int64(i+1) * 1000000, Year: 2020 + int64(i%7)}
			if _, err := tx.Save(f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestListPagesThroughMoreFundingThanOnePage(t *testing.T) {
	ctx := context.Background()
	// given more funding than one page holds
	s, st, _, _ := newScreen(t)
	n := PageSize + 30
	manyFunding(t, st, n)

	// when the screen loads
	s.Update(ctx)
	ui.Settle(t)

	// then it holds the first page, newest year first, and counts and adds up every record
	rows := s.Table.Rows()
	if len(rows) != PageSize || !s.More() {
		t.Fatalf("%d rows after loading (more %v), want one page of %d", len(rows), s.More(), PageSize)
	}
	if rows[0].Year != 2026 || rows[len(rows)-1].Year > rows[0].Year {
		t.Fatalf("first page from year %d to %d, want the newest first", rows[0].Year, rows[len(rows)-1].Year)
	}
	sum := int64(n*(n+1)/2) * 1000000
	if want := i18n.Count("fund.count", n, Rupiah(sum)); s.Count.Text != want {
		t.Fatalf("count %q, want %q", s.Count.Text, want)
	}

	// when the operator scrolls to the end of the list
	s.Table.ScrollToBottom()
	ui.Settle(t)

	// then the next page follows the first, nobody twice, and there is no more
	rows = s.Table.Rows()
	seen := map[string]bool{}
	for i, f := range rows {
		if seen[f.ID] || (i > 0 && f.Year > rows[i-1].Year) {
			t.Fatalf("row %d (%s, %d) repeated or out of order", i, f.Source, f.Year)
		}
		seen[f.ID] = true
	}
	if len(rows) != n || s.More() {
		t.Fatalf("%d rows after scrolling to the end (more %v), want %d", len(rows), s.More(), n)
	}

	// when the amount header is tapped
	s.Table.SortBy(1)
	ui.Settle(t)

	// then the store sorts: the first page starts with the smallest amount of all
	rows = s.Table.Rows()
	if len(rows) != PageSize || rows[0].Amount != 1000000 || rows[1].Amount != 2000000 {
		t.Fatalf("sorted by amount: %d rows starting %v", len(rows), rows[:2])
	}
	// and again: the largest first
	s.Table.SortBy(1)
	ui.Settle(t)
	if rows = s.Table.Rows(); rows[0].Amount != int64(n)*1000000 {
		t.Fatalf("sorted by amount, descending: starts with %d", rows[0].Amount)
	}
}

func TestClosedFundingScreenLetsGoOfItsRecords(t *testing.T) {
	// given the funding screen with records and cohort choices loaded
	s, st, _, _ := newScreen(t)
	manyFunding(t, st, PageSize+1)
	s.Update(context.Background())
	ui.Settle(t)
	if len(s.Table.Rows()) != PageSize || len(s.cohorts) != 1 {
		t.Fatalf("loaded %d rows, %d cohorts", len(s.Table.Rows()), len(s.cohorts))
	}
	// when the shell drops it (as on a language switch)
	s.Close()
	// then it holds no records or cohorts and reads no more
	s.Table.ScrollToBottom()
	ui.Settle(t)
	if len(s.Table.Rows()) != 0 || s.cohorts != nil || s.More() || len(s.cohort.Select.Options) != 1 {
		t.Fatalf("after Close: %d rows, %d cohorts, more %v, %d choices", len(s.Table.Rows()), len(s.cohorts), s.More(), len(s.cohort.Select.Options))
	}
}

// ui runs the screen's work as the app would: on goroutines of its own, with
// UI work run on the test goroutine by Settle (see uitest).
var ui *uitest.Runner

// tap taps o and lets the work it started finish.
func tap(t *testing.T, o fyne.Tappable) {
	t.Helper()
	test.Tap(o)
	ui.Settle(t)
}
