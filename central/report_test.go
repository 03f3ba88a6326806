package central

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

// nation is two centres' data pushed through Push, the way PCs send it:
//
//	Centre A (region 3201, Jawa Barat), PCs a1 and a2, welding (LAS):
//	  t1 village in 32, completed, outcomes not_working (2024) then employed (2025)
//	  t2 no village (so the centre's province 32), completed, outcome studying
//	  t3 village in 33 (Jawa Tengah), still active
//	  a2 edits t1's name concurrently with a1: one open conflict
//	Centre B (region 3507, Jawa Timur), PC b1, field JAH (no reference name):
//	  t4 village in 35, same NIK as t1, sex contradicting the NIK (a warning),
//	  completed, outcome self_employed; one trainee without a name (rejected)
//	Centre C: registered, never synced.
type nation struct {
	a, b, c    string
	t1, t4     string
	nik        string
	rejections int
}

func asChange(seq int64, rec domain.Record) domain.Change {
	vals := domain.Values(rec)
	delete(vals, "id")
	return domain.Change{Seq: seq, Table: domain.TableOf(rec).Name, ID: rec.Base().ID, Clock: domain.MakeClock(time.Now().UnixMilli(), seq), Fields: vals}
}

func pushAll(t testing.TB, s Storage, dev Device, recs ...domain.Record) PushResult {
	t.Helper()
	var ch []domain.Change
	for i, r := range recs {
		r.Base().CentreID = dev.CentreID
		ch = append(ch, asChange(int64(dev.AppliedSeq)+int64(i)+1, r))
	}
	res, err := s.Push(context.Background(), dev, ch)
	if err != nil {
		t.Fatalf("push from %s: %v", dev.ID, err)
	}
	return res
}

func seedNation(t *testing.T, s *sqlStorage) nation {
	t.Helper()
	ctx := context.Background()
	var n nation
	for _, c := range []struct {
		id     *string
		name   string
		region string
	}{{&n.a, "BLK Pesantren Al-Falah", "3201"}, {&n.b, "BLK Nurul Huda", "3507"}, {&n.c, "BLK Baru", "3301"}} {
		cc, err := s.AddCentre(ctx, Centre{Name: c.name, Region: c.region})
		if err != nil {
			t.Fatal(err)
		}
		*c.id = cc.ID
	}
	if err := s.ImportReference(ctx, []domain.Record{&domain.VocationalField{Code: "LAS", NameID: "Teknik Las", NameEN: "Welding"}}); err != nil {
		t.Fatal(err)
	}
	n.nik = domain.MakeNIK("320101", birth, true, 7)
	trainee := func(name, village, sex string) *domain.Trainee {
		return &domain.Trainee{Meta: domain.Meta{ID: domain.NewID()}, NIK: n.nik, Name: name, Sex: sex, BirthDate: "2001-08-17", VillageCode: village}
	}
	enrol := func(cohort, trainee, status string) *domain.Enrollment {
		e := &domain.Enrollment{Meta: domain.Meta{ID: domain.NewID()}, CohortID: cohort, TraineeID: trainee, Status: status, EnrolledOn: "2025-01-06"}
		if status == domain.EnrollmentCompleted {
			e.CompletedOn = "2025-03-28"
		}
		return e
	}
	outcome := func(trainee, on, status string) *domain.Outcome {
		return &domain.Outcome{Meta: domain.Meta{ID: domain.NewID()}, TraineeID: trainee, SurveyedOn: on, Status: status}
	}
	cohort := func(prog string) *domain.Cohort {
		return &domain.Cohort{Meta: domain.Meta{ID: domain.NewID()}, ProgrammeID: prog, Year: 2025, Number: 1, StartDate: "2025-01-06", EndDate: "2025-03-28", Quota: 16, Status: domain.CohortCompleted}
	}

	a1, a2, b1 := enrolled(t, s, n.a, "a1"), enrolled(t, s, n.a, "a2"), enrolled(t, s, n.b, "b1")
	pa := &domain.Programme{Meta: domain.Meta{ID: domain.NewID()}, Name: "Las SMAW", FieldCode: "LAS", TotalJP: 240, MinutesPerJP: 45}
	ca := cohort(pa.ID)
	t1 := trainee("Siti Aminah", "3201011001", "P")
	t2 := trainee("Dewi Lestari", "", "P")
	t2.NIK = domain.MakeNIK("320101", birth, true, 8)
	t3 := trainee("Rina Wati", "3301012001", "P")
	t3.NIK = domain.MakeNIK("320101", birth, true, 9)
	n.t1 = t1.ID
	if r := pushAll(t, s, a1, pa, ca, t1, t2, t3,
		enrol(ca.ID, t1.ID, domain.EnrollmentCompleted), enrol(ca.ID, t2.ID, domain.EnrollmentCompleted), enrol(ca.ID, t3.ID, domain.EnrollmentActive),
		outcome(t1.ID, "2024-06-01", domain.OutcomeNotWorking), outcome(t1.ID, "2025-01-10", domain.OutcomeEmployed), outcome(t2.ID, "2025-02-01", domain.OutcomeStudying),
	); len(r.Rejections) != 0 {
		t.Fatalf("centre A rejections: %+v", r.Rejections)
	}
	// a2 renames t1 without having seen a1's name: a same-field conflict.
	rename := domain.Change{Seq: 1, Table: "trainees", ID: t1.ID, Clock: domain.MakeClock(time.Now().UnixMilli()+1, 99), Fields: map[string]any{"name": "Siti Aminah Z"}}
	if r, err := s.Push(ctx, a2, []domain.Change{rename}); err != nil || r.Conflicts != 1 {
		t.Fatalf("conflicting rename: %+v %v", r, err)
	}

	pb := &domain.Programme{Meta: domain.Meta{ID: domain.NewID()}, Name: "Tata Busana", FieldCode: "JAH", TotalJP: 200, MinutesPerJP: 45}
	cb := cohort(pb.ID)
	t4 := trainee("Budi Santoso", "3507012001", "L")
	n.t4 = t4.ID
	r := pushAll(t, s, b1, pb, cb, t4, enrol(cb.ID, t4.ID, domain.EnrollmentCompleted), outcome(t4.ID, "2025-05-01", domain.OutcomeSelfEmployed),
		trainee("", "", "L"))
	if len(r.Rejections) != 1 {
		t.Fatalf("centre B: want the nameless trainee rejected, got %+v", r.Rejections)
	}
	n.rejections = 1
	return n
}

