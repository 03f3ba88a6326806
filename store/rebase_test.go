package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	"github.com/kemnaker/blk/sync/wire"
)

// aYear is how far ahead the PC clock runs in the rebase tests.
const aYear = 365 * 24 * time.Hour

// remoteChange is a change of one field written by another PC at clock c.
func remoteChange(table, id, field string, v any, c domain.Clock) domain.Change {
	return domain.Change{Table: table, ID: id, Clock: c, Device: "pc-2", Fields: map[string]any{field: v}}
}

// clockAt is the clock of wall time t with counter 0.
func clockAt(t time.Time) domain.Clock { return domain.MakeClock(t.UnixMilli(), 0) }

// outboxBySeq lists every unacknowledged entry, keyed by seq.
func outboxBySeq(t *testing.T, s *store.Store) map[int64]domain.Change {
	t.Helper()
	all, err := s.PendingChanges(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]domain.Change{}
	for _, c := range all {
		out[c.Seq] = c
	}
	return out
}

// lastSeq is the seq of the newest outbox entry.
func lastSeq(t *testing.T, s *store.Store) int64 {
	t.Helper()
	all, err := s.PendingChanges(context.Background(), 0, 1000)
	if err != nil || len(all) == 0 {
		t.Fatalf("outbox: %v (%d entries)", err, len(all))
	}
	return all[len(all)-1].Seq
}

