package central

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/kemnaker/blk/update"
)

// releaseOf signs a manifest of content for version and platform.
func releaseOf(t testing.TB, key ed25519.PrivateKey, version, platform string, content []byte) update.Manifest {
	t.Helper()
	sum := sha256.Sum256(content)
	m, err := update.Sign(key, update.Manifest{Version: version, Platform: platform, File: "blk-" + version + "-setup.exe",
		Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:])})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func randomBytes(n int, seed byte) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{seed}).Read(b)
	return b
}

func TestReleasesAreStoredInPiecesAndReadBackByRange(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(nil)
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// more pieces than one write transaction holds, the last one short
			content := randomBytes(chunksPerTx*releaseChunk+3*releaseChunk+12345, 1)
			m := releaseOf(t, key, "0.10.0", update.PlatformWindows, content)
			r, err := s.AddRelease(ctx, m, bytes.NewReader(content))
			if err != nil {
				t.Fatal(err)
			}
			if r.ID != "windows-amd64-0.10.0" || r.AddedAt.IsZero() {
				t.Errorf("release = %+v", r)
			}
			for _, v := range []string{"0.9.0", "0.10.0-rc.1"} {
				small := randomBytes(1000, 2)
				if _, err := s.AddRelease(ctx, releaseOf(t, key, v, update.PlatformWindows, small), bytes.NewReader(small)); err != nil {
					t.Fatal(err)
				}
			}
			tarball := randomBytes(500, 3)
			if _, err := s.AddRelease(ctx, releaseOf(t, key, "0.2.0", update.PlatformLinux, tarball), bytes.NewReader(tarball)); err != nil {
				t.Fatal(err)
			}

			// the newest by semantic version, not by text or by date
			newest, err := s.NewestRelease(ctx, update.PlatformWindows)
			if err != nil || newest.Version != "0.10.0" || !bytes.Equal(newest.Signature, m.Signature) {
				t.Fatalf("newest = %+v, %v; want 0.10.0 with its signature", newest, err)
			}
			if err := update.Verify(key.Public().(ed25519.PublicKey), newest.Manifest); err != nil {
				t.Errorf("the stored manifest no longer verifies: %v", err)
			}
			if _, err := s.NewestRelease(ctx, "darwin-arm64"); !errors.Is(err, ErrNotFound) {
				t.Errorf("newest for a platform without releases: %v", err)
			}
			all, err := s.Releases(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range all {
				ids = append(ids, r.ID)
			}
			if want := []string{"linux-amd64-0.2.0", "windows-amd64-0.10.0", "windows-amd64-0.10.0-rc.1", "windows-amd64-0.9.0"}; !slices.Equal(ids, want) {
				t.Errorf("releases = %v, want %v", ids, want)
			}

			// the whole file, and a range that starts inside one piece and ends in another
			_, rd, err := s.OpenRelease(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rd)
			if err != nil || !bytes.Equal(got, content) {
				t.Fatalf("read %d bytes (%v), want the %d stored", len(got), err, len(content))
			}
			from := int64(2*releaseChunk - 100)
			if _, err := rd.Seek(from, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			part := make([]byte, 300)
			if _, err := io.ReadFull(rd, part); err != nil || !bytes.Equal(part, content[from:from+300]) {
				t.Errorf("range across pieces: %v", err)
			}
			if _, _, err := s.OpenRelease(ctx, "windows-amd64-9.9.9"); !errors.Is(err, ErrNotFound) {
				t.Errorf("open an unknown release: %v", err)
			}
		})
	}
}

func TestReleasesTheServerRefusesToStore(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(nil)
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			content := randomBytes(releaseChunk+10, 4)
			good := releaseOf(t, key, "0.3.0", update.PlatformWindows, content)
			unsigned := good
			unsigned.Signature = nil
			other := randomBytes(releaseChunk+10, 5)

			for name, c := range map[string]struct {
				m    update.Manifest
				file []byte
			}{
				"unsigned":                  {unsigned, content},
				"another file than signed":  {good, other},
				"the signed file, cut":      {good, content[:releaseChunk]},
				"the signed file, appended": {good, append(bytes.Clone(content), 0)},
			} {
				if _, err := s.AddRelease(ctx, c.m, bytes.NewReader(c.file)); !errors.Is(err, ErrInvalid) {
					t.Errorf("%s: AddRelease = %v, want ErrInvalid", name, err)
				}
			}
			var pieces int
			if err := s.ro.QueryRowContext(ctx, `SELECT count(*) FROM release_chunks`).Scan(&pieces); err != nil || pieces != 0 {
				t.Errorf("%d pieces left by refused releases (%v)", pieces, err)
			}
			if rs, _ := s.Releases(ctx); len(rs) != 0 {
				t.Errorf("refused releases listed: %v", rs)
			}

			if _, err := s.AddRelease(ctx, good, bytes.NewReader(content)); err != nil {
				t.Fatal(err)
			}
			// a version names one file for ever, even when signed again
			again := releaseOf(t, key, "0.3.0", update.PlatformWindows, other)
			if _, err := s.AddRelease(ctx, again, bytes.NewReader(other)); !errors.Is(err, ErrInvalid) {
				t.Errorf("a second 0.3.0: %v", err)
			}
			_, rd, _ := s.OpenRelease(ctx, "windows-amd64-0.3.0")
			if got, _ := io.ReadAll(rd); !bytes.Equal(got, content) {
				t.Error("the published file changed")
			}
		})
	}
}

// BenchmarkRelease measures storing a 10 MB installer (`release add`) and
// reading it back whole as a download does, on each backend:
//
//	go test -run '^$' -bench Release -benchtime 5x ./central/
func BenchmarkRelease(b *testing.B) {
	_, key, _ := ed25519.GenerateKey(nil)
	content := randomBytes(10<<20, 9)
	sum := sha256.Sum256(content)
	kinds := map[string]func(testing.TB) *sqlStorage{"sqlite": openTempSQLite}
	if os.Getenv("BLK_TEST_POSTGRES") != "" {
		kinds["postgres"] = openPG
	}
	for kind, open := range kinds {
		b.Run(kind+"/add", func(b *testing.B) {
			s := open(b)
			b.SetBytes(int64(len(content)))
			for i := 0; b.Loop(); i++ {
				m, err := update.Sign(key, update.Manifest{Version: fmt.Sprintf("0.0.%d", i+1), Platform: update.PlatformWindows,
					File: "blk-setup.exe", Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:])})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.AddRelease(context.Background(), m, bytes.NewReader(content)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(kind+"/read", func(b *testing.B) {
			s := open(b)
			m := releaseOf(b, key, "0.1.0", update.PlatformWindows, content)
			r, err := s.AddRelease(context.Background(), m, bytes.NewReader(content))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(content)))
			for b.Loop() {
				_, rd, err := s.OpenRelease(context.Background(), r.ID)
				if err != nil {
					b.Fatal(err)
				}
				if n, err := io.Copy(io.Discard, rd); err != nil || n != int64(len(content)) {
					b.Fatal(n, err)
				}
			}
		})
	}
}
