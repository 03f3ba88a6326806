package central

import (
	"context"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

// TestStalePlanIsMergedAgainInTheWriter makes a push's merge plan from a
// snapshot, lets another PC's edit of the same field commit, and only then
// hands the plan to the writer: the writer must notice and merge again, so
// the newer edit stays and the older one is kept as a conflict instead of
// silently overwriting it.
func TestStalePlanIsMergedAgainInTheWriter(t *testing.T) {
	ctx := context.Background()
	s := openTempSQLite(t)
	c := centreOf(t, s, "BLK A")
	d1, d2 := enrolled(t, s, c, "pc1"), enrolled(t, s, c, "pc2")
	id := domain.NewID()
	t0 := time.Now().UnixMilli()
	create := traineeChange(1, c, id, "Siti Aminah", 1)
	create.Clock = domain.MakeClock(t0, 0)
	if _, err := s.Push(ctx, d1, []domain.Change{create}); err != nil {
		t.Fatal(err)
	}
	// given pc2's rename planned from the snapshot holding "Siti Aminah"
	older := []domain.Change{{Seq: 1, Table: "trainees", ID: id, Clock: domain.MakeClock(t0+1, 0), Fields: map[string]any{"name": "Siti Rahma"}}}
	if err := CheckChanges(d2, older); err != nil {
		t.Fatal(err)
	}
	plan, err := s.plan(ctx, d2, older)
	if err != nil || plan == nil {
		t.Fatalf("plan: %v %v", plan, err)
	}
	// when pc1's newer rename commits first
	newer := []domain.Change{{Seq: 2, Table: "trainees", ID: id, Clock: domain.MakeClock(t0+2, 0), Fields: map[string]any{"name": "Siti Nurhaliza"},
		Base: map[string]domain.Version{"name": {Clock: create.Clock, Device: d1.ID}}}}
	if _, err := s.Push(ctx, d1, newer); err != nil {
		t.Fatal(err)
	}
	res, err := s.group.submit(ctx, d2, older, plan)
	if err != nil {
		t.Fatal(err)
	}
	// then the newer name stands, the older one is a conflict, pc2's seq is applied
	if res.AppliedSeq != 1 || res.Conflicts != 1 {
		t.Fatalf("push answer %+v, want seq 1 applied with one conflict", res)
	}
	var data string
	var k [3]string
	if err := s.ro.QueryRowContext(ctx, `SELECT k1, k2, k3, data FROM records WHERE tbl = 'trainees' AND id = ?`, id).Scan(&k[0], &k[1], &k[2], &data); err != nil {
		t.Fatal(err)
	}
	rec, err := recordOf(domain.LookupTable("trainees"), rowKey{id: id, k: k}, data)
	if err != nil {
		t.Fatal(err)
	}
	if name := rec.(*domain.Trainee).Name; name != "Siti Nurhaliza" {
		t.Fatalf("stored name %q, want the newer edit", name)
	}
	cs, err := s.Conflicts(ctx, c)
	if err != nil || len(cs) != 1 || cs[0].Loser != "Siti Rahma" || cs[0].Winner != "Siti Nurhaliza" {
		t.Fatalf("conflicts %+v %v", cs, err)
	}
}

// TestFreshPlanIsUsedAsIs checks the other side: with nothing changed in
// between, the writer stores exactly what the plan merged.
func TestFreshPlanIsUsedAsIs(t *testing.T) {
	ctx := context.Background()
	s := openTempSQLite(t)
	c := centreOf(t, s, "BLK A")
	d := enrolled(t, s, c, "pc1")
	batch := []domain.Change{traineeChange(1, c, domain.NewID(), "Siti Aminah", 1), traineeChange(2, c, domain.NewID(), "Dewi Lestari", 2)}
	if err := CheckChanges(d, batch); err != nil {
		t.Fatal(err)
	}
	plan, err := s.plan(ctx, d, batch)
	if err != nil || plan == nil {
		t.Fatalf("plan: %v %v", plan, err)
	}
	ok, err := plan.stillValid(ctx, s, s.ro, 0)
	if err != nil || !ok {
		t.Fatalf("an untouched plan is not valid: %v", err)
	}
	if res, err := s.group.submit(ctx, d, batch, plan); err != nil || res.AppliedSeq != 2 {
		t.Fatalf("push %+v %v", res, err)
	}
	p, err := s.Pull(ctx, c, "", 0, 0, 0)
	if err != nil || len(p.Changes) != 2 || p.Cursor != 2 {
		t.Fatalf("pull %+v %v", p, err)
	}
	// and a plan over rows that have changed since is refused
	ok, err = plan.stillValid(ctx, s, s.ro, 0)
	if err != nil || ok {
		t.Fatalf("a plan made before its own rows were written still counts as valid")
	}
}
