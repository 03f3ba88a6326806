package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
)

// Choice is one option of a SearchSelect: the text shown and the code it
// stands for.
type Choice struct {
	Label, Code string
}

// SearchSelect picks one of many choices by typing a few letters. It looks
// like a select; tapping it, or typing while it has the keyboard, opens a
// list under it with a search box: typing filters the list, Up/Down move the
// highlight, Enter or a tap picks, Escape closes. widget.SelectEntry was
// not enough: its menu opens only from its button and never filters, and
// what it yields is free text, not a code.
type SearchSelect struct {
	widget.DisableableWidget
	PlaceHolder string
	Selected    Choice
	// Search lists the choices matching query ("" : all there are, or none
	// until something is typed). It runs on the UI goroutine at every
	// keystroke, so it must be quick and never touch the store.
	Search func(query string) []Choice
	// Hint is shown in the list when Search finds nothing.
	Hint string
	// OnPicked is called after the operator picks a choice.
	OnPicked func(Choice)

	// searchBox draws the placeholder in italics: the field reads as a
	// place to type rather than a value.
	searchBox bool
	focused   bool
	hovered   bool
	popUp     *widget.PopUp
	query     *searchQuery
	list      *widget.List
	hint      *widget.Label
	results   []Choice
	current   int // highlighted result
}

var (
	_ fyne.Focusable    = (*SearchSelect)(nil)
	_ fyne.Tappable     = (*SearchSelect)(nil)
	_ desktop.Hoverable = (*SearchSelect)(nil)
)

// NewSearchSelect makes a field whose choices come from search.
func NewSearchSelect(placeHolder string, search func(string) []Choice, picked func(Choice)) *SearchSelect {
	s := &SearchSelect{PlaceHolder: placeHolder, Search: search, OnPicked: picked}
	s.ExtendBaseWidget(s)
	return s
}

// SetSelected shows c as chosen without calling OnPicked.
func (s *SearchSelect) SetSelected(c Choice) {
	s.Selected = c
	s.Refresh()
}

// Open shows the list with the search box holding text.
func (s *SearchSelect) Open(text string) {
	if s.Disabled() {
		return
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(s)
	if c == nil {
		return
	}
	if s.popUp == nil {
		s.query = &searchQuery{owner: s}
		s.query.ExtendBaseWidget(s.query)
		s.query.SetPlaceHolder(i18n.T("widgets.search.hint"))
		s.query.OnChanged = func(string) { s.filter() }
		s.hint = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Italic: true}}
		s.list = widget.NewList(func() int { return len(s.results) },
			func() fyne.CanvasObject {
				l := &widget.Label{Truncation: fyne.TextTruncateEllipsis}
				l.ExtendBaseWidget(l)
				return l
			},
			func(id widget.ListItemID, o fyne.CanvasObject) {
				if id < 0 || id >= len(s.results) {
					return
				}
				l := o.(*widget.Label)
				l.TextStyle.Bold = id == s.current
				if id == s.current {
					l.Importance = widget.HighImportance
				} else {
					l.Importance = widget.MediumImportance
				}
				l.SetText(s.results[id].Label)
			})
		s.list.OnSelected = func(id widget.ListItemID) {
			s.list.UnselectAll()
			s.pick(id)
		}
		s.popUp = widget.NewPopUp(container.NewBorder(s.query, nil, nil, nil, container.NewStack(s.list, s.hint)), c)
	}
	s.query.SetText(text)
	s.query.CursorColumn = len([]rune(text))
	s.filter()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(s).Add(fyne.NewPos(0, s.Size().Height))
	width := fyne.Max(s.Size().Width, 320)
	s.popUp.ShowAtPosition(pos)
	s.popUp.Resize(fyne.NewSize(width, 300))
	c.Focus(s.query)
}

// Close hides the list, if shown.
func (s *SearchSelect) Close() {
	if s.popUp != nil && s.popUp.Visible() {
		s.popUp.Hide()
	}
}

