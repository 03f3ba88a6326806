package main

import (
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime"

	meta "github.com/kemnaker/blk"
	"github.com/kemnaker/blk/internal/logfile"
)

// logName is the desktop app's log in the data folder, next to the database:
// the one file to ask an operator for when something went wrong.
const logName = "blk.log"

// startGUILog sends the standard logger (where Fyne reports its errors) to
// the data folder's log, to watch and to stderr, makes the runtime's crash
// reports land in the log too, and notes this start. The returned stop puts
// the logger back but leaves the file open to the runtime until the process
// ends, so a panic unwinding through runGUI is still recorded. Without a
// writable log file the app still starts.
func startGUILog(e *env, watch *drawWatch) (path string, stop func()) {
	path = filepath.Join(e.dataDir, logName)
	lf, err := logfile.Open(path, logfile.DefaultMax)
	if err != nil {
		// watch first: a failing writer stops io.MultiWriter, and on a
		// Windows GUI build stderr is not connected to anything.
		log.SetOutput(io.MultiWriter(watch, e.stderr))
		log.Printf("blk: %v", err)
		return path, func() { log.SetOutput(os.Stderr) }
	}
	if err := lf.CaptureCrashes(); err != nil {
		log.Printf("blk: %v", err)
	}
	log.SetOutput(io.MultiWriter(watch, lf, e.stderr))
	log.Printf("blk %s (build %d) %s/%s starts the window; data in %s",
		meta.Current.Version, meta.Current.Build, runtime.GOOS, runtime.GOARCH, e.dataDir)
	return path, func() { log.SetOutput(os.Stderr) }
}