func TestCentreSummariesCountDevicesTraineesGraduatesAndStaleness(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			// given two centres that synced just now and one that never did
			n := seedNation(t, s)
			for _, tc := range []struct {
				name      string
				now       time.Time
				wantStale map[string]bool
			}{
				{"today", time.Now(), map[string]bool{n.a: false, n.b: false, n.c: true}},
				{"31 days later", time.Now().Add(31 * 24 * time.Hour), map[string]bool{n.a: true, n.b: true, n.c: true}},
			} {
				// when the summaries are read at that time
				got, err := s.CentreSummaries(context.Background(), tc.now, 30*24*time.Hour)
				if err != nil {
					t.Fatal(err)
				}
				// then counts and staleness are per centre
				if len(got) != 3 {
					t.Fatalf("%s: %d centres", tc.name, len(got))
				}
				want := map[string][3]int{n.a: {2, 3, 2}, n.b: {1, 1, 1}, n.c: {0, 0, 0}}
				for _, c := range got {
					if w := want[c.ID]; [3]int{c.Devices, c.Trainees, c.Graduates} != w {
						t.Errorf("%s: %s devices/trainees/graduates = %d/%d/%d, want %v", tc.name, c.Name, c.Devices, c.Trainees, c.Graduates, w)
					}
					if c.Stale != tc.wantStale[c.ID] {
						t.Errorf("%s: %s stale = %v", tc.name, c.Name, c.Stale)
					}
					if (c.ID == n.c) != c.LastSync.IsZero() {
						t.Errorf("%s: %s last sync %v", tc.name, c.Name, c.LastSync)
					}
				}
				if got[0].Province == "" {
					t.Errorf("no province name for %s (%s)", got[0].Name, got[0].Region)
				}
			}
		})
	}
}

