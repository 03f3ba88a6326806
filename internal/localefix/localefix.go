// Package localefix makes Indonesian the locale when the OS gives none or
// the "C"/"POSIX" locale, before Fyne's lang package reads it (Fyne logs
// "Error parsing user locale C" otherwise, on every command). Go initialises
// packages in import-path order once their dependencies are ready; this one
// has none of its own and sorts before go-i18n, which Fyne's lang package
// needs, so it runs first. Import it for its side effect from main only.
package localefix

import (
	"os"
	"strings"
)

func init() {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(k)
		if v == "" {
			continue
		}
		if base, _, _ := strings.Cut(v, "."); base != "C" && base != "POSIX" {
			return // a real locale: leave it alone
		}
		os.Unsetenv(k)
	}
	os.Setenv("LANG", "id_ID.UTF-8")
}
