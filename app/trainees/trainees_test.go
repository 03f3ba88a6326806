package trainees

import (
	"context"
	"path/filepath"
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

func newStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return today }
	if _, err := s.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren", VillageCode: "3201011001"}); err != nil {
		t.Fatal(err)
	}
	return s
}

// wait runs the UI work the screen queues, on the test goroutine as the
// real app runs it on the UI goroutine, until ch receives. The deadline is a
// guard against a hang, not a timing assertion.
func (h *harness) wait(t *testing.T, ch chan struct{}, what string) {
	t.Helper()
	h.ui.Until(t, what, func() bool {
		select {
		case <-ch:
			return true
		default:
			return false
		}
	})
}

type harness struct {
	s       *Screen
	st      *store.Store
	changed chan struct{}
	ui      *uitest.Runner
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	h := &harness{st: newStore(t), changed: make(chan struct{}, 4), ui: uitest.NewRunner()}
	w := test.NewTempWindow(t, nil)
	h.s = New(screen.Deps{Window: w, Changed: func() { h.changed <- struct{}{} }, Run: h.ui, Now: h.st.Now}, h.st)
	h.s.searched = make(chan struct{}, 4)
	h.s.shown = make(chan struct{}, 4)
	w.SetContent(h.s.Content())
	w.Resize(w.Content().MinSize().Max(w.Canvas().Size()))
	return h
}

func (h *harness) count(t *testing.T) int {
	t.Helper()
	n, err := h.st.Count(context.Background(), domain.LookupTable("trainees"), store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// typeTrainee fills the form as an operator would.
func (h *harness) typeTrainee(nik, name, sex, phone string) *traineeForm {
	h.s.NewRecord()
	f := h.s.form
	test.Type(f.nik, nik)
	test.Type(f.name, name)
	if sex != "" {
		f.sex.SetValue(sex)
	}
	f.region.SetCode("3201011001")
	test.Type(f.phone, phone)
	return f
}

var born = time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC)

func TestTraineeFormRefusesInvalidEntriesAndSavesNothing(t *testing.T) {
	cases := []struct {
		name, nik, phone, field, wantMsg string
	}{
		{"NIK too short", "3201011708", "0812-3456-7890", "nik", "16 angka"},
		{"NIK with an unknown district", domain.MakeNIK("999999", born, true, 1), "0812-3456-7890", "nik", "kode kecamatan"},
		{"NIK serial 0000", domain.MakeNIK("320101", born, true, 0), "0812-3456-7890", "nik", "0000"},
		{"phone with letters", domain.MakeNIK("320101", born, true, 1), "0812-abc", "phone", "nomor HP tidak valid"},
		{"phone too short", domain.MakeNIK("320101", born, true, 1), "0812", "phone", "nomor HP tidak valid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// given an empty trainee form
			h := newHarness(t)
			// when the operator types a bad value and presses Save
			f := h.typeTrainee(c.nik, "Siti Aminah", "P", c.phone)
			test.Tap(f.saveBtn)
			// then nothing is saved and the message sits beside the field
			if n := h.count(t); n != 0 {
				t.Fatalf("%d trainees saved, want 0", n)
			}
			if msg := f.form.Message(c.field); !strings.Contains(msg, c.wantMsg) {
				t.Fatalf("message beside %s = %q, want it to contain %q", c.field, msg, c.wantMsg)
			}
			if !strings.Contains(f.summary.Text, "Belum bisa disimpan") {
				t.Fatalf("summary = %q", f.summary.Text)
			}
		})
	}
}

func TestTraineeFormShowsProblemsAsTheOperatorTypes(t *testing.T) {
	// given a new trainee form
	h := newHarness(t)
	h.s.NewRecord()
	f := h.s.form
	// when a partial NIK is typed
	test.Type(f.nik, "320101")
	// then the NIK row says what is wrong before any Save
	if msg := f.form.Message("nik"); !strings.Contains(msg, "16 angka") {
		t.Fatalf("nik message while typing = %q", msg)
	}
	// and untouched fields stay quiet
	if msg := f.form.Message("name"); msg != "" {
		t.Fatalf("untouched name shows %q", msg)
	}
	// when the NIK is completed, it is decoded: sex, birth date, region
	test.Type(f.nik, "5708010001")
	if msg := f.form.Message("nik"); msg != "" {
		t.Fatalf("valid NIK still shows %q", msg)
	}
	for _, want := range []string{"Perempuan", "17-08-2001", "Cibinong"} {
		if !strings.Contains(f.decoded.Text, want) {
			t.Fatalf("decoded NIK %q lacks %q", f.decoded.Text, want)
		}
	}
	if f.sex.Value() != "P" || f.birth.Text != "17-08-2001" || f.birth.ISO() != "2001-08-17" {
		t.Fatalf("sex/birth not filled from NIK: %q %q", f.sex.Value(), f.birth.Text)
	}
}

