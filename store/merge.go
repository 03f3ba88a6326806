package store

import (
	"context"
	"fmt"

	"github.com/kemnaker/blk/domain"
)

// DuplicateTrainees returns the other live trainees of this centre that hold
// the same NIK as id: what two PCs registered while offline, which sync
// accepts and the app offers to merge.
func (s *Store) DuplicateTrainees(ctx context.Context, id string) ([]*domain.Trainee, error) {
	t := &domain.Trainee{}
	t.ID = id
	if err := s.Get(ctx, t); err != nil {
		return nil, err
	}
	return ListOf[*domain.Trainee](ctx, s, Query{Filters: []Filter{{Field: "nik", Value: t.NIK}, {Field: "centre_id", Value: t.CentreID}}})
}

// MergeTrainees makes one person of two records with the same NIK, in one
// transaction: keep takes the loser's values where its own are empty, the
// loser's outcomes and enrollments move to keep (an enrollment in a cohort
// keep is already in gives its attendance marks and results to keep's
// enrollment where keep has none), and the loser becomes a tombstone. Every
// step is an ordinary write, so it syncs like any edit.
func (s *Store) MergeTrainees(ctx context.Context, keepID, loseID string) error {
	if keepID == loseID {
		return fmt.Errorf("merge: a trainee cannot be merged with itself")
	}
	return s.Write(ctx, func(w *Tx) error {
		keep, lose := &domain.Trainee{}, &domain.Trainee{}
		keep.ID, lose.ID = keepID, loseID
		if err := w.Get(keep); err != nil {
			return err
		}
		if err := w.Get(lose); err != nil {
			return err
		}
		if keep.NIK != lose.NIK {
			return fmt.Errorf("merge: %s and %s have different NIKs (%s, %s)", keep.Name, lose.Name, keep.NIK, lose.NIK)
		}
		t := domain.TableOf(keep)
		for _, f := range t.DataFields() {
			if v, ok := f.Get(keep).(string); ok && v == "" {
				_ = f.Set(keep, f.Get(lose))
			}
		}
		// The loser's duplicate NIK must not block keep's own save.
		lose.Deleted = true
		if _, err := w.Save(lose); err != nil {
			return err
		}
		if _, err := w.Save(keep); err != nil {
			return err
		}
		outcomes, err := w.children("outcomes", "trainee_id", loseID)
		if err != nil {
			return err
		}
		for _, r := range outcomes {
			o := r.(*domain.Outcome)
			o.TraineeID = keepID
			if _, err := w.Save(o); err != nil {
				return err
			}
		}
		enrollments, err := w.children("enrollments", "trainee_id", loseID)
		if err != nil {
			return err
		}
		for _, r := range enrollments {
			if err := w.moveEnrollment(r.(*domain.Enrollment), keepID); err != nil {
				return err
			}
		}
		// BNSP certificates: their id is made from the trainee, so each
		// is written anew under keep (unless keep has it already) and the
		// loser's copy is deleted.
		competency, err := w.children("competency_certificates", "trainee_id", loseID)
		if err != nil {
			return err
		}
		for _, r := range competency {
			old := r.(*domain.CompetencyCertificate)
			moved := *old
			moved.TraineeID, moved.ID = keepID, ""
			domain.AssignNaturalID(&moved)
			if ok, err := w.exists("competency_certificates", moved.ID); err != nil {
				return err
			} else if !ok {
				if _, err := w.Save(&moved); err != nil {
					return err
				}
			}
			if err := w.Delete(old); err != nil {
				return err
			}
		}
		return nil
	})
}

// moveEnrollment gives a loser's enrollment to keep.
func (w *Tx) moveEnrollment(e *domain.Enrollment, keepID string) error {
	target := &domain.Enrollment{CohortID: e.CohortID, TraineeID: keepID}
	domain.AssignNaturalID(target)
	if ok, err := w.exists("enrollments", target.ID); err != nil {
		return err
	} else if !ok {
		// keep is not in that cohort: the enrollment itself moves (its id
		// stays, so its marks and results stay attached).
		e.TraineeID = keepID
		_, err := w.Save(e)
		return err
	}
	for _, child := range [][2]string{{"attendance", "enrollment_id"}, {"assessments", "enrollment_id"}} {
		recs, err := w.children(child[0], child[1], e.ID)
		if err != nil {
			return err
		}
		for _, r := range recs {
			copyRec := domain.TableOf(r).New()
			for _, f := range domain.TableOf(r).Fields {
				_ = f.Set(copyRec, f.Get(r))
			}
			switch c := copyRec.(type) {
			case *domain.Attendance:
				c.EnrollmentID = target.ID
			case *domain.Assessment:
				c.EnrollmentID = target.ID
			}
			domain.AssignNaturalID(copyRec)
			if ok, err := w.exists(child[0], copyRec.Base().ID); err != nil {
				return err
			} else if ok {
				continue // keep's own mark or result stands
			}
			if _, err := w.Save(copyRec); err != nil {
				return err
			}
		}
	}
	return w.Delete(e)
}

// children lists the live records of table whose field equals id.
func (w *Tx) children(table, field, id string) ([]domain.Record, error) {
	t := domain.LookupTable(table)
	return w.s.queryRecords(w.ctx, w, t, "SELECT "+columns(t)+", _v FROM "+t.Name+" WHERE deleted = 0 AND "+field+" = ?", id)
}
