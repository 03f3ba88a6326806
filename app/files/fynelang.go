package files

import (
	"encoding/json"
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

func urlOf(u fyne.URI) (*url.URL, error) { return url.Parse(u.String()) }

// fyneKeys are the texts Fyne's own widgets and dialogs look up with
// lang.L / lang.X; ours are the catalogue keys fyne.<key>.
var fyneKeys = []string{
	"Advanced", "Cancel", "Confirm", "Copy", "Create Folder", "Cut", "Enter filename", "Error",
	"Favourites", "File", "Folder", "New Folder", "No", "OK", "Open", "Paste", "Quit", "Redo",
	"Save", "Select all", "Show Hidden Files", "Undo", "Yes", "(Parent)",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"monday.short", "tuesday.short", "wednesday.short", "thursday.short", "friday.short", "saturday.short", "sunday.short",
}

// fynePlural are Fyne's keys with plural forms (lang.X with a count).
var fynePlural = []string{"file.name", "file.parent"}

// FyneTranslations is Fyne's translation file for lang, built from the
// catalogue: a JSON object of Fyne's keys.
func FyneTranslations(l domain.Lang) []byte {
	m := map[string]any{}
	for _, k := range fyneKeys {
		m[k] = msg.T(l, "fyne."+k)
	}
	for _, k := range fynePlural {
		m[k] = map[string]string{"other": msg.T(l, "fyne."+k)}
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
