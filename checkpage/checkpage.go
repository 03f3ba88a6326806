// Package checkpage is blk-server's public certificate check page: anyone
// holding a BLK Komunitas training certificate's QR code (/v/<code>) or
// its number (typed into the form at /v) learns whether it is valid, and
// for whom, which programme, which dates and which centre. It needs no
// login and shows nothing a certificate does not already print, and never
// a NIK, phone or address. Lookups are limited per client address and in
// how many run at once, so the page cannot be used to wear the database
// down or to walk the code space.
//
// It only reads, through central.Verifier; it never touches the sync API,
// the dashboard's sessions or a centre's data.
package checkpage

import (
	"context"
	"embed"
	"html/template"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	gosync "sync"
	"time"
	"unicode/utf8"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

// Path is where the page is served: /v/<code>, and the form at /v.
const Path = "/v/"

// Lookups are limited per client address: a person checks a handful of
// certificates, an employer a few dozen a day; beyond PerWindow in Window
// the address is told when to try again (429 with Retry-After). At most
// Concurrent lookups run at once, whoever asks.
const (
	PerWindow  = 30
	Window     = time.Minute
	Concurrent = 8
	maxTracked = 100000 // addresses remembered at most
	maxInput   = 200    // characters of a typed number or code looked at
)

//go:embed page.html
var files embed.FS

var tmpl = template.Must(template.New("page.html").Funcs(template.FuncMap{
	"t": func(l msg.Lang, key string, args ...any) string { return msg.T(l, key, args...) },
}).ParseFS(files, "page.html"))

// Options tune the page; the zero value is the production set-up.
type Options struct {
	Now func() time.Time // default time.Now
	Log *slog.Logger     // default slog.Default()
}

// Page serves the check page; build it with New.
type Page struct {
	v     central.Verifier
	opts  Options
	slots chan struct{}

	mu   gosync.Mutex
	seen map[string]*window
}

type window struct {
	n     int
	start time.Time
}

// New returns the page's handler over st, which must be a
// central.Verifier (the SQL storage is); otherwise every lookup finds
// nothing and the log says why.
func New(st central.Storage, opts Options) *Page {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	p := &Page{opts: opts, slots: make(chan struct{}, Concurrent), seen: map[string]*window{}}
	p.v, _ = st.(central.Verifier)
	return p
}

// view is what the template shows.
type view struct {
	Lang, Other msg.Lang
	Self        string // this page's path, for the language switch
	Query       string // what was typed, shown back in the form
	Asked       bool   // a code or number was looked up
	Result      central.CertificateCheck
	Region      string
	Issued      string
	From, To    string
	Revoked     string
	Busy        bool
}

func (p *Page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer") // the code is in the address
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	lang := langOf(r)
	v := &view{Lang: lang, Other: msg.English, Self: "/v"}
	if lang == msg.English {
		v.Other = msg.Indonesian
	}
	code, ok := strings.CutPrefix(r.URL.Path, Path)
	if !ok {
		code = "" // the form at /v
	}
	query := r.URL.Query().Get("q")
	switch {
	case code != "":
		v.Self = Path + code
		if !utf8.ValidString(code) || len(code) > maxInput {
			code = ""
		}
		v.Asked = true
	case query != "":
		v.Asked = true
		if !utf8.ValidString(query) || len(query) > maxInput {
			query = ""
		}
		v.Query = query
	}
	status := http.StatusOK
	if v.Asked {
		if ok, wait := p.allow(clientAddr(r), p.opts.Now()); !ok {
			h.Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
			v.Busy, status = true, http.StatusTooManyRequests
		} else {
			res, err := p.lookup(r.Context(), code, query)
			if err != nil {
				p.opts.Log.Error("certificate check", "err", err)
				v.Busy, status = true, http.StatusServiceUnavailable
			} else {
				v.Result = res
				if res.Status == central.CertificateNotFound {
					status = http.StatusNotFound
				}
			}
		}
	}
	if v.Result.Region != "" {
		if reg, ok := domain.LookupRegion(v.Result.Region[:min(2, len(v.Result.Region))]); ok {
			v.Region = reg.Name
		}
	}
	v.Issued, v.From, v.To, v.Revoked = date(lang, v.Result.IssuedOn), date(lang, v.Result.CohortFrom), date(lang, v.Result.CohortTo), date(lang, v.Result.RevokedOn)
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	if err := tmpl.Execute(w, v); err != nil {
		p.opts.Log.Warn("certificate check page", "err", err)
	}
}

// lookup asks the storage, waiting for a free slot no longer than the
// request lasts.
func (p *Page) lookup(ctx context.Context, code, query string) (central.CertificateCheck, error) {
	none := central.CertificateCheck{Status: central.CertificateNotFound}
	if p.v == nil {
		return none, errNoVerifier
	}
	if code == "" && query != "" {
		// A typed code is a code; anything else is a number.
		if c, ok := domain.NormalizeCertificateCode(query); ok {
			code = c
		}
	}
	if code == "" && query == "" {
		return none, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		return none, ctx.Err()
	}
	if code != "" {
		return p.v.CheckCertificate(ctx, code, "")
	}
	return p.v.CheckCertificate(ctx, "", query)
}

type verifierMissing struct{}

func (verifierMissing) Error() string {
	return "checkpage: the server storage cannot look certificates up"
}

var errNoVerifier error = verifierMissing{}

// allow counts one lookup of addr at now; when refused, it says after how
// long the address may ask again.
func (p *Page) allow(addr string, now time.Time) (bool, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w := p.seen[addr]
	if w == nil || now.Sub(w.start) >= Window {
		if len(p.seen) >= maxTracked {
			for k, o := range p.seen {
				if now.Sub(o.start) >= Window {
					delete(p.seen, k)
				}
			}
			if len(p.seen) >= maxTracked {
				clear(p.seen)
			}
		}
		w = &window{start: now}
		p.seen[addr] = w
	}
	if w.n >= PerWindow {
		return false, w.start.Add(Window).Sub(now)
	}
	w.n++
	return true, 0
}

// clientAddr is the address a request came from (not a header it claims).
func clientAddr(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

// langOf is ?lang= when given, else the browser's first language;
// Indonesian when unknown.
func langOf(r *http.Request) msg.Lang {
	if q := r.URL.Query().Get("lang"); q == "id" || q == "en" {
		return msg.Lang(q)
	}
	return msg.ParseLang(strings.TrimSpace(r.Header.Get("Accept-Language")))
}

// date writes a stored date as people read it: 17 Agustus 2026, or
// 17 August 2026.
func date(l msg.Lang, iso string) string {
	t, ok := domain.ParseDate(iso)
	if !ok {
		return iso
	}
	return strconv.Itoa(t.Day()) + " " + msg.T(l, "check.month."+strconv.Itoa(int(t.Month()))) + " " + strconv.Itoa(t.Year())
}
