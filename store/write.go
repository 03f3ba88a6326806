package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kemnaker/blk/domain"
)

// Tx is one write transaction. Every Save or Delete in it writes the rows and
// their outbox entries; nothing is visible until Write returns nil, and
// nothing is left behind when it returns an error.
type Tx struct {
	s     *Store
	tx    *sql.Tx
	ctx   context.Context
	rules domain.Rules
	stmts map[string]*sql.Stmt
	// live holds "table/id" of records known to exist, not deleted, in this
	// transaction, so bulk writes check each parent once.
	live map[string]bool
	// failed is the first database error of a write; after it the
	// transaction may hold half a record, so it can only be rolled back.
	failed error
	// touched holds the tables this transaction changed (see Subscribe).
	touched map[string]bool
	// random is where certificate codes come from; nil: crypto/rand.
	random io.Reader
}

// Write runs fn in one immediate transaction and commits it when fn returns nil.
func (s *Store) Write(ctx context.Context, fn func(*Tx) error) error {
	if err := s.Healthy(ctx); err != nil {
		return err
	}
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	w := &Tx{s: s, tx: tx, ctx: ctx, rules: s.Rules(), stmts: map[string]*sql.Stmt{}, live: map[string]bool{}}
	defer func() {
		for _, st := range w.stmts {
			st.Close()
		}
	}()
	start := s.Clock()
	if err := fn(w); err != nil {
		tx.Rollback()
		return err
	}
	if w.failed != nil {
		// fn carried on after a failed write: refuse to commit half a record.
		tx.Rollback()
		return fmt.Errorf("write refused after an earlier error: %w", w.failed)
	}
	if c := s.Clock(); c != start {
		if err := setMetaTx(ctx, tx, "clock", strconv.FormatInt(int64(c), 10)); err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	s.changed(w.touched)
	return nil
}

// Save validates and writes one record (see Tx.Save) in its own transaction.
func (s *Store) Save(ctx context.Context, rec domain.Record) (domain.Problems, error) {
	var warnings domain.Problems
	err := s.Write(ctx, func(tx *Tx) error {
		var err error
		warnings, err = tx.Save(rec)
		return err
	})
	return warnings, err
}

// Delete tombstones one record and what hangs on it, in its own transaction.
func (s *Store) Delete(ctx context.Context, rec domain.Record) error {
	return s.Write(ctx, func(tx *Tx) error { return tx.Delete(rec) })
}

func (w *Tx) stmt(q string) (*sql.Stmt, error) {
	if st, ok := w.stmts[q]; ok {
		return st, nil
	}
	st, err := w.tx.PrepareContext(w.ctx, q)
	if err != nil {
		return nil, err
	}
	w.stmts[q] = st
	return st, nil
}

// QueryContext and QueryRowContext run on cached prepared statements, so a
// bulk write (demo, import) does not re-parse the same SQL for every record.
func (w *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := w.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext: see QueryContext.
func (w *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := w.stmt(q)
	if err != nil {
		return w.tx.QueryRowContext(ctx, q, args...) // reports the same error on Scan
	}
	return st.QueryRowContext(ctx, args...)
}

func (w *Tx) exec(q string, args ...any) error {
	st, err := w.stmt(q)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(w.ctx, args...)
	return err
}

// Save normalises and validates rec and, when it is valid, writes it: a new
// record gets an id (natural-key records derive theirs) and this centre's id;
// an existing one writes only the fields that changed. It returns the
// warnings of a saved record, or a *domain.ValidationError and writes
// nothing, so an import can refuse one row and go on. Any other error means
// the transaction can only be rolled back: Write will not commit it.
func (w *Tx) Save(rec domain.Record) (domain.Problems, error) {
	if w.failed != nil {
		return nil, w.failed
	}
	t := domain.TableOf(rec)
	m := rec.Base()
	if t.Reference {
		m.CentreID = ""
	} else {
		centre := w.s.CentreID()
		if t.Name == "centres" {
			if m.ID == "" {
				m.ID = domain.NewID()
			}
			centre = m.ID
		}
		if centre == "" {
			return nil, ErrNoCentre
		}
		m.CentreID = centre
	}
	domain.Normalize(rec)
	fresh := false
	if t.HasNaturalKey() {
		domain.AssignNaturalID(rec)
	} else if m.ID == "" {
		m.ID = domain.NewID()
		fresh = true // a new UUIDv7 cannot be in the database yet
	}
	// Graduating a trainee issues the certificate in the same transaction,
	// so no graduate is ever without a number.
	var cert *domain.Certificate
	if en, ok := rec.(*domain.Enrollment); ok {
		var err error
		if cert, err = w.certificateFor(en); err != nil {
			return nil, err
		}
		if cert != nil {
			en.CertificateNo, en.CertificateDate = cert.Number, cert.IssuedOn
		}
	}
	problems := domain.Validate(rec, w.rules)
	if !problems.Invalid() && !m.Deleted {
		more, err := w.checkContext(rec)
		if err != nil {
			return nil, err
		}
		problems = append(problems, more...)
	}
	if problems.Invalid() {
		return nil, &domain.ValidationError{Table: t.Name, Problems: problems}
	}
	if err := w.write(t, rec, fresh); err != nil {
		w.failed = err
		return nil, err
	}
	if m.Deleted {
		clear(w.live) // what was known to exist may hang on this record
	} else {
		w.live[t.Name+"/"+m.ID] = true
	}
	if cert != nil {
		if _, err := w.Save(cert); err != nil {
			return nil, err
		}
	}
	return problems.Warnings(), nil
}

// write stores rec's changed fields and appends them to the outbox.
func (w *Tx) write(t *domain.Table, rec domain.Record, fresh bool) error {
	id := rec.Base().ID
	clock := w.s.tick()
	ver := domain.Version{Clock: clock, Device: w.s.device}
	// Most writes of a record whose id is known up front create it (natural
	// keys, demo, import), so try the insert first and read the row only
	// when it is already there.
	created, err := w.insertNew(t, rec, versions{"*": ver}, !fresh)
	if err != nil {
		return err
	}
	changed := map[string]any{}
	if created {
		for _, f := range t.DataFields() {
			changed[f.Name] = f.Get(rec)
		}
		return w.appendOutbox(t.Name, id, clock, changed, nil)
	}
	old, vs, _, err := loadRow(w.ctx, w, t, id)
	if err != nil {
		return err
	}
	base := map[string]domain.Version{}
	for _, f := range t.DataFields() {
		nv := f.Get(rec)
		if f.Get(old) == nv {
			continue
		}
		if v := vs.of(f.Name); !v.IsZero() {
			base[f.Name] = v
		}
		changed[f.Name] = nv
		vs[f.Name] = ver
	}
	if len(changed) == 0 {
		return nil
	}
	if err := w.updateRow(t, id, changed, vs); err != nil {
		return err
	}
	return w.appendOutbox(t.Name, id, clock, changed, base)
}

// insertRow inserts rec with versions vs.
func (w *Tx) insertRow(t *domain.Table, rec domain.Record, vs versions) error {
	_, err := w.insertNew(t, rec, vs, false)
	return err
}

// insertNew inserts rec with versions vs. With orIgnore an existing row is
// left alone and created reports false.
func (w *Tx) insertNew(t *domain.Table, rec domain.Record, vs versions, orIgnore bool) (created bool, err error) {
	vj, _ := json.Marshal(vs)
	args := make([]any, 0, len(t.Fields)+1)
	for _, f := range t.Fields {
		args = append(args, sqlValue(f.Get(rec)))
	}
	args = append(args, string(vj))
	q := "INSERT INTO " + t.Name + " (" + columns(t) + ", _v) VALUES (" + strings.Repeat("?, ", len(t.Fields)) + "?)"
	if orIgnore {
		q += " ON CONFLICT (id) DO NOTHING"
	}
	st, err := w.stmt(q)
	if err != nil {
		return false, err
	}
	res, err := st.ExecContext(w.ctx, args...)
	if err != nil {
		return false, fmt.Errorf("insert %s: %w", t.Name, err)
	}
	n, err := res.RowsAffected()
	if err != nil || n != 1 {
		return false, err
	}
	w.touch(t.Name)
	if t.Name == "trainees" {
		rowid, err := res.LastInsertId()
		if err != nil {
			return false, err
		}
		tr := rec.(*domain.Trainee)
		if err := w.exec(`INSERT INTO trainee_search (rowid, name, nik) VALUES (?, ?, ?)`, rowid, tr.Name, tr.NIK); err != nil {
			return false, fmt.Errorf("search index: %w", err)
		}
	}
	return true, nil
}

func (w *Tx) updateRow(t *domain.Table, id string, changed map[string]any, vs versions) error {
	var sets []string
	var args []any
	for _, f := range t.DataFields() {
		if v, ok := changed[f.Name]; ok {
			sets = append(sets, f.Name+" = ?")
			args = append(args, sqlValue(v))
		}
	}
	vj, _ := json.Marshal(vs)
	args = append(args, string(vj), id)
	if err := w.exec("UPDATE "+t.Name+" SET "+strings.Join(sets, ", ")+", _v = ? WHERE id = ?", args...); err != nil {
		return fmt.Errorf("update %s: %w", t.Name, err)
	}
	w.touch(t.Name)
	if t.Name == "trainees" {
		_, name := changed["name"]
		_, nik := changed["nik"]
		if name || nik {
			// Re-index from the row itself: the update may carry only one of the two.
			if err := w.exec(`UPDATE trainee_search SET (name, nik) = (SELECT name, nik FROM trainees WHERE id = ?) WHERE rowid = (SELECT rowid FROM trainees WHERE id = ?)`, id, id); err != nil {
				return fmt.Errorf("search index: %w", err)
			}
		}
	}
	return nil
}

func (w *Tx) appendOutbox(table, id string, clock domain.Clock, fields map[string]any, base map[string]domain.Version) error {
	fj, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	bj, _ := json.Marshal(base)
	st, err := w.stmt(`INSERT INTO outbox (tbl, row_id, clock, fields, base) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(w.ctx, table, id, int64(clock), string(fj), string(bj)); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

func sqlValue(v any) any {
	if b, ok := v.(bool); ok {
		if b {
			return int64(1)
		}
		return int64(0)
	}
	return v
}

// Delete tombstones rec and, recursively, the live records that hang on it
// (the fields the schema declares with ref:"…,cascade").
func (w *Tx) Delete(rec domain.Record) error {
	if w.failed != nil {
		return w.failed
	}
	t := domain.TableOf(rec)
	cur, _, ok, err := loadRow(w.ctx, w, t, rec.Base().ID)
	if err != nil {
		return err
	}
	if !ok || cur.Base().Deleted {
		return fmt.Errorf("%s %s: %w", t.Name, rec.Base().ID, ErrNotFound)
	}
	for _, ch := range t.Children() {
		ct := ch.Table
		kids, err := w.s.queryRecords(w.ctx, w, ct, "SELECT "+columns(ct)+", _v FROM "+ct.Name+" WHERE deleted = 0 AND "+ch.Field.Name+" = ?", cur.Base().ID)
		if err != nil {
			return err
		}
		for _, k := range kids {
			if err := w.Delete(k); err != nil {
				return err
			}
		}
	}
	cur.Base().Deleted = true
	clear(w.live) // what was known to exist may hang on this record
	if err := w.write(t, cur, false); err != nil {
		w.failed = err
		return err
	}
	return nil
}

// Get reads a live record inside the transaction.
func (w *Tx) Get(rec domain.Record) error {
	t := domain.TableOf(rec)
	got, _, ok, err := loadRow(w.ctx, w, t, rec.Base().ID)
	if err != nil {
		return err
	}
	if !ok || got.Base().Deleted {
		return fmt.Errorf("%s %s: %w", t.Name, rec.Base().ID, ErrNotFound)
	}
	for _, f := range t.Fields {
		_ = f.Set(rec, f.Get(got))
	}
	return nil
}

func (w *Tx) exists(table, id string) (bool, error) {
	if id == "" {
		return false, nil
	}
	if w.live[table+"/"+id] {
		return true, nil
	}
	var n int
	err := w.QueryRowContext(w.ctx, "SELECT count(*) FROM "+table+" WHERE id = ? AND deleted = 0", id).Scan(&n)
	if n > 0 {
		w.live[table+"/"+id] = true
	}
	return n > 0, err
}
