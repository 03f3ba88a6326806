package central

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/kemnaker/blk/domain"
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
	k          [3]string // the projection columns k1..k3 (project.go)
}

// The fields a data column may leave out, with their bit in the mask that
// the versions column carries (see withMask): the row's id, centre and
// deleted flag, and (bits 3 to 5) the text fields the table projects into
// k1..k3 (an enrollment's trainee, status and cohort, …).
var rowKeyFields = [...]string{"id", "centre_id", "deleted"}

// leftOut names the fields a record of t may leave out of its data, by
// their bit ("" for none).
func leftOut(t *domain.Table) [6]string {
	out := [6]string{rowKeyFields[0], rowKeyFields[1], rowKeyFields[2]}
	if t == nil {
		return out
	}
	for i, name := range t.Projection {
		if f, ok := t.Field(name); ok && name != "" && f.Kind == domain.KindText {
			out[3+i] = name
		}
	}
	return out
}

func (k rowKey) value(i int) any {
	switch i {
	case 0:
		return k.id
	case 1:
		return k.centre
	case 2:
		return k.deleted
	}
	return k.k[i-3]
}

// encodeData is the stored data of vals, a record's normalised values,
// and the mask of the fields it left out because the row's columns hold
// them. vals is left as it was.
func encodeData(t *domain.Table, row rowKey, vals map[string]any) (string, int, error) {
	mask := 0
	var kept [6]any
	names := leftOut(t)
	for i, name := range names {
		if v, ok := vals[name]; ok && name != "" && v == row.value(i) {
			mask |= 1 << i
			kept[i] = v
			delete(vals, name)
		}
	}
	data, err := valuesData(t, vals)
	for i, name := range names {
		if mask&(1<<i) != 0 {
			vals[name] = kept[i]
		}
	}
	return data, mask, err
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
	if len(vers) < 2 || vers[0] != '*' {
		return vers, 0
	}
	mask, i := 0, 1
	for ; i < len(vers) && i < 3 && vers[i] >= '0' && vers[i] <= '9'; i++ {
		mask = mask*10 + int(vers[i]-'0')
	}
	if i == 1 || mask > 63 {
		return vers, 0
	}
	return vers[i:], mask
}

// legacySize is the length of a row's data and versions as they were
// stored before the fields of rowKey were left out. A pull page is
// bounded by this sum, and keeping the measure keeps every page the same
// as before.
func legacySize(tbl, data, vers string, row rowKey) int {
	vers, mask := splitMask(vers)
	dataLen := legacyDataLen(tbl, data)
	n, added := dataLen+legacyVersionsLen(tbl, vers), 0
	for i, name := range leftOut(domain.LookupTable(tbl)) {
		if mask&(1<<i) == 0 || name == "" {
			continue
		}
		v, _ := json.Marshal(row.value(i))
		n += len(name) + 3 + len(v) // "name":value
		added++
	}
	if added > 0 {
		n += added // commas between the entries
		if dataLen == 2 {
			n-- // ... and there were none before ("{}")
		}
	}
	return n
}

// compactData rewrites every stored record made before these migrations
// into the compact form of all three: data without the fields of rowKey
// (this migration's), versions by field number (numberVersions') and by
// device number (numberDevices'), in one pass over the table; the two
// later migrations then have nothing left to do and skip their pass (a
// national database has tens of millions of records). Records whose
// versions are still the first JSON form are left as they are: they are
// rewritten at their next change, as before. The JSON is edited, not
// decoded and encoded again, and a row is only rewritten when legacySize
// gives back its exact stored size, so every pull page stays as it was.
// The migration's transaction makes it all or nothing.
func compactData(ctx context.Context, s *sqlStorage, tx *sql.Tx) error {
	if err := s.loadDeviceNumbers(ctx, tx); err != nil {
		return err
	}
	err := rewriteRecords(ctx, s, tx, func(r storedRecord) (string, string, error) {
		if !strings.HasPrefix(r.vers, "~") {
			return "", "", nil
		}
		data, mask, err := leaveOutColumns(r)
		if err != nil {
			return "", "", err
		}
		v, err := decodeVersions(r.vers)
		if err != nil {
			return "", "", fmt.Errorf("%s %s: %w", r.tbl, r.key.id, err)
		}
		return data, withMask(encodeVersionsOf(r.tbl, v, s.numberIn(r.key.centre, Device{})), mask), nil
	})
	s.compacted = err == nil
	return err
}

// numberVersions rewrites the stored versions in the grouped form by name
// (encodeVersions) into the form by field number (encodeVersionsOf), and
// their devices into numbers (numberDevices). compactData did both when it
// ran in the same upgrade. (A database at migration 5 only ever existed
// between two commits of the same day: its three passes are no worry.)
func numberVersions(ctx context.Context, s *sqlStorage, tx *sql.Tx) error {
	return reencodeVersions(ctx, s, tx, "~", func(_ storedRecord, vers string) (domain.Versions, error) {
		return decodeVersions(vers)
	})
}

