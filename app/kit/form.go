// Package kit is the one screen kit of the desktop: the record form every
// screen uses (Form: labelled fields, each with its problem line reserved
// under it so nothing moves when problems appear, Enter saves, Escape
// cancels, a save that fails scrolls to the first problem), selects over the
// domain's coded choices, and the list-and-detail pieces (Records: a load
// guarded against stale results, save and delete with confirmation off the
// UI goroutine through the screen's Runner). See doc.go for how a screen is
// built with it. It never touches the store except through the calls a
// screen hands it, and never the network.
package kit

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
)

// Form is a column of labelled fields, each with a message line under it
// that is always there (empty when the field is fine), so showing a problem
// never moves the fields and buttons below it.
type Form struct {
	grid   *fyne.Container
	msgs   map[string]*widget.Label
	cells  map[string]fyne.CanvasObject
	order  []string
	scroll *container.Scroll // set by Layout: where the form scrolls
	// Submit, when set, runs when Enter is pressed in any entry of the form
	// (the screen's save).
	Submit func()
	// Cancel, when set, runs when Escape is pressed in an entry of the form
	// (the screen goes back to an empty form or its list).
	Cancel func()
	// Compact hides a field's message line while it is empty, for a small
	// form squeezed under a table where height is scarcer than stillness
	// (the programme screen's unit and certificate rows, until its redesign).
	Compact bool
	// Check, when set, validates the form's current values (no I/O); it runs
	// whenever a field changes so messages appear as the user types.
	Check func() domain.Problems
}

// New makes an empty form.
func New() *Form {
	return &Form{grid: container.New(layout.NewFormLayout()), msgs: map[string]*widget.Label{}, cells: map[string]fyne.CanvasObject{}}
}

// Content is the form's widget tree.
func (f *Form) Content() fyne.CanvasObject { return f.grid }

// Add puts obj under label; problems of field (a domain field name) show beside it.
func (f *Form) Add(field, label string, obj fyne.CanvasObject) {
	msg := Label(&widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance, SizeName: theme.SizeNameCaptionText})
	f.msgs[field] = msg
	f.order = append(f.order, field)
	if f.Compact {
		msg.Hide()
	}
	cell := container.New(problemLine{}, obj, msg)
	f.cells[field] = cell
	f.grid.Add(widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	f.grid.Add(cell)
}

