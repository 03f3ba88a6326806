package syncui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/app/screen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	"github.com/kemnaker/blk/sync"
)

// fakeClient reports a fixed status and counts SyncNow calls.
type fakeClient struct {
	st    sync.Status
	syncs int
	subs  []func(sync.Status)
}

func (f *fakeClient) Status() sync.Status { return f.st }
func (f *fakeClient) SyncNow()            { f.syncs++ }
func (f *fakeClient) Subscribe(fn func(sync.Status)) func() {
	f.subs = append(f.subs, fn)
	return func() {}
}

func newStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren", VillageCode: "3201011001"}); err != nil {
		t.Fatal(err)
	}
	return st
}

func find(o fyne.CanvasObject, text string) *widget.Button {
	switch x := o.(type) {
	case *widget.Button:
		if x.Text == text {
			return x
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			if b := find(c, text); b != nil {
				return b
			}
		}
	case *container.Scroll:
		return find(x.Content, text)
	}
	return nil
}

func TestSyncScreenShowsStatusAndResolvesAConflict(t *testing.T) {
	// given an enrolled client with a clock warning, one rejected change and
	// one conflict on a trainee's name
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	ctx := context.Background()
	st := newStore(t)
	tr := &domain.Trainee{NIK: domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, 1), Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17"}
	if _, err := st.Save(ctx, tr); err != nil {
		t.Fatal(err)
	}
	if err := st.AddRejections(ctx, []store.Rejection{{Seq: 7, Table: "trainees", RowID: tr.ID, Field: "phone", Reason: "nomor HP tidak valid", At: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	loser := domain.Version{Clock: domain.MakeClock(1, 0), Device: "pc-2"}
	c := domain.Conflict{ID: domain.ConflictID("trainees", tr.ID, "name", loser), Table: "trainees", RowID: tr.ID, Field: "name",
		Winner: "Siti Aminah", WinnerVer: domain.Version{Clock: domain.MakeClock(2, 0), Device: "pc-1"}, Loser: "Siti Aminah Lubis", LoserVer: loser}
	if err := st.SaveConflicts(ctx, []domain.Conflict{c}); err != nil {
		t.Fatal(err)
	}
	client := &fakeClient{st: sync.Status{Enrolled: true, Server: "https://blk.example", LastSuccess: time.Date(2026, 11, 27, 9, 30, 0, 0, time.Local),
		Pending: 3, Rejected: 1, Conflicts: 1, ClockWarn: true, ClockSkew: 3 * time.Hour}}
	w := test.NewTempWindow(t, nil)
	ui := uitest.NewRunner()
	s := New(screen.Deps{Window: w, Changed: func() {}, Run: ui, Now: st.Now}, st, client, nil)
	w.SetContent(s.Content())
	w.Resize(fyne.NewSize(1000, 700))

	// when the screen loads
	s.Update(ctx)
	ui.Settle(t)

	// then it shows the status, the clock warning, the rejection and both values
	m := test.RenderToMarkup(w.Canvas())
	for _, want := range []string{"https://blk.example", "27-11-2026 09:30", "3 perubahan menunggu", "1 ditolak", "1 konflik",
		"berbeda 3h0m0s", "nomor HP tidak valid", "«Siti Aminah»", "«Siti Aminah Lubis»", "Sinkronkan sekarang"} {
		if !strings.Contains(m, want) {
			t.Errorf("sync screen lacks %q", want)
		}
	}
	// when "sync now" is pressed, the client is asked
	test.Tap(find(s.Content(), i18n.T("sync.now")))
	if client.syncs != 1 {
		t.Fatalf("SyncNow called %d times", client.syncs)
	}
	// when the operator chooses the other value
	test.Tap(find(s.Content(), i18n.T("sync.conflict.other")))
	ui.Settle(t) // resolved and reloaded

	// then the trainee carries it, the conflict is resolved, sync is asked again
	got := &domain.Trainee{}
	got.ID = tr.ID
	if err := st.Get(ctx, got); err != nil || got.Name != "Siti Aminah Lubis" {
		t.Fatalf("name after choosing the other value: %q %v", got.Name, err)
	}
	cs, _ := st.Conflicts(ctx)
	if len(cs) != 1 || !cs[0].Resolved {
		t.Fatalf("conflicts %+v", cs)
	}
	if client.syncs != 2 {
		t.Fatalf("SyncNow after resolving: %d calls", client.syncs)
	}
}

func TestWithoutAClientTheScreenExplainsWorkingOffline(t *testing.T) {
	test.NewTempApp(t)
	for _, c := range []struct {
		lang domain.Lang
		want string
	}{
		{domain.Indonesian, "Bekerja offline, belum terhubung ke server"},
		{domain.English, "Works offline, no server connected"},
	} {
		// given no sync client
		i18n.SetLang(c.lang)
		w := test.NewTempWindow(t, nil)
		s := New(screen.Deps{Window: w}, newStore(t), nil, nil)
		w.SetContent(s.Content())
		// then it says so plainly and tells how to connect
		m := test.RenderToMarkup(w.Canvas())
		if !strings.Contains(m, c.want) || !strings.Contains(m, "blk enrol") {
			t.Errorf("%s: offline screen lacks %q or the enrol hint", c.lang, c.want)
		}
		if Describe(sync.Status{}) != c.want {
			t.Errorf("%s: status bar text %q", c.lang, Describe(sync.Status{}))
		}
	}
	i18n.SetLang(domain.Indonesian)
}
