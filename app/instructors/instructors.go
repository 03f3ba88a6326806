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
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/programmes/recordform"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// background runs store work off the UI goroutine; tests make it synchronous.
var background = func(f func()) { go f() }

// Screen is the instructor list and form.
type Screen struct {
	deps   screen.Deps
	root   fyne.CanvasObject
	rows   []*domain.Instructor
	fields []*domain.VocationalField
	table  *widgets.Table[*domain.Instructor]
	count  *widget.Label

	form                          *recordform.Form
	name, nik, phone, email, cert *widget.Entry
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

	s.form = recordform.New()
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
	s.status = recordform.Label(&widget.Label{Wrapping: fyne.TextWrapWord})
	save := recordform.Button(&widget.Button{Text: i18n.T("common.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.save})
	s.del = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), s.confirmDelete)
	newBtn := widget.NewButtonWithIcon(i18n.T("instr.new"), theme.ContentAddIcon(), func() { s.edit(nil) })
	s.edit(nil)

	s.root = recordform.Layout(newBtn, s.count, s.table, s.form, []fyne.CanvasObject{save, s.del}, s.status, 0.45)
	return s
}

// Content is the screen's root object.
func (s *Screen) Content() fyne.CanvasObject { return s.root }

// NewRecord empties the form for a new instructor (Ctrl+N).
func (s *Screen) NewRecord() {
	s.edit(nil)
	s.deps.Window.Canvas().Focus(s.name)
}

// Update reloads the list off the UI goroutine and swaps it in with one fyne.Do.
func (s *Screen) Update(ctx context.Context) {
	background(func() {
		rows, err := store.ListOf[*domain.Instructor](ctx, s.deps.Store, store.Query{OrderBy: "name"})
		var fields []*domain.VocationalField
		if err == nil {
			fields, err = store.ListOf[*domain.VocationalField](ctx, s.deps.Store, store.Query{OrderBy: "code"})
		}
		fyne.Do(func() {
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.rows, s.fields = rows, fields
			s.table.SetRows(rows)
			s.count.SetText(i18n.Count("instr.count", len(rows)))
			s.field.SetOptions(s.fieldOptions())
		})
	})
}

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
		s.form.Show(ps)
		s.say(widget.DangerImportance, i18n.T("instr.fix"))
		return
	}
	background(func() {
		warnings, err := s.deps.Store.Save(context.Background(), in)
		fyne.Do(func() {
			if ps := recordform.ProblemsOf(err); ps != nil {
				s.form.Show(ps)
				s.say(widget.DangerImportance, i18n.T("instr.fix"))
				return
			}
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.current = in
			s.del.Enable()
			s.form.Show(warnings)
			s.say(widget.SuccessImportance, i18n.T("instr.saved", in.Name))
			s.deps.Changed()
			s.Update(context.Background())
		})
	})
}

func (s *Screen) confirmDelete() {
	in := s.current
	if in == nil {
		return
	}
	dialog.ShowConfirm(i18n.T("common.delete"), i18n.T("instr.confirm_delete", in.Name), func(ok bool) {
		if ok {
			s.delete(in)
		}
	}, s.deps.Window)
}

func (s *Screen) delete(in *domain.Instructor) {
	background(func() {
		err := s.deps.Store.Delete(context.Background(), in)
		fyne.Do(func() {
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.edit(nil)
			s.say(widget.MediumImportance, i18n.T("instr.deleted", in.Name))
			s.deps.Changed()
			s.Update(context.Background())
		})
	})
}
