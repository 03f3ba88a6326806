package main

import (
	"encoding/json"
	"testing"

	"github.com/kemnaker/blk/assets"
	"github.com/kemnaker/blk/update"
)

// TestTheCompiledInReleaseKeyIsUsable fails the build of a release whose
// assets/release.pub holds a key block the app cannot read: such an app
// could never be updated again through the server.
func TestTheCompiledInReleaseKeyIsUsable(t *testing.T) {
	key, err := releaseKey()
	if err != nil {
		t.Fatalf("assets/release.pub: %v", err)
	}
	if key == nil {
		t.Log("assets/release.pub holds no key: this build takes no updates (docs/RELEASING.md says how to set it)")
		return
	}
	if _, err := update.ParsePublicKey(assets.ReleaseKey); err != nil {
		t.Fatal(err)
	}
}

func TestVersionTellsWhichReleaseKeyTheBuildTrusts(t *testing.T) {
	key, _ := releaseKey()
	code, out, errs := blk(t, "version", "--json")
	if code != 0 {
		t.Fatalf("version: %s", errs)
	}
	var v struct {
		ReleaseKey *string `json:"release_key"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.ReleaseKey == nil {
		t.Fatalf("version --json = %s (%v): no release_key", out, err)
	}
	if *v.ReleaseKey != releaseKeyID(key) || (key != nil && len(*v.ReleaseKey) != 16) {
		t.Errorf("release_key = %q, want %q", *v.ReleaseKey, releaseKeyID(key))
	}
}
