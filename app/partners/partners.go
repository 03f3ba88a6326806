// Package partners is the "Mitra" screen: the centre's industry, UMKM,
// funder and government partners, with their MoU dates; MoUs that have ended
// are shown red and those ending within 60 days amber so they get renewed in
// time. It reads and writes through the store only (no SQL) and never
// imports the Fyne app package, so it tests headless.
package partners

import (
	"context"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/datefield"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
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

// Screen is the partner list and form, a kit.Records screen.
type Screen struct {
	*kit.Records[*domain.Partner]
	today time.Time
	now   func() time.Time // the store's clock, for the date fields

	name, mouNo, scope, contact, phone *kit.Entry
	start, end                         *datefield.Entry
	typ, category                      *kit.Choice
}

// Store is what the screen reads and writes: the kit's record calls
// (partners) only. *store.Store satisfies it.
type Store interface {
	kit.Store
}

// New builds the screen; call Update to load it.
func New(deps screen.Deps, st Store) *Screen {
	s := &Screen{today: deps.Now(), now: deps.Now}
	s.Records = kit.NewRecords(deps, st, kit.Spec[*domain.Partner]{
		Columns: []widgets.Column[*domain.Partner]{
			{Title: i18n.T("partners.name"), Width: 140, Text: func(p *domain.Partner) string { return p.Name }, Key: "name"},
			{Title: i18n.T("partners.type"), Width: 95, Key: "type", Text: func(p *domain.Partner) string {
				return domain.ChoiceLabel("partners.type", p.Type, i18n.Lang())
			}},
			{Title: i18n.T("partners.mou_end"), Width: 172, Key: "mou_end",
				Text:       func(p *domain.Partner) string { _, t := s.mou(p); return t },
				Importance: func(p *domain.Partner) widget.Importance { i, _ := s.mou(p); return i }},
		},
		OrderBy:  "name",
		SearchIn: []string{"name", "mou_number", "scope", "contact"},
		Tables:   []string{"partners"},
		Fields:   s.addFields,
		Blank:    func() *domain.Partner { return &domain.Partner{} },
		Fill:     s.fill,
		Read:     s.read,
		Check: func(p *domain.Partner) domain.Problems {
			if StateOf(p.MoUEnd, s.today) == MoUExpired {
				return domain.Problems{{Field: "mou_end", Level: domain.Warning, Code: "problem.mou.expired", Args: []any{domain.ShowDate(p.MoUEnd)}}}
			}
			return nil
		},
		CheckOnOpen: true, // an ended MoU is flagged when the partner is opened
		Extra: func(context.Context) (func(), error) {
			today := deps.Now()
			return func() { s.today = today }, nil
		},
		CountText:     func(n int) string { return i18n.Count("partners.count", n) },
		NewLabel:      i18n.T("partners.new"),
		Fix:           i18n.T("partners.fix"),
		Saved:         func(p *domain.Partner) string { return i18n.T("partners.saved", p.Name) },
		ConfirmDelete: func(p *domain.Partner) string { return i18n.T("partners.confirm_delete", p.Name) },
		Deleted:       func(p *domain.Partner) string { return i18n.T("partners.deleted", p.Name) },
		SplitOffset:   0.55,
	})
	return s
}

func (s *Screen) addFields(f *kit.Form) {
	s.name = f.Entry("name", i18n.T("partners.name"), "")
	s.typ = f.Select("type", i18n.T("partners.type"), "partners.type")
	// the road map's partnership criterion counts partners by category
	s.category = f.Select("category", domain.FieldLabel("category", i18n.Lang()), "partners.category")
	s.mouNo = f.Entry("mou_number", i18n.T("partners.mou_number"), "")
	s.start = f.Date("mou_start", i18n.T("partners.mou_start"), s.now)
	s.end = f.Date("mou_end", i18n.T("partners.mou_end"), s.now)
	s.scope = f.Entry("scope", i18n.T("partners.scope"), "")
	s.contact = f.Entry("contact", i18n.T("partners.contact"), "")
	s.phone = f.Entry("phone", i18n.T("partners.phone"), "0812-…")
}

// mou is the MoU end as the list shows it: the date, and how urgent it is
// in words and colour (ended red, ending within the window amber).
func (s *Screen) mou(p *domain.Partner) (widget.Importance, string) {
	switch StateOf(p.MoUEnd, s.today) {
	case MoUExpired:
		return widget.DangerImportance, i18n.T("partners.col_expired", domain.ShowDate(p.MoUEnd))
	case MoUExpiring:
		return widget.WarningImportance, i18n.T("partners.col_expiring", domain.ShowDate(p.MoUEnd))
	case MoUActive:
		return widget.MediumImportance, domain.ShowDate(p.MoUEnd)
	}
	return widget.LowImportance, i18n.T("partners.no_mou")
}

// fill shows p in the form.
func (s *Screen) fill(p *domain.Partner) {
	s.name.SetText(p.Name)
	s.typ.SetValue(p.Type)
	s.category.SetValue(p.Category)
	s.mouNo.SetText(p.MoUNumber)
	s.start.SetISO(p.MoUStart)
	s.end.SetISO(p.MoUEnd)
	s.scope.SetText(p.Scope)
	s.contact.SetText(p.Contact)
	s.phone.SetText(domain.LocalPhone(p.Phone))
}

// read copies the form into p.
func (s *Screen) read(p *domain.Partner) domain.Problems {
	p.Name, p.Type, p.Category, p.MoUNumber = s.name.Text, s.typ.Value(), s.category.Value(), s.mouNo.Text
	p.MoUStart, p.MoUEnd, p.Scope = s.start.ISO(), s.end.ISO(), s.scope.Text
	p.Contact, p.Phone = s.contact.Text, s.phone.Text
	return nil
}
