package trainees

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

func TestTheFormTakesBirthDatesAsIndonesiansWriteThem(t *testing.T) {
	for _, typed := range []string{"12-03-2001", "12/03/2001", "12-3-01", "12 Maret 2001", "2001-03-12"} {
		t.Run(typed, func(t *testing.T) {
			// given a trainee whose NIK carries no birth date the form could fill in
			h := newHarness(t)
			nik := domain.MakeNIK("320101", time.Date(2001, 3, 12, 0, 0, 0, 0, time.UTC), false, 3)
			f := h.typeTrainee(nik, "Ahmad Fauzi", "L", "0812 3456 7890")
			f.birth.SetText("")
			// when the operator types the birth date their way and saves
			test.Type(f.birth, typed)
			if msg := f.form.Message("birth_date"); msg != "" {
				t.Fatalf("%q refused while typing: %s", typed, msg)
			}
			f.phone.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			h.wait(t, h.changed, "save")
			// then it is stored as ISO
			got, err := h.st.SearchTrainees(context.Background(), store.TraineeQuery{Text: nik})
			if err != nil || len(got) != 1 || got[0].BirthDate != "2001-03-12" {
				t.Fatalf("stored %+v (%v), want birth date 2001-03-12", got, err)
			}
		})
	}
}

func TestTheFormSaysWhatToWriteForADateItCannotRead(t *testing.T) {
	h := newHarness(t)
	f := h.typeTrainee(domain.MakeNIK("320101", born, true, 4), "Siti Aminah", "P", "0812 3456 7890")
	f.birth.SetText("")
	test.Type(f.birth, "31-02-2001")
	test.Tap(f.saveBtn)
	if n := h.count(t); n != 0 {
		t.Fatalf("%d trainees saved with 31 February", n)
	}
	if msg := f.form.Message("birth_date"); !strings.Contains(msg, "tanggal") {
		t.Fatalf("message beside the birth date = %q", msg)
	}
}

func TestTheCalendarFillsInTheBirthDate(t *testing.T) {
	// given the form with the NIK's birth date filled in
	h := newHarness(t)
	f := h.typeTrainee(domain.MakeNIK("320101", born, true, 5), "Siti Aminah", "P", "0812 3456 7890")
	// when the operator opens the calendar, goes to another month and taps a day
	test.Tap(f.birth.ActionItem.(fyne.Tappable))
	cal := f.birth.Calendar()
	if cal == nil {
		t.Fatal("no calendar opened")
	}
	if got := cal.Shown(); got.Year() != 2001 || got.Month() != time.August {
		t.Fatalf("calendar opened on %v, want the field's month, August 2001", got)
	}
	cal.ShowMonth(2001, time.September)
	cal.Pick(3)
	// then the field shows it the Indonesian way and the record holds ISO
	if f.birth.Text != "03-09-2001" || f.record().BirthDate != "2001-09-03" {
		t.Fatalf("field %q, record %q", f.birth.Text, f.record().BirthDate)
	}
}

func TestImportIsReachableFromThePesertaScreen(t *testing.T) {
	h := newHarness(t)
	b := findButton(h.s.Content(), "Impor…")
	if b == nil {
		t.Fatal("no \"Impor…\" on the Peserta screen")
	}
	// tapping it offers the trainee list first
	overlays := h.s.deps.Window.Canvas().Overlays()
	test.Tap(b)
	menu := overlays.Top()
	if menu == nil || !strings.Contains(test.RenderObjectToMarkup(menu), "Impor dari Excel…") {
		t.Fatal("the import button opened no menu with the trainee list")
	}
	item := h.s.ImportMenu().Items[0]
	if item.Label != "Impor dari Excel…" {
		t.Fatalf("the menu starts with %q", item.Label)
	}
	overlays.Remove(menu)
	item.Action()
	if top := overlays.Top(); top == nil || top == menu {
		t.Fatal("the import did not open")
	}
}
