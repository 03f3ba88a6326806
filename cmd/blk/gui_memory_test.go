package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"fyne.io/fyne/v2/theme"
)

func TestMemoryCheckpointWritesAHeapProfileOnlyWhenAsked(t *testing.T) {
	dir := t.TempDir()
	var log bytes.Buffer

	// without BLK_PPROF nothing happens
	t.Setenv("BLK_PPROF", "")
	memoryCheckpoint(&log, "dashboard-id")
	if log.Len() != 0 {
		t.Fatalf("logged without BLK_PPROF: %q", log.String())
	}

	// with it, the screen's heap profile is written and one line logged
	t.Setenv("BLK_PPROF", dir)
	memoryCheckpoint(&log, "dashboard-id")
	if fi, err := os.Stat(filepath.Join(dir, "heap-dashboard-id.pb.gz")); err != nil || fi.Size() == 0 {
		t.Fatalf("heap profile: %v", err)
	}
	if line := log.String(); !strings.Contains(line, "dashboard-id") || !strings.Contains(line, "rss") || strings.Count(line, "\n") != 1 {
		t.Fatalf("log %q", line)
	}
}

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
