package app

import (
	"github.com/kemnaker/blk/app/dashboard"
	"github.com/kemnaker/blk/app/exchangeui"
	"github.com/kemnaker/blk/app/funding"
	"github.com/kemnaker/blk/app/instructors"
	"github.com/kemnaker/blk/app/kemandirian"
	"github.com/kemnaker/blk/app/partners"
	"github.com/kemnaker/blk/app/programmes"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/app/syncui"
	"github.com/kemnaker/blk/app/tracer"
	"github.com/kemnaker/blk/app/trainees"
)

// navEntries is the navigation in the order operators see it. A screen
// whose package is not ready can use placeholder, which says so.
func (s *Shell) navEntries() []navEntry {
	return []navEntry{
		{"nav.dashboard", func(d screen.Deps) screen.Screen { return dashboard.New(d, s.opts.Store) }},
		{"nav.trainees", func(d screen.Deps) screen.Screen { return trainees.New(d, s.opts.Store) }},
		{"nav.programmes", func(d screen.Deps) screen.Screen { return programmes.New(d, s.opts.Store) }},
		{"nav.instructors", func(d screen.Deps) screen.Screen { return instructors.New(d, s.opts.Store) }},
		{"nav.partners", func(d screen.Deps) screen.Screen { return partners.New(d, s.opts.Store) }},
		{"nav.funding", func(d screen.Deps) screen.Screen { return funding.New(d, s.opts.Store) }},
		{"nav.tracer", func(d screen.Deps) screen.Screen { return tracer.New(d, s.opts.Store) }},
		{"nav.kemandirian", func(d screen.Deps) screen.Screen { return kemandirian.New(d, s.opts.Store) }},
		{"nav.reports", func(d screen.Deps) screen.Screen { return exchangeui.New(d, s.opts.Store) }},
		{"nav.sync", func(d screen.Deps) screen.Screen { return syncui.New(d, s.opts.Store, s.opts.Sync, s.opts.Enroller) }},
		{"nav.settings", func(d screen.Deps) screen.Screen { return newSettings(s, d) }},
	}
}
