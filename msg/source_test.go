package msg_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

// The tests in this file read the module's Go sources (and the dashboard's
// templates) the way go vet would: every catalogue key the code names
// exists, and no text for people is built outside the catalogue.

// notYetInCatalogue lists files that still build texts for people outside
// the catalogue, with why. An entry goes when its file is converted: the
// test fails while a listed file has nothing left to report, so the list
// only shrinks.
var notYetInCatalogue = map[string]string{}

// moduleRoot is the directory holding go.mod.
func moduleRoot(t *testing.T) string {
	dir, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("no go.mod above msg: %v", err)
	}
	return dir
}

type source struct {
	path string // relative to the module root, with slashes
	fset *token.FileSet
	file *ast.File
}

// sources parses every non-test Go file of the module, the catalogue's own
// package aside.
func sources(t *testing.T) []source {
	root := moduleRoot(t)
	var out []source
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor" || name == "msg" && filepath.Dir(p) == root) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out = append(out, source{filepath.ToSlash(rel), fset, f})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 100 {
		t.Fatalf("found only %d Go files", len(out))
	}
	return out
}

func literal(e ast.Expr) (string, bool) {
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(b.Value)
	return s, err == nil
}

// isCall reports whether call is pkg.name(…).
func isCall(call *ast.CallExpr, pkg, name string) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg
}

// typeName is the name of a composite literal's type without its package:
// "Problem" for domain.Problem, "[]Problem" for []domain.Problem.
func typeName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		return t.Sel.Name
	case *ast.ArrayType:
		if t.Len == nil {
			return "[]" + typeName(t.Elt)
		}
	}
	return ""
}

// keyLike matches literals in the catalogue's own namespaces.
var keyLike = regexp.MustCompile(`^(problem|field|choice|web|server|count|import|export|reference|cli)\.[a-z0-9_]+(\.[A-Za-z0-9_]+)*$`)

// keysNamed lists the catalogue keys a source names: the literal key of
// i18n.T, i18n.Count, msg.T and msg.Count, the Code of a domain.Problem
// literal, and any literal in the catalogue's own namespaces.
func keysNamed(src source) (where, keys []string) {
	add := func(n ast.Node, key string) {
		where = append(where, src.path+":"+strconv.Itoa(src.fset.Position(n.Pos()).Line))
		keys = append(keys, key)
	}
	ast.Inspect(src.file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			var arg ast.Expr
			switch {
			case (isCall(n, "i18n", "T") || isCall(n, "i18n", "Count")) && len(n.Args) > 0:
				arg = n.Args[0]
			case (isCall(n, "msg", "T") || isCall(n, "msg", "Count")) && len(n.Args) > 1:
				arg = n.Args[1]
			}
			if s, ok := literal(arg); ok {
				add(n, s)
				return false
			}
		case *ast.CompositeLit:
			// domain.Problem{Code: "…"}, also inside domain.Problems{{…}}.
			var problems []*ast.CompositeLit
			switch typeName(n.Type) {
			case "Problem":
				problems = append(problems, n)
			case "Problems", "[]Problem":
				for _, e := range n.Elts {
					if p, ok := e.(*ast.CompositeLit); ok {
						problems = append(problems, p)
					}
				}
			}
			for _, p := range problems {
				for _, e := range p.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Code" {
							if s, ok := literal(kv.Value); ok && !keyLike.MatchString(s) {
								add(kv, s)
							}
						}
					}
				}
			}
		case *ast.BasicLit:
			if s, ok := literal(n); ok && keyLike.MatchString(s) {
				add(n, s)
			}
		}
		return true
	})
	return where, keys
}

// TestEveryKeyTheCodeNamesExists: a key misspelt in the code would show as
// a raw key on an operator's screen.
func TestEveryKeyTheCodeNamesExists(t *testing.T) {
	named := 0
	for _, src := range sources(t) {
		where, keys := keysNamed(src)
		for i, k := range keys {
			named++
			if !msg.Has(k) {
				t.Errorf("%s: %q is not in the catalogue", where[i], k)
			}
		}
	}
	// The dashboard's templates name their texts with {{.T "key"}}.
	re := regexp.MustCompile(`\.T\s+"([^"]+)"`)
	templates, _ := filepath.Glob(filepath.Join(moduleRoot(t), "dashboard", "templates", "*.html"))
	for _, p := range templates {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			named++
			if !msg.Has(m[1]) {
				t.Errorf("%s: %q is not in the catalogue", filepath.Base(p), m[1])
			}
		}
	}
	if named < 500 {
		t.Fatalf("found only %d keys in the code: the scan is broken", named)
	}
}

