// Package kemandirian is the "Kemandirian" screen: the centre's level
// under the road map for BLK Komunitas, its five criteria with progress
// bars and what is missing, the next steps, this year's road-map targets
// with progress, and, on their own tabs, the records behind the criteria:
// the business units' ledger (which moves the own-income criterion at
// once), instructor certifications and legal documents.
// It reads and writes through the store only and never imports the Fyne
// app package, so it tests headless.
package kemandirian

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// Store is what the screen and its tabs read and write: the kit's record
// calls (ledger lines, certifications, documents, road-map targets) and
// the assessment with the year's figures (kept by the store until the data
// or the day changes). *store.Store satisfies it; the clock comes apart
// (screen.Deps.Now).
type Store interface {
	kit.Store
	KemandirianFigures(ctx context.Context, day time.Time) (domain.KemandirianAssessment, domain.YearFigures, error)
}

// Screen is the kemandirian overview and the tabs of the records behind it.
type Screen struct {
	deps screen.Deps
	st   Store
	now  func() time.Time
	root fyne.CanvasObject
	gen  int

	level     *canvas.Text
	summary   *widget.Label
	criteria  *fyne.Container
	next      *widget.Label
	targets   *fyne.Container
	bars      map[string]*widget.ProgressBar // by criterion code, for tests
	assessed  domain.KemandirianAssessment
	yearShown int

	tGrad, tPlace, tOwn *widget.Entry
	targetStatus        *widget.Label
	currentTarget       *domain.RoadmapTarget

	rightScroll *container.Scroll // the targets: laid out again when they change

	ledger *Ledger // the records behind the criteria, on their own tabs
	certs  *Certs
	docs   *Docs
	tabs   *container.AppTabs
}

// New builds the screen; call Update to load it.
func New(deps screen.Deps, st Store) *Screen {
	s := &Screen{deps: deps, st: st, now: deps.Now, bars: map[string]*widget.ProgressBar{}}
	s.level = canvas.NewText("", theme.Color(theme.ColorNamePrimary))
	s.level.TextSize = 28
	s.level.TextStyle = fyne.TextStyle{Bold: true}
	s.summary = widget.NewLabel("")
	s.criteria = container.NewVBox()
	s.next = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.targets = container.New(layout.NewFormLayout()) // caption, bar: the bars line up

	s.ledger, s.certs, s.docs = NewLedger(deps, st), NewCerts(deps, st), NewDocs(deps, st)
	openLedger := widget.NewButtonWithIcon(i18n.T("ledger.open"), theme.ListIcon(), func() {
		s.tabs.SelectIndex(1)
		s.ledger.NewRecord()
	})

	s.tGrad, s.tPlace, s.tOwn = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	s.targetStatus = kit.Label(&widget.Label{Wrapping: fyne.TextWrapWord})
	targetForm := container.New(&formGrid{}, // label, entry pairs
		widget.NewLabel(i18n.T("field.target_graduates")), s.tGrad,
		widget.NewLabel(i18n.T("field.target_placement_pct")), s.tPlace,
		widget.NewLabel(i18n.T("field.target_own_income_pct")), s.tOwn)
	saveTargets := widget.NewButtonWithIcon(i18n.T("kem.targets_save"), theme.DocumentSaveIcon(), s.saveTargets)

	left := container.NewVBox(
		container.NewHBox(s.level), s.summary,
		heading(i18n.T("kem.criteria")), s.criteria,
		heading(i18n.T("kem.next")), s.next,
	)
	right := container.NewVBox(
		heading(i18n.T("kem.ledger_title")), &widget.Label{Text: i18n.T("ledger.hint"), Wrapping: fyne.TextWrapWord}, container.NewHBox(openLedger),
		widget.NewSeparator(),
		heading(i18n.T("kem.targets_title", s.now().Year())), s.targets, targetForm, container.NewHBox(saveTargets), s.targetStatus,
	)
	s.rightScroll = container.NewVScroll(container.NewPadded(right))
	split := container.NewHSplit(container.NewVScroll(container.NewPadded(left)), s.rightScroll)
	split.Offset = 0.55
	s.tabs = container.NewAppTabs(
		container.NewTabItem(i18n.T("kemrec.tab_overview"), split),
		container.NewTabItem(i18n.T("ledger.tab"), s.ledger.Content()),
		container.NewTabItem(i18n.T("kemrec.tab_certs"), s.certs.Content()),
		container.NewTabItem(i18n.T("kemrec.tab_docs"), s.docs.Content()))
	s.root = s.tabs
	return s
}

// Content is the screen's root object.
func (s *Screen) Content() fyne.CanvasObject { return s.root }

