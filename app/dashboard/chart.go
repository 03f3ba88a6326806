package dashboard

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// bar is one row of a horizontal bar chart.
type bar struct {
	Label  string
	Value  float64
	Max    float64 // 0: the largest value in the chart
	Text   string  // drawn after the bar
	Colour color.Color
}

// chart draws horizontal bars, scaled to the largest value: label above,
// a rectangle whose width is the value's share, the number beside it.
func chart(bars []bar, empty string) fyne.CanvasObject {
	if len(bars) == 0 {
		return &widget.Label{Text: empty, Importance: widget.LowImportance}
	}
	max := 0.0
	for _, b := range bars {
		if b.Value > max {
			max = b.Value
		}
	}
	rows := make([]fyne.CanvasObject, 0, len(bars))
	for _, b := range bars {
		m := b.Max
		if m == 0 {
			m = max
		}
		frac := float32(0)
		if m > 0 {
			frac = float32(b.Value / m)
		}
		col := b.Colour
		if col == nil {
			col = theme.Color(theme.ColorNamePrimary)
		}
		rect := canvas.NewRectangle(col)
		rect.CornerRadius = 3
		track := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
		track.CornerRadius = 3
		value := &widget.Label{Text: b.Text}
		label := &widget.Label{Text: b.Label, Truncation: fyne.TextTruncateEllipsis}
		barArea := container.New(&fracLayout{frac: frac}, track, rect)
		rows = append(rows, container.NewVBox(label, container.NewBorder(nil, nil, nil, value, barArea)))
	}
	return container.NewVBox(rows...)
}

// fracLayout stretches the first object (the track) over the whole width and
// the second (the bar) over frac of it, both 18 units high.
type fracLayout struct{ frac float32 }

func (l *fracLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	h := float32(18)
	y := (size.Height - h) / 2
	for i, o := range objs {
		w := size.Width
		if i == 1 {
			w = size.Width * l.frac
		}
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(w, h))
	}
}

func (l *fracLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(80, 22) }
