package kemandirian

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// newScreen opens a real store with a centre and the Kemandirian screen on
// it; store changes reach the screen as the shell forwards them.
func newScreen(t *testing.T) (*Screen, *store.Store, *uitest.Runner) {
	t.Helper()
	ctx := context.Background()
	st := uitest.NewStore(t)
	st.Now = func() time.Time { return today }
	w := test.NewTempWindow(t, nil)
	run := uitest.NewRunner()
	s := New(screen.Deps{Window: w, Changed: func() {}, Run: run, Now: st.Now}, st)
	cancel := st.Subscribe(func(c store.Changed) { s.deps.Do(func() { s.DataChanged(ctx, c) }) })
	t.Cleanup(cancel)
	w.SetContent(s.Content())
	w.Resize(fyne.NewSize(1024, 700))
	s.Update(ctx)
	run.Settle(t)
	return s, st, run
}

// TestRecordingLegalDocumentsMovesTheLegalCriterion: on the legal
// documents tab the operator records the VIN, then the LA-LPK
// accreditation; the legal criterion counts each and is met with both. A
// document without its number is refused beside the field and not saved.
// Deleting the VIN takes the criterion back.
func TestRecordingLegalDocumentsMovesTheLegalCriterion(t *testing.T) {
	s, st, run := newScreen(t)
	ctx := context.Background()
	d := s.Docs()
	legal := func() domain.CriterionResult { return s.Assessment().Criterion(domain.CriterionLegal) }
	if legal().Met || legal().Value != 0 {
		t.Fatalf("empty centre: %+v", legal())
	}

	// when the operator records the VIN
	d.kind.SetValue(domain.DocVIN)
	test.Type(d.number, "2023942029117")
	test.Type(d.issued, "2 Mei 2023")
	test.Tap(d.SaveButton)
	run.Settle(t)
	if !strings.Contains(d.Status.Text, "VIN kelembagaan no. 2023942029117 tersimpan") || d.Count.Text != "1 dokumen" {
		t.Fatalf("status %q, count %q", d.Status.Text, d.Count.Text)
	}
	if legal().Met || legal().Value != 1 {
		t.Fatalf("VIN only: %+v", legal())
	}

	// and a new accreditation, first without its number
	d.NewRecord()
	d.kind.SetValue(domain.DocAccreditation)
	d.grade.SetValue("A")
	test.Type(d.issued, "2025-01-10")
	test.Type(d.expiry, "09-01-2030") // as Indonesians write it
	test.Tap(d.SaveButton)
	run.Settle(t)
	if d.Form.Message("doc_number") == "" {
		t.Fatal("a document without its number is refused beside the number")
	}
	if docs, _ := store.ListOf[*domain.LegalDocument](ctx, st, store.Query{}); len(docs) != 1 {
		t.Fatalf("a refused document was saved: %d", len(docs))
	}
	test.Type(d.number, "LA-LPK/552/2025")
	test.Tap(d.SaveButton)
	run.Settle(t)

	// then the legal criterion is met
	if !legal().Met || legal().Value != 2 || s.Bar(domain.CriterionLegal).Value != 2 {
		t.Fatalf("VIN and accreditation: %+v", legal())
	}
	docs, err := store.ListOf[*domain.LegalDocument](ctx, st, store.Query{OrderBy: "doc_kind"})
	if err != nil || len(docs) != 2 || docs[0].Kind != domain.DocAccreditation || docs[0].Grade != "A" || docs[0].ExpiresOn != "2030-01-09" {
		t.Fatalf("documents: %+v %v", docs, err)
	}

	// when the VIN is chosen in the list and deleted, the criterion drops back
	vin := docs[1]
	d.Edit(vin)
	if d.number.Text != "2023942029117" || d.kind.Value() != domain.DocVIN || d.issued.Text != "02-05-2023" {
		t.Fatalf("form shows %q %q %q", d.kind.Value(), d.number.Text, d.issued.Text)
	}
	d.Delete(vin)
	run.Settle(t)
	if legal().Met || legal().Value != 1 || d.Count.Text != "1 dokumen" {
		t.Fatalf("after deleting the VIN: %+v, %q", legal(), d.Count.Text)
	}
}

// TestRecordingCertificationsMovesTheSDMCriterion: an instructor with a
// methodology and a technical certificate counts as competent.
func TestRecordingCertificationsMovesTheSDMCriterion(t *testing.T) {
	s, st, run := newScreen(t)
	ctx := context.Background()
	in := &domain.Instructor{Name: "Ahmad Fauzi", NIK: "3201011505800003", Phone: "081234567890"}
	if _, err := st.Save(ctx, in); err != nil {
		t.Fatal(err)
	}
	run.Settle(t)
	c := s.Certs()
	for _, kind := range []string{"methodology", "technical"} {
		c.NewRecord()
		c.who.SetValue(in.ID)
		c.kind.SetValue(kind)
		test.Type(c.number, "CERT-"+kind)
		test.Type(c.issuer, "BBPLK Bekasi")
		test.Type(c.issued, "2024-03-01")
		test.Tap(c.SaveButton)
		run.Settle(t)
		if !strings.Contains(c.Status.Text, "Ahmad Fauzi") {
			t.Fatalf("%s: status %q (%v)", kind, c.Status.Text, c.Form.Message("instructor_id"))
		}
	}
	if sdm := s.Assessment().Criterion(domain.CriterionSDM); sdm.Value != 1 || c.Count.Text != "2 sertifikat" {
		t.Fatalf("sdm %+v, count %q", sdm, c.Count.Text)
	}
	if got := c.Table.Rows(); len(got) != 2 || got[0].InstructorID != in.ID {
		t.Fatalf("rows %+v", got)
	}
}
