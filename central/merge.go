package central

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	gosync "sync"
	"time"

	"github.com/kemnaker/blk/domain"
)

// recordOf decodes a stored record of t: its data column, and the values
// its row's columns hold (rowKey).
func recordOf(t *domain.Table, row rowKey, data string) (domain.Record, error) {
	vals, err := decodeData(t, row, allRowKeyFields, data)
	if err != nil {
		return nil, err
	}
	rec := t.New()
	for name, v := range vals {
		f, _ := t.Field(name)
		_ = f.Set(rec, v)
	}
	return rec, nil
}

// allRowKeyFields puts back every field of rowKey the data has not.
const allRowKeyFields = 1<<6 - 1

// decodeData reads a data column into normalised field values. The fields
// of rowKey in mask that the data left out are put back from row.
func decodeData(t *domain.Table, row rowKey, mask int, data string) (map[string]any, error) {
	dec := json.NewDecoder(strings.NewReader(jsonData(t.Name, data)))
	dec.UseNumber()
	raw := map[string]any{}
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%s: bad data column: %w", t.Name, err)
	}
	for i, name := range leftOut(t) {
		if _, ok := raw[name]; !ok && name != "" && mask&(1<<i) != 0 {
			raw[name] = row.value(i)
		}
	}
	out := make(map[string]any, len(raw))
	for name, v := range raw {
		f, ok := t.Field(name)
		if !ok {
			continue // a field dropped from the schema
		}
		nv, err := f.Normalize(v)
		if err != nil {
			return nil, err
		}
		out[name] = nv
	}
	return out, nil
}

// CheckChanges validates the shape of a pushed batch before anything is
// stored: known table and fields, values of the right type, ascending seqs,
// no writes to reference data, no rows claimed for another centre. It
// normalises field values in place. Any failure refuses the whole request.
func CheckChanges(dev Device, changes []domain.Change) error {
	var prev int64
	for i := range changes {
		c := &changes[i]
		if c.Seq <= prev {
			return fmt.Errorf("%w: change seqs must be positive and ascending (seq %d after %d)", ErrInvalid, c.Seq, prev)
		}
		prev = c.Seq
		t := domain.LookupTable(c.Table)
		if t == nil {
			return fmt.Errorf("%w: change seq %d names an unknown table; update the app", ErrInvalid, c.Seq)
		}
		if t.Reference && dev.ID != ServerDevice {
			return fmt.Errorf("%w: %s is national reference data, read-only for PCs (seq %d)", ErrForbidden, c.Table, c.Seq)
		}
		if c.ID == "" || len(c.ID) > domain.IDMax || strings.IndexByte(c.ID, 0) >= 0 {
			return fmt.Errorf("%w: change seq %d has no valid record id", ErrInvalid, c.Seq)
		}
		if len(c.Fields) == 0 {
			return fmt.Errorf("%w: change seq %d sets no field", ErrInvalid, c.Seq)
		}
		if t.Name == "centres" && c.ID != dev.CentreID {
			return fmt.Errorf("%w: change seq %d writes another centre's profile", ErrForbidden, c.Seq)
		}
		for name, v := range c.Fields {
			f, ok := t.Field(name)
			if !ok || name == "id" {
				return fmt.Errorf("%w: change seq %d sets a field %s does not have; update the app", ErrInvalid, c.Seq, c.Table)
			}
			nv, err := f.Normalize(v)
			if err != nil {
				// The value itself stays out of the answer (it may be
				// megabytes); its field and kind say what is wrong.
				return fmt.Errorf("%w: change seq %d: %s.%s is not a %s", ErrInvalid, c.Seq, c.Table, name, f.Kind)
			}
			if name == "centre_id" && nv != dev.CentreID {
				return fmt.Errorf("%w: change seq %d gives %s %s to another centre", ErrForbidden, c.Seq, c.Table, c.ID)
			}
			c.Fields[name] = nv
		}
		for name := range c.Base {
			if _, ok := t.Field(name); !ok {
				return fmt.Errorf("%w: change seq %d has a version of a field %s does not have; update the app", ErrInvalid, c.Seq, c.Table)
			}
		}
	}
	return nil
}

// apply merges one change into the record it touches with domain.Merge,
// records the loser of every concurrent same-field edit, validates the
// result and stores it. It returns the number of new conflicts. A change
// the domain's rules refuse is rejected alone (see reject).
func (m *merger) apply(c domain.Change) (int, error) {
	key := [2]string{c.Table, c.ID}
	if !m.loaded[key] {
		return 0, fmt.Errorf("%s %s was not read before merging", c.Table, c.ID) // preload missed it: a bug
	}
	r, exists := m.rows[key]
	return m.record(c, m.outcomeOf(c, r, exists))
}

