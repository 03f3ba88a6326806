package widgets

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
)

// FormRow is one labelled input with its validation message beside it.
type FormRow struct {
	Field string // domain field name whose problems this row shows
	Label *widget.Label
	Input fyne.CanvasObject
	Msg   *widget.Label
}

// Form lays out rows as label | input+message and shows domain problems on
// the row of their field, so the operator sees what to fix where they type.
type Form struct {
	Rows []*FormRow
	box  *fyne.Container
}

// NewForm makes an empty form.
func NewForm() *Form {
	return &Form{box: container.New(layout.NewFormLayout())}
}

// Add appends a row for a domain field and returns it.
func (f *Form) Add(field, label string, input fyne.CanvasObject) *FormRow {
	r := &FormRow{
		Field: field,
		Label: &widget.Label{Text: label, TextStyle: fyne.TextStyle{Bold: true}},
		Input: input,
		Msg:   &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText},
	}
	r.Msg.Hide()
	f.Rows = append(f.Rows, r)
	f.box.Add(r.Label)
	f.box.Add(container.NewVBox(input, r.Msg))
	return r
}

// Object is the form's canvas object.
func (f *Form) Object() fyne.CanvasObject { return f.box }

// ShowProblems puts each problem's message on its field's row (invalid in
// red, warnings in amber) and clears rows without problems. Problems on a
// field with no row are returned so the caller can show them elsewhere.
func (f *Form) ShowProblems(ps domain.Problems, lang domain.Lang) domain.Problems {
	seen := map[string]bool{}
	for _, r := range f.Rows {
		seen[r.Field] = true
		mine := ps.For(r.Field)
		if len(mine) == 0 {
			r.Msg.SetText("")
			r.Msg.Hide()
			continue
		}
		msgs := make([]string, len(mine))
		for i, p := range mine {
			msgs[i] = p.Message(lang)
		}
		r.Msg.Importance = widget.WarningImportance
		if mine.Invalid() {
			r.Msg.Importance = widget.DangerImportance
		}
		r.Msg.SetText(strings.Join(msgs, "; "))
		r.Msg.Show()
	}
	var rest domain.Problems
	for _, p := range ps {
		if !seen[p.Field] {
			rest = append(rest, p)
		}
	}
	return rest
}

// Message returns the text shown for field ("" if none), for tests.
func (f *Form) Message(field string) string {
	for _, r := range f.Rows {
		if r.Field == field {
			return r.Msg.Text
		}
	}
	return ""
}

// ChoiceSelect is a widget.Select over domain.Choices[key], labelled in lang,
// that reads and writes the stored codes.
type ChoiceSelect struct {
	widget.Select
	choices []domain.Choice
	lang    domain.Lang
	other   string // a stored value that is none of the codes (an open choice), shown as written
}

// NewChoiceSelect makes a select for a coded field; changed gets the code.
func NewChoiceSelect(key string, lang domain.Lang, changed func(code string)) *ChoiceSelect {
	s := &ChoiceSelect{choices: domain.Choices[key], lang: lang}
	s.PlaceHolder = i18n.T("common.choose")
	for _, c := range s.choices {
		s.Options = append(s.Options, c.Label(lang))
	}
	s.OnChanged = func(label string) {
		if changed != nil {
			changed(s.Code())
		}
	}
	s.ExtendBaseWidget(s)
	return s
}

// Code is the stored code of the selected choice ("" when none).
func (s *ChoiceSelect) Code() string {
	for _, c := range s.choices {
		if c.Label(s.lang) == s.Selected {
			return c.Value
		}
	}
	if s.other != "" && s.Selected == s.other {
		return s.other
	}
	return ""
}

// SetCode selects the choice with code ("" clears).
func (s *ChoiceSelect) SetCode(code string) {
	for _, c := range s.choices {
		if c.Value == code {
			s.SetSelected(c.Label(s.lang))
			return
		}
	}
	if code != "" {
		// Text an import kept as written stays visible and saved as it
		// is until the operator picks a choice.
		if s.other == "" {
			s.Options = append(s.Options, code)
		} else {
			s.Options[len(s.Options)-1] = code
		}
		s.other = code
		s.SetSelected(code)
		return
	}
	s.ClearSelected()
}
