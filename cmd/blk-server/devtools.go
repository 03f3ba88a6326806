//go:build devtools

package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// A developer build (go build -tags devtools) answers to
//
//	BLK_CPUPROFILE=FILE   a CPU profile of the whole run, written when the
//	                      command ends (serve: at SIGTERM or Ctrl-C)
//
// which shows the background work (the kemandirian refresher, the
// analytics) that a benchmark's in-process profile leaves out
// (docs/PERFORMANCE.md, "Sync and server").
func init() {
	startProfile = func() func() {
		path := os.Getenv("BLK_CPUPROFILE")
		if path == "" {
			return func() {}
		}
		f, err := os.Create(path)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "BLK_CPUPROFILE:", err)
			return func() {}
		}
		return func() {
			pprof.StopCPUProfile()
			_ = f.Close()
		}
	}
}
