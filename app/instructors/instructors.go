// Package instructors is the "Instruktur" screen: the people who teach the
// centre's cohorts, with their NIK, mobile number, vocational field and
// certification, validated beside each field as they are typed. It reads and
// writes through the store only (no SQL) and never imports the Fyne app
// package, so it tests headless.
package instructors

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// Screen is the instructor list and form.
type Screen struct {
	deps   screen.Deps
	loads  kit.Loader
	root   fyne.CanvasObject
	rows   []*domain.Instructor
	fields []*domain.VocationalField
	table  *widgets.Table[*domain.Instructor]
	count  *widget.Label

	form                          *kit.Form
	name, nik, phone, email, cert *kit.Entry
	field                         *widget.SelectEntry
	current                       *domain.Instructor // nil: a new instructor
	status                        *widget.Label
	del                           *widget.Button
}

// New builds the screen; call Update to load it.
func New(deps screen.Deps) *Screen {
	s := &Screen{deps: deps}
	s.count = widget.NewLabel("")
	s.table = widgets.NewTable([]widgets.Column[*domain.Instructor]{
		{Title: i18n.T("instr.name"), Width: 200, Text: func(in *domain.Instructor) string { return in.Name },
			Less: func(a, b *domain.Instructor) bool { return strings.ToLower(a.Name) < strings.ToLower(b.Name) }},
		{Title: i18n.T("instr.field"), Width: 130, Text: func(in *domain.Instructor) string { return in.FieldCode },
			Less: func(a, b *domain.Instructor) bool { return a.FieldCode < b.FieldCode }},
		{Title: i18n.T("instr.phone"), Width: 130, Text: func(in *domain.Instructor) string { return domain.LocalPhone(in.Phone) }},
	})
	s.table.OnSelected = s.edit

	s.form = kit.New()
	s.name = s.form.Entry("name", i18n.T("instr.name"), "")
	s.nik = s.form.Entry("nik", i18n.T("instr.nik"), "3201…")
	s.phone = s.form.Entry("phone", i18n.T("instr.phone"), "0812-…")
	s.email = s.form.Entry("email", i18n.T("instr.email"), "")
	s.field = widget.NewSelectEntry(nil)
	s.field.PlaceHolder = i18n.T("instr.field_hint")
	s.form.Add("field_code", i18n.T("instr.field"), s.field)
	s.cert = s.form.Entry("certification", i18n.T("instr.certification"), "")
	s.form.Check = func() domain.Problems {
		in := s.record()
		domain.Normalize(in)
		return domain.Validate(in, deps.Store.Rules())
	}
	s.form.Submit = s.save
	s.form.Cancel = func() { s.edit(nil) }
	s.status = kit.Label(&widget.Label{Wrapping: fyne.TextWrapWord})
	save := kit.Button(&widget.Button{Text: i18n.T("common.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.save})
	s.del = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), s.confirmDelete)
	newBtn := widget.NewButtonWithIcon(i18n.T("instr.new"), theme.ContentAddIcon(), func() { s.edit(nil) })
	s.edit(nil)

	s.root = kit.Layout(newBtn, s.count, s.table, s.form, []fyne.CanvasObject{save, s.del}, s.status, 0.45)
	return s
}

// Content is the screen's root object.
func (s *Screen) Content() fyne.CanvasObject { return s.root }

// NewRecord empties the form for a new instructor (Ctrl+N).
func (s *Screen) NewRecord() {
	s.edit(nil)
	s.deps.Window.Canvas().Focus(s.name)
}

// Update reloads the list off the UI goroutine and swaps it in with one Do
// of its Runner; a load overtaken by a newer one is dropped.
func (s *Screen) Update(ctx context.Context) {
	type loaded struct {
		rows   []*domain.Instructor
		fields []*domain.VocationalField
	}
	kit.Load(&s.loads, s.deps, ctx, func(ctx context.Context) (loaded, error) {
		rows, err := store.ListOf[*domain.Instructor](ctx, s.deps.Store, store.Query{OrderBy: "name"})
		if err != nil {
			return loaded{}, err
		}
		fields, err := store.ListOf[*domain.VocationalField](ctx, s.deps.Store, store.Query{OrderBy: "code"})
		return loaded{rows, fields}, err
	}, func(l loaded) {
		s.rows, s.fields = l.rows, l.fields
		s.table.SetRows(l.rows)
		s.count.SetText(i18n.Count("instr.count", len(l.rows)))
		s.field.SetOptions(s.fieldOptions())
	})
}

// DataChanged (screen.Watcher) reloads the list when instructors or the
// vocational catalogue changed; the form keeps what is typed in it.
func (s *Screen) DataChanged(ctx context.Context, c store.Changed) {
	if c.Has("instructors", "vocational_fields") {
		s.Update(ctx)
	}
}

// Close drops loads still on their way (the shell rebuilds screens).
func (s *Screen) Close() { s.loads.Close() }

// fieldOptions are "CODE — name" of the reference catalogue, or the codes
// instructors already use when the catalogue has not arrived yet.
func (s *Screen) fieldOptions() []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range s.fields {
		name := f.NameID
		if i18n.Lang() == domain.English && f.NameEN != "" {
			name = f.NameEN
		}
		out = append(out, f.Code+" — "+name)
		seen[f.Code] = true
	}
	for _, in := range s.rows {
		if in.FieldCode != "" && !seen[in.FieldCode] {
			seen[in.FieldCode] = true
			out = append(out, in.FieldCode)
		}
	}
	return out
}

