// Package exchangeui is the "Laporan" screen: import trainees from Excel or
// CSV with a preview before anything is saved, export every list to
// .xlsx/.csv, and print the cohort report, certificates and annual summary
// as PDF. Long work runs through screen.RunLong (progress and cancel); the
// files are chosen with Fyne's file dialogs. It calls the exchange and
// pdfdoc packages and the store's read queries only: no SQL, no Fyne app.
package exchangeui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/files"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
	"github.com/kemnaker/blk/exchange/traineeimport"
	"github.com/kemnaker/blk/pdfdoc"
	"github.com/kemnaker/blk/store"
)

// Seams for tests: file choices are answered without a dialog.
var (
	// chooseOpen asks for a file to read and calls pick with its path.
	chooseOpen = func(win fyne.Window, exts []string, pick func(path string)) {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				screen.ShowError(win, err)
				return
			}
			r.Close()
			pick(r.URI().Path())
		}, win)
		d.SetFilter(storage.NewExtensionFileFilter(exts))
		files.StartIn(d)
		d.Show()
	}
	// chooseSave asks where to save and calls pick with a writer to it.
	chooseSave = func(win fyne.Window, name string, pick func(w io.WriteCloser, uri fyne.URI)) {
		d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil || w == nil {
				screen.ShowError(win, err)
				return
			}
			pick(w, w.URI())
		}, win)
		d.SetFileName(name)
		files.StartIn(d)
		d.Show()
	}
)

// Screen is the Laporan screen.
type Screen struct {
	deps screen.Deps
	st   Store
	root fyne.CanvasObject

	// import
	file       string
	report     *traineeimport.Report
	apply      map[int]bool // held rows (by line) the operator ticked to apply anyway
	rows       *widgets.Table[traineeimport.Row]
	summary    *widget.Label
	importBtn  *widget.Button
	refusedBtn *widget.Button

	// documents
	cohorts   []store.CohortLabel
	cohort    *widget.Select
	graduates []store.RosterEntry
	trainee   *widget.Select
	year      *widget.Entry
	docStatus *widget.Label
}

// Store is what the screen reads and writes: the cohorts and graduates to
// choose from, what the trainee import writes, what the exports walk and
// count, and what the documents print. *store.Store satisfies it.
type Store interface {
	traineeimport.Store // Rules, Write
	exchange.Source     // EachRecord
	pdfdoc.Store
	Count(ctx context.Context, t *domain.Table, q store.Query) (int, error)
	CohortLabels(ctx context.Context) ([]store.CohortLabel, error)
}

// New builds the screen over st; Update fills the cohort list.
func New(deps screen.Deps, st Store) *Screen {
	s := &Screen{deps: deps, st: st}
	s.root = container.NewAppTabs(
		container.NewTabItem(i18n.T("exchange.tab.import"), s.importTab()),
		container.NewTabItem(i18n.T("exchange.tab.export"), s.exportTab()),
		container.NewTabItem(i18n.T("exchange.tab.documents"), s.documentsTab()),
	)
	return s
}

// Content is the screen's root.
func (s *Screen) Content() fyne.CanvasObject { return s.root }

// Update reloads the cohorts the documents can be printed for.
func (s *Screen) Update(ctx context.Context) {
	s.deps.Go(func() {
		labels, err := s.st.CohortLabels(ctx)
		s.deps.Do(func() {
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.cohorts = labels
			opts := make([]string, len(labels))
			for i, c := range labels {
				opts[i] = c.Label + " · " + domain.ChoiceLabel("cohorts.status", c.Status, i18n.Lang())
			}
			s.cohort.SetOptions(opts)
		})
	})
}

