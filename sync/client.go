package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
	"github.com/kemnaker/blk/sync/wire"
	"github.com/kemnaker/blk/update"
)

// Clock policy thresholds (docs/SYNC.md).
const (
	// ClockWarnAfter is the |server − PC| offset above which the app warns.
	ClockWarnAfter = 2 * time.Minute
	// RebaseAfter is how far ahead of the server this device's clock may be
	// before its unsent writes are re-stamped.
	RebaseAfter = time.Minute
)

// Meta keys the client keeps in the store.
const (
	MetaServerURL = "server_url"
	MetaToken     = "device_token"
	MetaLastSync  = "last_sync"
	// MetaCentreCode and MetaDeviceNo are what the server numbered this
	// PC's centre and the PC itself (the same keys as package store's).
	MetaCentreCode = "centre_code"
	MetaDeviceNo   = "device_no"
	// MetaServerFeatures is the server's wire.HeaderFeatures as last seen.
	MetaServerFeatures = "server_features"
)

// ErrNotEnrolled is returned by Round before Enrol.
var ErrNotEnrolled = errors.New("this PC is not connected to a central server yet: run `blk enrol --server URL --code CODE`")

// ErrEnrolledNotSynced is wrapped around the failure of the first download
// after a successful enrolment: the PC has joined, and the next sync
// (background, "Sinkronisasi sekarang" or `blk sync`) continues it.
var ErrEnrolledNotSynced = errors.New("enrolled, but the first download did not finish (run `blk sync` to continue)")

var errAlreadyEnrolled = &Failure{Kind: KindLocal, key: "syncerr.already_enrolled",
	underlying: errors.New("this PC is already enrolled; use a new data folder to enrol again")}

// ServerError is a refusal from the server, with its message in both languages.
type ServerError struct {
	Status    int
	Code      string
	Message   string // Indonesian
	MessageEN string
}

func (e *ServerError) Error() string {
	return fmt.Sprintf("server refused (%d %s): %s", e.Status, e.Code, e.MessageEN)
}

// Localized is the message in lang.
func (e *ServerError) Localized(lang domain.Lang) string {
	if lang == domain.English {
		return e.MessageEN
	}
	return e.Message
}

// Permanent reports a refusal that retrying cannot fix (bad token, revoked,
// too old an app), as opposed to a network failure or a server error.
func (e *ServerError) Permanent() bool {
	return e.Status >= 400 && e.Status < 500 && e.Status != 499 && e.Status != 429
}

// RoundResult is what one push+pull round did.
type RoundResult struct {
	Pushed     int           `json:"pushed"`      // changes acknowledged by the server
	Rejected   int           `json:"rejected"`    // of those, refused
	Pulled     int           `json:"pulled"`      // changes received
	Conflicts  int           `json:"conflicts"`   // conflicts received
	Rebased    int           `json:"rebased"`     // writes re-stamped because the PC clock ran ahead
	Pending    int           `json:"pending"`     // still unacknowledged afterwards
	ClockSkew  time.Duration `json:"clock_skew"`  // server minus PC
	ServerTime time.Time     `json:"server_time"` // at the last reply
	Restored   bool          `json:"restored"`    // this database came from an old backup; its outbox was renumbered

	restored  bool // set by the pull that found it
	announced bool // the updater has heard this round's release
	requests  int  // push requests made
	conflicts int  // conflicts the pushes caused
}

// Outbox is the desktop's unsent writes as the client pushes them, and
// what the server said about them.
type Outbox interface {
	// PendingChanges returns entries after seq, oldest first, at most limit.
	PendingChanges(ctx context.Context, after int64, limit int) ([]domain.Change, error)
	// PendingCount is how many entries the server has not acknowledged.
	PendingCount(ctx context.Context) (int, error)
	// PushedSeq is the highest seq the server has durably applied.
	PushedSeq(ctx context.Context) (int64, error)
	// SetPushedSeq records the server's acknowledgement.
	SetPushedSeq(ctx context.Context, seq int64) error
	// AddRejections keeps the changes the server refused.
	AddRejections(ctx context.Context, rs []domain.Rejection) error
	// Rejections lists them, for the status.
	Rejections(ctx context.Context) ([]domain.Rejection, error)
	// ResolutionsToSend lists conflicts resolved on this PC that the server
	// has not heard of; ResolutionsSent records that it has.
	ResolutionsToSend(ctx context.Context) ([]string, error)
	ResolutionsSent(ctx context.Context, ids []string) error
	// RebaseFutureClocks re-stamps unsent writes from a clock that ran ahead
	// of serverNow by more than tolerance (docs/SYNC.md); it returns how many.
	RebaseFutureClocks(ctx context.Context, serverNow time.Time, tolerance time.Duration) (int, error)
	// ReconcileOutbox repairs the outbox when the server has applied seqs
	// this database reuses (a restored backup); it reports a repair.
	ReconcileOutbox(ctx context.Context, appliedSeq int64, appliedClock domain.Clock) (bool, error)
	// PruneOutbox removes acknowledged entries an earlier version kept.
	PruneOutbox(ctx context.Context) (int64, error)
}