func TestTraineeWithNIKMismatchIsSavedAndFlagged(t *testing.T) {
	// given a NIK of a woman and the operator choosing "male"
	h := newHarness(t)
	nik := domain.MakeNIK("320101", born, true, 7)
	f := h.typeTrainee(nik, "Siti  Aminah", "", "0812 3456 7890")
	f.sex.SetValue("L")
	// then the mismatch shows as a warning while typing
	if msg := f.form.Message("sex"); !strings.Contains(msg, "tidak cocok dengan NIK") {
		t.Fatalf("sex warning = %q", msg)
	}
	// when saved (Enter in a field saves)
	f.phone.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.wait(t, h.changed, "save")
	h.wait(t, h.s.searched, "list refresh")
	h.wait(t, h.s.shown, "detail view")
	// then the trainee is stored, normalised, and flagged in the list
	got, err := h.st.SearchTrainees(context.Background(), store.TraineeQuery{Text: nik})
	if err != nil || len(got) != 1 {
		t.Fatalf("search after save: %v %v", got, err)
	}
	if got[0].Phone != "+6281234567890" || got[0].Name != "Siti Aminah" || got[0].Sex != "L" {
		t.Fatalf("stored %+v", got[0])
	}
	rows := h.s.table.Rows()
	if len(rows) != 1 || !rows[0].Warn {
		t.Fatalf("list rows %+v, want one flagged row", rows)
	}
}

func TestSearchFindsTraineesByNameFragment(t *testing.T) {
	// given three trainees
	h := newHarness(t)
	for i, name := range []string{"Ahmad Fauzi", "Siti Aminah", "Budi Santoso"} {
		tr := &domain.Trainee{NIK: domain.MakeNIK("320101", born, false, i+1), Name: name, Sex: "L", BirthDate: "2001-08-17"}
		if _, err := h.st.Save(context.Background(), tr); err != nil {
			t.Fatal(err)
		}
	}
	h.s.Update(context.Background())
	h.wait(t, h.s.searched, "first load")
	if n := len(h.s.table.Rows()); n != 3 {
		t.Fatalf("first load shows %d rows", n)
	}
	// when the operator types part of a name
	Debounce = 0
	h.s.search.SetText("anto")
	h.wait(t, h.s.searched, "search")
	// then only the match is listed
	rows := h.s.table.Rows()
	if len(rows) != 1 || rows[0].T.Name != "Budi Santoso" {
		t.Fatalf("rows after search %v", rows)
	}
}

func TestRefusedFormRendersMessagesBesideFields(t *testing.T) {
	// given a form with a short NIK and a bad phone, saved
	h := newHarness(t)
	h.s.deps.Window.Resize(fyne.NewSize(1000, 900))
	f := h.typeTrainee("3201", "Siti Aminah", "P", "12ab")
	test.Tap(f.saveBtn)
	// then red messages stand on the NIK, birth date and phone rows, the
	// summary above Save
	texts := uitest.Texts(h.s.deps.Window.Content())
	find := func(text string) uitest.Text {
		t.Helper()
		for _, x := range texts {
			if x.Text == text {
				return x
			}
		}
		t.Fatalf("the form does not show %q; it shows %q", text, uitest.Strings(texts))
		return uitest.Text{}
	}
	// every field has its problem line under it, reserved even when empty
	// (so nothing jumps when one fills)
	fields := []string{"NIK", "No. KK", "Nama", "Jenis kelamin", "Tempat lahir", "Tanggal lahir", "Pendidikan",
		"Kelompok", "Disabilitas", "Alamat", "Desa/kelurahan", "Kode pos", "No. HP", "Email"}
	problems := map[string]string{
		"NIK":           "NIK harus 16 angka (sekarang 4 angka)",
		"Tanggal lahir": "wajib diisi",
		"No. HP":        "nomor HP tidak valid; tulis seperti 0812-3456-7890 atau +62812…",
	}
	for i, name := range fields {
		label := find(name)
		below := float32(1e9)
		if i+1 < len(fields) {
			below = find(fields[i+1]).Pos.Y
		}
		var lines []uitest.Text
		for _, x := range texts {
			if x.Label && x.Importance == widget.DangerImportance && x.Pos.Y > label.Pos.Y && x.Pos.Y < below && x.Pos.X > label.Pos.X {
				lines = append(lines, x)
			}
		}
		if len(lines) != 1 || lines[0].Text != problems[name] {
			t.Errorf("under %s, beside its label, the red lines are %q, want one: %q", name, uitest.Strings(lines), problems[name])
		}
	}
	// and the summary stands above Save, in red
	summary, save := find("Belum bisa disimpan: perbaiki isian yang ditandai merah."), find("Simpan")
	if summary.Importance != widget.DangerImportance || summary.Pos.Y >= save.Pos.Y {
		t.Errorf("the summary %+v is not a red line above Save %+v", summary, save)
	}
}

