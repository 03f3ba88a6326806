package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
)

// guiMemoryLimit is the Go runtime's soft memory limit in the desktop app.
// After every screen in both languages at 100k trainees the app's live Go
// heap is about 55 MB (half of it Fyne's fonts and the region table); with
// GOGC alone the heap then grew to 125 MB between collections and the
// scavenger gave little back. At 80 MB the collector runs a little more
// often near the limit and returns freed pages: peak resident memory 279 ->
// 239 MB for about 10 % more CPU over the walk. 64 MB sits too close to the
// live heap (the collector ran constantly: 60 % more CPU, no memory saved).
// Above the limit Go caps the collector at half the CPU, so a large export
// slows down rather than fails. GOMEMLIMIT set by the operator wins.
const guiMemoryLimit = 80 << 20

// limitGoMemory applies guiMemoryLimit unless GOMEMLIMIT is set.
func limitGoMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(guiMemoryLimit)
	}
}

// memoryCheckpoint (BLK_PPROF=DIR, during the screenshot walk) writes a heap
// profile of the screen just shown to DIR/heap-<name>.pb.gz and logs one
// line to w: the process's resident memory next to what Go itself holds, so
// the rest (SQLite's page caches, Fyne's textures in the GL driver) shows as
// the difference. Nothing happens without BLK_PPROF.
func memoryCheckpoint(w io.Writer, name string) {
	dir := os.Getenv("BLK_PPROF")
	if dir == "" {
		return
	}
	_ = os.MkdirAll(dir, 0o755)
	if f, err := os.Create(filepath.Join(dir, "heap-"+name+".pb.gz")); err == nil {
		_ = pprof.Lookup("heap").WriteTo(f, 0)
		f.Close()
	}
	samples := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
	}
	metrics.Read(samples)
	goMapped := samples[0].Value.Uint64() - samples[1].Value.Uint64()
	rss, hwm := procStatus("VmRSS:"), procStatus("VmHWM:")
	fmt.Fprintf(w, "memory %-20s rss %4d MB  peak %4d MB  go %4d MB (heap objects %4d MB)  other %4d MB\n",
		name, rss>>10, hwm>>10, goMapped>>20, samples[2].Value.Uint64()>>20, (rss<<10-int64(goMapped))>>20)
}

// procStatus reads one kB field of /proc/self/status (0 where there is none).
func procStatus(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			var kb int64
			fmt.Sscan(rest, &kb)
			return kb
		}
	}
	return 0
}
