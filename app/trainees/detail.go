package trainees

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// detailView shows one trainee: identity, warnings, enrollments with their
// results and attendance, and tracer outcomes.
func (s *Screen) detailView(d *store.TraineeDetail) fyne.CanvasObject {
	lang := i18n.Lang()
	t := d.Trainee
	head := &widget.Label{Text: t.Name, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	info := widget.NewForm()
	add := func(field, value string) {
		if value != "" {
			info.Append(domain.FieldLabel(field, lang), &widget.Label{Text: value, Wrapping: fyne.TextWrapWord})
		}
	}
	add("nik", t.NIK)
	add("kk", t.KK)
	add("sex", domain.ChoiceLabel("trainees.sex", t.Sex, lang))
	add("birth_date", placeAndDate(t.BirthPlace, t.BirthDate))
	add("education", domain.ChoiceLabel("trainees.education", t.Education, lang))
	add("grp", domain.ChoiceLabel("trainees.grp", t.Group, lang))
	add("address", t.Address)
	add("village_code", domain.RegionPath(t.VillageCode))
	add("phone", domain.LocalPhone(t.Phone))
	add("email", t.Email)

	parts := []fyne.CanvasObject{head, info}
	if ws := domain.Validate(t, s.st.Rules()).Warnings(); len(ws) > 0 {
		parts = append(parts, &widget.Label{Text: "⚠ " + ws.Text(lang), Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord})
	}

	parts = append(parts, section(i18n.T("trainees.detail.enrollments")))
	if len(d.Enrollments) == 0 {
		parts = append(parts, widget.NewLabel(i18n.T("trainees.detail.none")))
	}
	for _, e := range d.Enrollments {
		line := fmt.Sprintf("%s (%s – %s): %s", e.Cohort, domain.ShowDate(e.StartDate), domain.ShowDate(e.EndDate),
			domain.ChoiceLabel("enrollments.status", e.Enrollment.Status, lang))
		if e.Marked > 0 {
			line += " · " + i18n.T("trainees.detail.attendance", e.Present, e.Marked)
		}
		if e.Enrollment.CertificateNo != "" {
			line += " · " + i18n.T("trainees.detail.certificate", e.Enrollment.CertificateNo)
		}
		parts = append(parts, &widget.Label{Text: line, Wrapping: fyne.TextWrapWord})
		for _, a := range e.Assessments {
			r := fmt.Sprintf("    %s: %s", a.UnitCode, domain.ChoiceLabel("assessments.result", a.Result, lang))
			if a.AssessedOn != "" {
				r += " (" + a.AssessedOn + ")"
			}
			if a.CertificateNo != "" {
				r += " · " + a.CertificateNo
			}
			parts = append(parts, widget.NewLabel(r))
		}
	}

	parts = append(parts, s.certificateParts(d)...)
	parts = append(parts, s.competencyParts(d)...)

	parts = append(parts, section(i18n.T("trainees.detail.outcomes")))
	if len(d.Outcomes) == 0 {
		parts = append(parts, widget.NewLabel(i18n.T("trainees.detail.none")))
	}
	for _, o := range d.Outcomes {
		line := fmt.Sprintf("%s: %s", o.SurveyedOn, domain.ChoiceLabel("outcomes.status", o.Status, lang))
		if o.Employer != "" {
			line += " · " + o.Employer
		}
		if o.IncomeBand != "" {
			line += " · " + domain.ChoiceLabel("outcomes.income_band", o.IncomeBand, lang)
		}
		parts = append(parts, widget.NewLabel(line))
	}

	if len(d.Duplicates) > 0 {
		parts = append(parts, section(i18n.T("trainees.dup.title")))
		for _, o := range d.Duplicates {
			o := o
			text := widget.NewLabel(i18n.T("trainees.dup.text", o.Name, o.NIK, placeAndDate(o.BirthPlace, o.BirthDate)))
			text.Wrapping = fyne.TextWrapWord
			merge := widget.NewButtonWithIcon(i18n.T("trainees.dup.merge"), theme.ContentCopyIcon(), func() { s.confirmMerge(t, o) })
			parts = append(parts, text, container.NewHBox(merge))
		}
	}

	back := widget.NewButtonWithIcon(i18n.T("trainees.back"), theme.NavigateBackIcon(), s.ShowList)
	edit := widget.NewButtonWithIcon(i18n.T("trainees.edit"), theme.DocumentCreateIcon(), func() { s.showForm(t) })
	edit.Importance = widget.HighImportance
	del := widget.NewButtonWithIcon(i18n.T("common.delete"), theme.DeleteIcon(), func() { s.confirmDelete(t) })
	del.Importance = widget.DangerImportance
	return container.NewBorder(nil, container.NewHBox(back, edit, del), nil, nil,
		container.NewVScroll(container.NewVBox(parts...)))
}

func section(title string) fyne.CanvasObject {
	return container.NewVBox(widget.NewSeparator(), &widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}})
}

// placeAndDate is "Bogor, 17-08-2001", or only the date (no stray comma)
// when the birth place is not known.
func placeAndDate(place, iso string) string {
	parts := make([]string, 0, 2)
	for _, p := range []string{strings.TrimSpace(place), domain.ShowDate(iso)} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}