// outcome is what merging one change into a record gives, before record
// keeps it: a rejection, or the record's new row (nil when the change won
// no field) and the conflicts it made, or an error.
type outcome struct {
	rejected  bool
	rejection pendingRejection
	row       *dirtyRow // its ord is given by record
	conflicts []pendingConflict
	err       error
}

// outcomeOf merges c into the record r (exists: the record was stored).
// It changes nothing in m, so outcomes of changes to different records
// can be worked out side by side (see outcomes).
func (m *merger) outcomeOf(c domain.Change, r storedRow, exists bool) outcome {
	t := domain.LookupTable(c.Table)
	ver := domain.Version{Clock: c.Clock, Device: m.dev.ID}
	if c.Clock <= 0 {
		// No PC makes such a clock; one would lose to every version and
		// leave an empty conflict for every PC of the centre to pull.
		return m.reject(c, "", "server.clock_missing")
	}
	if c.Clock.WallMS() > m.now.Add(MaxClockAhead).UnixMilli() {
		return m.reject(c, "", "server.clock_ahead", c.Clock.Time().Format(time.RFC3339))
	}
	// What a change writes must be storable even when it deletes the record
	// (a tombstone is not validated, but its fields are stored).
	if ps := domain.CheckText(t, c.Fields); len(ps) > 0 {
		return m.rejectProblems(c, ps)
	}
	key := [2]string{c.Table, c.ID}
	centre, data := r.centre, r.data
	vj, mask := splitMask(r.vers)
	var vals map[string]any
	vers := domain.Versions{}
	if exists {
		if centre != m.dev.CentreID {
			return outcome{err: fmt.Errorf("%w: %s %s belongs to another centre", ErrForbidden, c.Table, c.ID)}
		}
		var err error
		if vals, err = decodeData(t, rowKey{c.ID, centre, r.deleted, r.k}, mask, data); err != nil {
			return outcome{err: err}
		}
		if vers, err = decodeVersionsOf(t.Name, vj, m.devices); err != nil {
			return outcome{err: fmt.Errorf("%s %s: bad versions: %w", c.Table, c.ID, err)}
		}
	} else {
		vals = map[string]any{"id": c.ID}
		if !t.Reference {
			vals["centre_id"] = m.dev.CentreID
		}
	}
	merged := domain.Merge(c, ver, vals, vers, domain.MergeOptions{
		Knowing:      m.dev.ID == ServerDevice, // the ministry overwrites reference data knowingly
		DetectedAtMS: m.now.UnixMilli(),
	})
	var out outcome
	if len(merged.Won) > 0 {
		rec := t.New()
		for name, v := range vals {
			f, _ := t.Field(name)
			_ = f.Set(rec, v)
		}
		warn := ""
		if !rec.Base().Deleted {
			var inv domain.Problems
			ps := domain.Validate(rec, domain.Rules{Now: m.now})
			if t.Name == "trainees" {
				warn = warningFields(ps)
			}
			if e, ok := rec.(*domain.Enrollment); ok {
				ps = append(ps, domain.CheckGraduationDate(e, m.cohortStart(e.CohortID))...)
			}
			for _, p := range ps {
				if p.Level == domain.Invalid {
					inv = append(inv, p)
				}
			}
			if len(inv) > 0 {
				return m.rejectProblems(c, inv)
			}
		}
		deleted := 0
		if rec.Base().Deleted {
			deleted = 1
		}
		k := projection(t, vals)
		dj, mask, err := encodeData(t, rowKey{c.ID, m.dev.CentreID, deleted == 1, k}, vals)
		if err != nil {
			return outcome{err: err}
		}
		vjs := withMask(encodeVersionsOf(t.Name, vers, m.numbers), mask)
		nik := ""
		if tr, ok := rec.(*domain.Trainee); ok {
			nik = tr.NIK
		}
		out.row = &dirtyRow{key: key, centre: m.dev.CentreID, deleted: deleted, nik: nik, data: dj, vers: vjs, k: k, warn: warn}
	}
	for _, cf := range merged.Conflicts {
		body, _ := json.Marshal(cf)
		out.conflicts = append(out.conflicts, pendingConflict{id: cf.ID, body: string(body)})
	}
	return out
}

