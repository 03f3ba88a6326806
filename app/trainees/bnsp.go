package trainees

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/datefield"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange/bnspimport"
	"github.com/kemnaker/blk/store"
)

// competencyParts is the detail's BNSP section: the competency
// certificates an LSP issued to the trainee, each with scheme, LSP, issue
// date and expiry (an expired one says so), and buttons to record one by
// hand or remove one recorded by mistake.
func (s *Screen) competencyParts(d *store.TraineeDetail) []fyne.CanvasObject {
	parts := []fyne.CanvasObject{section(i18n.T("bnsp.section"))}
	if len(d.Competency) == 0 {
		parts = append(parts, widget.NewLabel(i18n.T("trainees.detail.none")))
	}
	today := domain.Today(s.deps.Now())
	for _, c := range d.Competency {
		c := c
		line := i18n.T("bnsp.line", c.Number, c.Scheme, domain.ShowDate(c.IssuedOn))
		if c.LSP != "" {
			line += " · " + c.LSP
		}
		status := &widget.Label{Text: i18n.T("bnsp.no_expiry")}
		switch {
		case c.ExpiresOn != "" && c.ExpiresOn < today:
			status = &widget.Label{Text: i18n.T("bnsp.expired", domain.ShowDate(c.ExpiresOn)), Importance: widget.WarningImportance}
		case c.ExpiresOn != "":
			status = &widget.Label{Text: i18n.T("bnsp.valid_until", domain.ShowDate(c.ExpiresOn)), Importance: widget.SuccessImportance}
		}
		del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { s.confirmDeleteCompetency(d.Trainee, c) })
		del.Importance = widget.LowImportance
		parts = append(parts, container.NewBorder(nil, nil, nil, del, container.NewVBox(&widget.Label{Text: line, Wrapping: fyne.TextWrapWord}, status)))
	}
	add := widget.NewButtonWithIcon(i18n.T("bnsp.add"), theme.ContentAddIcon(), func() { s.showCompetencyForm(d.Trainee) })
	parts = append(parts, container.NewHBox(add))
	return parts
}

// competencyForm is the dialog that records a BNSP certificate by hand.
type competencyForm struct {
	form            *kit.Form
	number, scheme  *kit.Entry
	lsp             *kit.Entry
	issued, expires *datefield.Entry
	dialog          dialog.Dialog
	save            *widget.Button
	trainee         string
}

func (f *competencyForm) record() *domain.CompetencyCertificate {
	return &domain.CompetencyCertificate{TraineeID: f.trainee, Number: f.number.Text, Scheme: f.scheme.Text, LSP: f.lsp.Text,
		IssuedOn: f.issued.ISO(), ExpiresOn: f.expires.ISO()}
}

// showCompetencyForm opens the form for a BNSP certificate of t. The same
// number typed again updates the certificate recorded under it.
func (s *Screen) showCompetencyForm(t *domain.Trainee) *competencyForm {
	f := &competencyForm{form: kit.New(), trainee: t.ID}
	lang := i18n.Lang()
	f.number = f.form.Entry("certificate_no", domain.FieldLabel("certificate_no", lang), i18n.T("bnsp.number.hint"))
	f.scheme = f.form.Entry("scheme", domain.FieldLabel("scheme", lang), i18n.T("bnsp.scheme.hint"))
	f.lsp = f.form.Entry("lsp", domain.FieldLabel("lsp", lang), "")
	f.issued = f.form.Date("issued_on", domain.FieldLabel("issued_on", lang), s.deps.Now)
	f.expires = f.form.Date("expires_on", domain.FieldLabel("expires_on", lang), s.deps.Now)
	f.form.Check = func() domain.Problems {
		r := f.record()
		domain.Normalize(r)
		ps := domain.Validate(r, s.st.Rules())
		for _, d := range []*datefield.Entry{f.issued, f.expires} {
			if d.Text != "" && d.ISO() == "" {
				field := "issued_on"
				if d == f.expires {
					field = "expires_on"
				}
				ps = append(ps, domain.Problem{Field: field, Level: domain.Invalid, Code: "problem.date.invalid"})
			}
		}
		return ps
	}
	f.save = widget.NewButtonWithIcon(i18n.T("bnsp.save"), theme.DocumentSaveIcon(), func() { s.saveCompetency(f) })
	f.save.Importance = widget.HighImportance
	cancel := widget.NewButton(i18n.T("common.cancel"), func() { f.dialog.Hide() })
	f.form.Submit = func() { s.saveCompetency(f) }
	f.form.Cancel = func() { f.dialog.Hide() }
	head := &widget.Label{Text: i18n.T("bnsp.form.for", t.Name, t.NIK), Wrapping: fyne.TextWrapWord}
	body := container.NewBorder(head, container.NewHBox(cancel, f.save), nil, nil, f.form.Content())
	f.dialog = dialog.NewCustomWithoutButtons(i18n.T("bnsp.add"), body, s.deps.Window)
	f.dialog.Resize(fyne.NewSize(600, 480))
	f.dialog.Show()
	s.deps.Window.Canvas().Focus(f.number)
	s.bnspForm = f
	return f
}

