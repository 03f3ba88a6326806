package partners

import (
	"context"
	"os"
	"reflect"
	"slices"
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

func newScreen(t *testing.T) (*Screen, *store.Store, fyne.Window) {
	t.Helper()
	ctx := context.Background()
	st := uitest.NewStore(t)
	st.Now = func() time.Time { return today }
	w := test.NewTempWindow(t, nil)
	ui = uitest.NewRunner()
	s := New(screen.Deps{Window: w, Changed: func() {}, Run: ui, Now: st.Now}, st)
	w.SetContent(s.Content())
	w.Resize(fyne.NewSize(1000, 640))
	s.Update(ctx)
	ui.Settle(t)
	return s, st, w
}

func TestMoUStateOnToday(t *testing.T) {
	tests := []struct {
		end  string
		want MoUState
	}{
		{"", MoUNone},
		{"bukan tanggal", MoUNone},
		{"2026-11-26", MoUExpired},
		{"2026-11-27", MoUExpiring},
		{"2027-01-26", MoUExpiring}, // 60 days ahead
		{"2027-01-27", MoUActive},
	}
	for _, tc := range tests {
		if got := StateOf(tc.end, today); got != tc.want {
			t.Errorf("StateOf(%q) = %v, want %v", tc.end, got, tc.want)
		}
	}
}

func TestCreatingAPartnerRefusesAnInvalidDateAndSavesNothing(t *testing.T) {
	ctx := context.Background()
	// given the partner screen on an empty centre
	s, st, _ := newScreen(t)

	// when a partner with an impossible MoU end date is typed and saved
	test.Type(s.name, "PT Maju Jaya Konveksi")
	s.typ.SetValue(domain.PartnerIndustry)
	s.category.Select.SetSelected(domain.ChoiceLabel("partners.category", "industry", domain.Indonesian))
	test.Type(s.mouNo, "MoU/012/2026")
	test.Type(s.start, "10-01-2026") // as Indonesians write dates
	test.Type(s.end, "2026-13-45")
	test.Type(s.phone, "0812-3456-7890")
	tap(t, saveButton(t, s))

	// then the date's message is beside the field and nothing is saved
	if got, want := s.Form.Message("mou_end"), (domain.Problem{Code: "problem.date.invalid"}).Message(domain.Indonesian); got != want {
		t.Fatalf("message beside MoU end = %q", got)
	}
	if n, _ := st.Count(ctx, domain.LookupTable("partners"), store.Query{}); n != 0 {
		t.Fatalf("%d partners saved, want 0", n)
	}

	// when the date is corrected and saved again
	s.end.SetText("")
	test.Type(s.end, "5 Januari 2027")
	tap(t, saveButton(t, s))

	// then exactly that partner is stored, phone in +62 form, and listed amber
	got, err := store.ListOf[*domain.Partner](ctx, st, store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("%d partners saved, want 1", len(got))
	}
	p := got[0]
	if p.Name != "PT Maju Jaya Konveksi" || p.Type != domain.PartnerIndustry || p.Category != "industry" ||
		p.MoUStart != "2026-01-10" || p.MoUEnd != "2027-01-05" || p.Phone != "+6281234567890" || p.MoUNumber != "MoU/012/2026" {
		t.Fatalf("stored %+v", p)
	}
	if s.Form.Message("mou_end") != "" {
		t.Fatalf("message left beside MoU end: %q", s.Form.Message("mou_end"))
	}
	if rows := s.Table.Rows(); len(rows) != 1 || StateOf(rows[0].MoUEnd, s.today) != MoUExpiring {
		t.Fatalf("list rows = %+v", rows)
	}
}

func TestEditingAPartnerChangesOnlyThatPartner(t *testing.T) {
	ctx := context.Background()
	// given two saved partners
	s, st, _ := newScreen(t)
	for _, name := range []string{"UMKM Batik Sari", "Yayasan Peduli"} {
		if _, err := st.Save(ctx, &domain.Partner{Name: name, Type: domain.PartnerUMKM}); err != nil {
			t.Fatal(err)
		}
	}
	s.Update(ctx)
	ui.Settle(t)

	// when the first is selected, its scope typed, and saved
	s.Edit(s.Table.Rows()[0])
	test.Type(s.scope, "Magang menjahit")
	tap(t, saveButton(t, s))

	// then only it changed
	got, _ := store.ListOf[*domain.Partner](ctx, st, store.Query{OrderBy: "name"})
	if len(got) != 2 || got[0].Scope != "Magang menjahit" || got[1].Scope != "" {
		t.Fatalf("stored %+v %+v", got[0], got[1])
	}
}

func TestPartnerListMarksEndedAndEndingMoUs(t *testing.T) {
	ctx := context.Background()
	// given partners with an ended, an ending and a running MoU
	s, st, _ := newScreen(t)
	for _, p := range []*domain.Partner{
		{Name: "CV Las Sejahtera", Type: domain.PartnerIndustry, MoUEnd: "2026-10-01"},
		{Name: "Dinas Tenaga Kerja", Type: domain.PartnerGovernment, MoUEnd: "2026-12-20"},
		{Name: "UMKM Batik Sari", Type: domain.PartnerUMKM, MoUEnd: "2028-06-30"},
	} {
		if _, err := st.Save(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	// when the screen loads
	s.Update(ctx)
	ui.Settle(t)
	// then it shows the partners, and an empty form
	// the list: name, type and MoU end, the end red once past and amber
	// within 60 days
	type cell struct {
		text string
		imp  widget.Importance
	}
	want := [][]cell{
		{{"Nama mitra", widget.MediumImportance}, {"Jenis", widget.MediumImportance}, {"Akhir MoU", widget.MediumImportance}},
		{{"CV Las Sejahtera", widget.MediumImportance}, {"Industri", widget.MediumImportance}, {"01-10-2026 (berakhir)", widget.DangerImportance}},
		{{"Dinas Tenaga Kerja", widget.MediumImportance}, {"Pemerintah", widget.MediumImportance}, {"20-12-2026 (≤ 60 hari)", widget.WarningImportance}},
		{{"UMKM Batik Sari", widget.MediumImportance}, {"UMKM", widget.MediumImportance}, {"30-06-2028", widget.MediumImportance}},
	}
	var got [][]cell
	for _, r := range uitest.Rows(uitest.Texts(s.Table)) {
		var row []cell
		for _, x := range r {
			row = append(row, cell{x.Text, x.Importance})
		}
		got = append(got, row)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the list reads %v, want %v", got, want)
	}
	if s.Count.Text != "3 mitra" {
		t.Errorf("count %q", s.Count.Text)
	}
	// the form: the fields in this order, then Save and Delete
	var labels []string
	for _, x := range uitest.Texts(s.FormSide()) {
		if x.Label && x.Text != "" && x.Importance == widget.MediumImportance {
			labels = append(labels, x.Text)
		}
	}
	wantLabels := []string{"Nama mitra", "Jenis", "Kategori mitra", "No. MoU", "Mulai MoU", "Akhir MoU", "Ruang lingkup", "Narahubung", "No. telepon"}
	if !slices.Equal(labels, wantLabels) {
		t.Errorf("the form's fields are %q, want %q", labels, wantLabels)
	}
	texts := uitest.Strings(uitest.Texts(s.FormSide()))
	if !slices.Contains(texts, "Simpan") || !slices.Contains(texts, "Hapus") {
		t.Errorf("the form lacks Simpan and Hapus: %q", texts)
	}
}

func saveButton(t *testing.T, s *Screen) fyne.Tappable {
	t.Helper()
	b := findButton(s.Content(), i18n.T("common.save"))
	if b == nil {
		t.Fatal("no save button")
	}
	return b
}

func TestEnterSavesAndNewRecordStartsAnEmptyForm(t *testing.T) {
	ctx := context.Background()
	// given a partner typed into the form
	s, st, w := newScreen(t)
	test.Type(s.name, "Koperasi Pesantren")
	s.typ.SetValue(domain.PartnerUMKM)

	// when Enter is pressed in the name field
	s.name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	ui.Settle(t)

	// then the partner is saved
	if n, _ := st.Count(ctx, domain.LookupTable("partners"), store.Query{}); n != 1 {
		t.Fatalf("%d partners after Enter, want 1", n)
	}

	// when a new record is asked for (Ctrl+N)
	s.NewRecord()

	// then the form is empty, for a new partner, with the name focused
	if _, open := s.Current(); open || s.name.Text != "" || s.typ.Value() != "" || w.Canvas().Focused() != s.name {
		t.Fatalf("form not reset: open %v name %q focused %v", open, s.name.Text, w.Canvas().Focused())
	}
}

func TestOpeningAPartnerWithAnEndedMoUFlagsIt(t *testing.T) {
	ctx := context.Background()
	// given a partner whose MoU ended
	s, st, _ := newScreen(t)
	if _, err := st.Save(ctx, &domain.Partner{Name: "CV Las Sejahtera", Type: domain.PartnerIndustry, MoUEnd: "2026-10-01"}); err != nil {
		t.Fatal(err)
	}
	s.Update(ctx)
	ui.Settle(t)

	// when it is opened
	s.Edit(s.Table.Rows()[0])

	// then the end date carries the warning, and saving is still allowed
	if got := s.Form.Message("mou_end"); got != "⚠ MoU sudah berakhir pada 01-10-2026" {
		t.Fatalf("message beside MoU end = %q", got)
	}
	test.Type(s.scope, "Praktik kerja las")
	tap(t, saveButton(t, s))
	got, _ := store.ListOf[*domain.Partner](ctx, st, store.Query{})
	if len(got) != 1 || got[0].Scope != "Praktik kerja las" {
		t.Fatalf("stored %+v", got)
	}
}

func TestClosedPartnerScreenLetsGoOfItsPartners(t *testing.T) {
	ctx := context.Background()
	// given the partner screen with a partner listed
	s, st, _ := newScreen(t)
	if _, err := st.Save(ctx, &domain.Partner{Name: "PT Maju Jaya", Type: domain.PartnerFunder}); err != nil {
		t.Fatal(err)
	}
	s.Update(ctx)
	ui.Settle(t)
	if len(s.Table.Rows()) != 1 {
		t.Fatalf("%d partners listed", len(s.Table.Rows()))
	}
	// when the shell drops it (as on a language switch) and a load lands afterwards
	s.Close()
	s.Update(ctx)
	ui.Settle(t)
	// then it holds no partners
	if rows, _ := s.Table.Length(); rows != 0 {
		t.Fatalf("after Close: %d partners", rows)
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
