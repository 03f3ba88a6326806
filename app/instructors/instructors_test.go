package instructors

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

var today = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}

func newScreen(t *testing.T) (*Screen, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st := uitest.NewStore(t)
	st.Now = func() time.Time { return today }
	w := test.NewTempWindow(t, nil)
	ui = uitest.NewRunner()
	s := New(screen.Deps{Window: w, Changed: func() {}, Run: ui, Now: st.Now}, st)
	w.SetContent(s.Content())
	w.Resize(fyne.NewSize(1000, 640))
	s.Update(ctx)
	ui.Settle(t)
	return s, st
}

func saveButton(s *Screen) *widget.Button {
	return findButton(s.Content(), i18n.T("common.save"))
}

func TestInstructorFormShowsProblemsBesideFieldsAndSavesNothingInvalid(t *testing.T) {
	tests := []struct {
		name, nik, phone, email string
		field, wantMessage      string
	}{
		{"short NIK", "32010112", "", "", "nik", "NIK harus 16 angka"},
		{"not a phone", "", "12-34", "", "phone", "nomor HP tidak valid"},
		{"bad email", "", "", "pak.agus@", "email", "alamat email tidak valid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// given the instructor screen
			s, st := newScreen(t)
			// when an instructor with one bad field is typed and saved
			test.Type(s.name, "Agus Salim")
			test.Type(s.nik, tc.nik)
			test.Type(s.phone, tc.phone)
			test.Type(s.email, tc.email)
			tap(t, saveButton(s))
			// then the message is beside that field and nothing is stored
			if got := s.Form.Message(tc.field); !strings.Contains(got, tc.wantMessage) {
				t.Fatalf("message beside %s = %q, want %q", tc.field, got, tc.wantMessage)
			}
			if n, _ := st.Count(context.Background(), domain.LookupTable("instructors"), store.Query{}); n != 0 {
				t.Fatalf("%d instructors stored", n)
			}
		})
	}
}

func TestCreatingEditingAndDeletingAnInstructor(t *testing.T) {
	ctx := context.Background()
	// given the instructor screen
	s, st := newScreen(t)

	// when a valid instructor is typed and saved
	test.Type(s.name, "Agus Salim")
	test.Type(s.nik, domain.MakeNIK("320101", time.Date(1985, 2, 3, 0, 0, 0, 0, time.UTC), false, 12))
	test.Type(s.phone, "0813 2222 3333")
	test.Type(s.email, "Agus@Contoh.id")
	s.field.SetText("las")
	test.Type(s.cert, "Instruktur Las BNSP")
	tap(t, saveButton(s))

	// then it is stored tidied up and listed
	got, _ := store.ListOf[*domain.Instructor](ctx, st, store.Query{})
	if len(got) != 1 || got[0].Phone != "+6281322223333" || got[0].Email != "agus@contoh.id" || got[0].FieldCode != "LAS" || got[0].Certification != "Instruktur Las BNSP" {
		t.Fatalf("stored %+v", got)
	}
	if len(s.Table.Rows()) != 1 {
		t.Fatalf("listed %d", len(s.Table.Rows()))
	}

	// when it is chosen, its certification changed, and saved
	s.Edit(s.Table.Rows()[0])
	ui.Settle(t)
	if s.phone.Text != "081322223333" {
		t.Fatalf("phone shown as %q", s.phone.Text)
	}
	s.cert.SetText("Asesor Kompetensi")
	tap(t, saveButton(s))
	got, _ = store.ListOf[*domain.Instructor](ctx, st, store.Query{})
	if len(got) != 1 || got[0].Certification != "Asesor Kompetensi" || got[0].Name != "Agus Salim" {
		t.Fatalf("after edit %+v", got)
	}

	// when it is deleted (after the confirmation)
	cur, _ := s.Current()
	s.Delete(cur)
	ui.Settle(t)

	// then it is gone from the store and the list
	if n, _ := st.Count(ctx, domain.LookupTable("instructors"), store.Query{}); n != 0 || len(s.Table.Rows()) != 0 {
		t.Fatalf("%d left, %d listed", n, len(s.Table.Rows()))
	}
}

// ui runs the screen's work as the app would: on goroutines of its own, with
// UI work run on the test goroutine by Settle (see uitest).
var ui *uitest.Runner

// tap taps o and lets the work it started finish.
func tap(t *testing.T, o fyne.Tappable) {
	t.Helper()
	test.Tap(o)
	ui.Settle(t)
}
