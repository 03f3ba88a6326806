package arch_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// holdsTheStore are the app packages that may hold the concrete store:
// the shell (app), which opens nothing but is handed *store.Store and
// gives each screen its own interface of it (app/nav.go), and the test
// helpers. Every other package under app/ is a screen or a screen's part
// and reaches the store only through the Store interface it declares.
var holdsTheStore = []string{"app", "app/internal/..."}

// notTheStore are what a screen may not name in package store: the
// concrete type, and the functions that open one.
var notTheStore = map[string]bool{"Store": true, "Open": true, "OpenChecking": true}

// syncInternal are the methods of sync.Local (the desktop database as the
// sync client needs it: outbox, inbox, cursors, device identity, the
// client's settings and clock offset). No screen may call or declare one.
// LocalTime is not among them: it only reads the PC's clock.
var syncInternal = []string{
	"PendingChanges", "PendingCount", "PushedSeq", "SetPushedSeq", "AddRejections",
	"ResolutionsToSend", "ResolutionsSent", "RebaseFutureClocks", "ReconcileOutbox", "PruneOutbox",
	"PullCursor", "RefCursor", "PullFull", "ApplyPull", "ApplyRemote", "PullForSchema", "SaveConflicts",
	"DeviceID", "CentreID", "JoinCentre", "Meta", "SetMeta", "ClockOffset", "SetClockOffset",
}

// syncFacing are the sync's results an operator acts on: only the sync
// screen shows them.
var syncFacing = map[string]string{"Rejections": "app/syncui", "Conflicts": "app/syncui", "ResolveConflict": "app/syncui"}

// TestScreensReachTheStoreOnlyThroughTheirInterfaces checks the rule of
// docs/ARCHITECTURE.md ("Screens and the store"): a screen package names
// neither *store.Store nor store.Open (it may use the store's types:
// Query, CohortLabel, Tx, Changed…), and names no sync-internal method,
// neither in the interface it declares nor in a call. Test files are free:
// they open real stores. Interfaces embedded from other packages are
// checked by app's TestScreenStoresHoldNoSyncInternals.
func TestScreensReachTheStoreOnlyThroughTheirInterfaces(t *testing.T) {
	internal := map[string]bool{}
	for _, m := range syncInternal {
		internal[m] = true
	}
	out := goList(t, nil, "-f", "{{.ImportPath}}\t{{.Dir}}\t{{join .GoFiles \" \"}}", module+"/app/...")
	checked := 0
	for line := range strings.Lines(out) {
		fields := strings.Split(strings.TrimSpace(line), "\t")
		if len(fields) < 3 {
			continue
		}
		pkg, dir := inModule(fields[0]), fields[1]
		if anyMatches(holdsTheStore, pkg) {
			continue
		}
		checked++
		for name := range strings.FieldsSeq(fields[2]) {
			path := filepath.Join(dir, name)
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			storeName := importName(f, module+"/store")
			imported := map[string]bool{}
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				imported[importName(f, p)] = true
			}
			rel := pkg + "/" + name
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if id, ok := n.X.(*ast.Ident); ok && storeName != "" && id.Name == storeName && notTheStore[n.Sel.Name] {
						t.Errorf("%s:%d names store.%s: a screen takes its own Store interface in its constructor (app/nav.go hands over the store)",
							rel, fset.Position(n.Pos()).Line, n.Sel.Name)
					}
					if id, ok := n.X.(*ast.Ident); ok && imported[id.Name] {
						return true // a package's name (domain.Meta), not a method
					}
					checkMethod(t, fset, rel, pkg, n.Sel, internal)
				case *ast.InterfaceType:
					for _, m := range n.Methods.List {
						for _, id := range m.Names {
							checkMethod(t, fset, rel, pkg, id, internal)
						}
					}
				}
				return true
			})
		}
	}
	if checked < 10 {
		t.Fatalf("only %d screen packages checked: go list found too little", checked)
	}
}

// checkMethod reports id when it names a sync-internal method, or a
// sync-facing one outside the sync screen.
func checkMethod(t *testing.T, fset *token.FileSet, file, pkg string, id *ast.Ident, internal map[string]bool) {
	t.Helper()
	if internal[id.Name] {
		t.Errorf("%s:%d names %s, a sync internal: only the sync client (package sync) may use it",
			file, fset.Position(id.Pos()).Line, id.Name)
	}
	if owner, ok := syncFacing[id.Name]; ok && pkg != owner {
		t.Errorf("%s:%d names %s: only %s shows the sync's results", file, fset.Position(id.Pos()).Line, id.Name, owner)
	}
}

// importName is the name f uses for the package at path ("" when f does
// not import it).
func importName(f *ast.File, path string) string {
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if p != path {
			continue
		}
		if imp.Name != nil {
			return imp.Name.Name
		}
		return filepath.Base(p)
	}
	return ""
}
