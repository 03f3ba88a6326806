package files

import (
	"encoding/json"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

func urlOf(u fyne.URI) (*url.URL, error) { return url.Parse(u.String()) }

// fynePrefix marks the catalogue's keys that translate Fyne's own texts:
// fyne.Cancel is what Fyne looks up as "Cancel". Keys under fyne.file.
// have plural forms in Fyne (lang.X with a count).
const fynePrefix = "fyne."

// FyneTranslations is Fyne's translation file for lang, built from the
// catalogue: a JSON object of Fyne's keys.
func FyneTranslations(l domain.Lang) []byte {
	m := map[string]any{}
	for _, key := range msg.Keys(l) {
		k, ok := strings.CutPrefix(key, fynePrefix)
		if !ok {
			continue
		}
		if strings.HasPrefix(k, "file.") {
			m[k] = map[string]string{"other": msg.T(l, key)}
		} else {
			m[k] = msg.T(l, key)
		}
	}
	b, _ := json.Marshal(m)
	return b
}

// UseLanguage makes Fyne's own texts speak l. Fyne picks its language
// from the OS, which may differ from the one the operator chose, so the
// texts are registered for Indonesian and for the OS's language alike;
// later registrations replace earlier ones, which lets a switch of
// language at run time take effect for the next dialog.
func UseLanguage(l domain.Lang) error {
	data := FyneTranslations(l)
	for _, loc := range []fyne.Locale{"id", fyne.Locale(lang.SystemLocale().LanguageString())} {
		if err := lang.AddTranslationsForLocale(data, loc); err != nil {
			return err
		}
	}
	return nil
}
