package app

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
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
	"github.com/kemnaker/blk/msg"
	"github.com/kemnaker/blk/store"
	"github.com/kemnaker/blk/sync"
)

var today = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func openStore(t *testing.T, withCentre bool) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return today }
	if withCentre {
		if _, err := s.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren", VillageCode: "3201011001"}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

type harness struct {
	shell *Shell
	win   fyne.Window
	st    *store.Store
	ui    *uitest.Runner
}

// newShell starts the shell on a test window with a uitest.Runner: work
// runs on goroutines of its own, UI work is run by settle on the test
// goroutine, as the real app runs it on its UI goroutine.
func newShell(t *testing.T, st *store.Store, opts Options, startAt string) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	t.Cleanup(func() { i18n.SetLang(domain.Indonesian) })
	h := &harness{st: st, ui: uitest.NewRunner()}
	h.win = test.NewTempWindow(t, nil)
	h.win.Resize(fyne.NewSize(1100, 720))
	opts.Store, opts.Prefs, opts.Run = st, a.Preferences(), h.ui
	if opts.DataDir == "" {
		opts.DataDir = "/data/blk"
	}
	h.shell = New(h.win, opts)
	for i, e := range h.shell.entries {
		if e.key == startAt {
			h.shell.current = i
		}
	}
	h.shell.Start()
	return h
}

// settle runs queued UI work until cond holds.
func (h *harness) settle(t *testing.T, what string, cond func() bool) {
	t.Helper()
	h.ui.Until(t, what, cond)
}

func (h *harness) markup() string { return test.RenderToMarkup(h.win.Canvas()) }

