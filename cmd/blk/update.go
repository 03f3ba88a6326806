package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"

	meta "github.com/kemnaker/blk"
	"github.com/kemnaker/blk/assets"
	"github.com/kemnaker/blk/sync"
	"github.com/kemnaker/blk/update"
)

// updatesDir is the updater's folder inside the data folder: downloads
// and what the operator postponed. The installer never touches the data
// folder, so it survives the update it holds.
const updatesDir = "updates"

// releaseKey is the ministry's release public key compiled into this
// build (assets/release.pub); nil when the file holds none.
func releaseKey() (ed25519.PublicKey, error) {
	if b, _ := pem.Decode(assets.ReleaseKey); b == nil {
		return nil, nil
	}
	return update.ParsePublicKey(assets.ReleaseKey)
}

// releaseKeyID is a short fingerprint of the release key, "" for none:
// `blk version` shows it so that anyone can tell which key a build trusts.
func releaseKeyID(k ed25519.PublicKey) string {
	if len(k) == 0 {
		return ""
	}
	sum := sha256.Sum256(k)
	return hex.EncodeToString(sum[:8])
}

// newUpdater is the desktop's updater: it trusts the compiled-in key,
// keeps its files in the data folder, and reports to the app's log.
func newUpdater(dataDir string) *update.Updater {
	key, err := releaseKey()
	if err != nil {
		// A build defect that TestTheCompiledInReleaseKeyIsUsable catches;
		// the app still runs, without updates.
		log.Printf("blk: release key: %v; this build takes no updates", err)
	}
	exe, err := os.Executable()
	if err != nil {
		log.Printf("blk: cannot tell where the program is (%v); updates cannot be installed", err)
	}
	return update.New(update.Config{
		Dir:        filepath.Join(dataDir, updatesDir),
		Key:        key,
		Installed:  meta.Current.Version,
		Platform:   sync.Platform,
		Exe:        exe,
		InstallDir: update.InstallDir(),
		// No overall timeout: a download on a slow link takes long; the
		// downloader cuts a connection that stops moving instead.
		Client: &http.Client{},
		Logf:   log.Printf,
	})
}

// restartAfterExit, when set by the window, starts the updated app once
// everything of this one has closed (main calls it last).
var restartAfterExit func() error

// planRestart arranges the restart into an installed update.
func planRestart(u *update.Updater) {
	p, ok := u.Pending()
	if !ok {
		return
	}
	restartAfterExit = func() error {
		log.Printf("blk: restarting into version %s: %s", p.Version, p.Restart)
		if err := update.Restart(p); err != nil {
			return fmt.Errorf("version %s is installed but did not start (%w); open BLK Komunitas again", p.Version, err)
		}
		return nil
	}
}
