// Package partners is the "Mitra" screen: the centre's industry, UMKM,
// funder and government partners, with their MoU dates; MoUs that have ended
// are shown red and those ending within 60 days amber so they get renewed in
// time. It reads and writes through the store only (no SQL) and never
// imports the Fyne app package, so it tests headless.
package partners

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// ExpiringWindow is how far ahead an MoU end counts as "expiring".
const ExpiringWindow = 60 * 24 * time.Hour

// MoUState says how urgent a partner's MoU is on today.
type MoUState int

const (
	MoUNone     MoUState = iota // no end date
	MoUActive                   // ends later than the window
	MoUExpiring                 // ends within ExpiringWindow
	MoUExpired                  // ended before today
)

// StateOf classifies an MoU end date ("" or unreadable: MoUNone).
func StateOf(end string, today time.Time) MoUState {
	e, ok := domain.ParseDate(end)
	if !ok {
		return MoUNone
	}
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case e.Before(day):
		return MoUExpired
	case !e.After(day.Add(ExpiringWindow)):
		return MoUExpiring
	}
	return MoUActive
}

// Screen is the partner list and form.
type Screen struct {
	deps   screen.Deps
	root   fyne.CanvasObject
	rows   []*domain.Partner
	today  time.Time
	closed bool // dropped by the shell: loads that land later are ignored
	list   *widget.List
	count  *widget.Label

	form                                           *kit.Form
	name, mouNo, start, end, scope, contact, phone *kit.Entry
	typ                                            *kit.Choice
	current                                        *domain.Partner // nil: a new partner
	status                                         *widget.Label
	del                                            *widget.Button
}

// New builds the screen; call Update to load it.
func New(deps screen.Deps) *Screen {
	s := &Screen{deps: deps, today: deps.Store.Now()}
	s.count = widget.NewLabel("")
	s.list = widget.NewList(
		func() int { return len(s.rows) },
		kit.TwoLineItem,
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(s.rows) {
				return
			}
			p := s.rows[id]
			title, mou := kit.TwoLines(o)
			title.SetText(p.Name + " · " + domain.ChoiceLabel("partners.type", p.Type, i18n.Lang()))
			mou.Importance, mou.Text = s.mouText(p.MoUEnd)
			mou.Refresh()
		})
	s.list.OnSelected = func(id widget.ListItemID) {
		if id >= 0 && id < len(s.rows) {
			s.edit(s.rows[id])
		}
	}

	s.form = kit.New()
	s.name = s.form.Entry("name", i18n.T("partners.name"), "")
	s.typ = s.form.Select("type", i18n.T("partners.type"), "partners.type")
	s.mouNo = s.form.Entry("mou_number", i18n.T("partners.mou_number"), "")
	s.start = s.form.Entry("mou_start", i18n.T("partners.mou_start"), i18n.T("partners.date_hint"))
	s.end = s.form.Entry("mou_end", i18n.T("partners.mou_end"), i18n.T("partners.date_hint"))
	s.scope = s.form.Entry("scope", i18n.T("partners.scope"), "")
	s.contact = s.form.Entry("contact", i18n.T("partners.contact"), "")
	s.phone = s.form.Entry("phone", i18n.T("partners.phone"), "0812-…")
	s.form.Check = func() domain.Problems {
		p := s.record()
		domain.Normalize(p)
		ps := domain.Validate(p, deps.Store.Rules())
		if StateOf(p.MoUEnd, s.today) == MoUExpired {
			ps = append(ps, domain.Problem{Field: "mou_end", Level: domain.Warning, Code: "problem.mou.expired", Args: []any{p.MoUEnd}})
		}
		return ps
	}
	s.form.Submit = s.save
	s.form.Cancel = func() { s.edit(nil) }
	s.status = kit.Label(&widget.Label{Wrapping: fyne.TextWrapWord})
	save := kit.Button(&widget.Button{Text: i18n.T("common.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.save})
	s.del = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), s.confirmDelete)
	newBtn := widget.NewButtonWithIcon(i18n.T("partners.new"), theme.ContentAddIcon(), func() { s.edit(nil) })
	s.edit(nil)

	s.root = kit.Layout(newBtn, s.count, s.list, s.form, []fyne.CanvasObject{save, s.del}, s.status, 0.45)
	return s
}

// Content is the screen's root object.
func (s *Screen) Content() fyne.CanvasObject { return s.root }

