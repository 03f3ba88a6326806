// The device half of the clock policy: re-stamping writes from a clock
// that ran ahead.

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kemnaker/blk/domain"
)

// RebaseFutureClocks is the device half of the clock policy (docs/SYNC.md).
// When this PC's clock ran ahead of the server's (the client learns the
// server's time on every reply and records the offset with SetClockOffset
// first), its unsent writes carry versions from the future that would win
// every later edit. Each such write is moved back by the offset, to when it
// really happened, but never before a version it overwrote (its base) or
// the write before it, so causal order holds. The versions those writes
// left in their rows and the bases of later writes follow, and this
// device's clock restarts after the newest legitimate version it holds.
// It returns how many writes were re-stamped.
func (s *Store) RebaseFutureClocks(ctx context.Context, serverNow time.Time, tolerance time.Duration) (int, error) {
	limit := domain.MakeClock(serverNow.Add(tolerance).UnixMilli(), 0)
	if s.Clock() <= limit {
		return 0, nil
	}
	saved := s.Clock()
	n := 0
	err := s.Write(ctx, func(w *Tx) error {
		restart, err := w.restartClock(serverNow, limit)
		if err != nil {
			return err
		}
		future, err := w.futureWrites(limit)
		if err != nil {
			return err
		}
		rb := rebase{device: s.device, offsetMS: s.ClockOffset().Milliseconds(), remap: map[domain.Clock]domain.Clock{}}
		last, err := w.restamp(&rb, future)
		if err != nil {
			return err
		}
		if err := w.remapRowVersions(&rb, future); err != nil {
			return err
		}
		if len(future) > 0 {
			if err := w.remapLaterBases(&rb, future[0].seq); err != nil {
				return err
			}
		}
		s.mu.Lock()
		s.clock = max(last, restart)
		s.mu.Unlock()
		n = len(future)
		return nil
	})
	if err != nil {
		s.mu.Lock()
		s.clock = saved
		s.mu.Unlock()
	}
	return n, err
}

// futureWrite is one unacknowledged outbox entry stamped after the limit.
type futureWrite struct {
	seq        int64
	table, row string
	clock      domain.Clock
	base       map[string]domain.Version
}

// rebase is what one RebaseFutureClocks carries between its steps: which
// of this device's clocks became which.
type rebase struct {
	device   string
	offsetMS int64
	remap    map[domain.Clock]domain.Clock // old clock → re-stamped clock
}

// restamped is v with this device's re-stamped clock, and whether it changed.
func (rb *rebase) restamped(v domain.Version) (domain.Version, bool) {
	if v.Device != rb.device {
		return v, false
	}
	nc, ok := rb.remap[v.Clock]
	if !ok {
		return v, false
	}
	return domain.Version{Clock: nc, Device: v.Device}, true
}

// fix re-stamps the versions of this device in vs, reporting any change.
func (rb *rebase) fix(vs map[string]domain.Version) bool {
	changed := false
	for k, v := range vs {
		if nv, ok := rb.restamped(v); ok {
			vs[k] = nv
			changed = true
		}
	}
	return changed
}

// restartClock is where this device's clock continues after the rebase:
// the newest version it holds that is not from the future (after limit),
// among server time, the newest remote version seen, this device's
// pending writes below the limit and the ones already pruned.
func (w *Tx) restartClock(serverNow time.Time, limit domain.Clock) (domain.Clock, error) {
	start := domain.MakeClock(serverNow.UnixMilli(), 0)
	consider := func(c domain.Clock) {
		if c > start && c <= limit {
			start = c
		}
	}
	for _, key := range []string{"max_remote_clock", "pruned_clock"} {
		c, err := metaIntIn(w.ctx, w.tx, key)
		if err != nil {
			return 0, err
		}
		consider(domain.Clock(c))
	}
	var below sql.NullInt64
	if err := w.tx.QueryRowContext(w.ctx, `SELECT max(clock) FROM outbox WHERE clock <= ?`, int64(limit)).Scan(&below); err != nil {
		return 0, err
	}
	if below.Valid {
		consider(domain.Clock(below.Int64))
	}
	return start, nil
}

