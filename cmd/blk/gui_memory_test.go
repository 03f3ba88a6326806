package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
