package kit

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
)

func TestShowPutsEachProblemBesideItsField(t *testing.T) {
	tests := []struct {
		name     string
		problems domain.Problems
		want     map[string]string
	}{
		{"nothing to say clears every field", nil, map[string]string{"name": "", "quota": ""}},
		{"an invalid value", domain.Problems{{Field: "name", Level: domain.Invalid, Code: "problem.required"}},
			map[string]string{"name": "wajib diisi", "quota": ""}},
		{"a warning is marked", domain.Problems{{Field: "quota", Level: domain.Warning, Code: "problem.quota.over", Args: []any{int64(20)}}},
			map[string]string{"quota": "⚠ kuota 20 melebihi standar 16 peserta"}},
		{"an unreadable number says only that", domain.Problems{NotNumber("quota"), {Field: "quota", Level: domain.Invalid, Code: "problem.positive"}},
			map[string]string{"quota": "tulis angka saja, mis. 16"}},
		{"a field the form lacks goes under the first", domain.Problems{{Field: "trainee_id", Level: domain.Invalid, Code: "problem.ref.missing"}},
			map[string]string{"name": "Peserta: data yang dirujuk tidak ditemukan"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// given a form with two fields, one already showing a message
			test.NewTempApp(t)
			i18n.SetLang(domain.Indonesian)
			f := New()
			f.Entry("name", "Nama", "")
			f.Entry("quota", "Kuota", "")
			f.Show(domain.Problems{{Field: "quota", Level: domain.Invalid, Code: "problem.positive"}})

			// when the problems are shown
			f.Show(tc.problems)

			// then each field says what it should, and no more
			for field, want := range tc.want {
				if got := f.Message(field); got != want {
					t.Errorf("%s: %q, want %q", field, got, want)
				}
			}
		})
	}
}

func TestTypingRevalidatesAndEnterSubmits(t *testing.T) {
	// given a form that requires a name
	test.NewTempApp(t)
	f := New()
	name := f.Entry("name", "Nama", "")
	submitted := 0
	f.Submit = func() { submitted++ }
	f.Check = func() domain.Problems {
		if name.Text == "" {
			return domain.Problems{{Field: "name", Level: domain.Invalid, Code: "problem.required"}}
		}
		return nil
	}

	// when a name is typed, then erased, then typed and Enter pressed
	test.Type(name, "A")
	afterTyping := f.Message("name")
	name.SetText("")
	afterErasing := f.Message("name")
	test.Type(name, "Ani")
	name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})

	// then the message follows the text and Enter submits
	if afterTyping != "" || afterErasing != "wajib diisi" || f.Message("name") != "" || submitted != 1 {
		t.Fatalf("typing %q erasing %q now %q submitted %d", afterTyping, afterErasing, f.Message("name"), submitted)
	}
}

func TestChoiceReadsAndSetsCodes(t *testing.T) {
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	c := NewChoice("cohorts.status")
	if c.Value() != "" {
		t.Fatalf("empty choice = %q", c.Value())
	}
	c.SetValue(domain.CohortRunning)
	if c.Value() != domain.CohortRunning || c.Select.Selected != "Berjalan" {
		t.Fatalf("value %q shown %q", c.Value(), c.Select.Selected)
	}
	c.SetValue("unknown")
	if c.Value() != "" {
		t.Fatalf("unknown code kept %q", c.Value())
	}
	c.SetValue(domain.CohortPlanned)
	c.SetOptions([]string{domain.CohortPlanned, "x"}, []string{"Direncanakan", "X"})
	if c.Value() != domain.CohortPlanned {
		t.Fatalf("selection lost on new options: %q", c.Value())
	}
}

