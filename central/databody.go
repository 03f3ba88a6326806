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

// A record's data column was a JSON object, its field names repeated in
// every record (a third of an attendance mark's bytes). It is now stored
// by position: "[" and the JSON value of each field in the order of its
// table's field numbers (fieldnos.go), separated by commas, a field the
// record does not have left empty, then "]":
//
//	{"date":"2026-09-01","enrollment_id":"273d…","mark":"H"}
//	[,,,"273d…","2026-09-01","H"]
//
// A record with a field that has no number keeps the JSON object (so
// does every record until the migration below has run). jsonData gives the
// object back byte for byte: the names in json.Marshal's sorted order and
// each value as it was, which keeps legacySize, and with it every pull
// page, as before. Nothing reads the column with SQL's JSON functions.

// positionalData is the positional body of obj, a record's data as
// json.Marshal writes it; obj itself when a field has no number.
func positionalData(tbl string, obj []byte) string {
	nos := fieldNo[tbl]
	var held map[string]json.RawMessage
	if nos == nil || json.Unmarshal(obj, &held) != nil {
		return string(obj)
	}
	slots := make([]json.RawMessage, 0, len(fieldNumbers[tbl]))
	for name, v := range held {
		no, ok := nos[name]
		if !ok {
			return string(obj)
		}
		for len(slots) <= no {
			slots = append(slots, nil)
		}
		slots[no] = v
	}
	return joinSlots(slots, len(obj))
}

// joinSlots writes a positional body: the values in field-number order,
// an empty slot for a number the record has no value for.
func joinSlots[S ~[]byte](slots []S, size int) string {
	var b strings.Builder
	b.Grow(size)
	b.WriteByte('[')
	for i, v := range slots {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(v)
	}
	b.WriteByte(']')
	return b.String()
}

// valuesData is the stored data of a record's values: their positional
// body, or their JSON object when a field has no number. Each value is
// encoded as json.Marshal encodes it inside the object, so jsonData gives
// that object back.
func valuesData(t *domain.Table, vals map[string]any) (string, error) {
	var nos map[string]int
	if t != nil {
		nos = fieldNo[t.Name]
	}
	slots := make([][]byte, 0, len(nos))
	for name, v := range vals {
		no, ok := nos[name]
		if !ok {
			b, err := json.Marshal(vals)
			return string(b), err
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return "", err
		}
		for len(slots) <= no {
			slots = append(slots, nil)
		}
		slots[no] = raw
	}
	return joinSlots(slots, 0), nil
}

// eachSlot calls fn with the number and raw JSON value of every field a
// positional body holds.
func eachSlot(body string, fn func(no int, raw string)) {
	body = body[1 : len(body)-1]
	no, start, depth, inString := 0, 0, 0, false
	for i := 0; i <= len(body); i++ {
		if i < len(body) {
			c := body[i]
			switch {
			case inString:
				if c == '\\' {
					i++
				} else if c == '"' {
					inString = false
				}
				continue
			case c == '"':
				inString = true
				continue
			case c == '[' || c == '{':
				depth++
				continue
			case c == ']' || c == '}':
				depth--
				continue
			case c != ',' || depth > 0:
				continue
			}
		}
		if i > start {
			fn(no, body[start:i])
		}
		no, start = no+1, i+1
	}
}

// isPositional tells a positional body from a JSON object.
func isPositional(data string) bool { return len(data) >= 2 && data[0] == '[' }

// jsonData is a stored data column as the JSON object it was written
// from (data itself when it is one).
func jsonData(tbl, data string) string {
	if !isPositional(data) {
		return data
	}
	names := fieldNumbers[tbl]
	type pair struct{ name, raw string }
	var pairs []pair
	eachSlot(data, func(no int, raw string) {
		if no < len(names) {
			pairs = append(pairs, pair{names[no], raw})
		}
	})
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].name < pairs[j].name })
	var b strings.Builder
	b.Grow(legacyDataLen(tbl, data))
	b.WriteByte('{')
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(p.name)
		b.WriteString(`":`)
		b.WriteString(p.raw)
	}
	b.WriteByte('}')
	return b.String()
}