// TestTheKeyScanFindsWhatItLooksFor keeps the key scan honest.
func TestTheKeyScanFindsWhatItLooksFor(t *testing.T) {
	sample := `package x
func f() {
	_ = domain.Problem{Field: "f", Code: "required"}
	_ = domain.Problems{{Field: "f", Code: "mou.expired"}}
	_ = i18n.T("nav.nowhere")
	_ = msg.T(lang, "status.pending", 3)
	_ = "problem.requried"
	_ = ServerError{Code: "http"}
}`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", sample, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, keys := keysNamed(source{"app/x.go", fset, f})
	if got, want := strings.Join(keys, " "), "required mou.expired nav.nowhere status.pending problem.requried"; got != want {
		t.Fatalf("keys named: %s, want %s", got, want)
	}
}

// prose is text a person reads: two words of letters.
var prose = regexp.MustCompile(`\pL{2,}[\s,.:;]+\pL{2,}`)

// sqlStatement is a literal that starts as an SQL statement does: two of
// them side by side (a migration's steps) are no id/en pair.
var sqlStatement = regexp.MustCompile(`^(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|WITH) `)

func isProse(e ast.Expr) bool {
	if s, ok := literal(e); ok {
		return prose.MatchString(s) && !sqlStatement.MatchString(s)
	}
	// "…" + x and fmt.Sprintf("…", …) build text as much as a literal does.
	if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.ADD {
		return isProse(b.X) || isProse(b.Y)
	}
	if c, ok := e.(*ast.CallExpr); ok && (isCall(c, "fmt", "Sprintf") || isCall(c, "fmt", "Errorf") || isCall(c, "errors", "New")) && len(c.Args) > 0 {
		return isProse(c.Args[0])
	}
	return false
}

// mentionsLanguage reports whether e names a language constant.
func mentionsLanguage(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && (sel.Sel.Name == "English" || sel.Sel.Name == "Indonesian") {
			found = true
		}
		return !found
	})
	return found
}

// isPair reports whether t is [2]string.
func isPair(t ast.Expr) bool {
	at, ok := t.(*ast.ArrayType)
	if !ok || at.Len == nil {
		return false
	}
	l, ok := at.Len.(*ast.BasicLit)
	id, isIdent := at.Elt.(*ast.Ident)
	return ok && l.Value == "2" && isIdent && id.Name == "string"
}

func containsProse(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok && isProse(e) {
			found = true
		}
		return !found
	})
	return found
}

