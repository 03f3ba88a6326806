package tracer

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// The employer-satisfaction form appears only for a graduate whose latest
// answer names an employer they work for; it refuses a rating left out,
// and saves the employer's ratings against that answer.
func TestEmployerRatesAGraduateWhoWorksForThem(t *testing.T) {
	ctx := context.Background()
	// given a graduate, not yet traced
	s, st, _, tr := newScreen(t, "2026-07-20")
	s.filter.SetValue(store.TracerAll)
	ui.Settle(t)
	pick(t, s, 0)
	ui.Settle(t)
	// then there is no employer to ask
	if s.rating.block.Visible() {
		t.Fatal("employer form shown for a graduate with no employer")
	}

	// when an answer "working at PT Baja Konstruksi" is saved and the graduate picked again
	s.state.SetValue(domain.OutcomeEmployed)
	test.Type(s.employer, "PT Baja Konstruksi")
	tap(t, s.SaveButton)
	pick(t, s, 0)
	ui.Settle(t)

	// then the employer form asks about that employer
	if !s.rating.block.Visible() || !strings.Contains(s.rating.title.Text, "PT Baja Konstruksi") || !strings.Contains(s.rating.title.Text, "27-11-2026") {
		t.Fatalf("employer form: visible %v, title %q", s.rating.block.Visible(), s.rating.title.Text)
	}

	// when saved with the teamwork rating left out
	s.rating.ratings[0].SetValue("4")
	s.rating.ratings[1].SetValue("5")
	test.Type(s.rating.rater, "Pak Hendra, mandor")
	tap(t, s.rating.save)
	// then it is refused beside the field and nothing is stored
	if s.rating.form.Message("rating_teamwork") == "" {
		t.Fatal("missing teamwork rating is not refused")
	}
	if n, _ := st.Count(ctx, domain.LookupTable("employer_ratings"), store.Query{}); n != 0 {
		t.Fatalf("%d ratings stored from a refused form", n)
	}

	// when completed and saved
	s.rating.ratings[2].SetValue("3")
	test.Type(s.rating.comment, "rajin, perlu belajar membaca gambar kerja")
	tap(t, s.rating.save)

	// then the rating is stored on the answer and the form says so
	outs, _ := store.ListOf[*domain.Outcome](ctx, st, store.Query{})
	got, err := store.ListOf[*domain.EmployerRating](ctx, st, store.Query{})
	if err != nil || len(got) != 1 || len(outs) != 1 {
		t.Fatalf("ratings %v outcomes %v (%v)", got, outs, err)
	}
	r := got[0]
	if r.OutcomeID != outs[0].ID || r.Competence != 4 || r.Discipline != 5 || r.Teamwork != 3 || r.RatedOn != "2026-11-27" ||
		r.Rater != "Pak Hendra, mandor" || r.Comment != "rajin, perlu belajar membaca gambar kerja" || outs[0].TraineeID != tr.ID {
		t.Fatalf("stored %+v", r)
	}
	if !strings.Contains(s.rating.last.Text, "1 penilaian") || !strings.Contains(s.rating.status.Text, "tersimpan") {
		t.Fatalf("after saving: %q / %q", s.rating.last.Text, s.rating.status.Text)
	}

	// when a later answer says the graduate is looking for work, the last employer is still the one asked
	if _, err := st.Save(ctx, &domain.Outcome{TraineeID: tr.ID, SurveyedOn: "2026-11-27", Status: domain.OutcomeLooking}); err != nil {
		t.Fatal(err)
	}
	eo, err := st.LatestEmployerOutcome(ctx, tr.ID)
	if err != nil || eo == nil || eo.Outcome.ID != outs[0].ID || len(eo.Ratings) != 1 {
		t.Fatalf("latest employer outcome %+v %v", eo, err)
	}
}

func TestRatingsOutsideOneToFiveAreRefused(t *testing.T) {
	for _, c := range []struct {
		r       domain.EmployerRating
		invalid []string
	}{
		{domain.EmployerRating{OutcomeID: "o", RatedOn: "2026-11-27", Competence: 1, Discipline: 5, Teamwork: 3}, nil},
		{domain.EmployerRating{OutcomeID: "o", RatedOn: "2026-11-27", Competence: 0, Discipline: 6, Teamwork: 3}, []string{"rating_competence", "rating_discipline"}},
	} {
		ps := domain.Validate(&c.r, domain.Rules{Now: today})
		var got []string
		for _, p := range ps {
			if p.Level == domain.Invalid {
				got = append(got, p.Field)
			}
		}
		if strings.Join(got, ",") != strings.Join(c.invalid, ",") {
			t.Errorf("%+v: invalid %v, want %v", c.r, got, c.invalid)
		}
	}
}
