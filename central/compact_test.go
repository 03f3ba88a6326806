package central

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/demo/gen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
	"github.com/kemnaker/blk/msg"
)

// genSink pushes the demo generator's batches as one PC of a centre.
type genSink struct {
	s     *sqlStorage
	dev   Device
	seq   int64
	certs int
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
		if en, ok := rec.(*domain.Enrollment); ok && en.Status == domain.EnrollmentCompleted && en.CompletedOn != "" {
			// a graduation issues its certificate, as on a PC
			g.certs++
			code, err := domain.NewCertificateCode(nil)
			if err != nil {
				return err
			}
			c := &domain.Certificate{EnrollmentID: en.ID, Number: domain.CertificateNumber(domain.CertificatePrefix(g.dev.CentreCode, "TIK", 2026, "1"), g.certs),
				Code: code, IssuedOn: en.CompletedOn}
			c.ID = domain.NaturalID("certificate", g.dev.CentreID, c.Number)
			c.CentreID = g.dev.CentreID
			g.seq++
			cf := domain.FieldValues{}
			for _, fd := range domain.TableOf(c).DataFields() {
				cf[fd.Name] = fd.Get(c)
			}
			changes = append(changes, domain.Change{Seq: g.seq, Table: "certificates", ID: c.ID, Clock: domain.MakeClock(1_750_000_000_000+g.seq, 0), Fields: cf})
		}
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
		k, err := s.Kemandirian(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		out["kemandirian "+c] = k
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
	now := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	var err error
	if out["summaries"], err = s.CentreSummaries(ctx, now, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	if out["provinces"], err = s.ByProvince(ctx); err != nil {
		t.Fatal(err)
	}
	if out["fields"], err = s.ByField(ctx); err != nil {
		t.Fatal(err)
	}
	if out["outcomes"], err = s.Outcomes(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if out["quality"], err = s.DataQuality(ctx, "", now); err != nil {
		t.Fatal(err)
	}
	if out["tracer"], err = s.TracerReport(ctx, now); err != nil {
		t.Fatal(err)
	}
	if out["duplicates"], err = s.Duplicates(ctx, ""); err != nil {
		t.Fatal(err)
	}
	var number, code string
	if err := s.ro.QueryRow(`SELECT k1, k2 FROM records WHERE tbl = 'certificates' ORDER BY seq LIMIT 1`).Scan(&number, &code); err != nil {
		t.Fatal(err)
	}
	check, err := s.CheckCertificate(ctx, code, number)
	if err != nil || check.Holder == "" || len(check.Units) == 0 {
		t.Fatalf("certificate check %+v %v", check, err)
	}
	out["certificate"] = check
	return out
}

// toLayout3 turns a database back into the layout of schema version 3
// (before compactIndexes): what today's servers hold.
func toLayout3(t *testing.T, s *sqlStorage) { toLayout(t, s, 3) }

// toLayout turns a database back into the layout of schema version v: 3
// (old indexes, full data, versions by name), 5 (compact data, versions
// by name), 6 (versions by field number, devices by UUID), 7 (devices
// by number, projected fields still in data), 8 (records carry their
// centre's id, not its number) or 9 (data as JSON objects).
func toLayout(t *testing.T, s *sqlStorage, v int) {
	t.Helper()
	if v <= migrationIndex(dataByPosition) {
		toJSONData(t, s)
	}
	if v < centresNumbered() {
		toCentreIDs(t, s)
	}
	if v >= 8 {
		if _, err := s.rw.Exec(`UPDATE schema_version SET v = ` + strconv.Itoa(v)); err != nil {
			t.Fatal(err)
		}
		return
	}
	sts := []string{`UPDATE schema_version SET v = ` + strconv.Itoa(v)}
	if v < 4 {
		sts = append(sts, `DROP INDEX records_centre_tables`,
			`DROP INDEX records_certificate_no`,
			`CREATE INDEX records_centre_tbl ON records (centre_id, tbl, id)`,
			`CREATE INDEX records_k1 ON records (tbl, k1)`)
	}
	for _, st := range sts {
		if _, err := s.rw.Exec(st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
	// data held id, centre_id and deleted (json.Marshal of every value)
	rows, err := s.rw.Query(`SELECT tbl, id, centre_id, deleted, k1, k2, k3, data, vers FROM records`)
	if err != nil {
		t.Fatal(err)
	}
	type old struct{ tbl, id, data, vers string }
	var olds []old
	for rows.Next() {
		var tbl, id, centre, data, vers string
		var deleted int
		var k [3]string
		if err := rows.Scan(&tbl, &id, &centre, &deleted, &k[0], &k[1], &k[2], &data, &vers); err != nil {
			t.Fatal(err)
		}
		rest, mask := splitMask(vers)
		if mask == 0 {
			t.Fatalf("%s %s: no field left out of %s", tbl, id, data)
		}
		if !strings.HasPrefix(rest, "^") {
			t.Fatalf("%s %s: versions %q not by field number", tbl, id, rest)
		}
		vers0, err := decodeVersionsOf(tbl, rest, s.deviceOf(context.Background(), s.ro, centre))
		if err != nil {
			t.Fatal(err)
		}
		numbered := rest
		rest = encodeVersions(vers0)
		vals := map[string]json.RawMessage{}
		if err := json.Unmarshal([]byte(data), &vals); err != nil {
			t.Fatal(err)
		}
		key := rowKey{id, centre, deleted != 0, k}
		keep := 0 // layouts 5 and 6 left out id, centre_id and deleted only
		if v >= 5 {
			keep = mask & 7
		}
		for i, name := range leftOut(domain.LookupTable(tbl)) {
			if mask&(1<<i) != 0 && keep&(1<<i) == 0 {
				vals[name], _ = json.Marshal(key.value(i))
			}
		}
		b, _ := json.Marshal(vals)
		newVers := rest
		switch v {
		case 5:
			newVers = withMask(rest, keep)
		case 6:
			newVers = withMask(encodeVersionsOf(tbl, vers0, nil), keep)
		case 7:
			newVers = withMask(numbered, keep)
		}
		if legacySize(tbl, string(b), newVers, key) != legacySize(tbl, data, vers, key) {
			t.Fatalf("%s %s: legacy size %d, was %d", tbl, id, legacySize(tbl, string(b), newVers, key), legacySize(tbl, data, vers, key))
		}
		olds = append(olds, old{tbl, id, string(b), newVers})
	}
	rows.Close()
	for _, o := range olds {
		if _, err := s.rw.Exec(s.q(`UPDATE records SET data = ?, vers = ? WHERE tbl = ? AND id = ?`), o.data, o.vers, o.tbl, o.id); err != nil {
			t.Fatal(err)
		}
	}
}

// toJSONData writes every record's data back as the JSON object it was
// before dataByPosition.
func toJSONData(t *testing.T, s *sqlStorage) {
	t.Helper()
	rows, err := s.rw.Query(`SELECT tbl, id, data FROM records`)
	if err != nil {
		t.Fatal(err)
	}
	var args [][]any
	for rows.Next() {
		var tbl, id, data string
		if err := rows.Scan(&tbl, &id, &data); err != nil {
			t.Fatal(err)
		}
		if !isPositional(data) {
			t.Fatalf("%s %s: data %s not by position", tbl, id, data)
		}
		if back := positionalData(tbl, []byte(jsonData(tbl, data))); back != data {
			t.Fatalf("%s %s: %s back and forth is %s", tbl, id, data, back)
		}
		args = append(args, []any{jsonData(tbl, data), tbl, id})
	}
	rows.Close()
	for _, a := range args {
		if _, err := s.rw.Exec(s.q(`UPDATE records SET data = ? WHERE tbl = ? AND id = ?`), a...); err != nil {
			t.Fatal(err)
		}
	}
}

// toCentreIDs rebuilds the records table as it was before numberCentres:
// the centre's id in every row, and centres without numbers.
func toCentreIDs(t *testing.T, s *sqlStorage) {
	t.Helper()
	sts := []string{
		`CREATE TABLE records_ids (tbl TEXT NOT NULL, id TEXT NOT NULL, centre_id TEXT NOT NULL, seq BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, nik TEXT NOT NULL DEFAULT '', data TEXT NOT NULL, vers TEXT NOT NULL,
			k1 TEXT NOT NULL DEFAULT '', k2 TEXT NOT NULL DEFAULT '', k3 TEXT NOT NULL DEFAULT '', PRIMARY KEY (tbl, id))`,
		`INSERT INTO records_ids SELECT r.tbl, r.id, c.id, r.seq, r.deleted, r.nik, r.data, r.vers, r.k1, r.k2, r.k3 FROM records r JOIN centres c ON c.centre_no = r.centre_no`,
		`DROP TABLE records`,
		`ALTER TABLE records_ids RENAME TO records`,
	}
	if s.d.name == "postgres" {
		sts = append(sts, `ALTER TABLE records RENAME CONSTRAINT records_ids_pkey TO records_pkey`)
	}
	sts = append(sts, `CREATE INDEX records_centre_seq ON records (centre_id, seq)`,
		`CREATE INDEX records_centre_tables ON records (centre_id, tbl)`,
		`CREATE INDEX records_nik ON records (nik) WHERE nik <> ''`,
		`CREATE INDEX records_projection ON records (tbl, deleted, k2, k1)`,
		`CREATE INDEX records_certificate_no ON records (k1) WHERE tbl = 'certificates'`,
		`DROP INDEX centres_no`,
		`ALTER TABLE centres DROP COLUMN centre_no`)
	for _, st := range sts {
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
	for _, from := range []int{3, 5, 6, 7, 8, 9} {
		t.Run("from "+strconv.Itoa(from), func(t *testing.T) { upgradeKeepsPullsAndExports(t, from) })
	}
}

func upgradeKeepsPullsAndExports(t *testing.T, from int) {
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
			// when its database is in an old layout and the server opens it
			toLayout(t, s, from)
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
			var numbered, own int
			if err := s.ro.QueryRow(`SELECT count(*), sum(CASE WHEN vers LIKE '%.#%' THEN 1 ELSE 0 END) FROM records WHERE centre_no <> 0 AND vers NOT LIKE '%!server%'`).Scan(&own, &numbered); err != nil || numbered != own {
				t.Errorf("%d of %d centre records name their PCs by number (%v)", numbered, own, err)
			}
			var full, named int
			if err := s.ro.QueryRow(`SELECT count(*) FROM records WHERE vers NOT LIKE '*_^%' AND vers NOT LIKE '*__^%'`).Scan(&full); err != nil || full != 0 {
				t.Errorf("%d records still hold their id, centre, deleted or projected fields in data or name their versions' fields (%v)", full, err)
			}
			if err := s.ro.QueryRow(`SELECT count(*) FROM records WHERE data NOT LIKE '[%'`).Scan(&named); err != nil || named != 0 {
				t.Errorf("%d records still name their data's fields (%v)", named, err)
			}
			rows, err := s.ro.Query(`SELECT tbl, data FROM records WHERE tbl = 'enrollments'`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var tbl, data string
				if err := rows.Scan(&tbl, &data); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(jsonData(tbl, data), `"trainee_id"`) {
					t.Errorf("an enrollment still holds its trainee in data: %s", jsonData(tbl, data))
				}
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
			var ids int
			if err := s.ro.QueryRow(`SELECT count(DISTINCT centre_id) FROM records`).Scan(&ids); err != nil || ids != 3 {
				t.Errorf("records of %d centres by id after a failed upgrade (%v), want 3", ids, err)
			}
		})
	}
}

// TestUpgradeRefusesRecordsOfAnUnknownCentre: records whose centre the
// centres table lacks (no server writes them; a hand edit or a partial
// restore can) stop the upgrade to centre numbers before it changes
// anything, with a message naming a centre and what to do; once the
// centre is registered the upgrade goes through and keeps its records.
func TestUpgradeRefusesRecordsOfAnUnknownCentre(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			centres := fillCentres(t, s)
			toLayout(t, s, centresNumbered()-1)
			old := indexesOfRecords(t, s)
			gone := domain.NewID()
			res, err := s.rw.Exec(s.q(`UPDATE records SET centre_id = ? WHERE centre_id = ? AND tbl = 'trainees'`), gone, centres[0])
			if err != nil {
				t.Fatal(err)
			}
			moved, _ := res.RowsAffected()
			if moved == 0 {
				t.Fatal("no trainee to move")
			}
			// when the server opens it
			err = s.migrate(ctx)
			// then it refuses, says which centre and what to do
			if err == nil {
				t.Fatal("the upgrade went through with records of an unknown centre")
			}
			for _, want := range []string{strconv.FormatInt(moved, 10) + " records", gone, "centre add --id"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the refusal %q does not say %q", err, want)
				}
			}
			// and changed nothing
			var v int
			if err := s.ro.QueryRow(`SELECT v FROM schema_version`).Scan(&v); err != nil || v != centresNumbered()-1 {
				t.Errorf("schema version %d %v", v, err)
			}
			if got := indexesOfRecords(t, s); !reflect.DeepEqual(got, old) {
				t.Errorf("indexes %v after the refusal, want %v", got, old)
			}
			var n int64
			if err := s.ro.QueryRow(s.q(`SELECT count(*) FROM records WHERE centre_id = ?`), gone).Scan(&n); err != nil || n != moved {
				t.Errorf("%d records of the unknown centre by id after the refusal (%v), want %d", n, err, moved)
			}
			// when the centre is registered (by the binary before the upgrade)
			if _, err := s.rw.Exec(s.q(`INSERT INTO centres (id, name, region, created_at) VALUES (?, 'BLK Lama', '3201', 1)`), gone); err != nil {
				t.Fatal(err)
			}
			// then the upgrade goes through and its records are its own
			if err := s.migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := s.ro.QueryRow(s.q(`SELECT count(*) FROM records WHERE centre_no = `+centreNoOf), gone).Scan(&n); err != nil || n != moved {
				t.Errorf("%d records of the registered centre after the upgrade (%v), want %d", n, err, moved)
			}
		})
	}
}

