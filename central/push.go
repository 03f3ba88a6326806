package central

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

// Push applies a device's batch. On SQLite the merge is worked out first
// from a snapshot, outside the single writer, while the push waits its
// turn; the writer then only checks that nothing it read has changed
// since, writes the result and commits (see committer). On PostgreSQL
// each push merges and writes in its own transaction.
func (s *sqlStorage) Push(ctx context.Context, dev Device, changes []domain.Change) (PushResult, error) {
	if err := CheckChanges(dev, changes); err != nil {
		return PushResult{}, err
	}
	if s.group != nil {
		plan, err := s.plan(ctx, dev, changes)
		if err != nil {
			return PushResult{}, err
		}
		res, err := s.group.submit(ctx, dev, changes, plan)
		if err == nil {
			s.wakeKemandirian()
		}
		return res, err
	}
	// PostgreSQL: pushes of different centres run side by side, each in its
	// own transaction; the centre counter's row lock orders one centre's.
	// The gate admits a few at a time in arrival order: database/sql gives
	// a free connection to a random waiter, and two hundred pushes sharing
	// a few cores all finish late instead of most finishing early.
	// Eight on two cores, not four: a push spends much of its time waiting
	// for round trips and its commit's flush, and at four the 200-PC
	// benchmark's bulk p99 was 3.4-3.5 s against 2.2-3.0 s at eight on the
	// shared machine (load 9-10; docs/PERFORMANCE.md, "National scale").
	select {
	case s.gate <- struct{}{}:
		defer func() { <-s.gate }()
	case <-ctx.Done():
		return PushResult{}, ctx.Err()
	}
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return PushResult{}, fmt.Errorf("begin push: %w", err)
	}
	defer tx.Rollback()
	stmts := &txStmts{s: s, tx: tx}
	defer stmts.close()
	res, err := s.pushTx(ctx, stmts, dev, changes, nil)
	if err != nil {
		return PushResult{}, err
	}
	if s.beforeCommit != nil {
		s.beforeCommit()
	}
	if err := tx.Commit(); err != nil {
		return PushResult{}, fmt.Errorf("commit push: %w", err)
	}
	stmts.committed()
	s.wakeKemandirian()
	return res, nil
}

// plan merges a batch against the records as the read pool sees them,
// from the applied seq the device had when it was authenticated (the
// writer checks both are still so). A nil plan (the snapshot could not be
// read) leaves the work to the writer; an error is one the writer would
// give too (another centre's row).
func (s *sqlStorage) plan(ctx context.Context, dev Device, changes []domain.Change) (*merger, error) {
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil
	}
	defer tx.Rollback()
	m, err := s.merge(ctx, tx, dev, dev.AppliedSeq, changes)
	if err != nil && !errors.Is(err, ErrForbidden) {
		return nil, nil
	}
	return m, err
}

// merge reads the records a batch touches through q and merges every
// change after the device's applied seq.
func (s *sqlStorage) merge(ctx context.Context, q querier, dev Device, applied int64, changes []domain.Change) (*merger, error) {
	m := newMerger(dev, s.now())
	m.baseApplied = applied
	var fresh []domain.Change
	for _, c := range changes {
		if c.Seq > applied {
			fresh = append(fresh, c)
		}
	}
	if err := m.preload(ctx, s, q, fresh); err != nil {
		return nil, err
	}
	outs := m.outcomes(fresh)
	for i, c := range fresh {
		var n int
		var err error
		if outs != nil && outs[i] != nil {
			n, err = m.record(c, *outs[i])
		} else {
			n, err = m.apply(c)
		}
		if err != nil {
			return nil, err
		}
		m.newConflicts += n
		m.applied, m.appliedClock = c.Seq, int64(c.Clock)
	}
	return m, nil
}

