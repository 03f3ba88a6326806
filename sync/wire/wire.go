// Package wire is the protocol between the desktop and blk-server: every
// message of /v1/enrol, /v1/push and /v1/pull, the release announcement
// and the path of its download, the headers and versions
// each request carries, the limits of one request and the decoders that
// enforce them. It depends on domain alone, so the desktop's client (package
// sync) and the server's handler (package sync/server) share it without
// linking each other's half. Its JSON tags are the protocol: changing one
// is a new ProtocolVersion.
package wire

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/kemnaker/blk/domain"
)

// Protocol and schema versions travel in headers on every request. A server
// refuses a client below MinProtocol (426, "update the app"). SchemaVersion
// grows when the synced tables gain tables or fields (their since tags in
// domain name the version that added them); a server serves PCs from
// MinSchema up, each with only the tables and fields its version knows
// (PullPage.ForSchema), so a centre's PCs need not all update on one day.
// Schema 2 added the road map's records (kemandirian), certificates and
// the tracer's new outcome fields.
const (
	ProtocolVersion = 1
	MinProtocol     = 1
	SchemaVersion   = 2
	MinSchema       = 1

	HeaderProtocol   = "Blk-Protocol"
	HeaderSchema     = "Blk-Schema"
	HeaderServerTime = "Blk-Server-Time" // Unix milliseconds
	// HeaderPlatform is the desktop's GOOS-GOARCH (windows-amd64); a pull
	// reply then announces the newest release for it. Optional: servers
	// that do not know it ignore it.
	HeaderPlatform = "Blk-Platform"
	// HeaderFeatures lists, comma-separated, what a server understands
	// beyond its protocol version; every reply carries it. A PC remembers
	// it and uses a feature only when its server named it, so neither side
	// needs a new protocol version.
	HeaderFeatures = "Blk-Features"
	// FeatureRound: a push may carry a RoundRequest and its reply then
	// carries the pull page (the day's round in one round trip).
	FeatureRound = "round"
	// FeatureDuplex: a push may name its RoundRequest in the HeaderRound
	// header instead of its body. The server then answers at once with the
	// pull page (a PullResponse), reads and applies the push while that
	// page travels, and ends the same reply with a DuplexTail: on a slow
	// link the upload and the download overlap instead of following each
	// other (docs/SYNC.md, "Round in one exchange").
	FeatureDuplex = "duplex"
	// HeaderRound carries a RoundRequest as JSON, at most MaxSmallBytes.
	HeaderRound = "Blk-Round"
)

// Paths of the API. Every /v1/ request is a gzipped JSON POST.
const (
	PathEnrol  = "/v1/enrol"
	PathPush   = "/v1/push"
	PathPull   = "/v1/pull"
	PathHealth = "/healthz" // GET, no body: the client's cheap probe
	// PathRelease + Release.ID is a release file: GET with the device
	// token, byte ranges allowed (a download resumes where it stopped).
	PathRelease = "/v1/release/"
)

// Limits of one request. Every one is enforced while the body is read,
// never after: a gzip body decompresses a thousandfold, and a push of
// 777,000 tiny changes once decoded whole took the server to gigabytes
// before its count was checked.
const (
	// MaxBodyBytes bounds a request body as sent (gzip).
	MaxBodyBytes = 8 << 20
	// MaxPushJSONBytes is the largest push the client makes (its batches
	// grow to this many bytes of JSON, plus one change, as each field's
	// text has a declared maximum).
	MaxPushJSONBytes = 4 << 20
	// MaxDecodedBytes bounds a push after decompression: a small multiple
	// of the largest legal push.
	MaxDecodedBytes = 4 * MaxPushJSONBytes
	// MaxSmallBytes bounds an enrolment or pull request after
	// decompression; each needs a few hundred bytes.
	MaxSmallBytes = 1 << 10
	// MaxPushChanges bounds the changes in one push.
	MaxPushChanges = 5000
	// MaxTextBytes bounds one JSON string of a request: far above the
	// longest text any field declares (domain), far below what a hostile
	// value would make the decoder buffer.
	MaxTextBytes = 64 << 10
)