// IsOpen says whether the list is shown.
func (s *SearchSelect) IsOpen() bool { return s.popUp != nil && s.popUp.Visible() }

// Results are the choices the list shows now, best first.
func (s *SearchSelect) Results() []Choice { return s.results }

// Query is the text in the search box.
func (s *SearchSelect) Query() string {
	if s.query == nil {
		return ""
	}
	return s.query.Text
}

func (s *SearchSelect) filter() {
	s.results = nil
	if s.Search != nil {
		s.results = s.Search(s.query.Text)
	}
	s.current = 0
	s.hint.SetText(s.Hint)
	if len(s.results) > 0 {
		s.hint.Hide()
	} else {
		s.hint.Show()
	}
	s.list.Refresh()
	s.list.ScrollToTop()
}

// move changes the highlighted result by delta.
func (s *SearchSelect) move(delta int) {
	if len(s.results) == 0 {
		return
	}
	old := s.current
	s.current = min(max(s.current+delta, 0), len(s.results)-1)
	s.list.RefreshItem(old)
	s.list.RefreshItem(s.current)
	s.list.ScrollTo(s.current)
}

func (s *SearchSelect) pick(id int) {
	if id < 0 || id >= len(s.results) {
		return
	}
	c := s.results[id]
	s.Close()
	s.Selected = c
	s.Refresh()
	if cv := fyne.CurrentApp().Driver().CanvasForObject(s); cv != nil {
		cv.Focus(s)
	}
	if s.OnPicked != nil {
		s.OnPicked(c)
	}
}

// Tapped opens the list.
func (s *SearchSelect) Tapped(*fyne.PointEvent) { s.Open("") }

// FocusGained is part of fyne.Focusable.
func (s *SearchSelect) FocusGained() { s.focused = true; s.Refresh() }

// FocusLost is part of fyne.Focusable.
func (s *SearchSelect) FocusLost() { s.focused = false; s.Refresh() }

// TypedRune starts a search with the letter typed (or adds to it).
func (s *SearchSelect) TypedRune(r rune) {
	if s.IsOpen() {
		s.query.TypedRune(r)
		return
	}
	s.Open(string(r))
}

// TypedKey opens the list on Space, Down or Enter; with the list open it
// goes to the search box.
func (s *SearchSelect) TypedKey(e *fyne.KeyEvent) {
	if s.IsOpen() {
		s.query.TypedKey(e)
		return
	}
	switch e.Name {
	case fyne.KeySpace, fyne.KeyDown, fyne.KeyReturn, fyne.KeyEnter:
		s.Open("")
	}
}

// MouseIn is part of desktop.Hoverable.
func (s *SearchSelect) MouseIn(*desktop.MouseEvent) { s.hovered = true; s.Refresh() }

// MouseMoved is part of desktop.Hoverable.
func (s *SearchSelect) MouseMoved(*desktop.MouseEvent) {}

// MouseOut is part of desktop.Hoverable.
func (s *SearchSelect) MouseOut() { s.hovered = false; s.Refresh() }

// Cursor shows a pointer over the field.
func (s *SearchSelect) Cursor() desktop.Cursor { return desktop.PointerCursor }

// searchQuery is the search box in the list: it keeps typing, and lets the
// arrows, Enter and Escape drive the list.
type searchQuery struct {
	widget.Entry
	owner *SearchSelect
}

func (q *searchQuery) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeyDown:
		q.owner.move(1)
	case fyne.KeyUp:
		q.owner.move(-1)
	case fyne.KeyPageDown:
		q.owner.move(8)
	case fyne.KeyPageUp:
		q.owner.move(-8)
	case fyne.KeyReturn, fyne.KeyEnter:
		q.owner.pick(q.owner.current)
	case fyne.KeyEscape:
		o := q.owner
		o.Close()
		if c := fyne.CurrentApp().Driver().CanvasForObject(o); c != nil {
			c.Focus(o)
		}
	default:
		q.Entry.TypedKey(e)
	}
}