func TestBreakdownsByProvinceAndField(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			// given the seeded nation
			seedNation(t, s)
			ctx := context.Background()
			// when broken down by province and by field
			prov, err := s.ByProvince(ctx)
			if err != nil {
				t.Fatal(err)
			}
			fields, err := s.ByField(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// then the trainee's village decides, else the centre's region
			wantProv := map[string]Breakdown{
				"32": {Code: "32", NameID: "Jawa Barat", NameEN: "Jawa Barat", Trainees: 2, Graduates: 2},
				"33": {Code: "33", NameID: "Jawa Tengah", NameEN: "Jawa Tengah", Trainees: 1, Graduates: 0},
				"35": {Code: "35", NameID: "Jawa Timur", NameEN: "Jawa Timur", Trainees: 1, Graduates: 1},
			}
			if len(prov) != len(wantProv) || prov[0].Code != "32" {
				t.Fatalf("provinces %+v", prov)
			}
			for _, p := range prov {
				if p != wantProv[p.Code] {
					t.Errorf("province %s = %+v, want %+v", p.Code, p, wantProv[p.Code])
				}
			}
			// and fields come through cohort → programme, named from reference data
			wantField := []Breakdown{
				{Code: "LAS", NameID: "Teknik Las", NameEN: "Welding", Trainees: 3, Graduates: 2},
				{Code: "JAH", NameID: "", NameEN: "", Trainees: 1, Graduates: 1},
			}
			if len(fields) != 2 || fields[0] != wantField[0] || fields[1] != wantField[1] {
				t.Fatalf("fields %+v, want %+v", fields, wantField)
			}
		})
	}
}

func TestOutcomesCountTheLatestSurveyPerTrainee(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			n := seedNation(t, s)
			for _, tc := range []struct {
				centre    string
				graduates int
				by        map[string]int
				rate      float64
			}{
				{"", 3, map[string]int{"employed": 1, "studying": 1, "self_employed": 1}, 2.0 / 3},
				{n.a, 2, map[string]int{"employed": 1, "studying": 1}, 0.5},
				{n.c, 0, map[string]int{}, 0},
			} {
				// when the outcomes of the country / one centre are summarised
				got, err := s.Outcomes(context.Background(), tc.centre)
				if err != nil {
					t.Fatal(err)
				}
				// then t1's older "not working" answer does not count
				traced := 0
				for _, v := range tc.by {
					traced += v
				}
				if got.Graduates != tc.graduates || got.Traced != traced || got.PlacementRate != tc.rate {
					t.Errorf("centre %q: %+v", tc.centre, got)
				}
				if len(got.ByStatus) != len(tc.by) {
					t.Errorf("centre %q: by status %v, want %v", tc.centre, got.ByStatus, tc.by)
				}
				for k, v := range tc.by {
					if got.ByStatus[k] != v {
						t.Errorf("centre %q: %s = %d, want %d", tc.centre, k, got.ByStatus[k], v)
					}
				}
			}
		})
	}
}

func TestOutcomesByCentreMatchOneCentreAtATime(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			n := seedNation(t, s)
			ctx := context.Background()
			all, err := s.OutcomesByCentre(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := all[n.c]; ok || len(all) != 2 {
				t.Fatalf("centres %v", all)
			}
			for _, c := range []string{n.a, n.b} {
				one, err := s.Outcomes(ctx, c)
				if err != nil {
					t.Fatal(err)
				}
				got := all[c]
				if got.Graduates != one.Graduates || got.Traced != one.Traced || got.PlacementRate != one.PlacementRate || fmt.Sprint(got.ByStatus) != fmt.Sprint(one.ByStatus) {
					t.Errorf("centre %s: all at once %+v, alone %+v", c, got, one)
				}
			}
		})
	}
}

func TestDataQualityPerCentre(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			n := seedNation(t, s)
			// when data quality is read for the country
			got, err := s.DataQuality(context.Background(), "", time.Now())
			if err != nil {
				t.Fatal(err)
			}
			// (and for one centre alone, which must give that centre's row)
			one, err := s.DataQuality(context.Background(), n.b, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 3 || len(one) != 1 || one[0].CentreID != n.b {
				t.Fatalf("%d centres, %d for centre B", len(got), len(one))
			}
			by := map[string]Quality{}
			for _, q := range got {
				by[q.CentreID] = q
			}
			// then each centre carries its own conflicts, rejections, warnings and duplicates
			a, b, c := by[n.a], by[n.b], by[n.c]
			if a.OpenConflicts != 1 || a.Rejections != 0 || a.Trainees != 3 || a.WithWarnings != 0 || a.DuplicateNIKs != 1 {
				t.Errorf("centre A %+v", a)
			}
			if b.OpenConflicts != 0 || b.Rejections != n.rejections || b.Trainees != 1 || b.WithWarnings != 1 || b.WarningsByField["sex"] != 1 || b.DuplicateNIKs != 1 {
				t.Errorf("centre B %+v", b)
			}
			if o := one[0]; o.OpenConflicts != b.OpenConflicts || o.Rejections != b.Rejections || o.Trainees != b.Trainees || o.WithWarnings != b.WithWarnings || o.DuplicateNIKs != b.DuplicateNIKs {
				t.Errorf("centre B alone %+v, in the country %+v", o, b)
			}
			if c.OpenConflicts+c.Rejections+c.Trainees+c.WithWarnings+c.DuplicateNIKs != 0 {
				t.Errorf("centre C %+v", c)
			}
		})
	}
}