// record keeps the outcome of merging c: its rejection, or its row and
// conflicts, each with the next centre event (ord) in the order apply
// always gave them. It returns the number of new conflicts.
func (m *merger) record(c domain.Change, o outcome) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	if o.rejected {
		m.rejections = append(m.rejections, o.rejection)
		return 0, nil
	}
	if o.row != nil {
		row := *o.row
		row.ord = m.event()
		if i, ok := m.dirtyAt[row.key]; ok {
			m.dirty[i] = row
		} else {
			m.dirtyAt[row.key] = len(m.dirty)
			m.dirty = append(m.dirty, row)
		}
		m.rows[row.key] = storedRow{centre: row.centre, deleted: row.deleted == 1, k: row.k, data: row.data, vers: row.vers}
	}
	for _, cf := range o.conflicts {
		cf.ord = m.event()
		m.conflicts = append(m.conflicts, cf)
	}
	return len(o.conflicts), nil
}

// parallelFrom is the batch size from which outcomes works out the merge
// on every core: a centre's first upload comes in batches of 5,000 new
// records, and merging them one after another was the largest part of a
// push the PC waits for.
const parallelFrom = 256

// outcomes works out, side by side, the outcome of each change of a batch
// that can be known before the changes ahead of it are recorded: the
// first change to its record, when the batch changes no cohort (an
// enrollment's graduation date is checked against its cohort as merged so
// far). The others are nil: apply merges them in turn. Recording the
// outcomes in batch order stores exactly what applying every change in
// order stores.
func (m *merger) outcomes(changes []domain.Change) []*outcome {
	workers := runtime.GOMAXPROCS(0)
	if len(changes) < parallelFrom || workers < 2 {
		return nil
	}
	cohorts := false
	for _, c := range changes {
		cohorts = cohorts || c.Table == "cohorts"
	}
	out := make([]*outcome, len(changes))
	first := make(map[[2]string]bool, len(changes))
	var todo []int
	for i, c := range changes {
		key := [2]string{c.Table, c.ID}
		if first[key] || !m.loaded[key] || (cohorts && c.Table == "enrollments") {
			first[key] = true
			continue
		}
		first[key] = true
		todo = append(todo, i)
	}
	// A device number not yet known is read through the merge's
	// transaction, which takes one query at a time.
	devices := m.devices
	var mu gosync.Mutex
	m.devices = func(no int64) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		return devices(no)
	}
	defer func() { m.devices = devices }()
	var wg gosync.WaitGroup
	chunk := (len(todo) + workers - 1) / workers
	for start := 0; start < len(todo); start += chunk {
		part := todo[start:min(start+chunk, len(todo))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, i := range part {
				c := changes[i]
				r, exists := m.rows[[2]string{c.Table, c.ID}]
				o := m.outcomeOf(c, r, exists)
				out[i] = &o
			}
		}()
	}
	wg.Wait()
	return out
}

// MaxPullRecords bounds one pull page by count; maxBytes bounds it by size.
const MaxPullRecords = 5000

// pullScanFactor bounds how many pages' worth of records one pull may read
// past when they are all the asking device's own.
const pullScanFactor = 8

func (s *sqlStorage) Pull(ctx context.Context, centreID, skipDevice string, cursor, refCursor int64, maxBytes int) (PullResult, error) {
	if maxBytes <= 0 || maxBytes > 16<<20 {
		maxBytes = 4 << 20
	}
	var res PullResult
	var more bool
	var err error
	res.Changes, res.Conflicts, res.Cursor, more, err = s.pullSeq(ctx, centreID, skipDevice, cursor, maxBytes)
	if err != nil {
		return res, err
	}
	res.More = more
	res.RefChanges, _, res.RefCursor, more, err = s.pullSeq(ctx, "", "", refCursor, maxBytes)
	res.More = res.More || more
	return res, err
}