func (s *Screen) importTab() fyne.CanvasObject {
	s.summary = &widget.Label{Text: i18n.T("exchange.import.hint"), Wrapping: fyne.TextWrapWord}
	lang := func() domain.Lang { return i18n.Lang() }
	s.rows = widgets.NewTable([]widgets.Column[traineeimport.Row]{
		{Title: i18n.T("exchange.col.row"), Width: 60, Text: func(r traineeimport.Row) string { return strconv.Itoa(r.Line) },
			Less: func(a, b traineeimport.Row) bool { return a.Line < b.Line }},
		{Title: i18n.T("exchange.col.status"), Width: 170, Text: s.statusText,
			Less: func(a, b traineeimport.Row) bool { return a.Status < b.Status }},
		{Title: i18n.T("exchange.col.name"), Width: 200, Text: func(r traineeimport.Row) string { return r.Name }},
		{Title: "NIK", Width: 160, Text: func(r traineeimport.Row) string { return r.NIK }},
		{Title: i18n.T("exchange.col.reason"), Width: 560, Text: func(r traineeimport.Row) string {
			parts := append([]string(nil), r.Reasons...)
			for _, c := range r.Changes {
				parts = append(parts, c.Text(lang()))
			}
			return strings.Join(parts, "; ")
		}},
	})
	s.rows.OnSelected = s.showRow
	choose := widget.NewButton(i18n.T("exchange.import.choose"), func() {
		chooseOpen(s.deps.Window, []string{".xlsx", ".csv"}, s.Preview)
	})
	choose.Importance = widget.HighImportance
	s.importBtn = widget.NewButton(i18n.T("exchange.import.save"), s.Import)
	s.importBtn.Disable()
	s.refusedBtn = widget.NewButton(i18n.T("exchange.import.refused"), func() {
		chooseSave(s.deps.Window, "ditolak.xlsx", func(w io.WriteCloser, uri fyne.URI) {
			s.saveRefused(w, uri)
		})
	})
	s.refusedBtn.Disable()
	template := widget.NewButton(i18n.T("exchange.import.template"), func() {
		chooseSave(s.deps.Window, i18n.T("exchange.file.template")+".xlsx", s.saveTemplate)
	})
	top := container.NewVBox(container.NewHBox(choose, s.importBtn, s.refusedBtn, template), s.summary)
	return container.NewBorder(top, nil, nil, nil, s.rows)
}

// saveTemplate writes the blank trainee list to fill in and import.
func (s *Screen) saveTemplate(w io.WriteCloser, uri fyne.URI) {
	err := traineeimport.WriteTemplate(w, i18n.Lang())
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = storage.Delete(uri)
		screen.ShowError(s.deps.Window, err)
		return
	}
	files.ShowSaved(s.deps.Window, i18n.T("exchange.saved"), uri)
}

// ShowImport opens the trainee import (preview, tick, import, template)
// over the current screen: the Peserta screen's "Impor dari Excel".
func ShowImport(deps screen.Deps) *Screen {
	s := &Screen{deps: deps}
	s.root = s.importTab()
	d := dialog.NewCustom(i18n.T("exchange.tab.import"), i18n.T("common.close"), s.root, deps.Window)
	size := deps.Window.Canvas().Size()
	d.Resize(fyne.NewSize(size.Width*0.95, size.Height*0.9))
	d.Show()
	return s
}

// statusText is the row's status; a held row the operator ticked says it
// will be applied.
func (s *Screen) statusText(r traineeimport.Row) string {
	if r.Status == traineeimport.RowHeld && s.apply[r.Line] {
		return i18n.T("exchange.held.ticked")
	}
	return traineeimport.StatusLabel(r.Status, i18n.Lang())
}

