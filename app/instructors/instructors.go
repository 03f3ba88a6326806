// Package instructors is the "Instruktur" screen: the people who teach the
// centre's cohorts, with their NIK, mobile number, vocational field and
// certification, validated beside each field as they are typed. It is a
// kit.Records screen: the list, paging, search, sort, save and delete are
// the kit's; this package says what an instructor looks like. It reads and
// writes through the store only (no SQL) and never imports the Fyne app
// package, so it tests headless.
package instructors

import (
	"context"
	"strings"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// Store is what the screen reads and writes: the kit's record calls only
// (instructors, and the vocational catalogue for the field's choices).
// *store.Store satisfies it.
type Store interface {
	kit.Store
}

// Screen is the instructor list and form.
type Screen struct {
	*kit.Records[*domain.Instructor]
	st     Store
	fields []*domain.VocationalField
	used   []string // field codes instructors use, when the catalogue lacks them

	name, nik, phone, email, cert *kit.Entry
	field                         *widgets.SelectEntry
}

// New builds the screen; call Update to load it.
func New(deps screen.Deps, st Store) *Screen {
	s := &Screen{st: st}
	s.Records = kit.NewRecords(deps, st, kit.Spec[*domain.Instructor]{
		Columns: []widgets.Column[*domain.Instructor]{
			{Title: i18n.T("instr.name"), Width: 200, Text: func(in *domain.Instructor) string { return in.Name }, Key: "name"},
			{Title: i18n.T("instr.field"), Width: 130, Text: func(in *domain.Instructor) string { return in.FieldCode }, Key: "field_code"},
			{Title: i18n.T("instr.phone"), Width: 130, Text: func(in *domain.Instructor) string { return domain.LocalPhone(in.Phone) }},
		},
		OrderBy:   "name",
		SearchIn:  []string{"name", "nik", "field_code", "certification"},
		Tables:    []string{"instructors", "vocational_fields"},
		Fields:    s.addFields,
		Blank:     func() *domain.Instructor { return &domain.Instructor{} },
		Fill:      s.fill,
		Read:      s.read,
		Extra:     s.loadFields,
		CountText: func(n int) string { return i18n.Count("instr.count", n) },
		NewLabel:  i18n.T("instr.new"),
		Fix:       i18n.T("instr.fix"),
		Saved:     func(in *domain.Instructor) string { return i18n.T("instr.saved", in.Name) },
		ConfirmDelete: func(in *domain.Instructor) string {
			return i18n.T("instr.confirm_delete", in.Name)
		},
		Deleted: func(in *domain.Instructor) string { return i18n.T("instr.deleted", in.Name) },
	})
	return s
}

func (s *Screen) addFields(f *kit.Form) {
	s.name = f.Entry("name", i18n.T("instr.name"), "")
	s.nik = f.Entry("nik", i18n.T("instr.nik"), "3201…")
	s.phone = f.Entry("phone", i18n.T("instr.phone"), "0812-…")
	s.email = f.Entry("email", i18n.T("instr.email"), "")
	s.field = widgets.NewSelectEntry(nil)
	s.field.PlaceHolder = i18n.T("instr.field_hint")
	s.field.OnChanged = func(string) { f.Revalidate() }
	f.Add("field_code", i18n.T("instr.field"), s.field)
	s.cert = f.Entry("certification", i18n.T("instr.certification"), "")
}

// loadFields reads the vocational catalogue and the field codes in use
// (off the UI goroutine) for the field's choices.
func (s *Screen) loadFields(ctx context.Context) (func(), error) {
	fields, err := store.ListOf[*domain.VocationalField](ctx, s.st, store.Query{OrderBy: "code"})
	if err != nil {
		return nil, err
	}
	var used []string
	if len(fields) == 0 {
		ins, err := store.ListOf[*domain.Instructor](ctx, s.st, store.Query{OrderBy: "field_code"})
		if err != nil {
			return nil, err
		}
		for _, in := range ins {
			if in.FieldCode != "" && (len(used) == 0 || used[len(used)-1] != in.FieldCode) {
				used = append(used, in.FieldCode)
			}
		}
	}
	return func() {
		s.fields, s.used = fields, used
		s.field.SetOptions(s.fieldOptions())
	}, nil
}

// fieldOptions are "CODE — name" of the reference catalogue, or the codes
// instructors already use when the catalogue has not arrived yet.
func (s *Screen) fieldOptions() []string {
	var out []string
	for _, f := range s.fields {
		name := f.NameID
		if i18n.Lang() == domain.English && f.NameEN != "" {
			name = f.NameEN
		}
		out = append(out, f.Code+" — "+name)
	}
	return append(out, s.used...)
}

func fieldCode(s string) string {
	code, _, _ := strings.Cut(s, " — ")
	return strings.ToUpper(strings.TrimSpace(code))
}

// fill shows in in the form.
func (s *Screen) fill(in *domain.Instructor) {
	s.name.SetText(in.Name)
	s.nik.SetText(in.NIK)
	s.phone.SetText(domain.LocalPhone(in.Phone))
	s.email.SetText(in.Email)
	s.field.SetText(in.FieldCode)
	for _, o := range s.fieldOptions() {
		if fieldCode(o) == in.FieldCode && in.FieldCode != "" {
			s.field.SetText(o)
		}
	}
	s.cert.SetText(in.Certification)
}

// read copies the form into in.
func (s *Screen) read(in *domain.Instructor) domain.Problems {
	in.Name, in.NIK, in.Phone, in.Email = s.name.Text, s.nik.Text, s.phone.Text, s.email.Text
	in.FieldCode, in.Certification = fieldCode(s.field.Text), s.cert.Text
	return nil
}