// legacyDataLen is len(jsonData(tbl, data)) without building it.
func legacyDataLen(tbl, data string) int {
	if !isPositional(data) {
		return len(data)
	}
	names := fieldNumbers[tbl]
	n, fields := 2, 0
	eachSlot(data, func(no int, raw string) {
		if no < len(names) {
			n += len(names[no]) + 3 + len(raw)
			fields++
		}
	})
	if fields > 1 {
		n += fields - 1
	}
	return n
}

// dataByPosition copies the records table into a new one with every
// record's data held as a JSON object in its positional body (a record
// with a field that has no number stays as it is), in the order a pull
// reads, and makes it the records table. A copy rather than an UPDATE of
// every row: the old rows' space goes with the old table, and the indexes
// are built packed, so no VACUUM FULL has to follow the upgrade.
func dataByPosition(ctx context.Context, s *sqlStorage, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE records_positional `+recordsLayout); err != nil {
		return err
	}
	const cols = `seq, centre_no, deleted, tbl, id, nik, data, vers, k1, k2, k3`
	// Pages in (centre_no, seq) order, made total by the primary key.
	var last []any
	for {
		q := `SELECT ` + cols + ` FROM records ORDER BY centre_no, seq, tbl, id LIMIT 2000`
		if last != nil {
			q = `SELECT ` + cols + ` FROM records WHERE (centre_no, seq, tbl, id) > (?, ?, ?, ?) ORDER BY centre_no, seq, tbl, id LIMIT 2000`
		}
		rows, err := tx.QueryContext(ctx, s.q(q), last...)
		if err != nil {
			return err
		}
		var args []any
		for rows.Next() {
			var seq, centre, deleted int64
			var tbl, id, nik, data, vers, k1, k2, k3 string
			if err := rows.Scan(&seq, &centre, &deleted, &tbl, &id, &nik, &data, &vers, &k1, &k2, &k3); err != nil {
				rows.Close()
				return err
			}
			if !isPositional(data) {
				// Only when it reads back as the very object.
				if p := positionalData(tbl, []byte(data)); jsonData(tbl, p) == data {
					data = p
				}
			}
			args = append(args, seq, centre, deleted, tbl, id, nik, data, vers, k1, k2, k3)
			last = []any{centre, seq, tbl, id}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(args) == 0 {
			break
		}
		for len(args) > 0 {
			part := args[:min(len(args), 11*flushChunk)]
			args = args[len(part):]
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO records_positional (`+cols+`) VALUES `+valueRows(len(part)/11, 11)), part...); err != nil {
				return fmt.Errorf("copy records: %w", err)
			}
		}
	}
	var was, now int64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM records_positional)`).Scan(&was, &now); err != nil {
		return err
	}
	if was != now {
		return fmt.Errorf("copied %d of %d records", now, was)
	}
	return replaceRecords(ctx, s, tx, "records_positional")
}

// dataText is the field name of a stored data column as SQL's JSON functions
// read it: a string's text, another value's JSON, "" when absent or null.
// Only the column is read (not the row's columns, see rowKey).
func dataText(tbl, data, name string) string {
	raw := ""
	if isPositional(data) {
		no, ok := fieldNo[tbl][name]
		if !ok {
			return ""
		}
		eachSlot(data, func(n int, r string) {
			if n == no {
				raw = r
			}
		})
	} else {
		var held map[string]json.RawMessage
		if json.Unmarshal([]byte(data), &held) != nil {
			return ""
		}
		raw = string(held[name])
	}
	var text string
	switch {
	case raw == "" || raw == "null":
		return ""
	case json.Unmarshal([]byte(raw), &text) == nil:
		return text
	}
	return raw
}