// recordsTab is what the shell's shortcuts reach on a tab of records.
type recordsTab interface {
	NewRecord()
	FocusSearch()
	HasSearch() bool
}

// tabOnShow is the records tab on show (nil on the overview).
func (s *Screen) tabOnShow() recordsTab {
	switch s.tabs.SelectedIndex() {
	case 1:
		return s.ledger
	case 2:
		return s.certs
	case 3:
		return s.docs
	}
	return nil
}

// NewRecord (Ctrl+N) starts a new record on the tab on show; from the
// overview, a new ledger line.
func (s *Screen) NewRecord() {
	t := s.tabOnShow()
	if t == nil {
		s.tabs.SelectIndex(1)
		t = s.ledger
	}
	t.NewRecord()
}

// HasSearch says whether the tab on show has a search box (the overview
// has none: Ctrl+F goes to the trainee search from there).
func (s *Screen) HasSearch() bool {
	t := s.tabOnShow()
	return t != nil && t.HasSearch()
}

// FocusSearch (Ctrl+F) puts the cursor in the search of the tab on show.
func (s *Screen) FocusSearch() {
	if t := s.tabOnShow(); t != nil {
		t.FocusSearch()
	}
}

// Update assesses the centre off the UI goroutine and swaps the result in
// on the UI goroutine (the screen's Runner).
func (s *Screen) Update(ctx context.Context) {
	s.ledger.Update(ctx)
	s.certs.Update(ctx)
	s.docs.Update(ctx)
	s.assess(ctx)
}

// DataChanged (screen.Watcher) re-assesses when a record the criteria
// read changed, and reloads the tabs whose records changed.
func (s *Screen) DataChanged(ctx context.Context, c store.Changed) {
	s.ledger.DataChanged(ctx, c)
	s.certs.DataChanged(ctx, c)
	s.docs.DataChanged(ctx, c)
	if c.Has(domain.KemandirianTables...) {
		s.assess(ctx)
	}
}

// Ledger is the ledger tab (for tests).
func (s *Screen) Ledger() *Ledger { return s.ledger }

// Certs is the instructor certifications tab (for tests).
func (s *Screen) Certs() *Certs { return s.certs }

// Docs is the legal documents tab (for tests).
func (s *Screen) Docs() *Docs { return s.docs }

// assess computes the level off the UI goroutine and shows it.
func (s *Screen) assess(ctx context.Context) {
	s.gen++
	gen := s.gen
	st, clock := s.st, s.now
	s.deps.Go(func() {
		a, y, err := st.KemandirianFigures(ctx, clock())
		s.deps.Do(func() {
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			if gen != s.gen {
				return
			}
			s.show(a, y)
		})
	})
}

// Close drops the shown assessment; a load on its way is dropped.
func (s *Screen) Close() {
	s.ledger.Close()
	s.certs.Close()
	s.docs.Close()
	s.gen++
	s.criteria.Objects = nil
	s.targets.Objects = nil
}

// Assessment is what the screen shows (for tests).
func (s *Screen) Assessment() domain.KemandirianAssessment { return s.assessed }

// Bar is the progress bar of a criterion (for tests).
func (s *Screen) Bar(code string) *widget.ProgressBar { return s.bars[code] }

