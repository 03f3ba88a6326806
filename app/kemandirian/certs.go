package kemandirian

import (
	"context"
	"slices"
	"strings"
	"time"

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

// Certs is the list and form of instructor certifications (Dikdas
// methodology, technical, BNSP), the records behind the SDM criterion.
type Certs struct {
	deps   screen.Deps
	loads  kit.Loader
	root   fyne.CanvasObject
	names  map[string]string // instructor id → name
	table  *widgets.Table[*domain.InstructorCertification]
	count  *widget.Label
	form   *kit.Form
	who    *kit.Choice
	kind   *kit.Choice
	number *kit.Entry
	issuer *kit.Entry
	issued *datefield.Entry
	expiry *datefield.Entry
	status *widget.Label
	del    *widget.Button

	current *domain.InstructorCertification // nil: a new certification
}

// NewCerts builds the certification screen; call Update to load it.
func NewCerts(deps screen.Deps) *Certs {
	s := &Certs{deps: deps, names: map[string]string{}}
	s.count = widget.NewLabel("")
	s.table = widgets.NewTable([]widgets.Column[*domain.InstructorCertification]{
		{Title: i18n.T("field.instructor_id"), Width: 170, Text: func(c *domain.InstructorCertification) string { return s.names[c.InstructorID] },
			Less: func(a, b *domain.InstructorCertification) bool {
				return strings.ToLower(s.names[a.InstructorID]) < strings.ToLower(s.names[b.InstructorID])
			}},
		{Title: i18n.T("field.cert_kind"), Width: 150, Text: func(c *domain.InstructorCertification) string {
			return domain.ChoiceLabel("instructor_certifications.cert_kind", c.Kind, i18n.Lang())
		}, Less: func(a, b *domain.InstructorCertification) bool { return a.Kind < b.Kind }},
		{Title: i18n.T("field.expires_on"), Width: 110, Text: func(c *domain.InstructorCertification) string { return c.ExpiresOn },
			Less: func(a, b *domain.InstructorCertification) bool { return a.ExpiresOn < b.ExpiresOn }},
	})
	s.table.OnSelected = s.edit

	s.form = kit.New()
	s.who = kit.NewChoiceOf(nil, nil)
	s.form.Add("instructor_id", i18n.T("field.instructor_id"), s.who.Select)
	s.kind = s.form.Select("cert_kind", i18n.T("field.cert_kind"), "instructor_certifications.cert_kind")
	s.number = s.form.Entry("cert_number", i18n.T("field.cert_number"), "")
	s.issuer = s.form.Entry("issuer", i18n.T("field.issuer"), i18n.T("kemrec.issuer_hint"))
	s.issued = dateField(s.form, "issued_on", i18n.T("field.issued_on"), deps.Store.Now, "")
	s.expiry = dateField(s.form, "expires_on", i18n.T("field.expires_on"), deps.Store.Now, i18n.T("kemrec.no_expiry"))
	s.form.Check = func() domain.Problems {
		c := s.record()
		domain.Normalize(c)
		return domain.Validate(c, deps.Store.Rules())
	}
	s.form.Submit = s.save
	s.form.Cancel = func() { s.edit(nil) }
	s.status = kit.Label(&widget.Label{Wrapping: fyne.TextWrapWord})
	save := kit.Button(&widget.Button{Text: i18n.T("common.save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.save})
	s.del = widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), s.confirmDelete)
	newBtn := widget.NewButtonWithIcon(i18n.T("kemrec.cert_new"), theme.ContentAddIcon(), func() { s.edit(nil) })
	s.edit(nil)
	s.root = kit.Layout(newBtn, s.count, s.table, s.form, []fyne.CanvasObject{save, s.del}, s.status, 0.58)
	return s
}

// Content is the screen's root object.
func (s *Certs) Content() fyne.CanvasObject { return s.root }

// Update reloads the certifications and the instructors to choose from.
func (s *Certs) Update(ctx context.Context) {
	type loaded struct {
		rows  []*domain.InstructorCertification
		instr []*domain.Instructor
	}
	kit.Load(&s.loads, s.deps, ctx, func(ctx context.Context) (loaded, error) {
		instr, err := store.ListOf[*domain.Instructor](ctx, s.deps.Store, store.Query{OrderBy: "name"})
		if err != nil {
			return loaded{}, err
		}
		rows, err := store.ListOf[*domain.InstructorCertification](ctx, s.deps.Store, store.Query{OrderBy: "expires_on"})
		return loaded{rows, instr}, err
	}, func(l loaded) {
		ids, labels := make([]string, len(l.instr)), make([]string, len(l.instr))
		s.names = map[string]string{}
		for i, in := range l.instr {
			ids[i], labels[i] = in.ID, in.Name
			s.names[in.ID] = in.Name
		}
		s.who.SetOptions(ids, labels)
		// each instructor's certificates together, by name then kind
		slices.SortStableFunc(l.rows, func(a, b *domain.InstructorCertification) int {
			if c := strings.Compare(strings.ToLower(s.names[a.InstructorID]), strings.ToLower(s.names[b.InstructorID])); c != 0 {
				return c
			}
			return strings.Compare(a.Kind, b.Kind)
		})
		s.table.SetRows(l.rows)
		s.count.SetText(i18n.T("kemrec.cert_count", len(l.rows)))
	})
}

// DataChanged (screen.Watcher) reloads when certifications or instructors changed.
func (s *Certs) DataChanged(ctx context.Context, c store.Changed) {
	if c.Has("instructor_certifications", "instructors") {
		s.Update(ctx)
	}
}

// Close drops loads still on their way.
func (s *Certs) Close() { s.loads.Close() }

func (s *Certs) edit(c *domain.InstructorCertification) {
	s.current = c
	if c == nil {
		c = &domain.InstructorCertification{}
		s.del.Disable()
	} else {
		s.del.Enable()
	}
	check := s.form.Check
	s.form.Check = nil // no messages while filling
	s.who.SetValue(c.InstructorID)
	s.kind.SetValue(c.Kind)
	s.number.SetText(c.Number)
	s.issuer.SetText(c.Issuer)
	s.issued.SetISO(c.IssuedOn)
	s.expiry.SetISO(c.ExpiresOn)
	s.form.Check = check
	s.form.Show(nil)
	s.status.SetText("")
}

func (s *Certs) record() *domain.InstructorCertification {
	c := &domain.InstructorCertification{}
	if s.current != nil {
		*c = *s.current
	}
	c.InstructorID, c.Kind, c.Number = s.who.Value(), s.kind.Value(), s.number.Text
	c.Issuer, c.IssuedOn, c.ExpiresOn = s.issuer.Text, s.issued.ISO(), s.expiry.ISO()
	return c
}

func (s *Certs) say(importance widget.Importance, text string) {
	s.status.Importance = importance
	s.status.SetText(text)
}

func (s *Certs) save() {
	c := s.record()
	if ps := s.form.Check(); ps.Invalid() {
		s.form.ShowAndScroll(ps)
		s.say(widget.DangerImportance, i18n.T("kem.fix"))
		return
	}
	kit.Save(s.deps, c, func(warnings, refused domain.Problems) {
		if refused != nil {
			s.form.ShowAndScroll(refused)
			s.say(widget.DangerImportance, i18n.T("kem.fix"))
			return
		}
		s.current = c
		s.del.Enable()
		s.form.Show(warnings)
		s.say(widget.SuccessImportance, i18n.T("kemrec.cert_saved", c.Number, s.names[c.InstructorID]))
		s.Update(context.Background())
	})
}

func (s *Certs) confirmDelete() {
	if c := s.current; c != nil {
		kit.ConfirmDelete(s.deps, i18n.T("kemrec.cert_confirm_delete", c.Number, s.names[c.InstructorID]), c, func() {
			s.edit(nil)
			s.say(widget.MediumImportance, i18n.T("kemrec.cert_deleted", c.Number))
			s.Update(context.Background())
		})
	}
}

// dateField adds the desktop's date input to a kit form: it revalidates
// as it is typed and Enter submits, like the form's own entries.
func dateField(f *kit.Form, field, label string, now func() time.Time, placeholder string) *datefield.Entry {
	e := datefield.New(now)
	if placeholder != "" {
		e.SetPlaceHolder(placeholder)
	}
	e.OnChanged = func(string) { f.Revalidate() }
	e.OnSubmitted = func(string) {
		if f.Submit != nil {
			f.Submit()
		}
	}
	f.Add(field, label, e)
	return e
}
