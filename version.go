// Package blk holds the release facts both binaries share. FyneApp.toml is
// the single source of the version: `fyne package` stamps it into blk.exe,
// the installer's name and Add/Remove Programs entry come from it (Makefile),
// and this package embeds it so `blk version` and Settings say the same.
// It imports nothing of the project and may not.
package blk

import (
	_ "embed"
	"fmt"

	"github.com/BurntSushi/toml"
)

//go:embed FyneApp.toml
var fyneAppTOML string

// Release is what FyneApp.toml's [Details] says about this build.
type Release struct {
	ID      string // the app id, for preferences and storage
	Name    string // shown to people
	Version string // semantic version, e.g. 0.1.0
	Build   int    // increases with every package of the same version
	// Migrations are the Fyne behaviour switches of [Migrations] (fyneDo).
	Migrations map[string]bool `toml:"-"`
}

// Current is this binary's release, read from the embedded FyneApp.toml.
var Current = mustParseRelease(fyneAppTOML)

// Version is Current.Version: the string `blk version` prints.
func Version() string { return Current.Version }

func mustParseRelease(s string) Release {
	r, err := parseRelease(s)
	if err != nil {
		// FyneApp.toml is compiled in: a broken one is a build defect that
		// the package's test catches before anything ships.
		panic(err)
	}
	return r
}

func parseRelease(s string) (Release, error) {
	var f struct {
		Details    Release
		Migrations map[string]bool
	}
	if _, err := toml.Decode(s, &f); err != nil {
		return Release{}, fmt.Errorf("FyneApp.toml: %w", err)
	}
	if f.Details.Version == "" || f.Details.ID == "" {
		return Release{}, fmt.Errorf("FyneApp.toml: [Details] needs ID and Version")
	}
	f.Details.Migrations = f.Migrations
	return f.Details, nil
}