// TestUpgradeKeepsDataItCannotPutByPositionAsItWas: a record whose data
// is JSON that json.Marshal would not have written (spaces, keys out of
// order: a hand edit, another tool) cannot be stored by position and read
// back byte for byte, so the upgrade to positional data keeps it as it
// is, and the server answers exactly what it answered before.
func TestUpgradeKeepsDataItCannotPutByPositionAsItWas(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			centres := fillCentres(t, s)
			toLayout(t, s, migrationIndex(dataByPosition))
			odd := map[string]string{}
			for _, tbl := range []string{"trainees", "attendance"} {
				var id, data string
				if err := s.ro.QueryRow(s.q(`SELECT id, data FROM records WHERE tbl = ? ORDER BY seq LIMIT 1`), tbl).Scan(&id, &data); err != nil {
					t.Fatal(err)
				}
				var b bytes.Buffer
				if tbl == "trainees" {
					if err := json.Indent(&b, []byte(data), "", "  "); err != nil {
						t.Fatal(err)
					}
				} else {
					held := map[string]json.RawMessage{}
					if err := json.Unmarshal([]byte(data), &held); err != nil || len(held) < 2 {
						t.Fatalf("%s: %v", data, err)
					}
					var names []string
					for n := range held {
						names = append(names, n)
					}
					sort.Sort(sort.Reverse(sort.StringSlice(names)))
					b.WriteByte('{')
					for i, n := range names {
						if i > 0 {
							b.WriteByte(',')
						}
						fmt.Fprintf(&b, "%q:%s", n, held[n])
					}
					b.WriteByte('}')
				}
				if _, err := s.rw.Exec(s.q(`UPDATE records SET data = ? WHERE tbl = ? AND id = ?`), b.String(), tbl, id); err != nil {
					t.Fatal(err)
				}
				odd[id] = b.String()
			}
			want := serverView(t, s, centres)
			// when the server upgrades
			if err := s.migrate(ctx); err != nil {
				t.Fatal(err)
			}
			// then those records keep their data, the others are by position
			for id, data := range odd {
				var got string
				if err := s.ro.QueryRow(s.q(`SELECT data FROM records WHERE id = ?`), id).Scan(&got); err != nil || got != data {
					t.Errorf("record %s holds %s after the upgrade (%v), want %s", id, got, err, data)
				}
			}
			var positional, all int
			if err := s.ro.QueryRow(`SELECT count(*) FROM records WHERE data LIKE '[%'`).Scan(&positional); err != nil {
				t.Fatal(err)
			}
			if err := s.ro.QueryRow(`SELECT count(*) FROM records`).Scan(&all); err != nil {
				t.Fatal(err)
			}
			if positional != all-len(odd) {
				t.Errorf("%d of %d records by position, want all but %d", positional, all, len(odd))
			}
			if got := serverView(t, s, centres); !reflect.DeepEqual(got, want) {
				for k := range want {
					if !reflect.DeepEqual(got[k], want[k]) {
						t.Errorf("%s differs after the upgrade", k)
					}
				}
			}
		})
	}
}

