package main

import (
	"context"
	"fmt"
	"runtime"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	meta "github.com/kemnaker/blk"
	"github.com/kemnaker/blk/internal/cli"
)

func init() {
	register(func(e *env) *cli.Command {
		return &cli.Command{
			Name:  "version",
			Usage: "[--json]",
			Short: cli.Text("cli.blk.version.short"),
			Run:   func(ctx context.Context, _ []string) error { return runVersion(ctx, e) },
		}
	})
}

func runVersion(_ context.Context, e *env) error {
	r := meta.Current
	key, err := releaseKey()
	if err != nil {
		return err
	}
	keyText := e.say("cli.out.version.key", releaseKeyID(key))
	if len(key) == 0 {
		keyText = e.say("cli.out.version.no_key")
	}
	return e.print(map[string]any{
		"ok": true, "version": r.Version, "build": r.Build,
		"os": runtime.GOOS, "arch": runtime.GOARCH, "go": runtime.Version(),
		"release_key": releaseKeyID(key),
	}, fmt.Sprintf("%s %s (build %d, %s/%s; %s)", r.Name, r.Version, r.Build, runtime.GOOS, runtime.GOARCH, keyText))
}

// setReleaseMetadata gives Fyne's app metadata (which Settings shows) the
// version from FyneApp.toml in builds that did not go through `fyne package`
// (go run, go build); packaged builds already carry it and are left alone.
func setReleaseMetadata(a fyne.App) {
	m := a.Metadata()
	r := meta.Current
	if m.Version == r.Version && m.Build == r.Build {
		return
	}
	m.ID, m.Name, m.Version, m.Build = r.ID, r.Name, r.Version, r.Build
	m.Migrations = r.Migrations
	fyneapp.SetMetadata(m)
}