// textBuiltOutside reports the ways texts were written before the
// catalogue: an Indonesian/English pair in a [2]string or in two arguments
// of one call, a branch on the language that writes prose, and, in the app,
// an error dialog or a widget given prose directly.
func textBuiltOutside(src source) []string {
	var out []string
	report := func(n ast.Node, what string) {
		out = append(out, fmt.Sprintf("%s:%d: %s", src.path, src.fset.Position(n.Pos()).Line, what))
	}
	app := strings.HasPrefix(src.path, "app/")
	ast.Inspect(src.file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CompositeLit:
			// [2]string{"Indonesian", "English"} or a type of two texts
			// (Text{"…", "…"}), or a map of such pairs.
			if n.Type != nil && len(n.Elts) == 2 && isProse(n.Elts[0]) && isProse(n.Elts[1]) {
				report(n, "an id/en pair in a composite literal: put the texts in msg")
			}
			// Message: "…", MessageEN: "…" in one struct literal.
			fields := map[string]ast.Expr{}
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if k, ok := kv.Key.(*ast.Ident); ok {
						fields[k.Name] = kv.Value
					}
				}
			}
			for name, v := range fields {
				base, ok := strings.CutSuffix(name, "EN")
				if !ok || !isProse(v) {
					continue
				}
				if other, ok := fields[base]; ok && isProse(other) {
					report(n, "texts in two languages in one struct ("+base+", "+name+"): use msg keys")
				} else if other, ok := fields[base+"ID"]; ok && isProse(other) {
					report(n, "texts in two languages in one struct ("+base+"ID, "+name+"): use msg keys")
				}
			}
			if mt, ok := n.Type.(*ast.MapType); ok && isPair(mt.Value) {
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						if p, ok := kv.Value.(*ast.CompositeLit); ok && len(p.Elts) == 2 && isProse(p.Elts[0]) && isProse(p.Elts[1]) {
							report(p, "an id/en pair in a map of [2]string: put the texts in msg")
						}
					}
				}
			}
		case *ast.CallExpr:
			for i := 0; i+1 < len(n.Args); i++ {
				if isProse(n.Args[i]) && isProse(n.Args[i+1]) {
					report(n, "a call given texts in two languages: pass a msg key")
					break
				}
			}
			if app && (isCall(n, "dialog", "ShowError") || isCall(n, "dialog", "ShowInformation") || isCall(n, "dialog", "ShowConfirm") ||
				isCall(n, "widget", "NewLabel") || isCall(n, "widget", "NewButton") || isCall(n, "widget", "NewCheck")) {
				for _, a := range n.Args {
					if isProse(a) {
						report(n, "text for the screen written in the code: use i18n.T")
						break
					}
				}
			}
			if sel, ok := n.Fun.(*ast.SelectorExpr); app && ok && sel.Sel.Name == "SetText" && len(n.Args) == 1 && isProse(n.Args[0]) {
				report(n, "text for the screen written in the code: use i18n.T")
			}
		case *ast.IfStmt:
			if mentionsLanguage(n.Cond) && (containsProse(n.Body) || n.Else != nil && containsProse(n.Else)) {
				report(n, "a branch on the language that writes text: use msg.T with the language")
			}
		case *ast.CaseClause:
			for _, e := range n.List {
				if !mentionsLanguage(e) {
					continue
				}
				for _, s := range n.Body {
					if containsProse(s) {
						report(n, "a case on the language that writes text: use msg.T with the language")
						return true
					}
				}
			}
		}
		return true
	})
	return out
}

// TestNoTextIsBuiltOutsideTheCatalogue: texts for people are catalogue
// keys, so both languages exist and one test checks them.
func TestNoTextIsBuiltOutsideTheCatalogue(t *testing.T) {
	found := map[string][]string{}
	for _, src := range sources(t) {
		if f := textBuiltOutside(src); len(f) > 0 {
			found[src.path] = f
		}
	}
	var paths []string
	for p := range found {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if _, ok := notYetInCatalogue[p]; !ok {
			t.Errorf("%s", strings.Join(found[p], "\n"))
		}
	}
	for p, why := range notYetInCatalogue {
		if len(found[p]) == 0 {
			t.Errorf("%s is listed as not yet in the catalogue (%s) but builds no text any more: take it off the list", p, why)
		}
	}
}

// TestTheScanFindsWhatItLooksFor keeps the scan honest: each way of
// building text outside the catalogue in this sample is found.
func TestTheScanFindsWhatItLooksFor(t *testing.T) {
	sample := `package x
var labels = map[string][2]string{"a": {"Nama lengkap", "Full name"}}
var statuses = map[int][2]string{1: {"sudah diimpor", "imported now"}}
var both = cli.Text{"Kode tidak dikenal", "Code not known"}
func f(lang domain.Lang) string {
	if lang == domain.English { return "the file cannot be read" }
	s.fail(w, 400, "bad", "Kode tidak dikenal lagi", "The code is not known")
	dialog.ShowError(errors.New("tidak bisa disimpan sekarang"), win)
	widget.NewLabel("Belum ada data")
	title.SetText("Simpan data")
	switch lang { case domain.Indonesian: return "baris ditolak semua" }
	_ = &ServerError{Message: "Server menjawab " + status, MessageEN: "server answered " + status}
	return i18n.T("common.save")
}`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", sample, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := textBuiltOutside(source{"app/x.go", fset, f})
	want := []int{2, 3, 4, 6, 7, 8, 9, 10, 11, 12}
	lines := map[int]bool{}
	for _, g := range got {
		n, _ := strconv.Atoi(strings.Split(g, ":")[1])
		lines[n] = true
	}
	for _, l := range want {
		if !lines[l] {
			t.Errorf("line %d of the sample not reported; reported:\n%s", l, strings.Join(got, "\n"))
		}
	}
	if lines[13] {
		t.Errorf("a catalogue lookup reported: %v", got)
	}
	if _, ok := domain.Choices["trainees.sex"]; !ok {
		t.Fatal("domain declares no choices")
	}
}
