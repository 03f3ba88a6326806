package sync_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"errors"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/kemnaker/blk/central"
	blksync "github.com/kemnaker/blk/sync"
	syncserver "github.com/kemnaker/blk/sync/server"
	"github.com/kemnaker/blk/sync/wire"
	"github.com/kemnaker/blk/update"
)

// The update path end to end: a release published into the server's
// storage as `blk-server release add` does, announced in the sync reply,
// judged and downloaded by the desktop's updater through the real handler.

// releaseKey is the ministry's key pair of one test.
func releaseKey(t *testing.T) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

// tarball is a Linux release of n bytes: blk and some padding.
func tarball(t *testing.T, n int, seed byte) []byte {
	t.Helper()
	prog := make([]byte, n)
	rand.NewChaCha8([32]byte{seed}).Read(prog)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	tw.WriteHeader(&tar.Header{Name: "blk", Mode: 0o755, Size: int64(n), Typeflag: tar.TypeReg})
	tw.Write(prog)
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// publish signs content as version for this PC's platform and adds it to
// the server's storage.
func publish(t *testing.T, st central.Storage, key ed25519.PrivateKey, version string, content []byte) update.Manifest {
	t.Helper()
	path := filepath.Join(t.TempDir(), "blk-"+version+"-"+blksync.Platform+".tar.gz")
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := update.Describe(path, version, blksync.Platform)
	if err != nil {
		t.Fatal(err)
	}
	if m, err = update.Sign(key, m); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddRelease(context.Background(), m, bytes.NewReader(content)); err != nil {
		t.Fatal(err)
	}
	return m
}

// releaseProxy stands between the PC and the server and can damage
// release downloads: cut the first one after cut bytes, or flip one byte.
// It notes the Range header and status of every download request.
type releaseProxy struct {
	url  string
	cut  int64
	flip int64 // offset in the file to flip; -1 none

	mu     gosync.Mutex
	ranges []string
	codes  []int
}

func newReleaseProxy(t *testing.T, backend string) *releaseProxy {
	t.Helper()
	target, _ := url.Parse(backend)
	p := &releaseProxy{flip: -1}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ErrorLog = quietStdLog()
	rp.ModifyResponse = func(resp *http.Response) error {
		if !strings.HasPrefix(resp.Request.URL.Path, wire.PathRelease) {
			return nil
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		p.ranges = append(p.ranges, resp.Request.Header.Get("Range"))
		p.codes = append(p.codes, resp.StatusCode)
		start := int64(0)
		if resp.StatusCode == http.StatusPartialContent {
			start = rangeStart(resp.Header.Get("Content-Range"))
		}
		if p.cut > 0 && len(p.ranges) == 1 {
			resp.Body = &cutBody{r: resp.Body, left: p.cut}
		}
		if p.flip >= 0 {
			resp.Body = &flipBody{r: resp.Body, at: p.flip - start}
		}
		return nil
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	p.url = srv.URL
	return p
}

func quietStdLog() *log.Logger { return log.New(io.Discard, "", 0) }

func (p *releaseProxy) seen() (ranges []string, codes []int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.ranges...), append([]int(nil), p.codes...)
}

func rangeStart(h string) int64 {
	var start int64
	rest, _ := strings.CutPrefix(h, "bytes ")
	first, _, _ := strings.Cut(rest, "-")
	for _, c := range first {
		start = start*10 + int64(c-'0')
	}
	return start
}

// cutBody ends in an error after left bytes, which makes the proxy drop
// the connection mid-file, as a failing link does.
type cutBody struct {
	r    io.ReadCloser
	left int64
}

func (c *cutBody) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errors.New("link lost")
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

func (c *cutBody) Close() error { return c.r.Close() }

// flipBody inverts the byte at offset at of the body.
type flipBody struct {
	r   io.ReadCloser
	at  int64
	off int64
}

func (f *flipBody) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if f.at >= f.off && f.at < f.off+int64(n) {
		p[f.at-f.off] ^= 0xff
	}
	f.off += int64(n)
	return n, err
}

func (f *flipBody) Close() error { return f.r.Close() }

// pcWithUpdater enrols a PC running version installed through serverURL,
// with an updater trusting pub that downloads without a rate cap.
func pcWithUpdater(t *testing.T, st central.Storage, serverURL, installed string, pub ed25519.PublicKey) (*device, *update.Updater, string) {
	t.Helper()
	dir := t.TempDir()
	u := update.New(update.Config{
		Dir: dir, Key: pub, Installed: installed, Platform: blksync.Platform,
		Exe: filepath.Join(t.TempDir(), "blk"), Rate: -1,
		Backoff: func(int) time.Duration { return 0 },
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { u.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	d := enrolDevice(t, st, serverURL, addCentre(t, st, "BLK Al-Hikmah"), "pc1", blksync.WithUpdater(u))
	return d, u, dir
}

// settled waits until the updater is no longer downloading and returns its state.
func settled(t *testing.T, u *update.Updater) update.State {
	t.Helper()
	ch := make(chan update.State, 1000)
	cancel := u.Subscribe(func(s update.State) {
		select {
		case ch <- s:
		default:
		}
	})
	defer cancel()
	deadline := time.After(30 * time.Second)
	for {
		if s := u.State(); s.Phase != update.Downloading && (s.Phase != update.Idle || s.Err != nil) {
			return s
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("the updater never settled: %+v", u.State())
		}
	}
}

func TestAGoodUpdateIsAnnouncedDownloadedAndOffered(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			pub, priv := releaseKey(t)
			st := openBackend(t, kind)
			proxy := newReleaseProxy(t, startServer(t, st))
			content := tarball(t, 600_000, 1)
			publish(t, st, priv, "0.2.5", tarball(t, 1000, 2))
			m := publish(t, st, priv, "0.3.0", content)

			d, u, dir := pcWithUpdater(t, st, proxy.url, "0.2.0", pub)
			mustRound(t, d)
			s := settled(t, u)
			if s.Phase != update.Ready || !s.Offered(time.Now()) || s.Release.Version != "0.3.0" || s.Err != nil {
				t.Fatalf("state = %+v, want 0.3.0 ready and offered", s)
			}
			if got, _ := os.ReadFile(filepath.Join(dir, m.File)); !bytes.Equal(got, content) {
				t.Error("the downloaded file is not the published one")
			}
			// the next sync announces it again: nothing is downloaded twice
			mustRound(t, d)
			if s := settled(t, u); s.Phase != update.Ready {
				t.Errorf("after another round: %+v", s)
			}
			if ranges, codes := proxy.seen(); len(ranges) != 1 || codes[0] != http.StatusOK {
				t.Errorf("downloads %q answered %v, want one whole file", ranges, codes)
			}
		})
	}
}

func TestATamperedDownloadIsRefused(t *testing.T) {
	pub, priv := releaseKey(t)
	st := openBackend(t, "sqlite")
	proxy := newReleaseProxy(t, startServer(t, st))
	proxy.flip = 300_000
	m := publish(t, st, priv, "0.3.0", tarball(t, 500_000, 3))

	d, u, dir := pcWithUpdater(t, st, proxy.url, "0.2.0", pub)
	mustRound(t, d)
	s := settled(t, u)
	if s.Phase != update.Idle || !errors.Is(s.Err, update.ErrTampered) || s.Offered(time.Now()) {
		t.Fatalf("state = %+v, want refused as tampered", s)
	}
	for _, name := range []string{m.File, m.File + ".part", "release.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s is kept after a tampered download", name)
		}
	}
	if err := u.Install(context.Background()); err == nil {
		t.Error("a tampered release was installed")
	}
}

