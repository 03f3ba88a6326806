// Applying what the server sends: pulled pages of the centre's records
// and reference data, merged field by field.

package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/sync/wire"
)

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

// PullForSchema moves both pull cursors back to the start, once, when v is
// newer than the schema version the database last pulled with (none: a
// database of the first release, which pulled with 1). A server sends a PC
// only the tables and fields of its version, so a PC that has been updated
// must pull again to get what was left out; merging what it has already is
// harmless. It reports whether it started again.
func (s *Store) PullForSchema(ctx context.Context, v int) (bool, error) {
	// every round asks: answer from the reader when nothing is to be done
	if cur, err := s.Meta(ctx, "pull_schema"); err != nil {
		return false, err
	} else if n, err := strconv.Atoi(cur); err == nil && n >= v {
		return false, nil
	}
	again := false
	err := s.Write(ctx, func(w *Tx) error {
		cur, err := metaTx(ctx, w.tx, "pull_schema")
		if err != nil {
			return err
		}
		had := 1
		if cur != "" {
			if had, err = strconv.Atoi(cur); err != nil {
				return fmt.Errorf("pull_schema %q: %w", cur, err)
			}
		}
		if had >= v {
			return nil
		}
		again = true
		for _, k := range []string{"pull_cursor", "ref_cursor"} {
			if err := setMetaTx(ctx, w.tx, k, "0"); err != nil {
				return err
			}
		}
		return setMetaTx(ctx, w.tx, "pull_schema", strconv.Itoa(v))
	})
	return again, err
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
// the page or none of it. The last page (no More) ends a full pull.
func (s *Store) ApplyPull(ctx context.Context, p wire.PullPage) error {
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
			cur, err := metaIntIn(ctx, w.tx, "max_remote_clock")
			if err != nil {
				return err
			}
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
		if !p.More {
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
