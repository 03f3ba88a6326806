package logfile_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/kemnaker/blk/internal/logfile"
)

func TestWritesAppendAcrossOpens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "blk.log")
	for _, line := range []string{"first start\n", "second start\n"} {
		l, err := logfile.Open(path, 1024)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprint(l, line)
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := os.ReadFile(path)
	if string(got) != "first start\nsecond start\n" {
		t.Errorf("log = %q, want both starts in order", got)
	}
}

func TestRotatesBeforePassingTheCap(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "blk.log")
	l, err := logfile.Open(path, 100)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	// given 30 lines of 10 bytes through a 100-byte cap
	var all strings.Builder
	for i := range 30 {
		line := fmt.Sprintf("line %03d\n", i)
		fmt.Fprint(l, line)
		all.WriteString(line)
	}
	cur, _ := os.ReadFile(path)
	old, _ := os.ReadFile(path + ".1")
	// then neither file passes the cap, the newest lines are in the current
	// file, the ones before them in .1, and no line is split
	if len(cur) > 100 || len(old) > 100 {
		t.Fatalf("sizes %d and %d, want both ≤ 100", len(cur), len(old))
	}
	if !strings.HasSuffix(all.String(), string(old)+string(cur)) {
		t.Errorf(".1 + current = %q, want the tail of what was written", string(old)+string(cur))
	}
	if !strings.HasSuffix(string(cur), "line 029\n") || len(old) == 0 {
		t.Errorf("current = %q, .1 = %q", cur, old)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("%d files in the data folder, want blk.log and blk.log.1", len(entries))
	}
}

func TestOpenRotatesAnOversizedLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "blk.log")
	big := bytes.Repeat([]byte("x"), 200)
	if err := os.WriteFile(path, big, 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := logfile.Open(path, 100)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(l, "fresh\n")
	l.Close()
	cur, _ := os.ReadFile(path)
	old, _ := os.ReadFile(path + ".1")
	if string(cur) != "fresh\n" || !bytes.Equal(old, big) {
		t.Errorf("current %q, .1 %d bytes: want a fresh file and the old one kept", cur, len(old))
	}
}

func TestConcurrentWritersKeepWholeLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "blk.log")
	l, err := logfile.Open(path, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var wg gosync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				fmt.Fprintf(l, "goroutine %d line %03d\n", g, i)
			}
		}()
	}
	wg.Wait()
	l.Close()
	got, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	if len(lines) != 400 {
		t.Fatalf("%d lines, want 400", len(lines))
	}
	for _, ln := range lines {
		if !strings.HasPrefix(ln, "goroutine ") || len(ln) != len("goroutine 0 line 000") {
			t.Fatalf("torn line %q", ln)
		}
	}
}

func TestWriteAfterCloseFails(t *testing.T) {
	l, err := logfile.Open(filepath.Join(t.TempDir(), "blk.log"), 0)
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if _, err := l.Write([]byte("late\n")); err == nil {
		t.Error("a write after Close succeeded")
	}
}

func TestOpenInAMissingFolderSaysWhere(t *testing.T) {
	_, err := logfile.Open(filepath.Join(t.TempDir(), "no", "such", "blk.log"), 0)
	if err == nil || !strings.Contains(err.Error(), "log file") {
		t.Errorf("err = %v, want a log file error", err)
	}
}

// TestCrashReportLandsInTheLog runs this test binary again as a child that
// panics in a goroutine after CaptureCrashes (and after a rotation), and
// checks that the runtime's report is in the log: on Windows that file is
// the only place a GUI program's crash can be read.
func TestCrashReportLandsInTheLog(t *testing.T) {
	if os.Getenv("LOGFILE_CRASH_CHILD") != "" {
		l, err := logfile.Open(os.Getenv("LOGFILE_CRASH_CHILD"), 64)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		if err := l.CaptureCrashes(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		for range 5 { // 85 bytes through a 64-byte cap: rotates once
			fmt.Fprint(l, "before the crash\n")
		}
		go func() { panic("database helper went wrong") }()
		// The panic ends the process; waiting on a channel the goroutine
		// closed in a defer raced with it (the defer runs before the crash,
		// and os.Exit(0) sometimes won).
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	path := filepath.Join(t.TempDir(), "blk.log")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashReportLandsInTheLog$")
	cmd.Env = append(os.Environ(), "LOGFILE_CRASH_CHILD="+path)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the child did not crash: %s", out)
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() == 3 {
		t.Fatalf("child: %v %s", err, out)
	}
	got, _ := os.ReadFile(path)
	if !strings.Contains(string(got), "panic: database helper went wrong") || !strings.Contains(string(got), "goroutine ") {
		t.Errorf("log after the crash = %q, want the panic and its goroutine trace", got)
	}
	if _, err := os.Stat(path + ".1"); err != nil {
		t.Errorf("no rotation happened before the crash: %v", err)
	}
}
