package trainees

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/datefield"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
)

// traineeForm registers or edits one trainee, on the kit's Form: each
// field has its problem line reserved under it, Enter saves, Escape goes
// back to the list, and a refused save scrolls to the first problem. Each
// keystroke re-validates with the domain rules (no I/O) and shows messages
// on the fields the operator has touched; Save shows them all, refuses
// invalid data and saves warnings, which then show as a flag in the list.
type traineeForm struct {
	s       *Screen
	orig    *domain.Trainee
	form    *kit.Form
	object  fyne.CanvasObject
	touched map[string]bool
	showAll bool
	nik, kk *kit.Entry
	name    *kit.Entry
	sex     *kit.Choice
	place   *kit.Entry
	birth   *datefield.Entry
	edu     *kit.Choice
	group   *kit.Choice
	disab   *kit.Entry
	address *kit.Entry
	region  *widgets.RegionPicker
	postal  *kit.Entry
	phone   *kit.Entry
	email   *kit.Entry
	decoded *widget.Label // what the NIK says
	summary *widget.Label // the save result
	saveBtn *widget.Button
	saving  bool
	filling bool
}

func newTraineeForm(s *Screen, t *domain.Trainee) *traineeForm {
	lang := i18n.Lang()
	f := &traineeForm{s: s, orig: t, form: kit.New(), touched: map[string]bool{}}
	f.form.Submit = f.Save
	f.form.Cancel = s.ShowList
	entry := func(field, label, placeholder string) *kit.Entry {
		e := f.form.Entry(field, label, placeholder)
		e.OnChanged = func(string) { f.changed(field) }
		return e
	}
	// An open choice keeps text an import kept as written, shown as it is,
	// until the operator picks a choice (the store warns about it).
	choice := func(field, key string) *kit.Choice {
		c := kit.NewChoice(key)
		c.Open = true
		c.Select.OnChanged = func(string) { f.changed(field) }
		f.form.Add(field, domain.FieldLabel(field, lang), c.Select)
		return c
	}
	label := func(field string) string { return domain.FieldLabel(field, lang) }
	f.nik = entry("nik", "NIK", i18n.T("trainees.nik.hint"))
	f.decoded = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Italic: true}}
	f.form.Row("", f.decoded)
	f.kk = entry("kk", label("kk"), i18n.T("trainees.optional"))
	f.name = entry("name", label("name"), i18n.T("trainees.name.hint"))
	f.sex = choice("sex", "trainees.sex")
	f.place = entry("birth_place", label("birth_place"), "")
	f.birth = f.form.Date("birth_date", label("birth_date"), s.deps.Now)
	f.birth.OnChanged = func(string) { f.changed("birth_date") }
	f.edu = choice("education", "trainees.education")
	f.group = choice("grp", "trainees.grp")
	f.disab = entry("disability", label("disability"), i18n.T("trainees.optional"))
	f.address = entry("address", label("address"), "")
	f.region = widgets.NewRegionPicker(RegionPlaceholders(), func(string) { f.changed("village_code") })
	f.form.Add("village_code", label("village_code"), f.region.Object())
	f.postal = entry("postal_code", label("postal_code"), i18n.T("trainees.optional"))
	f.phone = entry("phone", label("phone"), "0812-3456-7890")
	f.email = entry("email", label("email"), i18n.T("trainees.optional"))

	f.fill(t)
	f.summary = &widget.Label{Wrapping: fyne.TextWrapWord}
	f.saveBtn = widget.NewButtonWithIcon(i18n.T("common.save"), theme.DocumentSaveIcon(), f.Save)
	f.saveBtn.Importance = widget.HighImportance
	cancel := widget.NewButton(i18n.T("common.cancel"), s.ShowList)
	title := i18n.T("trainees.form.new")
	if t.ID != "" {
		title = i18n.T("trainees.form.edit", t.Name)
	}
	head := &widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	buttons := container.NewHBox(f.saveBtn, cancel)
	f.object = container.NewBorder(head, container.NewVBox(f.summary, buttons), nil, nil, f.form.Scroll())
	f.updateDecoded()
	return f
}

// RegionPlaceholders are the picker's level prompts in the current language.
func RegionPlaceholders() [4]string {
	return [4]string{i18n.T("region.province"), i18n.T("region.regency"), i18n.T("region.district"), i18n.T("region.village")}
}