// saveCompetency validates, then saves off the UI goroutine; a refusal
// shows beside the fields and keeps the dialog open with what was typed.
func (s *Screen) saveCompetency(f *competencyForm) {
	ps := f.form.Check()
	if ps.Invalid() {
		f.form.Show(ps)
		return
	}
	rec := f.record()
	f.save.Disable()
	s.deps.Go(func() {
		_, err := s.st.Save(context.Background(), rec)
		s.deps.Do(func() {
			f.save.Enable()
			if refused, ok := errValidation(err); ok {
				f.form.Show(refused)
				return
			}
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			f.dialog.Hide()
			s.deps.Changed()
			s.ShowDetail(f.trainee)
		})
	})
}

// confirmDeleteCompetency removes a BNSP certificate recorded by mistake,
// after asking.
func (s *Screen) confirmDeleteCompetency(t *domain.Trainee, c *domain.CompetencyCertificate) {
	d := dialog.NewConfirm(i18n.T("bnsp.delete.title"), i18n.T("bnsp.delete.ask", c.Number, t.Name), func(ok bool) {
		if !ok {
			return
		}
		s.deps.Go(func() {
			err := s.st.Delete(context.Background(), c)
			s.deps.Do(func() {
				if err != nil {
					screen.ShowError(s.deps.Window, err)
					return
				}
				s.deps.Changed()
				s.ShowDetail(t.ID)
			})
		})
	}, s.deps.Window)
	d.SetConfirmText(i18n.T("common.delete"))
	d.SetDismissText(i18n.T("common.cancel"))
	d.Show()
}

// chooseBNSPFile asks for the LSP's list and imports it.
func (s *Screen) chooseBNSPFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			screen.ShowError(s.deps.Window, err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		s.ImportBNSP(path, nil)
	}, s.deps.Window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx", ".csv"}))
	d.Show()
}

// ImportBNSP records the BNSP certificates of an LSP's list (long work,
// with progress and cancel; cancel saves nothing) and shows what happened
// to every row. Held rows (the name is not the person's under the NIK)
// can be ticked and applied.
func (s *Screen) ImportBNSP(path string, apply []int) {
	var rep *bnspimport.Report
	screen.RunLong(s.deps.Run, s.deps.Window, i18n.T("bnsp.importing"), func(ctx context.Context, progress screen.Progress) error {
		var err error
		opts := bnspimport.Options{Lang: i18n.Lang(), Progress: progress}
		if len(apply) > 0 {
			set := map[int]bool{}
			for _, l := range apply {
				set[l] = true
			}
			opts.ApplyHeld = func(line int) bool { return set[line] }
		}
		rep, err = bnspimport.Import(ctx, s.st, path, opts)
		return err
	}, func(err error) {
		if err != nil {
			screen.ShowError(s.deps.Window, err)
			return
		}
		s.bnspReport = rep
		s.deps.Changed()
		s.showBNSPReport(path, rep)
	})
}

func (s *Screen) showBNSPReport(path string, rep *bnspimport.Report) {
	lang := i18n.Lang()
	box := container.NewVBox(&widget.Label{Text: rep.Summary(lang), Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}})
	ticked := map[int]bool{}
	for _, r := range rep.Rows {
		text := fmt.Sprintf("%s %d · %s · %s (%s) %s", i18n.T("bnsp.row"), r.Line, bnspimport.StatusLabel(r.Status, lang), r.Name, r.NIK, r.Number)
		if len(r.Reasons) > 0 {
			text += ": " + strings.Join(r.Reasons, "; ")
		}
		imp := widget.MediumImportance
		switch r.Status {
		case bnspimport.RowRefused:
			imp = widget.DangerImportance
		case bnspimport.RowHeld:
			imp = widget.WarningImportance
		}
		box.Add(&widget.Label{Text: text, Wrapping: fyne.TextWrapWord, Importance: imp})
		if r.Status == bnspimport.RowHeld {
			line := r.Line
			box.Add(widget.NewCheck(i18n.T("bnsp.apply_row", strconv.Itoa(line)), func(on bool) { ticked[line] = on }))
		}
	}
	var d dialog.Dialog
	buttons := container.NewHBox(widget.NewButton(i18n.T("common.close"), func() { d.Hide() }))
	if rep.Held > 0 {
		apply := widget.NewButton(i18n.T("bnsp.apply_ticked"), func() {
			var lines []int
			for l, on := range ticked {
				if on {
					lines = append(lines, l)
				}
			}
			if len(lines) == 0 {
				return
			}
			d.Hide()
			s.ImportBNSP(path, lines)
		})
		apply.Importance = widget.HighImportance
		buttons.Add(apply)
	}
	d = dialog.NewCustomWithoutButtons(i18n.T("bnsp.import"), container.NewBorder(nil, buttons, nil, nil, container.NewVScroll(box)), s.deps.Window)
	size := s.deps.Window.Canvas().Size()
	d.Resize(fyne.NewSize(size.Width*0.9, size.Height*0.8))
	d.Show()
}