// pushTx applies one device's batch inside a transaction the caller
// commits, using plan when every record it read is still as it was.
func (s *sqlStorage) pushTx(ctx context.Context, stmts *txStmts, dev Device, changes []domain.Change, plan *merger) (PushResult, error) {
	tx := stmts.tx
	// The centre's counter row is locked until commit, so centre seqs
	// commit in the order they are assigned and no pull cursor can pass a
	// change that has yet to commit.
	// The device's row comes in the same statement (one round trip less),
	// and is locked with the centre's: a statement that waited for a row
	// lock sees the locked rows as the transaction before it committed
	// them, but any other row it joins as it was when the statement
	// began. A batch sent again while its first sending held the lock
	// would then read the applied seq from before that sending and merge
	// the batch twice (TestARetryQueuedBehindItsFirstSendingIsANoOp). The
	// push updates its device's row anyway, and no one else locks it
	// before the centre's.
	lock := s.d.lockSeq
	if lock != "" {
		lock += " OF c, d"
	}
	var last, centreNo, applied, appliedClock, revoked int64
	var region string
	if err := tx.QueryRowContext(ctx, s.q(`SELECT c.last_seq, c.region, c.centre_no, d.applied_seq, d.applied_clock, d.revoked_at FROM centres c JOIN devices d ON d.id = ? WHERE c.id = ?`+lock), dev.ID, dev.CentreID).
		Scan(&last, &region, &centreNo, &applied, &appliedClock, &revoked); err != nil {
		return PushResult{}, fmt.Errorf("push: centre %s, device %s: %w", dev.CentreID, dev.ID, err)
	}
	if revoked != 0 {
		return PushResult{}, ErrRevoked
	}
	m := plan
	if m != nil {
		ok, err := m.stillValid(ctx, s, tx, applied)
		if err != nil {
			return PushResult{}, err
		}
		if !ok {
			m = nil
		}
	}
	if m == nil {
		var err error
		if m, err = s.merge(ctx, tx, dev, applied, changes); err != nil {
			return PushResult{}, err
		}
	}
	m.centreNo = centreNo
	if err := m.write(ctx, stmts, last); err != nil {
		return PushResult{}, err
	}
	m.centre, m.region = dev.CentreID, region
	m.seqBefore, m.seqLocked = last, true
	if err := s.updateSummaries(ctx, tx, m); err != nil {
		return PushResult{}, err
	}
	if rows := m.counted; rows != nil {
		stmts.onCommit = append(stmts.onCommit, func() { s.counted.put(rows) })
	}
	if m.applied == 0 {
		m.applied, m.appliedClock = applied, appliedClock // nothing new in this batch
	}
	now := s.now()
	if s.d.dollar && m.events > 0 {
		// Both in one round trip.
		if _, err := tx.ExecContext(ctx, `WITH d AS (UPDATE devices SET applied_seq = $1, applied_clock = $2, last_seen = $3 WHERE id = $4)
			UPDATE centres SET last_seq = $5 WHERE id = $6`, m.applied, m.appliedClock, now.UnixMilli(), dev.ID, last+m.events, dev.CentreID); err != nil {
			return PushResult{}, err
		}
	} else if err := stmts.exec(ctx, `UPDATE devices SET applied_seq = ?, applied_clock = ?, last_seen = ? WHERE id = ?`, m.applied, m.appliedClock, now.UnixMilli(), dev.ID); err != nil {
		return PushResult{}, err
	}
	if m.events > 0 && !s.d.dollar {
		if err := stmts.exec(ctx, `UPDATE centres SET last_seq = ? WHERE id = ?`, last+m.events, dev.CentreID); err != nil {
			return PushResult{}, err
		}
	}
	res := PushResult{AppliedSeq: m.applied, AppliedClock: domain.Clock(m.appliedClock), Conflicts: m.newConflicts}
	if len(changes) == 0 || (len(m.rejections) == 0 && changes[0].Seq > m.baseApplied) {
		// Nothing to answer: this batch rejected nothing, and every
		// rejection stored before is of a change at or below the applied
		// seq the merge started from (the applied seq only grows, in the
		// transaction that stores the rejections), none in this batch.
		return res, nil
	}
	// Rejections are stored, so a batch re-sent after a lost answer gets
	// the same answer.
	rows, err := tx.QueryContext(ctx, s.q(`SELECT seq, tbl, row_id, field, reason_id, reason_en FROM rejections WHERE device_id = ? AND seq >= ? AND seq <= ? ORDER BY seq`),
		dev.ID, changes[0].Seq, changes[len(changes)-1].Seq)
	if err != nil {
		return res, err
	}
	defer rows.Close()
	for rows.Next() {
		var r Rejection
		if err := rows.Scan(&r.Seq, &r.Table, &r.RowID, &r.Field, &r.ReasonID, &r.ReasonEN); err != nil {
			return res, err
		}
		res.Rejections = append(res.Rejections, r)
	}
	return res, rows.Err()
}

