// Package msg is the one catalogue of the texts people read: validation
// problems, field and choice labels, the desktop's screens, the sync
// server's answers and the ministry dashboard, in Indonesian (the default)
// and English, each looked up by a namespaced key ("problem.required",
// "field.name", "nav.trainees", "server.update_app", "web.nav.overview").
// It also writes numbers with the language's thousands separator and picks
// English plurals.
//
// The texts live in id/*.json and en/*.json beside this file: flat
// {"key": "text"} objects, one file per area (the file name only helps
// people find things). A text may instead be {"one": "…", "other": "…"} for
// a count (see Count). A key defined twice, in one file or in two, stops the
// program at start; a test checks that every key exists in both languages
// with the same fmt verbs, and that no text for people is built outside
// this catalogue.
//
// It depends on the standard library only, so domain, the app, the server
// and exchange can all import it; it does no I/O beyond its embedded files.
package msg

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	gosync "sync"
)

// Lang is a language of the user interface.
type Lang string

const (
	Indonesian Lang = "id"
	English    Lang = "en"
)

// Langs are the languages every key must have, the fallback first.
var Langs = []Lang{Indonesian, English}

// ParseLang maps a locale such as "en_US.UTF-8" or "C" to a language;
// Indonesian is the fallback for anything unknown.
func ParseLang(s string) Lang {
	if strings.HasPrefix(strings.ToLower(s), "en") {
		return English
	}
	return Indonesian
}

// text is one key's text in one language: one form for every count, or
// the English singular and plural.
type text struct {
	one, other string
	source     string // the file it came from, for error messages
}

var (
	mu     gosync.RWMutex
	tables = map[Lang]map[string]text{}
)

//go:embed id/*.json en/*.json
var files embed.FS

func init() {
	for _, l := range Langs {
		tables[l] = map[string]text{}
		names, err := fs.Glob(files, string(l)+"/*.json")
		if err != nil {
			panic(err)
		}
		for _, name := range names {
			if err := load(files, name, l); err != nil {
				panic(err)
			}
		}
	}
}

// Register adds id.json and en.json from dir of fsys: a package's own
// texts, in the catalogue's format. A key that is already in the catalogue
// is an error, as it is for the catalogue's own files. Prefer adding texts
// to the catalogue itself; this exists so a package can keep its texts
// beside it while it moves.
func Register(fsys fs.FS, dir string) error {
	for _, l := range Langs {
		if err := load(fsys, path.Join(dir, string(l)+".json"), l); err != nil {
			return err
		}
	}
	return nil
}

// load reads one file of lang l into the catalogue.
func load(fsys fs.FS, name string, l Lang) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("msg: %w", err)
	}
	entries, err := parse(data)
	if err != nil {
		return fmt.Errorf("msg: %s: %w", name, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if tables[l] == nil {
		tables[l] = map[string]text{}
	}
	for _, e := range entries {
		if old, ok := tables[l][e.key]; ok {
			return fmt.Errorf("msg: key %q is defined twice (%s and %s)", e.key, old.source, name)
		}
		e.text.source = name
		tables[l][e.key] = e.text
	}
	return nil
}

type entry struct {
	key  string
	text text
}

// parse reads a flat object of texts, refusing a key that appears twice
// (encoding/json would silently keep the last).
func parse(data []byte) ([]entry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object of texts")
	}
	seen := map[string]bool{}
	var out []entry
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string)
		if seen[key] {
			return nil, fmt.Errorf("key %q is defined twice", key)
		}
		seen[key] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("key %q: %w", key, err)
		}
		var t text
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			t.one, t.other = s, s
		} else {
			var forms struct{ One, Other string }
			d := json.NewDecoder(bytes.NewReader(raw))
			d.DisallowUnknownFields()
			if err := d.Decode(&forms); err != nil || forms.One == "" || forms.Other == "" {
				return nil, fmt.Errorf("key %q: want a text or {\"one\": …, \"other\": …}", key)
			}
			t.one, t.other = forms.One, forms.Other
		}
		out = append(out, entry{key, t})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the object")
	}
	return out, nil
}

