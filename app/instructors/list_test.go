package instructors

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// The list-and-detail kit (kit.Records) tested through the instructor
// screen on a real store.

// nameOf is the name of the i-th test instructor: names hold letters only,
// and sort as i does.
func nameOf(i int) string {
	return "Instruktur " + string(rune('A'+i/676)) + string(rune('a'+i/26%26)) + string(rune('a'+i%26))
}

// addInstructors stores n instructors nameOf(1)… straight into st.
func addInstructors(t *testing.T, st *store.Store, n int, field string) {
	t.Helper()
	for i := 1; i <= n; i++ {
		if _, err := st.Save(context.Background(), &domain.Instructor{Name: nameOf(i), FieldCode: field}); err != nil {
			t.Fatal(err)
		}
	}
}

func names(s *Screen) []string {
	var out []string
	for _, in := range s.Table.Rows() {
		out = append(out, in.Name)
	}
	return out
}

func TestTheListReadsPagesAsTheOperatorScrolls(t *testing.T) {
	s, st := newScreen(t)
	addInstructors(t, st, kit.PageSize+50, "LAS")
	s.Update(context.Background())
	ui.Settle(t)
	// one page is read, and the count says how many there are
	if got := len(s.Table.Rows()); got != kit.PageSize || !s.More() {
		t.Fatalf("first load: %d rows, more %v", got, s.More())
	}
	if s.Count.Text != i18n.Count("instr.count", kit.PageSize+50) {
		t.Fatalf("count %q", s.Count.Text)
	}
	// scrolling to the end reads the rest
	s.Table.ScrollToBottom()
	ui.Settle(t)
	if got := len(s.Table.Rows()); got != kit.PageSize+50 || s.More() {
		t.Fatalf("after scrolling: %d rows, more %v", got, s.More())
	}
	if n := names(s); n[0] != nameOf(1) || n[len(n)-1] != nameOf(kit.PageSize+50) {
		t.Fatalf("order %s … %s", n[0], n[len(n)-1])
	}
}

func TestSearchAndSortGoToTheStore(t *testing.T) {
	s, st := newScreen(t)
	addInstructors(t, st, 12, "LAS")
	if _, err := st.Save(context.Background(), &domain.Instructor{Name: "Zainab Putri", FieldCode: "TIK", Certification: "Asesor TIK"}); err != nil {
		t.Fatal(err)
	}
	s.Update(context.Background())
	ui.Settle(t)

	// typing in the search box keeps the instructors it matches
	test.Type(s.Search, "tik")
	ui.Settle(t)
	if n := names(s); len(n) != 1 || n[0] != "Zainab Putri" || s.Count.Text != "1 instruktur" {
		t.Fatalf("search tik: %v, %q", n, s.Count.Text)
	}
	s.Search.SetText("INSTRUKTUR AA")
	ui.Settle(t)
	if n := names(s); len(n) != 12 {
		t.Fatalf("search 'instruktur 01': %v", n)
	}

	// tapping the name header twice sorts by name descending, in the store
	s.Search.SetText("")
	ui.Settle(t)
	s.Table.SortBy(0) // was already the store's order: now by name ascending
	ui.Settle(t)
	s.Table.SortBy(0)
	ui.Settle(t)
	if n := names(s); n[0] != "Zainab Putri" || n[len(n)-1] != nameOf(1) {
		t.Fatalf("by name descending: %v", n)
	}
	// and by field code
	s.Table.SortBy(1)
	ui.Settle(t)
	if n := names(s); n[len(n)-1] != "Zainab Putri" {
		t.Fatalf("by field: %v", n)
	}
}

// heldRunner holds the work screens start so a test can run it in the
// order it wants: the stale-load guard is tested without timing.
type heldRunner struct {
	screen.Runner
	held []func()
}

func (h *heldRunner) Go(work func()) { h.held = append(h.held, work) }

func TestALoadOvertakenByANewerOneIsDropped(t *testing.T) {
	s, st := newScreen(t)
	addInstructors(t, st, 3, "LAS")
	if _, err := st.Save(context.Background(), &domain.Instructor{Name: "Zainab Putri", FieldCode: "TIK"}); err != nil {
		t.Fatal(err)
	}
	h := &heldRunner{Runner: ui}
	w := test.NewTempWindow(t, nil)
	s2 := New(screen.Deps{Window: w, Changed: func() {}, Run: h, Now: st.Now}, st)
	// the operator types "ins", then "zai": two loads on their way
	s2.Search.SetText("ins")
	s2.Search.SetText("zai")
	if len(h.held) != 2 {
		t.Fatalf("%d loads held", len(h.held))
	}
	// the newer load lands first, the older one after it
	ui.Go(h.held[1])
	ui.Settle(t)
	ui.Go(h.held[0])
	ui.Settle(t)
	if n := names(s2); len(n) != 1 || n[0] != "Zainab Putri" {
		t.Fatalf("list shows %v: the older load overwrote the newer", n)
	}
	_ = s
}

