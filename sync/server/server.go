// Package server is the sync API of blk-server: the HTTP handler of
// /v1/enrol, /v1/push, /v1/pull, the release downloads /v1/release/{id}
// and /healthz over a central.Storage. It
// speaks the messages of package wire and converts them to and from
// central's storage types, so neither the desktop's client nor the storage
// depends on the other. The desktop never links it.
package server

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/sync/semaphore"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
	"github.com/kemnaker/blk/sync/wire"
)

// Server is the sync API of blk-server over a central.Storage.
type Server struct {
	st  central.Storage
	log *slog.Logger
	now func() time.Time
	// budget bounds the bytes being decompressed at once (DecodeBudget).
	budget *semaphore.Weighted
	// enrols limits enrolment attempts per client address.
	enrols *limiter
}

// TuneServerRuntime sets the garbage collector for `blk-server serve`
// unless GOGC or GOMEMLIMIT say otherwise: a push allocates several times
// its records while decoding, merging and encoding JSON, and with Go's
// default target the collector took a sixth of the CPU with 200 PCs
// pushing. The heap may grow to four times what is live, softly capped at
// 1 GiB, after which the collector works harder instead of the server
// growing.
func TuneServerRuntime() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1 << 30)
	}
}

// NewServer makes the sync API handler set.
func NewServer(st central.Storage, log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	return &Server{st: st, log: log, now: time.Now, budget: newBudget(), enrols: newLimiter(EnrolPerWindow, EnrolWindow)}
}

// Handler routes /v1/enrol, /v1/push, /v1/pull, /v1/release/{id} and /healthz.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+wire.PathHealth, s.healthz)
	mux.HandleFunc("POST "+wire.PathEnrol, s.enrol)
	mux.HandleFunc("POST "+wire.PathPush, s.auth(s.push))
	mux.HandleFunc("POST "+wire.PathPull, s.auth(s.pull))
	mux.HandleFunc("GET "+wire.PathRelease+"{id}", s.auth(s.release))
	return s.middleware(mux)
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(c int) { w.code = c; w.ResponseWriter.WriteHeader(c) }

// Unwrap lets http.ResponseController reach the connection (the release
// download moves its write deadline).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware stamps the server time on every reply, bounds the body, checks
// the protocol version and logs the request. Blk-Server-Time is the time the
// request arrived; a reply body's server_time_ms is the time it was written,
// so a PC can tell the server's work apart from its clock's offset.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w.Header().Set(wire.HeaderServerTime, strconv.FormatInt(s.now().UnixMilli(), 10))
		w.Header().Set(wire.HeaderFeatures, wire.FeatureRound+","+wire.FeatureDuplex)
		sw := &statusWriter{ResponseWriter: w, code: 200}
		limit := bodyLimit(r.URL.Path)
		if r.ContentLength > limit {
			s.failErr(sw, r, wire.ErrTooLarge)
			s.logReq(r, sw.code, start)
			return
		}
		r.Body = http.MaxBytesReader(sw, r.Body, limit)
		if strings.HasPrefix(r.URL.Path, "/v1/") && !s.versionOK(sw, r) {
			s.logReq(r, sw.code, start)
			return
		}
		next.ServeHTTP(sw, r)
		s.logReq(r, sw.code, start)
	})
}

func (s *Server) logReq(r *http.Request, code int, start time.Time) {
	lvl := slog.LevelInfo
	if code >= 500 {
		lvl = slog.LevelError
	} else if code >= 400 {
		lvl = slog.LevelWarn
	}
	s.log.Log(r.Context(), lvl, "request", "method", r.Method, "path", r.URL.Path, "status", code,
		"ms", time.Since(start).Milliseconds(), "remote", r.RemoteAddr)
}

func (s *Server) versionOK(w http.ResponseWriter, r *http.Request) bool {
	p, err := strconv.Atoi(r.Header.Get(wire.HeaderProtocol))
	if err != nil || p < wire.MinProtocol {
		s.fail(w, http.StatusUpgradeRequired, "update_app", "server.app_too_old")
		return false
	}
	if p > wire.ProtocolVersion {
		s.fail(w, http.StatusBadRequest, "update_server", "server.server_too_old")
		return false
	}
	sc, err := strconv.Atoi(r.Header.Get(wire.HeaderSchema))
	if err != nil || sc < wire.MinSchema {
		s.fail(w, http.StatusUpgradeRequired, "update_app", "server.schema_too_old")
		return false
	}
	if sc > wire.SchemaVersion {
		s.fail(w, http.StatusBadRequest, "update_server", "server.schema_too_new")
		return false
	}
	return true
}

