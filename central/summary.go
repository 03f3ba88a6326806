package central

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/kemnaker/blk/domain"
)

// Summary tables: the dashboard's national figures are sums over a few rows
// per centre, kept up to date in the transaction that changes the records
// they count, the way DHIS2 keeps analytics tables beside the data. A page
// then reads some tens of thousands of summary rows at national size
// instead of scanning millions of records.
//
//   - summary (centre_id, kind, code, n1, n2): per centre
//     kind "centre"     code ""         n1 trainees, n2 graduates
//     kind "province"   code province   n1 trainees, n2 graduates
//     kind "field"      code field      n1 trainees, n2 graduates (distinct per field)
//     kind "outcome"    code status     n1 trainees whose latest tracer answer has it
//     kind "warn"       code field|""   n1 trainees with a warning on field ("" any field)
//     kind "conflicts"  code ""         n1 open conflicts
//     kind "rejections" code ""         n1 rejected changes of the centre's PCs
//   - trainee_warnings (id, centre_id, fields): the live trainees whose
//     record has validation warnings, worked out when the merge validates
//     the record (so the summary never re-validates a centre).
//
// Duplicated NIKs are not kept here: a NIK is shared across centres, and
// keeping a list of its holders exact made pushes that add a NIK many
// centres hold wait for each other (docs/PERFORMANCE.md); they are read
// from the records' nik index when asked.
//
// A push recomputes the parts of its centre's rows that the tables it
// wrote feed: a centre is small (a few thousand trainees), and its rows
// are reached through the (centre_id, tbl) index. A trainee belongs to
// one centre, as do the enrollments and outcomes that name them, so
// national figures are sums of the centres' rows.
//
// Warnings are worked out with the server's date of the write; an age
// warning that appears later with time alone shows at the next write of
// that trainee or at RebuildSummaries.

const summarySchemaSQL = `CREATE TABLE IF NOT EXISTS summary (centre_id TEXT NOT NULL, kind TEXT NOT NULL, code TEXT NOT NULL, n1 BIGINT NOT NULL, n2 BIGINT NOT NULL, PRIMARY KEY (centre_id, kind, code))`

var summarySchema = []string{
	summarySchemaSQL,
	`CREATE INDEX IF NOT EXISTS summary_kind ON summary (kind, code)`,
	`CREATE TABLE IF NOT EXISTS trainee_warnings (id TEXT PRIMARY KEY, centre_id TEXT NOT NULL, fields TEXT NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS trainee_warnings_centre ON trainee_warnings (centre_id)`,
}

// Parts of a centre's summary, refreshed separately.
const (
	partCentre = 1 << iota
	partProvince
	partField
	partOutcome
	partWarn
	partConflicts
	partRejections
	partAll = 1<<iota - 1
)

// partKinds names the summary kinds of each part.
var partKinds = []struct {
	part int
	kind string
}{
	{partCentre, "centre"}, {partProvince, "province"}, {partField, "field"}, {partOutcome, "outcome"},
	{partWarn, "warn"}, {partConflicts, "conflicts"}, {partRejections, "rejections"},
}

// tableParts is the summary parts a write to a table changes.
func tableParts(tbl string) int {
	switch tbl {
	case "trainees":
		return partCentre | partProvince | partWarn
	case "enrollments":
		return partCentre | partProvince | partField
	case "cohorts", "programmes":
		return partField
	case "outcomes":
		return partOutcome
	}
	return 0
}

// dbtx is a transaction (or a database handle) that reads and writes.
type dbtx interface {
	querier
	execer
}

// addSummaries creates the summary tables and fills them from the records
// (the backfill of a database made before them).
func addSummaries(ctx context.Context, s *sqlStorage, tx *sql.Tx) error {
	for _, st := range summarySchema {
		if _, err := tx.ExecContext(ctx, st); err != nil {
			return err
		}
	}
	// Filled by today's code, which reads the records in their last
	// layout: after the upgrade's last migration (see migrate).
	s.summariesToBuild = true
	return nil
}