// Inbox is where pulled pages go.
type Inbox interface {
	// PullCursor and RefCursor are the sequences the next page follows.
	PullCursor(ctx context.Context) (int64, error)
	RefCursor(ctx context.Context) (int64, error)
	// PullFull reports a pull that must bring this device's own versions
	// too (after a restore), until its last page is applied.
	PullFull(ctx context.Context) (bool, error)
	// ApplyPull applies one page, cursors included, in one transaction.
	ApplyPull(ctx context.Context, p wire.PullPage) error
	// PullForSchema starts the pull again from the beginning when this
	// release knows a newer schema than the one the cursors were pulled
	// with: the server left out what the older release did not know.
	PullForSchema(ctx context.Context, v int) (bool, error)
	// Conflicts lists the conflicts known here, for the status.
	Conflicts(ctx context.Context) ([]domain.Conflict, error)
}

// Local is the desktop database as the client needs it: the outbox, the
// inbox, this installation's identity and clock, and the client's own
// settings. *store.Store implements it; tests may pass another.
type Local interface {
	Outbox
	Inbox
	DeviceID() string
	CentreID() string
	// JoinCentre makes an empty database a device of the centre.
	JoinCentre(ctx context.Context, centreID string) error
	// Meta and SetMeta keep the client's settings (Meta* keys).
	Meta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, key, value string) error
	// LocalTime is the PC's clock; ClockOffset the last known server-minus-PC
	// offset, which SetClockOffset records.
	LocalTime() time.Time
	ClockOffset() time.Duration
	SetClockOffset(ctx context.Context, offset time.Duration) error
}

// Client syncs one local store with blk-server.
type Client struct {
	st       Local
	hc       *http.Client
	lang     domain.Lang
	name     string
	batch    int
	bytes    int
	adaptive bool          // batches grow on slow links (no WithBatch)
	rtt      time.Duration // shortest request of the round: about one round trip
	page     int           // pull page bound in bytes

	interval, backoffMin, backoffMax, poll time.Duration

	updater Updater // hears release announcements; nil: none

	round gosync.Mutex // one round at a time
	wake  chan struct{}

	// features is the last wire.HeaderFeatures a reply carried (nil
	// before any reply); Round keeps it in MetaServerFeatures.
	featMu   gosync.Mutex
	features *string

	mu     gosync.Mutex
	status Status
	subs   map[int]func(Status)
	nsub   int
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (timeouts, TLS roots, test transports).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithLang sets the language of stored rejection reasons and errors.
func WithLang(l domain.Lang) Option { return func(c *Client) { c.lang = l } }

// WithBatch bounds one push by number of changes and by JSON bytes.
func WithBatch(changes, bytes int) Option {
	return func(c *Client) { c.batch, c.bytes, c.adaptive = changes, bytes, false }
}

// WithPullBytes bounds one pull page (the server caps it too).
func WithPullBytes(n int) Option { return func(c *Client) { c.page = n } }

// WithSchedule sets the background loop's quiet interval, its backoff range
// after failures, and how often it looks for new local writes.
func WithSchedule(interval, backoffMin, backoffMax, poll time.Duration) Option {
	return func(c *Client) {
		c.interval, c.backoffMin, c.backoffMax, c.poll = interval, backoffMin, backoffMax, poll
	}
}

// Updater hears the releases the server announces for this PC's platform
// (*update.Updater): it decides whether to take one and downloads it in
// the background with the URL and headers given, so Consider must not
// block.
type Updater interface {
	Consider(m update.Manifest, url string, header http.Header) error
}

// WithUpdater passes every release the server announces to u.
func WithUpdater(u Updater) Option { return func(c *Client) { c.updater = u } }

// Platform is this PC's GOOS-GOARCH, which the server announces releases for.
var Platform = runtime.GOOS + "-" + runtime.GOARCH

// WithDeviceName names this PC in the server's device list.
func WithDeviceName(n string) Option { return func(c *Client) { c.name = n } }

// NewClient makes the sync client of st.
func NewClient(st Local, opts ...Option) *Client {
	host, _ := os.Hostname()
	c := &Client{
		st: st, hc: &http.Client{Timeout: 2 * time.Minute}, lang: domain.Indonesian, name: host,
		batch: 1000, bytes: 1 << 20, adaptive: true, page: 4 << 20,
		interval: 5 * time.Minute, backoffMin: 5 * time.Second, backoffMax: 5 * time.Minute, poll: 10 * time.Second,
		wake: make(chan struct{}, 1), subs: map[int]func(Status){},
	}
	for _, o := range opts {
		o(c)
	}
	c.refresh(context.Background())
	return c
}

// Status is the last known state, cheap to call from the UI goroutine.
func (c *Client) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

// Subscribe calls fn after every status change, from the client's goroutine
// (GUIs hop to their own with fyne.Do). cancel stops the calls.
func (c *Client) Subscribe(fn func(Status)) (cancel func()) {
	c.mu.Lock()
	id := c.nsub
	c.nsub++
	c.subs[id] = fn
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		delete(c.subs, id)
		c.mu.Unlock()
	}
}

