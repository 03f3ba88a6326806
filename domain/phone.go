package domain

import "strings"

// NormalizePhone accepts 08…, 628…, +628…, with spaces, dashes, dots and
// brackets, and returns the +62… form. Mobile numbers (+628…) give
// mobile=true; other Indonesian numbers (landlines, +6221…) are accepted with
// mobile=false so the caller can warn. ok is false for anything else.
func NormalizePhone(s string) (e164 string, mobile bool, ok bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "'"))
	plus := strings.HasPrefix(s, "+")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '+' || r == '\u00a0':
		default:
			return "", false, false
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "62"):
		d = d[2:]
	case strings.HasPrefix(d, "0") && !plus:
		d = d[1:]
	default:
		return "", false, false
	}
	if d == "" || d[0] == '0' {
		return "", false, false
	}
	if d[0] == '8' {
		// Mobile: 08xx plus 7–9 more digits, i.e. 9–12 digits after the 0.
		if len(d) < 9 || len(d) > 12 {
			return "", false, false
		}
		return "+62" + d, true, true
	}
	// Landline: area code (2–4 digits) plus 5–8 digits.
	if len(d) < 7 || len(d) > 11 {
		return "", false, false
	}
	return "+62" + d, false, true
}

// LocalPhone renders +628123… as 08123… for display and WhatsApp links.
func LocalPhone(e164 string) string {
	if strings.HasPrefix(e164, "+62") {
		return "0" + e164[3:]
	}
	return e164
}
