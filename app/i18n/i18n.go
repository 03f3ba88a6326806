// Package i18n holds the user-interface strings of the desktop app in
// Indonesian (the default) and English, and the language currently chosen.
// Screens look strings up with T; the language can change at run time (the
// app rebuilds its screens). It has no Fyne dependency and no I/O beyond
// reading embedded files.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	gosync "sync"
	"sync/atomic"

	"github.com/kemnaker/blk/assets"
	"github.com/kemnaker/blk/domain"
)

var (
	current atomic.Value // domain.Lang
	mu      gosync.RWMutex
	tables  = map[domain.Lang]map[string]string{}
)

func init() {
	current.Store(domain.Indonesian)
	if err := Register(assets.Translations, "translations"); err != nil {
		panic(err)
	}
}

// Register loads id.json and en.json (flat {"key": "text"} objects) from dir
// of fsys. Packages with screens of their own may register extra files; a
// key registered twice keeps the last text.
func Register(fsys fs.FS, dir string) error {
	mu.Lock()
	defer mu.Unlock()
	for _, l := range []domain.Lang{domain.Indonesian, domain.English} {
		data, err := fs.ReadFile(fsys, path.Join(dir, string(l)+".json"))
		if err != nil {
			return fmt.Errorf("translations %s: %w", l, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			return fmt.Errorf("translations %s/%s.json: %w", dir, l, err)
		}
		if tables[l] == nil {
			tables[l] = map[string]string{}
		}
		for k, v := range m {
			tables[l][k] = v
		}
	}
	return nil
}

// SetLang chooses the language of every later T.
func SetLang(l domain.Lang) {
	if l != domain.English {
		l = domain.Indonesian
	}
	current.Store(l)
}

// Lang is the language in use.
func Lang() domain.Lang { return current.Load().(domain.Lang) }

// T returns the text of key in the current language, formatted with args
// (fmt verbs). A key missing in English falls back to Indonesian, and a key
// missing in both is returned as it is, so a gap shows instead of crashing.
func T(key string, args ...any) string {
	mu.RLock()
	s, ok := tables[Lang()][key]
	if !ok {
		s, ok = tables[domain.Indonesian][key]
	}
	mu.RUnlock()
	if !ok {
		s = key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Keys lists every key known in lang (for the test that both languages match).
func Keys(l domain.Lang) []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(tables[l]))
	for k := range tables[l] {
		out = append(out, k)
	}
	return out
}

// MustRegister is Register for a package's own embedded translations, called
// from its init: a broken file there is a build mistake, not a user's.
func MustRegister(fsys fs.FS, dir string) {
	if err := Register(fsys, dir); err != nil {
		panic(err)
	}
}