// schemaOf is the schema version the request's PC knows (versionOK has
// checked it is one this server serves).
func schemaOf(r *http.Request) int {
	v, err := strconv.Atoi(r.Header.Get(wire.HeaderSchema))
	if err != nil {
		return wire.MinSchema
	}
	return v
}

// fail answers with status code, the machine-readable kind and the
// catalogue's text of key in both languages (the PC shows the one its
// operator reads).
func (s *Server) fail(w http.ResponseWriter, code int, kind, key string, args ...any) {
	s.write(w, code, wire.ErrorResponse{Code: kind,
		Message: msg.T(msg.Indonesian, key, args...), MessageEN: msg.T(msg.English, key, args...)})
}

// write answers with status code and the error reply e.
func (s *Server) write(w http.ResponseWriter, code int, e wire.ErrorResponse) {
	body, _ := wire.EncodeGzip(e)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(code)
	_, _ = w.Write(body)
}

func (s *Server) reply(w http.ResponseWriter, v any) {
	body, err := wire.EncodeGzip(v)
	if err != nil {
		s.fail(w, 500, "internal", "server.internal")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Encoding", "gzip")
	_, _ = w.Write(body)
}

// failErr maps storage and decoding errors to a status and a message.
func (s *Server) failErr(w http.ResponseWriter, r *http.Request, err error) {
	code, reply := s.errorReply(r, err)
	if code == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "10")
	}
	s.write(w, code, reply)
}

// errorReply is the status and message an error is answered with: the
// catalogue's text in both languages and a machine-readable kind.
func (s *Server) errorReply(r *http.Request, err error) (int, wire.ErrorResponse) {
	// The detail names what was wrong, never a value sent (central words
	// its errors so); it is also cut, so no reply grows with its request.
	detail := cutDetail(err.Error())
	e := func(code int, kind, key string, args ...any) (int, wire.ErrorResponse) {
		return code, wire.ErrorResponse{Code: kind, Message: msg.T(msg.Indonesian, key, args...), MessageEN: msg.T(msg.English, key, args...)}
	}
	switch {
	case errors.Is(err, wire.ErrTooLarge):
		return e(http.StatusRequestEntityTooLarge, "too_large", "server.too_large")
	case errors.Is(err, central.ErrBadCode):
		return e(http.StatusForbidden, "bad_code", "server.bad_code")
	case errors.Is(err, central.ErrBadToken):
		return e(http.StatusUnauthorized, "bad_token", "server.bad_token")
	case errors.Is(err, central.ErrRevoked):
		return e(http.StatusForbidden, "revoked", "server.revoked")
	case errors.Is(err, central.ErrForbidden):
		return e(http.StatusForbidden, "forbidden", "server.forbidden", detail)
	case errors.Is(err, central.ErrDeviceExists):
		return e(http.StatusConflict, "device_exists", "server.device_exists")
	case errors.Is(err, central.ErrInvalid), errors.Is(err, errMalformed):
		return e(http.StatusBadRequest, "invalid", "server.invalid", detail)
	case errors.Is(err, central.ErrNotFound):
		return e(http.StatusNotFound, "not_found", "server.not_found", detail)
	case errors.Is(err, errBusy):
		return e(http.StatusServiceUnavailable, "busy", "server.busy")
	case errors.Is(err, context.Canceled):
		return e(499, "cancelled", "server.cancelled")
	default:
		s.log.Error("request failed", "path", r.URL.Path, "err", err)
		return e(http.StatusInternalServerError, "internal", "server.failed")
	}
}

var errMalformed = errors.New("malformed request")

// decode reads a body with one of wire's decoders, within the decode
// budget, and marks what it refuses as malformed or too large.
func decode[T any](s *Server, r *http.Request, limit int64, read func(io.Reader, bool) (T, error)) (T, error) {
	var zero T
	release, err := s.reserve(r, limit)
	if err != nil {
		return zero, err
	}
	defer release()
	v, err := read(r.Body, r.Header.Get("Content-Encoding") == "gzip")
	if err != nil {
		if errors.Is(err, wire.ErrTooLarge) {
			return zero, err
		}
		return zero, fmt.Errorf("%w: %v", errMalformed, err)
	}
	return v, nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.st.Ping(ctx); err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte("ok\n"))
}