func TestMetricsCountTheWholeServer(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			seedNation(t, s)
			m, err := s.Metrics(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if m.Centres != 3 || m.Devices != 3 || m.Revoked != 0 || m.Conflicts != 1 || m.Rejections != 1 || m.LastPush.IsZero() {
				t.Errorf("metrics %+v", m)
			}
			if m.Records["trainees"] != 4 || m.Records["outcomes"] != 4 || m.Records["vocational_fields"] != 1 || m.Records["attendance"] != 0 {
				t.Errorf("records %v", m.Records)
			}
			if _, ok := m.Records["attendance"]; !ok {
				t.Error("tables without rows must still be listed")
			}
		})
	}
}

func TestDashboardUsers(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// given no users: every login fails
			if err := s.CheckPassword(ctx, "ani", "rahasia-sekali"); !errors.Is(err, ErrBadLogin) {
				t.Fatalf("empty table: %v", err)
			}
			// bad input is refused and nothing is stored
			for _, bad := range []struct{ name, pw string }{{"ani", "pendek"}, {"", "rahasia-sekali"}, {"ani budi", "rahasia-sekali"}} {
				if _, err := s.AddUser(ctx, bad.name, bad.pw); !errors.Is(err, ErrInvalid) {
					t.Errorf("AddUser(%q, %q) = %v", bad.name, bad.pw, err)
				}
			}
			// when a user is added, then only the right password works
			if created, err := s.AddUser(ctx, "ani", "rahasia-sekali"); err != nil || !created {
				t.Fatalf("add: %v %v", created, err)
			}
			for _, tc := range []struct {
				name, pw string
				ok       bool
			}{{"ani", "rahasia-sekali", true}, {"ani", "rahasia-sekalI", false}, {"budi", "rahasia-sekali", false}} {
				if err := s.CheckPassword(ctx, tc.name, tc.pw); (err == nil) != tc.ok {
					t.Errorf("CheckPassword(%q, %q) = %v", tc.name, tc.pw, err)
				}
			}
			// and adding again sets a new password, retiring the old one
			if created, err := s.AddUser(ctx, "ani", "kata-sandi-baru"); err != nil || created {
				t.Fatalf("re-add: %v %v", created, err)
			}
			if err := s.CheckPassword(ctx, "ani", "rahasia-sekali"); !errors.Is(err, ErrBadLogin) {
				t.Errorf("old password still works: %v", err)
			}
			if err := s.CheckPassword(ctx, "ani", "kata-sandi-baru"); err != nil {
				t.Errorf("new password: %v", err)
			}
		})
	}
}

// The SQL storage is what the dashboard asserts on.
var _ Reporter = (*sqlStorage)(nil)

func TestTraineeNamesOfDuplicates(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			n := seedNation(t, s)
			got, err := s.TraineeNames(context.Background(), []string{n.t1, n.t4, "no-such-id"})
			if err != nil {
				t.Fatal(err)
			}
			// a2's later rename won the merge
			if len(got) != 2 || got[n.t1] != "Siti Aminah Z" || got[n.t4] != "Budi Santoso" {
				t.Fatalf("names %v", got)
			}
		})
	}
}