// NewRecord empties the form for a new partner (Ctrl+N).
func (s *Screen) NewRecord() {
	s.list.UnselectAll()
	s.edit(nil)
	s.deps.Window.Canvas().Focus(s.name)
}

// Update reloads the partner list off the UI goroutine.
func (s *Screen) Update(ctx context.Context) {
	s.deps.Go(func() { s.reload(ctx) })
}

func (s *Screen) reload(ctx context.Context) {
	rows, err := store.ListOf[*domain.Partner](ctx, s.deps.Store, store.Query{OrderBy: "name"})
	today := s.deps.Store.Now()
	s.deps.Do(func() {
		if err != nil {
			screen.ShowError(s.deps.Window, err)
			return
		}
		if s.closed {
			return
		}
		s.rows, s.today = rows, today
		s.count.SetText(i18n.Count("partners.count", len(rows)))
		s.list.UnselectAll()
		s.list.Refresh()
	})
}

// Close lets go of the partners when the shell drops the screen (a
// language switch rebuilds every screen); a load still on its way is
// dropped when it lands.
func (s *Screen) Close() {
	s.closed = true
	s.rows = nil
	s.list.Refresh()
}

func (s *Screen) mouText(end string) (widget.Importance, string) {
	switch StateOf(end, s.today) {
	case MoUExpired:
		return widget.DangerImportance, i18n.T("partners.expired", end)
	case MoUExpiring:
		return widget.WarningImportance, i18n.T("partners.expiring", end)
	case MoUActive:
		return widget.MediumImportance, i18n.T("partners.active", end)
	}
	return widget.LowImportance, i18n.T("partners.no_mou")
}

// edit fills the form with p (nil: an empty form for a new partner).
func (s *Screen) edit(p *domain.Partner) {
	s.current = p
	if p == nil {
		p = &domain.Partner{}
		s.del.Disable()
	} else {
		s.del.Enable()
	}
	check := s.form.Check
	s.form.Check = nil // no messages while filling
	s.name.SetText(p.Name)
	s.typ.SetValue(p.Type)
	s.mouNo.SetText(p.MoUNumber)
	s.start.SetText(p.MoUStart)
	s.end.SetText(p.MoUEnd)
	s.scope.SetText(p.Scope)
	s.contact.SetText(p.Contact)
	s.phone.SetText(domain.LocalPhone(p.Phone))
	s.form.Check = check
	s.form.Show(nil)
	if s.current != nil {
		s.form.Revalidate() // an ended MoU is flagged when the partner is opened
	}
	s.status.SetText("")
}

// record is the partner as the form holds it now.
func (s *Screen) record() *domain.Partner {
	p := &domain.Partner{}
	if s.current != nil {
		*p = *s.current
	}
	p.Name, p.Type, p.MoUNumber = s.name.Text, s.typ.Value(), s.mouNo.Text
	p.MoUStart, p.MoUEnd, p.Scope = s.start.Text, s.end.Text, s.scope.Text
	p.Contact, p.Phone = s.contact.Text, s.phone.Text
	return p
}

func (s *Screen) save() {
	p := s.record()
	if ps := s.form.Check(); ps.Invalid() {
		s.form.ShowAndScroll(ps)
		s.status.SetText(i18n.T("partners.fix"))
		return
	}
	kit.Save(s.deps, p, func(warnings, refused domain.Problems) {
		if refused != nil {
			s.form.ShowAndScroll(refused)
			s.status.SetText(i18n.T("partners.fix"))
			return
		}
		s.current = p
		s.del.Enable()
		s.form.Show(warnings)
		s.status.SetText(i18n.T("partners.saved", p.Name))
		s.Update(context.Background())
	})
}

func (s *Screen) confirmDelete() {
	if p := s.current; p != nil {
		kit.ConfirmDelete(s.deps, i18n.T("partners.confirm_delete", p.Name), p, func() { s.deleted(p) })
	}
}

func (s *Screen) deleted(p *domain.Partner) {
	s.edit(nil)
	s.status.SetText(i18n.T("partners.deleted", p.Name))
	s.Update(context.Background())
}

// DataChanged (screen.Watcher) reloads what the screen shows when a
// committed write (its own, an import, a pull) changed one of its tables.
func (s *Screen) DataChanged(ctx context.Context, c store.Changed) {
	if c.Has("partners") {
		s.Update(ctx)
	}
}
