package update

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	gosync "sync"
	"testing"
	"time"
)

// signedRelease is content described by a manifest signed with a fresh key.
func signedRelease(t *testing.T, version, platform string, content []byte) (Manifest, ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	m := manifestOf(content)
	m.Version, m.Platform = version, platform
	if platform == PlatformLinux {
		m.File = "blk-" + version + "-linux-amd64.tar.gz"
	} else {
		m.File = "blk-" + version + "-setup.exe"
	}
	m, err = Sign(priv, m)
	if err != nil {
		t.Fatal(err)
	}
	return m, pub, priv
}

// recordingInstaller notes the plans it is given instead of running them.
type recordingInstaller struct {
	mu    gosync.Mutex
	plans []Plan
	err   error
}

func (r *recordingInstaller) Install(_ context.Context, p Plan) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.plans = append(r.plans, p)
	return r.err
}

func (r *recordingInstaller) got() []Plan {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Plan(nil), r.plans...)
}

// startUpdater runs an updater for a PC on version 0.1.0 until the test ends.
func startUpdater(t *testing.T, c Config) *Updater {
	t.Helper()
	if c.Installed == "" {
		c.Installed = "0.1.0"
	}
	if c.Platform == "" {
		c.Platform = PlatformWindows
	}
	if c.Rate == 0 {
		c.Rate = -1
	}
	c.Backoff = func(int) time.Duration { return 0 }
	u := New(c)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { u.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return u
}

// waitFor waits until the updater's state satisfies ok.
func waitFor(t *testing.T, u *Updater, what string, ok func(State) bool) State {
	t.Helper()
	ch := make(chan State, 100)
	cancel := u.Subscribe(func(s State) {
		select {
		case ch <- s:
		default:
		}
	})
	defer cancel()
	if s := u.State(); ok(s) {
		return s
	}
	deadline := time.After(20 * time.Second)
	for {
		select {
		case s := <-ch:
			if ok(s) {
				return s
			}
		case <-deadline:
			t.Fatalf("updater never got to %s; state %+v", what, u.State())
		}
	}
}

func ready(s State) bool { return s.Phase == Ready }

func TestASignedNewerReleaseIsDownloadedVerifiedAndOffered(t *testing.T) {
	content := installerBytes(120_000)
	m, pub, _ := signedRelease(t, "0.2.0", PlatformWindows, content)
	srv := newReleaseServer(t, content)
	dir := t.TempDir()
	u := startUpdater(t, Config{Dir: dir, Key: pub, Client: srv.Client()})

	if err := u.Consider(m, srv.URL, http.Header{"Authorization": {"Bearer t"}}); err != nil {
		t.Fatalf("Consider: %v", err)
	}
	s := waitFor(t, u, "ready", ready)
	if !s.Offered(time.Now()) || s.Release.Version != "0.2.0" || s.Have != int64(len(content)) || s.Err != nil {
		t.Fatalf("state = %+v", s)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, m.File)); !bytes.Equal(got, content) {
		t.Error("the kept file is not the release")
	}
	// the same announcement at the next sync downloads nothing again
	if err := u.Consider(m, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestReleasesThePCMustNotTakeAreNeverDownloaded(t *testing.T) {
	content := installerBytes(10_000)
	good, pub, _ := signedRelease(t, "0.2.0", PlatformWindows, content)
	_, otherPub, otherPriv := signedRelease(t, "0.2.0", PlatformWindows, content)
	unsigned := good
	unsigned.Signature = nil
	wrongKey, _ := Sign(otherPriv, good)
	older, _ := Sign(otherPriv, Manifest{Version: "0.0.9", Platform: PlatformWindows, File: good.File, Size: good.Size, SHA256: good.SHA256})
	linux, _ := Sign(otherPriv, Manifest{Version: "0.2.0", Platform: PlatformLinux, File: "blk.tar.gz", Size: good.Size, SHA256: good.SHA256})
	srv := newReleaseServer(t, content)

	for _, c := range []struct {
		name string
		key  ed25519.PublicKey
		m    Manifest
		want error
	}{
		{"unsigned", pub, unsigned, ErrUnsigned},
		{"signed by another key", pub, wrongKey, ErrBadSignature},
		{"older than installed", otherPub, older, ErrNotNewer},
		{"for Linux, on Windows", otherPub, linux, ErrWrongTarget},
		{"a build without a release key", nil, good, ErrNoKey},
	} {
		u := startUpdater(t, Config{Dir: t.TempDir(), Key: c.key, Client: srv.Client()})
		if err := u.Consider(c.m, srv.URL, nil); !errors.Is(err, c.want) {
			t.Errorf("%s: Consider = %v, want %v", c.name, err, c.want)
		}
		if s := u.State(); s.Phase != Idle || !errors.Is(s.Err, c.want) {
			t.Errorf("%s: state = %+v, want idle with the reason", c.name, s)
		}
	}
	if n := len(srv.requests()); n != 0 {
		t.Errorf("%d downloads of refused releases, want none", n)
	}
}

func TestADownloadedReleaseIsOfferedAgainAfterARestartAndCleanedOnceInstalled(t *testing.T) {
	content := installerBytes(50_000)
	m, pub, _ := signedRelease(t, "0.2.0", PlatformWindows, content)
	srv := newReleaseServer(t, content)
	dir := t.TempDir()
	first := startUpdater(t, Config{Dir: dir, Key: pub, Client: srv.Client()})
	first.Consider(m, srv.URL, nil)
	waitFor(t, first, "ready", ready)
	first.Postpone(24 * time.Hour)

	// the app restarts offline: the release is offered from disk, still postponed
	again := startUpdater(t, Config{Dir: dir, Key: pub, Client: srv.Client()})
	s := waitFor(t, again, "ready", ready)
	if s.Offered(time.Now()) || !s.Offered(time.Now().Add(25*time.Hour)) {
		t.Errorf("postponed until %v: the operator's later was not kept", s.PostponedUntil)
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d requests, want the one download", n)
	}

	// after the update the app runs 0.2.0: what was downloaded goes
	after := New(Config{Dir: dir, Key: pub, Installed: "0.2.0", Platform: PlatformWindows})
	after.restore()
	if s := after.State(); s.Phase != Idle {
		t.Errorf("state after the update = %+v, want idle", s)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left in the updates folder: %v", left)
	}
}

func TestInstallRunsTheSilentInstallerThroughUACAndRestartsTheInstalledApp(t *testing.T) {
	content := installerBytes(30_000)
	m, pub, _ := signedRelease(t, "0.2.0", PlatformWindows, content)
	srv := newReleaseServer(t, content)
	dir := t.TempDir()
	inst := &recordingInstaller{}
	u := startUpdater(t, Config{Dir: dir, Key: pub, Client: srv.Client(), Installer: inst,
		Exe: `C:\Users\op\Downloads\blk.exe`, InstallDir: `C:\Program Files\BLK Komunitas`})
	u.Consider(m, srv.URL, nil)
	waitFor(t, u, "ready", ready)

	if err := u.Install(context.Background()); err != nil {
		t.Fatal(err)
	}
	setup := filepath.Join(dir, "blk-0.2.0-setup.exe")
	want := Plan{Version: "0.2.0", File: setup, Run: []string{setup, "/S"}, Elevate: true, Restart: `C:\Program Files\BLK Komunitas\blk.exe`}
	plans := inst.got()
	if len(plans) != 1 || !equalPlan(plans[0], want) {
		t.Fatalf("installer ran %+v\nwant           %+v", plans, want)
	}
	if p, ok := u.Pending(); !ok || !equalPlan(p, want) {
		t.Errorf("Pending = %+v, %v", p, ok)
	}
	if s := u.State(); s.Phase != Installed {
		t.Errorf("state = %+v, want installed", s)
	}
}

func equalPlan(a, b Plan) bool { return reflect.DeepEqual(a, b) }

func TestAnInstallerDeclinedAtUACKeepsTheOffer(t *testing.T) {
	content := installerBytes(30_000)
	m, pub, _ := signedRelease(t, "0.2.0", PlatformWindows, content)
	srv := newReleaseServer(t, content)
	inst := &recordingInstaller{err: ErrCancelled}
	u := startUpdater(t, Config{Dir: t.TempDir(), Key: pub, Client: srv.Client(), Installer: inst, Exe: `C:\blk\blk.exe`})
	u.Consider(m, srv.URL, nil)
	waitFor(t, u, "ready", ready)
	if err := u.Install(context.Background()); !errors.Is(err, ErrCancelled) {
		t.Fatalf("Install = %v, want ErrCancelled", err)
	}
	if s := u.State(); !s.Offered(time.Now()) || !errors.Is(s.Err, ErrCancelled) {
		t.Errorf("state = %+v, want still offered, with the reason", s)
	}
	if _, ok := u.Pending(); ok {
		t.Error("a restart is pending after a cancelled install")
	}
}

func TestAFileChangedOnDiskAfterItsDownloadIsNeverInstalled(t *testing.T) {
	content := installerBytes(30_000)
	m, pub, _ := signedRelease(t, "0.2.0", PlatformWindows, content)
	srv := newReleaseServer(t, content)
	dir := t.TempDir()
	inst := &recordingInstaller{}
	u := startUpdater(t, Config{Dir: dir, Key: pub, Client: srv.Client(), Installer: inst, Exe: `C:\blk\blk.exe`})
	u.Consider(m, srv.URL, nil)
	waitFor(t, u, "ready", ready)

	// something swaps a byte of the installer while it waits for the operator
	path := filepath.Join(dir, m.File)
	b, _ := os.ReadFile(path)
	b[100] ^= 1
	os.WriteFile(path, b, 0o644)

	if err := u.Install(context.Background()); !errors.Is(err, ErrTampered) {
		t.Fatalf("Install = %v, want ErrTampered", err)
	}
	if n := len(inst.got()); n != 0 {
		t.Errorf("the installer ran %d times", n)
	}
	if s := u.State(); s.Phase != Idle || s.Offered(time.Now()) {
		t.Errorf("state = %+v, want idle", s)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("the changed file is kept")
	}
}

func TestALinuxReleaseIsUnpackedBesideTheProgram(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "blk")
	os.WriteFile(exe, []byte("old program"), 0o755)
	os.WriteFile(filepath.Join(dir, "blk.db"), []byte("not touched"), 0o644)
	tarball := filepath.Join(t.TempDir(), "blk-0.2.0-linux-amd64.tar.gz")
	writeTarball(t, tarball, map[string]string{"blk": "new program", "README.md": "notes"})

	m, _ := Describe(tarball, "0.2.0", PlatformLinux)
	p, err := PlanFor(m, tarball, exe, "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Unpack != dir || p.Restart != exe || len(p.Run) != 0 || p.Elevate {
		t.Fatalf("plan = %+v", p)
	}
	if err := (SystemInstaller{}).Install(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"blk": "new program", "README.md": "notes", "blk.db": "not touched"} {
		if got, _ := os.ReadFile(filepath.Join(dir, name)); string(got) != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if fi, _ := os.Stat(exe); fi.Mode().Perm()&0o100 == 0 {
		t.Errorf("the new program is not executable: %v", fi.Mode())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("the folder holds %d entries, want 3 (no staging folder left)", len(entries))
	}
}

func TestTarballsTheUpdaterRefuses(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"no program":        {"README.md": "x"},
		"a path outside":    {"blk": "x", "../evil": "y"},
		"a nested file":     {"blk": "x", "bin/blk": "y"},
		"a hidden file":     {"blk": "x", ".profile": "y"},
		"program not exec.": {"blk=0644": "x"},
	} {
		dir := t.TempDir()
		exe := filepath.Join(dir, "blk")
		os.WriteFile(exe, []byte("old program"), 0o755)
		tarball := filepath.Join(t.TempDir(), "r.tar.gz")
		writeTarball(t, tarball, files)
		if err := UnpackTarball(tarball, exe); err == nil {
			t.Errorf("%s: unpacked", name)
		}
		if err := CheckPlatformFile(PlatformLinux, tarball); err == nil {
			t.Errorf("%s: accepted for signing", name)
		}
		if got, _ := os.ReadFile(exe); string(got) != "old program" {
			t.Errorf("%s: the program was changed", name)
		}
	}
	if err := CheckPlatformFile(PlatformWindows, "blk-0.2.0-linux-amd64.tar.gz"); err == nil {
		t.Error("a tarball accepted as a Windows release")
	}
	if err := CheckPlatformFile("darwin-arm64", "blk.tar.gz"); err == nil {
		t.Error("an unknown platform accepted")
	}
}

// writeTarball writes files (name, or "name=0644" for a mode) as a .tar.gz;
// files are executable by default.
func writeTarball(t *testing.T, path string, files map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, body := range files {
		mode := int64(0o755)
		if n, ok := strings.CutSuffix(name, "=0644"); ok {
			name, mode = n, 0o644
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: mode, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(body))
	}
	tw.Close()
	zw.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
