package programmes

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/widgets"
)

// entry is a text entry of one of the screen's kit forms, as kit.Entry
// (typing revalidates, Enter submits, Escape cancels), that also lets the
// window's shortcuts through, so Ctrl+N and Ctrl+F work with the cursor in
// a field. It belongs in kit.Entry (kit.Entry.TypedShortcut calling
// widgets.ForwardShortcut); until kit has it, it lives here.
type entry struct {
	widget.Entry
	form *kit.Form
}

// newEntry makes an entry of f that f does not lay out (the unit row).
func newEntry(f *kit.Form, placeholder string) *entry {
	e := &entry{form: f}
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

// formEntry adds an entry to f under label; problems of field show beside it.
func formEntry(f *kit.Form, field, label, placeholder string) *entry {
	e := newEntry(f, placeholder)
	f.Add(field, label, e)
	return e
}

// TypedKey hands Escape to the form's Cancel.
func (e *entry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.form.Cancel != nil {
		e.form.Cancel()
		return
	}
	e.Entry.TypedKey(k)
}

// TypedShortcut passes window shortcuts on (see widgets.ForwardShortcut).
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if !widgets.ForwardShortcut(e, s) {
		e.Entry.TypedShortcut(s)
	}
}
