package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/widgets"
)

// press delivers a Ctrl+key as Fyne's desktop driver does: to the focused
// widget when it takes shortcuts (an entry does), to the window otherwise.
func press(h *harness, key fyne.KeyName) {
	sc := &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
	c := h.win.Canvas()
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(sc)
		return
	}
	c.(fyne.Shortcutable).TypedShortcut(sc)
}

func TestShortcutsWorkOnEveryListAlsoAfterGoingBack(t *testing.T) {
	// given the main window on the trainee list
	st := openStore(t, true)
	h := newShell(t, st, Options{}, "nav.trainees")
	h.ui.Settle(t)
	c := h.win.Canvas()

	// when Ctrl+N opens a new trainee's form, the cursor in its first field
	press(h, fyne.KeyN)
	h.ui.Settle(t)
	if c.Focused() == nil {
		t.Fatal("Ctrl+N on the trainee list focused nothing")
	}
	// and the operator goes to the programme list and presses Ctrl+F
	h.shell.Navigate("nav.programmes")
	h.ui.Settle(t)
	press(h, fyne.KeyF)
	h.ui.Settle(t)
	// then the cohort search has the keyboard, not the trainee field left behind
	if _, ok := c.Focused().(*widgets.SearchSelect); !ok {
		t.Fatalf("Ctrl+F after going to the programmes focused %T", c.Focused())
	}

	// when Ctrl+N starts a new programme, the cursor in its name
	press(h, fyne.KeyN)
	h.ui.Settle(t)
	name := c.Focused()
	if _, ok := name.(fyne.Shortcutable); !ok {
		t.Fatalf("Ctrl+N on the programmes focused %T", c.Focused())
	}
	// and Ctrl+F is pressed with the cursor in that field
	press(h, fyne.KeyF)
	h.ui.Settle(t)
	// then the search has the keyboard again
	if _, ok := c.Focused().(*widgets.SearchSelect); !ok || c.Focused() == name {
		t.Fatalf("Ctrl+F in the programme's name focused %T", c.Focused())
	}

	// when the operator goes back to the trainee list and presses Ctrl+F
	h.shell.Navigate("nav.trainees")
	h.ui.Settle(t)
	press(h, fyne.KeyF)
	h.ui.Settle(t)
	// then the trainee search has the keyboard, on the trainee list
	if e, ok := c.Focused().(*widget.Entry); !ok || h.shell.Current() != h.shell.screens["nav.trainees"] || e.PlaceHolder == "" {
		t.Fatalf("Ctrl+F back on the trainee list focused %T", c.Focused())
	}
	// and Ctrl+N from the programmes again reaches them, not the trainees
	h.shell.Navigate("nav.programmes")
	h.ui.Settle(t)
	press(h, fyne.KeyN)
	h.ui.Settle(t)
	if h.shell.Current() != h.shell.screens["nav.programmes"] {
		t.Fatalf("Ctrl+N on the programmes went to %T", h.shell.Current())
	}
}

func TestShortcutsWorkFromAnOpenPickerAChoiceFieldAndTabsOfRecords(t *testing.T) {
	// given the programmes, with the cohort picker's list open and the
	// cursor in its search box
	st := openStore(t, true)
	h := newShell(t, st, Options{}, "nav.programmes")
	h.ui.Settle(t)
	c := h.win.Canvas()
	press(h, fyne.KeyF)
	h.ui.Settle(t)
	pick, ok := c.Focused().(*widgets.SearchSelect)
	if !ok {
		t.Fatalf("Ctrl+F on the programmes focused %T", c.Focused())
	}
	pick.TypedRune('P')
	if !pick.IsOpen() || c.Focused() == pick {
		t.Fatal("typing in the cohort picker did not open its list")
	}
	// when Ctrl+N is pressed there
	press(h, fyne.KeyN)
	h.ui.Settle(t)
	// then the list closes and a new programme's name has the cursor
	if pick.IsOpen() {
		t.Error("the picker's list stayed open over the new programme")
	}
	if _, ok := c.Focused().(*kit.Entry); !ok {
		t.Fatalf("Ctrl+N in the picker's list focused %T", c.Focused())
	}

	// given the instructors, the cursor in the field of expertise (typed
	// or picked from the known ones)
	h.shell.Navigate("nav.instructors")
	h.ui.Settle(t)
	field := findSelectEntry(h.win.Content())
	if field == nil {
		t.Fatal("no field of expertise on the instructor screen")
	}
	c.Focus(field)
	// when Ctrl+F is pressed in it
	press(h, fyne.KeyF)
	h.ui.Settle(t)
	// then the instructor search has the keyboard
	if e, ok := c.Focused().(*widgets.Entry); !ok || e.PlaceHolder == "" {
		t.Fatalf("Ctrl+F in the field of expertise focused %T", c.Focused())
	}
	// and Ctrl+N from it starts a new instructor, the cursor in the name
	c.Focus(field)
	press(h, fyne.KeyN)
	h.ui.Settle(t)
	if e, ok := c.Focused().(*kit.Entry); !ok || e == nil {
		t.Fatalf("Ctrl+N in the field of expertise focused %T", c.Focused())
	}

	// given the kemandirian overview, whose records are on tabs
	kem := h.shell.Navigate("nav.kemandirian")
	h.ui.Settle(t)
	// when Ctrl+N and then Ctrl+F are pressed
	press(h, fyne.KeyN)
	h.ui.Settle(t)
	if h.shell.Current() != kem || c.Focused() == nil {
		t.Fatalf("Ctrl+N on the kemandirian went to %T, focused %T", h.shell.Current(), c.Focused())
	}
	press(h, fyne.KeyF)
	h.ui.Settle(t)
	// then a new ledger line is started and the ledger's search has the keyboard
	if e, ok := c.Focused().(*widgets.Entry); !ok || e.PlaceHolder == "" || h.shell.Current() != kem {
		t.Fatalf("Ctrl+F on the kemandirian ledger focused %T on %T", c.Focused(), h.shell.Current())
	}
}

// findSelectEntry is the first widgets.SelectEntry drawn under o.
func findSelectEntry(o fyne.CanvasObject) *widgets.SelectEntry {
	switch x := o.(type) {
	case *widgets.SelectEntry:
		return x
	case *fyne.Container:
		for _, c := range x.Objects {
			if e := findSelectEntry(c); e != nil {
				return e
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			if e := findSelectEntry(c); e != nil {
				return e
			}
		}
	}
	return nil
}