// numberDevices rewrites the devices of the stored versions by field
// number from their UUID to their number in the record's centre
// (devnos.go), unless an earlier migration of the same upgrade did.
func numberDevices(ctx context.Context, s *sqlStorage, tx *sql.Tx) error {
	return reencodeVersions(ctx, s, tx, "^", func(r storedRecord, vers string) (domain.Versions, error) {
		return decodeVersionsOf(r.tbl, vers, s.deviceOf(ctx, tx, r.key.centre))
	})
}

// reencodeVersions rewrites the stored versions written in the form that
// starts with prefix, read by decode, in the final form (by field number,
// devices by number), leaving the records already in it alone; nothing
// when compactData did it in the same upgrade.
func reencodeVersions(ctx context.Context, s *sqlStorage, tx *sql.Tx, prefix string, decode func(r storedRecord, vers string) (domain.Versions, error)) error {
	if s.compacted {
		return nil
	}
	if err := s.loadDeviceNumbers(ctx, tx); err != nil {
		return err
	}
	return rewriteRecords(ctx, s, tx, func(r storedRecord) (string, string, error) {
		vers, mask := splitMask(r.vers)
		if !strings.HasPrefix(vers, prefix) {
			return "", "", nil
		}
		v, err := decode(r, vers)
		if err != nil {
			return "", "", fmt.Errorf("%s %s: %w", r.tbl, r.key.id, err)
		}
		out := withMask(encodeVersionsOf(r.tbl, v, s.numberIn(r.key.centre, Device{})), mask)
		if out == r.vers {
			return "", "", nil
		}
		return r.data, out, nil
	})
}

// projectionOutOfData leaves out of every stored record's data the text
// fields its table projects into k1..k3 (an enrollment's trainee, status
// and cohort; a certificate's number, code and enrollment; …): the columns
// hold them, and decodeData puts them back. compactData did it when it ran
// in the same upgrade.
func projectionOutOfData(ctx context.Context, s *sqlStorage, tx *sql.Tx) error {
	if s.compacted {
		return nil
	}
	return rewriteRecords(ctx, s, tx, func(r storedRecord) (string, string, error) {
		rest, mask := splitMask(r.vers)
		if strings.HasPrefix(rest, "{") {
			return "", "", nil // versions still JSON: rewritten at its next change
		}
		data, more, err := leaveOutColumns(r)
		if err != nil || more == 0 {
			return "", "", err
		}
		return data, withMask(rest, mask|more), nil
	})
}

// leaveOutColumns is a stored record's data without the fields its row's
// columns hold (rowKey: id, centre, deleted, the k1..k3 projections) with
// the same value, and the mask naming them (bit i: leftOut's i-th); the
// data unchanged and 0 when none is.
func leaveOutColumns(r storedRecord) (string, int, error) {
	var held map[string]json.RawMessage
	if err := json.Unmarshal([]byte(jsonData(r.tbl, r.data)), &held); err != nil {
		return "", 0, fmt.Errorf("%s %s: %w", r.tbl, r.key.id, err)
	}
	mask := 0
	for i, name := range leftOut(domain.LookupTable(r.tbl)) {
		want, _ := json.Marshal(r.key.value(i))
		if v, ok := held[name]; ok && name != "" && bytes.Equal(v, want) {
			mask |= 1 << i
			delete(held, name)
		}
	}
	if mask == 0 {
		return r.data, 0, nil
	}
	b, err := json.Marshal(held)
	if err != nil {
		return "", 0, err
	}
	return string(b), mask, nil
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
	centre, err := centreColumn(ctx, s, tx)
	if err != nil {
		return err
	}
	lastTbl, lastID := "", ""
	for {
		rows, err := tx.QueryContext(ctx, s.q(`SELECT tbl, id, `+centre+` AS row_centre, deleted, k1, k2, k3, data, vers FROM records WHERE (tbl, id) > (?, ?) ORDER BY tbl, id LIMIT 2000`), lastTbl, lastID)
		if err != nil {
			return err
		}
		var page []storedRecord
		for rows.Next() {
			var r storedRecord
			var deleted int
			if err := rows.Scan(&r.tbl, &r.key.id, &r.key.centre, &deleted, &r.key.k[0], &r.key.k[1], &r.key.k[2], &r.data, &r.vers); err != nil {
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
		var args []any
		for _, r := range page {
			data, vers, err := fn(r)
			if err != nil {
				return err
			}
			if vers == "" || legacySize(r.tbl, data, vers, r.key) != legacySize(r.tbl, r.data, r.vers, r.key) {
				continue // nothing to do, or not as this server writes: left as it is
			}
			args = append(args, r.tbl, r.key.id, data, vers)
		}
		// Many rows a statement: one at a time, the round trips were most
		// of an upgrade's time.
		for len(args) > 0 {
			part := args[:min(len(args), 4*flushChunk)]
			args = args[len(part):]
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE records SET data = v.column3, vers = v.column4 FROM (VALUES `+valueRows(len(part)/4, 4)+`) AS v
				WHERE records.tbl = v.column1 AND records.id = v.column2`), part...); err != nil {
				return fmt.Errorf("rewrite records: %w", err)
			}
		}
	}
}
