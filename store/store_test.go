package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

var today = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// newStore opens a fresh on-disk store with a centre profile.
func newStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return today }
	if _, err := s.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren", VillageCode: "3201011001"}); err != nil {
		t.Fatal(err)
	}
	return s
}

func validTrainee() *domain.Trainee {
	return &domain.Trainee{
		NIK:       domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, 1),
		Name:      "Siti Aminah",
		Sex:       "P",
		BirthDate: "2001-08-17",
		Phone:     "0812-3456-7890",
	}
}

func outboxLen(t *testing.T, s *store.Store) int {
	t.Helper()
	cs, err := s.PendingChanges(context.Background(), 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return len(cs)
}

func TestSaveTraineeWritesRowAndOutboxTogether(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	before := outboxLen(t, s)

	tr := validTrainee()
	warnings, err := s.Save(ctx, tr)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Fatalf("unexpected warnings: %v", warnings)
	}
	got := &domain.Trainee{}
	got.ID = tr.ID
	if err := s.Get(ctx, got); err != nil {
		t.Fatal(err)
	}
	if got.Phone != "+6281234567890" || got.CentreID != s.CentreID() {
		t.Fatalf("stored %+v", got)
	}
	changes, _ := s.PendingChanges(ctx, 0, 100)
	if len(changes) != before+1 {
		t.Fatalf("outbox has %d entries, want %d", len(changes), before+1)
	}
	last := changes[len(changes)-1]
	if last.Table != "trainees" || last.ID != tr.ID || last.Fields["name"] != "Siti Aminah" {
		t.Fatalf("outbox entry %+v", last)
	}

	// An update carries only the field that changed, and the version it replaced.
	got.Name = "Siti Aminah Rahayu"
	if _, err := s.Save(ctx, got); err != nil {
		t.Fatal(err)
	}
	changes, _ = s.PendingChanges(ctx, last.Seq, 100)
	if len(changes) != 1 || len(changes[0].Fields) != 1 || changes[0].Fields["name"] != "Siti Aminah Rahayu" {
		t.Fatalf("update outbox: %+v", changes)
	}
	if b := changes[0].Base["name"]; b.Clock != last.Clock || b.Device != s.DeviceID() {
		t.Fatalf("base of update = %+v, want the create's version %v", b, last.Version())
	}
	if changes[0].Clock <= last.Clock {
		t.Fatal("clock did not move forward")
	}
}

func TestRefusedWriteLeavesNothingBehind(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	first := validTrainee()
	if _, err := s.Save(ctx, first); err != nil {
		t.Fatal(err)
	}
	before := outboxLen(t, s)
	tests := []struct {
		name  string
		edit  func(*domain.Trainee)
		field string
	}{
		{"bad NIK length", func(tr *domain.Trainee) { tr.NIK = "320101570801000" }, "nik"},
		{"duplicate NIK in centre", func(tr *domain.Trainee) {}, "nik"},
		{"bad phone", func(tr *domain.Trainee) {
			tr.NIK = domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, 2)
			tr.Phone = "12345"
		}, "phone"},
		{"missing name", func(tr *domain.Trainee) {
			tr.NIK = domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, 3)
			tr.Name = ""
		}, "name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := validTrainee()
			tc.edit(tr)
			_, err := s.Save(ctx, tr)
			var ve *domain.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("want a validation error, got %v", err)
			}
			if len(ve.Problems.For(tc.field)) == 0 {
				t.Fatalf("want a problem on %s, got %v", tc.field, ve.Problems)
			}
			n, _ := s.Count(ctx, domain.LookupTable("trainees"), store.Query{})
			if n != 1 {
				t.Fatalf("trainees = %d after a refused write, want 1", n)
			}
			if got := outboxLen(t, s); got != before {
				t.Fatalf("outbox grew from %d to %d after a refused write", before, got)
			}
		})
	}
}

func TestTransactionRollsBackEveryWriteOnError(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	before := outboxLen(t, s)
	boom := errors.New("cancelled half-way")
	err := s.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Save(validTrainee()); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if n, _ := s.Count(ctx, domain.LookupTable("trainees"), store.Query{}); n != 0 {
		t.Fatalf("trainees = %d, want 0", n)
	}
	if got := outboxLen(t, s); got != before {
		t.Fatalf("outbox %d, want %d", got, before)
	}
}

