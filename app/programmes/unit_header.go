package programmes

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/kit"
)

// unitHeader is a column header of the results grid: the unit's code and,
// under it, the start of its title, so units whose codes begin alike can be
// told apart. Pointing at it (or tapping it, on a touch screen) hands its
// column to show, which puts the full title in a line over the grid.
type unitHeader struct {
	widget.BaseWidget
	code, title *widget.Label
	col         int // grid column, 0: the names
	show        func(col int)
}

var (
	_ desktop.Hoverable = (*unitHeader)(nil)
	_ fyne.Tappable     = (*unitHeader)(nil)
)

func newUnitHeader(show func(col int)) *unitHeader {
	h := &unitHeader{show: show}
	h.code = kit.Label(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText})
	h.title = kit.Label(&widget.Label{Truncation: fyne.TextTruncateEllipsis, SizeName: theme.SizeNameCaptionText})
	h.ExtendBaseWidget(h)
	return h
}

func (h *unitHeader) set(col int, code, title string, align fyne.TextAlign) {
	h.col = col
	h.code.Alignment, h.title.Alignment = align, align
	h.code.SetText(code)
	h.title.SetText(title)
}

// CreateRenderer stacks code and title with no gap between them.
func (h *unitHeader) CreateRenderer() fyne.WidgetRenderer {
	// the labels' own padding is plenty between the two lines
	return widget.NewSimpleRenderer(container.New(layout.NewCustomPaddedVBoxLayout(-theme.Padding()*2), h.code, h.title))
}

// MouseIn shows the unit's full title.
func (h *unitHeader) MouseIn(*desktop.MouseEvent) {
	if h.show != nil {
		h.show(h.col)
	}
}

// MouseMoved is part of desktop.Hoverable.
func (h *unitHeader) MouseMoved(*desktop.MouseEvent) {}

// MouseOut is part of desktop.Hoverable; the title stays until another
// header is pointed at, so it can be read while moving to a cell.
func (h *unitHeader) MouseOut() {}

// Tapped shows the unit's full title (touch screens have no hover).
func (h *unitHeader) Tapped(*fyne.PointEvent) {
	if h.show != nil {
		h.show(h.col)
	}
}