func TestAWrongSignatureIsRefusedBeforeAnyDownload(t *testing.T) {
	pub, _ := releaseKey(t)
	_, impostor := releaseKey(t) // a key that is not the one compiled into the app
	st := openBackend(t, "sqlite")
	proxy := newReleaseProxy(t, startServer(t, st))
	publish(t, st, impostor, "0.3.0", tarball(t, 10_000, 4))

	d, u, _ := pcWithUpdater(t, st, proxy.url, "0.2.0", pub)
	mustRound(t, d)
	s := u.State()
	if s.Phase != update.Idle || !errors.Is(s.Err, update.ErrBadSignature) {
		t.Fatalf("state = %+v, want refused for its signature", s)
	}
	if ranges, _ := proxy.seen(); len(ranges) != 0 {
		t.Errorf("%d downloads of a release signed by another key", len(ranges))
	}
}

func TestADowngradeIsRefused(t *testing.T) {
	pub, priv := releaseKey(t)
	st := openBackend(t, "sqlite")
	proxy := newReleaseProxy(t, startServer(t, st))
	publish(t, st, priv, "0.1.9", tarball(t, 10_000, 5))

	d, u, _ := pcWithUpdater(t, st, proxy.url, "0.2.0", pub)
	mustRound(t, d)
	if s := u.State(); s.Phase != update.Idle || !errors.Is(s.Err, update.ErrNotNewer) {
		t.Fatalf("state = %+v, want refused as older", s)
	}
	// the same version as installed is no update either
	publish(t, st, priv, "0.2.0", tarball(t, 10_000, 6))
	mustRound(t, d)
	if s := u.State(); s.Phase != update.Idle || !errors.Is(s.Err, update.ErrNotNewer) {
		t.Fatalf("state = %+v, want refused as not newer", s)
	}
	if ranges, _ := proxy.seen(); len(ranges) != 0 {
		t.Errorf("%d downloads of releases that are not newer", len(ranges))
	}
}

