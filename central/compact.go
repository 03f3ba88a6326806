package central

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
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

// rowKey is what the records table keeps of a record in columns of its
// own. A record's data column leaves these fields out (each was ~43, 50
// and 16 bytes of JSON in every record, a third of an attendance mark's
// data), and decodeData puts them back from the columns.
type rowKey struct {
	id, centre string
	deleted    bool
}

// The fields a data column may leave out, with their bit in the mask that
// the versions column carries (see versionsWithMask).
var rowKeyFields = [...]string{"id", "centre_id", "deleted"}

func (k rowKey) value(i int) any {
	switch i {
	case 0:
		return k.id
	case 1:
		return k.centre
	}
	return k.deleted
}

// encodeData is the stored data of vals, a record's normalised values,
// and the mask of the fields it left out because the row's columns hold
// them. vals is left as it was.
func encodeData(row rowKey, vals map[string]any) (string, int, error) {
	mask := 0
	var kept [len(rowKeyFields)]any
	for i, name := range rowKeyFields {
		if v, ok := vals[name]; ok && v == row.value(i) {
			mask |= 1 << i
			kept[i] = v
			delete(vals, name)
		}
	}
	b, err := json.Marshal(vals)
	for i, name := range rowKeyFields {
		if mask&(1<<i) != 0 {
			vals[name] = kept[i]
		}
	}
	return string(b), mask, err
}

// withMask prefixes encoded versions with the mask of the fields their
// row's data left out: "*<mask>" before the grouped text. The prefix
// also lets a pull measure the row as it was stored before (legacySize).
func withMask(vers string, mask int) string {
	if mask == 0 {
		return vers
	}
	return "*" + strconv.Itoa(mask) + vers
}

// splitMask undoes withMask.
func splitMask(vers string) (string, int) {
	if len(vers) >= 2 && vers[0] == '*' && vers[1] >= '0' && vers[1] <= '7' {
		return vers[2:], int(vers[1] - '0')
	}
	return vers, 0
}

// legacySize is the length of a row's data and versions as they were
// stored before the fields of rowKey were left out. A pull page is
// bounded by this sum, and keeping the measure keeps every page the same
// as before.
func legacySize(tbl, data, vers string, row rowKey) int {
	vers, mask := splitMask(vers)
	n, added := len(data)+legacyVersionsLen(tbl, vers), 0
	for i, name := range rowKeyFields {
		if mask&(1<<i) == 0 {
			continue
		}
		v, _ := json.Marshal(row.value(i))
		n += len(name) + 3 + len(v) // "name":value
		added++
	}
	if added > 0 {
		n += added // commas between the entries
		if data == "{}" {
			n-- // ... and there were none before
		}
	}
	return n
}

// compactData rewrites every stored record whose data still holds the
// fields of rowKey (every record made before this migration) into the
// compact form. Records whose versions are still the first JSON form are
// left as they are: they are rewritten at their next change, as before.
// The JSON is edited, not decoded and encoded again, and a row is only
// rewritten when legacySize gives back its exact stored size, so every
// pull page stays as it was. The migration's transaction makes it all or
// nothing.
func compactData(ctx context.Context, s *sqlStorage, tx *sql.Tx) error {
	return rewriteRecords(ctx, s, tx, func(r storedRecord) (string, string, error) {
		if !strings.HasPrefix(r.vers, "~") {
			return "", "", nil
		}
		var held map[string]json.RawMessage
		if err := json.Unmarshal([]byte(r.data), &held); err != nil {
			return "", "", fmt.Errorf("%s %s: %w", r.tbl, r.key.id, err)
		}
		mask := 0
		for i, name := range rowKeyFields {
			want, _ := json.Marshal(r.key.value(i))
			if v, ok := held[name]; ok && bytes.Equal(v, want) {
				mask |= 1 << i
				delete(held, name)
			}
		}
		if mask == 0 {
			return "", "", nil
		}
		b, err := json.Marshal(held)
		if err != nil {
			return "", "", err
		}
		return string(b), withMask(r.vers, mask), nil
	})
}

// numberVersions rewrites the stored versions in the grouped form by name
// (encodeVersions) into the form by field number (encodeVersionsOf).
func numberVersions(ctx context.Context, s *sqlStorage, tx *sql.Tx) error {
	return rewriteRecords(ctx, s, tx, func(r storedRecord) (string, string, error) {
		vers, mask := splitMask(r.vers)
		if !strings.HasPrefix(vers, "~") {
			return "", "", nil
		}
		v, err := decodeVersions(vers)
		if err != nil {
			return "", "", fmt.Errorf("%s %s: %w", r.tbl, r.key.id, err)
		}
		return r.data, withMask(encodeVersionsOf(r.tbl, v, nil), mask), nil
	})
}

// numberDevices rewrites the devices of the stored versions by field
// number from their UUID to their number in the record's centre
// (devnos.go).
func numberDevices(ctx context.Context, s *sqlStorage, tx *sql.Tx) error {
	if err := s.loadDeviceNumbers(ctx, tx); err != nil {
		return err
	}
	return rewriteRecords(ctx, s, tx, func(r storedRecord) (string, string, error) {
		vers, mask := splitMask(r.vers)
		if !strings.HasPrefix(vers, "^") {
			return "", "", nil
		}
		v, err := decodeVersionsOf(r.tbl, vers, s.deviceOf(ctx, tx, r.key.centre))
		if err != nil {
			return "", "", fmt.Errorf("%s %s: %w", r.tbl, r.key.id, err)
		}
		numbered := withMask(encodeVersionsOf(r.tbl, v, s.numberIn(r.key.centre, Device{})), mask)
		if numbered == r.vers {
			return "", "", nil
		}
		return r.data, numbered, nil
	})
}

// storedRecord is a row of the records table as a migration reads it.
type storedRecord struct {
	tbl        string
	key        rowKey
	data, vers string
}

// rewriteRecords runs fn over every stored record, a page at a time so a
// national database is never held in memory, and stores the data and
// versions it returns (none: the row stays). A row is only rewritten when
// legacySize gives back its exact stored size, so every pull page stays
// as it was.
func rewriteRecords(ctx context.Context, s *sqlStorage, tx *sql.Tx, fn func(storedRecord) (string, string, error)) error {
	lastTbl, lastID := "", ""
	for {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT tbl, id, centre_id, deleted, data, vers FROM records WHERE (tbl, id) > (?, ?) ORDER BY tbl, id LIMIT 2000`), lastTbl, lastID)
		if err != nil {
			return err
		}
		var page []storedRecord
		for rows.Next() {
			var r storedRecord
			var deleted int
			if err := rows.Scan(&r.tbl, &r.key.id, &r.key.centre, &deleted, &r.data, &r.vers); err != nil {
				rows.Close()
				return err
			}
			r.key.deleted = deleted != 0
			page = append(page, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		lastTbl, lastID = page[len(page)-1].tbl, page[len(page)-1].key.id
		for _, r := range page {
			data, vers, err := fn(r)
			if err != nil {
				return err
			}
			if vers == "" || legacySize(r.tbl, data, vers, r.key) != legacySize(r.tbl, r.data, r.vers, r.key) {
				continue // nothing to do, or not as this server writes: left as it is
			}
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE records SET data = ?, vers = ? WHERE tbl = ? AND id = ?`), data, vers, r.tbl, r.key.id); err != nil {
				return err
			}
		}
	}
}
