package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/update"
)

// The release commands (docs/RELEASING.md). keygen and sign run on the
// ministry's signing PC, which holds the private key and needs no database;
// add and list run where the server's database is, and never see the
// private key: add takes the manifest sign wrote, or its signature.

var platformsText = update.PlatformWindows + "|" + update.PlatformLinux

func releaseKeygenCmd(e *env) *cli.Command {
	var out string
	return &cli.Command{
		Name:  "release keygen",
		Usage: "[--out PREFIX]",
		Short: cli.Text("cli.server.release_keygen.short"),
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&out, "out", "blk-release", cli.Text("cli.server.release_keygen.flag.out").In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
			priv, pub := out+".key", out+".pub"
			for _, p := range []string{priv, pub} {
				if _, err := os.Stat(p); err == nil {
					return cli.Errorf("cli.server.release_keygen.err.exists", p)
				}
			}
			privPEM, pubPEM, err := update.GenerateKey()
			if err != nil {
				return err
			}
			// O_EXCL: two runs at once cannot both believe they made the key.
			if err := writeNew(priv, privPEM, 0o600); err != nil {
				return err
			}
			if err := writeNew(pub, pubPEM, 0o644); err != nil {
				os.Remove(priv)
				return err
			}
			return e.print(map[string]any{"ok": true, "private_key": priv, "public_key": pub},
				fmt.Sprintf("private key  %s   keep it on the signing PC and a backup offline; never on the server\npublic key   %s   copy it to assets/release.pub and build: the app trusts releases signed by the private key", priv, pub))
		},
	}
}

func writeNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func releaseSignCmd(e *env) *cli.Command {
	var version, platform, key, out string
	return &cli.Command{
		Name:    "release sign",
		Usage:   "FILE --version V --platform " + platformsText + " --key PREFIX.key [--out MANIFEST]",
		Short:   cli.Text("cli.server.release_sign.short"),
		MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&version, "version", "", cli.Text("cli.server.release_sign.flag.version").In(l))
			fs.StringVar(&platform, "platform", "", cli.Text("cli.server.release.flag.platform").In(l))
			fs.StringVar(&key, "key", "", cli.Text("cli.server.release_sign.flag.key").In(l))
			fs.StringVar(&out, "out", "", cli.Text("cli.server.release_sign.flag.out").In(l))
		},
		Run: func(ctx context.Context, args []string) error {
			file := args[0]
			if version == "" || platform == "" || key == "" {
				return cli.Errorf("cli.server.release_sign.err.required", platformsText)
			}
			if _, err := update.ParseVersion(version); err != nil {
				return err
			}
			if err := checkFileVersion(file, version); err != nil {
				return err
			}
			if err := update.CheckPlatformFile(platform, file); err != nil {
				return err
			}
			pemData, err := os.ReadFile(key)
			if err != nil {
				return err
			}
			priv, err := update.ParsePrivateKey(pemData)
			if err != nil {
				return fmt.Errorf("%s: %w", key, err)
			}
			m, err := update.Describe(file, version, platform)
			if err != nil {
				return err
			}
			if m, err = update.Sign(priv, m); err != nil {
				return err
			}
			if out == "" {
				out = file + ".manifest.json"
			}
			data, _ := json.MarshalIndent(m, "", "  ")
			if err := os.WriteFile(out, append(data, '\n'), 0o644); err != nil {
				return err
			}
			sig := base64.StdEncoding.EncodeToString(m.Signature)
			return e.print(map[string]any{"ok": true, "manifest": out, "release": m},
				fmt.Sprintf("signed   %s %s for %s (%d bytes, sha256 %s)\nmanifest %s\nsignature %s\nnext: copy FILE and the manifest to the server, then: blk-server release add %s --manifest %s",
					m.File, m.Version, m.Platform, m.Size, m.SHA256, out, sig, filepath.Base(file), filepath.Base(out)))
		},
	}
}

// checkFileVersion refuses a file named for another version than the one
// it is signed as (blk-0.3.0-setup.exe signed as 0.4.0, or as 0.3.0 when
// it is blk-0.3.0-rc.1-setup.exe): after signing, the mistake could only be
// undone by a higher version. Names `make dist` does not give are not
// compared.
func checkFileVersion(file, version string) error {
	m := distName.FindStringSubmatch(filepath.Base(file))
	if m == nil || m[1] == version {
		return nil
	}
	return cli.Errorf("cli.server.release_sign.err.file_version", filepath.Base(file), version)
}

// distName is the name `make dist` gives a release file.
var distName = regexp.MustCompile(`^blk-(.+)-(?:setup\.exe|linux-amd64\.tar\.gz)$`)

