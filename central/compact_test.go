package central

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/kemnaker/blk/demo/gen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
)

// genSink pushes the demo generator's batches as one PC of a centre.
type genSink struct {
	s   *sqlStorage
	dev Device
	seq int64
}

func (g *genSink) Batch(ctx context.Context, fn func(save func(domain.Record) error) error) error {
	var changes []domain.Change
	err := fn(func(rec domain.Record) error {
		t := domain.TableOf(rec)
		rec.Base().CentreID = g.dev.CentreID
		domain.Normalize(rec)
		g.seq++
		if domain.AssignNaturalID(rec); rec.Base().ID == "" {
			rec.Base().ID = domain.NaturalID("compact-test", g.dev.ID, strconv.FormatInt(g.seq, 10))
		}
		f := domain.FieldValues{}
		for _, fd := range t.DataFields() {
			f[fd.Name] = fd.Get(rec)
		}
		changes = append(changes, domain.Change{Seq: g.seq, Table: t.Name, ID: rec.Base().ID, Clock: domain.MakeClock(1_750_000_000_000+g.seq, 0), Fields: f})
		return nil
	})
	if err != nil || len(changes) == 0 {
		return err
	}
	res, err := g.s.Push(ctx, g.dev, changes)
	if err != nil {
		return err
	}
	if len(res.Rejections) > 0 {
		return fmt.Errorf("rejected: %+v", res.Rejections[0])
	}
	g.dev.AppliedSeq = res.AppliedSeq
	return nil
}

// fillCentres writes two demo centres (and the reference catalogue) and
// returns their ids.
func fillCentres(t *testing.T, s *sqlStorage) []string {
	t.Helper()
	ctx := context.Background()
	fields, units, err := gen.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	var recs []domain.Record
	for _, f := range fields {
		recs = append(recs, f)
	}
	for _, u := range units {
		recs = append(recs, u)
	}
	if err := s.ImportReference(ctx, recs); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i, village := range []string{"1105122012", "3204"} {
		c, err := s.AddCentre(ctx, Centre{Name: "BLK " + strconv.Itoa(i+1), Region: village})
		if err != nil {
			t.Fatal(err)
		}
		dev := enrolled(t, s, c.ID, "compact-pc-"+strconv.Itoa(i))
		if _, err := gen.Generate(ctx, &genSink{s: s, dev: dev}, gen.Options{Trainees: 40, Seed: 7, Key: c.ID, Today: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
			Village: village, Fields: fields, Units: units}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	return ids
}

// serverView is everything a PC or an administrator can read of centres:
// every pull page from the start (as a new PC, and as the PC that wrote
// the records) and every export list in both formats.
func serverView(t *testing.T, s *sqlStorage, centres []string) map[string]any {
	t.Helper()
	ctx := context.Background()
	out := map[string]any{}
	for _, c := range centres {
		for _, skip := range []string{"", devID("compact-pc-0")} {
			var pages []PullResult
			cur, ref := int64(0), int64(0)
			for {
				p, err := s.Pull(ctx, c, skip, cur, ref, 64<<10)
				if err != nil {
					t.Fatal(err)
				}
				pages = append(pages, p)
				cur, ref = p.Cursor, p.RefCursor
				if !p.More {
					break
				}
			}
			out["pull "+c+" "+skip] = pages
		}
		for _, what := range exchange.Lists {
			for _, format := range []string{exchange.FormatCSV, exchange.FormatXLSX} {
				var b bytes.Buffer
				if err := exchange.Export(ctx, s.Source(c), what, format, &b); err != nil {
					t.Fatal(err)
				}
				out["export "+c+" "+what+" "+format] = b.String()
			}
		}
	}
	return out
}

// toLayout3 turns a database back into the layout of schema version 3
// (before compactIndexes): what today's servers hold.
func toLayout3(t *testing.T, s *sqlStorage) {
	t.Helper()
	for _, st := range []string{
		`DROP INDEX records_centre_tables`,
		`DROP INDEX records_certificate_no`,
		`CREATE INDEX records_centre_tbl ON records (centre_id, tbl, id)`,
		`CREATE INDEX records_k1 ON records (tbl, k1)`,
		`UPDATE schema_version SET v = 3`,
	} {
		if _, err := s.rw.Exec(st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
}

func indexesOfRecords(t *testing.T, s *sqlStorage) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if s.d.name == "postgres" {
		q = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'records' AND indexname <> 'records_pkey' ORDER BY indexname`
	}
	rows, err := s.ro.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

// TestUpgradeToCompactStorageKeepsPullsAndExports fills a server, turns
// it back into the layout today's servers have, and opens it with this
// code: the migration rewrites it, and every pull page and export is the
// same as before.
func TestUpgradeToCompactStorageKeepsPullsAndExports(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// given a filled server, and what it answers
			centres := fillCentres(t, s)
			want := serverView(t, s, centres)
			if p := want["pull "+centres[1]+" "].([]PullResult); len(p) < 2 || len(p[0].Changes) < 100 {
				t.Fatalf("the fill made too little to compare: %d pages", len(p))
			}
			wantIndexes := indexesOfRecords(t, s)
			// when its database is in the old layout and the server opens it
			toLayout3(t, s)
			if err := s.migrate(ctx); err != nil {
				t.Fatal(err)
			}
			// then it answers the same, from the compact layout
			if got := serverView(t, s, centres); !reflect.DeepEqual(got, want) {
				for k := range want {
					if !reflect.DeepEqual(got[k], want[k]) {
						t.Errorf("%s differs after the upgrade", k)
					}
				}
			}
			if got := indexesOfRecords(t, s); !reflect.DeepEqual(got, wantIndexes) {
				t.Errorf("indexes %v, want %v", got, wantIndexes)
			}
		})
	}
}

// TestAFailedUpgradeLeavesTheOldLayout: the migrations run in one
// transaction, so one that fails part-way changes nothing.
func TestAFailedUpgradeLeavesTheOldLayout(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			fillCentres(t, s)
			toLayout3(t, s)
			old := indexesOfRecords(t, s)
			migrations = append(migrations, func(context.Context, *sqlStorage, *sql.Tx) error { return errors.New("disk full") })
			defer func() { migrations = migrations[:len(migrations)-1] }()
			if err := s.migrate(ctx); err == nil {
				t.Fatal("the failing migration passed")
			}
			if got := indexesOfRecords(t, s); !reflect.DeepEqual(got, old) {
				t.Errorf("indexes %v after a failed upgrade, want %v", got, old)
			}
			var v int
			if err := s.ro.QueryRow(`SELECT v FROM schema_version`).Scan(&v); err != nil || v != 3 {
				t.Errorf("schema version %d %v", v, err)
			}
		})
	}
}
