package widgets

import (
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
)

// villageSearchMin is how many letters the country-wide village search
// waits for: fewer match tens of thousands of villages.
const villageSearchMin = 3

// villageSearchLimit is how many villages the country-wide search lists.
const villageSearchLimit = 50

// RegionPicker chooses a Kemendagri region from the embedded codes by
// searching, level by level: province → regency/city → district → village.
// Each level lists the children of the one above, filtered by what is typed;
// choosing a level clears those below it and moves on to the next. Above
// them, Village searches every village of the country by name, for an
// operator who knows the village but not its district.
type RegionPicker struct {
	Levels  [4]*SearchSelect
	Village *SearchSelect
	codes   [4][]domain.Region
	code    string
	changed func(code string)
	box     *fyne.Container
}

// NewRegionPicker makes a picker; changed gets the most specific code chosen.
func NewRegionPicker(placeholders [4]string, changed func(code string)) *RegionPicker {
	p := &RegionPicker{changed: changed}
	objs := make([]fyne.CanvasObject, 4)
	for i := range p.Levels {
		level := i
		s := NewSearchSelect(placeholders[i], func(q string) []Choice { return p.search(level, q) }, func(c Choice) { p.chosen(level, c.Code) })
		s.Hint = i18n.T("widgets.region.none")
		p.Levels[i] = s
		objs[i] = s
	}
	p.Village = NewSearchSelect(i18n.T("widgets.region.find"), searchVillages, func(c Choice) {
		p.SetCode(c.Code)
		p.Village.SetSelected(Choice{})
		if p.changed != nil && p.code != "" {
			p.changed(p.code)
		}
	})
	p.Village.Hint = i18n.T("widgets.region.find.hint", villageSearchMin)
	p.Village.searchBox = true
	p.fill(0, "")
	p.box = container.NewVBox(p.Village, container.NewGridWithColumns(2, objs...))
	return p
}

// Object is the picker's canvas object.
func (p *RegionPicker) Object() fyne.CanvasObject { return p.box }

// Code is the most specific region chosen ("" when none).
func (p *RegionPicker) Code() string { return p.code }

// search lists the regions of level matching q.
func (p *RegionPicker) search(level int, q string) []Choice {
	rs := domain.FilterRegions(p.codes[level], q)
	out := make([]Choice, len(rs))
	for i, r := range rs {
		out[i] = Choice{Label: r.Name, Code: r.Code}
	}
	return out
}

func searchVillages(q string) []Choice {
	if utf8.RuneCountInString(q) < villageSearchMin {
		return nil
	}
	ms := domain.SearchVillages(q, villageSearchLimit)
	out := make([]Choice, len(ms))
	for i, m := range ms {
		out[i] = Choice{Label: m.Label, Code: m.Code}
	}
	return out
}

// fill offers the children of parent at level and clears the levels below.
func (p *RegionPicker) fill(level int, parent string) {
	for l := level; l < 4; l++ {
		p.codes[l] = nil
		p.Levels[l].SetSelected(Choice{})
		if l > level || (level > 0 && parent == "") {
			p.Levels[l].Disable()
		}
	}
	if level > 0 && parent == "" {
		return
	}
	p.codes[level] = domain.RegionChildren(parent)
	p.Levels[level].Enable()
}

func (p *RegionPicker) chosen(level int, code string) {
	p.code = code
	if level < 3 {
		p.fill(level+1, code)
		// the operator goes on typing the next level
		if c := fyne.CurrentApp().Driver().CanvasForObject(p.Levels[level+1]); c != nil {
			c.Focus(p.Levels[level+1])
		}
	}
	if p.changed != nil {
		p.changed(code)
	}
}

// SetCode selects every level down to code (dotted or plain); an unknown
// code clears the picker.
func (p *RegionPicker) SetCode(code string) {
	code = domain.NormalizeRegionCode(code)
	p.code = ""
	p.fill(0, "")
	for level, n := range []int{2, 4, 6, 10} {
		if len(code) < n {
			break
		}
		want := code[:n]
		found := false
		for _, r := range p.codes[level] {
			if r.Code == want {
				p.Levels[level].SetSelected(Choice{Label: r.Name, Code: r.Code})
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