// futureWrites lists the unacknowledged writes stamped after limit, in
// outbox order.
func (w *Tx) futureWrites(limit domain.Clock) ([]futureWrite, error) {
	pushed, err := metaIntIn(w.ctx, w.tx, "pushed_seq")
	if err != nil {
		return nil, err
	}
	rows, err := w.tx.QueryContext(w.ctx, `SELECT seq, tbl, row_id, clock, base FROM outbox WHERE seq > ? AND clock > ? ORDER BY seq`, pushed, int64(limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var future []futureWrite
	for rows.Next() {
		var e futureWrite
		var c int64
		var bj string
		if err := rows.Scan(&e.seq, &e.table, &e.row, &c, &bj); err != nil {
			return nil, err
		}
		e.clock = domain.Clock(c)
		if err := json.Unmarshal([]byte(bj), &e.base); err != nil {
			return nil, fmt.Errorf("outbox %d: %w", e.seq, err)
		}
		future = append(future, e)
	}
	return future, rows.Err()
}

// restamp moves each future write back by the clock offset, keeping its
// counter, yet after the write before it and after every version it
// overwrote (re-stamped ones by their new clock), and records the new
// clock in the outbox. It returns the last new clock (0 when none).
func (w *Tx) restamp(rb *rebase, future []futureWrite) (domain.Clock, error) {
	var prev domain.Clock
	for _, e := range future {
		nc := domain.MakeClock(e.clock.WallMS()+rb.offsetMS, 0) | (e.clock & 0xffff)
		if nc <= prev {
			nc = prev + 1
		}
		for _, b := range e.base {
			b, _ = rb.restamped(b)
			if nc <= b.Clock {
				nc = b.Clock + 1
			}
		}
		rb.remap[e.clock] = nc
		prev = nc
		if _, err := w.tx.ExecContext(w.ctx, `UPDATE outbox SET clock = ? WHERE seq = ?`, int64(nc), e.seq); err != nil {
			return 0, err
		}
	}
	return prev, nil
}

// remapRowVersions re-stamps the field versions the future writes left in
// their rows, once per row.
func (w *Tx) remapRowVersions(rb *rebase, future []futureWrite) error {
	done := map[[2]string]bool{}
	for _, e := range future {
		key := [2]string{e.table, e.row}
		if done[key] {
			continue
		}
		done[key] = true
		if domain.LookupTable(e.table) == nil {
			return fmt.Errorf("rebase: outbox %d names unknown table %q", e.seq, e.table)
		}
		var vj string
		if err := w.tx.QueryRowContext(w.ctx, "SELECT _v FROM "+e.table+" WHERE id = ?", e.row).Scan(&vj); err != nil {
			return fmt.Errorf("rebase %s %s: %w", e.table, e.row, err)
		}
		var vs versions
		if err := json.Unmarshal([]byte(vj), &vs); err != nil {
			return fmt.Errorf("rebase %s %s: %w", e.table, e.row, err)
		}
		if !rb.fix(vs) {
			continue
		}
		nj, err := json.Marshal(vs)
		if err != nil {
			return err
		}
		if _, err := w.tx.ExecContext(w.ctx, "UPDATE "+e.table+" SET _v = ? WHERE id = ?", string(nj), e.row); err != nil {
			return err
		}
	}
	return nil
}

// remapLaterBases re-stamps the bases of outbox entries after the first
// future write that name a re-stamped version: a later write that
// overwrote a future one must still say so, or the server would take it
// for a concurrent edit.
func (w *Tx) remapLaterBases(rb *rebase, after int64) error {
	rows, err := w.tx.QueryContext(w.ctx, `SELECT seq, base FROM outbox WHERE seq > ? AND base <> '{}'`, after)
	if err != nil {
		return err
	}
	type update struct {
		seq  int64
		base []byte
	}
	var updates []update
	for rows.Next() {
		var seq int64
		var bj string
		if err := rows.Scan(&seq, &bj); err != nil {
			rows.Close()
			return err
		}
		var base map[string]domain.Version
		if err := json.Unmarshal([]byte(bj), &base); err != nil {
			rows.Close()
			return fmt.Errorf("outbox %d: %w", seq, err)
		}
		if rb.fix(base) {
			nb, err := json.Marshal(base)
			if err != nil {
				rows.Close()
				return err
			}
			updates = append(updates, update{seq, nb})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// Written after the rows are closed: the write connection is the only
	// one in this transaction.
	for _, u := range updates {
		if _, err := w.tx.ExecContext(w.ctx, `UPDATE outbox SET base = ? WHERE seq = ?`, string(u.base), u.seq); err != nil {
			return err
		}
	}
	return nil
}
