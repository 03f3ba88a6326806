package store_test

import (
	"context"
	"fmt"
	"testing"
)

func TestAcknowledgingPrunesTheOutboxButKeepsPendingEntries(t *testing.T) {
	ctx := context.Background()
	// given a few writes
	s := newStore(t)
	for i := 0; i < 6; i++ {
		if _, err := s.Save(ctx, benchTrainee(i)); err != nil {
			t.Fatal(err)
		}
	}
	all, _ := s.PendingChanges(ctx, 0, 100)
	// when the server acknowledges the first four
	if err := s.SetPushedSeq(ctx, all[3].Seq); err != nil {
		t.Fatal(err)
	}
	// then only the acknowledged seq's entry and the pending ones are left
	left, _ := s.PendingChanges(ctx, 0, 100)
	if len(left) != len(all)-3 || left[0].Seq != all[3].Seq {
		t.Fatalf("outbox after ack of seq %d: %d entries from seq %d, want %d", all[3].Seq, len(left), left[0].Seq, len(all)-3)
	}
	if n, _ := s.PendingCount(ctx); n != len(all)-4 {
		t.Fatalf("pending %d, want %d", n, len(all)-4)
	}
	// and a new write still follows the last seq
	if _, err := s.Save(ctx, benchTrainee(6)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.PendingChanges(ctx, all[len(all)-1].Seq, 10); len(got) != 1 || got[0].Seq != all[len(all)-1].Seq+1 {
		t.Fatalf("new write after pruning: %+v", got)
	}
}

func TestPruneOutboxClearsTheHistoryOfAnEarlierVersion(t *testing.T) {
	ctx := context.Background()
	// given 5 000 writes acknowledged the way earlier versions did it,
	// without pruning, and one pending write
	s := newStore(t)
	for i := 0; i < 5001; i++ {
		if _, err := s.Save(ctx, benchTrainee(i)); err != nil {
			t.Fatal(err)
		}
	}
	last, _ := s.PendingCount(ctx)
	if err := s.SetMeta(ctx, "pushed_seq", fmt.Sprint(last-1)); err != nil {
		t.Fatal(err)
	}
	// when the outbox is pruned
	n, err := s.PruneOutbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// then all but the entry at the acknowledged seq went, in batches,
	// and the pending one stayed
	left, _ := s.PendingChanges(ctx, 0, 10)
	if n != int64(last-2) || len(left) != 2 || left[0].Seq != int64(last-1) || left[1].Seq != int64(last) {
		t.Fatalf("pruned %d, left %d entries", n, len(left))
	}
	if c, _ := s.PendingCount(ctx); c != 1 {
		t.Fatalf("pending %d, want 1", c)
	}
}
