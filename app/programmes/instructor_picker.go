package programmes

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
)

// instructorPicker is a searchable multi-select of instructors: the chosen
// ones one per line with a button that takes them off, and a search field
// that adds one. A centre with dozens of instructors no longer gets a row
// of check boxes wider than the window.
type instructorPicker struct {
	box     *fyne.Container
	chosen  *fyne.Container
	add     *widgets.SearchSelect
	hint    *widget.Label
	ids     []string          // chosen, in the order added
	names   map[string]string // id → name shown
	order   []string          // every instructor id, by name
	changed func()
}

func newInstructorPicker(changed func()) *instructorPicker {
	p := &instructorPicker{names: map[string]string{}, changed: changed}
	p.chosen = container.NewVBox()
	p.add = widgets.NewSearchSelect(i18n.T("cohort.instructor_add"), p.search, func(c widgets.Choice) {
		p.add.SetSelected(widgets.Choice{})
		p.Add(c.Code)
	})
	p.add.Hint = i18n.T("cohort.instructor_none_found")
	p.hint = kit.Label(&widget.Label{Text: i18n.T("cohort.no_instructors"), Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord})
	p.box = container.NewVBox(p.chosen, p.add, p.hint)
	return p
}

// Content is the picker's widget tree.
func (p *instructorPicker) Content() fyne.CanvasObject { return p.box }

// SetOptions sets the instructors to choose from; two of one name are told
// apart by the end of their id.
func (p *instructorPicker) SetOptions(ins []*domain.Instructor) {
	p.names, p.order = map[string]string{}, nil
	seen := map[string]bool{}
	for _, in := range ins {
		name := in.Name
		if seen[name] && len(in.ID) >= 4 {
			name += " (" + in.ID[len(in.ID)-4:] + ")"
		}
		seen[in.Name] = true
		p.names[in.ID] = name
		p.order = append(p.order, in.ID)
	}
	if len(ins) == 0 {
		p.hint.Show()
		p.add.Disable()
	} else {
		p.hint.Hide()
		p.add.Enable()
	}
	p.render()
}

func (p *instructorPicker) search(query string) []widgets.Choice {
	q := strings.ToLower(strings.TrimSpace(query))
	var out []widgets.Choice
	for _, id := range p.order {
		if p.has(id) {
			continue
		}
		if q == "" || strings.Contains(strings.ToLower(p.names[id]), q) {
			out = append(out, widgets.Choice{Label: p.names[id], Code: id})
		}
	}
	return out
}

func (p *instructorPicker) has(id string) bool {
	for _, x := range p.ids {
		if x == id {
			return true
		}
	}
	return false
}

// Add chooses the instructor with id.
func (p *instructorPicker) Add(id string) {
	if id == "" || p.has(id) {
		return
	}
	p.ids = append(p.ids, id)
	p.render()
	if p.changed != nil {
		p.changed()
	}
}

// Remove takes the instructor with id off.
func (p *instructorPicker) Remove(id string) {
	for i, x := range p.ids {
		if x == id {
			p.ids = append(p.ids[:i:i], p.ids[i+1:]...)
			p.render()
			if p.changed != nil {
				p.changed()
			}
			return
		}
	}
}

// SetIDs shows the comma-separated ids as chosen (without calling changed).
func (p *instructorPicker) SetIDs(csv string) {
	p.ids = nil
	for _, id := range strings.Split(csv, ",") {
		if id = strings.TrimSpace(id); id != "" && !p.has(id) {
			p.ids = append(p.ids, id)
		}
	}
	p.render()
}

// IDs are the chosen instructors, comma-separated as a cohort stores them.
func (p *instructorPicker) IDs() string { return strings.Join(p.ids, ",") }

// Names are the chosen instructors' names, in order.
func (p *instructorPicker) Names() []string {
	var out []string
	for _, id := range p.ids {
		out = append(out, p.name(id))
	}
	return out
}

func (p *instructorPicker) name(id string) string {
	if n, ok := p.names[id]; ok {
		return n
	}
	return i18n.T("cohort.instructor_unknown") // not on the books (deleted, or not pulled yet)
}

func (p *instructorPicker) render() {
	p.chosen.Objects = nil
	for _, id := range p.ids {
		id := id
		off := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { p.Remove(id) })
		off.Importance = widget.LowImportance
		name := kit.Label(&widget.Label{Text: p.name(id), Truncation: fyne.TextTruncateEllipsis})
		p.chosen.Add(container.NewBorder(nil, nil, nil, off, name))
	}
	p.chosen.Refresh()
}
