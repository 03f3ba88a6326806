// Package uitest gives GUI tests the screen.Runner the app would use, with
// the goroutine boundary kept real: work runs on a goroutine of its own, and
// UI work is queued for the test goroutine, which plays the UI goroutine
// (Settle, Until, Next). A database call made on the UI goroutine therefore
// runs on the test goroutine while other work runs elsewhere, and -race
// sees it. Only tests import it.
package uitest

import (
	gosync "sync"
	"testing"
	"time"
)

// Runner is a screen.Runner for tests.
type Runner struct {
	mu      gosync.Mutex
	queue   []func()
	pending int // goroutines running plus UI work queued
	wake    chan struct{}
	ran     int // UI work run so far (test goroutine only)
}

// NewRunner makes a Runner.
func NewRunner() *Runner { return &Runner{wake: make(chan struct{}, 1)} }

// Go runs work on a new goroutine.
func (r *Runner) Go(work func()) {
	r.mu.Lock()
	r.pending++
	r.mu.Unlock()
	go func() {
		defer r.done()
		work()
	}()
}

// Do queues ui for the test goroutine.
func (r *Runner) Do(ui func()) {
	r.mu.Lock()
	r.pending++
	r.queue = append(r.queue, ui)
	r.mu.Unlock()
	r.signal()
}

func (r *Runner) done() {
	r.mu.Lock()
	r.pending--
	r.mu.Unlock()
	r.signal()
}

func (r *Runner) signal() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Settle runs queued UI work on the calling goroutine until no work is
// running and none is queued: every load, save and refresh started so far,
// and whatever they started in turn, has finished. It returns how many
// pieces of UI work it ran.
func (r *Runner) Settle(t testing.TB) int {
	t.Helper()
	before := r.ran
	r.Until(t, "the screen to settle", nil)
	return r.ran - before
}

// Next waits for one piece of UI work and runs it, for tests that step
// through what lands in which order.
func (r *Runner) Next(t testing.TB, what string) {
	t.Helper()
	before := r.ran
	r.Until(t, what, func() bool { return r.ran > before })
}

// Until runs queued UI work until cond holds (checked on the calling
// goroutine, between pieces of UI work), or, with a nil cond, until nothing
// is pending. The deadline guards against a hang; it is not a timing
// assertion.
func (r *Runner) Until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	// Generous: under the race detector on a busy 2-core machine a
	// screen over a big centre has taken more than 30 s to settle.
	deadline := time.After(2 * time.Minute)
	// cond may wait on more than UI work (a server, a timer): look again now and then.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if cond != nil && cond() {
			return
		}
		r.mu.Lock()
		var f func()
		if len(r.queue) > 0 {
			f = r.queue[0]
			r.queue = r.queue[1:]
		}
		idle := f == nil && r.pending == 0
		r.mu.Unlock()
		if f != nil {
			f()
			r.ran++
			r.done()
			continue
		}
		if idle && cond == nil {
			return
		}
		select {
		case <-r.wake:
		case <-tick.C:
		case <-deadline:
			t.Fatalf("waited 2 minutes for %s", what)
		}
	}
}