// txStmts runs a transaction's repeated statements. On SQLite each is
// prepared once per transaction: parsing dominates the cost of small
// statements. pgx caches prepared statements per connection itself, so on
// PostgreSQL preparing per transaction would only add round trips.
type txStmts struct {
	s  *sqlStorage
	tx *sql.Tx
	m  map[string]*sql.Stmt
	// onCommit runs once the transaction has committed (committed).
	onCommit []func()
}

// committed runs what waited for the transaction's commit.
func (t *txStmts) committed() {
	for _, fn := range t.onCommit {
		fn()
	}
	t.onCommit = nil
}

func (t *txStmts) exec(ctx context.Context, query string, args ...any) error {
	_, err := t.run(ctx, query, args...)
	return err
}

// run is exec giving the statement's result.
func (t *txStmts) run(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if t.s.d.dollar {
		return t.tx.ExecContext(ctx, t.s.q(query), args...)
	}
	st, ok := t.m[query]
	if !ok {
		var err error
		if st, err = t.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		if t.m == nil {
			t.m = map[string]*sql.Stmt{}
		}
		t.m[query] = st
	}
	return st.ExecContext(ctx, args...)
}

func (t *txStmts) close() {
	for _, st := range t.m {
		st.Close()
	}
}

// merger merges one device's changes with the stored records in memory;
// nothing touches the database until write. Centre seqs are given out at
// write, in the order of the merge's events (ord).
type merger struct {
	dev Device
	now time.Time
	// rows holds the records the batch touches as merged so far; seen
	// holds them as read, to check a plan against; loaded marks the keys
	// read (a loaded key missing from rows did not exist).
	rows   map[[2]string]storedRow
	seen   map[[2]string]storedRow
	loaded map[[2]string]bool
	// dirty holds the records written, in order of first write, each at
	// its last state.
	dirty      []dirtyRow
	dirtyAt    map[[2]string]int
	conflicts  []pendingConflict
	rejections []pendingRejection
	events     int64

	// devices and numbers read and write the versions' device numbers in
	// the device's centre (devnos.go); preload sets them.
	devices func(int64) (string, error)
	numbers func(string) int64

	// centreNo is the device's centre's number (centrenos.go), which
	// write stores; the caller sets it under the centre's row lock.
	centreNo int64

	// centre and region: the pushing device's centre and its region, read
	// with the counter lock (the summary's provinces need it).
	centre, region string
	// seqBefore is the centre's seq before the push's write, locked
	// (seqLocked); counted, the centre's counted rows after it, kept at
	// commit (counted.go).
	seqBefore int64
	seqLocked bool
	counted   *centreRows

	baseApplied           int64 // the device's applied seq the merge started from
	applied, appliedClock int64 // the last change merged
	newConflicts          int
}

// storedRow is a record as the records table holds it.
type storedRow struct {
	centre     string
	deleted    bool
	k          [3]string
	data, vers string
}

type dirtyRow struct {
	key     [2]string
	centre  string
	ord     int64
	deleted int
	nik     string
	data    string
	vers    string
	k       [3]string // see projection
	warn    string    // trainees: fields with validation warnings (see summary.go)
}

type pendingConflict struct {
	id   string
	ord  int64
	body string
}

type pendingRejection struct {
	seq                 int64
	table, rowID, field string
	id, en              string
}

func newMerger(dev Device, now time.Time) *merger {
	return &merger{dev: dev, now: now, rows: map[[2]string]storedRow{}, seen: map[[2]string]storedRow{},
		loaded: map[[2]string]bool{}, dirtyAt: map[[2]string]int{}}
}

func (m *merger) event() int64 { m.events++; return m.events }

