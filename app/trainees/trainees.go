// Package trainees is the Peserta screen: a virtualised, searchable list of
// the centre's trainees, the form that registers or edits one with
// validation beside each field, and a detail view with the trainee's
// enrollments, test results and tracer outcomes. It reads and writes only
// through the store's Go methods (no SQL) and never blocks the UI goroutine
// on the database.
package trainees

import (
	"context"
	"errors"
	"fmt"
	gosync "sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/exchangeui"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange/bnspimport"
	"github.com/kemnaker/blk/store"
)

// PageSize is how many trainees one query fetches. The list starts with
// one page and fetches the next when the operator scrolls near its end, so
// a keystroke costs one small query even with 100k trainees.
const PageSize = 200

// Debounce is how long typing must pause before the search runs.
var Debounce = 150 * time.Millisecond

// row is one trainee in the list with its warnings worked out once, off the
// UI goroutine, so drawing a cell never validates or queries.
type row struct {
	T    *domain.Trainee
	Warn bool
}

// Screen is the Peserta screen.
type Screen struct {
	deps  screen.Deps
	st    Store
	root  *fyne.Container // holds the list, the form or the detail view
	list  fyne.CanvasObject
	table *widgets.Table[row]

	search       *widget.Entry
	cohortFilter *widget.Select
	statusFilter *widget.Select
	count        *widget.Label
	cohorts      []store.CohortLabel
	orderBy      string // the store's sort field chosen by a header tap ("": the store's default)
	desc         bool

	gen        atomic.Int64 // newest search; older results are dropped
	closed     bool         // dropped by the shell (UI goroutine): what lands later is ignored
	more       bool         // the last page was full: there may be more rows
	fetching   bool         // a next page is on its way
	timerMu    gosync.Mutex
	timer      *time.Timer
	form       *traineeForm
	keep       int                // rows the next load brings back at least (DataChanged)
	searched   chan struct{}      // test hook: receives after each search lands (nil: none)
	shown      chan struct{}      // test hook: receives after the detail view shows (nil: none)
	bnspForm   *competencyForm    // the BNSP certificate form last opened (tests fill it)
	bnspReport *bnspimport.Report // the BNSP import last run (tests read it)
}

// Store is what the screen reads and writes: trainees searched, shown in
// detail, saved, deleted and merged; the cohorts to enrol in; certificates
// revoked; and what the BNSP list import needs. *store.Store satisfies it.
type Store interface {
	bnspimport.Store // Rules, Save, Write
	Delete(ctx context.Context, rec domain.Record) error
	SearchTrainees(ctx context.Context, q store.TraineeQuery) ([]*domain.Trainee, error)
	TraineeDetail(ctx context.Context, id string) (*store.TraineeDetail, error)
	CohortLabels(ctx context.Context) ([]store.CohortLabel, error)
	MergeTrainees(ctx context.Context, keepID, loseID string) error
	RevokeCertificate(ctx context.Context, id string, on time.Time, reason string) error
}

