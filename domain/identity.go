package domain

import (
	"strings"
	"unicode"
)

// A NIK says who a person is, but a typo'd NIK in a list would make one
// person into another. These rules say when two records of the same NIK
// describe different people: a name that differs once titles, case,
// spacing and punctuation are set aside, another sex, another birth date.

// honorifics are the titles written before a name (H., Hj., Dr., K.H., Ust.).
var honorifics = map[string]bool{
	"h": true, "hj": true, "haji": true, "hajjah": true, "kh": true, "k": true, "dr": true, "drs": true, "dra": true,
	"ir": true, "prof": true, "ust": true, "ustadz": true, "ustaz": true, "ustadzah": true, "ustazah": true,
	"ny": true, "nyai": true, "tn": true, "sdr": true, "sdri": true, "bpk": true, "bapak": true, "ibu": true,
	"gus": true, "habib": true, "syekh": true, "raden": true, "rd": true,
}

// degrees are academic titles written after a name (S.Pd., S.Ag., A.Md.,
// M.Pd.I), folded to their letters.
var degrees = map[string]bool{
	"spd": true, "spdi": true, "sag": true, "se": true, "sh": true, "shi": true, "skom": true, "st": true,
	"ssos": true, "sip": true, "sthi": true, "ssi": true, "sked": true, "sfarm": true, "skep": true, "sp": true,
	"spsi": true, "sei": true, "sadm": true, "ssosi": true, "sts": true, "sak": true,
	"mpd": true, "mpdi": true, "mag": true, "mm": true, "msi": true, "mkom": true, "mt": true, "mh": true, "mhi": true,
	"amd": true, "amdkeb": true, "amdkep": true, "amdkom": true, "lc": true, "ma": true, "mba": true, "phd": true,
}

// NameKey folds a person's name for comparison: lower case, letters only,
// no spaces or punctuation, without honorifics before it or academic
// degrees after it. "Hj. Siti  Aminah, S.Pd." and "SITI AMINAH" have one key.
func NameKey(name string) string {
	// Degrees follow a comma in Indonesian: "Siti Aminah, S.Pd., M.Pd."
	if i := strings.IndexByte(name, ','); i > 0 {
		name = name[:i]
	}
	var words []string
	for _, w := range strings.Fields(strings.ReplaceAll(name, ".", ". ")) {
		if k := foldLetters(w); k != "" {
			words = append(words, k)
		}
	}
	for len(words) > 1 && honorifics[words[0]] {
		words = words[1:]
	}
	// Degrees written without a comma: "Siti Aminah S.Pd" (folded word by
	// word, as "s" "pd"), so join the last words to recognise them.
	for len(words) > 1 {
		n := trailingDegree(words)
		if n == 0 {
			break
		}
		words = words[:len(words)-n]
	}
	return strings.Join(words, "")
}

// trailingDegree is how many of the last words form a degree (0 if none),
// keeping at least one word of the name.
func trailingDegree(words []string) int {
	for n := 3; n >= 1; n-- {
		if n >= len(words) {
			continue
		}
		if degrees[strings.Join(words[len(words)-n:], "")] {
			return n
		}
	}
	return 0
}

func foldLetters(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SameName reports whether two spellings name the same person (NameKey).
func SameName(a, b string) bool { return NameKey(a) == NameKey(b) }

// IdentityChanges lists the fields in which incoming describes another
// person than stored: name (after NameKey), sex, birth date. A blank
// incoming value changes nothing and is not listed.
func IdentityChanges(stored, incoming *Trainee) []string {
	var out []string
	if incoming.Name != "" && !SameName(stored.Name, incoming.Name) {
		out = append(out, "name")
	}
	if incoming.Sex != "" && !strings.EqualFold(strings.TrimSpace(stored.Sex), strings.TrimSpace(incoming.Sex)) {
		out = append(out, "sex")
	}
	if incoming.BirthDate != "" && stored.BirthDate != incoming.BirthDate {
		out = append(out, "birth_date")
	}
	return out
}
