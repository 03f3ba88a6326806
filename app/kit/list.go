package kit

import (
	"context"
	"reflect"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// PageSize is how many records one list query reads when a Spec does not
// say: the list reads the next page when the operator scrolls near its end.
const PageSize = 200

// Spec is what a record screen tells Records about its records: the
// columns of the list, the fields of the form, and how a record goes into
// the form and comes back out of it. Everything else (paging, search, sort,
// the stale-load guard, new, save, delete with confirmation, refresh on a
// data change) is Records'.
type Spec[T domain.Record] struct {
	// Columns of the list; a column with a Key sorts in the store by that field.
	Columns []widgets.Column[T]
	// OrderBy and Desc are the list's first order (a field of T's table).
	OrderBy string
	Desc    bool
	// SearchIn are the fields the search box looks in; none: no search box.
	SearchIn []string
	// PageSize is how many rows one query reads (0: PageSize).
	PageSize int
	// Narrow, when set, adds the conditions chosen on the screen now (the
	// ledger's year) to the list's query; called on the UI goroutine.
	Narrow func(q *store.Query)
	// Tools are controls put beside the search box (the ledger's year),
	// or across the row when there is none (the tracer's filter).
	Tools []fyne.CanvasObject
	// List, when set, reads a page of the list instead of store.ListOf:
	// rows that are not one table's records (the tracer's graduates, a
	// join), or paged by the last row shown rather than by q.Offset. last
	// is the zero T on the first page. With List, set Count too.
	List func(ctx context.Context, q store.Query, last T) ([]T, error)
	// Tables are the tables whose change reloads the list (DataChanged):
	// T's own and those the list or the form's choices show.
	Tables []string

	// Fields adds the form's fields to f (called once, by NewRecords).
	Fields func(f *Form)
	// Blank is the record a new form starts from.
	Blank func() T
	// Fill shows rec in the form (the form's Check is off meanwhile).
	Fill func(rec T)
	// Read copies the form's values into rec (a copy of the record open,
	// or a Blank) and returns problems of values it could not read.
	Read func(rec T) domain.Problems
	// Stores, when set, is the stored record the form's record becomes:
	// what the domain checks and Save writes, when T is a row of the list
	// rather than a record (the tracer's graduate and the answer recorded
	// for them). Without it, T itself is checked and saved.
	Stores func(rec T) domain.Record
	// Head and Foot, when set, stand above and below the form's fields,
	// in its scroll (the tracer's contact line, its employer form).
	Head, Foot fyne.CanvasObject
	// Check, when set, adds the screen's own findings to the domain's.
	Check func(rec T) domain.Problems
	// CheckOnOpen shows what is wrong with a stored record when it is opened.
	CheckOnOpen bool

	// Extra, when set, reads what the screen needs besides the rows (the
	// form's choices) off the UI goroutine at each Update; the func it
	// returns runs on the UI goroutine before the rows are shown.
	Extra func(ctx context.Context) (func(), error)
	// Count, when set, makes the count line off the UI goroutine from the
	// list's query without paging; otherwise CountText of store.Count.
	Count     func(ctx context.Context, q store.Query) (string, error)
	CountText func(n int) string

	// Texts: the new button, the status when the form has problems, and
	// what is said after saving, before deleting and after deleting rec.
	NewLabel                        string
	Fix                             string
	Saved, ConfirmDelete, Deleted   func(rec T) string
	SplitOffset                     float64 // where the list ends (0: 0.45)
	NarrowWidth                     float32 // below it the form goes under the list (0: 600)
	AfterSave, AfterDelete, Refresh func()  // optional: the screen's own follow-ups
}

// Records is the list-and-detail screen kit: a table paged over the store
// with a search box and sortable headers, and a Form beside it (under it at
// narrow widths) with New, Save and Delete. Loads run off the UI goroutine
// with the screen's Runner; a load overtaken by a newer one is dropped; a
// refresh after a data change keeps the open record marked, the form as
// typed and as many rows as were shown, so the scroll position stays.
type Records[T domain.Record] struct {
	spec  Spec[T]
	deps  screen.Deps
	st    Store // the only way the kit reaches the store
	loads Loader

	Table        *widgets.Table[T]
	Form         *Form
	Search       *widgets.Entry // nil when Spec.SearchIn is empty
	Count        *widget.Label
	Status       *widget.Label
	NewButton    *widget.Button
	SaveButton   *widget.Button
	DeleteButton *widget.Button
	root         fyne.CanvasObject
	right        fyne.CanvasObject

	current T
	open    bool // current is a stored record (not a new form)
	orderBy string
	desc    bool
	more    bool // the last page was full: there may be more rows
	pending bool // a next page is on its way
}

// NewRecords builds the list and the form from spec over st (the screen's
// own Store, which embeds the kit's); call Update to load it.
func NewRecords[T domain.Record](deps screen.Deps, st Store, spec Spec[T]) *Records[T] {
	if spec.PageSize <= 0 {
		spec.PageSize = PageSize
	}
	r := &Records[T]{spec: spec, deps: deps, st: st, orderBy: spec.OrderBy, desc: spec.Desc}
	r.Count = widget.NewLabel("")
	r.Table = widgets.NewTable(spec.Columns)
	r.Table.OnSelected = r.Edit
	r.Table.Marked = func(rec T) bool { return r.open && rec.Base().ID == r.current.Base().ID }
	r.Table.NearEnd = r.loadMore
	r.Table.OnSort = func(key string, desc bool) {
		r.orderBy, r.desc = key, desc
		r.reload()
	}
	r.Form = New()
	spec.Fields(r.Form)
	r.Form.Check = r.check
	r.Form.Submit = r.save
	r.Form.Cancel = r.NewRecord
	r.Status = Label(&widget.Label{Wrapping: fyne.TextWrapWord})
	r.SaveButton = Button(&widget.Button{Text: i18n.T("common.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: r.save})
	r.DeleteButton = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), r.confirmDelete)
	r.NewButton = widget.NewButtonWithIcon(spec.NewLabel, theme.ContentAddIcon(), r.NewRecord)
	r.edit(spec.Blank(), false)

	r.Count.Wrapping = fyne.TextWrapWord // a count with totals wraps rather than widening the list
	top := container.NewVBox(container.NewBorder(nil, nil, r.NewButton, nil, r.Count))
	var search fyne.CanvasObject
	if len(spec.SearchIn) > 0 {
		r.Search = widgets.NewEntry() // Ctrl+N and Ctrl+F reach the window from it
		r.Search.PlaceHolder = i18n.T("kitlist.search")
		r.Search.ActionItem = widget.NewIcon(theme.SearchIcon())
		r.Search.OnChanged = func(string) { r.reload() }
		search = r.Search
	}
	switch {
	case len(spec.Tools) > 0 && search == nil: // the tools have the row
		top.Add(container.NewGridWithRows(1, spec.Tools...))
	case len(spec.Tools) > 0:
		top.Add(container.NewBorder(nil, nil, nil, container.NewHBox(spec.Tools...), search))
	case search != nil:
		top.Add(search)
	}
	left := container.NewBorder(top, nil, nil, nil, r.Table)
	form := r.Form.Content()
	if spec.Head != nil || spec.Foot != nil {
		var parts []fyne.CanvasObject
		for _, o := range []fyne.CanvasObject{spec.Head, form, spec.Foot} {
			if o != nil {
				parts = append(parts, o)
			}
		}
		form = container.NewVBox(parts...)
	}
	r.Form.scroll = container.NewVScroll(form)
	right := container.NewBorder(nil, container.NewVBox(container.NewHBox(r.SaveButton, r.DeleteButton), r.Status), nil, nil, r.Form.scroll)
	split := container.NewHSplit(left, right)
	split.Offset = spec.SplitOffset
	if split.Offset == 0 {
		split.Offset = 0.45
	}
	narrow := spec.NarrowWidth
	if narrow == 0 {
		narrow = 600
	}
	r.right = right
	r.root = container.New(&turning{split: split, narrow: narrow}, split)
	return r
}

// Content is the list and form.
func (r *Records[T]) Content() fyne.CanvasObject { return r.root }

// FormSide is the form with its buttons and status line (for goldens).
func (r *Records[T]) FormSide() fyne.CanvasObject { return r.right }

// Current is the record open in the form; ok is false for a new one.
func (r *Records[T]) Current() (rec T, ok bool) { return r.current, r.open }

// Update reloads the list (as many rows as are shown, at least a page),
// its count and the screen's Extra off the UI goroutine.
func (r *Records[T]) Update(ctx context.Context) { r.load(ctx, true, true) }

// DataChanged (screen.Watcher) reloads when one of Spec.Tables changed;
// the form keeps what is typed in it and the open record stays marked.
func (r *Records[T]) DataChanged(ctx context.Context, c store.Changed) {
	if c.Has(r.spec.Tables...) {
		r.Update(ctx)
	}
}

// Close drops loads still on their way and lets go of the rows (the shell
// rebuilds screens on a language switch).
func (r *Records[T]) Close() {
	r.loads.Close()
	r.more, r.pending = false, false
	r.Table.SetRows(nil)
}

// HasSearch says whether the list has a search box (Spec.SearchIn).
func (r *Records[T]) HasSearch() bool { return r.Search != nil }

// FocusSearch puts the cursor in the search box (Ctrl+F), when there is one.
func (r *Records[T]) FocusSearch() {
	if r.Search != nil && r.deps.Window != nil {
		r.deps.Window.Canvas().Focus(r.Search)
	}
}

// NewRecord empties the form for a new record and puts the cursor in its
// first field (Ctrl+N, Escape, the New button).
func (r *Records[T]) NewRecord() {
	r.edit(r.spec.Blank(), false)
	if r.deps.Window == nil {
		return
	}
	for _, field := range r.Form.order {
		if f, ok := r.Form.cells[field].(*fyne.Container).Objects[0].(fyne.Focusable); ok {
			r.deps.Window.Canvas().Focus(f)
			return
		}
	}
}

// Edit opens rec, a stored record, in the form.
func (r *Records[T]) Edit(rec T) { r.edit(rec, true) }

func (r *Records[T]) edit(rec T, stored bool) {
	r.current, r.open = rec, stored
	if stored {
		r.DeleteButton.Enable()
	} else {
		r.DeleteButton.Disable()
	}
	check := r.Form.Check
	r.Form.Check = nil // no messages while filling
	r.spec.Fill(rec)
	r.Form.Check = check
	r.Form.Show(nil)
	if stored && r.spec.CheckOnOpen {
		r.Form.Revalidate()
	}
	r.say(widget.MediumImportance, "")
	r.Table.Refresh() // the mark
}

// Reload starts the list again from its first page (a new search, order
// or Narrow condition).
func (r *Records[T]) Reload() { r.reload() }

func (r *Records[T]) reload() {
	r.Table.ScrollToTop()
	r.load(context.Background(), false, false)
}

// Query is the list's query now, without paging (for counts and tests).
func (r *Records[T]) Query() store.Query {
	q := store.Query{OrderBy: r.orderBy, Desc: r.desc, SearchIn: r.spec.SearchIn}
	if r.Search != nil {
		q.Search = r.Search.Text
	}
	if r.spec.Narrow != nil {
		r.spec.Narrow(&q)
	}
	return q
}

type page[T any] struct {
	rows  []T
	extra func()
}

// load reads the first rows (as many as shown when keep is set), the count
// and, with extra, the screen's Extra; on the UI goroutine (called there).
func (r *Records[T]) load(ctx context.Context, extra, keep bool) {
	q := r.Query()
	q.Limit = r.spec.PageSize
	if keep {
		q.Limit = max(q.Limit, len(r.Table.Rows()))
	}
	st := r.st
	Load(&r.loads, r.deps, ctx, func(ctx context.Context) (p page[T], err error) {
		if extra && r.spec.Extra != nil {
			if p.extra, err = r.spec.Extra(ctx); err != nil {
				return p, err
			}
		}
		var last T
		p.rows, err = r.list(ctx, st, q, last)
		return p, err
	}, func(p page[T]) {
		if p.extra != nil {
			check := r.Form.Check
			r.Form.Check = nil // new choices are not the operator typing
			p.extra()
			r.Form.Check = check
		}
		r.more, r.pending = len(p.rows) >= q.Limit, false
		r.Table.SetRows(p.rows)
		if r.spec.Refresh != nil {
			r.spec.Refresh()
		}
		r.count(ctx, q)
	})
}

// count makes the count line of q without paging, after the rows are
// shown (counting 90,000 graduates due takes as long as reading a page);
// dropped when a newer load started meanwhile.
func (r *Records[T]) count(ctx context.Context, q store.Query) {
	q.Limit, q.Offset = 0, 0
	gen, st := r.loads.gen.Load(), r.st
	r.deps.Go(func() {
		var text string
		var err error
		if r.spec.Count != nil {
			text, err = r.spec.Count(ctx, q)
		} else {
			var zero T
			var n int
			n, err = st.Count(ctx, domain.TableOf(zero), q)
			if r.spec.CountText != nil {
				text = r.spec.CountText(n)
			}
		}
		r.deps.Do(func() {
			if r.loads.closed.Load() || gen != r.loads.gen.Load() {
				return
			}
			if err != nil {
				screen.ShowError(r.deps.Window, err)
				return
			}
			r.Count.SetText(text)
		})
	})
}

// loadMore reads the page after the rows shown (called while drawing, so
// it only starts the work); dropped when a newer load started meanwhile.
func (r *Records[T]) loadMore() {
	if !r.more || r.pending {
		return
	}
	r.pending = true
	q := r.Query()
	shown := r.Table.Rows()
	q.Limit, q.Offset = r.spec.PageSize, len(shown)
	var last T
	if len(shown) > 0 {
		last = shown[len(shown)-1]
	}
	gen, st := r.loads.gen.Load(), r.st
	r.deps.Go(func() {
		rows, err := r.list(context.Background(), st, q, last)
		r.deps.Do(func() {
			if r.loads.closed.Load() || gen != r.loads.gen.Load() {
				return
			}
			r.pending = false
			if err != nil {
				screen.ShowError(r.deps.Window, err)
				return
			}
			r.more = len(rows) >= q.Limit
			r.Table.Append(rows)
		})
	})
}

// list reads a page: Spec.List, or the records of T's table.
func (r *Records[T]) list(ctx context.Context, st Store, q store.Query, last T) ([]T, error) {
	if r.spec.List != nil {
		return r.spec.List(ctx, q, last)
	}
	return store.ListOf[T](ctx, st, q)
}

// stored is what rec is checked and saved as (Spec.Stores).
func (r *Records[T]) stored(rec T) domain.Record {
	if r.spec.Stores != nil {
		return r.spec.Stores(rec)
	}
	return rec
}

// More reports whether the list may hold more rows than it shows (tests).
func (r *Records[T]) More() bool { return r.more }

// record is the form's record: a copy of the one open (or a Blank) with
// the form's values, and the problems of values that could not be read.
func (r *Records[T]) record() (T, domain.Problems) {
	rec := r.spec.Blank()
	if r.open {
		rec = clone(r.current)
	}
	return rec, r.spec.Read(rec)
}

func (r *Records[T]) check() domain.Problems {
	rec, ps := r.record()
	stored := r.stored(rec)
	domain.Normalize(stored)
	ps = append(ps, domain.Validate(stored, r.st.Rules())...)
	if r.spec.Check != nil {
		ps = append(ps, r.spec.Check(rec)...)
	}
	return ps
}

func (r *Records[T]) say(importance widget.Importance, text string) {
	r.Status.Importance = importance
	r.Status.SetText(text)
}

// save checks the form, then saves off the UI goroutine; a refusal marks
// the fields and scrolls to the first one.
func (r *Records[T]) save() {
	rec, _ := r.record()
	if ps := r.check(); ps.Invalid() {
		r.Form.ShowAndScroll(ps)
		r.say(widget.DangerImportance, r.spec.Fix)
		return
	}
	Save(r.deps, r.st, r.stored(rec), func(warnings, refused domain.Problems) {
		if refused != nil {
			r.Form.ShowAndScroll(refused)
			r.say(widget.DangerImportance, r.spec.Fix)
			return
		}
		r.edit(rec, true) // shows it as stored: tidied up
		r.Form.Show(warnings)
		r.say(widget.SuccessImportance, r.spec.Saved(rec))
		if r.spec.AfterSave != nil {
			r.spec.AfterSave()
		}
		r.Update(context.Background())
	})
}

func (r *Records[T]) confirmDelete() {
	if rec, ok := r.Current(); ok {
		ConfirmDelete(r.deps, r.st, r.spec.ConfirmDelete(rec), rec, func() { r.deleted(rec) })
	}
}

// Delete deletes rec without asking (what the confirmation's yes does; tests).
func (r *Records[T]) Delete(rec T) { Delete(r.deps, r.st, rec, func() { r.deleted(rec) }) }

func (r *Records[T]) deleted(rec T) {
	r.edit(r.spec.Blank(), false)
	r.say(widget.MediumImportance, r.spec.Deleted(rec))
	if r.spec.AfterDelete != nil {
		r.spec.AfterDelete()
	}
	r.Update(context.Background())
}

// clone copies the record rec points to, so the form's edits never touch
// the row the list shows until the store has taken them.
func clone[T domain.Record](rec T) T {
	v := reflect.ValueOf(rec)
	c := reflect.New(v.Type().Elem())
	c.Elem().Set(v.Elem())
	return c.Interface().(T)
}

// turning lays the list and form side by side, or the form under the list
// when the window is narrower than narrow.
type turning struct {
	split  *container.Split
	narrow float32
}

func (t *turning) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if wide := size.Width >= t.narrow; t.split.Horizontal != wide {
		t.split.Horizontal = wide
		t.split.Refresh()
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (t *turning) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}