// New builds the screen over st.
func New(deps screen.Deps, st Store) *Screen {
	if deps.Changed == nil {
		deps.Changed = func() {}
	}
	s := &Screen{deps: deps, st: st}
	lang := i18n.Lang()
	s.table = widgets.NewTable([]widgets.Column[row]{
		{Title: "!", Width: 28, Text: func(r row) string {
			if r.Warn {
				return "⚠"
			}
			return ""
		}},
		// sorting goes to the store (OnSort below): the list holds one page
		{Title: i18n.T("trainees.col.name"), Width: 240, Text: func(r row) string { return r.T.Name }, Key: "name"},
		{Title: "NIK", Width: 170, Text: func(r row) string { return r.T.NIK }, Key: "nik"},
		{Title: i18n.T("trainees.col.sex"), Width: 50, Text: func(r row) string { return r.T.Sex }},
		{Title: i18n.T("trainees.col.birth"), Width: 110, Text: func(r row) string { return domain.ShowDate(r.T.BirthDate) }, Key: "birth_date"},
		{Title: i18n.T("trainees.col.phone"), Width: 150, Text: func(r row) string { return domain.LocalPhone(r.T.Phone) }},
		{Title: i18n.T("trainees.col.group"), Width: 160, Text: func(r row) string {
			return domain.ChoiceLabel("trainees.grp", r.T.Group, lang)
		}},
	})
	s.table.OnSelected = func(r row) { s.ShowDetail(r.T.ID) }
	s.table.NearEnd = s.loadMore
	s.table.OnSort = func(key string, desc bool) {
		s.orderBy, s.desc = key, desc
		s.table.ScrollToTop()
		s.load(context.Background(), false, "")
	}

	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(i18n.T("trainees.search"))
	s.search.OnChanged = func(string) { s.searchSoon() }
	s.cohortFilter = widget.NewSelect(nil, func(string) { s.searchSoon() })
	s.cohortFilter.PlaceHolder = i18n.T("trainees.filter.cohort")
	statusOpts := []string{i18n.T("trainees.filter.all")}
	for _, c := range domain.Choices["enrollments.status"] {
		statusOpts = append(statusOpts, c.Label(lang))
	}
	s.statusFilter = widget.NewSelect(statusOpts, func(string) { s.searchSoon() })
	s.statusFilter.PlaceHolder = i18n.T("trainees.filter.status")
	s.count = widget.NewLabel("")
	add := widget.NewButtonWithIcon(i18n.T("trainees.new"), theme.ContentAddIcon(), s.NewRecord)
	add.Importance = widget.HighImportance

	filters := container.NewGridWithColumns(2, s.cohortFilter, s.statusFilter)
	// Both imports behind one button: side by side they left the search
	// box and the filters a few letters wide on a 1024x768 screen.
	var imp *widget.Button
	imp = widget.NewButtonWithIcon(i18n.T("trainees.import.menu"), theme.UploadIcon(), func() {
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(imp)
		widget.ShowPopUpMenuAtPosition(s.ImportMenu(), s.deps.Window.Canvas(), pos.AddXY(0, imp.Size().Height))
	})
	top := container.NewBorder(nil, nil, nil, container.NewHBox(imp, add), container.NewGridWithColumns(2, s.search, filters))
	s.list = container.NewBorder(top, s.count, nil, nil, s.table)
	s.root = container.NewStack(s.list)
	return s
}

// Content implements screen.Screen.
func (s *Screen) Content() fyne.CanvasObject { return s.root }

// ImportMenu is what the Impor button offers: the trainee list from
// Excel, and the LSP's list of BNSP certificates.
func (s *Screen) ImportMenu() *fyne.Menu {
	return fyne.NewMenu("",
		fyne.NewMenuItem(i18n.T("trainees.import"), func() { exchangeui.ShowImport(s.deps) }),
		fyne.NewMenuItem(i18n.T("bnsp.import.menu"), s.chooseBNSPFile))
}

// Update reloads the cohort filter and the list.
func (s *Screen) Update(ctx context.Context) { s.load(ctx, true, "") }

// DataChanged (screen.Watcher) reloads the list when trainees, enrolments
// or cohorts changed, as many rows as it shows so the scroll position
// stays; a detail or form on show stays as it is.
func (s *Screen) DataChanged(ctx context.Context, c store.Changed) {
	if !c.Has("trainees", "enrollments", "cohorts") {
		return
	}
	s.keep = len(s.table.Rows())
	s.load(ctx, c.Has("cohorts"), "")
}

// FocusSearch puts the cursor in the search box (Ctrl+F).
func (s *Screen) FocusSearch() {
	s.ShowList()
	s.deps.Window.Canvas().Focus(s.search)
}

// ShowList returns to the list.
func (s *Screen) ShowList() {
	s.form = nil
	s.root.Objects = []fyne.CanvasObject{s.list}
	s.root.Refresh()
}

