package uitest

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Text is one piece of text a screen shows, where it shows it.
type Text struct {
	Text string
	// Importance of a label (MediumImportance for other text).
	Importance widget.Importance
	// Label is true for a widget.Label (its text may be empty).
	Label bool
	Pos   fyne.Position // on the canvas, relative to the walked object
}

// Texts walks what o draws, as laid out now (through every widget's
// renderer, so table cells, tab labels and button texts are all there),
// and lists the visible texts in reading order: top to bottom, then left
// to right. Labels are listed even when empty (a blank grid cell); other
// empty texts are not. It is the reviewable replacement of a markup golden:
// a test asserts the texts and their order, not every pixel position.
func Texts(o fyne.CanvasObject) []Text {
	var out []Text
	var walk func(o fyne.CanvasObject, at fyne.Position)
	walk = func(o fyne.CanvasObject, at fyne.Position) {
		if o == nil || !o.Visible() {
			return
		}
		pos := at.Add(o.Position())
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, Text{Text: x.Text, Importance: x.Importance, Label: true, Pos: pos})
			return
		case *canvas.Text:
			if x.Text != "" {
				out = append(out, Text{Text: x.Text, Importance: widget.MediumImportance, Pos: pos})
			}
			return
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c, pos)
			}
			return
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c, pos)
			}
		}
	}
	walk(o, fyne.Position{X: -o.Position().X, Y: -o.Position().Y})
	sort.SliceStable(out, func(i, j int) bool {
		if d := out[i].Pos.Y - out[j].Pos.Y; d < -2 || d > 2 {
			return d < 0
		}
		return out[i].Pos.X < out[j].Pos.X
	})
	return out
}

// Rows groups texts (as Texts lists them) into lines: texts whose tops lie
// within a few pixels of each other are one line, left to right.
func Rows(ts []Text) [][]Text {
	var rows [][]Text
	for _, t := range ts {
		n := len(rows)
		if n > 0 {
			if d := t.Pos.Y - rows[n-1][0].Pos.Y; d >= -2 && d <= 2 {
				rows[n-1] = append(rows[n-1], t)
				continue
			}
		}
		rows = append(rows, []Text{t})
	}
	return rows
}

// Strings are the texts of ts.
func Strings(ts []Text) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Text
	}
	return out
}

// Lines are what o shows, line by line (Rows), each line's texts joined by
// " | ". Lines that hold only empty labels (the reserved problem lines of
// a form, blank cells) are left out.
func Lines(o fyne.CanvasObject) []string {
	var out []string
	for _, r := range Rows(Texts(o)) {
		if line := strings.Join(Strings(r), " | "); strings.Trim(line, " |") != "" {
			out = append(out, line)
		}
	}
	return out
}

// AssertLines fails t unless o reads want, line by line (Lines): the
// reviewable replacement of a markup golden, printing both on failure.
func AssertLines(t testing.TB, what string, o fyne.CanvasObject, want []string) {
	t.Helper()
	if got := Lines(o); !slices.Equal(got, want) {
		t.Errorf("%s reads, line by line:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
