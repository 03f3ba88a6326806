package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kemnaker/blk/domain"
)

// versions is the per-field version map kept in each row's _v column.
type versions map[string]domain.Version

func (v versions) of(field string) domain.Version {
	if x, ok := v[field]; ok {
		return x
	}
	return v["*"]
}

func (v versions) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	first := true
	for k, x := range v {
		if !first {
			b.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k)
		db, _ := json.Marshal(x.Device)
		fmt.Fprintf(&b, "%s:[%d,%s]", kb, int64(x.Clock), db)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

func (v *versions) UnmarshalJSON(data []byte) error {
	var raw map[string][2]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*v = make(versions, len(raw))
	for k, pair := range raw {
		var x domain.Version
		var c int64
		if err := json.Unmarshal(pair[0], &c); err != nil {
			return err
		}
		if err := json.Unmarshal(pair[1], &x.Device); err != nil {
			return err
		}
		x.Clock = domain.Clock(c)
		(*v)[k] = x
	}
	return nil
}

// columns lists a table's columns in descriptor order, without _v.
func columns(t *domain.Table) string {
	names := make([]string, len(t.Fields))
	for i, f := range t.Fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// scanTargets returns holders for one row of t plus _v.
func scanTargets(t *domain.Table) []any {
	out := make([]any, len(t.Fields)+1)
	for i, f := range t.Fields {
		switch f.Kind {
		case domain.KindText:
			out[i] = new(string)
		default:
			out[i] = new(int64)
		}
	}
	out[len(t.Fields)] = new(string)
	return out
}

func fill(t *domain.Table, rec domain.Record, holders []any) (versions, error) {
	if err := setFields(t, rec, holders); err != nil {
		return nil, err
	}
	var vs versions
	if err := json.Unmarshal([]byte(*holders[len(t.Fields)].(*string)), &vs); err != nil {
		return nil, fmt.Errorf("%s: bad version column: %w", t.Name, err)
	}
	return vs, nil
}

// setFields copies a scanned row into rec, leaving its versions unread.
func setFields(t *domain.Table, rec domain.Record, holders []any) error {
	for i, f := range t.Fields {
		var v any
		switch h := holders[i].(type) {
		case *string:
			v = *h
		case *int64:
			v = *h
		}
		if err := f.Set(rec, v); err != nil {
			return err
		}
	}
	return nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// loadRow reads one row (deleted ones too); found false when absent.
func loadRow(ctx context.Context, q querier, t *domain.Table, id string) (domain.Record, versions, bool, error) {
	holders := scanTargets(t)
	err := q.QueryRowContext(ctx, "SELECT "+columns(t)+", _v FROM "+t.Name+" WHERE id = ?", id).Scan(holders...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, false, fmt.Errorf("read %s %s: %w", t.Name, id, err)
	}
	rec := t.New()
	vs, err := fill(t, rec, holders)
	return rec, vs, err == nil, err
}

// Get fills rec (whose ID is set) from the database; ErrNotFound when the
// record does not exist or is deleted.
func (s *Store) Get(ctx context.Context, rec domain.Record) error {
	t := domain.TableOf(rec)
	got, _, ok, err := loadRow(ctx, s.ro, t, rec.Base().ID)
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

// Filter is an equality condition on one field.
type Filter struct {
	Field string
	Value any
}

// Range keeps the records whose Field lies from From to To, both
// included; a nil bound is open (a year of dates: "2026-01-01" to "2026-12-31").
type Range struct {
	Field    string
	From, To any
}

// Query selects records of one table.
type Query struct {
	Filters []Filter
	Ranges  []Range
	OrderBy string // a field name; "" orders by id (creation order for UUIDv7)
	Desc    bool
	Limit   int // 0: no limit
	Offset  int
	Deleted bool // include tombstones
	// Search, when not blank, keeps the records where one of the SearchIn
	// fields contains it (case-insensitive; % and _ are taken literally):
	// a list's search box.
	Search   string
	SearchIn []string
}

func (q Query) where(t *domain.Table) (string, []any, error) {
	var conds []string
	var args []any
	if !q.Deleted {
		conds = append(conds, "deleted = 0")
	}
	for _, f := range q.Filters {
		if _, ok := t.Field(f.Field); !ok {
			return "", nil, fmt.Errorf("%s has no field %q", t.Name, f.Field)
		}
		conds = append(conds, f.Field+" = ?")
		args = append(args, f.Value)
	}
	for _, r := range q.Ranges {
		if _, ok := t.Field(r.Field); !ok {
			return "", nil, fmt.Errorf("%s has no field %q", t.Name, r.Field)
		}
		if r.From != nil {
			conds = append(conds, r.Field+" >= ?")
			args = append(args, r.From)
		}
		if r.To != nil {
			conds = append(conds, r.Field+" <= ?")
			args = append(args, r.To)
		}
	}
	if text := strings.TrimSpace(q.Search); text != "" && len(q.SearchIn) > 0 {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(text) + "%"
		var or []string
		for _, name := range q.SearchIn {
			if _, ok := t.Field(name); !ok {
				return "", nil, fmt.Errorf("%s has no field %q", t.Name, name)
			}
			or = append(or, name+` LIKE ? ESCAPE '\'`)
			args = append(args, like)
		}
		conds = append(conds, "("+strings.Join(or, " OR ")+")")
	}
	w := ""
	if len(conds) > 0 {
		w = " WHERE " + strings.Join(conds, " AND ")
	}
	return w, args, nil
}

// List returns the records of table t matching q.
func (s *Store) List(ctx context.Context, t *domain.Table, q Query) ([]domain.Record, error) {
	w, args, err := q.where(t)
	if err != nil {
		return nil, err
	}
	order := "id"
	if q.OrderBy != "" {
		if _, ok := t.Field(q.OrderBy); !ok {
			return nil, fmt.Errorf("%s has no field %q", t.Name, q.OrderBy)
		}
		order = q.OrderBy + " COLLATE NOCASE"
	}
	if q.Desc {
		order += " DESC"
	}
	order += ", id"
	sqlText := "SELECT " + columns(t) + ", _v FROM " + t.Name + w + " ORDER BY " + order
	if q.Limit > 0 {
		sqlText += " LIMIT " + strconv.Itoa(q.Limit) + " OFFSET " + strconv.Itoa(q.Offset)
	}
	return s.queryRecords(ctx, s.ro, t, sqlText, args...)
}

func (s *Store) queryRecords(ctx context.Context, q querier, t *domain.Table, sqlText string, args ...any) ([]domain.Record, error) {
	rows, err := q.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", t.Name, err)
	}
	defer rows.Close()
	var out []domain.Record
	holders := scanTargets(t)
	for rows.Next() {
		if err := rows.Scan(holders...); err != nil {
			return nil, err
		}
		rec := t.New()
		if _, err := fill(t, rec, holders); err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// Count returns how many live records of t match q's filters.
func (s *Store) Count(ctx context.Context, t *domain.Table, q Query) (int, error) {
	w, args, err := q.where(t)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.ro.QueryRowContext(ctx, "SELECT count(*) FROM "+t.Name+w, args...).Scan(&n)
	return n, err
}

// Lister is what ListOf needs: *Store, or a screen's narrow interface
// over it (app/kit.Store).
type Lister interface {
	List(ctx context.Context, t *domain.Table, q Query) ([]domain.Record, error)
}

// ListOf is List for one record type: ListOf[*domain.Trainee](ctx, s, q).
func ListOf[T domain.Record](ctx context.Context, s Lister, q Query) ([]T, error) {
	var zero T
	recs, err := s.List(ctx, domain.TableOf(zero), q)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(recs))
	for i, r := range recs {
		out[i] = r.(T)
	}
	return out, nil
}

// Counts returns the number of live records per table.
func (s *Store) Counts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	for _, t := range domain.Tables {
		n, err := s.Count(ctx, t, Query{})
		if err != nil {
			return nil, err
		}
		out[t.Name] = n
	}
	return out, nil
}

// EachRecord calls fn for every live record of table, in id order, streaming
// from one read transaction so the whole walk sees one consistent state.
// It is the store's side of exchange.Source (exports).
func (s *Store) EachRecord(ctx context.Context, table string, fn func(domain.Record) error) error {
	t := domain.LookupTable(table)
	if t == nil {
		return fmt.Errorf("unknown table %q", table)
	}
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The walk wants values only: reading each row's versions (its JSON)
	// was most of what a walk over 100k enrollments allocated.
	rows, err := tx.QueryContext(ctx, "SELECT "+columns(t)+", '' FROM "+t.Name+" WHERE deleted = 0 ORDER BY id")
	if err != nil {
		return err
	}
	defer rows.Close()
	holders := scanTargets(t)
	for rows.Next() {
		if err := rows.Scan(holders...); err != nil {
			return err
		}
		rec := t.New()
		if err := setFields(t, rec, holders); err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return rows.Err()
}
