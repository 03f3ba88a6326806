// Package dashboard is the Dasbor screen: the numbers a head of centre asks
// for (trainees, graduates, cohorts running now, attendance, what graduates
// do afterwards) with bar charts drawn from Fyne canvas rectangles, no
// images. It only reads, through store.Dashboard, off the UI goroutine.
package dashboard

import (
	"context"
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// Store is what the dashboard reads: the figures and the kemandirian
// assessment. *store.Store satisfies it.
type Store interface {
	Dashboard(ctx context.Context, today string) (*store.DashboardStats, error)
	Kemandirian(ctx context.Context, day time.Time) (domain.KemandirianAssessment, error)
}

// Screen is the dashboard.
type Screen struct {
	deps  screen.Deps
	st    Store
	root  *fyne.Container
	stats *store.DashboardStats
	// loaded is a test hook: receives after each Update lands (nil: none).
	loaded chan struct{}

	// running and again (UI goroutine only) keep one computation at a time:
	// each reads the whole database, and two at once hold two sets of SQLite
	// sort buffers (tens of MB at 100k trainees) for nothing.
	running, again, closed bool
	againCtx               context.Context
}

// New builds the screen over st (empty until Update).
func New(deps screen.Deps, st Store) *Screen {
	s := &Screen{deps: deps, st: st, root: container.NewStack(widget.NewLabel(i18n.T("common.loading")))}
	return s
}

// Content implements screen.Screen.
func (s *Screen) Content() fyne.CanvasObject { return s.root }

// Update recomputes the numbers off the UI goroutine. Called while a
// computation runs, it asks for one more after it instead of a second at once.
func (s *Screen) Update(ctx context.Context) {
	if s.running {
		s.again, s.againCtx = true, ctx
		return
	}
	s.running = true
	s.deps.Go(func() {
		st, err := s.st.Dashboard(ctx, s.deps.Now().Format(domain.DateLayout))
		var kem domain.KemandirianAssessment
		if err == nil {
			kem, err = s.st.Kemandirian(ctx, s.deps.Now())
		}
		s.deps.Do(func() {
			s.running = false
			if s.closed {
				return
			}
			if s.again {
				s.again = false
				s.Update(s.againCtx) // the newest ask's: the first may be cancelled
			}
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.stats = st
			s.root.Objects = []fyne.CanvasObject{s.build(st, kem)}
			s.root.Refresh()
			if s.loaded != nil {
				s.loaded <- struct{}{}
			}
		})
	})
}

// Close lets go of the numbers and charts when the shell drops the screen
// (a language switch rebuilds every screen); a computation still running is
// dropped when it lands.
func (s *Screen) Close() {
	s.closed, s.again, s.stats = true, false, nil
	s.root.Objects = nil
}

// Outcome colours: one per tracer status, the same in both themes.
var outcomeColours = map[string]color.NRGBA{
	domain.OutcomeEmployed:     {R: 0x2e, G: 0x7d, B: 0x32, A: 0xff},
	domain.OutcomeSelfEmployed: {R: 0x00, G: 0x83, B: 0x8f, A: 0xff},
	domain.OutcomeStudying:     {R: 0x3f, G: 0x51, B: 0xb5, A: 0xff},
	domain.OutcomeNotWorking:   {R: 0xe6, G: 0x51, B: 0x00, A: 0xff},
}

// finerColours are the statuses that tell "not working" apart (tracer
// waves); they show only when a graduate has one, to keep the page short.
var finerColours = map[string]color.NRGBA{
	domain.OutcomeLooking:     {R: 0xef, G: 0x6c, B: 0x00, A: 0xff},
	domain.OutcomeNotLooking:  {R: 0x8d, G: 0x6e, B: 0x63, A: 0xff},
	domain.OutcomeUnreachable: {R: 0x75, G: 0x75, B: 0x75, A: 0xff},
}

func (s *Screen) build(st *store.DashboardStats, kem domain.KemandirianAssessment) fyne.CanvasObject {
	lang := i18n.Lang()
	cards := container.NewGridWithColumns(5,
		card(i18n.T("dashboard.trainees"), fmt.Sprint(st.Trainees)),
		card(i18n.T("dashboard.enrolled"), fmt.Sprint(st.Enrolled)),
		card(i18n.T("dashboard.graduates"), fmt.Sprint(st.Graduates)),
		card(i18n.T("dashboard.running"), fmt.Sprint(len(st.Running))),
		card(i18n.T("dashboard.attendance"), percent(st.AttendanceRate, st.Marked)),
	)

	perProg := make([]bar, 0, len(st.PerProgramme))
	for _, p := range st.PerProgramme {
		perProg = append(perProg, bar{Label: p.Name, Value: float64(p.Count), Text: fmt.Sprint(p.Count)})
	}
	var outcomes []bar
	byStatus := map[string]int{}
	for _, o := range st.Outcomes {
		byStatus[o.Name] = o.Count
	}
	for _, c := range domain.Choices["outcomes.status"] {
		n := byStatus[c.Value]
		if _, main := outcomeColours[c.Value]; !main && n == 0 {
			continue // the finer statuses show once someone has them
		}
		colour, main := outcomeColours[c.Value]
		if !main {
			colour = finerColours[c.Value]
		}
		outcomes = append(outcomes, bar{Label: c.Label(lang), Value: float64(n), Colour: colour,
			Text: fmt.Sprintf("%d (%s)", n, percent(ratio(n, st.Traced), st.Traced))})
	}
	var running []bar
	for _, r := range st.Running {
		running = append(running, bar{Label: fmt.Sprintf("%s · %d %s", r.Label, r.Enrolled, i18n.T("dashboard.people")),
			Value: r.AttendanceRate, Max: 1, Text: percent(r.AttendanceRate, r.AttendanceMarked)})
	}

	left := container.NewVBox(
		heading(i18n.T("dashboard.per_programme")), chart(perProg, i18n.T("dashboard.empty")),
	)
	right := container.NewVBox(
		heading(i18n.Count("dashboard.outcomes", st.Traced)), chart(outcomes, i18n.T("dashboard.empty")),
		heading(i18n.T("dashboard.running_now")), chart(running, i18n.T("dashboard.none_running")),
	)
	return container.NewVScroll(container.NewVBox(cards, kemandirianCard(kem), container.NewGridWithColumns(2, left, right)))
}

// kemandirianCard is the road-map level with the first next step.
func kemandirianCard(a domain.KemandirianAssessment) fyne.CanvasObject {
	v := canvas.NewText(domain.ChoiceLabel("centres.classification", a.Level, i18n.Lang()), theme.Color(theme.ColorNamePrimary))
	v.TextSize = 24
	v.TextStyle = fyne.TextStyle{Bold: true}
	caption := &widget.Label{Text: i18n.T("kem.card", a.Met, len(a.Criteria))}
	// the next step wraps: cut at 1024x768 it lost the amount still needed
	next := &widget.Label{Text: i18n.T("kem.all_met"), Wrapping: fyne.TextWrapWord}
	if len(a.Next) > 0 {
		next.Text = a.Next[0].Text(i18n.Lang())
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = 6
	return container.NewStack(bg, container.NewPadded(container.NewBorder(nil, nil, container.NewVBox(v, caption), nil, next)))
}

func ratio(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(n) / float64(total)
}

func percent(r float64, of int) string {
	if of == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", r*100)
}

func heading(s string) fyne.CanvasObject {
	return &widget.Label{Text: s, TextStyle: fyne.TextStyle{Bold: true}}
}

// card is one big number with its caption.
func card(caption, value string) fyne.CanvasObject {
	v := canvas.NewText(value, theme.Color(theme.ColorNamePrimary))
	v.TextSize = 30
	v.TextStyle = fyne.TextStyle{Bold: true}
	c := &widget.Label{Text: caption, Truncation: fyne.TextTruncateEllipsis}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = 6
	return container.NewStack(bg, container.NewPadded(container.NewVBox(v, c)))
}

// DataChanged (screen.Watcher) computes the numbers again after any
// committed write: every table feeds one of them.
func (s *Screen) DataChanged(ctx context.Context, _ store.Changed) { s.Update(ctx) }
