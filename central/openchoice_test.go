package central

import (
	"context"
	"testing"

	"github.com/kemnaker/blk/domain"
)

// A pesantren's education level that the choice list lacks is kept as
// written on the PC (with a warning); the server must accept it too, or
// the record would never sync.
func TestAnEducationTheChoiceListLacksIsAcceptedAndPulledAsWritten(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK Pesantren")
			d := enrolled(t, s, c, "pc1")
			open := traineeChange(1, c, domain.NewID(), "Siti Aminah", 1)
			open.Fields["education"] = "Kulliyatul Mu'allimin"
			closed := traineeChange(2, c, domain.NewID(), "Dewi Lestari", 2)
			closed.Fields["sex"] = "X"
			r, err := s.Push(ctx, d, []domain.Change{open, closed})
			if err != nil {
				t.Fatal(err)
			}
			// the open choice is applied; an unknown sex (a closed choice) is still refused
			if r.AppliedSeq != 2 || len(r.Rejections) != 1 || r.Rejections[0].Seq != 2 || r.Rejections[0].Field != "sex" {
				t.Fatalf("push answer %+v", r)
			}
			p, err := s.Pull(ctx, c, "", 0, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range p.Changes {
				if ch.ID == open.ID {
					if ch.Fields["education"] != "Kulliyatul Mu'allimin" {
						t.Fatalf("pulled education %v", ch.Fields["education"])
					}
					return
				}
			}
			t.Fatalf("the trainee with the open choice is not in the pull: %+v", p.Changes)
		})
	}
}
