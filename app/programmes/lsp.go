package programmes

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/files"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/exchange"
)

// chooseLSPFile asks where to save the LSP list (name proposed) and calls
// pick with the path chosen; a seam for tests.
var chooseLSPFile = func(win fyne.Window, name string, pick func(path string)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			screen.ShowError(win, err)
			return
		}
		if w == nil {
			return // cancelled
		}
		path := w.URI().Path()
		_ = w.Close() // the export writes through a file of its own, renamed over this one
		pick(path)
	}, win)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx"}))
	files.StartIn(d)
	d.Show()
}

// lspFileName proposes "LSP Tata Boga 2026-3.xlsx" for a cohort.
func lspFileName(programme string, year, number int64) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) {
			return '-'
		}
		return r
	}, programme)
	return fmt.Sprintf("LSP %s %d-%d.xlsx", strings.TrimSpace(clean), year, number)
}

// exportLSP saves the chosen cohort's candidate list for the LSP (the
// same xlsx as `blk export --what lsp`), asking where first.
func (s *Screen) exportLSP() {
	k := s.currentCohort()
	p := s.programme()
	if k == nil || p == nil {
		s.say(widget.WarningImportance, i18n.T("cohort.pick"))
		return
	}
	chooseLSPFile(s.deps.Window, lspFileName(p.Name, k.Year, k.Number), func(path string) { s.exportLSPTo(k.ID, path) })
}

// exportLSPTo writes the LSP list of cohort to path off the UI goroutine,
// behind a progress dialog with a cancel button, then says where it went
// with a button that opens the folder.
func (s *Screen) exportLSPTo(cohortID, path string) {
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		path += ".xlsx"
	}
	title := i18n.T("res.export_lsp")
	screen.RunLong(s.deps.Run, s.deps.Window, title, func(ctx context.Context, _ screen.Progress) error {
		return exchange.ExportLSPFile(ctx, s.st, cohortID, path)
	}, func(err error) {
		if err != nil {
			s.say(widget.DangerImportance, i18n.T("res.export_lsp_failed", err.Error()))
			screen.ShowError(s.deps.Window, err)
			return
		}
		s.say(widget.SuccessImportance, i18n.T("res.export_lsp_done", filepath.Base(path)))
		files.ShowSaved(s.deps.Window, title, storage.NewFileURI(path))
	})
}
