package central

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/kemnaker/blk/domain"
)

// A table's Projection (declared in domain) names the fields copied out of
// a record's JSON into the records table's k1, k2 and k3 columns when it is
// written, so the ministry's national reports group and join on plain
// indexed columns instead of parsing the JSON of every record (at 1.5
// million trainees the difference between seconds and minutes).

// projection is the k1..k3 values of a record of table t.
func projection(t *domain.Table, vals map[string]any) [3]string {
	var out [3]string
	for i, f := range t.Projection {
		if f == "" {
			continue
		}
		if v, ok := vals[f]; ok && v != nil {
			out[i] = fmt.Sprint(v)
		}
	}
	return out
}

// migrations run once each, in order, after the base schema; the
// schema_version row counts those applied.
var migrations = []func(ctx context.Context, s *sqlStorage, tx *sql.Tx) error{
	addProjection,
	addCertificateIssuers,
	addSummaries,
	compactIndexes,
	compactData,
	numberVersions,
	numberDevices,
	projectionOutOfData,
	numberCentres,
	dataByPosition,
}

// addProjection adds k1..k3 to a server database made before them and
// fills them from the stored records.
func addProjection(ctx context.Context, s *sqlStorage, tx *sql.Tx) error {
	var has int
	q := `SELECT count(*) FROM pragma_table_info('records') WHERE name = 'k1'`
	if s.d.name == "postgres" {
		q = `SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'records' AND column_name = 'k1'`
	}
	if err := tx.QueryRowContext(ctx, q).Scan(&has); err != nil {
		return err
	}
	if has == 0 {
		for _, col := range []string{"k1", "k2", "k3"} {
			if _, err := tx.ExecContext(ctx, `ALTER TABLE records ADD COLUMN `+col+` TEXT NOT NULL DEFAULT ''`); err != nil {
				return err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE INDEX IF NOT EXISTS records_projection ON records (tbl, deleted, k2, k1)`); err != nil {
		return err
	}
	for _, t := range domain.Tables {
		if t.Projection == ([3]string{}) {
			continue
		}
		tbl := t.Name
		rows, err := tx.QueryContext(ctx, s.q(`SELECT id, data FROM records WHERE tbl = ?`), tbl)
		if err != nil {
			return err
		}
		type upd struct {
			id string
			k  [3]string
		}
		var ups []upd
		for rows.Next() {
			var id, data string
			if err := rows.Scan(&id, &data); err != nil {
				rows.Close()
				return err
			}
			vals, err := decodeData(t, rowKey{id: id}, 0, data)
			if err != nil {
				rows.Close()
				return fmt.Errorf("%s %s: %w", tbl, id, err)
			}
			ups = append(ups, upd{id, projection(t, vals)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, u := range ups {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE records SET k1 = ?, k2 = ?, k3 = ? WHERE tbl = ? AND id = ?`), u.k[0], u.k[1], u.k[2], tbl, u.id); err != nil {
				return err
			}
		}
	}
	return nil
}