func (c *Client) update(fn func(*Status)) {
	c.mu.Lock()
	fn(&c.status)
	st := c.status
	subs := make([]func(Status), 0, len(c.subs))
	for _, f := range c.subs {
		subs = append(subs, f)
	}
	c.mu.Unlock()
	for _, f := range subs {
		f(st)
	}
}

// refresh reloads the counts and settings the status shows from the store.
// When the store cannot say, the status keeps what it showed, and the
// error is the status's LastError rather than a status of zeros (which
// would read as "not enrolled, nothing pending").
func (c *Client) refresh(ctx context.Context) {
	var (
		pending                int
		rej                    []domain.Rejection
		cs                     []domain.Conflict
		server, token, lastRun string
	)
	err := firstErr(
		func() (err error) { pending, err = c.st.PendingCount(ctx); return },
		func() (err error) { rej, err = c.st.Rejections(ctx); return },
		func() (err error) { cs, err = c.st.Conflicts(ctx); return },
		func() (err error) { server, err = c.st.Meta(ctx, MetaServerURL); return },
		func() (err error) { token, err = c.st.Meta(ctx, MetaToken); return },
		func() (err error) { lastRun, err = c.st.Meta(ctx, MetaLastSync); return },
	)
	if err != nil {
		c.update(func(s *Status) { s.LastError = err.Error() })
		return
	}
	open := 0
	for _, x := range cs {
		if !x.Resolved {
			open++
		}
	}
	skew := c.st.ClockOffset()
	c.update(func(s *Status) {
		s.Enrolled = token != ""
		s.Server = server
		s.Pending, s.Rejected, s.Conflicts = pending, len(rej), open
		if t, err := time.Parse(time.RFC3339, lastRun); err == nil && s.LastSuccess.IsZero() {
			s.LastSuccess = t
		}
		s.ClockSkew = skew
		s.ClockWarn = skew > ClockWarnAfter || skew < -ClockWarnAfter
	})
}

// firstErr runs fns in order until one fails.
func firstErr(fns ...func() error) error {
	for _, fn := range fns {
		if err := fn(); err != nil {
			return err
		}
	}
	return nil
}

