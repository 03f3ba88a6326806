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

	"fyne.io/fyne/v2/theme"
)

// guiMemoryLimit is the Go runtime's soft memory limit in the desktop app.
// With GOGC alone the heap grows to twice the live heap between collections
// and the scavenger gives little back; under the limit the collector runs
// more often near it and returns freed pages. The limit has to stay well
// above the live heap, or the collector runs all the time.
//
// After every screen in both languages at 100k trainees the live heap is
// about 40 MB, 28 of it Fyne's fonts (once they were 55 MB, with the region
// table at 17 MB and the funding list's records, when 64 MB made the
// collector run constantly). Over that walk, one run each (GC CPU from
// runtime/metrics, peak VmHWM under Xvfb, with BLK_PPROF on, load 0.7-2.6):
//
//	limit   GC CPU   peak
//	80 MB   0.26 s   242 MB
//	64 MB   0.55 s   229 MB
//	56 MB   1.59 s   221 MB
//	48 MB   7.06 s   215 MB   (too close: the collector barely stops)
//
// Fyne's colour emoji font (EmojiOneColor, 4 MB, parsed once per text
// style) is about 14 MB of that live heap; built with -tags no_emoji the live
// heap is about 28 MB and a lower limit costs little:
//
//	80 MB   0.31 s   218 MB
//	56 MB   0.42 s   212 MB
//	48 MB   1.10 s   208 MB
//	40 MB   3.51 s   201 MB
//
// so the limit follows the build. Above the limit Go caps the collector at
// half the CPU, so a large import slows down rather than fails (a 100k-row
// xlsx holds far more than any of these limits either way). GOMEMLIMIT set
// by the operator wins.
func guiMemoryLimit() int64 {
	if theme.DefaultEmojiFont() == nil { // -tags no_emoji
		return 48 << 20
	}
	return 64 << 20
}

// limitGoMemory applies guiMemoryLimit unless GOMEMLIMIT is set.
func limitGoMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(guiMemoryLimit())
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
		{Name: "/cpu/classes/gc/total:cpu-seconds"},
		{Name: "/cpu/classes/total:cpu-seconds"},
		{Name: "/cpu/classes/idle:cpu-seconds"},
	}
	metrics.Read(samples)
	goMapped := samples[0].Value.Uint64() - samples[1].Value.Uint64()
	rss, hwm := procStatus("VmRSS:"), procStatus("VmHWM:")
	// The collector's CPU so far next to the CPU Go code has been busy (the
	// runtime's estimate; C threads such as the GL driver's are not in it):
	// what a lower memory limit costs.
	fmt.Fprintf(w, "memory %-20s rss %4d MB  peak %4d MB  go %4d MB (heap objects %4d MB)  other %4d MB  gc cpu %5.2f s of %6.2f s busy\n",
		name, rss>>10, hwm>>10, goMapped>>20, samples[2].Value.Uint64()>>20, (rss<<10-int64(goMapped))>>20,
		samples[3].Value.Float64(), samples[4].Value.Float64()-samples[5].Value.Float64())
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