func (s *Server) enrol(w http.ResponseWriter, r *http.Request) {
	addr := clientAddr(r)
	if ok, wait := s.enrols.allow(addr, s.now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
		s.fail(w, http.StatusTooManyRequests, "too_many", "server.enrol_too_many")
		return
	}
	req, err := decode(s, r, wire.MaxSmallBytes, wire.DecodeEnrol)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	ctx := central.WithActor(r.Context(), "", addr)
	if req.CentreID != "" {
		if err := s.st.CheckCode(ctx, req.Code, req.CentreID); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	token, dev, err := s.st.Enrol(ctx, req.Code, req.DeviceID, req.DeviceName)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	name := ""
	if cs, err := s.st.Centres(r.Context()); err == nil {
		for _, c := range cs {
			if c.ID == dev.CentreID {
				name = c.Name
			}
		}
	}
	s.log.Info("device enrolled", "device", dev.ID, "centre", dev.CentreID, "name", dev.Name)
	s.reply(w, wire.EnrolResponse{Token: token, CentreID: dev.CentreID, CentreName: name, ServerTimeMS: s.now().UnixMilli(),
		CentreCode: dev.CentreCode, DeviceNo: dev.No})
}

func (s *Server) auth(next func(http.ResponseWriter, *http.Request, central.Device)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			s.failErr(w, r, central.ErrBadToken)
			return
		}
		dev, err := s.st.Authenticate(r.Context(), token)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		next(w, r, dev)
	}
}

func (s *Server) push(w http.ResponseWriter, r *http.Request, dev central.Device) {
	if r.Header.Get("Content-Encoding") != "gzip" {
		s.failErr(w, r, fmt.Errorf("%w: push body must be gzip", errMalformed))
		return
	}
	if h := r.Header.Get(wire.HeaderRound); h != "" {
		s.duplexPush(w, r, dev, h)
		return
	}
	req, err := decode(s, r, wire.MaxDecodedBytes, func(body io.Reader, _ bool) (wire.PushRequest, error) { return wire.DecodePush(body) })
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	out, err := s.applyPush(r, dev, req, req.Round)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if rr := req.Round; rr != nil && !out.Deferred {
		// The pull the PC would make next, read after the batch: the
		// server time, what it has applied, the release announcement and
		// the page travel in this reply.
		dev.AppliedSeq, dev.AppliedClock = out.AppliedSeq, out.AppliedClock
		p, err := s.readPage(r, dev, rr.PullRequest)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		out.Pull = &p
		// the time the reply leaves: with Blk-Server-Time (the arrival)
		// the PC leaves the page's reading out of its clock estimate
		out.ServerTimeMS = s.now().UnixMilli()
	}
	s.reply(w, out)
}

// applyPush applies a batch, or, for a round (rr set) that does not fit
// (roundFits), answers Deferred having applied nothing: the PC's picture
// of this server is out of date (a restored backup on either side) or its
// clock runs ahead, and it takes the two-step round.
func (s *Server) applyPush(r *http.Request, dev central.Device, req wire.PushRequest, rr *wire.RoundRequest) (wire.PushResponse, error) {
	if rr != nil && !s.roundFits(dev, *rr, req.Changes) {
		s.log.Debug("push deferred", "device", dev.ID, "applied_seq", dev.AppliedSeq, "expected", rr.ExpectApplied)
		return wire.PushResponse{AppliedSeq: dev.AppliedSeq, AppliedClock: dev.AppliedClock, ServerTimeMS: s.now().UnixMilli(), Deferred: true}, nil
	}
	res, err := s.st.Push(r.Context(), dev, req.Changes)
	if err != nil {
		return wire.PushResponse{}, err
	}
	// After the changes, so a "take the other value" edit is stored
	// before its conflict shows as resolved.
	if len(req.Resolved) > 0 {
		if err := s.st.ResolveConflicts(r.Context(), dev, req.Resolved); err != nil {
			return wire.PushResponse{}, err
		}
	}
	s.log.Debug("push", "device", dev.ID, "changes", len(req.Changes), "applied_seq", res.AppliedSeq, "rejected", len(res.Rejections))
	return pushResponse(res, s.now()), nil
}

