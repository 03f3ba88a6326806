// The device half of the clock policy: re-stamping writes from a clock
// that ran ahead.

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
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
	offsetMS := s.ClockOffset().Milliseconds()
	n := 0
	saved := s.Clock()
	err := s.Write(ctx, func(w *Tx) error {
		pushed, err := s.PushedSeq(ctx)
		if err != nil {
			return err
		}
		// After the rebase the clock continues from the newest version that
		// is not from the future: server time, the newest remote version
		// seen, and this device's writes below the limit.
		start := domain.MakeClock(serverNow.UnixMilli(), 0)
		var v string
		_ = w.tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'max_remote_clock'`).Scan(&v)
		if r, _ := strconv.ParseInt(v, 10, 64); domain.Clock(r) > start && domain.Clock(r) <= limit {
			start = domain.Clock(r)
		}
		var below sql.NullInt64
		if err := w.tx.QueryRowContext(ctx, `SELECT max(clock) FROM outbox WHERE clock <= ?`, int64(limit)).Scan(&below); err != nil {
			return err
		}
		if below.Valid && domain.Clock(below.Int64) > start {
			start = domain.Clock(below.Int64)
		}
		if p := prunedClock(ctx, w.tx); p > start && p <= limit {
			start = p
		}
		type entry struct {
			seq        int64
			table, row string
			clock      domain.Clock
			base       map[string]domain.Version
		}
		rows, err := w.tx.QueryContext(ctx, `SELECT seq, tbl, row_id, clock, base FROM outbox WHERE seq > ? AND clock > ? ORDER BY seq`, pushed, int64(limit))
		if err != nil {
			return err
		}
		var future []entry
		for rows.Next() {
			var e entry
			var c int64
			var bj string
			if err := rows.Scan(&e.seq, &e.table, &e.row, &c, &bj); err != nil {
				rows.Close()
				return err
			}
			e.clock = domain.Clock(c)
			if err := json.Unmarshal([]byte(bj), &e.base); err != nil {
				rows.Close()
				return fmt.Errorf("outbox %d: %w", e.seq, err)
			}
			future = append(future, e)
		}
		rows.Close()
		remap := map[domain.Clock]domain.Clock{}
		var prev domain.Clock
		for _, e := range future {
			nc := domain.MakeClock(e.clock.WallMS()+offsetMS, 0) | (e.clock & 0xffff)
			if nc <= prev {
				nc = prev + 1
			}
			for _, b := range e.base {
				bc := b.Clock
				if r, ok := remap[bc]; ok && b.Device == s.device {
					bc = r
				}
				if nc <= bc {
					nc = bc + 1
				}
			}
			remap[e.clock] = nc
			prev = nc
			if _, err := w.tx.ExecContext(ctx, `UPDATE outbox SET clock = ? WHERE seq = ?`, int64(nc), e.seq); err != nil {
				return err
			}
		}
		fix := func(vs map[string]domain.Version) bool {
			changed := false
			for k, ver := range vs {
				if nc, ok := remap[ver.Clock]; ok && ver.Device == s.device {
					vs[k] = domain.Version{Clock: nc, Device: ver.Device}
					changed = true
				}
			}
			return changed
		}
		done := map[[2]string]bool{}
		for _, e := range future {
			key := [2]string{e.table, e.row}
			if done[key] {
				continue
			}
			done[key] = true
			var vj string
			if err := w.tx.QueryRowContext(ctx, "SELECT _v FROM "+e.table+" WHERE id = ?", e.row).Scan(&vj); err != nil {
				return fmt.Errorf("rebase %s %s: %w", e.table, e.row, err)
			}
			var vs versions
			if err := json.Unmarshal([]byte(vj), &vs); err != nil {
				return err
			}
			if fix(vs) {
				nj, _ := json.Marshal(vs)
				if _, err := w.tx.ExecContext(ctx, "UPDATE "+e.table+" SET _v = ? WHERE id = ?", string(nj), e.row); err != nil {
					return err
				}
			}
		}
		if len(future) > 0 {
			brows, err := w.tx.QueryContext(ctx, `SELECT seq, base FROM outbox WHERE seq > ? AND base <> '{}'`, future[0].seq)
			if err != nil {
				return err
			}
			type upd struct {
				seq  int64
				base string
			}
			var ups []upd
			for brows.Next() {
				var seq int64
				var bj string
				if err := brows.Scan(&seq, &bj); err != nil {
					brows.Close()
					return err
				}
				var base map[string]domain.Version
				if err := json.Unmarshal([]byte(bj), &base); err != nil {
					brows.Close()
					return err
				}
				if fix(base) {
					nb, _ := json.Marshal(base)
					ups = append(ups, upd{seq, string(nb)})
				}
			}
			brows.Close()
			for _, u := range ups {
				if _, err := w.tx.ExecContext(ctx, `UPDATE outbox SET base = ? WHERE seq = ?`, u.base, u.seq); err != nil {
					return err
				}
			}
		}
		if prev < start {
			prev = start
		}
		s.mu.Lock()
		s.clock = prev
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
