// Package wire is the protocol between the desktop and blk-server: every
// message of /v1/enrol, /v1/push and /v1/pull, the headers and versions
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

	"github.com/kemnaker/blk/domain"
)

// Protocol and schema versions travel in headers on every request. A server
// refuses a client below MinProtocol (426, "update the app"); SchemaVersion
// grows when the synced tables gain fields.
const (
	ProtocolVersion = 1
	MinProtocol     = 1
	SchemaVersion   = 1

	HeaderProtocol   = "Blk-Protocol"
	HeaderSchema     = "Blk-Schema"
	HeaderServerTime = "Blk-Server-Time" // Unix milliseconds
)

// Paths of the API. Every /v1/ request is a gzipped JSON POST.
const (
	PathEnrol  = "/v1/enrol"
	PathPush   = "/v1/push"
	PathPull   = "/v1/pull"
	PathHealth = "/healthz" // GET, no body: the client's cheap probe
)

// Limits of one request.
const (
	// MaxBodyBytes bounds a request body as sent (gzip).
	MaxBodyBytes = 8 << 20
	// MaxDecodedBytes bounds it after decompression (gzip bombs).
	MaxDecodedBytes = 64 << 20
	// MaxPushChanges bounds the changes in one push.
	MaxPushChanges = 5000
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
}

// PushRequest is one batch of outbox entries, seqs ascending.
type PushRequest struct {
	Changes []domain.Change `json:"changes"`
	// Resolved lists conflicts the operator has dealt with on this PC
	// (kept the winner, or took the loser's value, which travels as an
	// ordinary change). The server marks them resolved for every PC.
	Resolved []string `json:"resolved,omitempty"`
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

// PullResponse is one page, plus what the server has applied of this
// device's outbox, so a PC restored from an old backup notices that its seqs
// were used already.
type PullResponse struct {
	PullPage
	AppliedSeq   int64        `json:"applied_seq"`
	AppliedClock domain.Clock `json:"applied_clock"`
	ServerTimeMS int64        `json:"server_time_ms"`
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

// DecodeBody reads a JSON body, gunzipping it when gzipped, with a limit on
// the decoded size and no unknown fields.
func DecodeBody(r io.Reader, gz bool, v any) error {
	if gz {
		zr, err := gzip.NewReader(r)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return ErrTooLarge
			}
			return fmt.Errorf("bad gzip body: %w", err)
		}
		defer zr.Close()
		r = zr
	}
	lr := &io.LimitedReader{R: r, N: MaxDecodedBytes + 1}
	dec := json.NewDecoder(lr)
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if lr.N <= 0 {
			return ErrTooLarge
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return ErrTooLarge
		}
		return fmt.Errorf("malformed JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("malformed JSON: data after the object")
	}
	if lr.N <= 0 {
		return ErrTooLarge
	}
	return nil
}

// DecodePush decodes a gzipped push body and checks its bounds; the central
// storage checks tables, fields and values. It never panics on any input.
func DecodePush(r io.Reader) (PushRequest, error) {
	var req PushRequest
	if err := DecodeBody(r, true, &req); err != nil {
		return PushRequest{}, err
	}
	if len(req.Changes) > MaxPushChanges {
		return PushRequest{}, fmt.Errorf("push of %d changes; at most %d per request", len(req.Changes), MaxPushChanges)
	}
	if len(req.Resolved) > MaxPushChanges {
		return PushRequest{}, fmt.Errorf("push resolves %d conflicts; at most %d per request", len(req.Resolved), MaxPushChanges)
	}
	for i, id := range req.Resolved {
		if id == "" || len(id) > 64 {
			return PushRequest{}, fmt.Errorf("resolved conflict %d: not a conflict id", i)
		}
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

// EncodeGzip is the body of every request and response. Best compression:
// centres sit on slow links, and it cut the bytes of an initial push by a
// quarter against the fastest level for little CPU.
func EncodeGzip(v any) ([]byte, error) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