func fieldCode(s string) string {
	code, _, _ := strings.Cut(s, " — ")
	return strings.ToUpper(strings.TrimSpace(code))
}

// edit fills the form with in (nil: an empty form for a new instructor).
func (s *Screen) edit(in *domain.Instructor) {
	s.current = in
	if in == nil {
		in = &domain.Instructor{}
		s.del.Disable()
	} else {
		s.del.Enable()
	}
	check := s.form.Check
	s.form.Check = nil // no messages while filling
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
	s.form.Check = check
	s.form.Show(nil)
	s.status.SetText("")
}

// record is the instructor as the form holds it now.
func (s *Screen) record() *domain.Instructor {
	in := &domain.Instructor{}
	if s.current != nil {
		*in = *s.current
	}
	in.Name, in.NIK, in.Phone, in.Email = s.name.Text, s.nik.Text, s.phone.Text, s.email.Text
	in.FieldCode, in.Certification = fieldCode(s.field.Text), s.cert.Text
	return in
}

func (s *Screen) say(importance widget.Importance, text string) {
	s.status.Importance = importance
	s.status.SetText(text)
}

func (s *Screen) save() {
	in := s.record()
	if ps := s.form.Check(); ps.Invalid() {
		s.form.ShowAndScroll(ps)
		s.say(widget.DangerImportance, i18n.T("instr.fix"))
		return
	}
	kit.Save(s.deps, in, func(warnings, refused domain.Problems) {
		if refused != nil {
			s.form.ShowAndScroll(refused)
			s.say(widget.DangerImportance, i18n.T("instr.fix"))
			return
		}
		s.current = in
		s.del.Enable()
		s.form.Show(warnings)
		s.say(widget.SuccessImportance, i18n.T("instr.saved", in.Name))
		s.Update(context.Background())
	})
}

func (s *Screen) confirmDelete() {
	if s.current != nil {
		in := s.current
		kit.ConfirmDelete(s.deps, i18n.T("instr.confirm_delete", in.Name), in, func() { s.deleted(in) })
	}
}

func (s *Screen) delete(in *domain.Instructor) { kit.Delete(s.deps, in, func() { s.deleted(in) }) }

func (s *Screen) deleted(in *domain.Instructor) {
	s.edit(nil)
	s.say(widget.MediumImportance, i18n.T("instr.deleted", in.Name))
	s.Update(context.Background())
}
