// Package dashboard is the ministry's web view of blk-server: which centres
// are active and synced, trainees and graduates by province and vocational
// field, tracer outcomes and placement rate, NIKs held in several centres,
// and data quality per centre. Pages are rendered on the server with
// html/template and an embedded stylesheet: no JavaScript, no external
// assets, so it works on a slow ministry link and behind strict proxies.
//
// It only reads: every figure comes from central.Reporter and the
// central.Storage list methods, and logins are created by `blk-server user
// add`, not here. Sessions live in memory, so a restart logs everyone out.
// It never touches the sync API or a centre's data.
package dashboard

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	gosync "sync"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

// Options tune the dashboard; the zero value is a sensible production set-up
// without /metrics.
type Options struct {
	// Metrics serves /metrics (Prometheus text format, no login); off by
	// default because it tells anyone who can reach the server how big it is.
	Metrics bool
	// SecureCookies marks cookies Secure; set it when serving over TLS.
	SecureCookies bool
	// SessionTTL is how long a login lasts without use; default 8 hours.
	SessionTTL time.Duration
	// StaleAfter is how long without a sync makes a centre "stale";
	// default 30 days.
	StaleAfter time.Duration
	// CacheTTL is how long national figures are reused before they are
	// read again; default 1 minute, negative turns the cache off.
	CacheTTL time.Duration
	// Now is the clock; tests replace it. Default time.Now.
	Now func() time.Time
	// Log receives login and error events; default slog.Default().
	Log *slog.Logger
	// Reads, when set, answers every read (a PostgreSQL streaming replica,
	// central.OpenReplica); the storage given to New then only records
	// logins and logouts in the audit trail.
	Reads central.Storage
}

const (
	sessionCookie = "blk_session"
	loginCookie   = "blk_login_csrf"
	langCookie    = "blk_lang"
	basePath      = "/dashboard/"
)

//go:embed templates/*.html static/style.css
var files embed.FS

// funcs: sub hands a shared sub-template both the page (for labels) and the
// part of the data it shows.
var funcs = template.FuncMap{
	"sub":    func(p *page, d any) sub { return sub{p, d} },
	"slice1": func(q qualityRow) []qualityRow { return []qualityRow{q} },
}

type sub struct {
	P *page
	D any
}

// Dashboard serves the pages; build it with New.
type Dashboard struct {
	st    central.Storage // the audit trail (the primary)
	rd    central.Storage // every read: st, or Options.Reads
	rep   central.Reporter
	an    central.Analytics // nil: every figure is computed live
	kem   central.KemandirianReporter
	opts  Options
	pages map[string]*template.Template
	css   []byte
	cache *cache

	mu       gosync.Mutex
	sessions map[string]*session
	failures map[string]*failures // by "user:NAME" and "ip:ADDR"
}

// failures counts refused logins in a window, to slow down password guessing.
type failures struct {
	n     int
	since time.Time
}

// Login throttling: after this many refusals in the window a user name (or
// an address) must wait for the window to pass. bcrypt alone would allow
// some ten guesses a second per core.
const (
	maxUserFailures = 5
	maxAddrFailures = 20
	failureWindow   = 15 * time.Minute
)

type session struct {
	user    string
	csrf    string
	expires time.Time
}

// New returns the dashboard handler: /dashboard/… pages, / redirecting to
// /dashboard/, and /metrics when opts.Metrics is set. st must also be a
// central.Reporter (the SQL storage is); otherwise every page says so.
func New(st central.Storage, opts Options) http.Handler {
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 8 * time.Hour
	}
	if opts.StaleAfter <= 0 {
		opts.StaleAfter = 30 * 24 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.CacheTTL == 0 {
		opts.CacheTTL = time.Minute
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	d := &Dashboard{st: st, opts: opts, sessions: map[string]*session{}, failures: map[string]*failures{}, pages: map[string]*template.Template{}}
	d.rd = st
	if opts.Reads != nil {
		d.rd = opts.Reads
	}
	d.rep, _ = d.rd.(central.Reporter)
	d.kem, _ = d.rd.(central.KemandirianReporter)
	d.an, _ = d.rd.(central.Analytics)
	d.cache = &cache{ttl: opts.CacheTTL, now: opts.Now, entries: map[string]*cacheEntry{}}
	d.css, _ = files.ReadFile("static/style.css")
	for _, name := range []string{"login", "overview", "province", "field", "outcomes", "duplicates", "quality", "centre", "error", "kemandirian"} {
		d.pages[name] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/"+name+".html"))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, basePath, http.StatusFound)
	})
	mux.HandleFunc("GET /dashboard", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, basePath, http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /dashboard/style.css", d.serveCSS)
	mux.HandleFunc("GET /dashboard/login", d.loginForm)
	mux.HandleFunc("POST /dashboard/login", d.login)
	mux.HandleFunc("POST /dashboard/logout", d.authed(d.logout))
	mux.HandleFunc("GET /dashboard/{$}", d.authed(d.overview))
	mux.HandleFunc("GET /dashboard/province", d.authed(d.province))
	mux.HandleFunc("GET /dashboard/field", d.authed(d.field))
	mux.HandleFunc("GET /dashboard/outcomes", d.authed(d.outcomes))
	mux.HandleFunc("GET /dashboard/duplicates", d.authed(d.duplicates))
	mux.HandleFunc("GET /dashboard/quality", d.authed(d.quality))
	mux.HandleFunc("GET /dashboard/centre/{id}", d.authed(d.centre))
	mux.HandleFunc("GET /dashboard/kemandirian", d.authed(d.kemandirian))
	mux.HandleFunc("GET /dashboard/kemandirian.csv", d.authed(d.kemandirianExport("csv")))
	mux.HandleFunc("GET /dashboard/kemandirian.xlsx", d.authed(d.kemandirianExport("xlsx")))
	mux.HandleFunc("/dashboard/", d.authed(func(w http.ResponseWriter, r *http.Request, p *page) {
		d.fail(w, r, p, http.StatusNotFound, "web.err.notfound")
	}))
	if opts.Metrics {
		mux.HandleFunc("GET /metrics", d.metrics)
	}
	return d.headers(mux)
}

// headers adds the security headers every answer carries. The CSP forbids
// scripts and inline styles outright: the pages need neither (bars are SVG).
func (d *Dashboard) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

func (d *Dashboard) serveCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(d.css)
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// lang is the language of a request: ?lang= (remembered in a cookie), else
// the cookie, else Indonesian.
func (d *Dashboard) lang(w http.ResponseWriter, r *http.Request) domain.Lang {
	if q := r.URL.Query().Get("lang"); q == "id" || q == "en" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: q, Path: basePath, MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: d.opts.SecureCookies})
		return domain.Lang(q)
	}
	if c, err := r.Cookie(langCookie); err == nil && c.Value == "en" {
		return domain.English
	}
	return domain.Indonesian
}

