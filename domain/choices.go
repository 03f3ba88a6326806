package domain

import "github.com/kemnaker/blk/msg"

// Choice is one allowed code of a coded field ("trainees.sex" → "P").
type Choice struct {
	Field string // "table.field"
	Value string
}

// Label renders the choice in lang: the msg key choice.<table>.<field>.<code>.
func (c Choice) Label(lang Lang) string { return ChoiceLabel(c.Field, c.Value, lang) }

// Choices lists the allowed codes of every coded field by "table.field", in
// display order, as the fields' choice tags declare them (schema.go).
var Choices = map[string][]Choice{}

// ChoiceLabel renders a stored code of "table.field" in lang (the code itself if unknown).
func ChoiceLabel(key, value string, lang Lang) string {
	k := "choice." + key + "." + value
	if !msg.Has(k) {
		return value
	}
	return msg.T(lang, k)
}

func validChoice(f Field, value string) bool {
	for _, c := range f.Choices {
		if c == value {
			return true
		}
	}
	return false
}
