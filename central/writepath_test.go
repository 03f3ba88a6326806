package central

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

// TestPostgresArrayWriteStoresWhatTheRowWriteStores merges one batch (new
// trainees, edits, deletions, enrollments changing status) against a
// centre that has records, then writes it once through PostgreSQL's
// array statement (writeRecords) and once through the multi-row VALUES
// that SQLite uses (writeRecordRows), each in a transaction rolled back
// after, and compares every column of every records row.
func TestPostgresArrayWriteStoresWhatTheRowWriteStores(t *testing.T) {
	s := openPG(t)
	ctx := context.Background()
	seedVolume(t, s, 2, 40)
	cs, err := s.Centres(ctx)
	if err != nil || len(cs) < 2 {
		t.Fatalf("centres: %v %v", cs, err)
	}
	centre := cs[1].ID
	dev := deviceOf(t, s, centre, "")
	var trainees, enrols []string
	for tbl, ids := range map[string]*[]string{"trainees": &trainees, "enrollments": &enrols} {
		rows, err := s.ro.Query(`SELECT id FROM records WHERE tbl = $1 AND centre_no = (SELECT centre_no FROM centres WHERE id = $2) ORDER BY id`, tbl, centre)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			*ids = append(*ids, id)
		}
		rows.Close()
	}
	if len(trainees) < 12 || len(enrols) < 5 {
		t.Fatalf("seeded %d trainees, %d enrollments", len(trainees), len(enrols))
	}
	seq := dev.AppliedSeq
	var batch []domain.Change
	add := func(table, id string, fields map[string]any) {
		seq++
		batch = append(batch, domain.Change{Seq: seq, Table: table, ID: id, Clock: domain.MakeClock(time.Now().UnixMilli()+5000, seq), Fields: fields})
	}
	for i := range 20 {
		c := traineeChange(0, centre, newID(), "Dewi Lestari", 9000+i)
		add(c.Table, c.ID, c.Fields)
	}
	for i, id := range trainees[:10] {
		add("trainees", id, map[string]any{"name": "Rina Wati", "village_code": []string{"3301012001", "1101012001"}[i%2]})
	}
	add("trainees", trainees[10], map[string]any{"deleted": true})
	add("trainees", trainees[11], map[string]any{"nik": domain.MakeNIK("350701", birth, false, 3), "sex": "L"})
	for _, id := range enrols[:5] {
		add("enrollments", id, map[string]any{"status": domain.EnrollmentDropped})
	}

	dump := func(write func(*merger, *txStmts, int64) error) (string, int) {
		t.Helper()
		tx, err := s.rw.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		var last, centreNo int64
		if err := tx.QueryRow(`SELECT last_seq, centre_no FROM centres WHERE id = $1 FOR UPDATE`, centre).Scan(&last, &centreNo); err != nil {
			t.Fatal(err)
		}
		m, err := s.merge(ctx, tx, dev, dev.AppliedSeq, batch)
		if err != nil {
			t.Fatal(err)
		}
		m.centreNo = centreNo // as pushTx sets it
		if len(m.rejections) > 0 {
			t.Fatalf("rejected: %+v", m.rejections)
		}
		stmts := &txStmts{s: s, tx: tx}
		defer stmts.close()
		if err := write(m, stmts, last); err != nil {
			t.Fatal(err)
		}
		// Every column, whatever the table's columns are.
		rows, err := tx.Query(`SELECT r::text FROM records r ORDER BY tbl, id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var b strings.Builder
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			b.WriteString(line + "\n")
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return b.String(), len(m.dirty)
	}
	before, _ := dump(func(*merger, *txStmts, int64) error { return nil })
	arrays, n := dump(func(m *merger, st *txStmts, last int64) error { return m.writeRecords(ctx, st, last) })
	values, _ := dump(func(m *merger, st *txStmts, last int64) error { return m.writeRecordRows(ctx, st, last) })
	if n != len(batch) {
		t.Fatalf("the merge wrote %d records of a batch of %d", n, len(batch))
	}
	if arrays == before {
		t.Fatal("the array write changed no row")
	}
	if arrays != values {
		t.Errorf("the array write and the VALUES write store different rows:\narrays:\n%s\nvalues:\n%s", arrays, values)
	}
}
