package update

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"
)

// releaseServer serves one release file with range support (http.ServeContent),
// and records each request's Range header. cutAfter[i] > 0 makes request i
// send that many bytes and then drop the connection, as a failing 2G link does.
type releaseServer struct {
	*httptest.Server
	content []byte

	mu          gosync.Mutex
	ranges      []string
	cutAfter    []int
	ignoreRange bool
}

func newReleaseServer(t *testing.T, content []byte) *releaseServer {
	s := &releaseServer{content: content}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *releaseServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	n := len(s.ranges)
	s.ranges = append(s.ranges, r.Header.Get("Range"))
	cut := 0
	if n < len(s.cutAfter) {
		cut = s.cutAfter[n]
	}
	ignore := s.ignoreRange
	s.mu.Unlock()
	if ignore {
		r.Header.Del("Range")
	}
	if cut > 0 {
		w = &cuttingWriter{ResponseWriter: w, left: cut}
	}
	http.ServeContent(w, r, "blk-0.2.0-setup.exe", time.Time{}, bytes.NewReader(s.content))
}

func (s *releaseServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ranges...)
}

// cuttingWriter lets left bytes through, flushes them to the client, then
// aborts the handler, which makes the server drop the connection mid-body.
type cuttingWriter struct {
	http.ResponseWriter
	left int
}

func (c *cuttingWriter) Write(p []byte) (int, error) {
	if len(p) < c.left {
		c.left -= len(p)
		return c.ResponseWriter.Write(p)
	}
	c.ResponseWriter.Write(p[:c.left])
	c.ResponseWriter.(http.Flusher).Flush()
	panic(http.ErrAbortHandler)
}

func manifestOf(content []byte) Manifest {
	sum := sha256.Sum256(content)
	return Manifest{Version: "0.2.0", Platform: "windows-amd64", File: "blk-0.2.0-setup.exe",
		Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:])}
}

func installerBytes(n int) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{7})
	r.Read(b)
	return b
}

func TestAnInterruptedDownloadResumesWhereItStopped(t *testing.T) {
	content := installerBytes(300_000)
	srv := newReleaseServer(t, content)
	// the link drops after 100 000 bytes, then again after 50 000 more
	srv.cutAfter = []int{100_000, 50_000}
	dest := filepath.Join(t.TempDir(), "blk-0.2.0-setup.exe")
	d := &Downloader{Client: srv.Client()}
	fakeClock(d)

	if err := d.Fetch(context.Background(), srv.URL, dest, manifestOf(content)); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(dest)
	if !bytes.Equal(got, content) {
		t.Fatalf("downloaded %d bytes, not the release's %d", len(got), len(content))
	}
	// then each new connection asked only for what was missing
	reqs := srv.requests()
	if len(reqs) != 3 || reqs[0] != "" || reqs[1] != "bytes=100000-" || reqs[2] != "bytes=150000-" {
		t.Errorf("range requests = %q, want none, then from 100000, then from 150000", reqs)
	}
	if _, err := os.Stat(dest + ".part"); !os.IsNotExist(err) {
		t.Errorf("the .part file is left behind: %v", err)
	}
}

func TestADownloadResumesAfterTheAppRestarts(t *testing.T) {
	content := installerBytes(200_000)
	srv := newReleaseServer(t, content)
	dest := filepath.Join(t.TempDir(), "blk-0.2.0-setup.exe")
	// given what a previous run of the app had received
	os.WriteFile(dest+".part", content[:123_456], 0o644)
	d := &Downloader{Client: srv.Client()}
	fakeClock(d)
	if err := d.Fetch(context.Background(), srv.URL, dest, manifestOf(content)); err != nil {
		t.Fatal(err)
	}
	if reqs := srv.requests(); len(reqs) != 1 || reqs[0] != "bytes=123456-" {
		t.Errorf("requests = %q, want one for the rest", reqs)
	}
	if got, _ := os.ReadFile(dest); !bytes.Equal(got, content) {
		t.Error("the resumed file is not the release")
	}
}

func TestAServerThatIgnoresRangesStillGivesTheRightFile(t *testing.T) {
	content := installerBytes(100_000)
	srv := newReleaseServer(t, content)
	srv.ignoreRange = true
	dest := filepath.Join(t.TempDir(), "blk-0.2.0-setup.exe")
	os.WriteFile(dest+".part", content[:40_000], 0o644)
	d := &Downloader{Client: srv.Client()}
	fakeClock(d)
	if err := d.Fetch(context.Background(), srv.URL, dest, manifestOf(content)); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dest); !bytes.Equal(got, content) {
		t.Errorf("got %d bytes: the part was not discarded when the server sent the whole file", len(got))
	}
}

