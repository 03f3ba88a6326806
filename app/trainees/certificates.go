package trainees

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// certificateParts is the detail's certificate section: every training
// certificate the trainee holds, with its number, issue date and status,
// and a button to revoke one that is still valid.
func (s *Screen) certificateParts(d *store.TraineeDetail) []fyne.CanvasObject {
	parts := []fyne.CanvasObject{section(i18n.T("certs.section"))}
	n := 0
	for _, e := range d.Enrollments {
		for _, c := range e.Certificates {
			n++
			line := i18n.T("certs.line", c.Number, e.Cohort, domain.ShowDate(c.IssuedOn))
			status := &widget.Label{Text: i18n.T("certs.valid"), Importance: widget.SuccessImportance}
			if c.RevokedOn != "" {
				status = &widget.Label{Text: i18n.T("certs.revoked", domain.ShowDate(c.RevokedOn), c.RevokeReason),
					Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
			}
			parts = append(parts, &widget.Label{Text: line, Wrapping: fyne.TextWrapWord}, status)
			if c.RevokedOn == "" {
				c := c
				revoke := widget.NewButtonWithIcon(i18n.T("certs.revoke"), theme.CancelIcon(), func() { s.askRevoke(d.Trainee, c) })
				revoke.Importance = widget.DangerImportance
				parts = append(parts, container.NewHBox(revoke))
			}
		}
	}
	if n == 0 {
		parts = append(parts, widget.NewLabel(i18n.T("trainees.detail.none")))
	}
	return parts
}

// askRevoke asks why c is revoked and says what revoking does before it is
// done: the check page will say "dicabut" once this PC syncs, and the
// paper no longer counts. Confirm stays disabled until a reason is typed.
func (s *Screen) askRevoke(t *domain.Trainee, c *domain.Certificate) {
	reason := widget.NewMultiLineEntry()
	reason.SetPlaceHolder(i18n.T("certs.reason.hint"))
	reason.Wrapping = fyne.TextWrapWord
	reason.SetMinRowsVisible(3)
	reason.Validator = func(v string) error {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("%s", i18n.T("certs.reason.required"))
		}
		return nil
	}
	// The consequence spans the dialog's width above the reason: as a form
	// row it was squeezed into the field column, a dozen short lines.
	warn := &widget.Label{Text: i18n.T("certs.revoke.consequence", c.Number, t.Name), Wrapping: fyne.TextWrapWord}
	form := widget.NewForm(widget.NewFormItem(domain.FieldLabel("revoke_reason", i18n.Lang()), reason))
	var d *dialog.CustomDialog
	confirm := &widget.Button{Text: i18n.T("certs.revoke"), Importance: widget.DangerImportance, OnTapped: func() {
		d.Hide()
		s.revoke(t.ID, c.ID, reason.Text)
	}}
	confirm.Disable()
	reason.OnChanged = func(v string) {
		if strings.TrimSpace(v) == "" {
			confirm.Disable()
		} else {
			confirm.Enable()
		}
	}
	cancel := widget.NewButton(i18n.T("common.cancel"), func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons(i18n.T("certs.revoke.title"), container.NewVBox(warn, form), s.deps.Window)
	d.SetButtons([]fyne.CanvasObject{cancel, confirm})
	d.Resize(fyne.NewSize(min(600, s.deps.Window.Canvas().Size().Width-40), 340))
	d.Show()
	s.deps.Window.Canvas().Focus(reason)
}

// revoke revokes the certificate today, off the UI goroutine, and shows
// the detail again with its new status.
func (s *Screen) revoke(traineeID, certID, reason string) {
	s.deps.Go(func() {
		err := s.st.RevokeCertificate(context.Background(), certID, s.deps.Now(), reason)
		s.deps.Do(func() {
			if err != nil {
				screen.ShowError(s.deps.Window, fmt.Errorf("%s: %w", i18n.T("certs.revoke.title"), err))
				return
			}
			s.deps.Changed()
			s.ShowDetail(traineeID)
		})
	})
}
