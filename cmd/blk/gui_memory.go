package main

import (
	"os"
	"runtime/debug"

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

// guiWriterCacheKiB is the writer's page cache in the desktop app
// (store.SetWriterCache): 8 MB instead of the command line's 32.
const guiWriterCacheKiB = 8000