// EnrolRequest turns a one-time code into a device token.
type EnrolRequest struct {
	Code       string `json:"code"`
	DeviceID   string `json:"device_id"`
	DeviceName string `json:"device_name"`
	CentreID   string `json:"centre_id,omitempty"` // the PC's centre, when it has one already
}

// EnrolResponse carries the token; it is shown once and never stored in clear on the server.
type EnrolResponse struct {
	Token        string `json:"token"`
	CentreID     string `json:"centre_id"`
	CentreName   string `json:"centre_name"`
	ServerTimeMS int64  `json:"server_time_ms"`
	// CentreCode and DeviceNo are the parts of the certificate numbers
	// this PC issues (domain/certificate.go): its centre's short code and
	// its own number in the centre. Pull replies repeat them.
	CentreCode string `json:"centre_code,omitempty"`
	DeviceNo   int64  `json:"device_no,omitempty"`
}

// PushRequest is one batch of outbox entries, seqs ascending.
type PushRequest struct {
	Changes []domain.Change `json:"changes"`
	// Resolved lists conflicts the operator has dealt with on this PC
	// (kept the winner, or took the loser's value, which travels as an
	// ordinary change). The server marks them resolved for every PC.
	Resolved []string `json:"resolved,omitempty"`
	// Round, when set (servers naming FeatureRound only), asks for the
	// pull page after the push in the same reply. The server applies the
	// batch only while what it has applied of this device is what the PC
	// expects and no change's clock runs ahead of the server by more than
	// MaxAheadMS; otherwise it applies nothing and answers Deferred, and
	// the PC takes the two-step round (pull, clock rebase, push).
	Round *RoundRequest `json:"round,omitempty"`
}

// RoundRequest is the pull half of a one-round-trip push.
type RoundRequest struct {
	PullRequest
	ExpectApplied int64        `json:"expect_applied"` // the PC's acknowledged seq
	ExpectClock   domain.Clock `json:"expect_clock"`   // and the clock of that entry
	MaxAheadMS    int64        `json:"max_ahead_ms"`
}

// PushResponse answers a push: the highest device seq the server has
// durably applied (every change up to it is stored or rejected), the clock
// of the change at that seq, and the rejections among the batch.
type PushResponse struct {
	AppliedSeq   int64        `json:"applied_seq"`
	AppliedClock domain.Clock `json:"applied_clock"`
	Rejections   []Rejection  `json:"rejections,omitempty"`
	Conflicts    int          `json:"conflicts"` // new conflicts this batch caused
	ServerTimeMS int64        `json:"server_time_ms"`
	// Deferred: a Round push the server did not apply (see PushRequest).
	Deferred bool `json:"deferred,omitempty"`
	// Pull is the page a Round push asked for, read after the batch was
	// applied.
	Pull *PullResponse `json:"pull,omitempty"`
}

// DuplexTail ends a duplex reply, after its PullResponse: what the server
// did with the push, or why it did not, with the status the same error
// would have had as a reply of its own.
type DuplexTail struct {
	Push   *PushResponse  `json:"push,omitempty"`
	Error  *ErrorResponse `json:"error,omitempty"`
	Status int            `json:"status,omitempty"`
}

// Rejection is one change the server refused, with a reason the operator can
// act on, in Indonesian and English.
type Rejection struct {
	Seq      int64  `json:"s"`
	Table    string `json:"t"`
	RowID    string `json:"i"`
	Field    string `json:"f,omitempty"`
	ReasonID string `json:"reason"`
	ReasonEN string `json:"reason_en"`
}

// PullRequest asks for the page after the cursors.
type PullRequest struct {
	Cursor    int64 `json:"cursor"`
	RefCursor int64 `json:"ref_cursor"`
	MaxBytes  int   `json:"max_bytes,omitempty"`
	// Full asks for this device's own versions too (after a restore; a PC
	// that has never pushed has none).
	Full bool `json:"full,omitempty"`
}

