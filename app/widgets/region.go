package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/domain"
)

// RegionPicker chooses a Kemendagri region from the embedded codes, level by
// level: province → regency/city → district → village. Each level lists the
// children of the one above; choosing a level clears those below it.
type RegionPicker struct {
	Levels  [4]*widget.Select
	codes   [4][]domain.Region
	code    string
	changed func(code string)
	box     *fyne.Container
	setting bool
}

// NewRegionPicker makes a picker; changed gets the most specific code chosen.
func NewRegionPicker(placeholders [4]string, changed func(code string)) *RegionPicker {
	p := &RegionPicker{changed: changed}
	objs := make([]fyne.CanvasObject, 4)
	for i := range p.Levels {
		level := i
		sel := widget.NewSelect(nil, func(string) { p.chosen(level) })
		sel.PlaceHolder = placeholders[i]
		p.Levels[i] = sel
		objs[i] = sel
	}
	p.fill(0, "")
	p.box = container.NewGridWithColumns(2, objs...)
	return p
}

// Object is the picker's canvas object.
func (p *RegionPicker) Object() fyne.CanvasObject { return p.box }

// Code is the most specific region chosen ("" when none).
func (p *RegionPicker) Code() string { return p.code }

// fill lists the children of parent at level and clears the levels below.
func (p *RegionPicker) fill(level int, parent string) {
	for l := level; l < 4; l++ {
		p.codes[l] = nil
		p.Levels[l].Options = nil
		p.Levels[l].Selected = ""
		if l > level || (level > 0 && parent == "") {
			p.Levels[l].Disable()
		}
		p.Levels[l].Refresh()
	}
	if level > 0 && parent == "" {
		return
	}
	rs := domain.RegionChildren(parent)
	p.codes[level] = rs
	opts := make([]string, len(rs))
	for i, r := range rs {
		opts[i] = r.Name
	}
	p.Levels[level].Options = opts
	p.Levels[level].Enable()
	p.Levels[level].Refresh()
}

func (p *RegionPicker) chosen(level int) {
	if p.setting {
		return
	}
	i := p.Levels[level].SelectedIndex()
	if i < 0 || i >= len(p.codes[level]) {
		return
	}
	code := p.codes[level][i].Code
	p.code = code
	if level < 3 {
		p.fill(level+1, code)
	}
	if p.changed != nil {
		p.changed(code)
	}
}

// SetCode selects every level down to code (dotted or plain); an unknown
// code clears the picker.
func (p *RegionPicker) SetCode(code string) {
	code = domain.NormalizeRegionCode(code)
	p.setting = true
	defer func() { p.setting = false }()
	p.code = ""
	p.fill(0, "")
	prefixes := []int{2, 4, 6, 10}
	for level, n := range prefixes {
		if len(code) < n {
			break
		}
		want := code[:n]
		found := false
		for i, r := range p.codes[level] {
			if r.Code == want {
				p.Levels[level].SetSelectedIndex(i)
				p.code = want
				if level < 3 {
					p.fill(level+1, want)
				}
				found = true
				break
			}
		}
		if !found {
			break
		}
	}
}