func TestATamperedDownloadIsRefusedAndDiscarded(t *testing.T) {
	content := installerBytes(50_000)
	m := manifestOf(content)
	tampered := bytes.Clone(content)
	tampered[25_000] ^= 0xff
	srv := newReleaseServer(t, tampered)
	dest := filepath.Join(t.TempDir(), "blk-0.2.0-setup.exe")
	d := &Downloader{Client: srv.Client()}
	fakeClock(d)
	err := d.Fetch(context.Background(), srv.URL, dest, m)
	if !errors.Is(err, ErrTampered) {
		t.Fatalf("Fetch = %v, want ErrTampered", err)
	}
	for _, p := range []string{dest, dest + ".part"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists after a refused download", filepath.Base(p))
		}
	}
}

func TestALinkThatNeverDeliversGivesUpAfterTheAttempts(t *testing.T) {
	content := installerBytes(10_000)
	srv := newReleaseServer(t, content)
	srv.cutAfter = []int{1, 1, 1, 1, 1, 1, 1, 1}
	// every connection brings one byte: progress, so it must not give up...
	dest := filepath.Join(t.TempDir(), "blk-0.2.0-setup.exe")
	d := &Downloader{Client: srv.Client(), Attempts: 3}
	fakeClock(d)
	err := d.Fetch(context.Background(), srv.URL, dest, manifestOf(content))
	if err != nil {
		t.Fatalf("a slow but moving download gave up: %v", err)
	}
	// ...but a server that answers with errors only is left after Attempts
	fail := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	defer fail.Close()
	d2 := &Downloader{Client: fail.Client(), Attempts: 3}
	slept := fakeClock(d2)
	err = d2.Fetch(context.Background(), fail.URL, filepath.Join(t.TempDir(), "x.exe"), manifestOf(content))
	if err == nil {
		t.Fatal("Fetch succeeded against a failing server")
	}
	if got, want := slept(), 2*time.Second+4*time.Second; got != want {
		t.Errorf("backed off %v in total, want %v (2s, then 4s)", got, want)
	}
	// and a refusal (404) is not retried at all
	gone := httptest.NewServer(http.NotFoundHandler())
	defer gone.Close()
	d3 := &Downloader{Client: gone.Client()}
	slept3 := fakeClock(d3)
	if err := d3.Fetch(context.Background(), gone.URL, filepath.Join(t.TempDir(), "y.exe"), manifestOf(content)); err == nil || slept3() != 0 {
		t.Errorf("404: err %v after %v of back-off, want an error at once", err, slept3())
	}
}

func TestTheRateCapSpreadsTheDownload(t *testing.T) {
	content := installerBytes(256 << 10)
	srv := newReleaseServer(t, content)
	dest := filepath.Join(t.TempDir(), "blk-0.2.0-setup.exe")
	d := &Downloader{Client: srv.Client(), Rate: 64 << 10} // 64 KiB/s
	slept := fakeClock(d)
	var calls int
	d.Progress = func(have, total int64) { calls++ }
	if err := d.Fetch(context.Background(), srv.URL, dest, manifestOf(content)); err != nil {
		t.Fatal(err)
	}
	// 256 KiB at 64 KiB/s is 4 s; the fake clock only moves while waiting,
	// so the waits add up to exactly that
	if got := slept(); got != 4*time.Second {
		t.Errorf("waited %v for the rate cap, want 4s", got)
	}
	if calls < 8 {
		t.Errorf("progress heard %d times, want one per 32 KiB chunk", calls)
	}
}

func TestCancellingStopsTheDownloadAndKeepsThePart(t *testing.T) {
	content := installerBytes(100_000)
	srv := newReleaseServer(t, content)
	dest := filepath.Join(t.TempDir(), "blk-0.2.0-setup.exe")
	ctx, cancel := context.WithCancel(context.Background())
	d := &Downloader{Client: srv.Client(), Rate: 10_000}
	fakeClock(d)
	d.Progress = func(have, total int64) {
		if have >= 32<<10 {
			cancel() // the operator postpones, or the app closes
		}
	}
	if err := d.Fetch(ctx, srv.URL, dest, manifestOf(content)); !errors.Is(err, context.Canceled) {
		t.Fatalf("Fetch = %v, want context.Canceled", err)
	}
	fi, err := os.Stat(dest + ".part")
	if err != nil || fi.Size() == 0 {
		t.Fatalf("the part was not kept for later: %v", err)
	}
}
