package sync

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

// Kind is what went wrong talking to the server, in the operator's terms:
// each kind has one plain sentence (docs/ERRORS.md) that says what to do.
type Kind string

// The kinds of failure. Classify is the one place that decides them; the
// wizard, the Sinkronisasi screen, the status bar and the CLI all use it.
const (
	KindNone         Kind = ""
	KindOffline      Kind = "offline"       // no route, connection refused or reset
	KindNoName       Kind = "no_name"       // the server's name does not resolve
	KindTimeout      Kind = "timeout"       // no answer in time
	KindTLS          Kind = "tls"           // the secure connection failed (often a wrong PC clock)
	KindWrongAddress Kind = "wrong_address" // something answered that is not blk-server
	KindCode         Kind = "code"          // enrolment code unknown, used or expired
	KindRevoked      Kind = "revoked"       // this PC's access was revoked
	KindUnknownPC    Kind = "unknown_pc"    // the server no longer knows this PC's token
	KindUpdateApp    Kind = "update_app"    // the server needs a newer app (426)
	KindBusy         Kind = "busy"          // the server asks to come back later
	KindServer       Kind = "server"        // the server failed (5xx)
	KindRefused      Kind = "refused"       // another refusal, worded by the server
	KindNotEnrolled  Kind = "not_enrolled"  // this PC has not joined a server
	KindCancelled    Kind = "cancelled"     // the operator stopped it
	KindLocal        Kind = "local"         // not the network: this PC's own error
)

// Failure is a classified error: a kind, its sentence in both languages and
// the technical detail for the "Rincian" button and the log.
type Failure struct {
	Kind Kind
	// key is the catalogue key of the sentence; "" uses the server's words.
	key        string
	id, en     string // the server's own words (KindRefused)
	local      error  // KindLocal: the error as it is
	underlying error
	// Enrolled marks the failure of the first download after an enrolment
	// that succeeded (ErrEnrolledNotSynced): the sentence says so.
	Enrolled bool
}

// Error is the technical detail (what the log and "Rincian" show).
func (f *Failure) Error() string {
	if f.underlying == nil {
		return string(f.Kind)
	}
	return f.underlying.Error()
}

// Unwrap gives the underlying error.
func (f *Failure) Unwrap() error { return f.underlying }

// Localized is the one plain sentence for the operator, in lang.
func (f *Failure) Localized(lang domain.Lang) string {
	if f.Enrolled {
		return msg.T(lang, "syncerr.enrolled_not_synced", f.sentence(lang))
	}
	return f.sentence(lang)
}

func (f *Failure) sentence(lang domain.Lang) string {
	switch {
	case f.key != "":
		return msg.T(lang, f.key)
	case f.Kind == KindRefused && lang == domain.English && f.en != "":
		return f.en
	case f.Kind == KindRefused && f.id != "":
		return f.id
	}
	var l interface{ Localized(domain.Lang) string }
	if f.local != nil && errors.As(f.local, &l) {
		if m := l.Localized(lang); m != "" {
			return m
		}
	}
	return f.Error()
}

// Detail is the technical text behind the sentence.
func (f *Failure) Detail() string { return f.Error() }

// Retry reports a failure that may pass by itself (the network, a busy or
// failing server), as opposed to one the operator must act on.
func (f *Failure) Retry() bool {
	switch f.Kind {
	case KindOffline, KindNoName, KindTimeout, KindBusy, KindServer:
		return true
	}
	return false
}

// Classify turns any error of the client (Enrol, Round) into a Failure; nil
// stays nil and a Failure is returned as it is.
func Classify(err error) *Failure {
	if err == nil {
		return nil
	}
	var f *Failure
	if errors.As(err, &f) {
		return f
	}
	kind := kindOf(err)
	out := &Failure{Kind: kind, underlying: err, key: "syncerr." + string(kind), Enrolled: errors.Is(err, ErrEnrolledNotSynced)}
	switch kind {
	case KindRefused:
		var se *ServerError
		errors.As(err, &se)
		out.key, out.id, out.en = "", se.Message, se.MessageEN
	case KindLocal:
		out.key, out.local = "", err
	}
	return out
}

func kindOf(err error) Kind {
	var se *ServerError
	if errors.As(err, &se) {
		return serverKind(se)
	}
	if errors.Is(err, ErrNotEnrolled) {
		return KindNotEnrolled
	}
	var re *replyError
	var ne net.Error
	if errors.As(err, &re) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.As(err, &ne) {
		return KindWrongAddress
	}
	// TLS before timeouts and dial errors: a handshake failure arrives
	// inside a *net.OpError on some paths.
	var (
		unknownCA   x509.UnknownAuthorityError
		invalidCert x509.CertificateInvalidError
		hostname    x509.HostnameError
		verify      *tls.CertificateVerificationError
		header      tls.RecordHeaderError
		alert       tls.AlertError
	)
	if errors.As(err, &unknownCA) || errors.As(err, &invalidCert) || errors.As(err, &hostname) ||
		errors.As(err, &verify) || errors.As(err, &header) || errors.As(err, &alert) {
		return KindTLS
	}
	var dns *net.DNSError
	if errors.As(err, &dns) && !dns.IsTimeout {
		return KindNoName
	}
	if errors.Is(err, context.Canceled) {
		return KindCancelled
	}
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return KindTimeout
	}
	// Any other failure of the transport (refused, unreachable, reset,
	// dropped before the answer) means no usable connection.
	var op *net.OpError
	var ue *url.Error
	if errors.As(err, &op) || errors.As(err, &ue) {
		return KindOffline
	}
	return KindLocal
}

// serverKind is what a refusal means for the operator: the server's
// machine-readable code first, then the HTTP status.
func serverKind(se *ServerError) Kind {
	switch se.Code {
	case "bad_code":
		return KindCode
	case "revoked":
		return KindRevoked
	case "bad_token":
		return KindUnknownPC
	case "update_app":
		return KindUpdateApp
	case "busy":
		return KindBusy
	case "too_many":
		return KindRefused // it says how long to wait, in its own words
	case "internal":
		return KindServer
	}
	switch {
	case se.Status == http.StatusUpgradeRequired:
		return KindUpdateApp
	case se.Status == http.StatusServiceUnavailable || se.Status == http.StatusTooManyRequests:
		return KindBusy
	case se.Status >= 500:
		return KindServer
	case se.Code == "http":
		// No blk-server answer body: a web server, a proxy or a login page
		// of the network answered instead.
		return KindWrongAddress
	}
	return KindRefused
}

// replyError is an answer that is not blk-server's protocol.
type replyError struct {
	path string
	err  error
}

func (e *replyError) Error() string { return "reply from " + e.path + ": " + e.err.Error() }
func (e *replyError) Unwrap() error { return e.err }
