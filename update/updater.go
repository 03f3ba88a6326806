package update

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	gosync "sync"
	"time"
)

// DefaultRate is the download cap of a background update, in bytes per
// second: a 10 MB installer takes about five minutes, and a centre's 3G or
// satellite link keeps most of its capacity for sync and browsing. On a
// link slower than this the download simply takes what there is.
const DefaultRate = 32 << 10

// stateFile records, in the updater's folder, the release whose file has
// been downloaded and verified, and until when the operator postponed it.
const stateFile = "release.json"

// ErrNoKey is every release offered to a build without a release key
// (assets/release.pub): such a build never updates itself.
var ErrNoKey = errors.New("this build has no release public key, so it takes no updates")

// Phase is where the updater is with the newest release.
type Phase int

const (
	Idle        Phase = iota // nothing to take: up to date, refused, or a download failed
	Downloading              // a newer signed release is coming in the background
	Ready                    // downloaded and verified: the operator may install it
	Installing               // the installer runs
	Installed                // done: the app restarts into the new version when it closes
)

// State is what the updater reports to the app.
type State struct {
	Phase   Phase
	Release Manifest // the release downloading, ready, installing or installed
	// Have and Total are the download's progress in bytes.
	Have, Total int64
	// Err is why the last release announced was refused, or why the last
	// download or installation failed; nil after a success.
	Err error
	// PostponedUntil is when to offer a ready release again after the
	// operator said "later".
	PostponedUntil time.Time
}

// Offered reports whether the app should offer to install now.
func (s State) Offered(now time.Time) bool {
	return s.Phase == Ready && !now.Before(s.PostponedUntil)
}

// Config is how an Updater is set up (cmd/blk makes one per app run).
type Config struct {
	Dir       string            // its own folder: downloads and state (<data folder>/updates)
	Key       ed25519.PublicKey // the ministry's release key compiled into the app; nil: no updates
	Installed string            // the running version
	Platform  string            // this PC: PlatformWindows or PlatformLinux
	// Exe is the running program; InstallDir the installer's folder
	// (Windows, "" when unknown). See PlanFor.
	Exe, InstallDir string
	Client          *http.Client // http.DefaultClient when nil
	// Rate caps the download (bytes per second): 0 is DefaultRate, a
	// negative value no cap.
	Rate int64
	// Backoff is the pause after the nth failed connection (Downloader's
	// default when nil).
	Backoff   func(n int) time.Duration
	Installer Installer                        // SystemInstaller when nil
	Logf      func(format string, args ...any) // where decisions are noted; nil: nowhere
}

// Updater takes new releases of the app in the background: the sync client
// tells it what the server announces (Consider); it refuses anything
// unsigned, signed by another key, for another platform or not newer than
// the running version; it downloads the file gently and resumably (Run),
// checks it against the signed manifest, and keeps it until the operator
// installs it (Install) or postpones (Postpone). What it has downloaded
// survives a restart of the app, and is checked again before it runs.
type Updater struct {
	c Config

	mu       gosync.Mutex
	state    State
	subs     map[int]func(State)
	nsub     int
	want     *offer
	wake     chan struct{}
	tampered map[string]int // downloads refused per release file (SHA-256)
	plan     *Plan
	now      func() time.Time
}

type offer struct {
	m      Manifest
	url    string
	header http.Header
}

// New makes an updater; Run starts its work.
func New(c Config) *Updater {
	if c.Installer == nil {
		c.Installer = SystemInstaller{}
	}
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
	return &Updater{c: c, subs: map[int]func(State){}, wake: make(chan struct{}, 1), tampered: map[string]int{}, now: time.Now}
}

// State is the last known state, cheap to call from the UI goroutine.
func (u *Updater) State() State {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.state
}

// Subscribe calls fn after every change of the state, from the updater's
// goroutine (GUIs hop to their own). cancel stops the calls.
func (u *Updater) Subscribe(fn func(State)) (cancel func()) {
	u.mu.Lock()
	id := u.nsub
	u.nsub++
	u.subs[id] = fn
	u.mu.Unlock()
	return func() {
		u.mu.Lock()
		delete(u.subs, id)
		u.mu.Unlock()
	}
}

func (u *Updater) update(fn func(*State)) {
	u.mu.Lock()
	fn(&u.state)
	st := u.state
	subs := make([]func(State), 0, len(u.subs))
	for _, f := range u.subs {
		subs = append(subs, f)
	}
	u.mu.Unlock()
	for _, f := range subs {
		f(st)
	}
}

