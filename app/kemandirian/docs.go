package kemandirian

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/datefield"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// Docs is the list and form of the centre's legal documents (operating
// permit, VIN, LA-LPK accreditation with its grade, foundation deed), the
// records behind the legal criterion.
type Docs struct {
	deps   screen.Deps
	loads  kit.Loader
	root   fyne.CanvasObject
	table  *widgets.Table[*domain.LegalDocument]
	count  *widget.Label
	form   *kit.Form
	kind   *kit.Choice
	grade  *kit.Choice
	number *kit.Entry
	issuer *kit.Entry
	issued *datefield.Entry
	expiry *datefield.Entry
	note   *kit.Entry
	status *widget.Label
	del    *widget.Button

	current *domain.LegalDocument // nil: a new document
}

// NewDocs builds the legal documents screen; call Update to load it.
func NewDocs(deps screen.Deps) *Docs {
	s := &Docs{deps: deps}
	s.count = widget.NewLabel("")
	kindOf := func(d *domain.LegalDocument) string {
		return domain.ChoiceLabel("legal_documents.doc_kind", d.Kind, i18n.Lang())
	}
	s.table = widgets.NewTable([]widgets.Column[*domain.LegalDocument]{
		{Title: i18n.T("field.doc_kind"), Width: 150, Text: kindOf,
			Less: func(a, b *domain.LegalDocument) bool { return kindOf(a) < kindOf(b) }},
		{Title: i18n.T("field.doc_number"), Width: 170, Text: func(d *domain.LegalDocument) string { return d.Number }},
		{Title: i18n.T("field.expires_on"), Width: 110, Text: func(d *domain.LegalDocument) string { return d.ExpiresOn },
			Less: func(a, b *domain.LegalDocument) bool { return a.ExpiresOn < b.ExpiresOn }},
	})
	s.table.OnSelected = s.edit

	s.form = kit.New()
	s.kind = s.form.Select("doc_kind", i18n.T("field.doc_kind"), "legal_documents.doc_kind")
	s.number = s.form.Entry("doc_number", i18n.T("field.doc_number"), "")
	s.grade = s.form.Select("grade", i18n.T("field.grade"), "legal_documents.grade")
	s.issuer = s.form.Entry("issuer", i18n.T("field.issuer"), "")
	s.issued = dateField(s.form, "issued_on", i18n.T("field.issued_on"), deps.Store.Now, "")
	s.expiry = dateField(s.form, "expires_on", i18n.T("field.expires_on"), deps.Store.Now, i18n.T("kemrec.no_expiry"))
	s.note = s.form.Entry("note", i18n.T("field.note"), "")
	s.form.Check = func() domain.Problems {
		d := s.record()
		domain.Normalize(d)
		return domain.Validate(d, deps.Store.Rules())
	}
	s.form.Submit = s.save
	s.form.Cancel = func() { s.edit(nil) }
	s.status = kit.Label(&widget.Label{Wrapping: fyne.TextWrapWord})
	save := kit.Button(&widget.Button{Text: i18n.T("common.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.save})
	s.del = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), s.confirmDelete)
	newBtn := widget.NewButtonWithIcon(i18n.T("kemrec.doc_new"), theme.ContentAddIcon(), func() { s.edit(nil) })
	s.edit(nil)
	s.root = kit.Layout(newBtn, s.count, s.table, s.form, []fyne.CanvasObject{save, s.del}, s.status, 0.58)
	return s
}

// Content is the screen's root object.
func (s *Docs) Content() fyne.CanvasObject { return s.root }

// Update reloads the documents off the UI goroutine.
func (s *Docs) Update(ctx context.Context) {
	kit.Load(&s.loads, s.deps, ctx, func(ctx context.Context) ([]*domain.LegalDocument, error) {
		return store.ListOf[*domain.LegalDocument](ctx, s.deps.Store, store.Query{OrderBy: "doc_kind"})
	}, func(rows []*domain.LegalDocument) {
		s.table.SetRows(rows)
		s.count.SetText(i18n.T("kemrec.doc_count", len(rows)))
	})
}

// DataChanged (screen.Watcher) reloads when the documents changed.
func (s *Docs) DataChanged(ctx context.Context, c store.Changed) {
	if c.Has("legal_documents") {
		s.Update(ctx)
	}
}

// Close drops loads still on their way.
func (s *Docs) Close() { s.loads.Close() }

func (s *Docs) edit(d *domain.LegalDocument) {
	s.current = d
	if d == nil {
		d = &domain.LegalDocument{}
		s.del.Disable()
	} else {
		s.del.Enable()
	}
	check := s.form.Check
	s.form.Check = nil // no messages while filling
	s.kind.SetValue(d.Kind)
	s.number.SetText(d.Number)
	s.grade.SetValue(d.Grade)
	s.issuer.SetText(d.Issuer)
	s.issued.SetISO(d.IssuedOn)
	s.expiry.SetISO(d.ExpiresOn)
	s.note.SetText(d.Note)
	s.form.Check = check
	s.form.Show(nil)
	s.status.SetText("")
}

func (s *Docs) record() *domain.LegalDocument {
	d := &domain.LegalDocument{}
	if s.current != nil {
		*d = *s.current
	}
	d.Kind, d.Number, d.Grade = s.kind.Value(), s.number.Text, s.grade.Value()
	d.Issuer, d.IssuedOn, d.ExpiresOn, d.Note = s.issuer.Text, s.issued.ISO(), s.expiry.ISO(), s.note.Text
	return d
}

func (s *Docs) say(importance widget.Importance, text string) {
	s.status.Importance = importance
	s.status.SetText(text)
}

func (s *Docs) save() {
	d := s.record()
	if ps := s.form.Check(); ps.Invalid() {
		s.form.ShowAndScroll(ps)
		s.say(widget.DangerImportance, i18n.T("kem.fix"))
		return
	}
	kit.Save(s.deps, d, func(warnings, refused domain.Problems) {
		if refused != nil {
			s.form.ShowAndScroll(refused)
			s.say(widget.DangerImportance, i18n.T("kem.fix"))
			return
		}
		s.current = d
		s.del.Enable()
		s.form.Show(warnings)
		s.say(widget.SuccessImportance, i18n.T("kemrec.doc_saved", domain.ChoiceLabel("legal_documents.doc_kind", d.Kind, i18n.Lang()), d.Number))
		s.Update(context.Background())
	})
}

func (s *Docs) confirmDelete() {
	if d := s.current; d != nil {
		kind := domain.ChoiceLabel("legal_documents.doc_kind", d.Kind, i18n.Lang())
		kit.ConfirmDelete(s.deps, i18n.T("kemrec.doc_confirm_delete", kind, d.Number), d, func() { s.deleted(d) })
	}
}

// delete is confirmDelete once the operator said yes (for tests).
func (s *Docs) delete(d *domain.LegalDocument) { kit.Delete(s.deps, d, func() { s.deleted(d) }) }

func (s *Docs) deleted(d *domain.LegalDocument) {
	s.edit(nil)
	s.say(widget.MediumImportance, i18n.T("kemrec.doc_deleted", domain.ChoiceLabel("legal_documents.doc_kind", d.Kind, i18n.Lang()), d.Number))
	s.Update(context.Background())
}