// Row puts obj under label with no problem line of its own: a line that
// explains a field (what a typed NIK says), not an input.
func (f *Form) Row(label string, obj fyne.CanvasObject) {
	f.grid.Add(widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	f.grid.Add(obj)
}

// Scroll is the form in a vertical scroll, the one ShowAndScroll moves to
// the first problem; for screens that lay the form out themselves (Layout
// and Records make it for theirs).
func (f *Form) Scroll() *container.Scroll {
	if f.scroll == nil {
		f.scroll = container.NewVScroll(f.grid)
	}
	return f.scroll
}

// Entry is a text entry of a Form: Enter submits the form, Escape cancels it.
type Entry struct {
	widget.Entry
	form *Form
}

// TypedKey hands Escape to the form's Cancel.
func (e *Entry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.form != nil && e.form.Cancel != nil {
		e.form.Cancel()
		return
	}
	e.Entry.TypedKey(k)
}

// TypedShortcut hands a window shortcut (Ctrl+N, Ctrl+F…) to the window,
// so it works while the cursor is in the form; the entry keeps the rest.
func (e *Entry) TypedShortcut(s fyne.Shortcut) {
	if !widgets.ForwardShortcut(e, s) {
		e.Entry.TypedShortcut(s)
	}
}

// NewEntry makes an Entry of f that is not (yet) in it, for inputs the
// screen lays out itself.
func (f *Form) NewEntry(placeholder string) *Entry {
	e := &Entry{form: f}
	e.ExtendBaseWidget(e)
	e.PlaceHolder = placeholder
	e.OnChanged = func(string) { f.Revalidate() }
	e.OnSubmitted = func(string) {
		if f.Submit != nil {
			f.Submit()
		}
	}
	return e
}

// Entry adds a text entry.
func (f *Form) Entry(field, label, placeholder string) *Entry {
	e := f.NewEntry(placeholder)
	f.Add(field, label, e)
	return e
}

// Select adds a choice of the coded field key ("table.field"), labelled in
// the current language.
func (f *Form) Select(field, label, key string) *Choice {
	c := NewChoice(key)
	c.Select.OnChanged = func(string) { f.Revalidate() }
	f.Add(field, label, c.Select)
	return c
}

// Revalidate runs Check and shows its problems.
func (f *Form) Revalidate() {
	if f.Check != nil {
		f.Show(f.Check())
	}
}

// Show puts each problem beside its field (invalid in red, warnings in
// amber, prefixed with ⚠) and clears the others. Problems of fields the form
// does not show go under the first field so they are never lost.
func (f *Form) Show(ps domain.Problems) {
	lang := i18n.Lang()
	texts := map[string][]string{}
	level := map[string]domain.Level{}
	// A field the form could not read (see Unreadable) says only that: the
	// domain's findings on the zero value read instead would only confuse.
	unreadable := map[string]bool{}
	for _, p := range ps {
		if Unreadable(p) {
			unreadable[p.Field] = true
		}
	}
	for _, p := range ps {
		if unreadable[p.Field] && !Unreadable(p) {
			continue
		}
		field := p.Field
		m := p.Message(lang)
		if _, ok := f.msgs[field]; !ok && len(f.order) > 0 {
			field = f.order[0]
			m = domain.FieldLabel(p.Field, lang) + ": " + m
		}
		if p.Level == domain.Warning {
			m = "⚠ " + m
		} else {
			level[field] = domain.Invalid
		}
		texts[field] = append(texts[field], m)
	}
	for field, l := range f.msgs {
		t := strings.Join(texts[field], "; ")
		if t == "" {
			if l.Text != "" {
				l.SetText("")
			}
			if f.Compact {
				l.Hide()
			}
			continue
		}
		l.Importance = widget.WarningImportance
		if level[field] == domain.Invalid {
			l.Importance = widget.DangerImportance
		}
		l.SetText(t)
		l.Show()
	}
}

// ShowAndScroll shows ps (see Show) and, when one of them makes the record
// invalid, scrolls the form so the first such field is in view: the
// operator told "fix what is marked red" can see it.
func (f *Form) ShowAndScroll(ps domain.Problems) {
	f.Show(ps)
	if f.scroll == nil || !ps.Invalid() {
		return
	}
	for _, field := range f.order {
		if f.Level(field) == domain.Invalid {
			cell := f.cells[field]
			y := cell.Position().Y + f.grid.Position().Y - theme.Padding()
			f.scroll.ScrollToOffset(fyne.NewPos(0, max(0, y)))
			return
		}
	}
}

// Level is how bad the problem shown under field is: Invalid, Warning, or
// 0 when none is.
func (f *Form) Level(field string) domain.Level {
	l, ok := f.msgs[field]
	if !ok || l.Text == "" {
		return 0
	}
	if l.Importance == widget.DangerImportance {
		return domain.Invalid
	}
	return domain.Warning
}

// Field is the input and message line of field (for tests and layouts).
func (f *Form) Field(field string) fyne.CanvasObject { return f.cells[field] }

// Unreadable reports a problem the form made because it could not read
// what was typed into a field (NotNumber): its key is a screen's, not one
// of the domain's rules (problem.*).
func Unreadable(p domain.Problem) bool { return !strings.HasPrefix(p.Code, "problem.") }

// Message is the text shown beside field ("" when none); tests read it.
func (f *Form) Message(field string) string {
	if l, ok := f.msgs[field]; ok {
		return l.Text
	}
	return ""
}

// Choice is a select over the coded values of one field.
type Choice struct {
	Select *widget.Select
	values []string
	labels []string
	// Open keeps a value that is none of the codes (text an import kept as
	// written): SetValue shows it as written, as the last option, and Value
	// returns it until the operator picks a choice. Otherwise such a value
	// clears the selection.
	Open  bool
	other string
}

// NewChoice makes a select over Choices[key], labelled in the current language.
func NewChoice(key string) *Choice {
	c := &Choice{}
	for _, ch := range domain.Choices[key] {
		c.values = append(c.values, ch.Value)
		c.labels = append(c.labels, ch.Label(i18n.Lang()))
	}
	c.Select = widget.NewSelect(c.labels, nil)
	c.Select.PlaceHolder = i18n.T("kit.choose")
	return c
}

// NewChoiceOf makes a select over explicit values and labels.
func NewChoiceOf(values, labels []string) *Choice {
	c := &Choice{values: values, labels: labels}
	c.Select = widget.NewSelect(labels, nil)
	c.Select.PlaceHolder = i18n.T("kit.choose")
	return c
}

// Value is the code of the selected choice ("" when none).
func (c *Choice) Value() string {
	i := c.Select.SelectedIndex()
	if i < 0 || i >= len(c.values) {
		return ""
	}
	return c.values[i]
}

// SetValue selects the choice with code v (none when unknown or "",
// unless the choice is Open).
func (c *Choice) SetValue(v string) {
	for i, x := range c.values {
		if x == v {
			c.Select.SetSelectedIndex(i)
			return
		}
	}
	if c.Open && v != "" {
		if c.other == "" {
			c.values, c.labels = append(c.values, v), append(c.labels, v)
		} else {
			c.values[len(c.values)-1], c.labels[len(c.labels)-1] = v, v
		}
		c.other = v
		c.Select.SetOptions(c.labels)
		c.Select.SetSelectedIndex(len(c.values) - 1)
		return
	}
	c.Select.ClearSelected()
}

// SetOptions replaces the values and labels, keeping the selection if it survives.
func (c *Choice) SetOptions(values, labels []string) {
	cur := c.Value()
	c.values, c.labels = values, labels
	c.Select.SetOptions(labels)
	c.SetValue(cur)
}

// Int reads a whole number typed by a person; ok is false when it is not one.
// Dots and spaces used as thousands separators are accepted.
func Int(s string) (int64, bool) {
	s = strings.NewReplacer(".", "", " ", "", "\u00a0", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// NotNumber is the problem to show when a number field holds something else.
func NotNumber(field string) domain.Problem {
	return domain.Problem{Field: field, Level: domain.Invalid, Code: "kit.not_number"}
}

// ProblemsOf extracts the problems of a store refusal (nil for other errors).
func ProblemsOf(err error) domain.Problems {
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		return ve.Problems
	}
	return nil
}

// Label finishes a label written as a struct literal. A literal that was
// never extended is laid out only when its size changes, so a table cell or
// a label sized before it first rendered would keep a zero-size text.
func Label(l *widget.Label) *widget.Label {
	l.ExtendBaseWidget(l)
	return l
}

// TwoLineItem is the template of a list row with a bold title over a
// plain line, both cut with an ellipsis; TwoLines gives its two labels.
func TwoLineItem() fyne.CanvasObject {
	return container.NewVBox(
		Label(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}),
		Label(&widget.Label{Truncation: fyne.TextTruncateEllipsis}))
}

// TwoLines returns the title and second line of a TwoLineItem row.
func TwoLines(o fyne.CanvasObject) (title, line *widget.Label) {
	objs := o.(*fyne.Container).Objects
	return objs[0].(*widget.Label), objs[1].(*widget.Label)
}

// Button finishes a button written as a struct literal (see Label).
func Button(b *widget.Button) *widget.Button {
	b.ExtendBaseWidget(b)
	return b
}

// Layout is the shape every record screen shares: the list under its
// "new" button and count on the left, the form on the right with its
// buttons and status line kept in view under it, split at offset. Only the
// form scrolls, so Save stays where the operator's hand is.
func Layout(newBtn fyne.CanvasObject, count *widget.Label, list fyne.CanvasObject, f *Form, buttons []fyne.CanvasObject, status *widget.Label, offset float64) *container.Split {
	left := container.NewBorder(container.NewHBox(newBtn, count), nil, nil, nil, list)
	f.scroll = container.NewVScroll(f.Content())
	right := container.NewBorder(nil, container.NewVBox(container.NewHBox(buttons...), status), nil, nil, f.scroll)
	split := container.NewHSplit(left, right)
	split.Offset = offset
	return split
}

// problemLine lays out a field over its problem line. The line is reserved
// (nothing jumps when a problem appears) but costs only the height of its
// small text: the label's own padding above and below is laid over the
// field's bottom edge and the gap to the next row, where a VBox gave a
// whole padded line to every field and the forms half empty space.
type problemLine struct{}

// pad is the label's padding above (and below) its text.
func (problemLine) pad(msg fyne.CanvasObject) float32 {
	text := fyne.MeasureText("Ag", theme.CaptionTextSize(), fyne.TextStyle{}).Height
	return max(0, (msg.MinSize().Height-text)/2)
}

func (l problemLine) MinSize(objs []fyne.CanvasObject) fyne.Size {
	in, msg := objs[0].MinSize(), objs[1]
	if !msg.Visible() {
		return in
	}
	m := msg.MinSize()
	return fyne.NewSize(max(in.Width, m.Width), in.Height+m.Height-2*l.pad(msg))
}

func (l problemLine) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	in, msg := objs[0], objs[1]
	h := in.MinSize().Height
	if !msg.Visible() {
		h = size.Height
	}
	in.Move(fyne.NewPos(0, 0))
	in.Resize(fyne.NewSize(size.Width, h))
	msg.Move(fyne.NewPos(0, h-l.pad(msg)))
	msg.Resize(fyne.NewSize(size.Width, msg.MinSize().Height))
}