// SyncNow wakes the background loop for a round now.
func (c *Client) SyncNow() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Enrol joins the central server with a one-time code and downloads the
// centre's whole current state into this (empty or same-centre) store.
func (c *Client) Enrol(ctx context.Context, serverURL, code string) error {
	if tok, err := c.st.Meta(ctx, MetaToken); err != nil {
		return err
	} else if tok != "" {
		return errAlreadyEnrolled
	}
	serverURL = strings.TrimRight(serverURL, "/")
	var resp wire.EnrolResponse
	req := wire.EnrolRequest{Code: code, DeviceID: c.st.DeviceID(), DeviceName: c.name, CentreID: c.st.CentreID()}
	if err := c.call(ctx, serverURL, "", wire.PathEnrol, req, &resp); err != nil {
		return fmt.Errorf("enrol: %w", err)
	}
	if err := c.st.JoinCentre(ctx, resp.CentreID); err != nil {
		return err
	}
	if err := c.st.SetMeta(ctx, MetaServerURL, serverURL); err != nil {
		return err
	}
	if err := c.st.SetMeta(ctx, MetaToken, resp.Token); err != nil {
		return err
	}
	if err := c.learnIssuer(ctx, resp.CentreCode, resp.DeviceNo); err != nil {
		return err
	}
	c.refresh(ctx)
	if _, err := c.Round(ctx); err != nil {
		return fmt.Errorf("%w: %w", ErrEnrolledNotSynced, err)
	}
	return nil
}

// Round pushes every pending change and pulls everything new: in one
// exchange when the server can (oneTrip), else in steps (twoStep).
func (c *Client) Round(ctx context.Context) (RoundResult, error) {
	c.round.Lock()
	defer c.round.Unlock()
	server, err := c.st.Meta(ctx, MetaServerURL)
	if err != nil {
		return RoundResult{}, err
	}
	token, err := c.st.Meta(ctx, MetaToken)
	if err != nil {
		return RoundResult{}, err
	}
	if token == "" {
		return RoundResult{}, ErrNotEnrolled
	}
	c.update(func(s *Status) { s.Running = true; s.LastAttempt = time.Now() })
	var res RoundResult
	c.rtt = 0
	// With a server that takes a push and a pull in one exchange, a round
	// with something to push is one round trip (round.go); otherwise, or
	// when the server defers, the two-step round below.
	_, err = c.st.PullForSchema(ctx, wire.SchemaVersion)
	handled := false
	if err == nil {
		handled, err = c.oneTrip(ctx, server, token, &res)
	}
	if err == nil && handled {
		_, _ = c.st.PruneOutbox(ctx)
	}
	if err == nil && !handled {
		err = c.twoStep(ctx, server, token, &res)
	}
	c.keepFeatures(ctx)
	res.Pending, _ = c.st.PendingCount(ctx)
	if err == nil {
		now := time.Now().UTC()
		err = c.st.SetMeta(ctx, MetaLastSync, now.Format(time.RFC3339))
		c.update(func(s *Status) {
			s.LastSuccess = now
			s.LastError, s.LastErrorKind, s.LastErrorDetail = "", KindNone, ""
		})
	} else {
		f := Classify(err)
		c.update(func(s *Status) {
			s.LastError, s.LastErrorKind, s.LastErrorDetail = f.Localized(c.lang), f.Kind, f.Detail()
		})
	}
	c.refresh(ctx)
	c.update(func(s *Status) { s.Running = false })
	return res, err
}

// twoStep is the round in steps: a pull first (it tells the server's time,
// to correct a wrong PC clock before pushing, and what the server has
// applied, which reveals a restored backup), then the push batches, then a
// pull for what arrived meanwhile.
func (c *Client) twoStep(ctx context.Context, server, token string, res *RoundResult) error {
	err := c.pull(ctx, server, token, res)
	if err == nil && res.restored {
		// The outbox was repaired and the cursor reset: pull everything.
		err = c.pull(ctx, server, token, res)
	}
	if err == nil {
		if res.Rebased, err = c.st.RebaseFutureClocks(ctx, res.ServerTime, RebaseAfter); err == nil {
			// Pull again for what arrived while pushing, unless the push
			// was one quick request that caused no conflict: on a slow
			// link that round trip is a large part of a small round, and
			// the next round brings the rest.
			if err = c.push(ctx, server, token, res); err == nil && (res.requests > 1 || res.conflicts > 0) {
				err = c.pull(ctx, server, token, res)
			}
			if err == nil {
				// Housekeeping for databases of earlier versions, which
				// kept every acknowledged entry; a failure here is retried
				// next round and harms nothing.
				_, _ = c.st.PruneOutbox(ctx)
			}
		}
	}
	return err
}

