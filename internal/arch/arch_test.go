package arch_test

import (
	"bytes"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/kemnaker/blk"

// tags are the build tags the Makefile builds with; they choose files, so
// the rules are checked on what the binaries are made of.
const tags = "migrated_fynedo,no_emoji"

// mayImport is docs/ARCHITECTURE.md's table: for each package (below the
// module, "." being the module's root package; "x/..." is x and every
// package under it, and the most specific entry wins) the module packages
// it may import. Standard library and
// third-party imports are free, except where pure says otherwise and
// where the binaries' link rules below forbid them. A new package needs a
// line here and in the doc.
var mayImport = map[string][]string{
	".":                      {}, // the release facts (version.go): nothing of the project
	"update":                 {},
	"assets":                 {},
	"msg":                    {}, // the catalogue of texts: anyone may read it
	"domain/...":             {"domain/...", "msg", "assets"},
	"sync/wire":              {"domain/..."},
	"sync":                   {"sync/wire", "domain/...", "msg", "update"},
	"sync/server":            {"sync/wire", "central", "domain/...", "msg"},
	"store":                  {"sync/wire", "reference", "domain/...", "msg", "assets"},
	"reference":              {"domain/...", "msg"},
	"central":                {"exchange", "domain/...", "msg", "assets", "update"},
	"exchange":               {"reference", "domain/...", "msg"},
	"exchange/traineeimport": {"exchange", "store", "domain/...", "msg"},
	"exchange/bnspimport":    {"exchange", "store", "domain/...", "msg"},
	"dashboard":              {"central", "domain/...", "msg", "assets"},
	"checkpage":              {"central", "domain/...", "msg"},
	"pdfdoc":                 {"store", "domain/...", "msg", "assets"},
	"demo":                   {"store", "demo/gen", "domain/...", "msg"},
	"demo/gen":               {"domain/...", "reference", "assets"},
	"app/...":                {"app/...", "sync", "store", "exchange/...", "pdfdoc", "domain/...", "msg", "assets", "update"},
	"internal/...":           {"domain/...", "msg"},
	"internal/arch":          {},
	"internal/devtools":      {"domain/...", "msg"},
	"cmd/blk/...": {"app/...", "sync", "sync/wire", "store", "exchange/...", "pdfdoc", "demo",
		"domain/...", "msg", "assets", "internal/...", ".", "update"},
	"cmd/blk-server": {"sync/server", "sync/wire", "central", "dashboard", "checkpage", "exchange", "demo/gen", "domain/...", "msg", "assets", "internal/...", ".", "update"},
}

// pure packages may import the standard library and these alone: the
// domain and the wire are shared by both binaries and must stay I/O-free.
var pure = map[string][]string{
	"msg":        {},
	"domain/...": {"github.com/google/uuid"},
	"sync/wire":  {},
	"sync":       {},
	"reference":  {},
}

// mustNotLink are the link rules: packages a binary must not contain
// (full import paths; "x/..." is x and everything under it).
var mustNotLink = map[string][]string{
	"./cmd/blk": {"github.com/jackc/pgx/...", module + "/central/...", module + "/dashboard/...", module + "/sync/server", module + "/checkpage",
		module + "/internal/devtools"}, // developer builds only (-tags devtools)
	"./cmd/blk-server": {module + "/store/...", module + "/app/...", module + "/exchange/traineeimport", module + "/exchange/bnspimport", module + "/sync",
		"fyne.io/..."},
}

// goList runs `go list` from the module root with the build tags.
func goList(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-tags", tags}, args...)...)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

// matches reports whether pkg (below the module) is named by pattern.
func matches(pattern, pkg string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == base || strings.HasPrefix(pkg, base+"/")
	}
	return pkg == pattern
}

// ruleFor is the most specific entry of table naming pkg.
func ruleFor[T any](table map[string]T, pkg string) (string, T, bool) {
	best, found := "", false
	var rule T
	for pattern, r := range table {
		if !matches(pattern, pkg) {
			continue
		}
		// An exact name beats a pattern; a longer pattern beats a shorter.
		specific := func(p string) int {
			n := 2 * len(strings.TrimSuffix(p, "/..."))
			if !strings.HasSuffix(p, "/...") {
				n++
			}
			return n
		}
		if !found || specific(pattern) > specific(best) {
			best, rule, found = pattern, r, true
		}
	}
	return best, rule, found
}

func TestPackagesImportOnlyWhatTheArchitectureAllows(t *testing.T) {
	out := goList(t, nil, "-f", "{{.ImportPath}}\t{{join .Imports \" \"}}", module+"/...")
	checked := 0
	for line := range strings.Lines(out) {
		path, imports, _ := strings.Cut(strings.TrimSpace(line), "\t")
		pkg := inModule(path)
		pattern, allowed, ok := ruleFor(mayImport, pkg)
		if !ok {
			t.Errorf("%s is in no line of the import table: add it to mayImport here and to docs/ARCHITECTURE.md", pkg)
			continue
		}
		checked++
		_, thirdParty, isPure := ruleFor(pure, pkg)
		for imp := range strings.FieldsSeq(imports) {
			if inner := inModule(imp); inner != imp {
				if !anyMatches(allowed, inner) {
					t.Errorf("%s imports %s, which its line (%q) in docs/ARCHITECTURE.md does not allow", pkg, inner, pattern)
				}
				continue
			}
			if isPure && strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") && !anyPrefix(thirdParty, imp) {
				t.Errorf("%s imports %s: it may use only the standard library and %v", pkg, imp, thirdParty)
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d packages checked: go list found too little", checked)
	}
}

// inModule is path below the module ("." for its root), or path itself
// when it is not the module's.
func inModule(path string) string {
	if path == module {
		return "."
	}
	if inner, ok := strings.CutPrefix(path, module+"/"); ok {
		return inner
	}
	return path
}

func anyMatches(patterns []string, pkg string) bool {
	for _, p := range patterns {
		if matches(p, pkg) {
			return true
		}
	}
	return false
}

func anyPrefix(prefixes []string, path string) bool {
	for _, p := range prefixes {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

func TestEachBinaryLinksOnlyItsOwnHalf(t *testing.T) {
	// Windows is where the desktop ships, so its build is checked too
	// (go list needs no cross compiler).
	for _, goos := range []string{"linux", "windows"} {
		for bin, forbidden := range mustNotLink {
			deps := goList(t, []string{"GOOS=" + goos, "GOARCH=amd64", "CGO_ENABLED=1"}, "-deps", bin)
			var bad []string
			n := 0
			for dep := range strings.Lines(deps) {
				dep = strings.TrimSpace(dep)
				n++
				if anyMatches(forbidden, dep) {
					bad = append(bad, dep)
				}
			}
			if n < 50 {
				t.Fatalf("%s on %s: only %d dependencies listed", bin, goos, n)
			}
			sort.Strings(bad)
			if len(bad) > 0 {
				t.Errorf("%s on %s links what belongs to the other binary: %s", bin, goos, strings.Join(bad, ", "))
			}
		}
	}
}
