// Data-changed notifications: after every committed write the store tells
// its subscribers which tables the write changed, so open screens can
// refresh what they show (a sync that pulled new trainees, an import, a
// merge on another screen).

package store

import (
	"slices"
	gosync "sync"
	"sync/atomic"
)

// Changed names the tables one committed write changed: record tables
// (domain table names) and the store's own lists ("conflicts", "rejections").
type Changed struct {
	Tables []string // sorted, each once
}

// Has reports whether any of tables changed.
func (c Changed) Has(tables ...string) bool {
	for _, t := range tables {
		if _, ok := slices.BinarySearch(c.Tables, t); ok {
			return true
		}
	}
	return false
}

// notifier keeps the subscribers of one store.
type notifier struct {
	mu   gosync.Mutex
	next int
	subs map[int]func(Changed)
	// gen counts the committed writes that changed a table: what was
	// computed from the data at one gen still holds while it stays.
	gen atomic.Uint64
}

// Subscribe calls fn after each committed write that changed a table, on
// the goroutine that wrote, after the commit (so a read in fn, or in work fn
// starts, sees the write). fn must return quickly and must not write to the
// store: a screen hands the news to its UI goroutine and reloads from there.
// cancel stops the calls; it is safe to call more than once.
func (s *Store) Subscribe(fn func(Changed)) (cancel func()) {
	n := &s.notify
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.subs == nil {
		n.subs = map[int]func(Changed){}
	}
	id := n.next
	n.next++
	n.subs[id] = fn
	return func() {
		n.mu.Lock()
		delete(n.subs, id)
		n.mu.Unlock()
	}
}

// changed tells the subscribers that tables changed (nothing when empty).
func (s *Store) changed(tables map[string]bool) {
	if len(tables) == 0 {
		return
	}
	s.notify.gen.Add(1)
	c := Changed{Tables: make([]string, 0, len(tables))}
	for t := range tables {
		c.Tables = append(c.Tables, t)
	}
	slices.Sort(c.Tables)
	n := &s.notify
	n.mu.Lock()
	subs := make([]func(Changed), 0, len(n.subs))
	for _, fn := range n.subs {
		subs = append(subs, fn)
	}
	n.mu.Unlock()
	for _, fn := range subs {
		fn(c)
	}
}

// touch records that this transaction changed table; the subscribers hear
// of it once the transaction commits.
func (w *Tx) touch(table string) {
	if w.touched == nil {
		w.touched = map[string]bool{}
	}
	w.touched[table] = true
}