func (s *Screen) show(a domain.KemandirianAssessment, y domain.YearFigures) {
	lang := i18n.Lang()
	s.assessed = a
	s.level.Text = domain.ChoiceLabel("centres.classification", a.Level, i18n.Lang())
	s.level.Refresh()
	s.summary.SetText(i18n.T("kem.summary", a.Met, len(a.Criteria)))
	s.criteria.Objects = nil
	for _, c := range a.Criteria {
		bar := widget.NewProgressBar()
		bar.Max = float64(max(c.Target, 1))
		bar.SetValue(min(float64(c.Value), bar.Max))
		// "8 / 2" read as eight of two; the target is a minimum
		key := "kem.bar.count"
		if c.Unit == "percent" {
			key = "kem.bar.percent"
		}
		bar.TextFormatter = func() string { return i18n.T(key, c.Value, c.Target) }
		s.bars[c.Code] = bar
		mark := "○ "
		if c.Met {
			mark = "✓ "
		}
		title := &widget.Label{Text: mark + c.Label(lang), TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
		box := container.NewVBox(title, bar)
		for _, n := range c.Missing {
			box.Add(&widget.Label{Text: n.Text(lang), Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
		}
		if c.Met {
			for _, n := range c.Evidence {
				box.Add(&widget.Label{Text: n.Text(lang), Wrapping: fyne.TextWrapWord})
			}
		}
		s.criteria.Add(box)
	}
	s.criteria.Refresh()
	next := ""
	for i, n := range a.Next {
		next += fmt.Sprintf("%d. %s\n", i+1, n.Text(lang))
	}
	if next == "" {
		next = i18n.T("kem.all_met")
	}
	s.next.SetText(next)

	s.targets.Objects = nil
	s.currentTarget = y.Target
	var tg, tp, to int64
	if y.Target != nil {
		tg, tp, to = y.Target.Graduates, y.Target.PlacementPct, y.Target.OwnIncomePct
	}
	s.targets.Add(widget.NewLabel(i18n.T("kem.target_graduates")))
	s.targets.Add(progress(y.Graduates, tg, ""))
	s.targets.Add(widget.NewLabel(i18n.T("kem.target_placement")))
	s.targets.Add(progress(y.PlacementPct(), tp, "%"))
	s.targets.Add(widget.NewLabel(i18n.T("kem.target_own_income")))
	s.targets.Add(progress(y.Income.OwnPct(), to, "%"))
	if y.Target == nil {
		s.targets.Add(layout.NewSpacer())
		s.targets.Add(&widget.Label{Text: i18n.T("kem.no_targets"), Wrapping: fyne.TextWrapWord})
	}
	s.targets.Refresh()
	s.rightScroll.Refresh() // the targets grew: lay out what is under them again
	if s.yearShown != y.Year {
		s.yearShown = y.Year
		s.tGrad.SetText(strconv.FormatInt(tg, 10))
		s.tPlace.SetText(strconv.FormatInt(tp, 10))
		s.tOwn.SetText(strconv.FormatInt(to, 10))
	}
}

// progress is one road-map target: caption, bar and "value / target".
func progress(value, target int64, unit string) fyne.CanvasObject {
	bar := widget.NewProgressBar()
	bar.Max = float64(max(target, 1))
	if target > 0 { // without a target there is nothing to fill towards
		bar.SetValue(float64(min(value, target)))
	}
	bar.TextFormatter = func() string {
		if target == 0 {
			return fmt.Sprintf("%d%s", value, unit)
		}
		return fmt.Sprintf("%d%s / %d%s", value, unit, target, unit)
	}
	return bar
}

func heading(s string) fyne.CanvasObject {
	return &widget.Label{Text: s, TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.HighImportance}
}

func (s *Screen) say(l *widget.Label, importance widget.Importance, text string) {
	l.Importance = importance
	l.SetText(text)
}

func (s *Screen) saveTargets() {
	t := &domain.RoadmapTarget{Year: strconv.Itoa(s.now().Year())}
	if s.currentTarget != nil {
		*t = *s.currentTarget
	}
	var ok1, ok2, ok3 bool
	t.Graduates, ok1 = kit.Int(s.tGrad.Text)
	t.PlacementPct, ok2 = kit.Int(s.tPlace.Text)
	t.OwnIncomePct, ok3 = kit.Int(s.tOwn.Text)
	if !ok1 || !ok2 || !ok3 {
		s.say(s.targetStatus, widget.DangerImportance, i18n.T("kem.targets_numbers"))
		return
	}
	s.deps.Go(func() {
		_, err := s.st.Save(context.Background(), t)
		s.deps.Do(func() {
			if ps := kit.ProblemsOf(err); ps != nil {
				s.say(s.targetStatus, widget.DangerImportance, ps.Text(i18n.Lang()))
				return
			}
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.say(s.targetStatus, widget.SuccessImportance, i18n.T("kem.targets_saved", t.Year))
			s.deps.Changed()
			s.assess(context.Background())
		})
	})
}

// formGrid lays out label/entry pairs in two columns, labels as wide as
// the widest.
type formGrid struct{}

func (*formGrid) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var lw, ew, h float32
	for i := 0; i+1 < len(objs); i += 2 {
		lw = max(lw, objs[i].MinSize().Width)
		ew = max(ew, objs[i+1].MinSize().Width)
		h += max(objs[i].MinSize().Height, objs[i+1].MinSize().Height) + theme.Padding()
	}
	return fyne.NewSize(lw+ew+theme.Padding(), h)
}

func (*formGrid) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var lw float32
	for i := 0; i+1 < len(objs); i += 2 {
		lw = max(lw, objs[i].MinSize().Width)
	}
	y := float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		h := max(objs[i].MinSize().Height, objs[i+1].MinSize().Height)
		objs[i].Move(fyne.NewPos(0, y))
		objs[i].Resize(fyne.NewSize(lw, h))
		objs[i+1].Move(fyne.NewPos(lw+theme.Padding(), y))
		objs[i+1].Resize(fyne.NewSize(size.Width-lw-theme.Padding(), h))
		y += h + theme.Padding()
	}
}