// roundFits reports whether a Round push may be applied: the server has
// applied exactly what the PC believes it has (so the PC's outbox needs no
// repair, see store.ReconcileOutbox) and no change's clock runs ahead of
// the server by more than the PC tolerates (it would re-stamp them first).
func (s *Server) roundFits(dev central.Device, rr wire.RoundRequest, changes []domain.Change) bool {
	if dev.AppliedSeq != rr.ExpectApplied || dev.AppliedClock != rr.ExpectClock {
		return false
	}
	limit := s.now().UnixMilli() + rr.MaxAheadMS
	for _, c := range changes {
		if c.Clock.WallMS() > limit {
			return false
		}
	}
	return true
}

// duplexPush answers a push that names its round in HeaderRound
// (wire.FeatureDuplex): the pull page is read and sent first, before the
// push body has arrived, so that on a slow link the page comes down while
// the batch goes up; the batch is then read, applied under the same
// conditions as a Round push (roundFits), and its answer ends the reply as
// a wire.DuplexTail. The page is what the two-step round's first pull would
// bring: read before the batch, without this device's own versions.
func (s *Server) duplexPush(w http.ResponseWriter, r *http.Request, dev central.Device, h string) {
	rr, err := wire.DecodeRoundHeader(h)
	if err != nil {
		if !errors.Is(err, wire.ErrTooLarge) {
			err = fmt.Errorf("%w: %s: %v", errMalformed, wire.HeaderRound, err)
		}
		s.failErr(w, r, err)
		return
	}
	p, err := s.readPage(r, dev, rr.PullRequest)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	rc := http.NewResponseController(w)
	// HTTP/1 servers read a request's body before answering unless told;
	// over HTTP/2 the exchange is full duplex anyway. A body left unread
	// (a batch refused half-way) must be closed before the handler
	// returns, or the server's next read of the connection panics
	// (golang/go#68560).
	_ = rc.EnableFullDuplex()
	defer r.Body.Close()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(http.StatusOK)
	zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	enc := json.NewEncoder(zw)
	if err := enc.Encode(p); err != nil {
		return
	}
	if zw.Flush() != nil || rc.Flush() != nil {
		return // the PC is gone; its push is read by no one
	}
	tail := s.duplexTail(r, dev, rr)
	if err := enc.Encode(tail); err == nil {
		_ = zw.Close()
	}
}

// duplexTail reads and applies the push of a duplex exchange.
func (s *Server) duplexTail(r *http.Request, dev central.Device, rr wire.RoundRequest) wire.DuplexTail {
	fail := func(err error) wire.DuplexTail {
		code, e := s.errorReply(r, err)
		return wire.DuplexTail{Error: &e, Status: code}
	}
	req, err := decode(s, r, wire.MaxDecodedBytes, func(body io.Reader, _ bool) (wire.PushRequest, error) { return wire.DecodePush(body) })
	if err != nil {
		return fail(err)
	}
	if req.Round != nil {
		return fail(fmt.Errorf("%w: a round in both the header and the body", errMalformed))
	}
	out, err := s.applyPush(r, dev, req, &rr)
	if err != nil {
		return fail(err)
	}
	return wire.DuplexTail{Push: &out}
}

func (s *Server) pull(w http.ResponseWriter, r *http.Request, dev central.Device) {
	req, err := decode(s, r, wire.MaxSmallBytes, wire.DecodePull)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	out, err := s.readPage(r, dev, req)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.reply(w, out)
}

// readPage is the pull reply for req: the page as the request's PC can
// take it, what the server has applied of dev, the release announcement.
func (s *Server) readPage(r *http.Request, dev central.Device, req wire.PullRequest) (wire.PullResponse, error) {
	// A PC has its own versions, except after restoring a backup, when it
	// asks with full. (Sending them at cursor 0 too sent a centre's whole
	// first upload straight back to the PC that made it.)
	skip := dev.ID
	if req.Full {
		skip = ""
	}
	res, err := s.st.Pull(r.Context(), dev.CentreID, skip, req.Cursor, req.RefCursor, req.MaxBytes)
	if err != nil {
		return wire.PullResponse{}, err
	}
	out := pullResponse(res, dev, s.now())
	out.PullPage = out.PullPage.ForSchema(schemaOf(r))
	out.Release = s.newestRelease(r)
	return out, nil
}

