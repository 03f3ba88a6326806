package dashboard

import (
	"strconv"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

// page is what every template gets: the request's language and user, the
// CSRF token for its forms, and the page's own Data. Its methods are the
// template helpers, so translations follow the request's language.
type page struct {
	Lang domain.Lang
	User string
	CSRF string
	Path string
	Now  time.Time
	Data any
	// AsOf is when the oldest figure shown was read (cached figures can be
	// up to Options.CacheTTL old); zero means now.
	AsOf time.Time
}

// seen notes that a figure read at t is on the page.
func (p *page) seen(t time.Time) {
	if p.AsOf.IsZero() || t.Before(p.AsOf) {
		p.AsOf = t
	}
}

// DataTime is the footer's "data as of" time.
func (p *page) DataTime() time.Time {
	if p.AsOf.IsZero() {
		return p.Now
	}
	return p.AsOf
}

// T is the catalogue's text of key (web.*) in the page's language; args
// fill its verbs.
func (p *page) T(key string, args ...any) string { return msg.T(p.Lang, key, args...) }

// En reports whether the page is in English (for the language switch).
func (p *page) En() bool { return p.Lang == domain.English }

// N writes a count with the language's thousands separator.
func (p *page) N(n int) string { return msg.N(p.Lang, n) }

// Pct writes a 0..1 rate as a percentage with one decimal, "66,7%" in
// Indonesian and "66.7%" in English.
func (p *page) Pct(f float64) string {
	return msg.Decimal(p.Lang, f*100, 1) + "%"
}

// Ratio is n/of as a percentage, "–" when of is 0.
func (p *page) Ratio(n, of int) string {
	if of == 0 {
		return "–"
	}
	return p.Pct(float64(n) / float64(of))
}

// Bar is the width of a bar, in percent of the widest one, for an SVG
// rect; a non-zero value never draws as nothing.
func (p *page) Bar(n, max int) string {
	if max <= 0 || n <= 0 {
		return "0%"
	}
	w := float64(n) * 100 / float64(max)
	if w < 0.5 {
		w = 0.5
	}
	return strconv.FormatFloat(w, 'f', 1, 64) + "%"
}

// When writes a time in the server's UTC, or "never".
func (p *page) When(t time.Time) string {
	if t.IsZero() {
		return msg.T(p.Lang, "web.never")
	}
	return t.UTC().Format("2006-01-02 15:04") + " UTC"
}

// Ago says how long ago t was, in days or hours.
func (p *page) Ago(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := p.Now.Sub(t)
	switch {
	case d < time.Hour:
		return msg.T(p.Lang, "web.ago.now")
	case d < 48*time.Hour:
		return msg.T(p.Lang, "web.ago.hours", int(d.Hours()))
	}
	return msg.T(p.Lang, "web.ago.days", int(d.Hours()/24))
}

// Outcome names an outcome status.
func (p *page) Outcome(status string) string {
	return domain.ChoiceLabel("outcomes.status", status, p.Lang)
}

// Field names a record field (for data-quality warnings).
func (p *page) Field(name string) string { return domain.FieldLabel(name, p.Lang) }

// Name picks the Indonesian or English name of a breakdown row, or
// "unknown" when neither is known; code is shown beside it by the template.
func (p *page) Name(id, en string) string {
	if p.Lang == domain.English && en != "" {
		return en
	}
	if id != "" {
		return id
	}
	if en != "" {
		return en
	}
	return msg.T(p.Lang, "web.unknown")
}

// LangURL is the current page in the other language.
func (p *page) LangURL() string {
	if p.Lang == domain.English {
		return p.Path + "?lang=id"
	}
	return p.Path + "?lang=en"
}

// Is marks the active navigation entry.
func (p *page) Is(path string) bool { return p.Path == path }
