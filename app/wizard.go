package app

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/syncui"
	"github.com/kemnaker/blk/app/trainees"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/sync"
)

// wizard is the first run: optionally join a central server (then the
// centre profile comes from it), otherwise create the centre profile; then
// the operator's name. Everything works offline; connecting can be done
// later from Sinkronisasi.
// wizardStore is what the first-run wizard reads and writes: whether this
// database already belongs to a centre (a join brings one), the centre it
// creates and its rules, and the operator's name in meta. The shell's
// store satisfies it; joining a server is the Enroller's (the sync client).
type wizardStore interface {
	CentreID() string
	Centre(ctx context.Context) (*domain.Centre, error)
	InitCentre(ctx context.Context, c *domain.Centre) (domain.Problems, error)
	Rules() domain.Rules
	SetMeta(ctx context.Context, key, value string) error
}

type wizard struct {
	shell  *Shell
	st     wizardStore
	done   func()
	object *fyne.Container
	step   int // 0 server, 1 centre, 2 operator
	joined bool
	// joinedName is the centre the server's profile names, once joined.
	joinedName string

	server    *kit.Form // the three steps' forms: Enter goes on
	url, code *kit.Entry
	centre    *kit.Form
	name      *kit.Entry
	host      *kit.Choice
	region    *widgets.RegionPicker
	op        *kit.Form
	operator  *kit.Entry
	msg       *syncui.FailureView
	next      *widget.Button
	back      *widget.Button
}

func newWizard(s *Shell, done func()) *wizard {
	w := &wizard{shell: s, st: s.opts.Store, done: done, object: container.NewStack()}
	lang := i18n.Lang()
	w.server = kit.New()
	w.server.Submit = w.Next
	w.url = w.server.Entry("server_url", i18n.T("sync.enrol.url"), "https://blk.kemnaker.go.id")
	w.code = w.server.Entry("code", i18n.T("sync.enrol.code"), i18n.T("sync.enrol.code.hint"))
	w.centre = kit.New()
	w.centre.Submit = w.Next
	w.name = w.centre.Entry("name", domain.FieldLabel("name", lang), i18n.T("wizard.centre.name.hint"))
	w.host = w.centre.Select("host_type", domain.FieldLabel("host_type", lang), "centres.host_type")
	w.host.SetValue("pesantren")
	w.region = widgets.NewRegionPicker(trainees.RegionPlaceholders(), nil)
	w.centre.Add("village_code", domain.FieldLabel("village_code", lang), w.region.Object())
	w.op = kit.New()
	w.op.Submit = w.Next
	w.operator = w.op.Entry("operator", i18n.T("wizard.operator.name"), i18n.T("wizard.operator.hint"))
	w.msg = syncui.NewFailureView(s.win, true)
	w.next = widget.NewButtonWithIcon(i18n.T("wizard.next"), theme.NavigateNextIcon(), w.Next)
	w.next.Importance = widget.HighImportance
	w.back = widget.NewButtonWithIcon(i18n.T("wizard.back"), theme.NavigateBackIcon(), w.Back)
	if s.opts.Enroller == nil {
		w.step = 1
	}
	w.render()
	return w
}

// render shows the current step.
func (w *wizard) render() {
	var title, intro string
	var body fyne.CanvasObject
	var extra []fyne.CanvasObject
	switch w.step {
	case 0:
		title, intro = i18n.T("wizard.server.title"), i18n.T("wizard.server.intro")
		body = w.server.Content()
		extra = append(extra, widget.NewButton(i18n.T("wizard.skip"), w.Skip))
		w.next.SetText(i18n.T("sync.enrol.button"))
	case 1:
		title, intro = i18n.T("wizard.centre.title"), i18n.T("wizard.centre.intro")
		body = w.centre.Content()
		w.next.SetText(i18n.T("wizard.next"))
	default:
		title, intro = i18n.T("wizard.operator.title"), i18n.T("wizard.operator.intro")
		body = w.op.Content()
		if w.shell.opts.Enroller == nil {
			extra = append(extra, &widget.Label{Text: i18n.T("wizard.server.later"), Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance})
		}
		if w.joinedName != "" {
			intro = i18n.T("wizard.joined", w.joinedName) + "\n" + intro
		}
		w.next.SetText(i18n.T("wizard.finish"))
	}
	head := &widget.Label{Text: i18n.T("wizard.welcome"), TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText}
	sub := &widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	var lead []fyne.CanvasObject
	if w.canGoBack() {
		lead = append(lead, w.back)
	}
	buttons := container.NewHBox(append(append(lead, w.next), extra...)...)
	page := container.NewVBox(head, sub, &widget.Label{Text: intro, Wrapping: fyne.TextWrapWord}, body, w.msg.Object(), buttons)
	w.object.Objects = []fyne.CanvasObject{container.NewPadded(container.NewVScroll(page))}
	w.object.Refresh()
}

