package blk

import (
	"os"
	"regexp"
	"testing"
)

func TestCurrentComesFromFyneAppTOML(t *testing.T) {
	raw, err := os.ReadFile("FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Version\s*=\s*"([^"]+)"`).FindSubmatch(raw)
	if m == nil {
		t.Fatal("FyneApp.toml has no Version line")
	}
	if Version() != string(m[1]) {
		t.Errorf("Version() = %q, FyneApp.toml says %q", Version(), m[1])
	}
	if !Current.Migrations["fyneDo"] {
		t.Error("Current.Migrations lacks fyneDo = true from FyneApp.toml")
	}
	if Current.ID != "id.go.kemnaker.blk" || Current.Name == "" || Current.Build < 1 {
		t.Errorf("Current = %+v, want the app id, a name and a build number", Current)
	}
	// The installer's version resource needs four numbers (major.minor.patch.build).
	if !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(Version()) {
		t.Errorf("Version() = %q, want major.minor.patch", Version())
	}
}

func TestParseReleaseRefusesMissingVersion(t *testing.T) {
	if _, err := parseRelease("[Details]\nID = \"x\"\n"); err == nil {
		t.Error("a FyneApp.toml without Version was accepted")
	}
	if _, err := parseRelease("[Details\n"); err == nil {
		t.Error("broken TOML was accepted")
	}
}
