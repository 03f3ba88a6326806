// Package i18n is the desktop app's front to the message catalogue (package
// msg): it holds the language chosen for the screens and looks texts up in
// it, so a screen writes i18n.T("nav.trainees") and never passes the
// language around. The language can change at run time (the app rebuilds
// its screens). It has no Fyne dependency and no I/O.
package i18n

import (
	"io/fs"
	"sync/atomic"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

var current atomic.Value // domain.Lang

func init() { current.Store(domain.Indonesian) }

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
// (fmt verbs); see msg.T.
func T(key string, args ...any) string { return msg.T(Lang(), key, args...) }

// Count returns the text of key for n things in the current language
// ("1 trainee", "2 trainees"); see msg.Count.
func Count(key string, n int, args ...any) string { return msg.Count(Lang(), key, n, args...) }

// N writes a whole number with the current language's thousands separator.
func N(n int64) string { return msg.N(Lang(), n) }

// Keys lists every key known in lang.
func Keys(l domain.Lang) []string { return msg.Keys(l) }

// MustRegister adds a package's own id.json and en.json (in dir of fsys)
// to the catalogue, from the package's init; a key the catalogue already
// has stops the program. New texts belong in the catalogue itself (msg/id,
// msg/en); this remains for screens that still carry their own files.
func MustRegister(fsys fs.FS, dir string) {
	if err := msg.Register(fsys, dir); err != nil {
		panic(err)
	}
}
