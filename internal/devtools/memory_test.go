package devtools_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kemnaker/blk/internal/devtools"
)

func TestMemoryCheckpointWritesAHeapProfileAndOneLine(t *testing.T) {
	dir := t.TempDir()
	var log bytes.Buffer
	devtools.MemoryCheckpoint(&log, dir, "dashboard-id")
	if fi, err := os.Stat(filepath.Join(dir, "heap-dashboard-id.pb.gz")); err != nil || fi.Size() == 0 {
		t.Fatalf("heap profile: %v", err)
	}
	if line := log.String(); !strings.Contains(line, "dashboard-id") || !strings.Contains(line, "rss") || strings.Count(line, "\n") != 1 {
		t.Fatalf("log %q", line)
	}
}
