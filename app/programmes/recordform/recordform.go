// Package recordform builds the simple record forms of the programme,
// cohort, instructor, partner, funding and tracer screens: labelled fields
// with their validation message shown beside them (checked with the domain
// rules as the user types, and again from the store's refusal on save), and
// selects over the domain's coded choices. It never touches the store; it
// lives here until the shared app/widgets package offers form rows.
package recordform

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
)

// Form is a column of labelled fields, each with a message line under it.
type Form struct {
	grid  *fyne.Container
	msgs  map[string]*widget.Label
	order []string
	// Submit, when set, runs when Enter is pressed in any entry of the form
	// (the screen's save).
	Submit func()
	// Check, when set, validates the form's current values (no I/O); it runs
	// whenever a field changes so messages appear as the user types.
	Check func() domain.Problems
}

// New makes an empty form.
func New() *Form {
	return &Form{grid: container.New(layout.NewFormLayout()), msgs: map[string]*widget.Label{}}
}

// Content is the form's widget tree.
func (f *Form) Content() fyne.CanvasObject { return f.grid }

// Add puts obj under label; problems of field (a domain field name) show beside it.
func (f *Form) Add(field, label string, obj fyne.CanvasObject) {
	msg := Label(&widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance})
	msg.Hide()
	f.msgs[field] = msg
	f.order = append(f.order, field)
	f.grid.Add(widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	f.grid.Add(container.NewVBox(obj, msg))
}

// Entry adds a text entry.
func (f *Form) Entry(field, label, placeholder string) *widget.Entry {
	e := widget.NewEntry()
	e.PlaceHolder = placeholder
	e.OnChanged = func(string) { f.Revalidate() }
	e.OnSubmitted = func(string) {
		if f.Submit != nil {
			f.Submit()
		}
	}
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
			if l.Visible() {
				l.SetText("")
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

// Unreadable reports a problem the form made because it could not read
// what was typed into a field (NotNumber): its key is a screen's, not one
// of the domain's rules (problem.*).
func Unreadable(p domain.Problem) bool { return !strings.HasPrefix(p.Code, "problem.") }

// Message is the text shown beside field ("" when none); tests read it.
func (f *Form) Message(field string) string {
	if l, ok := f.msgs[field]; ok && l.Visible() {
		return l.Text
	}
	return ""
}

// Choice is a select over the coded values of one field.
type Choice struct {
	Select *widget.Select
	values []string
	labels []string
}

// NewChoice makes a select over Choices[key], labelled in the current language.
func NewChoice(key string) *Choice {
	c := &Choice{}
	for _, ch := range domain.Choices[key] {
		c.values = append(c.values, ch.Value)
		c.labels = append(c.labels, ch.Label(i18n.Lang()))
	}
	c.Select = widget.NewSelect(c.labels, nil)
	c.Select.PlaceHolder = i18n.T("recordform.choose")
	return c
}

// NewChoiceOf makes a select over explicit values and labels.
func NewChoiceOf(values, labels []string) *Choice {
	c := &Choice{values: values, labels: labels}
	c.Select = widget.NewSelect(labels, nil)
	c.Select.PlaceHolder = i18n.T("recordform.choose")
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

// SetValue selects the choice with code v (none when unknown or "").
func (c *Choice) SetValue(v string) {
	for i, x := range c.values {
		if x == v {
			c.Select.SetSelectedIndex(i)
			return
		}
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
	return domain.Problem{Field: field, Level: domain.Invalid, Code: "recordform.not_number"}
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
// "new" button and count on the left, the form with its buttons and status
// line on the right, split at offset.
func Layout(newBtn fyne.CanvasObject, count *widget.Label, list fyne.CanvasObject, f *Form, buttons []fyne.CanvasObject, status *widget.Label, offset float64) *container.Split {
	left := container.NewBorder(container.NewHBox(newBtn, count), nil, nil, nil, list)
	right := container.NewVScroll(container.NewVBox(f.Content(), container.NewHBox(buttons...), status))
	split := container.NewHSplit(left, right)
	split.Offset = offset
	return split
}
