package msg

import (
	"strconv"
	"strings"
)

type integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// separators are the thousands and decimal marks of l: Indonesian writes
// 20.000 and 66,7; English 20,000 and 66.7.
func separators(l Lang) (thousands, decimal string) {
	if l == English {
		return ",", "."
	}
	return ".", ","
}

// N writes a whole number with l's thousands separator: 20.000 in
// Indonesian, 20,000 in English.
func N[I integer](l Lang, n I) string {
	s := strconv.FormatInt(int64(n), 10)
	if n > 0 && int64(n) < 0 { // a uint64 above the int64 range
		s = strconv.FormatUint(uint64(n), 10)
	}
	sep, _ := separators(l)
	return group(s, sep)
}

// Decimal writes f with prec digits after l's decimal mark and its
// thousands separator: 1.234,5 in Indonesian, 1,234.5 in English.
func Decimal(l Lang, f float64, prec int) string {
	s := strconv.FormatFloat(f, 'f', prec, 64)
	sep, dec := separators(l)
	whole, frac, hasFrac := strings.Cut(s, ".")
	out := group(whole, sep)
	if hasFrac {
		out += dec + frac
	}
	return out
}

// group puts sep between groups of three digits of a decimal integer.
func group(s, sep string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