// learnIssuer keeps the centre code and device number the server gave
// this PC, which its certificate numbers carry (domain/certificate.go).
// Numbers already issued keep what they were issued with.
func (c *Client) learnIssuer(ctx context.Context, centreCode string, deviceNo int64) error {
	for k, v := range map[string]string{MetaCentreCode: centreCode, MetaDeviceNo: strconv.FormatInt(deviceNo, 10)} {
		if v == "" || v == "0" {
			continue
		}
		if cur, err := c.st.Meta(ctx, k); err != nil || cur == v {
			continue
		}
		if err := c.st.SetMeta(ctx, k, v); err != nil {
			return err
		}
	}
	return nil
}

// exchange is when one request went out and its reply's headers came
// back, on this PC's clock, and when the server received it (its
// Blk-Server-Time header, stamped on arrival; 0 from servers that sent none).
type exchange struct {
	sent, headers time.Time
	arrivedMS     int64
}

// learnClock estimates how far the server's clock is from this PC's, from
// an exchange and the time the server wrote in its reply (replyMS), the
// way NTP does: ((arrived - sent) + (replied - headers)) / 2. The server's
// own work (a push applied, a page read) and the upload of a large body
// on a slow link then fall out of the estimate; taking the reply's time as
// the middle of the exchange counted half of both as clock skew (seconds
// on a 256 kbit/s link). A server that says nothing of its arrival time is
// taken to have replied in the middle of the exchange.
func (c *Client) learnClock(ctx context.Context, ex exchange, replyMS int64, res *RoundResult) {
	if replyMS <= 0 {
		return
	}
	server := time.UnixMilli(replyMS)
	var skew time.Duration
	if ex.arrivedMS > 0 && ex.arrivedMS <= replyMS {
		arrived := time.UnixMilli(ex.arrivedMS)
		skew = (arrived.Sub(ex.sent) + server.Sub(ex.headers)) / 2
	} else {
		skew = server.Sub(ex.sent.Add(ex.headers.Sub(ex.sent) / 2))
	}
	skew = skew.Round(time.Millisecond)
	res.ServerTime, res.ClockSkew = server, skew
	if d := skew - c.st.ClockOffset(); d > time.Second || d < -time.Second {
		_ = c.st.SetClockOffset(ctx, skew)
	}
}

func (c *Client) pull(ctx context.Context, server, token string, res *RoundResult) error {
	for {
		cur, err := c.st.PullCursor(ctx)
		if err != nil {
			return err
		}
		ref, err := c.st.RefCursor(ctx)
		if err != nil {
			return err
		}
		// After a restore every page must bring this device's own
		// versions too, not only the first: the store keeps asking until
		// the last page is in.
		full, err := c.st.PullFull(ctx)
		if err != nil {
			return err
		}
		var resp wire.PullResponse
		start := time.Now()
		body, err := wire.EncodeGzip(wire.PullRequest{Cursor: cur, RefCursor: ref, MaxBytes: c.page, Full: full})
		if err != nil {
			return err
		}
		ex, err := c.exchangeBody(ctx, server, token, wire.PathPull, body, &resp)
		if err != nil {
			return fmt.Errorf("pull: %w", err)
		}
		if took := time.Since(start); c.rtt == 0 || took < c.rtt {
			c.rtt = took
		}
		c.learnClock(ctx, ex, resp.ServerTimeMS, res)
		if resp.Release != nil && c.updater != nil && !res.announced {
			res.announced = true
			c.announce(server, token, *resp.Release)
		}
		if !res.Restored {
			fixed, err := c.st.ReconcileOutbox(ctx, resp.AppliedSeq, resp.AppliedClock)
			if err != nil {
				return fmt.Errorf("pull: %w", err)
			}
			if fixed {
				res.Restored, res.restored = true, true
				return nil // this page was read with the old cursor
			}
		}
		if err := c.applyPage(ctx, resp, res); err != nil {
			return err
		}
		if !resp.More {
			return nil
		}
	}
}

// pushBatch is one push request, ready to send.
type pushBatch struct {
	changes []domain.Change
	body    []byte // gzipped wire.PushRequest
	err     error
}

