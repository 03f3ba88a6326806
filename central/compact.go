package central

import (
	"context"
	"database/sql"
)

// The server's storage per trainee (docs/PERFORMANCE.md, "Storage per
// trainee") is mostly the records table's rows and index keys. The
// migrations here make both smaller without changing what any query or
// API answers.

// compactIndexes replaces two indexes by smaller ones that serve the same
// queries:
//
//   - (centre_id, tbl, id) becomes (centre_id, tbl). Its readers (a push's
//     summary refresh, exports, the kemandirian walk) read a centre's
//     whole table; none needs the index's id order (an export sorts one
//     centre's table, and PostgreSQL's ids sort by COLLATE "C", which
//     the index's collation did not give anyway). Without the id every
//     key of a centre's table is equal, which PostgreSQL's B-tree stores
//     once with a list of row pointers: 5.0 MB became 0.27 MB at 5 × 500.
//   - (tbl, k1) becomes (k1) WHERE tbl = 'certificates': the only lookup
//     by k1 is a certificate by its number; the tracer's join on k1 goes
//     through the primary key of trainees.
func compactIndexes(ctx context.Context, s *sqlStorage, tx *sql.Tx) error {
	for _, st := range []string{
		`DROP INDEX IF EXISTS records_centre_tbl`,
		`CREATE INDEX IF NOT EXISTS records_centre_tables ON records (centre_id, tbl)`,
		`DROP INDEX IF EXISTS records_k1`,
		`CREATE INDEX IF NOT EXISTS records_certificate_no ON records (k1) WHERE tbl = 'certificates'`,
	} {
		if _, err := tx.ExecContext(ctx, st); err != nil {
			return err
		}
	}
	return nil
}
