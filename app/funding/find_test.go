package funding

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// findButton walks the tree for the button labelled text.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	switch x := o.(type) {
	case *widget.Button:
		if x.Text == text {
			return x
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			if b := findButton(c, text); b != nil {
				return b
			}
		}
	case *container.Split:
		if b := findButton(x.Leading, text); b != nil {
			return b
		}
		return findButton(x.Trailing, text)
	case *container.Scroll:
		return findButton(x.Content, text)
	}
	return nil
}
