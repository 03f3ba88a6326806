package central

import (
	"context"
	"fmt"
	gosync "sync"
)

// A centre's summary rows are recounted from its records at every push
// (summary.go), which for a centre's first upload meant reading the whole
// centre back after each of its batches: 0.8 of the server's CPU seconds
// for a 10,000-trainee centre, in the one writer, and growing with the
// square of the upload. countedRows keeps what the recount reads of a
// centre (id and projection of its trainees, enrollments, cohorts,
// programmes and outcomes) between its pushes, so the next push adds its
// own rows to it instead of reading the centre again.
//
// A kept copy is used only by a push that finds the centre's seq, locked
// in its transaction, equal to the seq the copy was made at: every write
// to a centre's records moves its seq (pushes, conflict resolutions; the
// migrations run before any push), and seqs only grow, so the copy is
// then exactly what the records table holds. A push takes the copy out
// before using it and puts its own back only once its transaction has
// committed (txStmts.onCommit), so a push rolled back leaves no copy.

// countedTables are the tables whose rows the summary counts.
var countedTables = []string{"trainees", "enrollments", "cohorts", "programmes", "outcomes"}

// countedRow is what the summary reads of one record.
type countedRow struct {
	id, k1, k2, k3 string
	deleted        bool
}

// centreRows is a centre's counted rows as of its seq.
type centreRows struct {
	centre string
	seq    int64
	tables map[string]map[string]countedRow
	n      int
}

// add keeps the rows a push wrote.
func (c *centreRows) add(dirty []dirtyRow) {
	for _, r := range dirty {
		t, ok := c.tables[r.key[0]]
		if !ok || r.centre != c.centre {
			continue
		}
		if _, had := t[r.key[1]]; !had {
			c.n++
		}
		t[r.key[1]] = countedRow{id: r.key[1], k1: r.k[0], k2: r.k[1], k3: r.k[2], deleted: r.deleted != 0}
	}
}

// countedFrom is the size of a push from which it reads its centre's
// counted rows to keep them, when no copy is kept: a push that large is
// likely one batch of an upload, and the next will use them.
const countedFrom = 256

// readCentreRows reads every counted row of centre.
func (s *sqlStorage) readCentreRows(ctx context.Context, q querier, centre string) (*centreRows, error) {
	c := &centreRows{centre: centre, tables: map[string]map[string]countedRow{}}
	for _, tbl := range countedTables {
		t := map[string]countedRow{}
		c.tables[tbl] = t
		if err := s.readCounted(ctx, q, centre, tbl, func(r countedRow) { t[r.id] = r }); err != nil {
			return nil, err
		}
		c.n += len(t)
	}
	return c, nil
}

// readCounted reads the counted rows of centre's table tbl, deleted ones
// included, through the (centre_no, tbl) index and nothing a planner with
// stale statistics could prefer.
func (s *sqlStorage) readCounted(ctx context.Context, q querier, centre, tbl string, fn func(countedRow)) error {
	rows, err := q.QueryContext(ctx, s.q(`SELECT id, k1, k2, k3, deleted FROM records WHERE centre_no = `+centreNoOf+` AND tbl = ?`), centre, tbl)
	if err != nil {
		return fmt.Errorf("summary of centre %s: %s: %w", centre, tbl, err)
	}
	defer rows.Close()
	for rows.Next() {
		var r countedRow
		var deleted int
		if err := rows.Scan(&r.id, &r.k1, &r.k2, &r.k3, &deleted); err != nil {
			return err
		}
		r.deleted = deleted != 0
		fn(r)
	}
	return rows.Err()
}

// countedCache keeps the counted rows of the centres pushed to last, up to
// maxCountedRows rows in all.
type countedCache struct {
	mu      gosync.Mutex
	centres map[string]*centreRows
	order   []string // oldest first
	n       int
}

// maxCountedRows bounds the rows kept (≈150 bytes each): a few large
// centres uploading, or some hundreds of small ones.
const maxCountedRows = 400_000

// take removes centre's copy and returns it when it is as of seq.
func (c *countedCache) take(centre string, seq int64) *centreRows {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.centres[centre]
	if !ok {
		return nil
	}
	c.drop(centre)
	if r.seq != seq {
		return nil
	}
	return r
}

// put keeps r (a copy made at a later seq replaces an older one).
func (c *countedCache) put(r *centreRows) {
	if r.n > maxCountedRows {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.centres[r.centre]; ok {
		if old.seq > r.seq {
			return
		}
		c.drop(r.centre)
	}
	for c.n+r.n > maxCountedRows && len(c.order) > 0 {
		c.drop(c.order[0])
	}
	if c.centres == nil {
		c.centres = map[string]*centreRows{}
	}
	c.centres[r.centre] = r
	c.order = append(c.order, r.centre)
	c.n += r.n
}

func (c *countedCache) drop(centre string) {
	r, ok := c.centres[centre]
	if !ok {
		return
	}
	delete(c.centres, centre)
	c.n -= r.n
	for i, id := range c.order {
		if id == centre {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
}
