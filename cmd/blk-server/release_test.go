package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/update"
)

// jsonOut decodes a --json answer.
func jsonOut(t *testing.T, out string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return m
}

func TestTheMinistrySignsOfflineAndPublishesWithoutThePrivateKey(t *testing.T) {
	signing, onServer := t.TempDir(), t.TempDir()
	db := "sqlite:" + filepath.Join(onServer, "server.db")
	prefix := filepath.Join(signing, "ministry")

	// on the signing PC: a key pair, and a signed installer
	if code, _, errs := server(t, "release", "keygen", "--out", prefix); code != 0 {
		t.Fatalf("keygen: %s", errs)
	}
	if fi, err := os.Stat(prefix + ".key"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("private key: %v %v, want mode 0600", fi, err)
	}
	if code, _, errs := server(t, "release", "keygen", "--out", prefix); code == 0 || !strings.Contains(errs, "tidak pernah ditimpa") {
		t.Errorf("a second keygen over the first: code %d, %s", code, errs)
	}
	setup := filepath.Join(signing, "blk-0.3.0-setup.exe")
	content := bytes.Repeat([]byte("MZ installer "), 50_000)
	os.WriteFile(setup, content, 0o644)
	code, _, errs := server(t, "release", "sign", setup, "--version", "0.3.0", "--platform", "windows-amd64", "--key", prefix+".key")
	if code != 0 {
		t.Fatalf("sign: %s", errs)
	}
	manifest := setup + ".manifest.json"

	// on the server: the file and its manifest, and the public key to check
	pub, _ := os.ReadFile(prefix + ".pub")
	os.WriteFile(filepath.Join(onServer, "ministry.pub"), pub, 0o644)
	code, out, errs := server(t, "release", "add", setup, "--manifest", manifest, "--public-key", filepath.Join(onServer, "ministry.pub"), "--db", db, "--json")
	if code != 0 {
		t.Fatalf("add: %s", errs)
	}
	if got := jsonOut(t, out); got["announced"] != true || got["release"].(map[string]any)["id"] != "windows-amd64-0.3.0" {
		t.Errorf("add said %s", out)
	}

	// the audit trail says who published what
	code, out, errs = server(t, "audit", "--db", db, "--json")
	var trail struct {
		Entries []central.AuditEntry `json:"entries"`
	}
	if err := json.Unmarshal([]byte(out), &trail); code != 0 || err != nil {
		t.Fatalf("audit: %d %v %s", code, err, errs)
	}
	found := false
	for _, a := range trail.Entries {
		if a.Action == central.AuditReleaseAdd && a.Target == "windows-amd64-0.3.0" && strings.HasPrefix(a.Actor, "cli:") && strings.Contains(a.Detail, "blk-0.3.0-setup.exe") {
			found = true
		}
	}
	if !found {
		t.Errorf("no release.add in the audit trail: %+v", trail.Entries)
	}

	// what the server stores verifies with the public key the app has
	pubKey, err := update.ParsePublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	st, err := central.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	rel, rd, err := st.OpenRelease(context.Background(), "windows-amd64-0.3.0")
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := io.ReadAll(rd)
	st.Close()
	if err := update.Offer(pubKey, rel.Manifest, "0.2.0", "windows-amd64"); err != nil || !bytes.Equal(stored, content) {
		t.Errorf("the published release: offer %v, %d bytes stored of %d", err, len(stored), len(content))
	}

	// an older release added later is stored but not announced
	old := filepath.Join(signing, "blk-0.2.9-setup.exe")
	os.WriteFile(old, []byte("MZ older"), 0o644)
	server(t, "release", "sign", old, "--version", "0.2.9", "--platform", "windows-amd64", "--key", prefix+".key", "--out", old+".m")
	if code, out, errs := server(t, "release", "add", old, "--manifest", old+".m", "--db", db); code != 0 || !strings.Contains(out, "0.3.0 is newer") {
		t.Errorf("add an older one: %d %s %s", code, out, errs)
	}
	code, out, _ = server(t, "release", "list", "--db", db, "--json")
	var list struct {
		Releases []struct {
			ID        string `json:"id"`
			Announced bool   `json:"announced"`
			Signature []byte `json:"signature"`
		} `json:"releases"`
	}
	if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil {
		t.Fatalf("list: %d %v %s", code, err, out)
	}
	if len(list.Releases) != 2 || list.Releases[0].ID != "windows-amd64-0.3.0" || !list.Releases[0].Announced || list.Releases[1].Announced {
		t.Errorf("list = %+v", list.Releases)
	}
	if _, out, _ := server(t, "release", "list", "--db", db); !strings.Contains(out, "windows-amd64-0.3.0") || !strings.Contains(out, "yes") {
		t.Errorf("list as text:\n%s", out)
	}
}

