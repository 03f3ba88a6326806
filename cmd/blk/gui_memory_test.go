package main

import (
	"runtime/debug"
	"testing"

	"fyne.io/fyne/v2/theme"
)

func TestGoMemoryLimitFollowsTheBuildAndGivesWayToGOMEMLIMIT(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })

	// the limit follows whether Fyne's emoji font is built in
	want := int64(64 << 20)
	if theme.DefaultEmojiFont() == nil {
		want = 48 << 20
	}
	t.Setenv("GOMEMLIMIT", "")
	limitGoMemory()
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Fatalf("limit %d MB, want %d MB", got>>20, want>>20)
	}

	// an operator's GOMEMLIMIT is left alone (the runtime read it at start)
	debug.SetMemoryLimit(before)
	t.Setenv("GOMEMLIMIT", "200MiB")
	limitGoMemory()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Fatalf("limit %d MB with GOMEMLIMIT set, want it untouched", got>>20)
	}
}