// Skip leaves the server step: the centre is created offline.
func (w *wizard) Skip() {
	w.step = 1
	w.msg.Clear()
	w.render()
}

// canGoBack: every step but the first has a previous one, except after
// joining a server: the code is spent and the profile came from the server.
func (w *wizard) canGoBack() bool {
	switch w.step {
	case 0:
		return false
	case 1:
		return w.shell.opts.Enroller != nil
	default:
		return !w.joined
	}
}

// Back returns to the previous step; what was typed stays.
func (w *wizard) Back() {
	if !w.canGoBack() {
		return
	}
	w.step--
	w.msg.Clear()
	w.render()
}

// Next validates the step and moves on; the last step saves.
func (w *wizard) Next() {
	w.msg.Clear()
	switch w.step {
	case 0:
		url, code := strings.TrimSpace(w.url.Text), strings.TrimSpace(w.code.Text)
		if url == "" || code == "" {
			w.msg.SetText(i18n.T("sync.enrol.missing"))
			return
		}
		var name string
		screen.RunLong(w.shell.run, w.shell.win, i18n.T("sync.enrol.running"), func(ctx context.Context, _ screen.Progress) error {
			err := w.shell.opts.Enroller(ctx, url, code)
			if c, cerr := w.st.Centre(ctx); cerr == nil {
				name = c.Name
			}
			return err
		}, func(err error) {
			if err != nil && !errors.Is(err, sync.ErrEnrolledNotSynced) {
				w.msg.SetError(err)
				return
			}
			// Joined (the code is spent), even when the first download
			// has to be finished by the background sync: say so.
			w.joined, w.joinedName = true, name
			w.step = 2
			w.render()
			w.msg.SetError(err)
			w.shell.win.Canvas().Focus(w.operator)
		})
	case 1:
		c := w.centreRecord()
		ps := domain.Validate(c, w.st.Rules())
		if w.region.Code() == "" {
			ps = append(ps, domain.Problem{Field: "village_code", Level: domain.Invalid, Code: "problem.required"})
		}
		w.centre.Show(ps)
		if ps.Invalid() {
			return
		}
		w.step = 2
		w.render()
		w.shell.win.Canvas().Focus(w.operator)
	default:
		op := strings.TrimSpace(w.operator.Text)
		if op == "" {
			w.msg.SetText(i18n.T("wizard.operator.required"))
			return
		}
		w.finish(op)
	}
}

func (w *wizard) centreRecord() *domain.Centre {
	c := &domain.Centre{Name: w.name.Text, HostType: w.host.Value(), VillageCode: w.region.Code(), Classification: "tumbuh"}
	domain.Normalize(c)
	return c
}

// finish creates the centre (unless it came from the server) and records
// the operator, off the UI goroutine, then opens the main window.
func (w *wizard) finish(operator string) {
	st := w.st
	c := w.centreRecord()
	w.next.Disable()
	w.shell.run.Go(func() {
		ctx := context.Background()
		var err error
		if !w.joined && st.CentreID() == "" {
			_, err = st.InitCentre(ctx, c)
		}
		if err == nil {
			err = st.SetMeta(ctx, MetaOperator, operator)
		}
		w.shell.run.Do(func() {
			w.next.Enable()
			var ve *domain.ValidationError
			if errors.As(err, &ve) {
				w.step = 1
				w.render()
				w.centre.Show(ve.Problems)
				return
			}
			if err != nil {
				w.msg.SetError(err)
				return
			}
			w.done()
		})
	})
}
