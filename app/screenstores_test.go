package app

import (
	"reflect"
	"slices"
	"testing"

	"github.com/kemnaker/blk/app/dashboard"
	"github.com/kemnaker/blk/app/exchangeui"
	"github.com/kemnaker/blk/app/funding"
	"github.com/kemnaker/blk/app/instructors"
	"github.com/kemnaker/blk/app/kemandirian"
	"github.com/kemnaker/blk/app/kit"
	"github.com/kemnaker/blk/app/partners"
	"github.com/kemnaker/blk/app/programmes"
	"github.com/kemnaker/blk/app/syncui"
	"github.com/kemnaker/blk/app/tracer"
	"github.com/kemnaker/blk/app/trainees"
	"github.com/kemnaker/blk/store"
	"github.com/kemnaker/blk/sync"
)

// screenStores are the interfaces the screens take (app/nav.go hands each
// the store). A new screen adds its Store here.
var screenStores = map[string]reflect.Type{
	"dashboard":   reflect.TypeFor[dashboard.Store](),
	"trainees":    reflect.TypeFor[trainees.Store](),
	"programmes":  reflect.TypeFor[programmes.Store](),
	"instructors": reflect.TypeFor[instructors.Store](),
	"partners":    reflect.TypeFor[partners.Store](),
	"funding":     reflect.TypeFor[funding.Store](),
	"tracer":      reflect.TypeFor[tracer.Store](),
	"kemandirian": reflect.TypeFor[kemandirian.Store](),
	"exchangeui":  reflect.TypeFor[exchangeui.Store](),
	"syncui":      reflect.TypeFor[syncui.Store](),
	"kit":         reflect.TypeFor[kit.Store](),
}

// TestScreenStoresHoldNoSyncInternals checks, on the method sets (so
// embedded interfaces count), that no screen's Store reaches what the sync
// client keeps to itself (sync.Local: outbox, inbox, cursors, device
// identity, settings): the sync screen shows the refusals and conflicts,
// and any screen may read the clock (LocalTime). internal/arch checks the
// source of the screen packages for the same names and for *store.Store.
func TestScreenStoresHoldNoSyncInternals(t *testing.T) {
	clock := []string{"LocalTime"}
	shown := []string{"Rejections", "Conflicts"}
	local := reflect.TypeFor[sync.Local]()
	if local.NumMethod() < 20 {
		t.Fatalf("sync.Local has %d methods: is it still the sync client's view of the store?", local.NumMethod())
	}
	concrete := reflect.TypeFor[*store.Store]()
	for name, st := range screenStores {
		if !concrete.Implements(st) {
			t.Errorf("%s.Store is not satisfied by *store.Store", name)
		}
		for i := range st.NumMethod() {
			m := st.Method(i).Name
			if _, ok := local.MethodByName(m); !ok || slices.Contains(clock, m) {
				continue
			}
			if name == "syncui" && slices.Contains(shown, m) {
				continue
			}
			t.Errorf("%s.Store has %s, which is the sync client's (sync.Local)", name, m)
		}
	}
}