// TypedShortcut closes the list and hands a window shortcut (Ctrl+N,
// Ctrl+F…) to the window, so the shortcuts work while the list is open;
// the box keeps the rest (copy, paste, select all).
func (q *searchQuery) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && isWindowShortcut(cs) {
		o := q.owner
		o.Close()
		if ForwardShortcut(o, s) {
			return
		}
	}
	q.Entry.TypedShortcut(s)
}

// CreateRenderer draws the field like a select: the chosen label (or the
// placeholder) and a search icon.
func (s *SearchSelect) CreateRenderer() fyne.WidgetRenderer {
	s.ExtendBaseWidget(s)
	r := &searchSelectRenderer{
		s:      s,
		bg:     canvas.NewRectangle(color.Transparent),
		border: canvas.NewRectangle(color.Transparent),
		text:   &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		icon:   widget.NewIcon(theme.SearchIcon()),
	}
	r.update()
	return r
}

type searchSelectRenderer struct {
	s      *SearchSelect
	bg     *canvas.Rectangle
	border *canvas.Rectangle
	text   *widget.Label
	icon   *widget.Icon
}

func (r *searchSelectRenderer) Destroy() {}

func (r *searchSelectRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.border, r.text, r.icon}
}

func (r *searchSelectRenderer) Layout(size fyne.Size) {
	th := r.s.Theme()
	pad := th.Size(theme.SizeNameInnerPadding)
	iconSize := th.Size(theme.SizeNameInlineIcon)
	r.bg.Resize(size)
	r.border.Resize(size)
	r.icon.Resize(fyne.NewSquareSize(iconSize))
	r.icon.Move(fyne.NewPos(size.Width-iconSize-pad, (size.Height-iconSize)/2))
	// the label brings its own inner padding, so text lines up with an Entry's
	textMin := r.text.MinSize()
	r.text.Move(fyne.NewPos(0, (size.Height-textMin.Height)/2))
	r.text.Resize(fyne.NewSize(size.Width-iconSize-pad, textMin.Height))
}

func (r *searchSelectRenderer) MinSize() fyne.Size {
	th := r.s.Theme()
	pad := th.Size(theme.SizeNameInnerPadding)
	iconSize := th.Size(theme.SizeNameInlineIcon)
	textMin := r.text.MinSize()
	return fyne.NewSize(textMin.Width+iconSize+pad*2, max(textMin.Height, iconSize+pad))
}

func (r *searchSelectRenderer) update() {
	th := r.s.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	text, importance, italic := r.s.Selected.Label, widget.MediumImportance, false
	if text == "" {
		text, italic = r.s.PlaceHolder, r.s.searchBox
	}
	bg := theme.ColorNameInputBackground
	switch {
	case r.s.Disabled():
		bg, importance = theme.ColorNameDisabledButton, widget.LowImportance
	case r.s.hovered:
		bg = theme.ColorNameHover
	}
	r.bg.FillColor = th.Color(bg, v)
	r.bg.CornerRadius = th.Size(theme.SizeNameInputRadius)
	r.border.CornerRadius = r.bg.CornerRadius
	r.border.StrokeWidth = th.Size(theme.SizeNameInputBorder)
	if r.s.focused {
		r.border.StrokeColor = th.Color(theme.ColorNamePrimary, v)
	} else {
		r.border.StrokeColor = color.Transparent
	}
	r.text.Text, r.text.Importance, r.text.TextStyle.Italic = text, importance, italic
	r.text.Refresh()
	if r.s.Disabled() {
		r.icon.SetResource(theme.NewDisabledResource(theme.SearchIcon()))
	} else {
		r.icon.SetResource(theme.SearchIcon())
	}
}

func (r *searchSelectRenderer) Refresh() {
	r.update()
	r.bg.Refresh()
	r.border.Refresh()
}