// PullPage is one page of a pull: the centre's changes after the cursor,
// reference data after the reference cursor, and the centre's conflicts in
// that range. The desktop applies it whole or not at all.
type PullPage struct {
	Cursor     int64             `json:"cursor"`     // centre sequence reached
	RefCursor  int64             `json:"ref_cursor"` // reference sequence reached
	More       bool              `json:"more"`       // false on the last page
	Changes    []domain.Change   `json:"changes"`
	RefChanges []domain.Change   `json:"ref_changes,omitempty"`
	Conflicts  []domain.Conflict `json:"conflicts,omitempty"`
}

// ForSchema is the page as a PC of schema version v can take it: the
// changes and conflicts of tables and fields v does not know are left out
// (domain.ForSchema). The cursors stay: a PC that is updated later pulls
// again from the start (the client does so when its schema version grows).
func (p PullPage) ForSchema(v int) PullPage {
	if v >= SchemaVersion {
		return p
	}
	out := p
	out.Changes = changesFor(p.Changes, v)
	out.RefChanges = changesFor(p.RefChanges, v)
	out.Conflicts = conflictsFor(p.Conflicts, v)
	return out
}

func changesFor(cs []domain.Change, v int) []domain.Change {
	var out []domain.Change
	for _, c := range cs {
		if c, ok := domain.ForSchema(c, v); ok {
			out = append(out, c)
		}
	}
	return out
}

// conflictsFor lists the conflicts of cs whose table and field a PC of
// schema version v knows.
func conflictsFor(cs []domain.Conflict, v int) []domain.Conflict {
	if v >= SchemaVersion {
		return cs
	}
	var out []domain.Conflict
	for _, c := range cs {
		if domain.ConflictKnownAt(c, v) {
			out = append(out, c)
		}
	}
	return out
}

// PullResponse is one page, plus what the server has applied of this
// device's outbox, so a PC restored from an old backup notices that its seqs
// were used already.
type PullResponse struct {
	PullPage
	AppliedSeq   int64        `json:"applied_seq"`
	AppliedClock domain.Clock `json:"applied_clock"`
	ServerTimeMS int64        `json:"server_time_ms"`
	// Release is the newest release of the app for the platform the PC
	// named in HeaderPlatform; absent when it named none or there is none.
	// Older PCs ignore it (the client's decoder allows unknown fields), so
	// it needs no new protocol version.
	Release *Release `json:"release,omitempty"`
	// CentreCode and DeviceNo as in EnrolResponse, for PCs enrolled
	// before the server gave them; older PCs ignore them.
	CentreCode string `json:"centre_code,omitempty"`
	DeviceNo   int64  `json:"device_no,omitempty"`
}

// Release announces a release of the desktop app: the ministry's signed
// manifest (package update's Manifest, field for field) and the id to
// download it by. The PC checks the signature against the key compiled
// into it before it downloads anything.
type Release struct {
	ID        string `json:"id"`        // GET PathRelease + ID
	Version   string `json:"version"`   // semantic version
	Platform  string `json:"platform"`  // GOOS-GOARCH
	File      string `json:"file"`      // the file's base name
	Size      int64  `json:"size"`      // bytes
	SHA256    string `json:"sha256"`    // lower-case hex
	Signature []byte `json:"signature"` // ed25519, base64 in JSON
}

// ErrorResponse is every 4xx/5xx body.
type ErrorResponse struct {
	Code      string `json:"code"`
	Message   string `json:"error"`    // Indonesian
	MessageEN string `json:"error_en"` // English
}

// ErrTooLarge is a body over MaxBodyBytes as sent or MaxDecodedBytes
// decoded.
var ErrTooLarge = errors.New("request body too large")

// DecodeBody reads a JSON body, gunzipping it when gzipped, with limit on
// the decoded size and no unknown fields.
func DecodeBody(r io.Reader, gz bool, limit int64, v any) error {
	dec, lr, done, err := decoder(r, gz, limit)
	if err != nil {
		return err
	}
	defer done()
	if err := dec.Decode(v); err != nil {
		return decodeErr(err, lr)
	}
	return finish(dec, lr)
}

