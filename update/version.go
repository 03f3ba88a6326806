// Package update is what a desktop needs to take a new release of itself
// safely: release versions and their order (never a downgrade), the signed
// manifest that describes one release file, ed25519 signing and
// verification against a public key compiled into the app, a resumable
// download that is gentle on a slow link, the Updater that puts these
// together in the background (refuse, download, verify, keep, offer,
// install), and what installing means on each platform (Plan): the silent
// installer through Windows' UAC prompt, or a tarball unpacked beside the
// program on Linux, then a restart as the same user. It uses the standard
// library only (and golang.org/x/sys on Windows) and knows nothing of the
// sync protocol, the server's storage or the UI, which wire it in.
package update

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a semantic version, MAJOR.MINOR.PATCH with an optional
// pre-release (1.2.0-rc.1). Build metadata (+…) is not used in releases and
// is refused, so that two different files can never claim one version.
type Version struct {
	Major, Minor, Patch int
	Pre                 []string // pre-release identifiers, nil for a release
}

// ParseVersion reads "1.2.3" or "1.2.3-rc.1" (a leading "v" is allowed).
func ParseVersion(s string) (Version, error) {
	orig := s
	s = strings.TrimPrefix(s, "v")
	var v Version
	core, pre, hasPre := strings.Cut(s, "-")
	if strings.Contains(s, "+") {
		return Version{}, fmt.Errorf("version %q: build metadata (+…) is not allowed in a release version", orig)
	}
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return Version{}, fmt.Errorf("version %q: want MAJOR.MINOR.PATCH, e.g. 1.4.0", orig)
	}
	var nums [3]int
	for i, p := range parts {
		n, err := numericIdentifier(p)
		if err != nil {
			return Version{}, fmt.Errorf("version %q: %w", orig, err)
		}
		nums[i] = n
	}
	v.Major, v.Minor, v.Patch = nums[0], nums[1], nums[2]
	if hasPre {
		for _, id := range strings.Split(pre, ".") {
			if id == "" || strings.Trim(id, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") != "" {
				return Version{}, fmt.Errorf("version %q: pre-release %q must be dot-separated letters, digits and hyphens", orig, pre)
			}
			if isDigits(id) && len(id) > 1 && id[0] == '0' {
				return Version{}, fmt.Errorf("version %q: numeric pre-release %q has a leading zero", orig, id)
			}
			v.Pre = append(v.Pre, id)
		}
	}
	return v, nil
}

func numericIdentifier(p string) (int, error) {
	if p == "" || !isDigits(p) {
		return 0, fmt.Errorf("%q is not a number", p)
	}
	if len(p) > 1 && p[0] == '0' {
		return 0, fmt.Errorf("%q has a leading zero", p)
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		return 0, fmt.Errorf("%q is too large", p)
	}
	return n, nil
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func (v Version) String() string {
	s := fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
	if len(v.Pre) > 0 {
		s += "-" + strings.Join(v.Pre, ".")
	}
	return s
}

// Compare orders versions by semantic-version precedence: -1 when v is
// older than w, 0 when equal, +1 when newer. A pre-release is older than its
// release (1.2.0-rc.1 < 1.2.0).
func (v Version) Compare(w Version) int {
	for _, d := range []int{v.Major - w.Major, v.Minor - w.Minor, v.Patch - w.Patch} {
		if d != 0 {
			return sign(d)
		}
	}
	switch {
	case len(v.Pre) == 0 && len(w.Pre) == 0:
		return 0
	case len(v.Pre) == 0:
		return 1
	case len(w.Pre) == 0:
		return -1
	}
	for i := 0; i < len(v.Pre) && i < len(w.Pre); i++ {
		if c := comparePre(v.Pre[i], w.Pre[i]); c != 0 {
			return c
		}
	}
	return sign(len(v.Pre) - len(w.Pre))
}

// comparePre orders two pre-release identifiers: numbers numerically and
// below words, words in ASCII order.
func comparePre(a, b string) int {
	an, bn := isDigits(a), isDigits(b)
	switch {
	case an && bn:
		if len(a) != len(b) { // no leading zeros: longer is larger
			return sign(len(a) - len(b))
		}
		return strings.Compare(a, b)
	case an:
		return -1
	case bn:
		return 1
	}
	return strings.Compare(a, b)
}

func sign(d int) int {
	switch {
	case d < 0:
		return -1
	case d > 0:
		return 1
	}
	return 0
}