func TestARefreshKeepsTheOpenRecordTheFormAndTheRowsShown(t *testing.T) {
	ctx := context.Background()
	s, st := newScreen(t)
	addInstructors(t, st, kit.PageSize+30, "LAS")
	s.Update(ctx)
	ui.Settle(t)
	s.Table.ScrollToBottom()
	ui.Settle(t)
	open := s.Table.Rows()[220]
	s.Edit(open)
	s.cert.SetText("Asesor BNSP (belum disimpan)")

	// when another write (an import, a pull) adds an instructor and the
	// shell tells the screen
	if _, err := st.Save(ctx, &domain.Instructor{Name: "Ahmad Baru", FieldCode: "TIK"}); err != nil {
		t.Fatal(err)
	}
	s.DataChanged(ctx, store.Changed{Tables: []string{"instructors"}})
	ui.Settle(t)

	// then the new one is listed, every row shown before is still there
	// (so the scroll position stays), the same record is open and marked,
	// and the form keeps what was typed
	if got := len(s.Table.Rows()); got != kit.PageSize+31 {
		t.Fatalf("%d rows after refresh", got)
	}
	cur, ok := s.Current()
	if !ok || cur.ID != open.ID || s.cert.Text != "Asesor BNSP (belum disimpan)" {
		t.Fatalf("open %v %q, form %q", ok, cur.Name, s.cert.Text)
	}
	marked := 0
	for _, in := range s.Table.Rows() {
		if s.Table.Marked(in) {
			marked++
			if in.ID != open.ID {
				t.Fatalf("marked %q", in.Name)
			}
		}
	}
	if marked != 1 {
		t.Fatalf("%d rows marked", marked)
	}
	// a change to another table does not reload
	s.DataChanged(ctx, store.Changed{Tables: []string{"trainees"}})
	if n := ui.Settle(t); n != 0 {
		t.Fatalf("%d UI updates for an unrelated change", n)
	}
}

func TestDeletingAsksFirstAndNoKeepsTheRecord(t *testing.T) {
	ctx := context.Background()
	s, st := newScreen(t)
	addInstructors(t, st, 2, "LAS")
	s.Update(ctx)
	ui.Settle(t)
	s.Edit(s.Table.Rows()[0])
	del := findButton(s.Content(), i18n.T("common.delete"))

	// "No" keeps it
	tap(t, del)
	tap(t, dialogButton(t, s, "No"))
	if n, _ := st.Count(ctx, domain.LookupTable("instructors"), store.Query{}); n != 2 {
		t.Fatalf("%d after No", n)
	}
	// "Yes" deletes it, empties the form and relists
	tap(t, del)
	tap(t, dialogButton(t, s, "Yes"))
	if n, _ := st.Count(ctx, domain.LookupTable("instructors"), store.Query{}); n != 1 || len(s.Table.Rows()) != 1 {
		t.Fatalf("%d stored, %d listed after Yes", n, len(s.Table.Rows()))
	}
	if _, ok := s.Current(); ok || s.name.Text != "" || !del.Disabled() {
		t.Fatalf("form after delete: open %v, name %q", ok, s.name.Text)
	}
	if s.Status.Text != i18n.T("instr.deleted", nameOf(1)) {
		t.Fatalf("status %q", s.Status.Text)
	}
}

// dialogButton is the button labelled text of the dialog on top of s's window.
func dialogButton(t *testing.T, s *Screen, text string) *widget.Button {
	t.Helper()
	top := fyne.CurrentApp().Driver().CanvasForObject(s.Content()).Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	t.Fatalf("no %q in the dialog", text)
	return nil
}

var _ fyne.Tappable = (*widget.Button)(nil)

func TestTheFormGoesUnderTheListInANarrowWindow(t *testing.T) {
	s, _ := newScreen(t)
	split := s.Content().(*fyne.Container).Objects[0].(*container.Split)
	if !split.Horizontal {
		t.Fatal("side by side at 1000 px: the form is under the list")
	}
	s.Content().Resize(fyne.NewSize(560, 640))
	if split.Horizontal {
		t.Fatal("at 560 px the form is still beside the list")
	}
	s.Content().Resize(fyne.NewSize(1000, 640))
	if !split.Horizontal {
		t.Fatal("wide again: the form stays under the list")
	}
}
