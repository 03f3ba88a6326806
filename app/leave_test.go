package app

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/app/screen"
)

// probe is a screen that keeps the contexts its loads were given.
type probe struct {
	ctxs []context.Context
	obj  fyne.CanvasObject
}

func (p *probe) Content() fyne.CanvasObject { return p.obj }
func (p *probe) Update(ctx context.Context) { p.ctxs = append(p.ctxs, ctx) }

// TestLeavingAScreenStopsItsLoads: the loads a screen started when shown
// are cancelled when the operator goes to another screen (at 100k trainees
// the kemandirian input and the tracer's graduates take seconds and tens of
// MB each, and a quick walk through the menu ran them all at once); shown
// again, it loads with a live context.
func TestLeavingAScreenStopsItsLoads(t *testing.T) {
	h := newShell(t, uitest.NewStore(t), Options{}, "nav.dashboard")
	t.Cleanup(h.shell.Close)
	p := &probe{obj: widget.NewLabel("probe")}
	h.shell.entries = append(h.shell.entries, navEntry{key: "probe", build: func(screen.Deps) screen.Screen { return p }})
	probeAt := len(h.shell.entries) - 1
	h.shell.show(probeAt)
	if len(p.ctxs) != 1 || p.ctxs[0].Err() != nil {
		t.Fatalf("shown: %d loads, first cancelled: %v", len(p.ctxs), p.ctxs[0].Err())
	}
	h.shell.Navigate("nav.trainees")
	if p.ctxs[0].Err() == nil {
		t.Fatal("the screen's load goes on after the operator left it")
	}
	h.shell.show(probeAt)
	if len(p.ctxs) != 2 || p.ctxs[1].Err() != nil {
		t.Fatalf("shown again: %d loads, the new one cancelled: %v", len(p.ctxs), p.ctxs[1].Err())
	}
	h.ui.Settle(t)
}
