package kit

import (
	"context"
	"sync/atomic"

	"fyne.io/fyne/v2/dialog"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
)

// Loader runs a screen's loads off the UI goroutine and drops a result
// that a newer load has overtaken, or that lands after the screen closed:
// the stale-load guard every list needs (type fast, the slow first query
// must not overwrite the answer to the last).
type Loader struct {
	gen    atomic.Int64
	closed atomic.Bool
}

// Load runs fetch with deps' Runner and hands its result to show on the UI
// goroutine, unless another Load started since or Close was called. An
// error goes to screen.ShowError instead of show.
func Load[T any](l *Loader, deps screen.Deps, ctx context.Context, fetch func(context.Context) (T, error), show func(T)) {
	gen := l.gen.Add(1)
	deps.Go(func() {
		v, err := fetch(ctx)
		deps.Do(func() {
			if l.closed.Load() || gen != l.gen.Load() {
				return
			}
			if err != nil {
				screen.ShowError(deps.Window, err)
				return
			}
			show(v)
		})
	})
}

// Close makes every load still on its way land nowhere.
func (l *Loader) Close() { l.closed.Store(true) }

// Save writes rec off the UI goroutine and calls done on it with the
// store's warnings, or with the problems that refused it (ps, err == nil
// then is not possible: a refusal is ps with a non-nil err). A failure that
// is not a refusal is shown as an error dialog and done is not called.
func Save(deps screen.Deps, st Store, rec domain.Record, done func(warnings domain.Problems, refused domain.Problems)) {
	deps.Go(func() {
		warnings, err := st.Save(context.Background(), rec)
		deps.Do(func() {
			if ps := ProblemsOf(err); ps != nil {
				done(nil, ps)
				return
			}
			if err != nil {
				screen.ShowError(deps.Window, err)
				return
			}
			deps.Changed()
			done(warnings, nil)
		})
	})
}

// ConfirmDelete asks "question" and, on yes, tombstones rec (and what hangs
// on it) off the UI goroutine, then calls done on it. A failure is shown as
// an error dialog and done is not called.
func ConfirmDelete(deps screen.Deps, st Store, question string, rec domain.Record, done func()) {
	dialog.ShowConfirm(i18n.T("common.delete"), question, func(ok bool) {
		if ok {
			Delete(deps, st, rec, done)
		}
	}, deps.Window)
}

// Delete is ConfirmDelete once the operator has said yes.
func Delete(deps screen.Deps, st Store, rec domain.Record, done func()) {
	deps.Go(func() {
		err := st.Delete(context.Background(), rec)
		deps.Do(func() {
			if err != nil {
				screen.ShowError(deps.Window, err)
				return
			}
			deps.Changed()
			done()
		})
	})
}
