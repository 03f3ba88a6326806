package uitest

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// FindButton walks o's tree (containers, splits, scrolls, tabs) for the
// button labelled text; nil when there is none.
func FindButton(o fyne.CanvasObject, text string) *widget.Button {
	switch x := o.(type) {
	case *widget.Button:
		if x.Text == text {
			return x
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			if b := FindButton(c, text); b != nil {
				return b
			}
		}
	case *container.Split:
		if b := FindButton(x.Leading, text); b != nil {
			return b
		}
		return FindButton(x.Trailing, text)
	case *container.Scroll:
		return FindButton(x.Content, text)
	case *container.AppTabs:
		for _, it := range x.Items {
			if b := FindButton(it.Content, text); b != nil {
				return b
			}
		}
	}
	return nil
}
