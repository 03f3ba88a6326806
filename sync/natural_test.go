package sync_test

import (
	"context"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

func TestTwoPCsRecordingTheSameFactWriteOneRow(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// given two PCs sharing a cohort with one enrolled trainee
			st := openBackend(t, kind)
			url := startServer(t, st)
			centre := addCentre(t, st, "BLK A")
			pc1 := enrolDevice(t, st, url, centre, "pc1")
			pc2 := enrolDevice(t, st, url, centre, "pc2")
			var enr *domain.Enrollment
			err := pc1.st.Write(ctx, func(tx *store.Tx) error {
				p := &domain.Programme{Name: "Menjahit", FieldCode: "GAR", TotalJP: 160, MinutesPerJP: 45}
				if _, err := tx.Save(p); err != nil {
					return err
				}
				c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 1, StartDate: "2026-11-02", EndDate: "2026-12-18", Quota: 16, Status: domain.CohortRunning}
				if _, err := tx.Save(c); err != nil {
					return err
				}
				tr := trainee(1, "Siti Aminah")
				if _, err := tx.Save(tr); err != nil {
					return err
				}
				enr = &domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentActive}
				_, err := tx.Save(enr)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			mustRound(t, pc1)
			mustRound(t, pc2)
			// when both record the attendance of the same day offline, differently
			a1 := &domain.Attendance{EnrollmentID: enr.ID, Date: "2026-11-20", Mark: domain.AttendancePresent}
			if _, err := pc1.st.Save(ctx, a1); err != nil {
				t.Fatal(err)
			}
			a2 := &domain.Attendance{EnrollmentID: enr.ID, Date: "2026-11-20", Mark: domain.AttendanceSick}
			if _, err := pc2.st.Save(ctx, a2); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 2; i++ {
				mustRound(t, pc1)
				mustRound(t, pc2)
			}
			// then there is one attendance row everywhere with the same mark,
			// and the other mark is a conflict
			if a1.ID != a2.ID {
				t.Fatalf("natural ids differ: %s %s", a1.ID, a2.ID)
			}
			var marks []string
			for _, d := range []*device{pc1, pc2} {
				list, err := store.ListOf[*domain.Attendance](ctx, d.st, store.Query{})
				if err != nil {
					t.Fatal(err)
				}
				if len(list) != 1 {
					t.Fatalf("%s has %d attendance rows", d.name, len(list))
				}
				marks = append(marks, list[0].Mark)
			}
			if marks[0] != marks[1] {
				t.Fatalf("marks differ: %v", marks)
			}
			cs, _ := st.Conflicts(ctx, centre)
			if len(cs) != 1 || cs[0].Field != "mark" || cs[0].Winner != marks[0] {
				t.Fatalf("conflicts %+v", cs)
			}
		})
	}
}
