package central

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

// backends opens one fresh store per kind: SQLite always, PostgreSQL when
// BLK_TEST_POSTGRES is set (each test in its own schema, dropped after).
func backends(t *testing.T) map[string]*sqlStorage {
	t.Helper()
	out := map[string]*sqlStorage{"sqlite": openTempSQLite(t)}
	if os.Getenv("BLK_TEST_POSTGRES") != "" {
		out["postgres"] = openPG(t)
	}
	return out
}

// openTempSQLite opens a server database in the test's temporary folder.
func openTempSQLite(t testing.TB) *sqlStorage {
	t.Helper()
	s, err := openSQLite(context.Background(), filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openPG(t testing.TB) *sqlStorage {
	t.Helper()
	base := os.Getenv("BLK_TEST_POSTGRES")
	if base == "" {
		t.Skip("PostgreSQL tests need BLK_TEST_POSTGRES, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	s, err := openPostgres(context.Background(), base+sep+"search_path="+schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func enrolled(t *testing.T, s *sqlStorage, centre, id string) Device {
	t.Helper()
	ctx := context.Background()
	code, _, err := s.NewCode(ctx, centre, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	_, d, err := s.Enrol(ctx, code, devID(id), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// devID names a test PC: device ids are UUIDs, and a readable name in the
// test maps to the same one every time.
func devID(name string) string { return domain.NaturalID("test device", name) }

func centreOf(t *testing.T, s *sqlStorage, name string) string {
	t.Helper()
	// Registered under the id its PC made, as after `blk init`: the PC
	// brings the profile, so the centre starts with no records at all.
	c, err := s.AddCentre(context.Background(), Centre{ID: domain.NewID(), Name: name, Region: "3201"})
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

var birth = time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC)

func traineeChange(seq int64, centre, id, name string, serial int) domain.Change {
	return domain.Change{Seq: seq, Table: "trainees", ID: id, Clock: domain.MakeClock(time.Now().UnixMilli(), seq), Fields: map[string]any{
		"centre_id": centre, "nik": domain.MakeNIK("320101", birth, true, serial), "name": name, "sex": "P", "birth_date": "2001-08-17",
	}}
}

func TestPushIsExactlyOncePerDeviceSeq(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK A")
			d := enrolled(t, s, c, "pc1")
			batch := []domain.Change{traineeChange(1, c, domain.NewID(), "Siti Aminah", 1), traineeChange(2, c, domain.NewID(), "Dewi Lestari", 2)}
			// given a batch applied once
			r1, err := s.Push(ctx, d, batch)
			if err != nil || r1.AppliedSeq != 2 {
				t.Fatalf("first push: %+v %v", r1, err)
			}
			p1, _ := s.Pull(ctx, c, "", 0, 0, 0)
			// when the same batch is sent again (its answer was lost)
			r2, err := s.Push(ctx, d, batch)
			// then it is a no-op with the same answer
			if err != nil || r2.AppliedSeq != 2 {
				t.Fatalf("second push: %+v %v", r2, err)
			}
			p2, _ := s.Pull(ctx, c, "", 0, 0, 0)
			if p1.Cursor != p2.Cursor || len(p2.Changes) != 2 {
				t.Fatalf("re-sent batch moved the centre sequence: %d → %d (%d changes)", p1.Cursor, p2.Cursor, len(p2.Changes))
			}
		})
	}
}

func TestInvalidChangeIsRejectedAloneWithAReasonThatRepeats(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK A")
			d := enrolled(t, s, c, "pc1")
			bad := traineeChange(2, c, domain.NewID(), "", 2)
			batch := []domain.Change{traineeChange(1, c, domain.NewID(), "Siti Aminah", 1), bad, traineeChange(3, c, domain.NewID(), "Dewi Lestari", 3)}
			for attempt := 0; attempt < 2; attempt++ {
				r, err := s.Push(ctx, d, batch)
				if err != nil {
					t.Fatal(err)
				}
				if r.AppliedSeq != 3 || len(r.Rejections) != 1 || r.Rejections[0].Seq != 2 || r.Rejections[0].Field != "name" ||
					r.Rejections[0].ReasonID == "" || r.Rejections[0].ReasonEN == "" {
					t.Fatalf("attempt %d: %+v", attempt, r)
				}
			}
			p, _ := s.Pull(ctx, c, "", 0, 0, 0)
			ids := map[string]bool{}
			for _, ch := range p.Changes {
				ids[ch.ID] = true
			}
			if len(ids) != 2 || ids[bad.ID] {
				t.Fatalf("stored %v; want the two valid trainees only", ids)
			}
		})
	}
}

func TestChangeFromAClockFarAheadIsRejected(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK A")
			d := enrolled(t, s, c, "pc1")
			ch := traineeChange(1, c, domain.NewID(), "Siti Aminah", 1)
			ch.Clock = domain.MakeClock(time.Now().AddDate(1, 0, 0).UnixMilli(), 0)
			r, err := s.Push(ctx, d, []domain.Change{ch})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Rejections) != 1 || !strings.Contains(r.Rejections[0].ReasonEN, "clock") {
				t.Fatalf("%+v: want a clock rejection", r)
			}
		})
	}
}

