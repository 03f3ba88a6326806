package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/kemnaker/blk/domain"
)

// InitCentre creates the centre profile of this installation and makes it
// the centre every later record belongs to. It fails if one exists already.
func (s *Store) InitCentre(ctx context.Context, c *domain.Centre) (domain.Problems, error) {
	if s.CentreID() != "" {
		return nil, fmt.Errorf("this data folder already has a centre profile (%s)", s.CentreID())
	}
	if c.ID == "" {
		c.ID = domain.NewID()
	}
	var warnings domain.Problems
	err := s.Write(ctx, func(tx *Tx) error {
		s.mu.Lock()
		s.centre = c.ID
		s.mu.Unlock()
		var err error
		if warnings, err = tx.Save(c); err != nil {
			return err
		}
		return setMetaTx(ctx, tx.tx, "centre_id", c.ID)
	})
	if err != nil {
		s.mu.Lock()
		s.centre = ""
		s.mu.Unlock()
	}
	return warnings, err
}

// JoinCentre makes this installation a device of an existing centre (on
// enrolment, before its records are pulled). Only an empty store can join.
func (s *Store) JoinCentre(ctx context.Context, centreID string) error {
	if cur := s.CentreID(); cur != "" && cur != centreID {
		return fmt.Errorf("this data folder belongs to another centre (%s); use a new data folder", cur)
	}
	if err := s.SetMeta(ctx, "centre_id", centreID); err != nil {
		return err
	}
	s.mu.Lock()
	s.centre = centreID
	s.mu.Unlock()
	return nil
}

// Centre returns this installation's centre profile.
func (s *Store) Centre(ctx context.Context) (*domain.Centre, error) {
	id := s.CentreID()
	if id == "" {
		return nil, ErrNoCentre
	}
	c := &domain.Centre{}
	c.ID = id
	return c, s.Get(ctx, c)
}