func releaseAddCmd(e *env) *cli.Command {
	var manifest, version, platform, signature, pubKey string
	return &cli.Command{
		Name:    "release add",
		Usage:   "FILE (--manifest MANIFEST | --version V --platform " + platformsText + " --signature BASE64) [--public-key PREFIX.pub] [--json]",
		Short:   cli.Text("cli.server.release_add.short"),
		MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&manifest, "manifest", "", cli.Text("cli.server.release_add.flag.manifest").In(l))
			fs.StringVar(&version, "version", "", cli.Text("cli.server.release_add.flag.version").In(l))
			fs.StringVar(&platform, "platform", "", cli.Text("cli.server.release.flag.platform").In(l))
			fs.StringVar(&signature, "signature", "", cli.Text("cli.server.release_add.flag.signature").In(l))
			fs.StringVar(&pubKey, "public-key", "", cli.Text("cli.server.release_add.flag.public_key").In(l))
		},
		Run: func(ctx context.Context, args []string) error {
			file := args[0]
			m, err := releaseManifest(file, manifest, version, platform, signature)
			if err != nil {
				return err
			}
			if pubKey != "" {
				data, err := os.ReadFile(pubKey)
				if err != nil {
					return err
				}
				pub, err := update.ParsePublicKey(data)
				if err != nil {
					return fmt.Errorf("%s: %w", pubKey, err)
				}
				if err := update.Verify(pub, m); err != nil {
					return fmt.Errorf("%s: %w: sign it with the private key of %s", file, err, pubKey)
				}
			}
			f, err := os.Open(file)
			if err != nil {
				return err
			}
			defer f.Close()
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			r, err := st.AddRelease(ctx, m, f)
			if err != nil {
				return err
			}
			newest, err := st.NewestRelease(ctx, r.Platform)
			if err != nil {
				return err
			}
			text := fmt.Sprintf("published %s (%s, %d bytes, sha256 %s)\nPCs on %s are told at their next sync.", r.ID, r.File, r.Size, r.SHA256, r.Platform)
			if newest.ID != r.ID {
				text = fmt.Sprintf("published %s (%s, %d bytes, sha256 %s)\nnote: %s is newer, and that is the release PCs on %s are told of.", r.ID, r.File, r.Size, r.SHA256, newest.Version, r.Platform)
			}
			return e.print(map[string]any{"ok": true, "release": r, "announced": newest.ID == r.ID}, text)
		},
	}
}

// releaseManifest is the signed manifest of file: read from the manifest
// file, or made from the file with the version, platform and signature.
func releaseManifest(file, manifest, version, platform, signature string) (update.Manifest, error) {
	switch {
	case manifest != "" && (version != "" || platform != "" || signature != ""):
		return update.Manifest{}, cli.Errorf("cli.server.release_add.err.both")
	case manifest != "":
		data, err := os.ReadFile(manifest)
		if err != nil {
			return update.Manifest{}, err
		}
		var m update.Manifest
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&m); err != nil {
			return update.Manifest{}, fmt.Errorf("%s: not a release manifest: %w", manifest, err)
		}
		return m, nil
	case version != "" && platform != "" && signature != "":
		sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(signature))
		if err != nil {
			return update.Manifest{}, cli.Errorf("cli.server.release_add.err.signature")
		}
		m, err := update.Describe(file, version, platform)
		if err != nil {
			return update.Manifest{}, err
		}
		m.Signature = sig
		return m, nil
	}
	return update.Manifest{}, cli.Errorf("cli.server.release_add.err.need")
}

// releaseRow is one line of `release list --json`.
type releaseRow struct {
	central.Release
	Announced bool `json:"announced"` // the newest of its platform: what PCs are told of
}

func releaseListCmd(e *env) *cli.Command {
	return &cli.Command{
		Name:  "release list",
		Usage: "[--json]",
		Short: cli.Text("cli.server.release_list.short"),
		Run: func(ctx context.Context, _ []string) error {
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			rs, err := st.Releases(ctx)
			if err != nil {
				return err
			}
			rows := [][]string{{"ID", "VERSION", "PLATFORM", "FILE", "BYTES", "SHA256", "ADDED", "ANNOUNCED"}}
			out := make([]releaseRow, 0, len(rs))
			for i, r := range rs {
				// Releases lists each platform newest first.
				newest := i == 0 || rs[i-1].Platform != r.Platform
				out = append(out, releaseRow{Release: r, Announced: newest})
				mark := ""
				if newest {
					mark = "yes"
				}
				rows = append(rows, []string{r.ID, r.Version, r.Platform, r.File, fmt.Sprint(r.Size), r.SHA256[:12] + "…", r.AddedAt.Format(time.RFC3339), mark})
			}
			return e.print(map[string]any{"releases": out}, table(rows))
		},
	}
}
