package sync_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kemnaker/blk/store"
	blksync "github.com/kemnaker/blk/sync"
)

// unreadableSettings is a desktop database whose settings cannot be read
// (a disk error, a locked file), everything else being fine.
type unreadableSettings struct{ *store.Store }

var errDisk = errors.New("disk I/O error")

func (unreadableSettings) Meta(context.Context, string) (string, error) { return "", errDisk }

func TestASettingThatCannotBeReadIsAnErrorNotNotEnrolled(t *testing.T) {
	// given a PC whose database cannot read its settings
	c := blksync.NewClient(unreadableSettings{openStore(t)})
	// then a round fails with the database's error, not "not enrolled",
	// and the status says so instead of showing an empty state
	if _, err := c.Round(context.Background()); !errors.Is(err, errDisk) {
		t.Fatalf("round: %v, want the disk error", err)
	}
	if st := c.Status(); !strings.Contains(st.LastError, "disk I/O error") {
		t.Fatalf("status %+v: want the disk error as LastError", st)
	}
	if err := c.Enrol(context.Background(), "http://127.0.0.1:1", "CODE"); !errors.Is(err, errDisk) {
		t.Fatalf("enrol: %v, want the disk error", err)
	}
}