func TestAnInterruptedDownloadResumesWithARangeRequest(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			pub, priv := releaseKey(t)
			st := openBackend(t, kind)
			proxy := newReleaseProxy(t, startServer(t, st))
			proxy.cut = 200_000 // the link drops after this much of the file
			content := tarball(t, 700_000, 7)
			m := publish(t, st, priv, "0.3.0", content)

			d, u, dir := pcWithUpdater(t, st, proxy.url, "0.2.0", pub)
			mustRound(t, d)
			s := settled(t, u)
			if s.Phase != update.Ready {
				t.Fatalf("state = %+v, want ready", s)
			}
			ranges, codes := proxy.seen()
			if len(ranges) != 2 || ranges[0] != "" || ranges[1] != "bytes=200000-" || codes[1] != http.StatusPartialContent {
				t.Errorf("requests %q answered %v; want the whole file, then the rest from byte 200000 (206)", ranges, codes)
			}
			if got, _ := os.ReadFile(filepath.Join(dir, m.File)); !bytes.Equal(got, content) {
				t.Error("the resumed file is not the published one")
			}
		})
	}
}

func TestReleaseDownloadsNeedAValidDeviceToken(t *testing.T) {
	pub, priv := releaseKey(t)
	st := openBackend(t, "sqlite")
	srv := startServer(t, st)
	publish(t, st, priv, "0.3.0", tarball(t, 1000, 8))
	d, _, _ := pcWithUpdater(t, st, srv, "0.2.0", pub)
	token, _ := d.st.Meta(context.Background(), blksync.MetaToken)
	id := central.ReleaseID(blksync.Platform, "0.3.0")

	get := func(token, rng string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, srv+wire.PathRelease+id, nil)
		req.Header.Set(wire.HeaderProtocol, "1")
		req.Header.Set(wire.HeaderSchema, "1")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := get(token, "bytes=10-19"); resp.StatusCode != http.StatusPartialContent || resp.ContentLength != 10 {
		t.Errorf("a range with the token: %s, %d bytes", resp.Status, resp.ContentLength)
	}
	if resp := get("", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without a token: %s", resp.Status)
	}
	if resp := get("not-a-token", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("with a wrong token: %s", resp.Status)
	}
	if err := st.RevokeDevice(context.Background(), d.st.DeviceID()); err != nil {
		t.Fatal(err)
	}
	if resp := get(token, ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a revoked PC: %s", resp.Status)
	}
}

// TestAPCThatNamesNoPlatformHearsOfNoRelease is a PC older than releases:
// it sends no platform and gets the pull reply it always had.
func TestAPCThatNamesNoPlatformHearsOfNoRelease(t *testing.T) {
	_, priv := releaseKey(t)
	st := openBackend(t, "sqlite")
	srv := httptest.NewServer(syncserver.NewServer(st, quietLog()).Handler())
	defer srv.Close()
	publish(t, st, priv, "0.3.0", tarball(t, 1000, 9))
	d := enrolDevice(t, st, srv.URL, addCentre(t, st, "BLK A"), "pc1")
	token, _ := d.st.Meta(context.Background(), blksync.MetaToken)

	for platform, want := range map[string]bool{"": false, blksync.Platform: true, "plan9-386": false} {
		body, _ := wire.EncodeGzip(wire.PullRequest{})
		req, _ := http.NewRequest(http.MethodPost, srv.URL+wire.PathPull, bytes.NewReader(body))
		req.Header.Set("Content-Encoding", "gzip")
		req.Header.Set("Accept-Encoding", "gzip")
		req.Header.Set(wire.HeaderProtocol, "1")
		req.Header.Set(wire.HeaderSchema, "1")
		req.Header.Set("Authorization", "Bearer "+token)
		if platform != "" {
			req.Header.Set(wire.HeaderPlatform, platform)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(zr)
		resp.Body.Close()
		if got := bytes.Contains(raw, []byte(`"release"`)); got != want {
			t.Errorf("platform %q: release announced %v, want %v: %s", platform, got, want, raw)
		}
	}
}