func (s *Screen) query() store.TraineeQuery {
	q := store.TraineeQuery{Text: s.search.Text, Limit: PageSize, OrderBy: s.orderBy, Desc: s.desc}
	if i := s.cohortFilter.SelectedIndex(); i > 0 && i-1 < len(s.cohorts) {
		q.CohortID = s.cohorts[i-1].ID
	}
	if i := s.statusFilter.SelectedIndex(); i > 0 {
		q.Status = domain.Choices["enrollments.status"][i-1].Value
	}
	return q
}

// searchSoon runs the search once typing pauses.
func (s *Screen) searchSoon() {
	s.timerMu.Lock()
	defer s.timerMu.Unlock()
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = time.AfterFunc(Debounce, func() { s.deps.Do(func() { s.runSearch(context.Background()) }) })
}

// runSearch (called on the UI goroutine) reloads the list.
func (s *Screen) runSearch(ctx context.Context) { s.load(ctx, false, "") }

// load (called on the UI goroutine) queries off it: the list page, and
// optionally the cohort filter and one trainee's detail, then swaps all of
// it in with one Do of its Runner. A page older than the newest search is dropped.
func (s *Screen) load(ctx context.Context, cohorts bool, detail string) {
	gen := s.gen.Add(1)
	q := s.query()
	q.Limit = max(q.Limit, s.keep)
	s.keep = 0
	s.deps.Go(func() {
		var (
			cs  []store.CohortLabel
			d   *store.TraineeDetail
			err error
		)
		if cohorts {
			cs, err = s.st.CohortLabels(ctx)
		}
		rows, err2 := s.fetch(ctx, q)
		if detail != "" {
			var err3 error
			d, err3 = s.st.TraineeDetail(ctx, detail)
			err = errors.Join(err, err3)
		}
		err = errors.Join(err, err2)
		s.deps.Do(func() {
			if s.closed {
				return
			}
			if err != nil {
				screen.ShowError(s.deps.Window, err)
			}
			if cs != nil {
				s.setCohorts(cs)
			}
			if d != nil {
				s.root.Objects = []fyne.CanvasObject{s.detailView(d)}
				s.root.Refresh()
			}
			if gen == s.gen.Load() && err2 == nil {
				s.more, s.fetching = len(rows) >= PageSize, false
				s.table.SetRows(rows)
				s.showCount()
			}
			if d != nil && s.shown != nil {
				s.shown <- struct{}{}
			}
			if gen == s.gen.Load() && s.searched != nil {
				s.searched <- struct{}{}
			}
		})
	})
}

// loadMore fetches the page after the rows shown (called while drawing, so
// it only starts the work).
func (s *Screen) loadMore() {
	if !s.more || s.fetching {
		return
	}
	s.fetching = true
	gen := s.gen.Load()
	q := s.query()
	q.Offset = len(s.table.Rows())
	s.deps.Go(func() {
		rows, err := s.fetch(context.Background(), q)
		s.deps.Do(func() {
			if gen != s.gen.Load() {
				return // a newer search replaced the list
			}
			s.fetching = false
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.more = len(rows) >= PageSize
			s.table.Append(rows)
			s.showCount()
			if s.searched != nil {
				s.searched <- struct{}{}
			}
		})
	})
}

// fetch queries one page and works out each row's warning flag.
func (s *Screen) fetch(ctx context.Context, q store.TraineeQuery) ([]row, error) {
	ts, err := s.st.SearchTrainees(ctx, q)
	if err != nil {
		return nil, err
	}
	rows := make([]row, len(ts))
	rules := s.st.Rules()
	for i, t := range ts {
		rows[i] = row{T: t, Warn: len(domain.Validate(t, rules).Warnings()) > 0}
	}
	return rows, nil
}

func (s *Screen) showCount() {
	n := len(s.table.Rows())
	if s.more {
		s.count.SetText(i18n.Count("trainees.count.more", n))
	} else {
		s.count.SetText(i18n.Count("trainees.count", n))
	}
}