func TestFirstRunWizardCreatesTheCentreAndOperator(t *testing.T) {
	// given an empty data folder
	st := openStore(t, false)
	h := newShell(t, st, Options{}, "nav.settings")
	w := h.shell.wizard
	if w == nil || w.step != 1 {
		t.Fatalf("wizard not on the centre step: %+v", w)
	}
	// it asks for the centre's name (with an example), its host type and
	// its village, found by name or picked level by level
	want := []string{
		"Selamat datang di BLK Komunitas",
		"Profil lembaga",
		"Isi nama lembaga BLK Komunitas, jenis lembaga induknya, dan lokasinya sampai desa/kelurahan.",
		"Nama", "mis. BLK Komunitas Pondok Pesantren Al-Hikmah",
		"Jenis lembaga", "Pondok Pesantren",
		"Desa/kelurahan | Cari desa/kelurahan di seluruh Indonesia…",
		"Provinsi | Kabupaten/kota",
		"Kecamatan | Desa/kelurahan",
		"Lanjut",
	}
	uitest.AssertLines(t, "the centre step", h.win.Content(), want)
	// and a level opens once the one above is chosen
	for i, l := range w.region.Levels {
		if l.Disabled() != (i > 0) {
			t.Errorf("region level %d disabled = %v before a province is chosen", i, l.Disabled())
		}
	}

	// when Next is pressed with nothing typed
	test.Tap(w.next)
	// then the step stays and says what is missing beside the fields
	if w.step != 1 || !strings.Contains(w.centre.Message("name"), "wajib diisi") || !strings.Contains(w.centre.Message("village_code"), "wajib diisi") {
		t.Fatalf("empty centre accepted: step %d, name %q, village %q", w.step, w.centre.Message("name"), w.centre.Message("village_code"))
	}

	// when the operator fills the profile down to the village, and their name
	test.Type(w.name, "BLK Komunitas Pondok Pesantren Al-Hikmah")
	w.host.SetValue("pesantren")
	w.region.SetCode("3201011001")
	test.Tap(w.next)
	if w.step != 2 {
		t.Fatalf("step after a valid profile = %d", w.step)
	}
	test.Tap(w.next)
	if !strings.Contains(w.msg.Sentence(), "nama operator") {
		t.Fatalf("empty operator accepted: %q", w.msg.Sentence())
	}
	test.Type(w.operator, "Ustadz Hasan")
	w.operator.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter finishes
	h.settle(t, "main window", func() bool { return h.shell.wizard == nil })

	// then the store holds the centre and the operator, and the main window shows
	c, err := st.Centre(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "BLK Komunitas Pondok Pesantren Al-Hikmah" || c.HostType != "pesantren" || c.VillageCode != "3201011001" {
		t.Fatalf("centre %+v", c)
	}
	if op, _ := st.Meta(context.Background(), MetaOperator); op != "Ustadz Hasan" {
		t.Fatalf("operator %q", op)
	}
	h.settle(t, "status bar names the operator", func() bool { return strings.Contains(h.shell.who.Text, "Ustadz Hasan") })
	if !strings.Contains(h.markup(), "Bekerja offline, belum terhubung ke server") {
		t.Fatal("status bar does not say the app works offline")
	}
}

func TestWizardServerStepCanBeSkipped(t *testing.T) {
	// given an enroller is available
	st := openStore(t, false)
	called := false
	h := newShell(t, st, Options{Enroller: func(context.Context, string, string) error { called = true; return nil }}, "nav.settings")
	w := h.shell.wizard
	// then the first step offers the central server
	if w.step != 0 {
		t.Fatalf("first step %d, want the server step", w.step)
	}
	// when it is connected without a code, it refuses without calling out
	test.Type(w.url, "https://blk.example")
	test.Tap(w.next)
	if w.step != 0 || called || w.msg.Sentence() == "" {
		t.Fatalf("connect without code: step %d called %v msg %q", w.step, called, w.msg.Sentence())
	}
	// when skipped, the centre profile is asked for
	w.Skip()
	if w.step != 1 || called {
		t.Fatalf("after skip: step %d, enroller called %v", w.step, called)
	}
}

func TestLanguageSwitchRelabelsTheWholeWindow(t *testing.T) {
	// given the main window in Indonesian on the settings screen
	st := openStore(t, true)
	h := newShell(t, st, Options{}, "nav.settings")
	h.settle(t, "centre name", func() bool { return h.shell.who.Text != "" })
	h.ui.Settle(t) // the automatic backups list too: the golden is taken loaded
	before := h.markup()
	for _, want := range []string{"Peserta", "Pengaturan", "Bekerja offline, belum terhubung ke server", "Bahasa"} {
		if !strings.Contains(before, want) {
			t.Fatalf("Indonesian window lacks %q", want)
		}
	}
	idRows := uitest.Rows(uitest.Texts(h.win.Content()))

	// when English is chosen in Settings
	h.shell.Current().(*settingsScreen).lang.SetSelected("English")
	h.settle(t, "centre name", func() bool { return h.shell.who.Text != "" })
	h.ui.Settle(t)

	// then every label is English, and the choice is remembered
	after := h.markup()
	for _, want := range []string{"Trainees", "Settings", "Works offline, no server connected", "Language", "Graduate tracer"} {
		if !strings.Contains(after, want) {
			t.Fatalf("English window lacks %q", want)
		}
	}
	for _, gone := range []string{"Pengaturan", "Bekerja offline", "Penelusuran Alumni"} {
		if strings.Contains(after, gone) {
			t.Fatalf("English window still shows %q", gone)
		}
	}
	if got := h.shell.opts.Prefs.String(PrefLang); got != "en" {
		t.Fatalf("saved language %q", got)
	}
	// and the window is the same, line for line, with no catalogue text left
	// in Indonesian (the markup goldens this replaces said so in 560 lines)
	enRows := uitest.Rows(uitest.Texts(h.win.Content()))
	if len(enRows) != len(idRows) {
		t.Fatalf("%d lines in English, %d in Indonesian", len(enRows), len(idRows))
	}
	indonesian := map[string]string{} // a text only the Indonesian catalogue has, and its key
	for _, k := range msg.Keys(msg.Indonesian) {
		if id := msg.T(msg.Indonesian, k); !strings.Contains(id, "%") && id != msg.T(msg.English, k) {
			indonesian[id] = k
		}
	}
	// the language choice names each language in its own tongue
	delete(indonesian, "English")
	delete(indonesian, "Bahasa Indonesia")
	found := 0
	for _, r := range idRows {
		for _, x := range uitest.Strings(r) {
			if _, ok := indonesian[x]; ok {
				found++
			}
		}
	}
	if found < 10 {
		t.Fatalf("only %d Indonesian catalogue texts recognised in the Indonesian window", found)
	}
	for i := range enRows {
		en, id := uitest.Strings(enRows[i]), uitest.Strings(idRows[i])
		if len(en) != len(id) {
			t.Errorf("line %d: %q in English, %q in Indonesian", i, en, id)
		}
		for _, x := range en {
			if k, ok := indonesian[x]; ok {
				t.Errorf("line %d still reads %q (%s) in English", i, x, k)
			}
		}
	}
}

// fakeTrainees stands in for the trainee screen to see where shortcuts go.
type fakeTrainees struct {
	searched, created int
}

func (f *fakeTrainees) Content() fyne.CanvasObject { return widget.NewLabel("fake") }
func (f *fakeTrainees) Update(context.Context)     {}
func (f *fakeTrainees) FocusSearch()               { f.searched++ }
func (f *fakeTrainees) NewRecord()                 { f.created++ }

func TestShortcutsGoToTheTraineeScreenFromAnywhere(t *testing.T) {
	// given the main window on settings, which has no search or new record
	st := openStore(t, true)
	h := newShell(t, st, Options{}, "nav.settings")
	fake := &fakeTrainees{}
	for i, e := range h.shell.entries {
		if e.key == "nav.trainees" {
			h.shell.entries[i].build = func(screen.Deps) screen.Screen { return fake }
		}
	}
	// when Ctrl+N and then Ctrl+F are pressed
	h.shell.ShortcutNew()
	if h.shell.Current() != fake || fake.created != 1 {
		t.Fatalf("Ctrl+N: current %T, created %d", h.shell.Current(), fake.created)
	}
	h.shell.ShortcutSearch()
	// then both reach the trainee screen, which is now on show
	if fake.searched != 1 {
		t.Fatalf("Ctrl+F: searched %d", fake.searched)
	}
}

// TestEveryUIStringIsTranslated keeps the catalogue's languages in step
// (a key in one language only is a gap an operator would see) and checks
// every navigation entry has its text.
func TestEveryUIStringIsTranslated(t *testing.T) {
	if problems := msg.Verify(); len(problems) > 0 {
		t.Fatalf("catalogue: %v", problems)
	}
	for _, e := range (&Shell{}).navEntries() {
		if !msg.Has(e.key) {
			t.Fatalf("navigation key %s has no text", e.key)
		}
	}
}

// TestEveryKeyInTheCodeHasText finds i18n.T("key") in the shell and its
// screens and checks both languages have the key, so a typo shows here and
// not as a raw key on an operator's screen.
func TestEveryKeyInTheCodeHasText(t *testing.T) {
	re := regexp.MustCompile(`i18n\.T\("([^"]+)"`)
	var files []string
	for _, dir := range []string{".", "trainees", "dashboard", "syncui", "widgets", "updateui"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range m {
			if !strings.HasSuffix(f, "_test.go") {
				files = append(files, f)
			}
		}
	}
	if len(files) < 10 {
		t.Fatalf("found only %d source files", len(files))
	}
	for _, l := range []domain.Lang{domain.Indonesian, domain.English} {
		known := map[string]bool{}
		for _, k := range i18n.Keys(l) {
			known[k] = true
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				if !known[m[1]] {
					t.Errorf("%s uses %q, missing in %s.json", f, m[1], l)
				}
			}
		}
	}
}