func TestRebaseMovesEveryFutureWriteBackAndRemapsTheirBasesAndRows(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	// given three writes a year ahead, one second apart: a new trainee Y,
	// an edit of Y's name (its base is the first write's version), and a
	// new trainee Z
	now := today.Add(aYear)
	s.Now = func() time.Time { return now }
	y, z := benchTrainee(1), benchTrainee(2)
	if _, err := s.Save(ctx, y); err != nil {
		t.Fatal(err)
	}
	seqY := lastSeq(t, s)
	now = now.Add(time.Second)
	y.Name = "Yanti Rahayu"
	if _, err := s.Save(ctx, y); err != nil {
		t.Fatal(err)
	}
	seqName := lastSeq(t, s)
	now = now.Add(time.Second)
	if _, err := s.Save(ctx, z); err != nil {
		t.Fatal(err)
	}
	seqZ := lastSeq(t, s)
	before := outboxBySeq(t, s)
	if got := before[seqName].Base["name"]; got.Clock != before[seqY].Clock || got.Device != s.DeviceID() {
		t.Fatalf("the name edit's base is %+v, want the first write's version", got)
	}

	// when the server says it is a year behind
	if err := s.SetClockOffset(ctx, -aYear); err != nil {
		t.Fatal(err)
	}
	serverNow := today.Add(3 * time.Second)
	n, err := s.RebaseFutureClocks(ctx, serverNow, time.Minute)
	if err != nil {
		t.Fatal(err)
	}

	// then each write moved back by the year, keeping its counter
	if n != 3 {
		t.Fatalf("rebased %d writes, want 3", n)
	}
	after := outboxBySeq(t, s)
	for _, seq := range []int64{seqY, seqName, seqZ} {
		old, got := before[seq].Clock, after[seq].Clock
		want := domain.MakeClock(old.WallMS()-aYear.Milliseconds(), 0) | (old & 0xffff)
		if got != want {
			t.Fatalf("seq %d: clock %v (%s), want %v (%s)", seq, got, got.Time(), want, want.Time())
		}
	}
	if !(after[seqY].Clock < after[seqName].Clock && after[seqName].Clock < after[seqZ].Clock) {
		t.Fatal("the re-stamped writes lost their order")
	}
	// and the write before the jump was left alone
	for seq, c := range before {
		if seq < seqY && after[seq].Clock != c.Clock {
			t.Fatalf("seq %d from before the jump was re-stamped", seq)
		}
	}
	// and the name edit's base names the first write's new version
	if got := after[seqName].Base["name"]; got.Clock != after[seqY].Clock {
		t.Fatalf("name edit's base %v, want the re-stamped %v", got.Clock, after[seqY].Clock)
	}
	// and the rows carry the new versions: an edit made elsewhere between
	// the real time of these writes and the future now wins, one from
	// before them still loses
	between := clockAt(today.Add(2500 * time.Millisecond))
	earlier := clockAt(today.Add(-time.Hour))
	err = s.ApplyRemote(ctx, []domain.Change{
		remoteChange("trainees", y.ID, "name", "Yanti dari PC 2", between),
		remoteChange("trainees", z.ID, "name", "Zahra dari PC 2", between),
		remoteChange("trainees", y.ID, "phone", "+6281299990000", earlier),
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	gotY, gotZ := &domain.Trainee{}, &domain.Trainee{}
	gotY.ID, gotZ.ID = y.ID, z.ID
	if err := s.Get(ctx, gotY); err != nil {
		t.Fatal(err)
	}
	if err := s.Get(ctx, gotZ); err != nil {
		t.Fatal(err)
	}
	if gotY.Name != "Yanti dari PC 2" || gotZ.Name != "Zahra dari PC 2" {
		t.Fatalf("later remote edits lost against re-stamped versions: %q, %q", gotY.Name, gotZ.Name)
	}
	if gotY.Phone != y.Phone {
		t.Fatalf("an edit from an hour before won: phone %q", gotY.Phone)
	}
	// and this PC's next write follows real time, not the future
	if c := s.Clock(); c.WallMS() > serverNow.Add(time.Minute).UnixMilli() {
		t.Fatalf("clock after rebase at %s, ahead of the server", c.Time())
	}
}

func TestRebaseNeverMovesAWriteBeforeWhatItOverwrote(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	// given a trainee another PC wrote ten seconds after the server's now
	// (within the tolerance), and a trainee of this PC whose future write
	// the server has already acknowledged
	serverNow := today
	theirs := benchTrainee(3)
	theirs.ID, theirs.CentreID = domain.NewID(), s.CentreID()
	fields := domain.Values(theirs)
	delete(fields, "id")
	remote := clockAt(serverNow.Add(10 * time.Second))
	if err := s.ApplyRemote(ctx, []domain.Change{{Table: "trainees", ID: theirs.ID, Clock: remote, Device: "pc-2", Fields: fields}}, 0); err != nil {
		t.Fatal(err)
	}
	now := today.Add(aYear)
	s.Now = func() time.Time { return now }
	mine := benchTrainee(4)
	if _, err := s.Save(ctx, mine); err != nil {
		t.Fatal(err)
	}
	acked := lastSeq(t, s)
	if err := s.SetPushedSeq(ctx, acked); err != nil {
		t.Fatal(err)
	}
	ackedClock := outboxBySeq(t, s)[acked].Clock
	// when this PC, a year ahead, edits both names and learns the offset
	now = now.Add(time.Second)
	theirs.Name, mine.Name = "Nama Baru Satu", "Nama Baru Dua"
	if _, err := s.Save(ctx, theirs); err != nil {
		t.Fatal(err)
	}
	overRemote := lastSeq(t, s)
	if _, err := s.Save(ctx, mine); err != nil {
		t.Fatal(err)
	}
	overAcked := lastSeq(t, s)
	if err := s.SetClockOffset(ctx, -aYear); err != nil {
		t.Fatal(err)
	}
	n, err := s.RebaseFutureClocks(ctx, serverNow, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	// then both edits were rebased, but neither went before the version
	// it overwrote: the remote one still comes first, and the acknowledged
	// future write, which stays where it is, too
	if n != 2 {
		t.Fatalf("rebased %d writes, want 2", n)
	}
	after := outboxBySeq(t, s)
	if got := after[overRemote].Clock; got != remote+1 {
		t.Fatalf("edit over the remote version at %v, want just after it (%v)", got, remote+1)
	}
	if got := after[acked].Clock; got != ackedClock {
		t.Fatalf("acknowledged write re-stamped: %v, was %v", got, ackedClock)
	}
	if got := after[overAcked].Clock; got != ackedClock+1 {
		t.Fatalf("edit over the acknowledged write at %v, want just after it (%v)", got, ackedClock+1)
	}
	if b := after[overAcked].Base["name"]; b.Clock != ackedClock {
		t.Fatalf("base of the edit over the acknowledged write: %v, want %v", b.Clock, ackedClock)
	}
}

func TestRebaseRestartsTheClockAfterTheNewestLegitimateVersion(t *testing.T) {
	serverNow := today
	tests := []struct {
		name   string
		remote time.Time // newest remote version pulled before the rebase
		want   func(rebased domain.Clock) domain.Clock
	}{
		{"a remote version within the tolerance", serverNow.Add(30 * time.Second),
			func(domain.Clock) domain.Clock { return clockAt(serverNow.Add(30 * time.Second)) }},
		{"a remote version from the future is not trusted", serverNow.Add(time.Hour),
			func(rebased domain.Clock) domain.Clock { return max(rebased, clockAt(serverNow)) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := newStore(t)
			other := benchTrainee(5)
			other.ID, other.CentreID = domain.NewID(), s.CentreID()
			fields := domain.Values(other)
			delete(fields, "id")
			// given a pulled version, then a write a year ahead
			page := wire.PullPage{Changes: []domain.Change{{Table: "trainees", ID: other.ID, Clock: clockAt(tc.remote), Device: "pc-2", Fields: fields}}, Cursor: 1}
			if err := s.ApplyPull(ctx, page); err != nil {
				t.Fatal(err)
			}
			s.Now = func() time.Time { return today.Add(aYear) }
			if _, err := s.Save(ctx, benchTrainee(6)); err != nil {
				t.Fatal(err)
			}
			seq := lastSeq(t, s)
			if err := s.SetClockOffset(ctx, -aYear); err != nil {
				t.Fatal(err)
			}
			// when the rebase runs
			if _, err := s.RebaseFutureClocks(ctx, serverNow, time.Minute); err != nil {
				t.Fatal(err)
			}
			// then the clock continues from the newest version it may trust
			want := tc.want(outboxBySeq(t, s)[seq].Clock)
			if got := s.Clock(); got != want {
				t.Fatalf("clock %v (%s), want %v (%s)", got, got.Time(), want, want.Time())
			}
		})
	}
}

func TestUnreadableSyncSettingsAreErrorsNotZeros(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	s.Now = func() time.Time { return today.Add(aYear) }
	if _, err := s.Save(ctx, benchTrainee(7)); err != nil {
		t.Fatal(err)
	}
	clock := s.Clock()
	// given an acknowledged seq that is not a number
	if err := s.SetMeta(ctx, "pushed_seq", "twelve"); err != nil {
		t.Fatal(err)
	}
	// then acknowledging, re-stamping and counting refuse instead of
	// taking it for zero (which would send the whole outbox again)
	if err := s.SetPushedSeq(ctx, 1); err == nil {
		t.Fatal("SetPushedSeq accepted an unreadable pushed_seq")
	}
	if _, err := s.RebaseFutureClocks(ctx, today, time.Minute); err == nil {
		t.Fatal("RebaseFutureClocks accepted an unreadable pushed_seq")
	}
	if s.Clock() != clock {
		t.Fatalf("a failed rebase moved the clock: %v, was %v", s.Clock(), clock)
	}
	if _, err := s.PendingCount(ctx); err == nil {
		t.Fatal("PendingCount accepted an unreadable pushed_seq")
	}
}