func (s *Screen) setCohorts(cohorts []store.CohortLabel) {
	s.cohorts = cohorts
	opts := []string{i18n.T("trainees.filter.all")}
	for _, c := range cohorts {
		opts = append(opts, c.Label)
	}
	s.cohortFilter.Options = opts
	s.cohortFilter.Refresh()
}

// Close lets go of the page of trainees, the cohort choices and any form
// or detail view when the shell drops the screen (a language switch
// rebuilds every screen); a search still on its way is dropped when it
// lands.
func (s *Screen) Close() {
	s.closed = true
	s.gen.Add(1)
	s.timerMu.Lock()
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timerMu.Unlock()
	s.more, s.fetching = false, false
	s.table.SetRows(nil)
	s.setCohorts(nil)
	s.form = nil
	s.root.Objects = []fyne.CanvasObject{s.list}
	s.root.Refresh()
}

// NewRecord opens an empty form (Ctrl+N).
func (s *Screen) NewRecord() { s.showForm(&domain.Trainee{}) }

func (s *Screen) showForm(t *domain.Trainee) {
	s.form = newTraineeForm(s, t)
	s.root.Objects = []fyne.CanvasObject{s.form.object}
	s.root.Refresh()
	s.deps.Window.Canvas().Focus(s.form.nik)
}

// ShowDetail opens the detail view of trainee id.
func (s *Screen) ShowDetail(id string) {
	s.deps.Go(func() {
		d, err := s.st.TraineeDetail(context.Background(), id)
		s.deps.Do(func() {
			if s.closed {
				return
			}
			if err != nil {
				screen.ShowError(s.deps.Window, err)
				return
			}
			s.root.Objects = []fyne.CanvasObject{s.detailView(d)}
			s.root.Refresh()
			if s.shown != nil {
				s.shown <- struct{}{}
			}
		})
	})
}

// confirmDelete asks before deleting t, then deletes off the UI goroutine.
func (s *Screen) confirmDelete(t *domain.Trainee) {
	d := dialog.NewConfirm(i18n.T("trainees.delete.title"), i18n.T("trainees.delete.ask", t.Name, t.NIK), func(ok bool) {
		if !ok {
			return
		}
		s.deps.Go(func() {
			err := s.st.Delete(context.Background(), t)
			s.deps.Do(func() {
				if err != nil {
					screen.ShowError(s.deps.Window, fmt.Errorf("%s: %w", i18n.T("trainees.delete.title"), err))
					return
				}
				s.ShowList()
				s.deps.Changed()
				s.load(context.Background(), false, "")
			})
		})
	}, s.deps.Window)
	// Fyne's own "Yes/No" follow the OS language; the operator's choice wins.
	d.SetConfirmText(i18n.T("common.delete"))
	d.SetDismissText(i18n.T("common.cancel"))
	d.Show()
}

// confirmMerge asks before merging the duplicate lose into keep (same NIK,
// registered on two PCs), then merges off the UI goroutine and reloads.
func (s *Screen) confirmMerge(keep, lose *domain.Trainee) {
	d := dialog.NewConfirm(i18n.T("trainees.dup.title"), i18n.T("trainees.dup.ask", lose.Name, keep.Name), func(ok bool) {
		if !ok {
			return
		}
		s.deps.Go(func() {
			err := s.st.MergeTrainees(context.Background(), keep.ID, lose.ID)
			s.deps.Do(func() {
				if err != nil {
					screen.ShowError(s.deps.Window, err)
					return
				}
				s.deps.Changed()
				s.ShowDetail(keep.ID)
			})
		})
	}, s.deps.Window)
	d.SetConfirmText(i18n.T("trainees.dup.merge"))
	d.SetDismissText(i18n.T("common.cancel"))
	d.Show()
}

// errValidation extracts the problems of a refused save.
func errValidation(err error) (domain.Problems, bool) {
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		return ve.Problems, true
	}
	return nil, false
}
