package domain

import (
	"regexp"
	"strings"
	"time"
)

// Dates are stored as ISO (2001-08-17) and shown as Indonesians write them
// (17-08-2001). ReadDate is the one reader of the ways people type a
// date, used by every form, the import and the command line.

// ShowLayout is how a date is shown: day, month, year.
const ShowLayout = "02-01-2006"

// ShowDate renders a stored ISO date as 17-08-2001; anything that is not
// a stored date is returned as it is, so nothing is hidden.
func ShowDate(iso string) string {
	t, ok := ParseDate(iso)
	if !ok {
		return iso
	}
	return t.Format(ShowLayout)
}

var monthNames = map[string]time.Month{
	"januari": 1, "jan": 1, "january": 1,
	"februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
	"maret": 3, "mar": 3, "march": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5,
	"juni": 6, "jun": 6, "june": 6,
	"juli": 7, "jul": 7, "july": 7,
	"agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agust": 8, "aug": 8, "august": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "oct": 10, "october": 10,
	"november": 11, "nov": 11, "nop": 11, "nopember": 11,
	"desember": 12, "des": 12, "dec": 12, "december": 12,
}

var (
	reNumericDate = regexp.MustCompile(`^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$`)
	reISODate     = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$`)
	reNamedDate   = regexp.MustCompile(`^(\d{1,2})[\s\-./]+([\p{L}]+)\.?[\s\-./]+(\d{2}|\d{4})$`)
)

// ReadDate reads a date written as ISO (2001-08-17), 17-08-2001,
// 17/08/2001, 17.08.2001, 17-8-01 or with an Indonesian or English month
// name (17 Agustus 2001, 17 Agu 2001), and returns it as stored (ISO). Day
// comes before month, as everywhere in Indonesia. A two-digit year is put
// in the century that does not lie in the future at now. ok is false when
// the text is not a date.
func ReadDate(s string, now time.Time) (iso string, ok bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "'"))
	var y, m, d int
	switch {
	case reISODate.MatchString(s):
		p := reISODate.FindStringSubmatch(s)
		y, m, d = atoi(p[1]), atoi(p[2]), atoi(p[3])
	case reNumericDate.MatchString(s):
		p := reNumericDate.FindStringSubmatch(s)
		d, m, y = atoi(p[1]), atoi(p[2]), fullYear(p[3], now)
	case reNamedDate.MatchString(s):
		p := reNamedDate.FindStringSubmatch(s)
		mon, ok := monthNames[strings.ToLower(p[2])]
		if !ok {
			return "", false
		}
		d, m, y = atoi(p[1]), int(mon), fullYear(p[3], now)
	default:
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || d < 1 || t.Day() != d || y < 1 {
		return "", false
	}
	return t.Format(DateLayout), true
}

func fullYear(s string, now time.Time) int {
	y := atoi(s)
	if len(s) == 2 {
		y += 2000
		if y > now.Year() {
			y -= 100
		}
	}
	return y
}