// lookup finds key in l, falling back to Indonesian.
func lookup(l Lang, key string) (text, bool) {
	mu.RLock()
	defer mu.RUnlock()
	if t, ok := tables[l][key]; ok {
		return t, true
	}
	t, ok := tables[Indonesian][key]
	return t, ok
}

// T returns the text of key in l, formatted with args (fmt verbs). A key
// missing in English falls back to Indonesian, and a key missing in both
// comes back as it is, so a gap shows on screen instead of crashing (the
// catalogue's tests keep such gaps out of the code).
func T(l Lang, key string, args ...any) string {
	t, ok := lookup(l, key)
	if !ok {
		return key
	}
	if len(args) == 0 {
		return t.other
	}
	return fmt.Sprintf(t.other, args...)
}

// Has reports whether key is in the catalogue.
func Has(key string) bool {
	_, ok := lookup(Indonesian, key)
	return ok
}

// Count returns the text of key for n things: the singular or plural form
// in English, the one form in Indonesian. The text's first verb gets n
// written with N ("%s trainees" → "20,000 trainees"); args follow it.
func Count[I integer](l Lang, key string, n I, args ...any) string {
	t, ok := lookup(l, key)
	if !ok {
		return key
	}
	f := t.other
	if l == English && n == 1 {
		f = t.one
	}
	return fmt.Sprintf(f, append([]any{N(l, n)}, args...)...)
}

// Keys lists every key of l, sorted.
func Keys(l Lang) []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(tables[l]))
	for k := range tables[l] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Verify lists what is wrong with the catalogue as loaded: keys missing in
// a language, and texts whose fmt verbs differ between languages or
// between a text's singular and plural. Empty means sound.
func Verify() []string {
	mu.RLock()
	defer mu.RUnlock()
	var out []string
	all := map[string]bool{}
	for _, l := range Langs {
		for k := range tables[l] {
			all[k] = true
		}
	}
	for k := range all {
		plural := false
		for _, l := range Langs {
			if t, ok := tables[l][k]; ok && t.one != t.other {
				plural = true
			}
		}
		var ref []string
		for i, l := range Langs {
			t, ok := tables[l][k]
			if !ok {
				out = append(out, fmt.Sprintf("%s: missing in %s", k, l))
				continue
			}
			if t.other == "" {
				out = append(out, fmt.Sprintf("%s: empty in %s (%s)", k, l, t.source))
			}
			v := verbs(t.other)
			if vo := verbs(t.one); !equal(v, vo) {
				out = append(out, fmt.Sprintf("%s: singular and plural in %s use different verbs (%v, %v)", k, l, vo, v))
			}
			if plural && !slices.Contains(v, "1:s") {
				out = append(out, fmt.Sprintf("%s: a count's first verb in %s must be %%s (Count writes the number)", k, l))
			}
			if i == 0 {
				ref = v
			} else if ref != nil && !equal(ref, v) {
				out = append(out, fmt.Sprintf("%s: verbs differ between %s %v and %s %v", k, Langs[0], ref, l, v))
			}
		}
	}
	sort.Strings(out)
	return out
}

// verbs lists, for each argument a format uses, its verb: "1:d", "2:s",
// sorted by argument, so "%d of %s" and "%[2]s has %[1]d" agree (a
// translation may reorder its arguments with explicit indexes). A literal
// "%%" is not a verb, nor is a percent sign before a space ("% lulus" in a
// text that is never formatted).
func verbs(f string) []string {
	var out []string
	arg := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		j := i + 1
		explicit := 0
		for j < len(f) && strings.IndexByte("+-#0123456789.[]*", f[j]) >= 0 {
			if f[j] == '[' {
				k := strings.IndexByte(f[j:], ']')
				if k < 0 {
					break
				}
				explicit, _ = strconv.Atoi(f[j+1 : j+k])
				j += k
			}
			j++
		}
		if j < len(f) && f[j] != '%' && f[j] != ' ' {
			if explicit > 0 {
				arg = explicit
			} else {
				arg++
			}
			out = append(out, fmt.Sprintf("%d:%c", arg, f[j]))
		}
		i = j
	}
	sort.Strings(out)
	if out == nil {
		out = []string{}
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