// DecodeEnrol reads an enrolment request (gzipped or not) of at most
// MaxSmallBytes decoded.
func DecodeEnrol(r io.Reader, gz bool) (EnrolRequest, error) {
	var req EnrolRequest
	err := DecodeBody(r, gz, MaxSmallBytes, &req)
	return req, err
}

// DecodePull reads a pull request (gzipped or not) of at most MaxSmallBytes
// decoded.
func DecodePull(r io.Reader, gz bool) (PullRequest, error) {
	var req PullRequest
	if err := DecodeBody(r, gz, MaxSmallBytes, &req); err != nil {
		return PullRequest{}, err
	}
	if req.Cursor < 0 || req.RefCursor < 0 || req.MaxBytes < 0 {
		return PullRequest{}, errors.New("cursors and max_bytes may not be negative")
	}
	return req, nil
}

// DecodeRoundHeader reads the HeaderRound of a duplex push: a RoundRequest
// of at most MaxSmallBytes, unknown fields refused.
func DecodeRoundHeader(h string) (RoundRequest, error) {
	if len(h) > MaxSmallBytes {
		return RoundRequest{}, ErrTooLarge
	}
	var rr RoundRequest
	if err := DecodeBody(strings.NewReader(h), false, MaxSmallBytes, &rr); err != nil {
		return RoundRequest{}, err
	}
	if rr.Cursor < 0 || rr.RefCursor < 0 || rr.MaxBytes < 0 || rr.ExpectApplied < 0 || rr.MaxAheadMS < 0 {
		return RoundRequest{}, errors.New("cursors, max_bytes, expect_applied and max_ahead_ms may not be negative")
	}
	return rr, nil
}

// decoder reads at most limit decoded bytes of r as JSON numbers kept as
// text and unknown fields refused.
func decoder(r io.Reader, gz bool, limit int64) (*json.Decoder, *io.LimitedReader, func(), error) {
	done := func() {}
	if gz {
		zr, err := gzip.NewReader(r)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, nil, done, ErrTooLarge
			}
			return nil, nil, done, fmt.Errorf("bad gzip body: %w", err)
		}
		done = func() { zr.Close() }
		r = zr
	}
	lr := &io.LimitedReader{R: r, N: limit + 1}
	dec := json.NewDecoder(&textCap{r: lr})
	dec.UseNumber()
	dec.DisallowUnknownFields()
	return dec, lr, done, nil
}

func decodeErr(err error, lr *io.LimitedReader) error {
	var mbe *http.MaxBytesError
	if lr.N <= 0 || errors.As(err, &mbe) {
		return ErrTooLarge
	}
	if errors.Is(err, ErrTooLarge) {
		return err
	}
	return fmt.Errorf("malformed JSON: %w", err)
}

// finish checks that nothing follows the object and no limit was crossed.
func finish(dec *json.Decoder, lr *io.LimitedReader) error {
	if _, err := dec.Token(); err != io.EOF {
		if lr.N <= 0 {
			return ErrTooLarge
		}
		return errors.New("malformed JSON: data after the object")
	}
	if lr.N <= 0 {
		return ErrTooLarge
	}
	return nil
}

// textCap passes JSON through and fails with ErrTooLarge as soon as one
// string runs past MaxTextBytes: the decoder would otherwise buffer a whole
// 16 MiB value before anything could look at it. It follows strings and
// their escapes byte by byte.
type textCap struct {
	r        io.Reader
	inString bool
	escaped  bool
	run      int
}

func (c *textCap) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for _, b := range p[:n] {
		switch {
		case !c.inString:
			if b == '"' {
				c.inString, c.run = true, 0
			}
		case c.escaped:
			c.escaped = false
			c.run++
		case b == '\\':
			c.escaped = true
			c.run++
		case b == '"':
			c.inString = false
		default:
			c.run++
		}
		if c.inString && c.run > MaxTextBytes {
			return 0, fmt.Errorf("%w: a text longer than %d bytes", ErrTooLarge, MaxTextBytes)
		}
	}
	return n, err
}

