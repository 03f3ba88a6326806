package widgets

import (
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Column is one column of a Table of T.
type Column[T any] struct {
	Title string
	Width float32
	Text  func(T) string
	// Less orders rows when the header is tapped; nil makes the column unsortable.
	Less func(a, b T) bool
	// Key names the column for Table.OnSort (the store's sort field); a
	// column with a Key is sortable even without Less.
	Key string
	// Importance, when set, colours the cell (an MoU that ended in red).
	Importance func(T) widget.Importance
}

// Table shows rows of T in a widget.Table: one row height for all rows and
// cells filled from the in-memory slice, so 100k rows scroll without touching
// the database. Tapping a sortable header sorts by it (again: reverse).
type Table[T any] struct {
	widget.Table
	cols     []Column[T]
	rows     []T
	sortCol  int
	sortDesc bool
	// OnSelected is called with the tapped row.
	OnSelected func(T)
	// NearEnd is called (on the UI goroutine, from drawing) when a row close
	// to the last one is drawn: the owner may fetch the next page off the
	// UI goroutine and Append it. It must not block.
	NearEnd func()
	// OnSort, when set, sorts where the rows come from: a tapped header
	// calls it with the column's Key and direction, and the table no longer
	// sorts the rows it holds (a page of a longer list) but shows them as
	// SetRows and Append give them. It must not block.
	OnSort func(key string, desc bool)
	// Marked, when set, says which row is the one open beside the table:
	// its cells are bold. It survives SetRows, so a refresh keeps the mark
	// on the same record wherever it moved.
	Marked func(T) bool
}

// nearEndRows is how close to the last row drawing triggers NearEnd.
const nearEndRows = 30

// NewTable makes a table with the given columns.
func NewTable[T any](cols []Column[T]) *Table[T] {
	t := &Table[T]{cols: cols, sortCol: -1}
	t.Length = func() (int, int) { return len(t.rows), len(t.cols) }
	t.CreateCell = func() fyne.CanvasObject {
		// ExtendBaseWidget: a struct-literal widget sized before its first
		// render otherwise never lays out its text (no truncation, no centring).
		l := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
		l.ExtendBaseWidget(l)
		return l
	}
	t.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 || id.Row >= len(t.rows) {
			return
		}
		l := o.(*widget.Label)
		row, col := t.rows[id.Row], t.cols[id.Col]
		imp := widget.MediumImportance
		if col.Importance != nil {
			imp = col.Importance(row)
		}
		bold := t.Marked != nil && t.Marked(row)
		l.Importance, l.TextStyle.Bold = imp, bold
		l.SetText(col.Text(row)) // repaints the style too
		if id.Col == 0 && id.Row >= len(t.rows)-nearEndRows && t.NearEnd != nil {
			t.NearEnd()
		}
	}
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		b := &widget.Button{Importance: widget.LowImportance, Alignment: widget.ButtonAlignLeading}
		b.ExtendBaseWidget(b)
		return b
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Col < 0 || id.Col >= len(t.cols) {
			b.SetText("")
			b.OnTapped = nil
			return
		}
		c := t.cols[id.Col]
		text := c.Title
		if id.Col == t.sortCol {
			if t.sortDesc {
				text += " ▼"
			} else {
				text += " ▲"
			}
		}
		b.SetText(text)
		col := id.Col
		b.OnTapped = func() { t.SortBy(col) }
	}
	t.Table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(t.rows) && t.OnSelected != nil {
			t.OnSelected(t.rows[id.Row])
		}
		t.UnselectAll()
	}
	t.ExtendBaseWidget(t)
	for i, c := range cols {
		if c.Width > 0 {
			t.SetColumnWidth(i, c.Width)
		}
	}
	return t
}

// SetRows replaces the rows (keeping the current sort) and repaints.
func (t *Table[T]) SetRows(rows []T) {
	t.rows = rows
	t.sort()
	t.Refresh()
}

// Append adds rows at the end (the next page) and repaints.
func (t *Table[T]) Append(rows []T) {
	t.rows = append(t.rows, rows...)
	t.sort()
	t.Refresh()
}

// Rows returns the rows in display order.
func (t *Table[T]) Rows() []T { return t.rows }

// SortBy sorts by column col; sorting by the same column again reverses.
func (t *Table[T]) SortBy(col int) {
	if col < 0 || col >= len(t.cols) || (t.cols[col].Less == nil && t.cols[col].Key == "") {
		return
	}
	if t.sortCol == col {
		t.sortDesc = !t.sortDesc
	} else {
		t.sortCol, t.sortDesc = col, false
	}
	if t.OnSort != nil {
		t.Refresh() // the header's arrow; the rows come back from the owner
		t.OnSort(t.cols[col].Key, t.sortDesc)
		return
	}
	t.sort()
	t.Refresh()
}

// SortedBy is the column sorted by (-1: none) and whether it is descending.
func (t *Table[T]) SortedBy() (col int, desc bool) { return t.sortCol, t.sortDesc }

func (t *Table[T]) sort() {
	if t.sortCol < 0 || t.OnSort != nil || t.cols[t.sortCol].Less == nil {
		return
	}
	less := t.cols[t.sortCol].Less
	desc := t.sortDesc
	sort.SliceStable(t.rows, func(i, j int) bool {
		if desc {
			return less(t.rows[j], t.rows[i])
		}
		return less(t.rows[i], t.rows[j])
	})
}
