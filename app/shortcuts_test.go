package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

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
