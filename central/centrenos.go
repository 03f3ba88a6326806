package central

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
)

// Every record row used to carry its centre's id, a 36-character UUID, in
// the row and in the keys of both indexes that lead with the centre
// (docs/PERFORMANCE.md, "Storage per trainee"). A centre now has a number
// on this server (centres.centre_no: 0 for the national reference data,
// then 1, 2, … in the order centres were made, never changed or reused),
// and the records table carries that number instead.

// centreNoOf is the number the records table knows a centre by, for the
// centre id given as the next parameter (NULL for an unknown centre,
// which no record matches).
const centreNoOf = `(SELECT centre_no FROM centres WHERE id = ?)`

// centreIDOf is the id of the centre of a row of the records table, in a
// query where that table has no alias.
const centreIDOf = `(SELECT c.id FROM centres c WHERE c.centre_no = records.centre_no)`

// recordsLayout is the records table since numberCentres. Its fixed-width
// columns come first: PostgreSQL then pads none of them.
const recordsLayout = `(seq BIGINT NOT NULL, centre_no INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, tbl TEXT NOT NULL, id TEXT NOT NULL,
	nik TEXT NOT NULL DEFAULT '', data TEXT NOT NULL, vers TEXT NOT NULL, k1 TEXT NOT NULL DEFAULT '', k2 TEXT NOT NULL DEFAULT '', k3 TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (tbl, id))`

// recordsIndexes are the records table's secondary indexes since
// numberCentres (compactIndexes says why these).
var recordsIndexes = []string{
	`CREATE INDEX IF NOT EXISTS records_centre_seq ON records (centre_no, seq)`,
	`CREATE INDEX IF NOT EXISTS records_centre_tables ON records (centre_no, tbl)`,
	`CREATE INDEX IF NOT EXISTS records_nik ON records (nik) WHERE nik <> ''`,
	`CREATE INDEX IF NOT EXISTS records_projection ON records (tbl, deleted, k2, k1)`,
	`CREATE INDEX IF NOT EXISTS records_certificate_no ON records (k1) WHERE tbl = 'certificates'`,
}

// centresNumbered is the schema version from which records carry centre
// numbers: the base schema's indexes on records.centre_id are only made
// before it.
func centresNumbered() int { return migrationIndex(numberCentres) + 1 }

// nextCentreNo is the number the next centre gets; the caller holds the
// reference data's row lock, which serialises registrations.
func (s *sqlStorage) nextCentreNo(ctx context.Context, q querier) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, `SELECT coalesce(max(centre_no), 0) FROM centres`).Scan(&n)
	return n + 1, err
}

// numberCentres gives every centre its number and rebuilds the records
// table with the number in place of the centre id, in one statement and
// in the order a pull reads (centre, seq). The rows keep everything else
// as it was, so every answer stays byte for byte. A record of a centre
// the centres table does not have stops the upgrade (nothing is changed):
// no server writes one.
func numberCentres(ctx context.Context, s *sqlStorage, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `ALTER TABLE centres ADD COLUMN centre_no INTEGER NOT NULL DEFAULT 0`); err != nil {
		return err
	}
	var orphans int64
	var orphan string
	if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(min(centre_id), '') FROM records r WHERE NOT EXISTS (SELECT 1 FROM centres c WHERE c.id = r.centre_id)`).Scan(&orphans, &orphan); err != nil {
		return err
	}
	if orphans > 0 {
		// The operator can only fix it with the binary in use before the
		// upgrade: this one does not open the database until it passes.
		return fmt.Errorf("%d records belong to no centre the server knows (centre %q among them); nothing was changed: register each such centre with the blk-server in use before this upgrade (centre add --id ID --name … --region …), then start this one again", orphans, orphan)
	}
	for _, st := range []string{
		`UPDATE centres SET centre_no = n.no FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS no FROM centres WHERE id <> '') AS n WHERE centres.id = n.id`,
		`CREATE UNIQUE INDEX centres_no ON centres (centre_no)`,
		`CREATE TABLE records_numbered ` + recordsLayout,
		`INSERT INTO records_numbered (seq, centre_no, deleted, tbl, id, nik, data, vers, k1, k2, k3)
			SELECT r.seq, c.centre_no, r.deleted, r.tbl, r.id, r.nik, r.data, r.vers, r.k1, r.k2, r.k3 FROM records r JOIN centres c ON c.id = r.centre_id ORDER BY c.centre_no, r.seq`,
	} {
		if _, err := tx.ExecContext(ctx, st); err != nil {
			return fmt.Errorf("%.60s…: %w", st, err)
		}
	}
	return replaceRecords(ctx, s, tx, "records_numbered")
}

// replaceRecords makes the table next, filled in recordsLayout, the
// records table, with its indexes and statistics.
func replaceRecords(ctx context.Context, s *sqlStorage, tx *sql.Tx, next string) error {
	sts := []string{`DROP TABLE records`, `ALTER TABLE ` + next + ` RENAME TO records`}
	if s.d.name == "postgres" {
		sts = append(sts, `ALTER TABLE records RENAME CONSTRAINT `+next+`_pkey TO records_pkey`)
	}
	for _, st := range append(sts, recordsIndexes...) {
		if _, err := tx.ExecContext(ctx, st); err != nil {
			return err
		}
	}
	if s.d.name == "postgres" {
		// The new table has no statistics, and PostgreSQL plans without
		// them as if every table had one row (see Analyze).
		_, err := tx.ExecContext(ctx, `ANALYZE records`)
		return err
	}
	return nil
}

// centreColumn is what a migration selects from the records table for a
// row's centre id: the column before numberCentres, its number's centre
// after.
func centreColumn(ctx context.Context, s *sqlStorage, tx *sql.Tx) (string, error) {
	q := `SELECT count(*) FROM pragma_table_info('records') WHERE name = 'centre_id'`
	if s.d.name == "postgres" {
		q = `SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'records' AND column_name = 'centre_id'`
	}
	var has int
	if err := tx.QueryRowContext(ctx, q).Scan(&has); err != nil {
		return "", err
	}
	if has > 0 {
		return "centre_id", nil
	}
	return centreIDOf, nil
}

// migrationIndex is the position of m in migrations.
func migrationIndex(m func(context.Context, *sqlStorage, *sql.Tx) error) int {
	for i, f := range migrations {
		if reflect.ValueOf(f).Pointer() == reflect.ValueOf(m).Pointer() {
			return i
		}
	}
	panic("not a migration")
}
