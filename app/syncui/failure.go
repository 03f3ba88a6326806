package syncui

import (
	"log"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/sync"
)

// This file shows the sync client's failures the one way every screen
// uses: the plain sentence of sync.Classify, a "Rincian" button with the
// technical detail, and the detail in the log (docs/ERRORS.md).

// FailureView is an inline failure: the sentence, and a "Rincian" button
// that opens the detail. The wizard and the status bar place it; Set and
// Clear change it.
type FailureView struct {
	win    fyne.Window
	text   *widget.Label
	button *widget.Button
	box    *fyne.Container
	detail string
}

// NewFailureView makes an empty (hidden) view; wrap lets the sentence wrap
// (forms) or truncates it (the one-line status bar).
func NewFailureView(win fyne.Window, wrap bool) *FailureView {
	v := &FailureView{win: win}
	v.text = &widget.Label{Importance: widget.DangerImportance}
	if wrap {
		v.text.Wrapping = fyne.TextWrapWord
	} else {
		v.text.Truncation = fyne.TextTruncateEllipsis
	}
	v.button = widget.NewButtonWithIcon(i18n.T("syncerr.detail"), theme.InfoIcon(), func() { ShowDetail(v.win, v.detail) })
	v.button.Importance = widget.LowImportance
	v.button.Hide()
	v.box = container.NewBorder(nil, nil, nil, v.button, v.text)
	return v
}

// Object is what to place on screen.
func (v *FailureView) Object() fyne.CanvasObject { return v.box }

// Sentence is the text on show (tests).
func (v *FailureView) Sentence() string { return v.text.Text }

// DetailButton is the "Rincian" button (tests and the screenshot walk).
func (v *FailureView) DetailButton() *widget.Button { return v.button }

// SetError shows err classified, and logs its detail; nil clears.
func (v *FailureView) SetError(err error) {
	f := sync.Classify(err)
	if f == nil {
		v.Clear()
		return
	}
	logFailure(f)
	v.Set(f.Localized(i18n.Lang()), f.Detail())
}

// SetText shows a plain message of the screen's own (a missing field),
// with no detail behind it.
func (v *FailureView) SetText(text string) { v.Set(text, "") }

// Set shows a sentence and its detail; the button shows when there is one.
func (v *FailureView) Set(sentence, detail string) {
	v.text.SetText(sentence)
	v.detail = detail
	if detail == "" {
		v.button.Hide()
	} else {
		v.button.Show()
	}
	v.box.Refresh()
}

// Clear hides the failure.
func (v *FailureView) Clear() { v.Set("", "") }

// ShowFailure shows err in a dialog: the sentence, and "Rincian".
func ShowFailure(win fyne.Window, err error) {
	f := sync.Classify(err)
	if f == nil || f.Kind == sync.KindCancelled {
		return
	}
	logFailure(f)
	text := &widget.Label{Text: f.Localized(i18n.Lang()), Wrapping: fyne.TextWrapWord}
	more := widget.NewButtonWithIcon(i18n.T("syncerr.detail"), theme.InfoIcon(), func() { ShowDetail(win, f.Detail()) })
	more.Importance = widget.LowImportance
	d := dialog.NewCustom(i18n.T("syncerr.title"), i18n.T("common.close"), container.NewVBox(text, container.NewHBox(more)), win)
	d.Resize(fyne.NewSize(min(520, win.Canvas().Size().Width-40), 0))
	d.Show()
}

// ShowDetail opens the technical detail, selectable so it can be copied
// into a message to support.
func ShowDetail(win fyne.Window, detail string) {
	l := &widget.Label{Text: detail, Wrapping: fyne.TextWrapWord, Selectable: true}
	d := dialog.NewCustom(i18n.T("syncerr.detail.title"), i18n.T("common.close"), l, win)
	d.Resize(fyne.NewSize(min(560, win.Canvas().Size().Width-40), 0))
	d.Show()
}

func logFailure(f *sync.Failure) {
	log.Printf("sync: %s: %s", f.Kind, f.Detail())
}
