package tracer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

var today = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	// Store work runs on the test goroutine so each tap has finished when
	// test.Tap returns.
	background = func(f func()) { f() }
	os.Exit(m.Run())
}

// newScreen opens a store with one graduate who completed on completedOn.
func newScreen(t *testing.T, completedOn string) (*Screen, *store.Store, fyne.Window, *domain.Trainee) {
	t.Helper()
	ctx := context.Background()
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = func() time.Time { return today }
	if _, err := st.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren"}); err != nil {
		t.Fatal(err)
	}
	p := &domain.Programme{Name: "Las Listrik SMAW", FieldCode: "LAS", TotalJP: 240, MinutesPerJP: 45}
	c := &domain.Cohort{Year: 2026, Number: 1, StartDate: "2026-05-04", EndDate: "2026-06-26", Quota: 16, Status: domain.CohortCompleted}
	tr := &domain.Trainee{NIK: domain.MakeNIK("320101", time.Date(2002, 5, 6, 0, 0, 0, 0, time.UTC), false, 7),
		Name: "Rizky Maulana", Sex: "L", BirthDate: "2002-05-06", Phone: "0857-1234-5678"}
	err = st.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Save(p); err != nil {
			return err
		}
		c.ProgrammeID = p.ID
		if _, err := tx.Save(c); err != nil {
			return err
		}
		if _, err := tx.Save(tr); err != nil {
			return err
		}
		_, err := tx.Save(&domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, CompletedOn: completedOn})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	s := New(screen.Deps{Window: w, Store: st, Changed: func() {}})
	w.SetContent(s.Content())
	w.Resize(fyne.NewSize(1000, 640))
	s.Update(ctx)
	return s, st, w, tr
}

func TestWhatsAppURL(t *testing.T) {
	tests := map[string]string{"+6285712345678": "https://wa.me/6285712345678", "": "", "12345": ""}
	for in, want := range tests {
		if got := WhatsAppURL(in); got != want {
			t.Errorf("WhatsAppURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRecordingAGraduateOutcomeClosesTheFollowUp(t *testing.T) {
	ctx := context.Background()
	// given a graduate who completed four months ago
	s, st, _, tr := newScreen(t, "2026-07-20")
	if len(s.rows) != 1 || s.rows[0].Months != 3 || s.rows[0].DueOn != "2026-10-20" {
		t.Fatalf("due rows = %+v", s.rows)
	}

	// when the graduate is picked
	s.list.Select(0)

	// then the phone shows as dialled and the WhatsApp link is offered
	if s.phone.Text != "No. HP: 085712345678" || s.wa.URL.String() != "https://wa.me/6285712345678" || !s.wa.Visible() {
		t.Fatalf("phone %q, link %v", s.phone.Text, s.wa.URL)
	}

	// when saving without a status
	test.Tap(s.saveBtn)

	// then the status is asked for and nothing is stored
	if s.form.Message("status") == "" {
		t.Fatal("no message beside the missing status")
	}
	if n, _ := st.Count(ctx, domain.LookupTable("outcomes"), store.Query{}); n != 0 {
		t.Fatalf("%d outcomes stored after a refusal", n)
	}

	// when the outcome is filled in and saved
	s.state.SetValue(domain.OutcomeEmployed)
	test.Type(s.employer, "PT Baja Konstruksi Indonesia")
	test.Type(s.sector, "Konstruksi")
	s.income.SetValue("3to5")
	test.Tap(s.saveBtn)

	// then the outcome is stored for the graduate and the follow-up is closed
	got, err := store.ListOf[*domain.Outcome](ctx, st, store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	want := domain.Outcome{TraineeID: tr.ID, SurveyedOn: "2026-11-27", Status: domain.OutcomeEmployed,
		Employer: "PT Baja Konstruksi Indonesia", Sector: "Konstruksi", IncomeBand: "3to5", Source: "whatsapp"}
	if len(got) != 1 {
		t.Fatalf("%d outcomes stored", len(got))
	}
	want.Meta = got[0].Meta
	if *got[0] != want {
		t.Fatalf("stored %+v\nwant   %+v", *got[0], want)
	}
	if len(s.rows) != 0 || !strings.Contains(s.status.Text, "Rizky Maulana") {
		t.Fatalf("rows after save %+v, status %q", s.rows, s.status.Text)
	}
}

func TestTracerScreenGolden(t *testing.T) {
	// given a graduate due for the 6-month follow-up
	s, _, w, _ := newScreen(t, "2026-05-10")
	// when the graduate is picked
	s.list.Select(0)
	// then the screen renders as reviewed
	test.AssertRendersToMarkup(t, "tracer_due.xml", w.Canvas())
}