// seedVolume pushes centres × perCentre trainees, each enrolled, two in
// three completed, half of those traced: the shape of a busy country.
func seedVolume(b testing.TB, s *sqlStorage, centres, perCentre int) {
	ctx := context.Background()
	villages := []string{"3201011001", "3301012001", "3507012001", "1101012001", "7371011001"}
	for ci := range centres {
		c, err := s.AddCentre(ctx, Centre{Name: fmt.Sprintf("BLK %04d", ci), Region: villages[ci%len(villages)][:4]})
		if err != nil {
			b.Fatal(err)
		}
		code, _, err := s.NewCode(ctx, c.ID, time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		_, dev, err := s.Enrol(ctx, code, devID("pc-"+c.ID), "pc")
		if err != nil {
			b.Fatal(err)
		}
		prog := &domain.Programme{Meta: domain.Meta{ID: domain.NewID()}, Name: "Las", FieldCode: "LAS", TotalJP: 240, MinutesPerJP: 45}
		co := &domain.Cohort{Meta: domain.Meta{ID: domain.NewID()}, ProgrammeID: prog.ID, Year: 2025, Number: 1, StartDate: "2025-01-06", EndDate: "2025-03-28", Quota: 16, Status: domain.CohortCompleted}
		recs := []domain.Record{prog, co}
		for i := range perCentre {
			tr := &domain.Trainee{Meta: domain.Meta{ID: domain.NewID()}, NIK: domain.MakeNIK("320101", birth, true, ci*perCentre+i+1), Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17", VillageCode: villages[i%len(villages)]}
			e := &domain.Enrollment{Meta: domain.Meta{ID: domain.NewID()}, CohortID: co.ID, TraineeID: tr.ID, Status: domain.EnrollmentActive}
			recs = append(recs, tr, e)
			if i%3 != 0 {
				e.Status, e.CompletedOn = domain.EnrollmentCompleted, "2025-03-28"
				if i%2 == 0 {
					recs = append(recs, &domain.Outcome{Meta: domain.Meta{ID: domain.NewID()}, TraineeID: tr.ID, SurveyedOn: "2025-06-01", Status: domain.OutcomeEmployed})
				}
			}
		}
		for start := 0; start < len(recs); start += 1000 {
			dev.AppliedSeq = int64(start)
			pushAll(b, s, dev, recs[start:min(start+1000, len(recs))]...)
		}
	}
}

// BenchmarkReports times each dashboard query over 20 centres × 1,000
// trainees (20k trainees, 20k enrollments, ~6.7k outcomes) on SQLite, and on
// PostgreSQL when BLK_TEST_POSTGRES is set.
func BenchmarkReports(b *testing.B) {
	ctx := context.Background()
	kinds := []string{"sqlite"}
	if os.Getenv("BLK_TEST_POSTGRES") != "" {
		kinds = append(kinds, "postgres")
	}
	for _, kind := range kinds {
		var s *sqlStorage
		var err error
		if kind == "sqlite" {
			s, err = openSQLite(ctx, filepath.Join(b.TempDir(), "server.db"))
		} else {
			s, err = openPGSchema(b)
		}
		if err != nil {
			b.Fatal(err)
		}
		seedVolume(b, s, benchCentres, 1000)
		if kind == "postgres" {
			// What autovacuum does within a minute of a bulk load on a real
			// server; without statistics the planner takes the fresh
			// tables for empty and picks nested loops.
			if _, err := s.rw.ExecContext(ctx, "ANALYZE"); err != nil {
				b.Fatal(err)
			}
		}
		now := time.Now()
		for _, q := range []struct {
			name string
			run  func() error
		}{
			{"CentreSummaries", func() error { _, err := s.CentreSummaries(ctx, now, 30*24*time.Hour); return err }},
			{"ByProvince", func() error { _, err := s.ByProvince(ctx); return err }},
			{"ByField", func() error { _, err := s.ByField(ctx); return err }},
			{"Outcomes", func() error { _, err := s.Outcomes(ctx, ""); return err }},
			{"OutcomesByCentre", func() error { _, err := s.OutcomesByCentre(ctx); return err }},
			{"DataQualityAll", func() error { _, err := s.DataQuality(ctx, "", now); return err }},
			{"Duplicates", func() error { _, err := s.Duplicates(ctx, ""); return err }},
			{"Metrics", func() error { _, err := s.Metrics(ctx); return err }},
		} {
			b.Run(kind+"/"+q.name, func(b *testing.B) {
				for b.Loop() {
					if err := q.run(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		s.Close()
	}
}

// openPGSchema is openPG for benchmarks: a fresh schema, dropped afterwards.
func openPGSchema(b *testing.B) (*sqlStorage, error) {
	base := os.Getenv("BLK_TEST_POSTGRES")
	rb := make([]byte, 6)
	_, _ = rand.Read(rb)
	schema := "b_" + hex.EncodeToString(rb)
	db, err := sql.Open("pgx", base)
	if err != nil {
		return nil, err
	}
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		return nil, err
	}
	b.Cleanup(func() {
		_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return openPostgres(context.Background(), base+sep+"search_path="+schema)
}

// benchCentres × 1,000 trainees is the volume BenchmarkReports queries.
var benchCentres = 20
