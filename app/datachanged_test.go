package app

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/app/trainees"
	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	"github.com/kemnaker/blk/sync"
	syncserver "github.com/kemnaker/blk/sync/server"
)

// enrolledPC is a PC of centre enrolled with the server at url.
func enrolledPC(t *testing.T, c central.Storage, centreID, url string) (*store.Store, *sync.Client) {
	t.Helper()
	ctx := context.Background()
	code, _, err := c.NewCode(ctx, centreID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	client := sync.NewClient(st)
	if err := client.Enrol(ctx, url, code); err != nil {
		t.Fatal(err)
	}
	return st, client
}

func TestASyncThatPullsNewTraineesUpdatesAnOpenTraineeListWithoutNavigation(t *testing.T) {
	ctx := context.Background()
	// given a central server and two PCs of one centre
	srvStore, err := central.OpenSQLite(ctx, filepath.Join(t.TempDir(), "central.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srvStore.Close() })
	srv := httptest.NewServer(syncserver.NewServer(srvStore, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler())
	t.Cleanup(srv.Close)
	centre, err := srvStore.AddCentre(ctx, central.Centre{Name: "BLK Komunitas Al-Hikmah", Region: "3201"})
	if err != nil {
		t.Fatal(err)
	}
	office, officeSync := enrolledPC(t, srvStore, centre.ID, srv.URL)
	front, frontSync := enrolledPC(t, srvStore, centre.ID, srv.URL)
	if _, err := front.Save(ctx, &domain.Trainee{NIK: domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, 1),
		Name: "Siti Aminah", Sex: "P", BirthDate: "2001-08-17"}); err != nil {
		t.Fatal(err)
	}
	// and the office PC showing its trainee list, scrolled to nothing in particular
	h := newShell(t, office, Options{}, "nav.trainees")
	t.Cleanup(h.shell.Close)
	list := h.shell.Current().(*trainees.Screen)
	h.ui.Settle(t)
	if m := h.markup(); strings.Contains(m, "Siti Aminah") {
		t.Fatal("the trainee shows before any sync")
	}

	// when the front-desk PC pushes its new trainee and the office PC pulls it
	if _, err := frontSync.Round(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := officeSync.Round(ctx); err != nil {
		t.Fatal(err)
	}

	// then the open list shows it, with nobody navigating
	h.settle(t, "the pulled trainee in the open list", func() bool { return strings.Contains(h.markup(), "Siti Aminah") })
	if h.shell.Current() != list {
		t.Fatal("the shell changed screens")
	}
}
