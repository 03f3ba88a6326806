package app

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/trainees"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
)

// profileForm is the centre profile in Settings: what the wizard or the
// server's `centre add` wrote, editable later (name, host institution,
// region, address, head, phone, permit number, the attendance minimum of
// graduation) and the operator of this PC. The profile is a synced record;
// the operator's name belongs to this PC only (store meta), because each PC
// of a centre has its own operator.
type profileForm struct {
	shell  *Shell
	st     settingsStore
	form   *kit.Form
	centre *domain.Centre // as loaded; nil before

	name, foundation, address, head, phone, permit, minimum, operator *kit.Entry
	host                                                              *kit.Choice
	region                                                            *widgets.RegionPicker
	save                                                              *widget.Button
	msg                                                               *widget.Label
	box                                                               *fyne.Container
	// resized tells the screen the section's height changed (loaded,
	// problems shown), so its scroll can reach the Save button.
	resized func()
}

func newProfileForm(s *Shell, st settingsStore) *profileForm {
	p := &profileForm{shell: s, st: st}
	lang := i18n.Lang()
	p.form = kit.New()
	p.form.Submit = p.Save // Enter in any entry
	entry := func(field string) *kit.Entry { return p.form.Entry(field, domain.FieldLabel(field, lang), "") }
	p.name = entry("name")
	// open: a host type the server wrote that this version does not know stays as written
	p.host = kit.NewChoice("centres.host_type")
	p.host.Open = true
	p.form.Add("host_type", domain.FieldLabel("host_type", lang), p.host.Select)
	p.foundation = entry("foundation")
	p.region = widgets.NewRegionPicker(trainees.RegionPlaceholders(), nil)
	p.form.Add("village_code", domain.FieldLabel("village_code", lang), p.region.Object())
	p.address, p.head, p.phone, p.permit = entry("address"), entry("head"), entry("phone"), entry("permit_no")
	p.minimum = p.form.Entry("min_attendance", domain.FieldLabel("min_attendance", lang), strconv.Itoa(domain.DefaultMinAttendance))
	p.operator = p.form.Entry(MetaOperator, i18n.T("wizard.operator.name"), "")
	p.save = widget.NewButtonWithIcon(i18n.T("profile.save"), theme.DocumentSaveIcon(), p.Save)
	p.save.Importance = widget.HighImportance
	p.save.Disable() // until the profile is loaded
	p.msg = &widget.Label{Wrapping: fyne.TextWrapWord}
	p.msg.Hide() // until there is something to say
	head := &widget.Label{Text: i18n.T("profile.title"), TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	// Save sits beside the title, where it is in reach on a small screen
	// without scrolling past the whole form.
	p.box = container.NewVBox(container.NewBorder(nil, nil, head, p.save), p.msg, p.form.Content())
	return p
}

// Object is the section to place in Settings.
func (p *profileForm) Object() fyne.CanvasObject { return p.box }

// Load reads the profile and the operator off the UI goroutine.
func (p *profileForm) Load() {
	st := p.st
	p.shell.run.Go(func() {
		ctx := context.Background()
		c, err := st.Centre(ctx)
		op, _ := st.Meta(ctx, MetaOperator)
		p.shell.run.Do(func() {
			if err != nil {
				p.say(widget.DangerImportance, i18n.T("profile.missing"))
				return
			}
			p.fill(c, op)
		})
	})
}

func (p *profileForm) fill(c *domain.Centre, operator string) {
	p.centre = c
	p.name.SetText(c.Name)
	p.host.SetValue(c.HostType)
	p.foundation.SetText(c.Foundation)
	p.region.SetCode(c.VillageCode)
	p.address.SetText(c.Address)
	p.head.SetText(c.Head)
	p.phone.SetText(c.Phone)
	p.permit.SetText(c.PermitNo)
	p.minimum.SetText("")
	if c.MinAttendance > 0 {
		p.minimum.SetText(strconv.FormatInt(c.MinAttendance, 10))
	}
	p.operator.SetText(operator)
	p.save.Enable()
	p.relayout()
}

func (p *profileForm) relayout() {
	p.box.Refresh()
	if p.resized != nil {
		p.resized()
	}
}

// record is the profile as typed, over the loaded one (its other fields
// and its versions stay).
func (p *profileForm) record() (*domain.Centre, domain.Problems) {
	c := *p.centre
	c.Name, c.HostType, c.Foundation = p.name.Text, p.host.Value(), p.foundation.Text
	c.VillageCode, c.Address, c.Head, c.Phone, c.PermitNo = p.region.Code(), p.address.Text, p.head.Text, p.phone.Text, p.permit.Text
	var ps domain.Problems
	c.MinAttendance = 0
	if t := strings.TrimSpace(p.minimum.Text); t != "" {
		n, err := strconv.ParseInt(strings.TrimSuffix(t, "%"), 10, 64)
		if err != nil {
			ps = append(ps, domain.Problem{Field: "min_attendance", Level: domain.Invalid, Code: "problem.percent.range"})
		}
		c.MinAttendance = n
	}
	domain.Normalize(&c)
	ps = append(ps, domain.Validate(&c, p.st.Rules())...)
	if strings.TrimSpace(p.operator.Text) == "" {
		ps = append(ps, domain.Problem{Field: MetaOperator, Level: domain.Invalid, Code: "problem.required"})
	}
	return &c, ps
}

// Save validates, writes the profile (one synced change holding only the
// fields that changed) and the operator, then refreshes the status bar.
func (p *profileForm) Save() {
	if p.centre == nil {
		return
	}
	c, ps := p.record()
	p.form.Show(ps)
	if ps.Invalid() {
		p.say(widget.DangerImportance, i18n.T("profile.fix"))
		return
	}
	op := strings.TrimSpace(p.operator.Text)
	st := p.st
	p.save.Disable()
	p.shell.run.Go(func() {
		ctx := context.Background()
		warnings, err := st.Save(ctx, c)
		if err == nil {
			err = st.SetMeta(ctx, MetaOperator, op)
		}
		var fresh *domain.Centre
		if err == nil {
			fresh, err = st.Centre(ctx)
		}
		p.shell.run.Do(func() {
			p.save.Enable()
			var ve *domain.ValidationError
			if errors.As(err, &ve) {
				p.form.Show(ve.Problems)
				p.say(widget.DangerImportance, i18n.T("profile.fix"))
				return
			}
			if err != nil {
				p.say(widget.DangerImportance, err.Error())
				return
			}
			p.form.Show(warnings)
			p.fill(fresh, op)
			p.say(widget.SuccessImportance, i18n.T("profile.saved"))
			p.shell.loadWho()
			p.shell.changed()
		})
	})
}

func (p *profileForm) say(imp widget.Importance, text string) {
	p.msg.Importance = imp
	p.msg.SetText(text)
	p.msg.Show()
	p.relayout()
}
