package wire_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"testing"

	"github.com/kemnaker/blk/sync/wire"
)

func gzBytes(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

// FuzzDecodeEnrol feeds arbitrary bodies, plain and gzipped, to the
// enrolment decoder the unauthenticated /v1/enrol uses: it never panics, and
// what it accepts came from at most MaxSmallBytes of JSON.
func FuzzDecodeEnrol(f *testing.F) {
	for _, s := range []string{
		`{"code":"ABCD-EFGH-JKLM","device_id":"0192f0a0-0000-7000-8000-000000000001","device_name":"PC","centre_id":"c"}`,
		`{"code":""}`, `{}`, `{"code":1}`, `{"extra":true}`, `null`, `[`, ``, `{"code":"a"} {}`,
	} {
		f.Add([]byte(s), false)
		f.Add(gzBytes(s), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, gz bool) {
		req, err := wire.DecodeEnrol(bytes.NewReader(body), gz)
		if err != nil {
			return
		}
		if n := len(req.Code) + len(req.DeviceID) + len(req.DeviceName) + len(req.CentreID); n > wire.MaxSmallBytes {
			t.Fatalf("accepted %d bytes of text from a request capped at %d", n, wire.MaxSmallBytes)
		}
	})
}

// FuzzDecodePull does the same for the pull request of every sync round.
func FuzzDecodePull(f *testing.F) {
	for _, s := range []string{
		`{"cursor":12,"ref_cursor":3,"max_bytes":4194304,"full":true}`,
		`{"cursor":-1}`, `{"cursor":1e99}`, `{"cursor":"1"}`, `{}`, `null`, `{"full":null}`, ``,
	} {
		f.Add([]byte(s), false)
		f.Add(gzBytes(s), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, gz bool) {
		req, err := wire.DecodePull(bytes.NewReader(body), gz)
		if err != nil {
			if errors.Is(err, wire.ErrTooLarge) && len(body) <= 64 && !gz {
				t.Fatalf("a %d-byte plain body called too large", len(body))
			}
			return
		}
		if req.Cursor < 0 || req.RefCursor < 0 || req.MaxBytes < 0 {
			t.Fatalf("accepted %+v", req)
		}
	})
}

// FuzzDecodeRoundHeader feeds arbitrary header values to the decoder of a
// duplex push's Blk-Round header, which the server reads before the body:
// it never panics and accepts no negative number.
func FuzzDecodeRoundHeader(f *testing.F) {
	for _, s := range []string{
		`{"cursor":12,"ref_cursor":3,"max_bytes":4194304,"expect_applied":40,"expect_clock":117440512000,"max_ahead_ms":300000}`,
		`{"expect_applied":-1}`, `{"max_ahead_ms":-5}`, `{"cursor":1e99}`, `{}`, `null`, `{"round":{}}`, ``, `{} {}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		rr, err := wire.DecodeRoundHeader(h)
		if err != nil {
			return
		}
		if len(h) > wire.MaxSmallBytes {
			t.Fatalf("accepted a %d-byte header", len(h))
		}
		if rr.Cursor < 0 || rr.RefCursor < 0 || rr.MaxBytes < 0 || rr.ExpectApplied < 0 || rr.MaxAheadMS < 0 {
			t.Fatalf("accepted %+v", rr)
		}
	})
}
