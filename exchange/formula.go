package exchange

import "strings"

// Formula injection. A spreadsheet program that opens a CSV file runs a
// cell starting with =, +, - or @ (also after a tab or carriage return) as
// a formula, so a trainee named =HYPERLINK(…) could act on the PC of
// whoever opens the export. CSV text cells that start so get a leading
// apostrophe, the spreadsheet's own "this is text" mark, and the importer
// removes exactly that apostrophe again, so export → import gives back the
// same values (+62… phone numbers included). Values that already start
// with apostrophes before such a character get one more, which keeps the
// round trip exact. xlsx cells are typed: text is never run as a formula
// there, so the xlsx export writes values unchanged.

func startsFormula(s string) bool {
	s = strings.TrimLeft(s, "'")
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// guardFormula is the CSV form of a text value.
func guardFormula(s string) string {
	if startsFormula(s) {
		return "'" + s
	}
	return s
}

// UnguardFormula is the value guardFormula wrote s for: what an import
// reads from a CSV cell.
func UnguardFormula(s string) string {
	if strings.HasPrefix(s, "'") && startsFormula(s[1:]) {
		return s[1:]
	}
	return s
}
