package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

func TestEntryLetsWindowShortcutsThroughAndKeepsItsOwn(t *testing.T) {
	// given an entry with text in a window that has Ctrl+N
	test.NewTempApp(t)
	e := NewEntry()
	w := test.NewTempWindow(t, e)
	news := 0
	ctrlN := &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	w.Canvas().AddShortcut(ctrlN, func(fyne.Shortcut) { news++ })
	e.SetText("Siti Aminah")
	w.Canvas().Focus(e)

	// when Ctrl+N reaches the focused entry
	e.TypedShortcut(ctrlN)
	// then the window's shortcut ran
	if news != 1 {
		t.Fatalf("Ctrl+N ran the window's shortcut %d times", news)
	}
	// and the entry's own shortcuts stay with it: select all, then cut
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
	clip := test.NewClipboard()
	e.TypedShortcut(&fyne.ShortcutCut{Clipboard: clip})
	if e.Text != "" || clip.Content() != "Siti Aminah" {
		t.Fatalf("after select all and cut: text %q, clipboard %q", e.Text, clip.Content())
	}
	// and a word move (Ctrl+Left) is not handed on
	if ForwardShortcut(e, &desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierShortcutDefault}) {
		t.Fatal("Ctrl+Left was handed to the window")
	}
}
