package central

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

// TestKemandirianAssessmentFollowsEveryPush: the centre's assessment is
// kept between reads, and after each push it is what a fresh computation
// from the records gives.
func TestKemandirianAssessmentFollowsEveryPush(t *testing.T) {
	ctx := context.Background()
	s := openTempSQLite(t)
	n := seedNation(t, s)
	check := func(step string) domain.KemandirianAssessment {
		t.Helper()
		got, err := s.Kemandirian(ctx, n.a)
		if err != nil {
			t.Fatal(err)
		}
		in, err := s.kemandirianInput(ctx, n.a)
		if err != nil {
			t.Fatal(err)
		}
		if want := domain.AssessKemandirian(in, s.now()); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: kept assessment differs from a fresh one:\n got %+v\nwant %+v", step, got, want)
		}
		return got
	}
	before := check("after the first pushes")
	check("read again")
	dev := deviceOf(t, s, n.a, "a1")
	var recs []domain.Record
	prog := &domain.Programme{Meta: domain.Meta{ID: domain.NewID()}, Name: "Menjahit", FieldCode: "JAH", TotalJP: 200, MinutesPerJP: 45}
	co := &domain.Cohort{Meta: domain.Meta{ID: domain.NewID()}, ProgrammeID: prog.ID, Year: 2025, Number: 2, StartDate: "2025-01-06", EndDate: "2025-03-28", Quota: 16, Status: domain.CohortCompleted}
	recs = append(recs, prog, co)
	for i := range 20 {
		tr := &domain.Trainee{Meta: domain.Meta{ID: domain.NewID()}, NIK: domain.MakeNIK("320101", birth, true, 500+i), Name: "Ayu Lestari", Sex: "P", BirthDate: "2001-08-17"}
		recs = append(recs, tr, &domain.Enrollment{Meta: domain.Meta{ID: domain.NewID()}, CohortID: co.ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, EnrolledOn: "2025-01-06", CompletedOn: "2025-03-28"},
			&domain.Outcome{Meta: domain.Meta{ID: domain.NewID()}, TraineeID: tr.ID, SurveyedOn: "2025-06-01", Status: domain.OutcomeEmployed})
	}
	pushAll(t, s, dev, recs...)
	after := check("after 20 more graduates")
	if reflect.DeepEqual(before, after) {
		t.Fatal("20 more employed graduates did not change the assessment: the test shows nothing")
	}
	s.now = func() time.Time { return time.Now().AddDate(0, 0, 400) }
	check("a year later")
}
