package kemandirian

import (
	"context"

	"github.com/kemnaker/blk/app/datefield"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// Certs is the list and form of instructor certifications (Dikdas
// methodology, technical, BNSP), the records behind the SDM criterion: a
// kit.Records screen.
type Certs struct {
	*kit.Records[*domain.InstructorCertification]
	names  map[string]string // instructor id → name
	who    *kit.Choice
	kind   *kit.Choice
	number *kit.Entry
	issuer *kit.Entry
	issued *datefield.Entry
	expiry *datefield.Entry
}

// NewCerts builds the certification screen; call Update to load it.
func NewCerts(deps screen.Deps, st Store) *Certs {
	s := &Certs{names: map[string]string{}}
	s.Records = kit.NewRecords(deps, st, kit.Spec[*domain.InstructorCertification]{
		Columns: []widgets.Column[*domain.InstructorCertification]{
			{Title: i18n.T("field.instructor_id"), Width: 170, Text: func(c *domain.InstructorCertification) string { return s.names[c.InstructorID] }},
			{Title: i18n.T("field.cert_kind"), Width: 150, Key: "cert_kind", Text: func(c *domain.InstructorCertification) string {
				return domain.ChoiceLabel("instructor_certifications.cert_kind", c.Kind, i18n.Lang())
			}},
			{Title: i18n.T("field.expires_on"), Width: 110, Key: "expires_on", Text: func(c *domain.InstructorCertification) string { return c.ExpiresOn }},
		},
		OrderBy:  "expires_on", // no end date first, then the soonest to renew
		SearchIn: []string{"cert_number", "issuer"},
		Tables:   []string{"instructor_certifications", "instructors"},
		Fields: func(f *kit.Form) {
			s.who = kit.NewChoiceOf(nil, nil)
			s.who.Select.OnChanged = func(string) { f.Revalidate() }
			f.Add("instructor_id", i18n.T("field.instructor_id"), s.who.Select)
			s.kind = f.Select("cert_kind", i18n.T("field.cert_kind"), "instructor_certifications.cert_kind")
			s.number = f.Entry("cert_number", i18n.T("field.cert_number"), "")
			s.issuer = f.Entry("issuer", i18n.T("field.issuer"), i18n.T("kemrec.issuer_hint"))
			s.issued = f.Date("issued_on", i18n.T("field.issued_on"), deps.Now)
			s.expiry = f.Date("expires_on", i18n.T("field.expires_on"), deps.Now)
			s.expiry.SetPlaceHolder(i18n.T("kemrec.no_expiry"))
		},
		Blank: func() *domain.InstructorCertification { return &domain.InstructorCertification{} },
		Fill: func(c *domain.InstructorCertification) {
			s.who.SetValue(c.InstructorID)
			s.kind.SetValue(c.Kind)
			s.number.SetText(c.Number)
			s.issuer.SetText(c.Issuer)
			s.issued.SetISO(c.IssuedOn)
			s.expiry.SetISO(c.ExpiresOn)
		},
		Read: func(c *domain.InstructorCertification) domain.Problems {
			c.InstructorID, c.Kind, c.Number = s.who.Value(), s.kind.Value(), s.number.Text
			c.Issuer, c.IssuedOn, c.ExpiresOn = s.issuer.Text, s.issued.ISO(), s.expiry.ISO()
			return nil
		},
		Extra:     s.loadInstructors(st),
		CountText: func(n int) string { return i18n.T("kemrec.cert_count", n) },
		NewLabel:  i18n.T("kemrec.cert_new"),
		Fix:       i18n.T("kem.fix"),
		Saved: func(c *domain.InstructorCertification) string {
			return i18n.T("kemrec.cert_saved", c.Number, s.names[c.InstructorID])
		},
		ConfirmDelete: func(c *domain.InstructorCertification) string {
			return i18n.T("kemrec.cert_confirm_delete", c.Number, s.names[c.InstructorID])
		},
		Deleted:     func(c *domain.InstructorCertification) string { return i18n.T("kemrec.cert_deleted", c.Number) },
		SplitOffset: 0.58,
	})
	return s
}

// loadInstructors reads the instructors to choose from (off the UI goroutine).
func (s *Certs) loadInstructors(st Store) func(context.Context) (func(), error) {
	return func(ctx context.Context) (func(), error) {
		instr, err := store.ListOf[*domain.Instructor](ctx, st, store.Query{OrderBy: "name"})
		return func() {
			ids, labels := make([]string, len(instr)), make([]string, len(instr))
			s.names = map[string]string{}
			for i, in := range instr {
				ids[i], labels[i] = in.ID, in.Name
				s.names[in.ID] = in.Name
			}
			s.who.SetOptions(ids, labels)
		}, err
	}
}
