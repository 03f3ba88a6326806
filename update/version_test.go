package update_test

import (
	"sort"
	"testing"

	"github.com/kemnaker/blk/update"
)

func TestVersionsSortBySemverPrecedence(t *testing.T) {
	// the order semver.org gives, shuffled
	want := []string{"0.1.0", "0.9.0", "0.10.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
		"1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"}
	got := []string{"1.0.0", "2.0.0", "1.0.0-beta.11", "0.10.0", "1.0.0-alpha.beta", "0.1.0", "1.1.0",
		"1.0.0-rc.1", "1.0.0-alpha", "1.0.1", "1.0.0-beta.2", "0.9.0", "1.0.0-alpha.1", "1.0.0-beta"}
	sort.Slice(got, func(i, j int) bool {
		a, _ := update.ParseVersion(got[i])
		b, _ := update.ParseVersion(got[j])
		return a.Compare(b) < 0
	})
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sorted = %v\nwant     %v", got, want)
		}
	}
}

func TestParseVersion(t *testing.T) {
	for _, c := range []struct {
		in, want string // want "" when it must be refused
	}{
		{"0.1.0", "0.1.0"},
		{"v1.2.3", "1.2.3"},
		{"1.2.3-rc.1", "1.2.3-rc.1"},
		{"1.2", ""},
		{"1.2.3.4", ""},
		{"01.2.3", ""},
		{"1.2.x", ""},
		{"1.2.3-", ""},
		{"1.2.3-rc..1", ""},
		{"1.2.3-rc.01", ""},
		{"1.2.3+build.5", ""},
		{"", ""},
		{"99999999999999999999.0.0", ""},
	} {
		v, err := update.ParseVersion(c.in)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("ParseVersion(%q) = %v, want an error", c.in, v)
		case c.want != "" && (err != nil || v.String() != c.want):
			t.Errorf("ParseVersion(%q) = %v, %v; want %s", c.in, v, err, c.want)
		}
	}
}