// TestANewerSchemaIsRefusedAndLeftAlone: a database a newer blk-server has
// upgraded (an operator rolling the binary back after an upgrade) is
// refused with what to do, in both languages, and nothing in it changes.
func TestANewerSchemaIsRefusedAndLeftAlone(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			fillCentres(t, s)
			newer := len(migrations) + 1
			if _, err := s.rw.Exec(s.q(`UPDATE schema_version SET v = ?`), newer); err != nil {
				t.Fatal(err)
			}
			var before int
			if err := s.ro.QueryRow(`SELECT count(*) FROM records`).Scan(&before); err != nil {
				t.Fatal(err)
			}
			err := s.migrate(ctx)
			var ns *NewerSchemaError
			if !errors.As(err, &ns) || ns.Have != newer || ns.Know != len(migrations) {
				t.Fatalf("opening a newer schema: %v", err)
			}
			if !strings.Contains(err.Error(), "newer blk-server") || !strings.Contains(ns.Localized(msg.Indonesian), "blk-server yang lebih baru") {
				t.Errorf("the refusal says %q / %q", err.Error(), ns.Localized(msg.Indonesian))
			}
			var v, after int
			if err := s.ro.QueryRow(`SELECT v FROM schema_version`).Scan(&v); err != nil || v != newer {
				t.Errorf("schema version %d (%v) after the refusal, want %d", v, err, newer)
			}
			if err := s.ro.QueryRow(`SELECT count(*) FROM records`).Scan(&after); err != nil || after != before {
				t.Errorf("%d records after the refusal (%v), want %d", after, err, before)
			}
		})
	}
}
