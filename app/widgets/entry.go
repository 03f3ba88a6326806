package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Entry is a widget.Entry that lets the window's own shortcuts through.
// Fyne hands every shortcut to the focused widget when it takes shortcuts,
// and widget.Entry drops the ones it does not know, so with the cursor in
// a search box Ctrl+N and Ctrl+F did nothing; this entry passes them on.
type Entry struct {
	widget.Entry
}

// NewEntry makes an empty Entry.
func NewEntry() *Entry {
	e := &Entry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedShortcut passes a window shortcut (Ctrl or Cmd with a letter) to the
// window; the entry keeps the rest (copy, paste, word moves…).
func (e *Entry) TypedShortcut(s fyne.Shortcut) {
	if !ForwardShortcut(e, s) {
		e.Entry.TypedShortcut(s)
	}
}

// SelectEntry is a widget.SelectEntry (type a value or pick a known one)
// that lets the window's own shortcuts through, as Entry does.
type SelectEntry struct {
	widget.SelectEntry
}

// NewSelectEntry makes a SelectEntry offering options.
func NewSelectEntry(options []string) *SelectEntry {
	e := &SelectEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.SetOptions(options)
	return e
}

// TypedShortcut passes a window shortcut to the window; the entry keeps
// the rest.
func (e *SelectEntry) TypedShortcut(s fyne.Shortcut) {
	if !ForwardShortcut(e, s) {
		e.SelectEntry.TypedShortcut(s)
	}
}

// ForwardShortcut hands s to the window of o when it is a window shortcut
// (a CustomShortcut of Ctrl, Alt or Cmd and a letter or digit, which no
// entry handles), and says whether it did. Any focusable widget that takes
// shortcuts can call it first in its TypedShortcut.
func ForwardShortcut(o fyne.CanvasObject, s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok || !isWindowShortcut(cs) {
		return false
	}
	app := fyne.CurrentApp()
	if app == nil {
		return false
	}
	c, ok := app.Driver().CanvasForObject(o).(fyne.Shortcutable)
	if !ok {
		return false
	}
	c.TypedShortcut(s)
	return true
}

// isWindowShortcut says whether cs is Ctrl, Alt or Cmd with a letter or digit.
func isWindowShortcut(cs *desktop.CustomShortcut) bool {
	return cs.Modifier&(fyne.KeyModifierControl|fyne.KeyModifierSuper|fyne.KeyModifierAlt) != 0 && letterOrDigit(cs.KeyName)
}

func letterOrDigit(k fyne.KeyName) bool {
	if len(k) != 1 {
		return false
	}
	r := k[0]
	return (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}