// showRow opens a row: every reason and change in full, and for a row held
// back because its NIK is someone else's, the tick that applies it anyway.
func (s *Screen) showRow(r traineeimport.Row) {
	lang := i18n.Lang()
	box := container.NewVBox()
	text := func(t string, imp widget.Importance) {
		box.Add(&widget.Label{Text: t, Wrapping: fyne.TextWrapWord, Importance: imp})
	}
	text(r.Name+" · NIK "+r.NIK+" · "+s.statusText(r), widget.MediumImportance)
	for _, reason := range r.Reasons {
		text(reason, widget.WarningImportance)
	}
	if len(r.Changes) > 0 {
		text(i18n.T("exchange.row.changes"), widget.MediumImportance)
		for _, c := range r.Changes {
			text("  "+c.Text(lang), widget.MediumImportance)
		}
	}
	if len(r.Reasons) == 0 && len(r.Changes) == 0 {
		return
	}
	if r.Status == traineeimport.RowHeld && s.report != nil && s.report.Preview {
		tick := widget.NewCheck(i18n.T("exchange.held.tick"), func(on bool) {
			s.SetApply(r.Line, on)
		})
		tick.Checked = s.apply[r.Line]
		box.Add(tick)
	}
	d := dialog.NewCustom(i18n.T("exchange.col.row")+" "+strconv.Itoa(r.Line), i18n.T("common.close"), container.NewVScroll(box), s.deps.Window)
	d.Resize(fyne.NewSize(640, 420))
	d.Show()
}

// Preview checks the file row by row against the database and shows what
// an import would do, saving nothing.
func (s *Screen) Preview(path string) {
	s.file = path
	s.apply = nil
	var rep *traineeimport.Report
	screen.RunLong(s.deps.Run, s.deps.Window, i18n.T("exchange.import.previewing"), func(ctx context.Context, progress screen.Progress) error {
		var err error
		rep, err = traineeimport.Preview(ctx, s.st, path, traineeimport.Options{Lang: i18n.Lang(), Progress: progress})
		return err
	}, func(err error) {
		if err == nil {
			s.report = rep
		}
		if err != nil {
			s.report = nil
			s.showReport()
			screen.ShowError(s.deps.Window, err)
			return
		}
		s.showReport()
	})
}

// Import saves the previewed file in one transaction; cancel saves nothing.
func (s *Screen) Import() {
	if s.file == "" {
		return
	}
	path := s.file
	var ticked []int
	for line, on := range s.apply {
		if on {
			ticked = append(ticked, line)
		}
	}
	apply := traineeimport.ApplyLines(ticked...)
	var rep *traineeimport.Report
	screen.RunLong(s.deps.Run, s.deps.Window, i18n.T("exchange.import.importing"), func(ctx context.Context, progress screen.Progress) error {
		var err error
		rep, err = traineeimport.Import(ctx, s.st, path, traineeimport.Options{Lang: i18n.Lang(), Progress: progress, ApplyHeld: apply})
		return err
	}, func(err error) {
		if err == nil {
			s.report = rep
		}
		if err != nil {
			screen.ShowError(s.deps.Window, err)
			return
		}
		s.showReport()
		s.deps.Changed()
	})
}

// Report is the import or preview last shown (nil before the first).
func (s *Screen) Report() *traineeimport.Report { return s.report }

func (s *Screen) showReport() {
	rep := s.report
	if rep == nil {
		s.rows.SetRows(nil)
		s.summary.SetText(i18n.T("exchange.import.hint"))
		s.importBtn.Disable()
		s.refusedBtn.Disable()
		return
	}
	s.rows.SetRows(rep.Rows)
	if rep.Preview {
		s.importBtn.Enable()
	} else {
		s.importBtn.Disable()
	}
	s.showSummary()
	if rep.Refused+rep.Held > 0 {
		s.refusedBtn.Enable()
	} else {
		s.refusedBtn.Disable()
	}
}

// SetApply ticks (or unticks) a held row to be applied anyway, as the
// row's dialog does.
func (s *Screen) SetApply(line int, on bool) {
	if s.apply == nil {
		s.apply = map[int]bool{}
	}
	s.apply[line] = on
	s.rows.Refresh()
	s.showSummary()
}