func (d *Dashboard) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: basePath, MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: d.opts.SecureCookies}
}

// currentSession returns the live session of the request, sliding its expiry.
func (d *Dashboard) currentSession(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	now := d.opts.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.sessions[c.Value]
	if s == nil {
		return nil
	}
	if now.After(s.expires) {
		delete(d.sessions, c.Value)
		return nil
	}
	s.expires = now.Add(d.opts.SessionTTL)
	cp := *s
	return &cp
}

// sweep drops expired sessions; called on each login so the map cannot grow
// without bound.
func (d *Dashboard) sweep(now time.Time) {
	for id, s := range d.sessions {
		if now.After(s.expires) {
			delete(d.sessions, id)
		}
	}
}

// authed wraps a page that needs a login. Without one, a GET goes to the
// login page and comes back afterwards; anything else is refused. A POST
// must carry the session's CSRF token.
func (d *Dashboard) authed(fn func(http.ResponseWriter, *http.Request, *page)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		lang := d.lang(w, r)
		s := d.currentSession(r)
		if s == nil {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, basePath+"login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			d.fail(w, r, &page{Lang: lang}, http.StatusForbidden, "web.err.login")
			return
		}
		p := &page{Lang: lang, User: s.user, CSRF: s.csrf, Path: r.URL.Path, Now: d.opts.Now()}
		if r.Method == http.MethodPost && !sameToken(r.PostFormValue("csrf"), s.csrf) {
			d.fail(w, r, p, http.StatusForbidden, "web.err.csrf")
			return
		}
		if d.rep == nil {
			d.fail(w, r, p, http.StatusInternalServerError, "web.err.noreports")
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		fn(w, r, p)
	}
}

func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// safeNext keeps the after-login redirect inside the dashboard.
func safeNext(next string) string {
	if !strings.HasPrefix(next, basePath) || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return basePath
	}
	return next
}

func (d *Dashboard) loginForm(w http.ResponseWriter, r *http.Request) {
	lang := d.lang(w, r)
	if d.currentSession(r) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	d.showLogin(w, r, lang, http.StatusOK, "")
}

// showLogin renders the form with a fresh double-submit CSRF token: the
// same random value in a SameSite=Strict cookie and in the form.
func (d *Dashboard) showLogin(w http.ResponseWriter, r *http.Request, lang domain.Lang, code int, msg string) {
	tok := randomToken()
	http.SetCookie(w, d.cookie(loginCookie, tok, 3600))
	w.Header().Set("Cache-Control", "no-store")
	p := &page{Lang: lang, CSRF: tok, Path: r.URL.Path, Now: d.opts.Now(), Data: loginData{
		Next: safeNext(r.FormValue("next")), User: r.PostFormValue("user"), Error: msg}}
	d.render(w, r, "login", p, code)
}

type loginData struct {
	Next, User, Error string
}