func TestDeleteIsATombstoneThatCascades(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	prog := &domain.Programme{Name: "Menjahit Dasar", FieldCode: "JHT", TotalJP: 240, MinutesPerJP: 45}
	cohort := &domain.Cohort{Year: 2026, Number: 1, StartDate: "2026-11-02", EndDate: "2026-12-12", Quota: 16, Status: domain.CohortRunning}
	tr := validTrainee()
	enr := &domain.Enrollment{Status: domain.EnrollmentActive}
	att := &domain.Attendance{Date: "2026-11-02", Mark: "H"}
	err := s.Write(ctx, func(tx *store.Tx) error {
		for _, step := range []func() domain.Record{
			func() domain.Record { return prog },
			func() domain.Record { cohort.ProgrammeID = prog.ID; return cohort },
			func() domain.Record { return tr },
			func() domain.Record { enr.CohortID, enr.TraineeID = cohort.ID, tr.ID; return enr },
			func() domain.Record { att.EnrollmentID = enr.ID; return att },
		} {
			if _, err := tx.Save(step()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, tr); err != nil {
		t.Fatal(err)
	}
	for _, rec := range []domain.Record{&domain.Trainee{}, &domain.Enrollment{}, &domain.Attendance{}} {
		if n, _ := s.Count(ctx, domain.TableOf(rec), store.Query{}); n != 0 {
			t.Errorf("%T: %d live rows after delete", rec, n)
		}
		if n, _ := s.Count(ctx, domain.TableOf(rec), store.Query{Deleted: true}); n != 1 {
			t.Errorf("%T: %d rows in all, want the tombstone", rec, n)
		}
	}
	changes, _ := s.PendingChanges(ctx, 0, 1000)
	last := changes[len(changes)-1]
	if last.Table != "trainees" || last.Fields["deleted"] != true || len(last.Fields) != 1 {
		t.Fatalf("delete change = %+v", last)
	}
}

func TestSearchTraineesByNameOrNIKFragment(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	people := []struct{ name, nik string }{
		{"Siti Aminah", domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, 1)},
		{"Ahmad Fauzi", domain.MakeNIK("320102", time.Date(1999, 1, 2, 0, 0, 0, 0, time.UTC), false, 7)},
		{"Nur Aisyah", domain.MakeNIK("317101", time.Date(2003, 3, 4, 0, 0, 0, 0, time.UTC), true, 12)},
		{"Budi Santoso", domain.MakeNIK("320101", time.Date(2000, 5, 6, 0, 0, 0, 0, time.UTC), false, 3)},
	}
	for _, p := range people {
		n, _ := domain.DecodeNIK(p.nik, today)
		if _, err := s.Save(ctx, &domain.Trainee{Name: p.name, NIK: p.nik, Sex: n.Sex, BirthDate: n.BirthDate.Format(domain.DateLayout)}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		q    string
		want []string
	}{
		{"", []string{"Ahmad Fauzi", "Budi Santoso", "Nur Aisyah", "Siti Aminah"}},
		{"s", []string{"Siti Aminah"}},                                 // prefix of a name
		{"ai", nil},                                                    // two letters match only a start
		{"aisy", []string{"Nur Aisyah"}},                               // inside a name
		{"AMIN", []string{"Siti Aminah"}},                              // any case
		{"san", []string{"Budi Santoso"}},                              // surname
		{"32", []string{"Budi Santoso", "Siti Aminah", "Ahmad Fauzi"}}, // NIK prefix, NIK order
		{"3201 02", []string{"Ahmad Fauzi"}},                           // spaces typed in a NIK
		{"0007", []string{"Ahmad Fauzi"}},                              // NIK serial
		{"zzz", nil},
	}
	for _, tc := range tests {
		got, err := s.SearchTrainees(ctx, store.TraineeQuery{Text: tc.q})
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		var names []string
		for _, tr := range got {
			names = append(names, tr.Name)
		}
		if strings.Join(names, ",") != strings.Join(tc.want, ",") {
			t.Errorf("search %q = %v, want %v", tc.q, names, tc.want)
		}
	}
	// A deleted trainee is no longer found.
	got, _ := s.SearchTrainees(ctx, store.TraineeQuery{Text: "aisy"})
	if err := s.Delete(ctx, got[0]); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SearchTrainees(ctx, store.TraineeQuery{Text: "aisy"}); len(got) != 0 {
		t.Fatalf("deleted trainee still found: %v", got)
	}
}

func TestPendingCountFollowsTheAcknowledgedSeq(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	for i := 0; i < 5; i++ {
		if _, err := s.Save(ctx, benchTrainee(i)); err != nil {
			t.Fatal(err)
		}
	}
	// A refused write and a rolled-back transaction leave no gap in the seqs.
	s.Save(ctx, &domain.Trainee{Name: "no NIK"})
	s.Write(ctx, func(tx *store.Tx) error { tx.Save(benchTrainee(99)); return errors.New("cancel") })
	if _, err := s.Save(ctx, benchTrainee(5)); err != nil {
		t.Fatal(err)
	}
	all, _ := s.PendingChanges(ctx, 0, 1000)
	for i, c := range all {
		if c.Seq != int64(i+1) {
			t.Fatalf("outbox seq %d at position %d: not contiguous", c.Seq, i)
		}
	}
	if n, _ := s.PendingCount(ctx); n != len(all) {
		t.Fatalf("pending %d, outbox %d", n, len(all))
	}
	if err := s.SetPushedSeq(ctx, 4); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.PendingCount(ctx); n != len(all)-4 {
		t.Fatalf("pending after ack of 4 = %d, want %d", n, len(all)-4)
	}
}

func TestSearchFollowsRenamesAndPulledTrainees(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	tr := benchTrainee(1)
	tr.Name = "Siti Aminah"
	if _, err := s.Save(ctx, tr); err != nil {
		t.Fatal(err)
	}
	tr.Name = "Siti Rahmawati"
	if _, err := s.Save(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SearchTrainees(ctx, store.TraineeQuery{Text: "aminah"}); len(got) != 0 {
		t.Fatalf("old name still found: %v", got)
	}
	if got, _ := s.SearchTrainees(ctx, store.TraineeQuery{Text: "rahmaw"}); len(got) != 1 {
		t.Fatalf("new name not found: %v", got)
	}
	// A trainee that arrives from the server is searchable too.
	other := benchTrainee(2)
	other.ID, other.CentreID, other.Name = domain.NewID(), s.CentreID(), "Dewi Lestari"
	fields := domain.Values(other)
	delete(fields, "id")
	err := s.ApplyRemote(ctx, []domain.Change{{Table: "trainees", ID: other.ID, Clock: domain.MakeClock(today.UnixMilli(), 0), Device: "pc-2", Fields: fields}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.SearchTrainees(ctx, store.TraineeQuery{Text: "lestari"}); len(got) != 1 || got[0].ID != other.ID {
		t.Fatalf("pulled trainee not found: %v", got)
	}
}

func TestSearchOfACommonFragmentIsOrderedLikeARareOne(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	fill(t, s, 0, 10000) // one name in six has "Siti": a common fragment
	got, err := s.SearchTrainees(ctx, store.TraineeQuery{Text: "SITI", Limit: 30, Offset: 10})
	if err != nil {
		t.Fatal(err)
	}
	all, _ := store.ListOf[*domain.Trainee](ctx, s, store.Query{OrderBy: "name"})
	var want []string
	for _, tr := range all {
		if strings.Contains(strings.ToLower(tr.Name), "siti") {
			want = append(want, tr.ID)
		}
	}
	if len(want) < 1500 {
		t.Fatalf("only %d matches: the common path is not exercised", len(want))
	}
	// ListOf orders by name then id; the search by name then rowid, which
	// for bulk-inserted UUIDv7 ids is the same order.
	want = want[10:40]
	for i, tr := range got {
		if tr.ID != want[i] {
			t.Fatalf("result %d = %s (%s), want %s", i, tr.ID, tr.Name, want[i])
		}
	}
}