// reject refuses change c alone, with the catalogue's text of key in both
// languages (the device shows the one its operator reads): a rejection is
// an answer, not a failure of the push.
func (m *merger) reject(c domain.Change, field, key string, args ...any) outcome {
	return outcome{rejected: true, rejection: pendingRejection{seq: c.Seq, table: c.Table, rowID: c.ID, field: field,
		id: msg.T(msg.Indonesian, key, args...), en: msg.T(msg.English, key, args...)}}
}

// rejectProblems refuses change c for the domain's problems ps, on the
// field of the first.
//
// The reasons never repeat a value the PC sent (a choice or a region code
// it typed): the PC has the value, and a reply must not grow with it. Text
// arguments become "this value"; numbers (limits, counts) stay.
func (m *merger) rejectProblems(c domain.Change, ps domain.Problems) outcome {
	quiet := make(domain.Problems, len(ps))
	for i, p := range ps {
		p.Args = append([]any(nil), p.Args...)
		for j, a := range p.Args {
			if _, ok := a.(string); ok {
				p.Args[j] = valueMark{}
			}
		}
		quiet[i] = p
	}
	return outcome{rejected: true, rejection: pendingRejection{seq: c.Seq, table: c.Table, rowID: c.ID, field: ps[0].Field,
		id: quiet.Text(msg.Indonesian), en: quiet.Text(msg.English)}}
}

// valueMark stands in a rejection for a text the PC sent; it prints the
// same in both languages' formats (%s and %q).
type valueMark struct{}

func (valueMark) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte("(…)")) }

// preload reads every record a batch touches, one query per table and 500
// ids rather than one per change: round trips dominate on PostgreSQL.
func (m *merger) preload(ctx context.Context, s *sqlStorage, q querier, changes []domain.Change) error {
	m.devices, m.numbers = s.deviceOf(ctx, q, m.dev.CentreID), s.numberIn(m.dev.CentreID, m.dev)
	byTable := map[string][]string{}
	var tables []string
	for _, c := range changes {
		key := [2]string{c.Table, c.ID}
		if m.loaded[key] {
			continue
		}
		m.loaded[key] = true
		if byTable[c.Table] == nil {
			tables = append(tables, c.Table)
		}
		byTable[c.Table] = append(byTable[c.Table], c.ID)
	}
	keep := func(key [2]string, r storedRow) {
		m.rows[key] = r
		m.seen[key] = r
	}
	if err := readRecords(ctx, s, q, tables, byTable, keep); err != nil {
		return err
	}
	// The cohorts of the enrollments the batch touches: a graduation date
	// is checked against its cohort's start (domain.CheckGraduationDate).
	var cohorts []string
	for _, c := range changes {
		if c.Table != "enrollments" {
			continue
		}
		id, _ := c.Fields["cohort_id"].(string)
		if id == "" {
			if r, ok := m.rows[[2]string{c.Table, c.ID}]; ok {
				vals, _ := decodeData(domain.LookupTable(c.Table), rowKey{c.ID, r.centre, r.deleted, r.k}, allRowKeyFields, r.data)
				id, _ = vals["cohort_id"].(string)
			}
		}
		if key := [2]string{"cohorts", id}; id != "" && !m.loaded[key] {
			m.loaded[key] = true
			cohorts = append(cohorts, id)
		}
	}
	if len(cohorts) == 0 {
		return nil
	}
	return readRecords(ctx, s, q, []string{"cohorts"}, map[string][]string{"cohorts": cohorts}, keep)
}

// cohortStart is the start date of a cohort the merge has read ("" when
// unknown: the rule is then left to the PC).
func (m *merger) cohortStart(id string) string {
	r, ok := m.rows[[2]string{"cohorts", id}]
	if !ok {
		return ""
	}
	var c struct {
		StartDate string `json:"start_date"`
	}
	_ = json.Unmarshal([]byte(jsonData("cohorts", r.data)), &c)
	return c.StartDate
}