func TestDuplicateNIKIsAcceptedAndFlagged(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			a, b := centreOf(t, s, "BLK A"), centreOf(t, s, "BLK B")
			da1, da2, db := enrolled(t, s, a, "a1"), enrolled(t, s, a, "a2"), enrolled(t, s, b, "b1")
			// given the same person registered on two PCs of A and in B
			for _, p := range []struct {
				d Device
				c string
			}{{da1, a}, {da2, a}, {db, b}} {
				r, err := s.Push(ctx, p.d, []domain.Change{traineeChange(1, p.c, domain.NewID(), "Siti Aminah", 7)})
				if err != nil || len(r.Rejections) != 0 {
					t.Fatalf("push refused a duplicate NIK: %+v %v", r, err)
				}
			}
			// then the duplicate is listed, within and across centres
			dups, err := s.Duplicates(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			if len(dups) != 1 || len(dups[0].Trainees) != 3 {
				t.Fatalf("duplicates %+v", dups)
			}
		})
	}
}

func TestSourceYieldsOneCentresLiveRecordsInIDOrder(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			a, b := centreOf(t, s, "BLK A"), centreOf(t, s, "BLK B")
			da, db := enrolled(t, s, a, "a1"), enrolled(t, s, b, "b1")
			ids := []string{"0f000000-0000-7000-8000-000000000000", "0a000000-0000-7000-8000-000000000000", "0c000000-0000-7000-8000-000000000000"}
			var batch []domain.Change
			for i, id := range ids {
				batch = append(batch, traineeChange(int64(i+1), a, id, "Siti Aminah", i+1))
			}
			del := domain.Change{Seq: 4, Table: "trainees", ID: ids[2], Clock: domain.MakeClock(time.Now().UnixMilli(), 100), Fields: map[string]any{"deleted": true}, Base: map[string]domain.Version{"deleted": batch[2].Version()}}
			del.Base["deleted"] = domain.Version{Clock: batch[2].Clock, Device: da.ID}
			batch = append(batch, del)
			if _, err := s.Push(ctx, da, batch); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Push(ctx, db, []domain.Change{traineeChange(1, b, "01000000-0000-7000-8000-000000000000", "Dewi Lestari", 9)}); err != nil {
				t.Fatal(err)
			}
			var got []string
			err := s.Source(a).EachRecord(ctx, "trainees", func(r domain.Record) error {
				got = append(got, r.Base().ID)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0] != ids[1] || got[1] != ids[0] {
				t.Fatalf("got %v, want [%s %s]", got, ids[1], ids[0])
			}
		})
	}
}

func TestDeviceTokenIsStoredOnlyAsAHash(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK A")
			code, _, _ := s.NewCode(ctx, c, time.Hour)
			tok, _, err := s.Enrol(ctx, code, devID("pc1"), "pc1")
			if err != nil {
				t.Fatal(err)
			}
			var n int
			if err := s.ro.QueryRowContext(ctx, s.q(`SELECT count(*) FROM devices WHERE token_hash = ?`), tok).Scan(&n); err != nil || n != 0 {
				t.Fatalf("token stored in clear (%d, %v)", n, err)
			}
			if _, err := s.Authenticate(ctx, tok); err != nil {
				t.Fatalf("token does not authenticate: %v", err)
			}
			if _, _, err := s.Enrol(ctx, code, devID("pc2"), "pc2"); err != ErrBadCode {
				t.Fatalf("code used twice: %v", err)
			}
		})
	}
}

func TestReferenceDataReachesEveryCentresPull(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK A")
			if err := s.ImportReference(ctx, []domain.Record{&domain.VocationalField{Code: "TIK", NameID: "Teknologi Informasi", NameEN: "IT"}}); err != nil {
				t.Fatal(err)
			}
			p, err := s.Pull(ctx, c, "", 0, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.RefChanges) != 1 || p.RefChanges[0].ID != domain.NaturalID("vocational_field", "TIK") || p.RefCursor == 0 {
				t.Fatalf("pull %+v", p)
			}
		})
	}
}