// RebuildSummaries recomputes every summary table from the records (after
// a restore from an old backup, or to check them; `blk-server summaries`).
func RebuildSummaries(ctx context.Context, st Storage) error {
	s, ok := st.(*sqlStorage)
	if !ok {
		return fmt.Errorf("this storage has no summary tables")
	}
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := s.rebuildSummaries(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *sqlStorage) rebuildSummaries(ctx context.Context, tx dbtx) error {
	for _, t := range []string{"summary", "trainee_warnings"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return fmt.Errorf("rebuild summaries: %w", err)
		}
	}
	// Warnings: validate every live trainee once, a page at a time so a
	// national database is never held in memory.
	t := domain.LookupTable("trainees")
	now := s.now()
	after := ""
	for {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT id, `+centreIDOf+` AS row_centre, k1, k2, k3, data FROM records WHERE tbl = 'trainees' AND deleted = 0 AND `+s.d.orderID+` > ? ORDER BY `+s.d.orderID+` LIMIT 2000`), after)
		if err != nil {
			return fmt.Errorf("rebuild summaries: trainees: %w", err)
		}
		var ws []traineeWarn
		n := 0
		for rows.Next() {
			var id, centre, data string
			var k [3]string
			if err := rows.Scan(&id, &centre, &k[0], &k[1], &k[2], &data); err != nil {
				rows.Close()
				return err
			}
			n++
			after = id
			rec, err := recordOf(t, rowKey{id: id, centre: centre, k: k}, data)
			if err != nil {
				rows.Close()
				return fmt.Errorf("trainee %s: %w", id, err)
			}
			if f := warningFields(domain.Validate(rec, domain.Rules{Now: now})); f != "" {
				ws = append(ws, traineeWarn{id, centre, f})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := s.insertWarnings(ctx, tx, ws); err != nil {
			return err
		}
		if n == 0 {
			break
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM centres WHERE id <> ''`)
	if err != nil {
		return err
	}
	var centres []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		centres = append(centres, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range centres {
		if err := s.refreshSummary(ctx, tx, c, partAll); err != nil {
			return err
		}
	}
	return nil
}

type traineeWarn struct{ id, centre, fields string }

// warningFields is the sorted, comma-separated fields of ps's warnings.
func warningFields(ps domain.Problems) string {
	var fs []string
	seen := map[string]bool{}
	for _, w := range ps.Warnings() {
		if !seen[w.Field] {
			seen[w.Field] = true
			fs = append(fs, w.Field)
		}
	}
	sort.Strings(fs)
	return strings.Join(fs, ",")
}

func (s *sqlStorage) insertWarnings(ctx context.Context, tx execer, ws []traineeWarn) error {
	for start := 0; start < len(ws); start += flushChunk {
		part := ws[start:min(start+flushChunk, len(ws))]
		args := make([]any, 0, 3*len(part))
		for _, w := range part {
			args = append(args, w.id, w.centre, w.fields)
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO trainee_warnings (id, centre_id, fields) VALUES `+valueRows(len(part), 3)+`
			ON CONFLICT (id) DO UPDATE SET centre_id = excluded.centre_id, fields = excluded.fields`), args...); err != nil {
			return fmt.Errorf("trainee warnings: %w", err)
		}
	}
	return nil
}

// updateSummaries brings the summary tables up to date with what merger m
// has just written in tx: the warnings of the trainees it wrote, the
// duplicate NIKs they hold or held, and the parts of the centre's summary
// that the written tables feed.
func (s *sqlStorage) updateSummaries(ctx context.Context, tx dbtx, m *merger) error {
	parts := 0
	if len(m.conflicts) > 0 {
		parts |= partConflicts
	}
	if len(m.rejections) > 0 {
		parts |= partRejections
	}
	var ws []traineeWarn
	var gone []any
	centres := map[string]bool{}
	for _, r := range m.dirty {
		parts |= tableParts(r.key[0])
		centres[r.centre] = true
		if r.key[0] != "trainees" {
			continue
		}
		if r.deleted == 0 && r.warn != "" {
			ws = append(ws, traineeWarn{r.key[1], r.centre, r.warn})
		} else if _, stored := m.seen[r.key]; stored {
			// A trainee the merge did not read from the records (new to
			// the server) has no warnings row to delete: the rows are
			// only written with their record. Most of a first upload.
			gone = append(gone, r.key[1])
		}
	}
	if parts == 0 {
		// Nothing counted changed; a kept copy of the counted rows
		// stays good at the centre's new seq.
		if m.seqLocked && m.events > 0 {
			if kept := s.counted.take(m.dev.CentreID, m.seqBefore); kept != nil {
				kept.seq = m.seqBefore + m.events
				m.counted = kept
			}
		}
		return nil
	}
	for start := 0; start < len(gone); start += 500 {
		part := gone[start:min(start+500, len(gone))]
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM trainee_warnings WHERE id IN (`+placeholders(len(part))+`)`), part...); err != nil {
			return fmt.Errorf("trainee warnings: %w", err)
		}
	}
	if err := s.insertWarnings(ctx, tx, ws); err != nil {
		return err
	}
	if len(centres) == 0 {
		centres[m.dev.CentreID] = true
	}
	for c := range centres {
		if c == "" {
			continue // national reference data
		}
		region := ""
		if c == m.centre {
			region = m.region
		}
		var kept *centreRows
		if m.seqLocked && c == m.dev.CentreID {
			if kept = s.counted.take(c, m.seqBefore); kept != nil {
				kept.add(m.dirty)
			} else if len(m.dirty) >= countedFrom {
				// a large push: likely one of an upload's batches
				var err error
				if kept, err = s.readCentreRows(ctx, tx, c); err != nil {
					return err
				}
			}
			if kept != nil {
				kept.seq = m.seqBefore + m.events
				m.counted = kept
			}
		}
		if err := s.recount(ctx, tx, c, region, parts, kept); err != nil {
			return err
		}
	}
	return nil
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// summaryRow is one row of the summary table.
type summaryRow struct {
	kind, code string
	n1, n2     int64
}

// refreshSummary recomputes the given parts of centre's summary rows from
// its records.
func (s *sqlStorage) refreshSummary(ctx context.Context, tx dbtx, centre string, parts int) error {
	return s.recount(ctx, tx, centre, "", parts, nil)
}

// recount recomputes the given parts of centre's summary rows, with the
// centre's region when the caller has read it ("": read it here if a part
// needs it), from its counted rows when kept holds them (counted.go), else
// from its records.
func (s *sqlStorage) recount(ctx context.Context, tx dbtx, centre, region string, parts int, kept *centreRows) error {
	var out []summaryRow
	var kinds []any
	for _, pk := range partKinds {
		if parts&pk.part != 0 {
			kinds = append(kinds, pk.kind)
		}
	}
	counts := func(kind, query string, args ...any) error {
		rows, err := tx.QueryContext(ctx, s.q(query), args...)
		if err != nil {
			return fmt.Errorf("summary %s of centre %s: %w", kind, centre, err)
		}
		defer rows.Close()
		for rows.Next() {
			var code sql.NullString
			var a, b sql.NullInt64
			if err := rows.Scan(&code, &a, &b); err != nil {
				return err
			}
			out = append(out, summaryRow{kind, code.String, a.Int64, b.Int64})
		}
		return rows.Err()
	}
	// The parts read the centre's live rows of the tables they need, all
	// in one query through the (centre_no, tbl) index, and count in Go:
	// no join or subquery for a planner to get wrong while statistics
	// lag a bulk load.
	type row3 = countedRow
	var tables []any
	for _, need := range []struct {
		tbl   string
		parts int
	}{
		{"enrollments", partCentre | partProvince | partField}, {"trainees", partCentre | partProvince},
		{"programmes", partField}, {"cohorts", partField}, {"outcomes", partOutcome},
	} {
		if parts&need.parts != 0 {
			tables = append(tables, need.tbl)
		}
	}
	// The warnings part's rows come in the same query, as rows of table
	// "" (no record has it) with the fields in k1: one round trip less.
	var reads []string
	var readArgs []any
	if len(tables) > 0 && kept == nil {
		// The (centre_no, tbl) index, and nothing a planner with
		// stale statistics could prefer (deleted is checked here).
		reads = append(reads, `SELECT tbl, id, k1, k2, k3, deleted FROM records WHERE centre_no = `+centreNoOf+` AND tbl IN (`+placeholders(len(tables))+`)`)
		readArgs = append(append(readArgs, centre), tables...)
	}
	if parts&partWarn != 0 {
		reads = append(reads, `SELECT '', id, fields, '', '', 0 FROM trainee_warnings WHERE centre_id = ?`)
		readArgs = append(readArgs, centre)
	}
	live := map[string][]row3{}
	if len(reads) > 0 {
		rows, err := tx.QueryContext(ctx, s.q(strings.Join(reads, " UNION ALL ")), readArgs...)
		if err != nil {
			return fmt.Errorf("summary of centre %s: %w", centre, err)
		}
		for rows.Next() {
			var tbl string
			var r row3
			var deleted int
			if err := rows.Scan(&tbl, &r.id, &r.k1, &r.k2, &r.k3, &deleted); err != nil {
				rows.Close()
				return err
			}
			if deleted == 0 {
				live[tbl] = append(live[tbl], r)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("summary of centre %s: %w", centre, err)
		}
	}
	if kept != nil {
		// the rows kept since the centre's last push (counted.go)
		for _, tbl := range tables {
			for _, r := range kept.tables[tbl.(string)] {
				if !r.deleted {
					live[tbl.(string)] = append(live[tbl.(string)], r)
				}
			}
		}
	}
	read := func(tbl string, fn func(row3)) error {
		for _, r := range live[tbl] {
			fn(r)
		}
		return nil
	}
	var enrols []countedRow
	graduated := map[string]bool{}
	if parts&(partCentre|partProvince|partField) != 0 {
		if err := read("enrollments", func(r countedRow) {
			enrols = append(enrols, r)
			if r.k2 == domain.EnrollmentCompleted {
				graduated[r.k1] = true
			}
		}); err != nil {
			return err
		}
	}
	if parts&(partCentre|partProvince) != 0 {
		if region == "" {
			if err := tx.QueryRowContext(ctx, s.q(`SELECT region FROM centres WHERE id = ?`), centre).Scan(&region); err != nil {
				return fmt.Errorf("summary of centre %s: %w", centre, err)
			}
		}
		// A trainee without a village counts in the centre's province.
		own := region[:min(2, len(region))]
		var trainees, grads int64
		prov := map[string]*summaryRow{}
		var order []string
		if err := read("trainees", func(r countedRow) {
			code := r.k1[:min(2, len(r.k1))]
			if code == "" {
				code = own
			}
			p := prov[code]
			if p == nil {
				p = &summaryRow{kind: "province", code: code}
				prov[code] = p
				order = append(order, code)
			}
			p.n1++
			trainees++
			if graduated[r.id] {
				p.n2++
				grads++
			}
		}); err != nil {
			return err
		}
		if parts&partCentre != 0 {
			// Graduates are trainees with a completed enrollment, whether
			// or not the trainee record is still live.
			out = append(out, summaryRow{"centre", "", trainees, int64(len(graduated))})
		}
		if parts&partProvince != 0 {
			for _, c := range order {
				out = append(out, *prov[c])
			}
		}
	}
	if parts&partField != 0 {
		// enrollment → cohort → programme → field (k1 of each).
		cohorts, fields := map[string]string{}, map[string]string{}
		if err := read("programmes", func(r countedRow) { fields[r.id] = r.k1 }); err != nil {
			return err
		}
		if err := read("cohorts", func(r countedRow) { cohorts[r.id] = r.k1 }); err != nil {
			return err
		}
		type pair struct{ field, tid string }
		in, done := map[pair]bool{}, map[pair]bool{}
		by := map[string]*summaryRow{}
		var order []string
		for _, e := range enrols {
			prog, ok := cohorts[e.k3]
			if !ok {
				continue
			}
			fc, ok := fields[prog]
			if !ok {
				continue
			}
			b := by[fc]
			if b == nil {
				b = &summaryRow{kind: "field", code: fc}
				by[fc] = b
				order = append(order, fc)
			}
			if k := (pair{fc, e.k1}); !in[k] {
				in[k] = true
				b.n1++
			}
			if k := (pair{fc, e.k1}); e.k2 == domain.EnrollmentCompleted && !done[k] {
				done[k] = true
				b.n2++
			}
		}
		for _, c := range order {
			out = append(out, *by[c])
		}
	}
	if parts&partOutcome != 0 {
		last := map[string]latestOutcome{}
		if err := read("outcomes", func(r countedRow) {
			last[r.k1] = last[r.k1].later(r.k3, r.id, r.k2)
		}); err != nil {
			return err
		}
		by := map[string]int64{}
		for _, l := range last {
			by[l.status]++
		}
		for st, n := range by {
			out = append(out, summaryRow{"outcome", st, n, 0})
		}
	}
	if parts&partWarn != 0 {
		by := map[string]int64{}
		for _, w := range live[""] {
			by[""]++
			for _, f := range strings.Split(w.k1, ",") {
				by[f]++
			}
		}
		for f, n := range by {
			out = append(out, summaryRow{"warn", f, n, 0})
		}
	}
	if parts&partConflicts != 0 {
		// Conflict bodies carry the resolved flag; decoding them in Go
		// avoids comparing JSON booleans, which the backends render
		// differently.
		rows, err := tx.QueryContext(ctx, s.q(`SELECT body FROM conflicts WHERE centre_id = ?`), centre)
		if err != nil {
			return fmt.Errorf("summary conflicts of centre %s: %w", centre, err)
		}
		var open int64
		for rows.Next() {
			var body string
			if err := rows.Scan(&body); err != nil {
				rows.Close()
				return err
			}
			var cf domain.Conflict
			if json.Unmarshal([]byte(body), &cf) == nil && !cf.Resolved {
				open++
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		out = append(out, summaryRow{"conflicts", "", open, 0})
	}
	if parts&partRejections != 0 {
		if err := counts("rejections", `SELECT '', count(*), 0 FROM rejections r JOIN devices d ON d.id = r.device_id WHERE d.centre_id = ?`, centre); err != nil {
			return err
		}
	}
	if s.d.dollar {
		return s.replaceSummary(ctx, tx, centre, kinds, out)
	}
	args := append([]any{centre}, kinds...)
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM summary WHERE centre_id = ? AND kind IN (`+placeholders(len(kinds))+`)`), args...); err != nil {
		return fmt.Errorf("summary of centre %s: %w", centre, err)
	}
	for start := 0; start < len(out); start += flushChunk {
		part := out[start:min(start+flushChunk, len(out))]
		args := make([]any, 0, 5*len(part))
		for _, r := range part {
			args = append(args, centre, r.kind, r.code, r.n1, r.n2)
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO summary (centre_id, kind, code, n1, n2) VALUES `+valueRows(len(part), 5)), args...); err != nil {
			return fmt.Errorf("summary of centre %s: %w", centre, err)
		}
	}
	return nil
}

// replaceSummary makes centre's summary rows of kinds exactly out, in one
// PostgreSQL statement: rows whose figures changed are updated, new ones
// inserted, the others of those kinds deleted; unchanged rows are left
// alone. (The delete and the upsert work on the rows as they were when
// the statement began, so none is touched twice.) SQLite deletes the
// kinds and inserts out.
func (s *sqlStorage) replaceSummary(ctx context.Context, tx dbtx, centre string, kinds []any, out []summaryRow) error {
	ks := make([]string, len(kinds))
	for i, k := range kinds {
		ks[i] = k.(string)
	}
	kind, code, n1, n2 := make([]string, len(out)), make([]string, len(out)), make([]int64, len(out)), make([]int64, len(out))
	for i, r := range out {
		kind[i], code[i], n1[i], n2[i] = r.kind, r.code, r.n1, r.n2
	}
	if _, err := tx.ExecContext(ctx, `WITH fresh (kind, code, n1, n2) AS (SELECT * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[])),
		upsert AS (INSERT INTO summary (centre_id, kind, code, n1, n2) SELECT $1, kind, code, n1, n2 FROM fresh
			ON CONFLICT (centre_id, kind, code) DO UPDATE SET n1 = excluded.n1, n2 = excluded.n2
			WHERE summary.n1 <> excluded.n1 OR summary.n2 <> excluded.n2)
		DELETE FROM summary s WHERE s.centre_id = $1 AND s.kind = ANY($6::text[])
			AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.kind = s.kind AND f.code = s.code)`,
		centre, kind, code, n1, n2, ks); err != nil {
		return fmt.Errorf("summary of centre %s: %w", centre, err)
	}
	return nil
}

// latestOutcome is a trainee's latest tracer answer so far: the latest
// survey date, then the greatest id.
type latestOutcome struct{ on, id, status string }

func (l latestOutcome) later(on, id, status string) latestOutcome {
	if l.id == "" || on > l.on || (on == l.on && id > l.id) {
		return latestOutcome{on, id, status}
	}
	return l
}