func TestCtrlFFocusesTheSearchBox(t *testing.T) {
	// given the trainee form is open
	h := newHarness(t)
	h.s.NewRecord()
	// when the screen is asked to search (Ctrl+F)
	h.s.FocusSearch()
	// then the list is back and the search box has the focus
	if h.s.form != nil || h.s.deps.Window.Canvas().Focused() != h.s.search {
		t.Fatalf("focused %T, form open %v", h.s.deps.Window.Canvas().Focused(), h.s.form != nil)
	}
}

func TestListLoadsTheNextPageNearItsEnd(t *testing.T) {
	// given one page and a few more trainees
	h := newHarness(t)
	err := h.st.Write(context.Background(), func(tx *store.Tx) error {
		for i := 0; i < PageSize+5; i++ {
			tr := &domain.Trainee{NIK: domain.MakeNIK("320101", born, false, i+1), Name: "Peserta", Sex: "L", BirthDate: "2001-08-17"}
			if _, err := tx.Save(tr); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// when the list opens, it holds one page and says there is more
	h.s.Update(context.Background())
	h.wait(t, h.s.searched, "first page")
	if n := len(h.s.table.Rows()); n != PageSize || !h.s.more {
		t.Fatalf("first page: %d rows, more %v", n, h.s.more)
	}
	// when drawing reaches the end of the page
	h.s.table.NearEnd()
	h.wait(t, h.s.searched, "next page")
	// then the rest is appended, without duplicates, and there is no more
	rows := h.s.table.Rows()
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r.T.ID] = true
	}
	if len(rows) != PageSize+5 || len(seen) != PageSize+5 || h.s.more {
		t.Fatalf("after next page: %d rows, %d distinct, more %v", len(rows), len(seen), h.s.more)
	}
}

func TestDetailShowsHistoryAndDeleteAsksFirst(t *testing.T) {
	// given a trainee who finished a welding cohort, passed a unit and found work
	h := newHarness(t)
	ctx := context.Background()
	save := func(r domain.Record) {
		t.Helper()
		if _, err := h.st.Save(ctx, r); err != nil {
			t.Fatalf("save %T: %v", r, err)
		}
	}
	p := &domain.Programme{Name: "Pengelasan SMAW", FieldCode: "LAS", TotalJP: 240, MinutesPerJP: 45}
	save(p)
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 2, StartDate: "2026-09-01", EndDate: "2026-10-30", Quota: 16, Status: domain.CohortCompleted}
	save(c)
	tr := &domain.Trainee{NIK: domain.MakeNIK("320101", born, true, 3), Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17"}
	save(tr)
	e := &domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, CompletedOn: "2026-10-30", CertificateNo: "BLK/2026/017"}
	save(e)
	save(&domain.Attendance{EnrollmentID: e.ID, Date: "2026-09-01", Mark: "H"})
	save(&domain.Assessment{EnrollmentID: e.ID, UnitCode: "C.25.200.01", Result: "K", AssessedOn: "2026-10-28"})
	save(&domain.Outcome{TraineeID: tr.ID, SurveyedOn: "2026-11-20", Status: domain.OutcomeEmployed, Employer: "CV Maju Jaya Las"})

	// when its detail opens
	h.s.ShowDetail(tr.ID)
	h.wait(t, h.s.shown, "detail view")

	// then enrollments, results, attendance and outcomes are all there
	m := test.RenderToMarkup(h.s.deps.Window.Canvas())
	for _, want := range []string{"Pengelasan SMAW 2026/2", "Lulus", "BLK/2026/017", "hadir 1 dari 1 hari", "C.25.200.01: Kompeten", "2026-11-20: Bekerja · CV Maju Jaya Las"} {
		if !strings.Contains(m, want) {
			t.Errorf("detail lacks %q", want)
		}
	}
	// when Delete is pressed, a confirmation is asked and nothing is deleted yet
	h.s.confirmDelete(tr)
	overlay := h.s.deps.Window.Canvas().Overlays().Top()
	if overlay == nil || h.count(t) != 1 {
		t.Fatalf("no confirmation (overlay %v) or deleted too early (%d left)", overlay, h.count(t))
	}
	// when confirmed
	yes := findButton(overlay, i18n.T("common.delete"))
	if yes == nil {
		t.Fatal("no confirm button")
	}
	test.Tap(yes)
	h.wait(t, h.changed, "delete")
	// then the trainee is gone
	if n := h.count(t); n != 0 {
		t.Fatalf("%d trainees left after delete", n)
	}
}

