package uitest

import (
	"context"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// NewStore is what a screen test starts from: a test app in Indonesian and
// a real store in a file of t's own, with its centre set up, closed when t
// ends.
func NewStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	test.NewTempApp(t)
	i18n.SetLang(domain.Indonesian)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren"}); err != nil {
		t.Fatal(err)
	}
	return st
}