func (s *Screen) showSummary() {
	rep := s.report
	if rep == nil {
		return
	}
	text := rep.Summary(i18n.Lang())
	if rep.Held > 0 && rep.Preview {
		n := 0
		for _, r := range rep.Rows {
			if r.Status == traineeimport.RowHeld && s.apply[r.Line] {
				n++
			}
		}
		text += "\n" + i18n.Count("exchange.held.hint", rep.Held, i18n.N(int64(n)))
	}
	if rep.Preview {
		text += "\n" + i18n.T("exchange.import.confirm")
	}
	text += "\n" + i18n.T("exchange.import.open_row")
	s.summary.SetText(text)
}

func (s *Screen) saveRefused(w io.WriteCloser, uri fyne.URI) {
	rep := s.report
	if rep == nil {
		w.Close()
		return
	}
	err := rep.WriteXLSX(w)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = storage.Delete(uri)
		screen.ShowError(s.deps.Window, err)
		return
	}
	files.ShowSaved(s.deps.Window, i18n.T("exchange.saved"), uri)
}

func (s *Screen) exportTab() fyne.CanvasObject {
	form := widget.NewForm()
	for _, what := range exchange.Lists {
		buttons := container.NewHBox()
		form.Append(i18n.T("exchange.list."+what), buttons)
		for _, format := range []string{exchange.FormatXLSX, exchange.FormatCSV} {
			buttons.Add(widget.NewButton(i18n.T("exchange.export."+format), func() {
				name := i18n.T("exchange.file."+what) + "." + format
				chooseSave(s.deps.Window, name, func(w io.WriteCloser, uri fyne.URI) {
					s.export(what, w, uri)
				})
			}))
		}
	}
	hint := &widget.Label{Text: i18n.T("exchange.export.hint"), Wrapping: fyne.TextWrapWord}
	return container.NewVBox(hint, form)
}

// export writes one list to w. The file is built in memory and written only
// when complete, so a cancelled export leaves no half a spreadsheet.
func (s *Screen) export(what string, w io.WriteCloser, uri fyne.URI) {
	format, err := exchange.FormatOf(uri.Name())
	if err != nil {
		format = exchange.FormatXLSX
	}
	s.writeLong(i18n.T("exchange.exporting"), w, uri, func(ctx context.Context, buf io.Writer, progress screen.Progress) error {
		total, err := s.st.Count(ctx, domain.LookupTable(what), store.Query{})
		if err != nil {
			return err
		}
		return exchange.ExportWithProgress(ctx, s.st, what, format, buf, func(done int) { progress(done, total) })
	})
}

// writeLong runs produce behind a progress dialog into memory, then writes
// the result to w; on error or cancel the chosen file is removed.
func (s *Screen) writeLong(title string, w io.WriteCloser, uri fyne.URI, produce func(ctx context.Context, buf io.Writer, progress screen.Progress) error) {
	screen.RunLong(s.deps.Run, s.deps.Window, title, func(ctx context.Context, progress screen.Progress) error {
		var buf bytes.Buffer
		err := produce(ctx, &buf, progress)
		if err == nil {
			_, err = w.Write(buf.Bytes())
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = storage.Delete(uri)
		}
		return err
	}, func(err error) {
		if err != nil {
			screen.ShowError(s.deps.Window, err)
			return
		}
		files.ShowSaved(s.deps.Window, i18n.T("exchange.saved"), uri)
	})
}