// TestPullNeverSkipsAPushThatCommitsLate holds one push open after it has
// its centre seqs, starts a second push for the same centre, and pulls in
// between: the pull must not move past the open push's seqs.
func TestPullNeverSkipsAPushThatCommitsLate(t *testing.T) {
	s := openPG(t)
	ctx := context.Background()
	c := centreOf(t, s, "BLK A")
	d1, d2 := enrolled(t, s, c, "pc1"), enrolled(t, s, c, "pc2")
	// The centre's profile, written when it was registered, is already there.
	before, err := s.Pull(ctx, c, "", 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// while the second push is queued behind the first one's lock, a pull
	// sees neither
	var mid PullResult
	errs := pushesSideBySideAnd(t, s,
		func() error {
			_, err := s.Push(ctx, d1, []domain.Change{traineeChange(1, c, domain.NewID(), "Siti Aminah", 1)})
			return err
		},
		func() error {
			_, err := s.Push(ctx, d2, []domain.Change{traineeChange(1, c, domain.NewID(), "Dewi Lestari", 2)})
			return err
		},
		"%", func() {
			var err error
			if mid, err = s.Pull(ctx, c, "", before.Cursor, 0, 0); err != nil {
				t.Error(err)
				return
			}
			if len(mid.Changes) != 0 || mid.Cursor != before.Cursor {
				t.Errorf("pull during the open push moved from %d to %d with %d changes", before.Cursor, mid.Cursor, len(mid.Changes))
			}
		})
	if t.Failed() {
		t.FailNow()
	}
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	after, err := s.Pull(ctx, c, "", mid.Cursor, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	names := map[any]bool{}
	for _, ch := range after.Changes {
		names[ch.Fields["name"]] = true
	}
	if !names["Siti Aminah"] || !names["Dewi Lestari"] {
		t.Fatalf("pull after both commits missed one: %v", names)
	}
}

// TestARetryQueuedBehindItsFirstSendingIsANoOp: a PC sends a batch again
// while its first sending still holds the centre's lock (its answer was
// slow and the PC gave up on it, or the app and `blk sync` ran at once).
// Once the retry gets the lock it must see what the first sending
// applied: merged a second time, the batch's create of a trainee would
// come back as a conflict with its own later edit, and move the centre's
// seq for it (PostgreSQL: a statement that waited for a row lock sees the
// locked row as committed since, but the other rows it joins as they were
// when it began).
func TestARetryQueuedBehindItsFirstSendingIsANoOp(t *testing.T) {
	s := openPG(t)
	ctx := context.Background()
	c := centreOf(t, s, "BLK A")
	d := enrolled(t, s, c, "pc1")
	id := domain.NewID()
	batch := func() []domain.Change { // each sending decodes its own copy
		create := traineeChange(1, c, id, "Siti Aminah", 1)
		edit := domain.Change{Seq: 2, Table: "trainees", ID: id, Clock: create.Clock + 1, Fields: map[string]any{"name": "Siti Aminah Putri"},
			Base: map[string]domain.Version{"name": {Clock: create.Clock, Device: d.ID}}}
		return []domain.Change{create, edit}
	}
	var seq0 int64
	if err := s.ro.QueryRowContext(ctx, `SELECT last_seq FROM centres WHERE id = $1`, c).Scan(&seq0); err != nil {
		t.Fatal(err)
	}
	first := batch()
	results := make([]PushResult, 2)
	// given the first sending holding the lock, and the retry waiting for
	// it, when the first sending commits
	errs := pushesSideBySide(t, s,
		func() (err error) { results[0], err = s.Push(ctx, d, first); return err },
		func() (err error) { results[1], err = s.Push(ctx, d, batch()); return err },
		"%FROM centres c JOIN devices d%")
	var seqHeld int64
	for i, err := range errs {
		if err != nil {
			t.Fatalf("sending %d: %v", i+1, err)
		}
	}
	// then the retry applied nothing again
	if err := s.ro.QueryRowContext(ctx, `SELECT last_seq FROM centres WHERE id = $1`, c).Scan(&seqHeld); err != nil {
		t.Fatal(err)
	}
	var conflicts int
	if err := s.ro.QueryRowContext(ctx, `SELECT count(*) FROM conflicts WHERE centre_id = $1`, c).Scan(&conflicts); err != nil {
		t.Fatal(err)
	}
	if conflicts != 0 || results[1].Conflicts != 0 || results[1].AppliedSeq != 2 {
		t.Errorf("the retry answered %+v and left %d conflicts, want a no-op at applied seq 2", results[1], conflicts)
	}
	p, err := s.Pull(ctx, c, "", 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Cursor != seqHeld || len(p.Conflicts) != 0 {
		t.Errorf("pull: cursor %d (centre seq %d), %d conflicts", p.Cursor, seqHeld, len(p.Conflicts))
	}
	var names []any
	for _, ch := range p.Changes {
		if name, ok := ch.Fields["name"]; ok && ch.ID == id {
			names = append(names, name)
		}
	}
	if len(names) != 1 || names[0] != "Siti Aminah Putri" {
		t.Errorf("the trainee's name as pulled: %v", names)
	}
	// the centre's seq moved for the first sending alone: its two changes
	if seqHeld != seq0+2 {
		t.Errorf("centre seq %d after one batch of two changes from %d", seqHeld, seq0)
	}
}

type domainChange = domain.Change

func newID() string { return domain.NewID() }

// Two centres' pushes run side by side on PostgreSQL, so a record both
// create at the same moment is new to both merges. The second insert
// meets the first's row: it must not take it over (a PC knowing another
// centre's id would otherwise overwrite that centre's trainee), and its
// push fails whole, as when the merge finds the row.
func TestARecordTwoCentresCreateAtOnceStaysTheFirstsOnPostgres(t *testing.T) {
	s := openPG(t)
	ctx := context.Background()
	a, b := centreOf(t, s, "BLK A"), centreOf(t, s, "BLK B")
	da, db := enrolled(t, s, a, "pc-a"), enrolled(t, s, b, "pc-b")
	id := domain.NewID()
	var seqB0 int64
	if err := s.ro.QueryRowContext(ctx, `SELECT last_seq FROM centres WHERE id = $1`, b).Scan(&seqB0); err != nil {
		t.Fatal(err)
	}
	// given centre A's push holding its new row uncommitted, and centre B's
	// push of the same id waiting on it in its insert, when A's commits
	errs := pushesSideBySide(t, s,
		func() error {
			_, err := s.Push(ctx, da, []domain.Change{traineeChange(1, a, id, "Siti Aminah", 1)})
			return err
		},
		func() error {
			_, err := s.Push(ctx, db, []domain.Change{traineeChange(1, b, id, "Penyusup", 2)})
			return err
		},
		"INSERT INTO records%")
	// then A's trainee is A's, as A wrote it, and B's push was refused whole
	if errs[0] != nil {
		t.Fatalf("centre A's push: %v", errs[0])
	}
	if !errors.Is(errs[1], ErrForbidden) {
		t.Fatalf("centre B's push of A's new record answered %v, want ErrForbidden", errs[1])
	}
	var centreNo, wantNo int64
	var data string
	if err := s.ro.QueryRowContext(ctx, `SELECT centre_no, data FROM records WHERE tbl = 'trainees' AND id = $1`, id).Scan(&centreNo, &data); err != nil {
		t.Fatal(err)
	}
	if err := s.ro.QueryRowContext(ctx, `SELECT centre_no FROM centres WHERE id = $1`, a).Scan(&wantNo); err != nil {
		t.Fatal(err)
	}
	if centreNo != wantNo || !strings.Contains(data, "Siti Aminah") || strings.Contains(data, "Penyusup") {
		t.Errorf("the record is centre %d's (A is %d) with %s", centreNo, wantNo, data)
	}
	var seqB int64
	if err := s.ro.QueryRowContext(ctx, `SELECT last_seq FROM centres WHERE id = $1`, b).Scan(&seqB); err != nil {
		t.Fatal(err)
	}
	if seqB != seqB0 {
		t.Errorf("centre B's seq moved from %d to %d for a refused push", seqB0, seqB)
	}
	// and B's next try is refused by the merge, which now reads A's row
	if _, err := s.Push(ctx, db, []domain.Change{traineeChange(1, b, id, "Penyusup", 2)}); !errors.Is(err, ErrForbidden) {
		t.Errorf("centre B's retry answered %v, want ErrForbidden", err)
	}
}

// pushesSideBySide runs first and holds it just before its commit, runs
// second until PostgreSQL shows it waiting for a lock in a statement LIKE
// waiting, then lets first commit and waits for both.
func pushesSideBySide(t *testing.T, s *sqlStorage, first, second func() error, waiting string) [2]error {
	t.Helper()
	return pushesSideBySideAnd(t, s, first, second, waiting, nil)
}

// pushesSideBySideAnd is pushesSideBySide running meanwhile (when not nil)
// while second waits and first still holds its commit.
func pushesSideBySideAnd(t *testing.T, s *sqlStorage, first, second func() error, waiting string, meanwhile func()) [2]error {
	t.Helper()
	ctx := context.Background()
	reached, release := make(chan struct{}), make(chan struct{})
	var releaseOnce, once gosync.Once
	defer releaseOnce.Do(func() { close(release) })
	s.beforeCommit = func() {
		once.Do(func() {
			close(reached)
			<-release
		})
	}
	defer func() { s.beforeCommit = nil }()
	var wg gosync.WaitGroup
	var errs [2]error
	wg.Add(1)
	go func() {
		defer wg.Done()
		errs[0] = first()
	}()
	<-reached
	wg.Add(1)
	go func() {
		defer wg.Done()
		errs[1] = second()
	}()
	for {
		var n int
		if err := s.ro.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()
			AND query LIKE $1`, waiting).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if meanwhile != nil {
		meanwhile()
	}
	releaseOnce.Do(func() { close(release) })
	wg.Wait()
	return errs
}