// countingSync is a sync client that counts live subscriptions.
type countingSync struct{ live int }

func (c *countingSync) Status() sync.Status { return sync.Status{} }
func (c *countingSync) SyncNow()            {}
func (c *countingSync) Subscribe(func(sync.Status)) (cancel func()) {
	c.live++
	done := false
	return func() {
		if !done {
			done = true
			c.live--
		}
	}
}

// subscribedScreen stands in for a record screen: it follows the sync
// status from when it is built until it is closed, as the sync screen does.
type subscribedScreen struct {
	built, closed *int
	cancel        func()
}

func newSubscribedScreen(client *countingSync, built, closed *int) *subscribedScreen {
	*built++
	return &subscribedScreen{built: built, closed: closed, cancel: client.Subscribe(func(sync.Status) {})}
}

func (c *subscribedScreen) Content() fyne.CanvasObject { return widget.NewLabel("screen") }
func (c *subscribedScreen) Update(context.Context)     {}
func (c *subscribedScreen) Close()                     { *c.closed++; c.cancel() }

func TestLanguageSwitchesLeaveOneLiveSetOfScreens(t *testing.T) {
	// given the main window with every screen visited once (the screens
	// stand in by fakes that follow the sync status, as the sync screen does,
	// and count how often they are built and closed; settings is the real one)
	st := openStore(t, true)
	client := &countingSync{}
	h := newShell(t, st, Options{Sync: client}, "nav.settings")
	built, closed := 0, 0
	for i, e := range h.shell.entries {
		if e.key != "nav.settings" {
			h.shell.entries[i].build = func(screen.Deps) screen.Screen { return newSubscribedScreen(client, &built, &closed) }
		}
	}
	fakes := len(h.shell.entries) - 1
	for _, key := range h.shell.NavKeys() {
		h.shell.Navigate(key)
	}
	h.shell.Navigate("nav.settings")
	subscribed := client.live // the status bar and every screen

	// when the language is switched to English and back, and the screens visited again
	for _, l := range []domain.Lang{domain.English, domain.Indonesian} {
		h.shell.SetLang(l)
		h.settle(t, "centre name", func() bool { return h.shell.who.Text != "" })
		for _, key := range h.shell.NavKeys() {
			h.shell.Navigate(key)
		}
		h.shell.Navigate("nav.settings")
	}

	// then the subscriptions are as many as before, each dropped screen was
	// closed, and the shell holds one screen of each kind
	if client.live != subscribed || subscribed != 1+fakes {
		t.Fatalf("live subscriptions %d after two switches, %d before (want %d)", client.live, subscribed, 1+fakes)
	}
	if built != 3*fakes || closed != 2*fakes {
		t.Fatalf("record screens built %d times, closed %d times; want %d and %d", built, closed, 3*fakes, 2*fakes)
	}
	if len(h.shell.screens) != len(h.shell.entries) {
		t.Fatalf("%d screens held for %d entries", len(h.shell.screens), len(h.shell.entries))
	}

	// when the language already in use is chosen again
	h.shell.SetLang(domain.Indonesian)

	// then nothing is rebuilt
	if built != 3*fakes || closed != 2*fakes || len(h.shell.screens) != len(h.shell.entries) {
		t.Fatalf("same language rebuilt screens: built %d, closed %d, held %d", built, closed, len(h.shell.screens))
	}
}