// readRecords reads the given records of each table (grouped by table, so
// the lookup uses the (tbl, id) primary key).
//
// On PostgreSQL the ids go as one array, each looked up by itself (a
// LATERAL subquery with LIMIT is never flattened into a join): with
// `tbl = ? AND id IN (…)`, statistics taken before a bulk upload made
// the planner read every trainee through (tbl, deleted, k2, k1) and
// filter on id, 5–8 ms a push and growing with the table
// (docs/PERFORMANCE.md, "National scale"). An equality on the whole
// primary key has one plan whatever the statistics say.
func readRecords(ctx context.Context, s *sqlStorage, q querier, tables []string, ids map[string][]string, fn func([2]string, storedRow)) error {
	for _, tbl := range tables {
		all := ids[tbl]
		chunk := 500
		if s.d.dollar {
			chunk = len(all)
		}
		for start := 0; start < len(all); start += chunk {
			part := all[start:min(start+chunk, len(all))]
			var rows *sql.Rows
			var err error
			if s.d.dollar {
				rows, err = q.QueryContext(ctx, `SELECT r.id, c.id, r.deleted, r.k1, r.k2, r.k3, r.data, r.vers FROM unnest($2::text[]) AS u(id)
					CROSS JOIN LATERAL (SELECT * FROM records WHERE tbl = $1 AND id = u.id LIMIT 1) AS r JOIN centres c ON c.centre_no = r.centre_no`, tbl, part)
			} else {
				args := make([]any, 0, len(part)+1)
				args = append(args, tbl)
				for _, id := range part {
					args = append(args, id)
				}
				rows, err = q.QueryContext(ctx, `SELECT r.id, c.id, r.deleted, r.k1, r.k2, r.k3, r.data, r.vers FROM records r JOIN centres c ON c.centre_no = r.centre_no
					WHERE r.tbl = ? AND r.id IN (`+placeholders(len(part))+`)`, args...)
			}
			if err != nil {
				return fmt.Errorf("read batch records: %w", err)
			}
			for rows.Next() {
				var id string
				var r storedRow
				var deleted int
				if err := rows.Scan(&id, &r.centre, &deleted, &r.k[0], &r.k[1], &r.k[2], &r.data, &r.vers); err != nil {
					rows.Close()
					return err
				}
				r.deleted = deleted != 0
				fn([2]string{tbl, id}, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// stillValid reports whether a plan made from a snapshot holds: the device
// has applied nothing since, and every record the plan read is unchanged.
func (m *merger) stillValid(ctx context.Context, s *sqlStorage, q querier, applied int64) (bool, error) {
	if applied != m.baseApplied {
		return false, nil
	}
	byTable := map[string][]string{}
	var tables []string
	for key := range m.loaded {
		if byTable[key[0]] == nil {
			tables = append(tables, key[0])
		}
		byTable[key[0]] = append(byTable[key[0]], key[1])
	}
	ok, found := true, 0
	err := readRecords(ctx, s, q, tables, byTable, func(key [2]string, r storedRow) {
		found++
		if seen, had := m.seen[key]; !had || seen != r {
			ok = false
		}
	})
	return ok && found == len(m.seen), err
}

// flushChunk bounds the rows of one multi-row statement (11 parameters a
// row, well under both databases' parameter limits).
const flushChunk = 250

// write stores what the merge produced: records and conflicts with the
// centre seqs after last, and rejections.
func (m *merger) write(ctx context.Context, stmts *txStmts, last int64) error {
	if err := m.writeRecords(ctx, stmts, last); err != nil {
		return err
	}
	for start := 0; start < len(m.conflicts); start += flushChunk {
		cs := m.conflicts[start:min(start+flushChunk, len(m.conflicts))]
		args := make([]any, 0, 4*len(cs))
		for _, c := range cs {
			args = append(args, c.id, m.dev.CentreID, last+c.ord, c.body)
		}
		if err := stmts.exec(ctx, `INSERT INTO conflicts (id, centre_id, seq, body) VALUES `+valueRows(len(cs), 4)+` ON CONFLICT (id) DO NOTHING`, args...); err != nil {
			return fmt.Errorf("record %d conflicts: %w", len(cs), err)
		}
	}
	for _, r := range m.rejections {
		if err := stmts.exec(ctx, `INSERT INTO rejections (device_id, seq, tbl, row_id, field, reason_id, reason_en, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (device_id, seq) DO UPDATE SET reason_id = excluded.reason_id, reason_en = excluded.reason_en, at = excluded.at`,
			m.dev.ID, r.seq, r.table, r.rowID, r.field, r.id, r.en, m.now.UnixMilli()); err != nil {
			return fmt.Errorf("record rejection: %w", err)
		}
	}
	return nil
}

// recordsUpsert is the conflict clause of every write of records rows. It
// updates only a row of the writer's own centre: the merge refuses a
// change to another centre's record it has read, but on PostgreSQL two
// centres' pushes run side by side, and a record both create at the same
// moment is new to both merges; the second insert then meets the first's
// row here (TestARecordTwoCentresCreateAtOnceStaysTheFirstsOnPostgres).
// The writers count the rows written (writtenAll).
const recordsUpsert = `ON CONFLICT (tbl, id) DO UPDATE SET seq = excluded.seq, deleted = excluded.deleted, nik = excluded.nik, data = excluded.data, vers = excluded.vers,
	k1 = excluded.k1, k2 = excluded.k2, k3 = excluded.k3 WHERE records.centre_no = excluded.centre_no`

// writtenAll checks that a write of want records rows wrote every one: a
// row left alone by recordsUpsert is another centre's, and the push fails
// whole, as when the merge finds one (the PC's next try is refused the
// same way, with the record named).
func writtenAll(res sql.Result, want int) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != int64(want) {
		return fmt.Errorf("%w: %d of %d records of this batch belong to another centre", ErrForbidden, int64(want)-n, want)
	}
	return nil
}

// writeRecords stores the merged records with the centre seqs after last.
// On PostgreSQL all of them go in one statement of eleven arrays, one per
// column: a VALUES list of 100 rows is 1,100 parameters for the server to
// parse and plan and for pgx to encode, each time. SQLite has no arrays
// and keeps the multi-row VALUES.
func (m *merger) writeRecords(ctx context.Context, stmts *txStmts, last int64) error {
	if len(m.dirty) == 0 {
		return nil
	}
	if !stmts.s.d.dollar {
		return m.writeRecordRows(ctx, stmts, last)
	}
	n := len(m.dirty)
	tbl, id, nik, data, vers := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	k1, k2, k3 := make([]string, n), make([]string, n), make([]string, n)
	seq, centre, deleted := make([]int64, n), make([]int32, n), make([]int32, n)
	for i, r := range m.dirty {
		tbl[i], id[i], centre[i], seq[i], deleted[i], nik[i], data[i], vers[i] = r.key[0], r.key[1], int32(m.centreNo), last+r.ord, int32(r.deleted), r.nik, r.data, r.vers
		k1[i], k2[i], k3[i] = r.k[0], r.k[1], r.k[2]
	}
	res, err := stmts.tx.ExecContext(ctx, `INSERT INTO records (tbl, id, centre_no, seq, deleted, nik, data, vers, k1, k2, k3)
		SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::bigint[], $5::integer[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
		`+recordsUpsert, tbl, id, centre, seq, deleted, nik, data, vers, k1, k2, k3)
	if err != nil {
		return fmt.Errorf("write %d records: %w", n, err)
	}
	return writtenAll(res, n)
}

// writeRecordRows is writeRecords with multi-row VALUES lists (SQLite).
func (m *merger) writeRecordRows(ctx context.Context, stmts *txStmts, last int64) error {
	for start := 0; start < len(m.dirty); start += flushChunk {
		rows := m.dirty[start:min(start+flushChunk, len(m.dirty))]
		args := make([]any, 0, 11*len(rows))
		for _, r := range rows {
			args = append(args, r.key[0], r.key[1], m.centreNo, last+r.ord, r.deleted, r.nik, r.data, r.vers, r.k[0], r.k[1], r.k[2])
		}
		res, err := stmts.run(ctx, `INSERT INTO records (tbl, id, centre_no, seq, deleted, nik, data, vers, k1, k2, k3) VALUES `+valueRows(len(rows), 11)+`
			`+recordsUpsert, args...)
		if err != nil {
			return fmt.Errorf("write %d records: %w", len(rows), err)
		}
		if err := writtenAll(res, len(rows)); err != nil {
			return err
		}
	}
	return nil
}

// valueRows is the VALUES list of n rows of k placeholders each.
func valueRows(n, k int) string {
	row := "(" + strings.Repeat("?, ", k-1) + "?)"
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}
