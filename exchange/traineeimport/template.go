package traineeimport

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

// templateFields are the columns of the blank list, in the order a KTP
// and a registration form give them.
var templateFields = []string{"nik", "kk", "name", "sex", "birth_place", "birth_date", "education", "grp",
	"disability", "address", "village_code", "postal_code", "phone", "email"}

// textFields are typed as text in the template, so Excel never turns a
// NIK into 3.20101E+15 or drops a phone's leading zero.
var textFields = map[string]bool{"nik": true, "kk": true, "village_code": true, "postal_code": true, "phone": true, "birth_date": true}

// templateRows is how far down the drop-downs and text formats reach.
const templateRows = 2000

// WriteTemplate writes the blank trainee list a centre fills in and
// imports: the headers the import reads, NIK and phone columns as text,
// drop-down lists for sex, education and group, and a second sheet that
// shows a filled-in example (a date written 17-08-2001) and the rules.
func WriteTemplate(w io.Writer, lang domain.Lang) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := msg.T(lang, "import.template.sheet")
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	textFmt := "@"
	text, err := f.NewStyle(&excelize.Style{CustomNumFmt: &textFmt})
	if err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9EAD3"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	for i, field := range templateFields {
		col := colName(i + 1)
		if err := f.SetCellStr(sheet, col+"1", domain.FieldLabel(field, lang)); err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, col, col, 20); err != nil {
			return err
		}
		if textFields[field] {
			if err := f.SetCellStyle(sheet, col+"2", fmt.Sprintf("%s%d", col, templateRows), text); err != nil {
				return err
			}
		}
		if err := dropDown(f, sheet, col, field, lang); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheet, "A1", colName(len(templateFields))+"1", head); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := writeExample(f, lang, text); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// dropDown offers the choice labels of a coded field. Education and group
// are open choices: another text only warns, as the import keeps it.
func dropDown(f *excelize.File, sheet, col, field string, lang domain.Lang) error {
	choices := domain.Choices["trainees."+field]
	if choices == nil {
		return nil
	}
	labels := make([]string, len(choices))
	for i, c := range choices {
		labels[i] = c.Label(lang)
	}
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, templateRows))
	if err := dv.SetDropList(labels); err != nil {
		return err
	}
	fld, _ := domain.TableOf(&domain.Trainee{}).Field(field)
	style := excelize.DataValidationErrorStyleStop
	if fld.Open {
		style = excelize.DataValidationErrorStyleWarning
	}
	dv.SetError(style, domain.FieldLabel(field, lang), msg.T(lang, "import.template.pick"))
	return f.AddDataValidation(sheet, dv)
}

// writeExample fills the second sheet: one example row under the same
// headers prefixed "Contoh", so the import never takes it for a trainee,
// and the rules in a sentence each.
func writeExample(f *excelize.File, lang domain.Lang, text int) error {
	sheet := msg.T(lang, "import.template.example_sheet")
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	example := map[string]string{
		"nik": "3201015708010001", "kk": "3201010101010001", "name": "Siti Aminah", "sex": domain.ChoiceLabel("trainees.sex", "P", lang),
		"birth_place": "Bogor", "birth_date": "17-08-2001", "education": domain.ChoiceLabel("trainees.education", "sma", lang),
		"grp": domain.ChoiceLabel("trainees.grp", "santri", lang), "address": "Jl. Raya Bogor No. 1", "village_code": "3201011001",
		"postal_code": "16911", "phone": "0812-3456-7890", "email": "siti@contoh.id",
	}
	for i, field := range templateFields {
		col := colName(i + 1)
		if err := f.SetCellStr(sheet, col+"1", msg.T(lang, "import.template.example", domain.FieldLabel(field, lang))); err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, col+"2", example[field]); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, col+"2", col+"2", text); err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, col, col, 20); err != nil {
			return err
		}
	}
	for i, key := range []string{"import.template.rule.nik", "import.template.rule.date", "import.template.rule.choices", "import.template.rule.update"} {
		if err := f.SetCellStr(sheet, fmt.Sprintf("A%d", i+4), msg.T(lang, key)); err != nil {
			return err
		}
	}
	return nil
}
