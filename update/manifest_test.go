package update_test

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kemnaker/blk/update"
)

// release writes a fake installer and returns its path and a manifest
// signed with a fresh key, with that key's public half.
func release(t *testing.T, version string, content []byte) (string, update.Manifest, ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	privPEM, pubPEM, err := update.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	priv, err := update.ParsePrivateKey(privPEM)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := update.ParsePublicKey(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "blk-"+version+"-setup.exe")
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := update.Describe(path, version, "windows-amd64")
	if err != nil {
		t.Fatal(err)
	}
	m, err = update.Sign(priv, m)
	if err != nil {
		t.Fatal(err)
	}
	return path, m, pub, priv
}

func TestASignedNewerReleaseIsOfferedAndItsFileVerifies(t *testing.T) {
	path, m, pub, _ := release(t, "0.2.0", []byte("installer bytes"))
	if m.File != "blk-0.2.0-setup.exe" || m.Size != 15 || len(m.SHA256) != 64 {
		t.Fatalf("manifest = %+v", m)
	}
	// a manifest travels as JSON (sync reply, server storage)
	raw, _ := json.Marshal(m)
	var back update.Manifest
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if err := update.Offer(pub, back, "0.1.0", "windows-amd64"); err != nil {
		t.Errorf("Offer: %v", err)
	}
	if err := update.VerifyFile(pub, back, path); err != nil {
		t.Errorf("VerifyFile: %v", err)
	}
}

func TestReleasesThatMustNotBeInstalled(t *testing.T) {
	path, good, pub, _ := release(t, "0.2.0", []byte("installer bytes"))
	_, _, otherPub, otherPriv := release(t, "0.2.0", []byte("x"))

	unsigned := good
	unsigned.Signature = nil
	wrongKey, _ := update.Sign(otherPriv, good)
	renamedVersion := good // a signed 0.2.0 relabelled as 9.0.0
	renamedVersion.Version = "9.0.0"
	otherFile := good
	otherFile.SHA256 = "0000000000000000000000000000000000000000000000000000000000000000"

	for _, c := range []struct {
		name      string
		m         update.Manifest
		pub       ed25519.PublicKey
		installed string
		want      error
	}{
		{"unsigned", unsigned, pub, "0.1.0", update.ErrUnsigned},
		{"signed by another key", wrongKey, pub, "0.1.0", update.ErrBadSignature},
		{"checked against another key", good, otherPub, "0.1.0", update.ErrBadSignature},
		{"version changed after signing", renamedVersion, pub, "0.1.0", update.ErrBadSignature},
		{"hash changed after signing", otherFile, pub, "0.1.0", update.ErrBadSignature},
		{"same version as installed", good, pub, "0.2.0", update.ErrNotNewer},
		{"downgrade", good, pub, "0.3.0", update.ErrNotNewer},
		{"pre-release of the installed version", mustSign(t, otherPriv, good, "0.2.0-rc.1"), otherPub, "0.2.0", update.ErrNotNewer},
	} {
		if err := update.Offer(c.pub, c.m, c.installed, "windows-amd64"); !errors.Is(err, c.want) {
			t.Errorf("%s: Offer = %v, want %v", c.name, err, c.want)
		}
	}
	if err := update.Offer(pub, good, "0.1.0", "linux-amd64"); !errors.Is(err, update.ErrWrongTarget) {
		t.Errorf("Windows release offered to Linux: %v", err)
	}

	// a file changed after signing: one byte flipped, or cut short
	b, _ := os.ReadFile(path)
	b[3] ^= 1
	os.WriteFile(path, b, 0o644)
	if err := update.VerifyFile(pub, good, path); !errors.Is(err, update.ErrTampered) {
		t.Errorf("flipped byte: VerifyFile = %v, want ErrTampered", err)
	}
	os.WriteFile(path, b[:5], 0o644)
	if err := update.VerifyFile(pub, good, path); !errors.Is(err, update.ErrTampered) {
		t.Errorf("short file: VerifyFile = %v, want ErrTampered", err)
	}
}

func mustSign(t *testing.T, key ed25519.PrivateKey, m update.Manifest, version string) update.Manifest {
	t.Helper()
	m.Version = version
	m, err := update.Sign(key, m)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMalformedManifestsAreRefusedBeforeSigning(t *testing.T) {
	_, good, _, priv := release(t, "0.2.0", []byte("installer bytes"))
	for name, change := range map[string]func(*update.Manifest){
		"no version":        func(m *update.Manifest) { m.Version = "" },
		"path in file name": func(m *update.Manifest) { m.File = `..\evil.exe` },
		"newline injection": func(m *update.Manifest) { m.Platform = "windows-amd64\nsize=1" },
		"upper-case hash":   func(m *update.Manifest) { m.SHA256 = "AB" + m.SHA256[2:] },
		"empty file":        func(m *update.Manifest) { m.Size = 0 },
	} {
		m := good
		change(&m)
		if _, err := update.Sign(priv, m); err == nil {
			t.Errorf("%s: signed", name)
		}
	}
}

func TestKeyFilesAreRefusedWhenSwapped(t *testing.T) {
	privPEM, pubPEM, err := update.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := update.ParsePrivateKey(pubPEM); err == nil {
		t.Error("a public key was read as the private key")
	}
	if _, err := update.ParsePublicKey(privPEM); err == nil {
		t.Error("a private key was read as the public key")
	}
}
