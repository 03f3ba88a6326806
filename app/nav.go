package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"context"

	"github.com/kemnaker/blk/app/dashboard"
	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/partners"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/syncui"
	"github.com/kemnaker/blk/app/trainees"
)

// navEntries is the navigation in the order operators see it. Screens whose
// package is not built yet show a placeholder that says so.
func (s *Shell) navEntries() []navEntry {
	return []navEntry{
		{"nav.dashboard", func(d screen.Deps) screen.Screen { return dashboard.New(d) }},
		{"nav.trainees", func(d screen.Deps) screen.Screen { return trainees.New(d) }},
		{"nav.programmes", placeholder("nav.programmes")},
		{"nav.instructors", placeholder("nav.instructors")},
		{"nav.partners", func(d screen.Deps) screen.Screen { return partners.New(d) }},
		{"nav.funding", placeholder("nav.funding")},
		{"nav.tracer", placeholder("nav.tracer")},
		{"nav.reports", placeholder("nav.reports")},
		{"nav.sync", func(d screen.Deps) screen.Screen { return syncui.New(d, s.opts.Sync, s.opts.Enroller) }},
		{"nav.settings", func(d screen.Deps) screen.Screen { return newSettings(s, d) }},
	}
}

// placeholderScreen stands in for a screen another package will provide.
type placeholderScreen struct{ obj fyne.CanvasObject }

func (p placeholderScreen) Content() fyne.CanvasObject { return p.obj }
func (p placeholderScreen) Update(context.Context)     {}

func placeholder(key string) func(screen.Deps) screen.Screen {
	return func(screen.Deps) screen.Screen {
		return placeholderScreen{container.NewCenter(widget.NewLabel(i18n.T("nav.placeholder", i18n.T(key))))}
	}
}
