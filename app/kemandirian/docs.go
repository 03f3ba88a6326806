package kemandirian

import (
	"github.com/kemnaker/blk/app/datefield"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
)

// Docs is the list and form of the centre's legal documents (operating
// permit, VIN, LA-LPK accreditation with its grade, foundation deed), the
// records behind the legal criterion: a kit.Records screen.
type Docs struct {
	*kit.Records[*domain.LegalDocument]
	kind   *kit.Choice
	grade  *kit.Choice
	number *kit.Entry
	issuer *kit.Entry
	issued *datefield.Entry
	expiry *datefield.Entry
	note   *kit.Entry
}

func docKind(d *domain.LegalDocument) string {
	return domain.ChoiceLabel("legal_documents.doc_kind", d.Kind, i18n.Lang())
}

// NewDocs builds the legal documents screen; call Update to load it.
func NewDocs(deps screen.Deps, st Store) *Docs {
	s := &Docs{}
	s.Records = kit.NewRecords(deps, st, kit.Spec[*domain.LegalDocument]{
		Columns: []widgets.Column[*domain.LegalDocument]{
			{Title: i18n.T("field.doc_kind"), Width: 150, Text: docKind, Key: "doc_kind"},
			{Title: i18n.T("field.doc_number"), Width: 170, Text: func(d *domain.LegalDocument) string { return d.Number }, Key: "doc_number"},
			{Title: i18n.T("field.expires_on"), Width: 110, Text: func(d *domain.LegalDocument) string { return d.ExpiresOn }, Key: "expires_on"},
		},
		OrderBy:  "doc_kind",
		SearchIn: []string{"doc_number", "issuer", "note"},
		Tables:   []string{"legal_documents"},
		Fields: func(f *kit.Form) {
			s.kind = f.Select("doc_kind", i18n.T("field.doc_kind"), "legal_documents.doc_kind")
			s.number = f.Entry("doc_number", i18n.T("field.doc_number"), "")
			s.grade = f.Select("grade", i18n.T("field.grade"), "legal_documents.grade")
			s.issuer = f.Entry("issuer", i18n.T("field.issuer"), "")
			s.issued = f.Date("issued_on", i18n.T("field.issued_on"), deps.Now)
			s.expiry = f.Date("expires_on", i18n.T("field.expires_on"), deps.Now)
			s.expiry.SetPlaceHolder(i18n.T("kemrec.no_expiry"))
			s.note = f.Entry("note", i18n.T("field.note"), "")
		},
		Blank: func() *domain.LegalDocument { return &domain.LegalDocument{} },
		Fill: func(d *domain.LegalDocument) {
			s.kind.SetValue(d.Kind)
			s.number.SetText(d.Number)
			s.grade.SetValue(d.Grade)
			s.issuer.SetText(d.Issuer)
			s.issued.SetISO(d.IssuedOn)
			s.expiry.SetISO(d.ExpiresOn)
			s.note.SetText(d.Note)
		},
		Read: func(d *domain.LegalDocument) domain.Problems {
			d.Kind, d.Number, d.Grade = s.kind.Value(), s.number.Text, s.grade.Value()
			d.Issuer, d.IssuedOn, d.ExpiresOn, d.Note = s.issuer.Text, s.issued.ISO(), s.expiry.ISO(), s.note.Text
			return nil
		},
		CountText:     func(n int) string { return i18n.T("kemrec.doc_count", n) },
		NewLabel:      i18n.T("kemrec.doc_new"),
		Fix:           i18n.T("kem.fix"),
		Saved:         func(d *domain.LegalDocument) string { return i18n.T("kemrec.doc_saved", docKind(d), d.Number) },
		ConfirmDelete: func(d *domain.LegalDocument) string { return i18n.T("kemrec.doc_confirm_delete", docKind(d), d.Number) },
		Deleted:       func(d *domain.LegalDocument) string { return i18n.T("kemrec.doc_deleted", docKind(d), d.Number) },
		SplitOffset:   0.58,
	})
	return s
}
