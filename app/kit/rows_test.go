package kit

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// teacher is a row of a list that is not a record (as the tracer's
// graduates are): a name read from the instructors, and the instructor
// the form makes of it.
type teacher struct {
	meta  domain.Meta
	name  string
	saved *domain.Instructor
}

func (r *teacher) Base() *domain.Meta { return &r.meta }

// Records over rows that are not records: Spec.List reads each page after
// the last row shown, Spec.Stores is what is checked and saved, and Head
// and Foot stand around the form.
func TestRecordsListsRowsOfItsOwnAndSavesWhatTheyStore(t *testing.T) {
	ctx := context.Background()
	st := uitest.NewStore(t)
	// given three instructors
	for _, n := range []string{"Ahmad", "Budi", "Citra"} {
		if _, err := st.Save(ctx, &domain.Instructor{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	// and a list of them, two a page, each page read after the last row shown
	var afters []string // the last row each page was read after ("" : none)
	var name *Entry
	ui := uitest.NewRunner()
	w := test.NewTempWindow(t, nil)
	r := NewRecords(screen.Deps{Window: w, Changed: func() {}, Run: ui, Now: st.Now}, st, Spec[*teacher]{
		Columns:  []widgets.Column[*teacher]{{Title: "Nama", Text: func(r *teacher) string { return r.name }}},
		PageSize: 2,
		List: func(ctx context.Context, q store.Query, last *teacher) ([]*teacher, error) {
			q.OrderBy = "name"
			after := ""
			if last != nil {
				after = last.name
				q.Offset = 0
				q.Ranges = []store.Range{{Field: "name", From: after + "\x00", To: "\U0010FFFF"}}
			}
			afters = append(afters, after)
			ins, err := store.ListOf[*domain.Instructor](ctx, st, q)
			rows := make([]*teacher, len(ins))
			for i, in := range ins {
				rows[i] = &teacher{meta: domain.Meta{ID: "t-" + in.ID}, name: in.Name}
			}
			return rows, err
		},
		Count:  func(ctx context.Context, q store.Query) (string, error) { return "guru", nil },
		Stores: func(r *teacher) domain.Record { return r.saved },
		Head:   widget.NewLabel("di atas formulir"),
		Foot:   widget.NewLabel("di bawah formulir"),
		Fields: func(f *Form) { name = f.Entry("name", "Nama", "") },
		Blank:  func() *teacher { return &teacher{} },
		Fill:   func(r *teacher) { name.SetText(r.name) },
		Read: func(r *teacher) domain.Problems {
			r.saved = &domain.Instructor{Name: name.Text}
			return nil
		},
		Fix:   "perbaiki",
		Saved: func(r *teacher) string { return "tersimpan " + r.saved.Name },
	})
	w.SetContent(r.Content())
	w.Resize(fyne.NewSize(900, 600))
	r.Update(ctx)
	ui.Settle(t)

	// when the list has loaded (two rows: drawing them asks for the next page)
	ui.Settle(t)
	// then the next page was read after the last row shown, and follows it
	var names []string
	for _, row := range r.Table.Rows() {
		names = append(names, row.name)
	}
	if strings.Join(names, ",") != "Ahmad,Budi,Citra" || strings.Join(afters, ",") != ",Budi" || r.More() {
		t.Fatalf("rows %v, pages read after %q", names, afters)
	}
	// and the form stands between Head and Foot
	texts := strings.Join(uitest.Strings(uitest.Texts(r.FormSide())), " | ")
	if !strings.Contains(texts, "di atas formulir | Nama") || !strings.Contains(texts, "di bawah formulir") {
		t.Fatalf("form side shows %s", texts)
	}

	// when a row is opened, emptied and saved
	r.Table.Select(widget.TableCellID{Row: 1})
	name.SetText("")
	test.Tap(r.SaveButton)
	ui.Settle(t)
	// then the stored record's own rule refuses it beside the field
	if r.Form.Message("name") == "" || r.Status.Text != "perbaiki" {
		t.Fatalf("an empty instructor name is not refused: %q / %q", r.Form.Message("name"), r.Status.Text)
	}

	// when a name is typed and saved
	test.Type(name, "Dewi")
	test.Tap(r.SaveButton)
	ui.Settle(t)
	// then what the row stores is saved, and the list is read again
	ins, err := store.ListOf[*domain.Instructor](ctx, st, store.Query{OrderBy: "name"})
	if err != nil || len(ins) != 4 || ins[3].Name != "Dewi" || r.Status.Text != "tersimpan Dewi" {
		t.Fatalf("instructors %v (%v), status %q", ins, err, r.Status.Text)
	}
	if n := len(r.Table.Rows()); n != 4 {
		t.Fatalf("%d rows after the save, want all four", n)
	}
}

// The rows are shown as soon as they are read; the count, which may take
// as long again, follows.
func TestRecordsShowsRowsBeforeTheCountLands(t *testing.T) {
	ctx := context.Background()
	st := uitest.NewStore(t)
	if _, err := st.Save(ctx, &domain.Instructor{Name: "Ahmad"}); err != nil {
		t.Fatal(err)
	}
	counting := make(chan struct{})
	var name *Entry
	ui := uitest.NewRunner()
	r := NewRecords(screen.Deps{Window: test.NewTempWindow(t, nil), Changed: func() {}, Run: ui, Now: st.Now}, st, Spec[*domain.Instructor]{
		Columns: []widgets.Column[*domain.Instructor]{{Title: "Nama", Text: func(in *domain.Instructor) string { return in.Name }}},
		Count: func(ctx context.Context, q store.Query) (string, error) {
			<-counting // a slow count
			return "1 instruktur", nil
		},
		Fields: func(f *Form) { name = f.Entry("name", "Nama", "") },
		Blank:  func() *domain.Instructor { return &domain.Instructor{} },
		Fill:   func(in *domain.Instructor) { name.SetText(in.Name) },
		Read:   func(in *domain.Instructor) domain.Problems { in.Name = name.Text; return nil },
	})
	// when the list loads while the count is still being made
	r.Update(ctx)
	ui.Until(t, "the rows", func() bool { return len(r.Table.Rows()) == 1 })
	// then the rows are there and the count is not yet
	if r.Count.Text != "" {
		t.Fatalf("count %q before it was made", r.Count.Text)
	}
	// when the count is made, it is shown
	close(counting)
	ui.Until(t, "the count", func() bool { return r.Count.Text == "1 instruktur" })
}
