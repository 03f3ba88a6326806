package wire_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/sync/wire"
)

// TestMessagesKeepTheirJSON pins every message to the bytes protocol 1
// sends, as blk-server and the app sent them before the messages had a
// package of their own. A change here is a change of the protocol: older
// PCs and servers read these bytes, so it needs a new ProtocolVersion.
func TestMessagesKeepTheirJSON(t *testing.T) {
	ch := domain.Change{Seq: 3, Table: "trainees", ID: "a", Clock: 77, Device: "d", Fields: map[string]any{"name": "Siti"}, Base: map[string]domain.Version{"name": {Clock: 5, Device: "d"}}}
	cf := domain.Conflict{ID: "x", Table: "trainees", RowID: "a", Field: "name", Winner: "A", Loser: "B", WinnerVer: domain.Version{Clock: 9, Device: "p"}, LoserVer: domain.Version{Clock: 8, Device: "q"}, DetectedAtMS: 12}
	const change = `{"s":3,"t":"trainees","i":"a","c":77,"d":"d","f":{"name":"Siti"},"b":{"name":{"c":5,"d":"d"}}}`
	tests := []struct {
		name string
		msg  any
		want string
	}{
		{"push response with a rejection", wire.PushResponse{AppliedSeq: 4, AppliedClock: 99, Rejections: []wire.Rejection{{Seq: 2, Table: "trainees", RowID: "a", Field: "nik", ReasonID: "salah", ReasonEN: "wrong"}}, Conflicts: 1, ServerTimeMS: 1234},
			`{"applied_seq":4,"applied_clock":99,"rejections":[{"s":2,"t":"trainees","i":"a","f":"nik","reason":"salah","reason_en":"wrong"}],"conflicts":1,"server_time_ms":1234}`},
		{"push response without", wire.PushResponse{AppliedSeq: 4, ServerTimeMS: 1},
			`{"applied_seq":4,"applied_clock":0,"conflicts":0,"server_time_ms":1}`},
		{"pull response", wire.PullResponse{PullPage: wire.PullPage{Cursor: 5, RefCursor: 6, More: true, Changes: []domain.Change{ch}, RefChanges: []domain.Change{ch}, Conflicts: []domain.Conflict{cf}}, AppliedSeq: 7, AppliedClock: 8, ServerTimeMS: 9},
			`{"cursor":5,"ref_cursor":6,"more":true,"changes":[` + change + `],"ref_changes":[` + change + `],"conflicts":[{"id":"x","table":"trainees","row_id":"a","field":"name","winner":"A","winner_version":{"c":9,"d":"p"},"loser":"B","loser_version":{"c":8,"d":"q"},"detected_at_ms":12,"resolved":false}],"applied_seq":7,"applied_clock":8,"server_time_ms":9}`},
		{"pull response announcing a release", wire.PullResponse{PullPage: wire.PullPage{Changes: []domain.Change{}}, ServerTimeMS: 9,
			Release: &wire.Release{ID: "windows-amd64-0.3.0", Version: "0.3.0", Platform: "windows-amd64", File: "blk-0.3.0-setup.exe", Size: 10485760, SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Signature: []byte{1, 2, 3}}},
			`{"cursor":0,"ref_cursor":0,"more":false,"changes":[],"applied_seq":0,"applied_clock":0,"server_time_ms":9,"release":{"id":"windows-amd64-0.3.0","version":"0.3.0","platform":"windows-amd64","file":"blk-0.3.0-setup.exe","size":10485760,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","signature":"AQID"}}`},
		{"empty pull response", wire.PullResponse{PullPage: wire.PullPage{Changes: []domain.Change{}}},
			`{"cursor":0,"ref_cursor":0,"more":false,"changes":[],"applied_seq":0,"applied_clock":0,"server_time_ms":0}`},
		{"push request", wire.PushRequest{Changes: []domain.Change{ch}, Resolved: []string{"x"}},
			`{"changes":[` + change + `],"resolved":["x"]}`},
		{"pull request", wire.PullRequest{Cursor: 1, RefCursor: 2, MaxBytes: 3, Full: true},
			`{"cursor":1,"ref_cursor":2,"max_bytes":3,"full":true}`},
		{"enrol request", wire.EnrolRequest{Code: "c", DeviceID: "d", DeviceName: "n", CentreID: "z"},
			`{"code":"c","device_id":"d","device_name":"n","centre_id":"z"}`},
		{"enrol response", wire.EnrolResponse{Token: "t", CentreID: "z", CentreName: "N", ServerTimeMS: 5},
			`{"token":"t","centre_id":"z","centre_name":"N","server_time_ms":5}`},
		{"error", wire.ErrorResponse{Code: "c", Message: "m", MessageEN: "e"},
			`{"code":"c","error":"m","error_en":"e"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := json.Marshal(tc.msg)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func gz(t *testing.T, s string) io.Reader {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return &b
}

func TestDecodePushRefusesWhatTheServerMustNotStore(t *testing.T) {
	many := `{"changes":[` + strings.Repeat(`{"s":1,"t":"trainees","i":"a","c":1,"f":{"name":"S"}},`, wire.MaxPushChanges) + `{"s":1,"t":"trainees","i":"a","c":1,"f":{"name":"S"}}]}`
	tests := []struct {
		name, body, want string
	}{
		{"an unknown field", `{"changes":[],"extra":1}`, "unknown field"},
		{"data after the object", `{"changes":[]} {}`, "data after the object"},
		{"a seq that is not positive", `{"changes":[{"s":0,"t":"trainees","i":"a","c":1,"f":{"name":"S"}}]}`, "seq must be positive"},
		{"a change without fields", `{"changes":[{"s":1,"t":"trainees","i":"a","c":1}]}`, "table, id and fields are required"},
		{"an empty conflict id", `{"changes":[],"resolved":[""]}`, "not a conflict id"},
		{"too many changes", many, "at most 5000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := wire.DecodePush(gz(t, tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	// and a good push comes through whole, numbers as written
	req, err := wire.DecodePush(gz(t, `{"changes":[{"s":7,"t":"cohorts","i":"a","c":1,"f":{"quota":16}}],"resolved":["x"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Changes) != 1 || req.Changes[0].Seq != 7 || req.Changes[0].Fields["quota"] != json.Number("16") || req.Resolved[0] != "x" {
		t.Fatalf("decoded %+v", req)
	}
}

// TestTheSyncDocumentsExamplesAreMessages reads every JSON example of
// docs/SYNC.md: each must be one message of this package, with no field
// the message does not have, so the document cannot drift from the wire.
func TestTheSyncDocumentsExamplesAreMessages(t *testing.T) {
	doc, err := os.ReadFile("../../docs/SYNC.md")
	if err != nil {
		t.Fatal(err)
	}
	messages := []func() any{
		func() any { return &wire.EnrolRequest{} }, func() any { return &wire.EnrolResponse{} },
		func() any { return &wire.PushRequest{} }, func() any { return &wire.PushResponse{} },
		func() any { return &wire.PullRequest{} }, func() any { return &wire.PullResponse{} },
		func() any { return &wire.ErrorResponse{} }, func() any { return &wire.DuplexTail{} },
	}
	blocks := 0
	for _, part := range strings.Split(string(doc), "```json\n")[1:] {
		block, _, ok := strings.Cut(part, "```")
		if !ok {
			t.Fatalf("unclosed json block: %.60q", part)
		}
		blocks++
		if !json.Valid([]byte(block)) {
			t.Errorf("example %d is not valid JSON:\n%s", blocks, block)
			continue
		}
		matched := false
		for _, m := range messages {
			dec := json.NewDecoder(strings.NewReader(block))
			dec.DisallowUnknownFields()
			if dec.Decode(m()) == nil {
				matched = true
				break
			}
		}
		if !matched {
			t.Errorf("example %d is no message of package wire:\n%s", blocks, block)
		}
	}
	if blocks < 6 {
		t.Fatalf("only %d JSON examples found in docs/SYNC.md", blocks)
	}
}

// TestOlderPCsReadAReplyAnnouncingARelease decodes a reply with a release
// the way the protocol-1 client has always read replies (unknown fields
// allowed), into the pull response it knew: the announcement is optional
// and must not break a PC that predates it.
func TestOlderPCsReadAReplyAnnouncingARelease(t *testing.T) {
	body, err := json.Marshal(wire.PullResponse{PullPage: wire.PullPage{Cursor: 5, Changes: []domain.Change{}}, AppliedSeq: 3, ServerTimeMS: 9,
		Release: &wire.Release{ID: "windows-amd64-0.3.0", Version: "0.3.0", Platform: "windows-amd64", File: "blk-0.3.0-setup.exe", Size: 1, SHA256: "ab", Signature: []byte{1}}})
	if err != nil {
		t.Fatal(err)
	}
	var old struct { // PullResponse before releases
		wire.PullPage
		AppliedSeq   int64        `json:"applied_seq"`
		AppliedClock domain.Clock `json:"applied_clock"`
		ServerTimeMS int64        `json:"server_time_ms"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&old); err != nil {
		t.Fatalf("an older PC cannot read the reply: %v", err)
	}
	if old.Cursor != 5 || old.AppliedSeq != 3 || old.ServerTimeMS != 9 {
		t.Errorf("decoded %+v", old)
	}
}

// TestEncodeGzipWithAReusedWriterGivesANewWritersBytes encodes a large
// message and then small ones, interleaved, and compares each body with
// what a new writer at the same level makes: a reused writer carries
// nothing from the last message.
func TestEncodeGzipWithAReusedWriterGivesANewWritersBytes(t *testing.T) {
	fresh := func(v any) []byte {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err := json.NewEncoder(zw).Encode(v); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	var big wire.PushRequest
	for i := range 2000 {
		big.Changes = append(big.Changes, domain.Change{Seq: int64(i + 1), Table: "trainees", ID: domain.NewID(), Fields: map[string]any{"name": strings.Repeat("Siti ", i%7+1)}})
	}
	small := wire.PushResponse{AppliedSeq: 42}
	for i, v := range []any{big, small, big, small, small} {
		got, err := wire.EncodeGzip(v)
		if err != nil {
			t.Fatal(err)
		}
		if want := fresh(v); !bytes.Equal(got, want) {
			t.Fatalf("message %d: %d bytes from the reused writer, %d from a new one", i, len(got), len(want))
		}
	}
}