// PendingChanges returns outbox entries after seq, oldest first, at most limit.
func (s *Store) PendingChanges(ctx context.Context, after int64, limit int) ([]domain.Change, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT seq, tbl, row_id, clock, fields, base FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Change
	for rows.Next() {
		var c domain.Change
		var clock int64
		var fields, base string
		if err := rows.Scan(&c.Seq, &c.Table, &c.ID, &clock, &fields, &base); err != nil {
			return nil, err
		}
		c.Clock = domain.Clock(clock)
		c.Device = s.device
		if err := json.Unmarshal([]byte(fields), &c.Fields); err != nil {
			return nil, fmt.Errorf("outbox %d: %w", c.Seq, err)
		}
		if base != "{}" {
			if err := json.Unmarshal([]byte(base), &c.Base); err != nil {
				return nil, fmt.Errorf("outbox %d: %w", c.Seq, err)
			}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// metaInt reads an integer setting (0 when unset).
func (s *Store) metaInt(ctx context.Context, key string) (int64, error) {
	v, err := s.Meta(ctx, key)
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// PushedSeq is the highest device seq the server has durably applied.
func (s *Store) PushedSeq(ctx context.Context) (int64, error) { return s.metaInt(ctx, "pushed_seq") }

// SetPushedSeq records the server's acknowledgement (it never moves back)
// and, in the same transaction, prunes the outbox entries it acknowledged
// since the last call, keeping the one at seq (see outbox.go).
func (s *Store) SetPushedSeq(ctx context.Context, seq int64) error {
	return s.Write(ctx, func(w *Tx) error {
		var v string
		_ = w.tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'pushed_seq'`).Scan(&v)
		cur, _ := strconv.ParseInt(v, 10, 64)
		if seq <= cur {
			return nil
		}
		var clock int64
		err := w.tx.QueryRowContext(ctx, `SELECT clock FROM outbox WHERE seq = ?`, seq).Scan(&clock)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := setMetaTx(ctx, w.tx, "pushed_seq", strconv.FormatInt(seq, 10)); err != nil {
			return err
		}
		if err := setMetaTx(ctx, w.tx, "pushed_clock", strconv.FormatInt(clock, 10)); err != nil {
			return err
		}
		if seq-cur > pruneBatch {
			cur = seq - pruneBatch // the rest is PruneOutbox's, in small steps
		}
		_, err = pruneTx(ctx, w.tx, cur, seq)
		return err
	})
}

// PendingCount is the number of outbox entries the server has not
// acknowledged. Unacknowledged seqs are contiguous (AUTOINCREMENT, only
// acknowledged rows are pruned, a rolled-back insert gives its number back,
// and ReconcileOutbox renumbers without gaps), so this is the last seq
// minus the acknowledged one: constant time, where counting took seconds
// at 600k entries.
func (s *Store) PendingCount(ctx context.Context) (int, error) {
	pushed, err := s.PushedSeq(ctx)
	if err != nil {
		return 0, err
	}
	var last int64
	if err := s.ro.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM outbox`).Scan(&last); err != nil {
		return 0, err
	}
	return int(max(last-pushed, 0)), nil
}

// PullCursor is the last server sequence applied from pulls.
func (s *Store) PullCursor(ctx context.Context) (int64, error) { return s.metaInt(ctx, "pull_cursor") }

// ApplyRemote merges changes received from the server into the local
// database in one transaction, field by field with domain.Merge, the
// function the server runs, and moves the pull cursor to cursor (when > 0)
// in the same transaction. Local outbox entries are untouched: a local edit
// that lost here still goes to the server, which records the conflict.
func (s *Store) ApplyRemote(ctx context.Context, changes []domain.Change, cursor int64) error {
	return s.Write(ctx, func(w *Tx) error {
		for _, c := range changes {
			if err := w.applyRemote(c); err != nil {
				return fmt.Errorf("apply %s %s: %w", c.Table, c.ID, err)
			}
		}
		if cursor > 0 {
			return setMetaTx(ctx, w.tx, "pull_cursor", strconv.FormatInt(cursor, 10))
		}
		return nil
	})
}

func (w *Tx) applyRemote(c domain.Change) error {
	t := domain.LookupTable(c.Table)
	if t == nil {
		return fmt.Errorf("unknown table %q", c.Table)
	}
	if err := t.NormalizeFields(c.Fields); err != nil {
		return err
	}
	w.s.observe(c.Clock)
	cur, vs, exists, err := loadRow(w.ctx, w.tx, t, c.ID)
	if err != nil {
		return err
	}
	if !exists {
		cur = t.New()
		cur.Base().ID = c.ID
		vs = versions{}
	}
	vals := domain.Values(cur)
	// The conflicts this merge finds are the server's to keep: it found the
	// same ones, and every PC receives them with its pull.
	merged := domain.Merge(c, c.Version(), vals, domain.Versions(vs), domain.MergeOptions{})
	if len(merged.Won) == 0 {
		return nil
	}
	changed := make(map[string]any, len(merged.Won))
	for _, name := range merged.Won {
		f, _ := t.Field(name)
		if err := f.Set(cur, vals[name]); err != nil {
			return err
		}
		changed[name] = vals[name]
	}
	if !exists {
		return w.insertRow(t, cur, vs)
	}
	return w.updateRow(t, c.ID, changed, vs)
}

// Rejection is a change the server refused, with its reason.
type Rejection struct {
	Seq    int64
	Table  string
	RowID  string
	Field  string
	Reason string
	At     time.Time
}

// AddRejections records refused changes (a repeated one replaces the old).
func (s *Store) AddRejections(ctx context.Context, rs []Rejection) error {
	return s.Write(ctx, func(w *Tx) error {
		for _, r := range rs {
			if _, err := w.tx.ExecContext(ctx, `INSERT INTO rejections (seq, tbl, row_id, field, reason, at) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (seq, field) DO UPDATE SET reason = excluded.reason, at = excluded.at`,
				r.Seq, r.Table, r.RowID, r.Field, r.Reason, r.At.UTC().Format(time.RFC3339)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Rejections lists refused changes, newest first.
func (s *Store) Rejections(ctx context.Context) ([]Rejection, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT seq, tbl, row_id, field, reason, at FROM rejections ORDER BY seq DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Rejection
	for rows.Next() {
		var r Rejection
		var at string
		if err := rows.Scan(&r.Seq, &r.Table, &r.RowID, &r.Field, &r.Reason, &at); err != nil {
			return nil, err
		}
		r.At, _ = time.Parse(time.RFC3339, at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// SaveConflicts stores conflicts reported by the server (known ones are kept as they are).
func (s *Store) SaveConflicts(ctx context.Context, cs []domain.Conflict) error {
	return s.Write(ctx, func(w *Tx) error { return w.saveConflicts(cs) })
}

func (w *Tx) saveConflicts(cs []domain.Conflict) error {
	ctx := w.ctx
	{
		for _, c := range cs {
			wj, _ := json.Marshal(c.Winner)
			lj, _ := json.Marshal(c.Loser)
			if _, err := w.tx.ExecContext(ctx, `INSERT INTO conflicts (id, tbl, row_id, field, winner, winner_clock, winner_device, loser, loser_clock, loser_device, detected_at, resolved)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET resolved = max(resolved, excluded.resolved)`,
				c.ID, c.Table, c.RowID, c.Field, string(wj), int64(c.WinnerVer.Clock), c.WinnerVer.Device,
				string(lj), int64(c.LoserVer.Clock), c.LoserVer.Device, strconv.FormatInt(c.DetectedAtMS, 10), c.Resolved); err != nil {
				return err
			}
		}
		return nil
	}
}

// Conflicts lists conflicts, unresolved first.
func (s *Store) Conflicts(ctx context.Context) ([]domain.Conflict, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT id, tbl, row_id, field, winner, winner_clock, winner_device, loser, loser_clock, loser_device, detected_at, resolved FROM conflicts ORDER BY resolved, detected_at DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Conflict
	for rows.Next() {
		var c domain.Conflict
		var wj, lj, det string
		var wc, lc int64
		if err := rows.Scan(&c.ID, &c.Table, &c.RowID, &c.Field, &wj, &wc, &c.WinnerVer.Device, &lj, &lc, &c.LoserVer.Device, &det, &c.Resolved); err != nil {
			return nil, err
		}
		c.WinnerVer.Clock, c.LoserVer.Clock = domain.Clock(wc), domain.Clock(lc)
		_ = json.Unmarshal([]byte(wj), &c.Winner)
		_ = json.Unmarshal([]byte(lj), &c.Loser)
		c.DetectedAtMS, _ = strconv.ParseInt(det, 10, 64)
		out = append(out, c)
	}
	return out, rows.Err()
}

// ResolveConflict marks a conflict handled. When useLoser is true the losing
// value is written again as a new local edit, so it wins everywhere.
func (s *Store) ResolveConflict(ctx context.Context, id string, useLoser bool) error {
	return s.Write(ctx, func(w *Tx) error {
		var table, row, field, loser string
		err := w.tx.QueryRowContext(ctx, `SELECT tbl, row_id, field, loser FROM conflicts WHERE id = ?`, id).Scan(&table, &row, &field, &loser)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("conflict %s: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if useLoser {
			t := domain.LookupTable(table)
			if t == nil {
				return fmt.Errorf("conflict %s: unknown table %s", id, table)
			}
			rec := t.New()
			rec.Base().ID = row
			if err := w.Get(rec); err != nil {
				return err
			}
			f, ok := t.Field(field)
			if !ok {
				return fmt.Errorf("conflict %s: unknown field %s", id, field)
			}
			var v any
			if err := json.Unmarshal([]byte(loser), &v); err != nil {
				return err
			}
			if err := f.Set(rec, v); err != nil {
				return err
			}
			if _, err := w.Save(rec); err != nil {
				return err
			}
		}
		_, err = w.tx.ExecContext(ctx, `UPDATE conflicts SET resolved = 1, resolution_to_send = 1 WHERE id = ? AND resolved = 0`, id)
		return err
	})
}

// ResolutionsToSend lists the conflicts resolved on this PC that the
// server has not yet been told of.
func (s *Store) ResolutionsToSend(ctx context.Context) ([]string, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT id FROM conflicts WHERE resolution_to_send = 1 ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ResolutionsSent records that the server has the given resolutions.
func (s *Store) ResolutionsSent(ctx context.Context, ids []string) error {
	return s.Write(ctx, func(w *Tx) error {
		for _, id := range ids {
			if _, err := w.tx.ExecContext(ctx, `UPDATE conflicts SET resolution_to_send = 0 WHERE id = ?`, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// PullPage is one page of a pull as the sync client received it.
type PullPage struct {
	Changes    []domain.Change   // the centre's records
	RefChanges []domain.Change   // national reference data
	Conflicts  []domain.Conflict // the centre's conflicts in this page's range
	Cursor     int64             // centre sequence reached
	RefCursor  int64             // reference sequence reached
	Last       bool              // the server has nothing more: a full pull is complete
}

// PullFull reports a pull that must bring this device's own versions on
// every page (ReconcileOutbox starts one; the last page of it ends it).
func (s *Store) PullFull(ctx context.Context) (bool, error) {
	v, err := s.Meta(ctx, "pull_full")
	return v == "1", err
}

// RefCursor is the last reference-data sequence applied from pulls.
func (s *Store) RefCursor(ctx context.Context) (int64, error) { return s.metaInt(ctx, "ref_cursor") }

// ApplyPull applies one pull page in one transaction: records and
// reference data merged field by field (see ApplyRemote), the page's
// conflicts stored, and both cursors moved, so a crash leaves either all of
// the page or none of it.
func (s *Store) ApplyPull(ctx context.Context, p PullPage) error {
	return s.Write(ctx, func(w *Tx) error {
		var maxRemote domain.Clock
		for _, list := range [][]domain.Change{p.RefChanges, p.Changes} {
			for _, c := range list {
				if err := w.applyRemote(c); err != nil {
					return fmt.Errorf("apply %s %s: %w", c.Table, c.ID, err)
				}
				if c.Device != s.device && c.Clock > maxRemote {
					maxRemote = c.Clock
				}
			}
		}
		if err := w.saveConflicts(p.Conflicts); err != nil {
			return err
		}
		if maxRemote > 0 {
			var cur int64
			v := ""
			_ = w.tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'max_remote_clock'`).Scan(&v)
			cur, _ = strconv.ParseInt(v, 10, 64)
			if int64(maxRemote) > cur {
				if err := setMetaTx(ctx, w.tx, "max_remote_clock", strconv.FormatInt(int64(maxRemote), 10)); err != nil {
					return err
				}
			}
		}
		if p.Cursor > 0 {
			if err := setMetaTx(ctx, w.tx, "pull_cursor", strconv.FormatInt(p.Cursor, 10)); err != nil {
				return err
			}
		}
		if p.Last {
			if _, err := w.tx.ExecContext(ctx, `DELETE FROM meta WHERE key = 'pull_full'`); err != nil {
				return err
			}
		}
		if p.RefCursor > 0 {
			return setMetaTx(ctx, w.tx, "ref_cursor", strconv.FormatInt(p.RefCursor, 10))
		}
		return nil
	})
}

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

// ReconcileOutbox compares what the server says it applied of this
// device's outbox (the seq and the clock of the change at it) with the
// outbox itself. They disagree only when this database was restored from a
// backup older than the last push: its new writes reuse seqs the server has
// already applied and would be skipped as duplicates. Then the unacknowledged
// entries are renumbered to follow appliedSeq (re-sending ones the server
// has is harmless: same versions), and the pull cursor goes back to 0 so the
// next pull brings everything again, this device's own later writes included.
// It reports whether it had to repair.
func (s *Store) ReconcileOutbox(ctx context.Context, appliedSeq int64, appliedClock domain.Clock) (bool, error) {
	if appliedSeq <= 0 {
		return false, nil
	}
	var clock int64
	err := s.ro.QueryRowContext(ctx, `SELECT clock FROM outbox WHERE seq = ?`, appliedSeq).Scan(&clock)
	if err == nil && domain.Clock(clock) == appliedClock {
		return false, nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	if err != nil {
		// The entry was pruned, or there never was one here (the seq
		// follows a repair): the acknowledgement recorded with it decides.
		pushed, err := s.PushedSeq(ctx)
		if err != nil {
			return false, err
		}
		pc, err := s.metaInt(ctx, "pushed_clock")
		if err != nil {
			return false, err
		}
		if pushed == appliedSeq && domain.Clock(pc) == appliedClock {
			return false, nil
		}
	}
	err = s.Write(ctx, func(w *Tx) error {
		var v string
		_ = w.tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'pushed_seq'`).Scan(&v)
		pushed, _ := strconv.ParseInt(v, 10, 64)
		// Acknowledged entries go first, so the renumbered ones cannot
		// collide with them.
		if _, err := pruneTx(ctx, w.tx, 0, pushed+1); err != nil {
			return err
		}
		var first sql.NullInt64
		if err := w.tx.QueryRowContext(ctx, `SELECT min(seq) FROM outbox WHERE seq > ?`, pushed).Scan(&first); err != nil {
			return err
		}
		if first.Valid {
			if _, err := w.tx.ExecContext(ctx, `UPDATE outbox SET seq = -seq WHERE seq > ?`, pushed); err != nil {
				return fmt.Errorf("renumber outbox: %w", err)
			}
			if _, err := w.tx.ExecContext(ctx, `UPDATE outbox SET seq = -seq - ? + ? + 1 WHERE seq < 0`, first.Int64, appliedSeq); err != nil {
				return fmt.Errorf("renumber outbox: %w", err)
			}
		}
		// New writes follow the server's seq even when nothing was pending.
		if _, err := w.tx.ExecContext(ctx, `DELETE FROM sqlite_sequence WHERE name = 'outbox'`); err != nil {
			return err
		}
		if _, err := w.tx.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', max(?, coalesce((SELECT max(seq) FROM outbox), 0)))`, appliedSeq); err != nil {
			return err
		}
		if err := setMetaTx(ctx, w.tx, "pushed_seq", strconv.FormatInt(appliedSeq, 10)); err != nil {
			return err
		}
		if err := setMetaTx(ctx, w.tx, "pushed_clock", strconv.FormatInt(int64(appliedClock), 10)); err != nil {
			return err
		}
		if err := setMetaTx(ctx, w.tx, "pull_full", "1"); err != nil {
			return err
		}
		return setMetaTx(ctx, w.tx, "pull_cursor", "0")
	})
	return err == nil, err
}
