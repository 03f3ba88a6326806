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
	"settings":    reflect.TypeFor[settingsStore](),
	"wizard":      reflect.TypeFor[wizardStore](),
}

// syncFacing are the methods of sync.Local a screen may have, by screen:
// the sync screen shows the refusals and conflicts; Settings and the
// first-run wizard keep the operator's name in meta (MetaOperator), and
// the wizard asks whether a join already brought the centre (CentreID).
var syncFacing = map[string][]string{
	"syncui":   {"Rejections", "Conflicts"},
	"settings": {"Meta", "SetMeta"},
	"wizard":   {"CentreID", "SetMeta"},
}

// TestScreenStoresHoldNoSyncInternals checks, on the method sets (so
// embedded interfaces count), that no screen's Store reaches what the sync
// client keeps to itself (sync.Local: outbox, inbox, cursors, device
// identity, settings) but for syncFacing, and that any screen may read the
// clock (LocalTime). internal/arch checks the
// source of the screen packages for the same names and for *store.Store.
func TestScreenStoresHoldNoSyncInternals(t *testing.T) {
	clock := []string{"LocalTime"}
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
			if slices.Contains(syncFacing[name], m) {
				continue
			}
			t.Errorf("%s.Store has %s, which is the sync client's (sync.Local)", name, m)
		}
	}
}
