package central

import (
	"unicode/utf8"

	"github.com/google/uuid"
)

// maxDeviceName bounds the name a PC gives itself, in characters.
const maxDeviceName = 100

// ValidDeviceID reports whether id may name an enrolled PC: a UUID in its
// canonical lower-case form, as the app makes them. Anything else is refused,
// above all ServerDevice ("server"), the author of the ministry's own writes:
// a PC enrolled under that name could overwrite national reference data.
func ValidDeviceID(id string) bool {
	u, err := uuid.Parse(id)
	return err == nil && u.String() == id && u != uuid.Nil
}

// cutRunes shortens s to at most n characters, never inside one (a cut in
// the middle of a multi-byte character is invalid UTF-8, which PostgreSQL
// refuses to store).
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}