// pullSeq reads one page of a sequence. Only seqs up to the counter's
// committed value are read: the counter is written in the same transaction
// as the changes it numbers, so everything at or below it has committed.
func (s *sqlStorage) pullSeq(ctx context.Context, centre, skipDevice string, cursor int64, maxBytes int) ([]domain.Change, []domain.Conflict, int64, bool, error) {
	var hi int64
	err := s.ro.QueryRowContext(ctx, s.q(`SELECT last_seq FROM centres WHERE id = ?`), centre).Scan(&hi)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, cursor, false, fmt.Errorf("centre %s: %w", centre, ErrNotFound)
	}
	if err != nil {
		return nil, nil, cursor, false, err
	}
	if hi <= cursor {
		return nil, nil, cursor, false, nil
	}
	// Records whose every version is the asking device's own send nothing.
	// Those it alone wrote once (a PC's first upload: every record) are
	// left out in SQL (soleWriterSQL), the others in Go; a page may read
	// past up to pullScanFactor pages of the latter, so a PC's pull right
	// after its upload is one request, not one per page. Leaving rows out
	// moves no page boundary: a page ends before the first record it has
	// no room for, and the cursor stays at the last record read, so the
	// next page starts after it.
	scanLimit := MaxPullRecords
	query := `SELECT tbl, id, seq, deleted, k1, k2, k3, data, vers FROM records WHERE centre_no = ` + centreNoOf + ` AND seq > ? AND seq <= ?`
	args := []any{centre, cursor, hi}
	if skipDevice != "" {
		scanLimit *= pullScanFactor
		no, err := s.numberOfDevice(ctx, s.ro, centre, skipDevice)
		if err != nil {
			return nil, nil, cursor, false, err
		}
		if no > 0 {
			query += ` AND NOT ` + soleWriterSQL
			args = append(args, soleWriterArgs(no)...)
		}
	}
	rows, err := s.ro.QueryContext(ctx, s.q(query+` ORDER BY seq LIMIT ?`), append(args, scanLimit)...)
	if err != nil {
		return nil, nil, cursor, false, err
	}
	var changes []domain.Change
	upto, n, scanned, size, more := hi, 0, 0, 0, false
	for rows.Next() {
		var tbl, id, data, vj string
		var seq int64
		var deleted int
		var k [3]string
		if err := rows.Scan(&tbl, &id, &seq, &deleted, &k[0], &k[1], &k[2], &data, &vj); err != nil {
			rows.Close()
			return nil, nil, cursor, false, err
		}
		row := rowKey{id, centre, deleted != 0, k}
		cs, err := changesOf(tbl, row, data, vj, skipDevice, s.deviceOf(ctx, s.ro, centre))
		if err != nil {
			rows.Close()
			return nil, nil, cursor, false, err
		}
		if len(cs) > 0 {
			rowSize := legacySize(tbl, data, vj, row)
			if n == MaxPullRecords || (n > 0 && size+rowSize > maxBytes) {
				more = true
				break
			}
			changes = append(changes, cs...)
			n++
			size += rowSize
		}
		scanned++
		upto = seq
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, cursor, false, err
	}
	if scanned == scanLimit {
		more = true
	}
	if !more {
		upto = hi
	}
	var conflicts []domain.Conflict
	if centre != "" {
		if conflicts, err = s.conflictsBetween(ctx, s.ro, centre, cursor, upto); err != nil {
			return nil, nil, cursor, false, err
		}
	}
	return changes, conflicts, upto, more, nil
}

// changesOf turns one stored record into changes, one per version, so the
// device applies each field with the version the server holds.
func changesOf(tbl string, row rowKey, data, vj, skipDevice string, devices func(int64) (string, error)) ([]domain.Change, error) {
	t := domain.LookupTable(tbl)
	if t == nil {
		return nil, fmt.Errorf("stored record of unknown table %s", tbl)
	}
	id := row.id
	vj, mask := splitMask(vj)
	vers, err := decodeVersionsOf(tbl, vj, devices)
	if err != nil {
		return nil, err
	}
	if skipDevice != "" && onlyBy(vers, skipDevice) {
		return nil, nil // its data need not be decoded
	}
	vals, err := decodeData(t, row, mask, data)
	if err != nil {
		return nil, err
	}
	groups := map[domain.Version]map[string]any{}
	for name, v := range vers {
		val, ok := vals[name]
		if !ok || (skipDevice != "" && v.Device == skipDevice) {
			continue
		}
		g := groups[v]
		if g == nil {
			g = map[string]any{}
			groups[v] = g
		}
		g[name] = val
	}
	out := make([]domain.Change, 0, len(groups))
	for v, f := range groups {
		out = append(out, domain.Change{Table: tbl, ID: id, Clock: v.Clock, Device: v.Device, Fields: f})
	}
	sort.Slice(out, func(i, j int) bool { return out[j].Version().Newer(out[i].Version()) })
	return out, nil
}

// onlyBy reports whether every version in vers is device's.
func onlyBy(vers domain.Versions, device string) bool {
	for _, v := range vers {
		if v.Device != device {
			return false
		}
	}
	return true
}

func (s *sqlStorage) conflictsBetween(ctx context.Context, q querier, centre string, after, upto int64) ([]domain.Conflict, error) {
	rows, err := q.QueryContext(ctx, s.q(`SELECT body FROM conflicts WHERE centre_id = ? AND seq > ? AND seq <= ? ORDER BY seq`), centre, after, upto)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Conflict
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var c domain.Conflict
		if err := json.Unmarshal([]byte(body), &c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