func TestPublishingRefusesWhatPCsWouldRefuse(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "server.db")
	server(t, "release", "keygen", "--out", filepath.Join(dir, "ministry"))
	server(t, "release", "keygen", "--out", filepath.Join(dir, "other"))
	key := filepath.Join(dir, "ministry.key")
	setup := filepath.Join(dir, "blk-0.3.0-setup.exe")
	os.WriteFile(setup, []byte("MZ the installer"), 0o644)
	rc := filepath.Join(dir, "blk-0.3.0-rc.1-setup.exe")
	os.WriteFile(rc, []byte("MZ the candidate"), 0o644)

	for name, c := range map[string]struct {
		args []string
		want string
	}{
		"a tarball as the Windows release":           {[]string{"release", "sign", filepath.Join(dir, "blk-0.3.0-setup.exe"), "--version", "0.3.0", "--platform", "linux-amd64", "--key", key}, ".tar.gz"},
		"a file named for another version":           {[]string{"release", "sign", setup, "--version", "0.4.0", "--platform", "windows-amd64", "--key", key}, "bukan versi 0.4.0"},
		"a pre-release's file signed as the release": {[]string{"release", "sign", rc, "--version", "0.3.0", "--platform", "windows-amd64", "--key", key}, "bukan versi 0.3.0"},
		"not a version":                              {[]string{"release", "sign", setup, "--version", "1.0", "--platform", "windows-amd64", "--key", key}, "MAJOR.MINOR.PATCH"},
		"the public key as the private":              {[]string{"release", "sign", setup, "--version", "0.3.0", "--platform", "windows-amd64", "--key", filepath.Join(dir, "ministry.pub")}, "PRIVATE KEY"},
		"an unknown platform":                        {[]string{"release", "sign", setup, "--version", "0.3.0", "--platform", "darwin-arm64", "--key", key}, "want windows-amd64 or linux-amd64"},
		"add without a signature":                    {[]string{"release", "add", setup, "--db", db}, "--manifest"},
	} {
		if code, _, errs := server(t, c.args...); code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("%s: code %d, %q; want a failure saying %q", name, code, errs, c.want)
		}
	}

	// signed, then the file changes before it is published
	if code, _, errs := server(t, "release", "sign", setup, "--version", "0.3.0", "--platform", "windows-amd64", "--key", key); code != 0 {
		t.Fatal(errs)
	}
	manifest := setup + ".manifest.json"
	os.WriteFile(setup, []byte("MZ the installer, patched"), 0o644)
	if code, _, errs := server(t, "release", "add", setup, "--manifest", manifest, "--db", db); code == 0 || !strings.Contains(errs, "publish the file that was signed") {
		t.Errorf("a changed file: code %d, %s", code, errs)
	}
	os.WriteFile(setup, []byte("MZ the installer"), 0o644)
	// checked against another key than the one it was signed with
	if code, _, errs := server(t, "release", "add", setup, "--manifest", manifest, "--public-key", filepath.Join(dir, "other.pub"), "--db", db); code == 0 || !strings.Contains(errs, "signature does not match") {
		t.Errorf("another public key: code %d, %s", code, errs)
	}
	// the signature alone, as `release sign` printed it, instead of the manifest
	var m update.Manifest
	data, _ := os.ReadFile(manifest)
	json.Unmarshal(data, &m)
	_, out, _ := server(t, "release", "sign", setup, "--version", "0.3.0", "--platform", "windows-amd64", "--key", key, "--out", filepath.Join(dir, "again.json"), "--json")
	sig := jsonOut(t, out)["release"].(map[string]any)["signature"].(string)
	if code, _, errs := server(t, "release", "add", setup, "--version", "0.3.0", "--platform", "windows-amd64", "--signature", sig, "--public-key", filepath.Join(dir, "ministry.pub"), "--db", db); code != 0 {
		t.Fatalf("add with --signature: %s", errs)
	}
	// and a version is published once
	if code, _, errs := server(t, "release", "add", setup, "--manifest", manifest, "--db", db); code == 0 || !strings.Contains(errs, "already published") {
		t.Errorf("the same version again: code %d, %s", code, errs)
	}
}