func (d *Dashboard) login(w http.ResponseWriter, r *http.Request) {
	lang := d.lang(w, r)
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	c, err := r.Cookie(loginCookie)
	if err != nil || !sameToken(r.PostFormValue("csrf"), c.Value) {
		d.fail(w, r, &page{Lang: lang}, http.StatusForbidden, "web.err.csrf")
		return
	}
	if d.rep == nil {
		d.fail(w, r, &page{Lang: lang}, http.StatusInternalServerError, "web.err.noreports")
		return
	}
	user := strings.TrimSpace(r.PostFormValue("user"))
	keys := []string{"user:" + strings.ToLower(user), "ip:" + remoteHost(r)}
	actx := central.WithActor(r.Context(), user, remoteHost(r))
	if !d.reserve(keys) {
		d.opts.Log.Warn("dashboard login throttled", "user", user, "remote", r.RemoteAddr)
		d.showLogin(w, r, lang, http.StatusTooManyRequests, msg.T(lang, "web.login.throttled"))
		return
	}
	err = d.rep.CheckPassword(r.Context(), user, r.PostFormValue("password"))
	if errors.Is(err, central.ErrBadLogin) {
		// The reserved attempt stays counted: it was a refusal.
		d.opts.Log.Warn("dashboard login refused", "user", user, "remote", r.RemoteAddr)
		d.auditLogin(actx, central.AuditLoginFail, user)
		d.showLogin(w, r, lang, http.StatusUnauthorized, msg.T(lang, "web.login.bad"))
		return
	}
	if err != nil {
		d.release(keys, false)
		d.opts.Log.Error("dashboard login", "err", err)
		d.fail(w, r, &page{Lang: lang}, http.StatusInternalServerError, "web.err.internal")
		return
	}
	d.release(keys, true)
	d.auditLogin(actx, central.AuditLoginOK, user)
	// A new id on every login, so a planted cookie never becomes a session.
	id := randomToken()
	now := d.opts.Now()
	d.mu.Lock()
	d.sweep(now)
	d.sessions[id] = &session{user: user, csrf: randomToken(), expires: now.Add(d.opts.SessionTTL)}
	d.mu.Unlock()
	d.opts.Log.Info("dashboard login", "user", user, "remote", r.RemoteAddr)
	http.SetCookie(w, d.cookie(sessionCookie, id, 0))
	http.SetCookie(w, d.cookie(loginCookie, "", -1))
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func remoteHost(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

// reserve counts one attempt against every key before the password is
// checked, in the same critical section as the check of the limit, and
// reports false (counting nothing) when a key has used up its attempts this
// window. Checking first and counting after the password let 300 parallel
// guesses for one user all be checked.
func (d *Dashboard) reserve(keys []string) bool {
	now := d.opts.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, k := range keys {
		f := d.failures[k]
		if f == nil || now.Sub(f.since) > failureWindow {
			continue
		}
		limit := maxUserFailures
		if strings.HasPrefix(k, "ip:") {
			limit = maxAddrFailures
		}
		if f.n >= limit {
			return false
		}
	}
	for _, k := range keys {
		f := d.failures[k]
		if f == nil || now.Sub(f.since) > failureWindow {
			f = &failures{since: now}
			d.failures[k] = f
		}
		f.n++
	}
	// Bound the map: forget windows that are over.
	if len(d.failures) > 10000 {
		for k, f := range d.failures {
			if now.Sub(f.since) > failureWindow {
				delete(d.failures, k)
			}
		}
	}
	return true
}

// release gives back a reserved attempt that was not a refusal: a login
// that succeeded (which also clears the user's count) or one the server
// could not check.
func (d *Dashboard) release(keys []string, success bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, k := range keys {
		f := d.failures[k]
		if f == nil {
			continue
		}
		if success && i == 0 {
			delete(d.failures, k)
			continue
		}
		if f.n > 0 {
			f.n--
		}
	}
}

// auditLogin records a login in the server's audit trail; a failure to
// record is logged, never a reason to refuse or accept the login.
func (d *Dashboard) auditLogin(ctx context.Context, action, user string) {
	if err := d.st.Audit(ctx, action, user, ""); err != nil {
		d.opts.Log.Error("audit login", "err", err)
	}
}

func (d *Dashboard) logout(w http.ResponseWriter, r *http.Request, p *page) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		d.mu.Lock()
		delete(d.sessions, c.Value)
		d.mu.Unlock()
	}
	http.SetCookie(w, d.cookie(sessionCookie, "", -1))
	http.Redirect(w, r, basePath+"login", http.StatusSeeOther)
}

func (d *Dashboard) render(w http.ResponseWriter, r *http.Request, name string, p *page, code int) {
	var b strings.Builder
	if err := d.pages[name].Execute(&b, p); err != nil {
		d.opts.Log.Error("dashboard render", "page", name, "err", err)
		http.Error(w, "render error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(b.String()))
}

// fail shows an error page with a translated message.
func (d *Dashboard) fail(w http.ResponseWriter, r *http.Request, p *page, code int, key string) {
	p.Data = msg.T(p.Lang, key)
	p.Now = d.opts.Now()
	d.render(w, r, "error", p, code)
}

// failErr logs a storage error and shows a generic page.
func (d *Dashboard) failErr(w http.ResponseWriter, r *http.Request, p *page, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	d.opts.Log.Error("dashboard query", "path", r.URL.Path, "err", err)
	d.fail(w, r, p, http.StatusInternalServerError, "web.err.internal")
}