// nextBatch reads the outbox after seq, bounds the batch by count and by
// JSON bytes (one huge address field must not make a request the server
// refuses), and gzips it at level (gzip.BestCompression but on fast links,
// see push). Each change is encoded once: the bytes that measured it go
// into the body, which is wire.PushRequest's JSON as json.Encoder writes it.
func (c *Client) nextBatch(ctx context.Context, after int64, limit, maxBytes, level int) pushBatch {
	changes, err := c.st.PendingChanges(ctx, after, limit)
	if err != nil || len(changes) == 0 {
		return pushBatch{err: err}
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		return pushBatch{err: err}
	}
	zw.Write([]byte(`{"changes":[`))
	size := 0
	for i, ch := range changes {
		b, err := json.Marshal(ch)
		if err != nil {
			return pushBatch{err: err}
		}
		size += len(b)
		if i > 0 && size > maxBytes {
			changes = changes[:i]
			break
		}
		if i > 0 {
			zw.Write([]byte{','})
		}
		zw.Write(b)
	}
	zw.Write([]byte("]}\n"))
	if err := zw.Close(); err != nil {
		return pushBatch{err: err}
	}
	return pushBatch{changes: changes, body: buf.Bytes()}
}

// Batch growth: each push costs a round trip and the server's time on top
// of its bytes, so when pushes are short next to the round trip the batch
// doubles, up to what the server accepts. The server's time has a part per
// push too (its transaction, and the centre's summary rows it recomputes),
// so on a fast link the batch also doubles while a push is answered within
// fastPush: a centre's first push of 10,000 trainees went in 74 pushes of
// 1,000 changes over loopback, where 15 of 5,000 do.
//
// On such a link the bytes cost next to nothing and gzip's best level was
// the PC's largest cost (2.5 of 3 CPU seconds for those 73,643 changes;
// the default level: 0.5 s for 10 % more bytes), so batches after a fast
// push use the default level; slow links keep the best.
const (
	growUntil     = 20 // push time ÷ round trip
	fastPush      = time.Second
	maxBatchBytes = wire.MaxPushJSONBytes
)

func (c *Client) push(ctx context.Context, server, token string, res *RoundResult) error {
	pushed, err := c.st.PushedSeq(ctx)
	if err != nil {
		return err
	}
	limit, maxBytes, level := c.batch, c.bytes, gzip.BestCompression
	next := c.nextBatch(ctx, pushed, limit, maxBytes, level)
	for {
		b := next
		if b.err != nil {
			return b.err
		}
		if len(b.changes) == 0 {
			return c.pushResolutions(ctx, server, token, res)
		}
		last := b.changes[len(b.changes)-1].Seq
		// Read and gzip the following batch while this one travels; if
		// this one fails, it is simply dropped.
		following := make(chan pushBatch, 1)
		bctx, cancel := context.WithCancel(ctx)
		go func(limit, maxBytes, level int) { following <- c.nextBatch(bctx, last, limit, maxBytes, level) }(limit, maxBytes, level)
		var resp wire.PushResponse
		start := time.Now()
		ex, err := c.exchangeBody(ctx, server, token, wire.PathPush, b.body, &resp)
		took := time.Since(start)
		if err != nil {
			cancel()
			<-following
			return fmt.Errorf("push: %w", err)
		}
		c.learnClock(ctx, ex, resp.ServerTimeMS, res)
		if err := c.acknowledge(ctx, b.changes, resp, res); err != nil {
			cancel()
			<-following
			return err
		}
		next = <-following
		cancel()
		fast := took < fastPush
		if c.adaptive && (fast || c.rtt > 0 && took < growUntil*c.rtt) && limit < wire.MaxPushChanges {
			// The batch after the one just read grows.
			limit = min(2*limit, wire.MaxPushChanges)
			maxBytes = min(2*maxBytes, maxBatchBytes)
		}
		level = gzip.BestCompression
		if fast {
			level = gzip.DefaultCompression
		}
	}
}

// acknowledge records the server's answer to a batch: its rejections,
// then the acknowledged seq.
func (c *Client) acknowledge(ctx context.Context, changes []domain.Change, resp wire.PushResponse, res *RoundResult) error {
	last := changes[len(changes)-1].Seq
	if len(resp.Rejections) > 0 {
		rs := make([]domain.Rejection, 0, len(resp.Rejections))
		for _, r := range resp.Rejections {
			reason := r.ReasonID
			if c.lang == domain.English {
				reason = r.ReasonEN
			}
			rs = append(rs, domain.Rejection{Seq: r.Seq, Table: r.Table, RowID: r.RowID, Field: r.Field, Reason: reason, At: time.Now()})
		}
		// Stored before the seq moves on, so a crash in between
		// re-sends the batch and gets the same rejections again.
		if err := c.st.AddRejections(ctx, rs); err != nil {
			return err
		}
	}
	if resp.AppliedSeq < last {
		return fmt.Errorf("push: server applied up to %d of %d; try again", resp.AppliedSeq, last)
	}
	if err := c.st.SetPushedSeq(ctx, resp.AppliedSeq); err != nil {
		return err
	}
	res.Pushed += len(changes)
	res.Rejected += len(resp.Rejections)
	res.requests++
	res.conflicts += resp.Conflicts
	return nil
}