// DecodePush decodes a gzipped push body change by change, refusing it with
// ErrTooLarge as soon as it holds more than MaxPushChanges changes or
// decompresses past MaxDecodedBytes, so a hostile push costs the server at
// most one legal push's worth of memory. The central storage checks tables,
// fields and values. It never panics on any input.
func DecodePush(r io.Reader) (PushRequest, error) {
	dec, lr, done, err := decoder(r, true, MaxDecodedBytes)
	if err != nil {
		return PushRequest{}, err
	}
	defer done()
	var req PushRequest
	if err := expectDelim(dec, '{'); err != nil {
		return PushRequest{}, decodeErr(err, lr)
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return PushRequest{}, decodeErr(err, lr)
		}
		key, _ := tok.(string)
		if seen[key] {
			return PushRequest{}, fmt.Errorf("malformed JSON: %s given twice", key)
		}
		seen[key] = true
		switch key {
		case "changes":
			if req.Changes, err = decodeList(dec, lr, MaxPushChanges, func(c *domain.Change) error { return nil }); err != nil {
				return PushRequest{}, err
			}
		case "resolved":
			if req.Resolved, err = decodeList(dec, lr, MaxPushChanges, func(id *string) error {
				if *id == "" || len(*id) > 64 {
					return errors.New("not a conflict id")
				}
				return nil
			}); err != nil {
				return PushRequest{}, err
			}
		case "round":
			var rr RoundRequest
			if err := dec.Decode(&rr); err != nil {
				return PushRequest{}, decodeErr(err, lr)
			}
			if rr.Cursor < 0 || rr.RefCursor < 0 || rr.MaxBytes < 0 || rr.ExpectApplied < 0 || rr.MaxAheadMS < 0 {
				return PushRequest{}, errors.New("round: cursors, seqs and bounds may not be negative")
			}
			req.Round = &rr
		default:
			return PushRequest{}, errors.New("malformed JSON: unknown field in a push")
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return PushRequest{}, decodeErr(err, lr)
	}
	if err := finish(dec, lr); err != nil {
		return PushRequest{}, err
	}
	for i, c := range req.Changes {
		if c.Seq <= 0 {
			return PushRequest{}, fmt.Errorf("change %d: seq must be positive", i)
		}
		if c.Table == "" || c.ID == "" || len(c.Fields) == 0 {
			return PushRequest{}, fmt.Errorf("change %d (seq %d): table, id and fields are required", i, c.Seq)
		}
	}
	return req, nil
}

// decodeList reads a JSON array (or null) element by element, checking
// each, and stops with ErrTooLarge past max elements.
func decodeList[T any](dec *json.Decoder, lr *io.LimitedReader, max int, check func(*T) error) ([]T, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, decodeErr(err, lr)
	}
	if tok == nil {
		return nil, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, errors.New("malformed JSON: want a list")
	}
	var out []T
	for dec.More() {
		if len(out) == max {
			return nil, fmt.Errorf("%w: at most %d per request", ErrTooLarge, max)
		}
		var v T
		if err := dec.Decode(&v); err != nil {
			return nil, decodeErr(err, lr)
		}
		if err := check(&v); err != nil {
			return nil, fmt.Errorf("item %d: %w", len(out), err)
		}
		out = append(out, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, decodeErr(err, lr)
	}
	return out, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q", want)
	}
	return nil
}

// EncodeGzip is the body of every request and response. Best compression:
// centres sit on slow links, and it cut the bytes of an initial push by a
// quarter against the fastest level for little CPU.
//
// The writers are reused: a new one allocates and clears about a megabyte
// of compressor state, which was a tenth of the server's CPU on a push
// whose answer is a few bytes (docs/PERFORMANCE.md, "National scale").
// Reset gives the same bytes as a new writer.
func EncodeGzip(v any) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&buf)
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestCompression)
	return zw
}}