func findButton(o fyne.CanvasObject, text string) *widget.Button {
	for _, obj := range test.LaidOutObjects(o) {
		if b, ok := obj.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}

func TestDuplicateNIKFromAnotherPCIsOfferedForMerge(t *testing.T) {
	// given a trainee here and the same NIK registered on another PC, pulled by sync
	h := newHarness(t)
	ctx := context.Background()
	keep := &domain.Trainee{NIK: domain.MakeNIK("320101", born, true, 9), Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17"}
	if _, err := h.st.Save(ctx, keep); err != nil {
		t.Fatal(err)
	}
	lose := *keep
	lose.ID, lose.Name, lose.Email = domain.NewID(), "Siti Aminah S", "siti@example.id"
	fields := domain.Values(&lose)
	delete(fields, "id")
	if err := h.st.ApplyRemote(ctx, []domain.Change{{Table: "trainees", ID: lose.ID, Clock: domain.MakeClock(born.UnixMilli(), 0), Device: "pc-2", Fields: fields}}, 0); err != nil {
		t.Fatal(err)
	}
	// when the detail opens, the duplicate is shown with a merge button
	h.s.ShowDetail(keep.ID)
	h.wait(t, h.s.shown, "detail view")
	merge := findButton(h.s.deps.Window.Content(), i18n.T("trainees.dup.merge"))
	if merge == nil {
		t.Fatal("no merge offer for the duplicate NIK")
	}
	// and merging asks first, then leaves one record with the loser's email
	test.Tap(merge)
	yes := findButton(h.s.deps.Window.Canvas().Overlays().Top(), i18n.T("trainees.dup.merge"))
	if yes == nil {
		t.Fatal("no confirmation")
	}
	test.Tap(yes)
	h.wait(t, h.changed, "merge")
	if n := h.count(t); n != 1 {
		t.Fatalf("%d trainees after merge, want 1", n)
	}
	got := &domain.Trainee{}
	got.ID = keep.ID
	if err := h.st.Get(ctx, got); err != nil || got.Email != "siti@example.id" {
		t.Fatalf("kept record %+v, %v", got, err)
	}
}

func TestClosedScreenLetsGoOfItsTraineesAndCohorts(t *testing.T) {
	ctx := context.Background()
	// given the list with a trainee and a cohort to filter by, and the form open
	h := newHarness(t)
	p := &domain.Programme{Name: "Menjahit", FieldCode: "JHT", TotalJP: 160, MinutesPerJP: 45}
	if _, err := h.st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 1, StartDate: "2026-03-02", EndDate: "2026-04-24", Quota: 16, Status: domain.CohortRunning}
	if _, err := h.st.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	tr := &domain.Trainee{NIK: domain.MakeNIK("320101", born, false, 1), Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17"}
	if _, err := h.st.Save(ctx, tr); err != nil {
		t.Fatal(err)
	}
	h.s.Update(ctx)
	h.wait(t, h.s.searched, "first page")
	if len(h.s.table.Rows()) != 1 || len(h.s.cohorts) != 1 || len(h.s.cohortFilter.Options) != 2 {
		t.Fatalf("loaded %d rows, %d cohorts, %d filter options", len(h.s.table.Rows()), len(h.s.cohorts), len(h.s.cohortFilter.Options))
	}
	h.s.NewRecord()

	// when the shell drops it (as on a language switch) and a load lands afterwards
	h.s.Close()
	h.s.Update(ctx)
	h.ui.Settle(t)

	// then it holds no trainees, cohorts or form
	if len(h.s.table.Rows()) != 0 || h.s.cohorts != nil || len(h.s.cohortFilter.Options) != 1 || h.s.form != nil || h.s.more {
		t.Fatalf("after Close: %d rows, %d cohorts, %d filter options, form %v, more %v",
			len(h.s.table.Rows()), len(h.s.cohorts), len(h.s.cohortFilter.Options), h.s.form != nil, h.s.more)
	}
}

func TestARefusedSaveScrollsToTheFirstProblemAndEscapeGoesBack(t *testing.T) {
	// given a short window and a trainee whose only bad value is the
	// phone, at the bottom of the form
	h := newHarness(t)
	h.s.deps.Window.Resize(fyne.NewSize(1000, 500))
	f := h.typeTrainee(domain.MakeNIK("320101", born, true, 9), "Siti Aminah", "P", "12ab")
	scroll := f.form.Scroll()
	scroll.ScrollToTop()
	// when it is saved
	test.Tap(f.saveBtn)
	// then the form scrolls down to the phone's message, and nothing is saved
	if f.form.Message("phone") == "" || scroll.Offset.Y <= 0 {
		t.Fatalf("phone message %q, scrolled to %v", f.form.Message("phone"), scroll.Offset.Y)
	}
	if n := h.count(t); n != 0 {
		t.Fatalf("%d saved", n)
	}
	// when Escape is pressed in a field, the list is back
	f.name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.s.form != nil {
		t.Fatal("the form is still open after Escape")
	}
}