// pushResolutions tells the server which conflicts the operator resolved
// here, after the changes (a "take the other value" edit among them), so
// the server never shows a conflict resolved before its edit is stored.
func (c *Client) pushResolutions(ctx context.Context, server, token string, res *RoundResult) error {
	ids, err := c.st.ResolutionsToSend(ctx)
	if err != nil || len(ids) == 0 {
		return err
	}
	ids = ids[:min(len(ids), wire.MaxPushChanges)]
	var resp wire.PushResponse
	if err := c.call(ctx, server, token, wire.PathPush, wire.PushRequest{Changes: []domain.Change{}, Resolved: ids}, &resp); err != nil {
		return fmt.Errorf("push resolved conflicts: %w", err)
	}
	res.requests++
	return c.st.ResolutionsSent(ctx, ids)
}

// announce tells the updater of a release and how to download it: the
// headers every request carries, the device token among them.
func (c *Client) announce(server, token string, r wire.Release) {
	m := update.Manifest{Version: r.Version, Platform: r.Platform, File: r.File, Size: r.Size, SHA256: r.SHA256, Signature: r.Signature}
	h := http.Header{}
	c.setHeaders(h, token)
	// The updater says why it refuses a release itself (its state, its log).
	_ = c.updater.Consider(m, server+wire.PathRelease+url.PathEscape(r.ID), h)
}

// setHeaders sets what every request to the server carries.
func (c *Client) setHeaders(h http.Header, token string) {
	h.Set(wire.HeaderProtocol, strconv.Itoa(wire.ProtocolVersion))
	h.Set(wire.HeaderSchema, strconv.Itoa(wire.SchemaVersion))
	h.Set(wire.HeaderPlatform, Platform)
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}
}

// call posts a gzipped JSON request and decodes the gzipped JSON answer.
func (c *Client) call(ctx context.Context, server, token, path string, in, out any) error {
	body, err := wire.EncodeGzip(in)
	if err != nil {
		return err
	}
	return c.callBody(ctx, server, token, path, body, out)
}

// callBody posts an already gzipped JSON body.
func (c *Client) callBody(ctx context.Context, server, token, path string, body []byte, out any) error {
	_, err := c.exchangeBody(ctx, server, token, path, body, out)
	return err
}

// exchangeBody is callBody that also tells when the request went and its
// reply came, for the clock estimate.
func (c *Client) exchangeBody(ctx context.Context, server, token, path string, body []byte, out any) (exchange, error) {
	ex, dec, done, err := c.send(ctx, server, token, path, body, "")
	if err != nil {
		return ex, err
	}
	defer done()
	if err := dec.Decode(out); err != nil {
		return ex, &replyError{path, err}
	}
	return ex, nil
}

// errNoDuplex: a duplex push was answered the plain way, by a server that
// no longer names wire.FeatureDuplex.
var errNoDuplex = errors.New("the server no longer answers a push in duplex")

// exchangeDuplex posts a duplex push (wire.FeatureDuplex) with its round
// request in the HeaderRound header: it reads the reply's pull page into
// page and calls onPage while the batch may still be travelling up, then
// reads the push's answer into tail.
func (c *Client) exchangeDuplex(ctx context.Context, server, token string, body []byte, round string, page *wire.PullResponse, tail *wire.DuplexTail, onPage func(exchange) error) (exchange, error) {
	ex, dec, done, err := c.send(ctx, server, token, wire.PathPush, body, round)
	if err != nil {
		return ex, err
	}
	defer done()
	if !c.featureNamed(wire.FeatureDuplex) {
		return ex, errNoDuplex
	}
	if err := dec.Decode(page); err != nil {
		return ex, &replyError{wire.PathPush, err}
	}
	if err := onPage(ex); err != nil {
		return ex, err
	}
	if err := dec.Decode(tail); err != nil {
		return ex, &replyError{wire.PathPush, err}
	}
	return ex, nil
}

