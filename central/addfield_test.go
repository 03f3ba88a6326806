package central

import (
	"context"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

type gadget struct {
	domain.Meta
	TraineeID string `db:"trainee_id" rule:"required" ref:"trainees,cascade"`
	Colour    string `db:"colour" max:"10" rule:"required" choice:"red,blue"`
	Note      string `db:"note" max:"20"`
}

// TestADeclaredTableNeedsNoServerMigration: the server stores records as
// JSON and reads the schema's declaration, so a table or field declared in
// domain is validated, stored, merged and pulled with no change here.
func TestADeclaredTableNeedsNoServerMigration(t *testing.T) {
	if _, err := domain.Register(domain.TableSpec{Name: "gadgets", Record: &gadget{}, Projection: [3]string{"colour"}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { domain.Unregister("gadgets") })
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK A")
			d := enrolled(t, s, c, "pc1")
			clock := domain.MakeClock(time.Now().UnixMilli(), 0)
			ok := domain.Change{Seq: 1, Table: "gadgets", ID: domain.NewID(), Clock: clock,
				Fields: map[string]any{"centre_id": c, "trainee_id": "t1", "colour": "red", "note": "blue stripe"}}
			bad := domain.Change{Seq: 2, Table: "gadgets", ID: domain.NewID(), Clock: clock + 1,
				Fields: map[string]any{"centre_id": c, "trainee_id": "t1", "colour": "red", "note": "far too long for twenty"}}
			batch := []domain.Change{ok, bad}
			if err := CheckChanges(d, batch); err != nil {
				t.Fatal(err)
			}
			r, err := s.Push(ctx, d, batch)
			if err != nil {
				t.Fatal(err)
			}
			if r.AppliedSeq != 2 || len(r.Rejections) != 1 || r.Rejections[0].Seq != 2 || r.Rejections[0].Field != "note" {
				t.Fatalf("push: %+v", r)
			}
			p, err := s.Pull(ctx, c, "", 0, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Changes) != 1 || p.Changes[0].ID != ok.ID || p.Changes[0].Fields["note"] != "blue stripe" {
				t.Fatalf("pull: %+v", p.Changes)
			}
			var k1 string
			if err := s.ro.QueryRowContext(ctx, s.q(`SELECT k1 FROM records WHERE tbl = 'gadgets' AND id = ?`), ok.ID).Scan(&k1); err != nil || k1 != "red" {
				t.Fatalf("projected k1 = %q, %v", k1, err)
			}
		})
	}
}