// newestRelease is the announcement for the platform the PC named, nil
// when it named none or none is published. A failure to read it costs the
// PC an announcement, never its pull.
func (s *Server) newestRelease(r *http.Request) *wire.Release {
	platform := r.Header.Get(wire.HeaderPlatform)
	if platform == "" || len(platform) > 64 {
		return nil
	}
	rel, err := s.st.NewestRelease(r.Context(), platform)
	if err != nil {
		if !errors.Is(err, central.ErrNotFound) {
			s.log.Error("newest release", "platform", platform, "err", err)
		}
		return nil
	}
	m := rel.Manifest
	return &wire.Release{ID: rel.ID, Version: m.Version, Platform: m.Platform, File: m.File, Size: m.Size, SHA256: m.SHA256, Signature: m.Signature}
}

// releaseWriteWindow is how long one write of a release download may
// take. The server's WriteTimeout bounds whole replies, which a 10 MB
// installer on a 2G link outlasts many times over; the download instead
// may go on as long as bytes keep moving.
const releaseWriteWindow = 2 * time.Minute

// release serves a release file to an enrolled PC, with byte ranges
// (http.ServeContent) so that a download cut by the link resumes where it
// stopped. The ETag is the file's SHA-256: a range asked with If-Range
// against another file gets the whole new file instead.
func (s *Server) release(w http.ResponseWriter, r *http.Request, dev central.Device) {
	rel, rd, err := s.st.OpenRelease(r.Context(), r.PathValue("id"))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", `attachment; filename="`+rel.File+`"`)
	h.Set("ETag", `"`+rel.SHA256+`"`)
	h.Set("Cache-Control", "private")
	if r.Header.Get("Range") == "" {
		s.log.Info("release download", "device", dev.ID, "release", rel.ID)
	}
	http.ServeContent(&deadlineWriter{ResponseWriter: w, rc: http.NewResponseController(w)}, r, rel.File, rel.AddedAt, rd)
}

// deadlineWriter moves the connection's write deadline forward before
// every write.
type deadlineWriter struct {
	http.ResponseWriter
	rc *http.ResponseController
}

func (d *deadlineWriter) Write(p []byte) (int, error) {
	_ = d.rc.SetWriteDeadline(time.Now().Add(releaseWriteWindow))
	return d.ResponseWriter.Write(p)
}

// pushResponse is the wire form of what the storage did with a push.
func pushResponse(res central.PushResult, now time.Time) wire.PushResponse {
	out := wire.PushResponse{AppliedSeq: res.AppliedSeq, AppliedClock: res.AppliedClock, Conflicts: res.Conflicts, ServerTimeMS: now.UnixMilli()}
	if len(res.Rejections) > 0 {
		out.Rejections = make([]wire.Rejection, len(res.Rejections))
		for i, r := range res.Rejections {
			out.Rejections[i] = wire.Rejection{Seq: r.Seq, Table: r.Table, RowID: r.RowID, Field: r.Field, ReasonID: r.ReasonID, ReasonEN: r.ReasonEN}
		}
	}
	return out
}

// pullResponse is the wire form of one page the storage read, with what
// the server has applied of the device's own outbox.
func pullResponse(res central.PullResult, dev central.Device, now time.Time) wire.PullResponse {
	return wire.PullResponse{
		PullPage: wire.PullPage{
			Cursor: res.Cursor, RefCursor: res.RefCursor, More: res.More,
			Changes: res.Changes, RefChanges: res.RefChanges, Conflicts: res.Conflicts,
		},
		AppliedSeq: dev.AppliedSeq, AppliedClock: dev.AppliedClock, ServerTimeMS: now.UnixMilli(),
		CentreCode: dev.CentreCode, DeviceNo: dev.No,
	}
}

// maxDetail bounds the detail an error reply carries.
const maxDetail = 300

// cutDetail keeps an error's text printable and short: a decoder's error may
// quote the input (an unknown field's name).
func cutDetail(s string) string {
	s = strings.ToValidUTF8(strings.Map(func(r rune) rune {
		if r < ' ' {
			return -1
		}
		return r
	}, s), "")
	if len(s) <= maxDetail {
		return s
	}
	cut := maxDetail
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