func (s *Screen) documentsTab() fyne.CanvasObject {
	s.docStatus = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.trainee = widget.NewSelect(nil, nil)
	s.trainee.PlaceHolder = i18n.T("exchange.doc.all")
	s.cohort = widget.NewSelect(nil, func(string) { s.loadGraduates() })
	s.cohort.PlaceHolder = i18n.T("exchange.doc.cohort.pick")
	s.year = widget.NewEntry()
	s.year.SetText(strconv.Itoa(time.Now().Year()))
	if s.deps.Now != nil {
		s.year.SetText(strconv.Itoa(s.deps.Now().Year()))
	}
	cohortReport := widget.NewButton(i18n.T("exchange.doc.cohort"), func() { s.printCohort("cohort") })
	certificates := widget.NewButton(i18n.T("exchange.doc.certificates"), func() { s.printCohort("certificates") })
	annual := widget.NewButton(i18n.T("exchange.doc.annual"), s.printAnnual)
	return container.NewVBox(
		widget.NewCard(i18n.T("exchange.doc.cohort.title"), i18n.T("exchange.doc.cohort.hint"), container.NewVBox(
			widget.NewForm(
				widget.NewFormItem(i18n.T("exchange.doc.cohort.label"), s.cohort),
				widget.NewFormItem(i18n.T("exchange.doc.trainee.label"), s.trainee),
			),
			container.NewHBox(cohortReport, certificates),
		)),
		widget.NewCard(i18n.T("exchange.doc.annual.title"), i18n.T("exchange.doc.annual.hint"), container.NewVBox(
			widget.NewForm(widget.NewFormItem(i18n.T("exchange.doc.year"), s.year)),
			container.NewHBox(annual),
		)),
		s.docStatus,
	)
}

func (s *Screen) selectedCohort() (store.CohortLabel, bool) {
	i := s.cohort.SelectedIndex()
	if i < 0 || i >= len(s.cohorts) {
		return store.CohortLabel{}, false
	}
	return s.cohorts[i], true
}

// loadGraduates fills the optional one-trainee choice with the cohort's graduates.
func (s *Screen) loadGraduates() {
	c, ok := s.selectedCohort()
	if !ok {
		return
	}
	s.deps.Go(func() {
		roster, err := s.st.CohortRoster(context.Background(), c.ID)
		s.deps.Do(func() {
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.graduates = s.graduates[:0]
			opts := []string{i18n.T("exchange.doc.all")}
			for _, r := range roster {
				if r.Enrollment.Status == domain.EnrollmentCompleted {
					s.graduates = append(s.graduates, r)
					opts = append(opts, r.Name+" ("+r.NIK+")")
				}
			}
			s.trainee.SetOptions(opts)
			s.trainee.SetSelectedIndex(0)
		})
	})
}

func (s *Screen) printCohort(kind string) {
	c, ok := s.selectedCohort()
	if !ok {
		s.docStatus.SetText(i18n.T("exchange.doc.cohort.pick"))
		return
	}
	trainee := ""
	if i := s.trainee.SelectedIndex(); i > 0 && i-1 < len(s.graduates) {
		trainee = s.graduates[i-1].Enrollment.TraineeID
	}
	name := fileSafe(i18n.T("exchange.file."+kind)+" "+c.Label) + ".pdf"
	chooseSave(s.deps.Window, name, func(w io.WriteCloser, uri fyne.URI) {
		s.writeLong(i18n.T("exchange.printing"), w, uri, func(ctx context.Context, buf io.Writer, _ screen.Progress) error {
			if kind == "cohort" {
				return pdfdoc.CohortReport(ctx, s.st, c.ID, buf)
			}
			return pdfdoc.Certificates(ctx, s.st, c.ID, trainee, buf)
		})
	})
}

func (s *Screen) printAnnual() {
	year, err := strconv.Atoi(strings.TrimSpace(s.year.Text))
	if err != nil || year < 2000 || year > 2100 {
		screen.ShowError(s.deps.Window, errors.New(i18n.T("exchange.doc.year.bad")))
		return
	}
	name := fmt.Sprintf("%s %d.pdf", i18n.T("exchange.file.annual"), year)
	chooseSave(s.deps.Window, name, func(w io.WriteCloser, uri fyne.URI) {
		s.writeLong(i18n.T("exchange.printing"), w, uri, func(ctx context.Context, buf io.Writer, _ screen.Progress) error {
			return pdfdoc.AnnualSummary(ctx, s.st, year, buf)
		})
	})
}

// fileSafe keeps a suggested file name free of characters Windows refuses.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) {
			return '-'
		}
		return r
	}, s)
}