func (f *traineeForm) fill(t *domain.Trainee) {
	f.filling = true
	defer func() { f.filling = false }()
	f.nik.SetText(t.NIK)
	f.kk.SetText(t.KK)
	f.name.SetText(t.Name)
	f.sex.SetValue(t.Sex)
	f.place.SetText(t.BirthPlace)
	f.birth.SetISO(t.BirthDate)
	f.edu.SetValue(t.Education)
	f.group.SetValue(t.Group)
	f.disab.SetText(t.Disability)
	f.address.SetText(t.Address)
	if t.VillageCode != "" {
		f.region.SetCode(t.VillageCode)
	}
	f.postal.SetText(t.PostalCode)
	f.phone.SetText(domain.LocalPhone(t.Phone))
	f.email.SetText(t.Email)
}

// record is the trainee as typed, normalised the way the store will.
func (f *traineeForm) record() *domain.Trainee {
	t := *f.orig
	t.NIK, t.KK, t.Name = f.nik.Text, f.kk.Text, f.name.Text
	t.Sex, t.BirthPlace, t.BirthDate = f.sex.Value(), f.place.Text, f.birth.ISO()
	t.Education, t.Group, t.Disability = f.edu.Value(), f.group.Value(), f.disab.Text
	t.Address, t.VillageCode, t.PostalCode = f.address.Text, f.region.Code(), f.postal.Text
	t.Phone, t.Email = f.phone.Text, f.email.Text
	domain.Normalize(&t)
	return &t
}

func (f *traineeForm) changed(field string) {
	if f.filling {
		return
	}
	f.touched[field] = true
	if field == "nik" {
		f.autofillFromNIK()
		f.updateDecoded()
	}
	f.validate()
}

// autofillFromNIK fills sex and birth date from a valid NIK when they are
// still empty: less typing, and fewer mismatches.
func (f *traineeForm) autofillFromNIK() {
	n, ps := domain.DecodeNIK(f.nik.Text, f.s.deps.Now())
	if ps != nil {
		return
	}
	f.filling = true
	defer func() { f.filling = false }()
	if f.sex.Value() == "" {
		f.sex.SetValue(n.Sex)
	}
	if strings.TrimSpace(f.birth.Text) == "" {
		f.birth.SetISO(n.BirthDate.Format(domain.DateLayout))
	}
}

// updateDecoded shows what the NIK says: sex, birth date and the district
// where it was issued.
func (f *traineeForm) updateDecoded() {
	if strings.TrimSpace(f.nik.Text) == "" {
		f.decoded.SetText(i18n.T("trainees.nik.explain"))
		return
	}
	n, ps := domain.DecodeNIK(f.nik.Text, f.s.deps.Now())
	if ps != nil {
		f.decoded.SetText("")
		return
	}
	f.decoded.SetText(i18n.T("trainees.nik.decoded",
		domain.ChoiceLabel("trainees.sex", n.Sex, i18n.Lang()),
		n.BirthDate.Format("02-01-2006"),
		domain.RegionPath(n.District)))
}

// validate re-checks the record and shows the problems of touched fields
// (all fields after a Save attempt). It returns every problem.
func (f *traineeForm) validate() domain.Problems {
	ps := domain.Validate(f.record(), f.s.st.Rules())
	shown := ps
	if !f.showAll {
		shown = nil
		for _, p := range ps {
			if f.touched[p.Field] {
				shown = append(shown, p)
			}
		}
	}
	f.form.Show(shown) // a problem of a field the form lacks goes under the first
	if f.summary != nil {
		f.summary.SetText("")
	}
	return ps
}

// Save refuses invalid data with messages beside the fields, and otherwise
// writes the trainee off the UI goroutine; the store re-checks (duplicate
// NIK) and its refusal is shown the same way.
func (f *traineeForm) Save() {
	if f.saving {
		return
	}
	f.showAll = true
	ps := f.validate()
	if ps.Invalid() {
		f.form.ShowAndScroll(ps)
		f.summary.Importance = widget.DangerImportance
		f.summary.SetText(i18n.T("trainees.invalid"))
		return
	}
	t := f.record()
	f.saving = true
	f.saveBtn.Disable()
	f.s.deps.Go(func() {
		warnings, err := f.s.st.Save(context.Background(), t)
		f.s.deps.Do(func() {
			f.saving = false
			f.saveBtn.Enable()
			if ps, ok := errValidation(err); ok {
				f.form.ShowAndScroll(ps)
				f.summary.Importance = widget.DangerImportance
				f.summary.SetText(i18n.T("trainees.invalid"))
				return
			}
			if err != nil {
				screen.ShowError(f.s.deps.Window, err)
				return
			}
			_ = warnings // shown again by the detail view and flagged in the list
			f.s.deps.Changed()
			f.s.load(context.Background(), false, t.ID)
		})
	})
}
