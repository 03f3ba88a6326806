package central

import (
	"context"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

// TestTheServerRefusesAGraduationBeforeTheCohortStarts: the rule the
// desktop applies holds on the server too, for a PC that skipped it (an
// older app), whether the enrollment arrives with its cohort in one batch
// or completes later against a cohort the server already has.
func TestTheServerRefusesAGraduationBeforeTheCohortStarts(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK Komunitas Al-Hikmah")
			d := enrolled(t, s, c, "pc1")
			clock := func(seq int64) domain.Clock { return domain.MakeClock(time.Now().UnixMilli(), seq) }
			trainee := traineeChange(1, c, domain.NewID(), "Siti Aminah", 1)
			prog, cohort, enr := domain.NewID(), domain.NewID(), domain.NewID()
			batch := []domain.Change{
				trainee,
				{Seq: 2, Table: "programmes", ID: prog, Clock: clock(2), Fields: map[string]any{"centre_id": c, "name": "Las Listrik", "field_code": "LAS", "total_jp": 40, "minutes_per_jp": 45}},
				{Seq: 3, Table: "cohorts", ID: cohort, Clock: clock(3), Fields: map[string]any{"centre_id": c, "programme_id": prog, "year": 2026, "number": 1,
					"start_date": "2026-11-16", "end_date": "2026-12-04", "quota": 16, "status": "running"}},
				// graduated three days before the cohort started: refused
				{Seq: 4, Table: "enrollments", ID: enr, Clock: clock(4), Fields: map[string]any{"centre_id": c, "cohort_id": cohort, "trainee_id": trainee.ID,
					"status": "completed", "completed_on": "2026-11-13"}},
			}
			r, err := s.Push(ctx, d, batch)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Rejections) != 1 || r.Rejections[0].Seq != 4 || r.Rejections[0].Field != "completed_on" {
				t.Fatalf("rejections %+v", r.Rejections)
			}
			// the same enrollment, active, then completed on a valid day in a
			// later batch, is taken; completed before the start again is not
			later := []domain.Change{
				{Seq: 5, Table: "enrollments", ID: enr, Clock: clock(5), Fields: map[string]any{"centre_id": c, "cohort_id": cohort, "trainee_id": trainee.ID, "status": "active"}},
			}
			if r, err = s.Push(ctx, d, later); err != nil || len(r.Rejections) != 0 {
				t.Fatalf("active enrollment: %+v %v", r, err)
			}
			for _, x := range []struct {
				seq    int64
				day    string
				refuse bool
			}{{6, "2026-11-13", true}, {7, "2026-12-04", false}} {
				r, err = s.Push(ctx, d, []domain.Change{{Seq: x.seq, Table: "enrollments", ID: enr, Clock: clock(x.seq),
					Fields: map[string]any{"status": "completed", "completed_on": x.day}}})
				if err != nil || (len(r.Rejections) == 1) != x.refuse {
					t.Fatalf("completed on %s: %+v %v", x.day, r, err)
				}
			}
		})
	}
}