// sameRelease reports whether a and b describe the same release file.
func sameRelease(a, b Manifest) bool {
	return a.Version == b.Version && a.Platform == b.Platform && a.SHA256 == b.SHA256 && a.Size == b.Size
}

// Consider hears a release the server announced, with the URL and headers
// that download it. A release this PC must not take is refused at once
// (the error says why, and so does the state); a new one is handed to Run
// to download. It never blocks on the network.
func (u *Updater) Consider(m Manifest, url string, header http.Header) error {
	err := ErrNoKey
	if len(u.c.Key) > 0 {
		err = Offer(u.c.Key, m, u.c.Installed, u.c.Platform)
	}
	if err != nil {
		u.mu.Lock()
		known := u.state.Err != nil && u.state.Err.Error() == err.Error()
		u.mu.Unlock()
		if !known {
			u.c.Logf("update: release %s for %s refused: %v", m.Version, m.Platform, err)
			u.update(func(s *State) { s.Err = err })
		}
		return err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	cur := u.state
	if cur.Phase != Idle && sameRelease(cur.Release, m) {
		return nil // already coming, ready or installing
	}
	if cur.Phase == Installing || cur.Phase == Installed {
		return nil
	}
	if cur.Phase == Ready || cur.Phase == Downloading {
		a, _ := ParseVersion(cur.Release.Version)
		b, _ := ParseVersion(m.Version)
		if b.Compare(a) <= 0 {
			return nil // the server announces an older one than we hold
		}
	}
	if u.tampered[m.SHA256] >= 2 {
		return nil // twice the bytes did not match: not again in this run
	}
	u.want = &offer{m: m, url: url, header: header.Clone()}
	select {
	case u.wake <- struct{}{}:
	default:
	}
	return nil
}

// Run restores what an earlier run downloaded, then downloads what
// Consider accepts, until ctx ends.
func (u *Updater) Run(ctx context.Context) {
	u.restore()
	for {
		select {
		case <-ctx.Done():
			return
		case <-u.wake:
		}
		for {
			u.mu.Lock()
			o := u.want
			u.want = nil
			u.mu.Unlock()
			if o == nil || ctx.Err() != nil {
				break
			}
			u.fetch(ctx, *o)
		}
	}
}

// saved is the state file.
type saved struct {
	Release        Manifest  `json:"release"`
	PostponedUntil time.Time `json:"postponed_until,omitzero"`
}

// restore offers again a release an earlier run downloaded and verified,
// after checking it again; what is no longer newer (the update was
// installed) or no longer matches is deleted.
func (u *Updater) restore() {
	data, err := os.ReadFile(filepath.Join(u.c.Dir, stateFile))
	if err != nil {
		return
	}
	var sv saved
	if err := json.Unmarshal(data, &sv); err != nil {
		u.c.Logf("update: %s: %v; starting afresh", stateFile, err)
		u.clean("")
		return
	}
	err = ErrNoKey
	if len(u.c.Key) > 0 {
		err = Offer(u.c.Key, sv.Release, u.c.Installed, u.c.Platform)
	}
	if err == nil {
		err = VerifyFile(u.c.Key, sv.Release, filepath.Join(u.c.Dir, sv.Release.File))
	}
	if err != nil {
		if !errors.Is(err, ErrNotNewer) {
			u.c.Logf("update: the downloaded release %s is not used: %v", sv.Release.Version, err)
		}
		u.clean("")
		return
	}
	u.update(func(s *State) {
		*s = State{Phase: Ready, Release: sv.Release, Have: sv.Release.Size, Total: sv.Release.Size, PostponedUntil: sv.PostponedUntil}
	})
}

// clean deletes the updater's files except those of the release file keep.
func (u *Updater) clean(keep string) {
	entries, err := os.ReadDir(u.c.Dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if keep != "" && (n == keep || n == keep+".part") {
			continue
		}
		os.Remove(filepath.Join(u.c.Dir, n))
	}
}

// fetch downloads and verifies one release.
func (u *Updater) fetch(ctx context.Context, o offer) {
	if st := u.State(); st.Phase == Ready && sameRelease(st.Release, o.m) {
		return
	}
	if err := os.MkdirAll(u.c.Dir, 0o755); err != nil {
		u.update(func(s *State) { s.Err = err })
		return
	}
	// A newer release replaces whatever an older one left: its part file,
	// a file the operator never installed.
	u.clean(o.m.File)
	u.update(func(s *State) {
		*s = State{Phase: Downloading, Release: o.m, Total: o.m.Size}
	})
	u.c.Logf("update: downloading release %s (%d bytes) from %s", o.m.Version, o.m.Size, o.url)
	rate := u.c.Rate
	switch {
	case rate == 0:
		rate = DefaultRate
	case rate < 0:
		rate = 0
	}
	d := &Downloader{
		Client: u.c.Client, Rate: rate, Header: o.header, Backoff: u.c.Backoff,
		Progress: func(have, total int64) {
			u.update(func(s *State) { s.Have, s.Total = have, total })
		},
	}
	path := filepath.Join(u.c.Dir, o.m.File)
	err := VerifyFile(u.c.Key, o.m, path) // downloaded before, not yet recorded
	if err != nil {
		err = d.Fetch(ctx, o.url, path, o.m)
	}
	if err == nil {
		err = VerifyFile(u.c.Key, o.m, path)
	}
	if err == nil {
		err = u.save(saved{Release: o.m})
	}
	if err != nil {
		if errors.Is(err, ErrTampered) {
			u.mu.Lock()
			u.tampered[o.m.SHA256]++
			u.mu.Unlock()
			os.Remove(path)
		}
		u.c.Logf("update: release %s: %v", o.m.Version, err)
		u.update(func(s *State) { s.Phase, s.Err = Idle, err })
		return
	}
	u.c.Logf("update: release %s downloaded and verified", o.m.Version)
	u.update(func(s *State) { *s = State{Phase: Ready, Release: o.m, Have: o.m.Size, Total: o.m.Size} })
}

// save writes the state file atomically.
func (u *Updater) save(sv saved) error {
	data, err := json.Marshal(sv)
	if err != nil {
		return err
	}
	tmp := filepath.Join(u.c.Dir, stateFile+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(u.c.Dir, stateFile))
}

// Postpone hides a ready release for d: the operator said "later".
func (u *Updater) Postpone(d time.Duration) {
	u.mu.Lock()
	st := u.state
	u.mu.Unlock()
	if st.Phase != Ready {
		return
	}
	until := u.now().Add(d)
	if err := u.save(saved{Release: st.Release, PostponedUntil: until}); err != nil {
		u.c.Logf("update: postpone: %v", err)
	}
	u.update(func(s *State) {
		if s.Phase == Ready && sameRelease(s.Release, st.Release) {
			s.PostponedUntil = until
		}
	})
}

// Install checks the ready release once more (signature, platform, newer
// than the running version, the file's size and SHA-256: the file sat on
// disk since it was downloaded) and carries out its plan. On success the
// app should close; Pending then says what to start. On failure the
// installed version is unchanged and the release stays offered (unless
// the file turned out to be bad).
func (u *Updater) Install(ctx context.Context) error {
	u.mu.Lock()
	st := u.state
	if st.Phase != Ready {
		u.mu.Unlock()
		return errors.New("install: no downloaded release is ready")
	}
	u.state.Phase = Installing
	u.mu.Unlock()
	u.update(func(*State) {})

	path := filepath.Join(u.c.Dir, st.Release.File)
	err := ErrNoKey
	if len(u.c.Key) > 0 {
		err = Offer(u.c.Key, st.Release, u.c.Installed, u.c.Platform)
	}
	if err == nil {
		err = VerifyFile(u.c.Key, st.Release, path)
	}
	if err != nil {
		u.c.Logf("update: release %s not installed: %v", st.Release.Version, err)
		u.clean("")
		u.update(func(s *State) { *s = State{Phase: Idle, Release: st.Release, Err: err} })
		return err
	}
	plan, err := PlanFor(st.Release, path, u.c.Exe, u.c.InstallDir)
	if err == nil {
		u.c.Logf("update: installing release %s: %+v", st.Release.Version, plan)
		err = u.c.Installer.Install(ctx, plan)
	}
	if err != nil {
		u.c.Logf("update: release %s not installed: %v", st.Release.Version, err)
		u.update(func(s *State) { s.Phase, s.Err = Ready, err })
		return fmt.Errorf("install %s: %w", st.Release.Version, err)
	}
	u.mu.Lock()
	u.plan = &plan
	u.mu.Unlock()
	u.c.Logf("update: release %s installed; restarting into it", st.Release.Version)
	u.update(func(s *State) { s.Phase, s.Err = Installed, nil })
	return nil
}

// Pending is the plan of an installed release whose program should start
// once the app has closed.
func (u *Updater) Pending() (Plan, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.plan == nil {
		return Plan{}, false
	}
	return *u.plan, true
}