// send posts an already gzipped JSON body (with a round request in
// HeaderRound when round is set) and returns, for a 200 reply, a decoder
// of its gzipped JSON and the function that closes it; any other reply is
// a ServerError.
func (c *Client) send(ctx context.Context, server, token, path string, body []byte, round string) (exchange, *json.Decoder, func(), error) {
	var ex exchange
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, server+path, bytes.NewReader(body))
	if err != nil {
		return ex, nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set("Accept-Encoding", "gzip")
	if round != "" {
		req.Header.Set(wire.HeaderRound, round)
	}
	c.setHeaders(req.Header, token)
	ex.sent = c.st.LocalTime()
	resp, err := c.hc.Do(req)
	if err != nil {
		return ex, nil, nil, err
	}
	ex.headers = c.st.LocalTime()
	ex.arrivedMS, _ = strconv.ParseInt(resp.Header.Get(wire.HeaderServerTime), 10, 64)
	feats := resp.Header.Get(wire.HeaderFeatures)
	c.featMu.Lock()
	c.features = &feats
	c.featMu.Unlock()
	var r io.Reader = resp.Body
	done := func() { resp.Body.Close() }
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			done()
			return ex, nil, nil, &replyError{path, err}
		}
		r = zr
		done = func() { zr.Close(); resp.Body.Close() }
	}
	if resp.StatusCode != http.StatusOK {
		defer done()
		var e wire.ErrorResponse
		if err := json.NewDecoder(io.LimitReader(r, 1<<20)).Decode(&e); err != nil || e.Message == "" {
			return ex, nil, nil, &ServerError{Status: resp.StatusCode, Code: "http",
				Message: msg.T(msg.Indonesian, "server.no_reply", resp.Status), MessageEN: msg.T(msg.English, "server.no_reply", resp.Status)}
		}
		return ex, nil, nil, &ServerError{Status: resp.StatusCode, Code: e.Code, Message: e.Message, MessageEN: e.MessageEN}
	}
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return ex, dec, done, nil
}

// Run syncs in the background until ctx ends: a round now, then again
// after the quiet interval, on SyncNow, or soon after local writes; after
// a failure it backs off exponentially with jitter and probes the server
// cheaply so a link that comes back is used at once.
func (c *Client) Run(ctx context.Context) {
	failures := 0
	for {
		if ctx.Err() != nil {
			return
		}
		var wait time.Duration
		if _, err := c.Round(ctx); err != nil && !errors.Is(err, ErrNotEnrolled) {
			failures++
			wait = Backoff(failures, c.backoffMin, c.backoffMax, rand.Float64())
		} else {
			failures = 0
			wait = c.interval
		}
		next := time.Now().Add(wait)
		c.update(func(s *Status) { s.NextAttempt = next })
		if !c.sleep(ctx, wait, failures > 0) {
			return
		}
	}
}

// Backoff is the wait after n consecutive failures: min·2ⁿ⁻¹ capped at max,
// spread by jitter in [0,1) over 50–100 % so many PCs do not retry in step.
func Backoff(n int, min, max time.Duration, jitter float64) time.Duration {
	d := min
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	return time.Duration(float64(d) * (0.5 + jitter/2))
}

// sleep waits wait, returning early on SyncNow, on new local writes, or
// (when failing) as soon as the server answers /healthz again.
func (c *Client) sleep(ctx context.Context, wait time.Duration, failing bool) bool {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	tick := time.NewTicker(c.poll)
	defer tick.Stop()
	seen, _ := c.st.PendingCount(ctx)
	for {
		select {
		case <-ctx.Done():
			return false
		case <-c.wake:
			return true
		case <-timer.C:
			return true
		case <-tick.C:
			if failing {
				if c.probe(ctx) {
					return true
				}
				continue
			}
			if n, err := c.st.PendingCount(ctx); err == nil && n > seen {
				c.update(func(s *Status) { s.Pending = n })
				return true
			}
		}
	}
}

func (c *Client) probe(ctx context.Context) bool {
	server, _ := c.st.Meta(ctx, MetaServerURL)
	if server == "" {
		return false
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(pctx, http.MethodGet, server+wire.PathHealth, nil)
	if err != nil {
		return false
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