func TestIntReadsWholeNumbersPeopleType(t *testing.T) {
	for in, want := range map[string]int64{"16": 16, " 1.200 ": 1200, "": 0} {
		if got, ok := Int(in); !ok || got != want {
			t.Errorf("Int(%q) = %d, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"enam", "1,5", "16 orang"} {
		if _, ok := Int(bad); ok {
			t.Errorf("Int(%q) accepted", bad)
		}
	}
}

func TestAProblemLineIsReservedSoNothingMovesWhenItAppears(t *testing.T) {
	// given a form of three fields with buttons under it, laid out as screens do
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	f := New()
	f.Entry("name", "Nama", "")
	f.Entry("phone", "No. HP", "")
	f.Entry("email", "Email", "")
	save := widget.NewButton("Simpan", nil)
	split := Layout(widget.NewButton("Baru", nil), widget.NewLabel(""), widget.NewLabel(""), f, []fyne.CanvasObject{save}, widget.NewLabel(""), 0.4)
	w := test.NewTempWindow(t, split)
	w.Resize(fyne.NewSize(900, 600))
	before, emailAt := f.Content().MinSize(), f.Field("email").Position()

	// when the first field gets a problem
	f.Show(domain.Problems{{Field: "name", Level: domain.Invalid, Code: "problem.required"}})

	// then the form keeps its size and the fields below keep their place
	if after := f.Content().MinSize(); after != before {
		t.Errorf("form grew from %v to %v when a problem appeared", before, after)
	}
	if at := f.Field("email").Position(); at != emailAt {
		t.Errorf("the email field moved from %v to %v", emailAt, at)
	}
}

func TestASaveThatFailsScrollsToTheFirstProblem(t *testing.T) {
	// given a long form in a short window, scrolled to the top
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	f := New()
	for i := 0; i < 12; i++ {
		f.Entry(fmt.Sprintf("f%d", i), fmt.Sprintf("Isian %d", i), "")
	}
	split := Layout(widget.NewButton("Baru", nil), widget.NewLabel(""), widget.NewLabel(""), f, nil, widget.NewLabel(""), 0.4)
	w := test.NewTempWindow(t, split)
	w.Resize(fyne.NewSize(900, 400))

	// when saving finds the tenth field invalid (and a warning above it)
	f.ShowAndScroll(domain.Problems{{Field: "f2", Level: domain.Warning, Code: "problem.required"}, {Field: "f9", Level: domain.Invalid, Code: "problem.required"}})

	// then the tenth field is in view
	top := f.scroll.Offset.Y
	cell := f.Field("f9")
	if y := cell.Position().Y; y < top || y+cell.Size().Height > top+f.scroll.Size().Height {
		t.Fatalf("field at %v..%v, view %v..%v", y, y+cell.Size().Height, top, top+f.scroll.Size().Height)
	}
}

func TestEscapeInAnEntryCancelsTheForm(t *testing.T) {
	test.NewTempApp(t)
	f := New()
	name := f.Entry("name", "Nama", "")
	cancelled := 0
	f.Cancel = func() { cancelled++ }
	test.Type(name, "Ani")
	name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if cancelled != 1 || name.Text != "Ani" {
		t.Fatalf("cancelled %d times, text %q", cancelled, name.Text)
	}
}

func TestADateFieldSubmitsOnEnterAndCancelsOnEscapeLikeAnEntry(t *testing.T) {
	test.NewTempApp(t)
	f := New()
	d := f.Date("start_date", "Mulai", func() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) })
	submitted, cancelled := 0, 0
	f.Submit = func() { submitted++ }
	f.Cancel = func() { cancelled++ }
	test.Type(d, "1-12-2026")
	d.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if submitted != 1 || cancelled != 0 {
		t.Fatalf("Enter in a date field: submitted %d, cancelled %d", submitted, cancelled)
	}
	d.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if submitted != 1 || cancelled != 1 || d.Text != "1-12-2026" {
		t.Fatalf("Escape in a date field: submitted %d, cancelled %d, text %q", submitted, cancelled, d.Text)
	}
}

func TestAnOpenChoiceKeepsAValueThatIsNoneOfTheCodes(t *testing.T) {
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	c := NewChoice("trainees.education")
	c.Open = true
	n := len(c.Select.Options)
	// text an import kept as written shows as written and is read back
	c.SetValue("Pesantren salafiyah")
	if c.Value() != "Pesantren salafiyah" || c.Select.Selected != "Pesantren salafiyah" || len(c.Select.Options) != n+1 {
		t.Fatalf("open value: %q shown %q, %d options", c.Value(), c.Select.Selected, len(c.Select.Options))
	}
	// another such value takes its place rather than piling up
	c.SetValue("Paket C")
	if c.Value() != "Paket C" || len(c.Select.Options) != n+1 {
		t.Fatalf("second open value: %q, %d options", c.Value(), len(c.Select.Options))
	}
	// a code picks its choice
	c.SetValue("sma")
	if c.Value() != "sma" {
		t.Fatalf("code: %q", c.Value())
	}
	// a closed choice drops what is none of its codes
	closed := NewChoice("trainees.education")
	closed.SetValue("Paket C")
	if closed.Value() != "" || len(closed.Select.Options) != n {
		t.Fatalf("closed: %q, %d options", closed.Value(), len(closed.Select.Options))
	}
}

func TestARowExplainsWithoutAProblemLineAndDateRevalidates(t *testing.T) {
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	f := New()
	checks := 0
	f.Check = func() domain.Problems { checks++; return nil }
	f.Row("", widget.NewLabel("NIK ini: perempuan"))
	d := f.Date("birth_date", "Tanggal lahir", func() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) })
	test.Type(d, "17-08-2001")
	if checks == 0 || d.ISO() != "2001-08-17" {
		t.Fatalf("%d checks, ISO %q", checks, d.ISO())
	}
	if len(f.order) != 1 || f.order[0] != "birth_date" {
		t.Fatalf("fields %v", f.order)
	}
}

func TestWindowShortcutsWorkWithTheCursorInAField(t *testing.T) {
	test.NewTempApp(t)
	f := New()
	e := f.Entry("name", "Nama", "")
	w := test.NewTempWindow(t, f.Content())
	n := 0
	ctrlN := &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	w.Canvas().AddShortcut(ctrlN, func(fyne.Shortcut) { n++ })
	w.Canvas().Focus(e)
	e.TypedShortcut(ctrlN)
	if n != 1 {
		t.Fatalf("Ctrl+N in a field reached the window %d times", n)
	}
	// the entry keeps its own: select all stays in the field
	test.Type(e, "Agus")
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
	if n != 1 || e.SelectedText() != "Agus" {
		t.Fatalf("select all: %d, selected %q", n, e.SelectedText())
	}
}
