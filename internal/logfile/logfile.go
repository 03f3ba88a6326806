// Package logfile is the desktop app's log on disk: one file in the data
// folder that a support person can ask for, capped in size by keeping a
// single older copy beside it, so years of use never fill a small disk. It
// can also receive the Go runtime's crash report, which on Windows has
// nowhere else to go (a GUI program has no console). It knows nothing of the
// app and writes nothing but the log.
package logfile

import (
	"fmt"
	"os"
	"runtime/debug"
	"sync"
)

// DefaultMax keeps about a year of normal use (a few lines per start) and
// still opens in Notepad in an instant.
const DefaultMax = 1 << 20

// File is an append-only log that rotates to Path()+".1" before a write
// would take it past its size cap, so the two files together stay under
// twice the cap. It is safe for concurrent use.
type File struct {
	mu      sync.Mutex
	path    string
	max     int64
	f       *os.File
	size    int64
	crashes bool // the runtime's crash output follows the current file
}

// Open opens (or creates) the log at path, rotating it first when it is
// already over max bytes.
func Open(path string, max int64) (*File, error) {
	if max <= 0 {
		max = DefaultMax
	}
	l := &File{path: path, max: max}
	if err := l.open(); err != nil {
		return nil, err
	}
	if l.size >= l.max {
		// A failed rename leaves the old file open for appending, which is
		// better than no log at all.
		if err := l.rotate(); err != nil && l.f == nil {
			return nil, err
		}
	}
	return l, nil
}

// Path is where the current log is written.
func (l *File) Path() string { return l.path }

func (l *File) open() error {
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("log file: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("log file: %w", err)
	}
	l.f, l.size = f, fi.Size()
	return nil
}

// rotate moves the current file to .1 (replacing the older copy) and starts
// an empty one. The runtime's copy of the handle is let go first: Windows
// refuses to rename a file that any handle still holds.
func (l *File) rotate() error {
	if l.crashes {
		_ = debug.SetCrashOutput(nil, debug.CrashOptions{})
	}
	l.f.Close() // written with O_APPEND and unbuffered: nothing is lost
	l.f = nil
	renameErr := os.Rename(l.path, l.path+".1")
	if err := l.open(); err != nil {
		return err
	}
	if l.crashes {
		if err := debug.SetCrashOutput(l.f, debug.CrashOptions{}); err != nil {
			return fmt.Errorf("log file: crash output: %w", err)
		}
	}
	if renameErr != nil {
		// Another process (a second copy of the app) may hold the file:
		// keep appending and try again on a later write.
		return fmt.Errorf("log file: rotate: %w", renameErr)
	}
	return nil
}

// Write appends p, rotating first when p would take the file past the cap.
// When rotating is impossible the file may grow to twice the cap; past that
// lines are dropped rather than fill the disk.
func (l *File) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return 0, os.ErrClosed
	}
	if l.size > 0 && l.size+int64(len(p)) > l.max {
		if err := l.rotate(); err != nil {
			if l.f == nil {
				return 0, err
			}
			if l.size+int64(len(p)) > 2*l.max {
				return len(p), nil
			}
		}
	}
	n, err := l.f.Write(p)
	l.size += int64(n)
	return n, err
}

// CaptureCrashes sends the Go runtime's report of a fatal error or an
// unrecovered panic (in any goroutine) to the log as well as to stderr,
// from now on and across rotations.
func (l *File) CaptureCrashes() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return os.ErrClosed
	}
	if err := debug.SetCrashOutput(l.f, debug.CrashOptions{}); err != nil {
		return fmt.Errorf("log file: crash output: %w", err)
	}
	l.crashes = true
	return nil
}

// Close stops writing (and stops the crash capture, if any).
func (l *File) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	if l.crashes {
		_ = debug.SetCrashOutput(nil, debug.CrashOptions{})
		l.crashes = false
	}
	err := l.f.Close()
	l.f = nil
	return err
}
