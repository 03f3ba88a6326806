package wire_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/kemnaker/blk/sync/wire"
)

// tinyChanges is a push of n minimal changes, gzipped: a few hundred bytes
// compressed per thousand changes.
func tinyChanges(t testing.TB, n int) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write([]byte(`{"changes":[`))
	for i := 0; i < n; i++ {
		if i > 0 {
			zw.Write([]byte(","))
		}
		zw.Write([]byte(`{"s":1,"t":"x","i":"a","c":1,"f":{"a":1}}`))
	}
	zw.Write([]byte(`]}`))
	zw.Close()
	return b.Bytes()
}

// allocated is how many bytes fn allocates.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestAPushOfManyTinyChangesIsRefusedBeforeItIsDecodedWhole(t *testing.T) {
	// given a 118 kB push of 777,000 tiny changes (once decoded whole, four
	// of them took the server from 20 MiB to 1.7 GiB)
	body := tinyChanges(t, 777000)
	t.Logf("gzip body %d bytes", len(body))
	// when it is decoded, then it is too large, and refused after reading
	// about MaxPushChanges of them
	var err error
	got := allocated(func() { _, err = wire.DecodePush(bytes.NewReader(body)) })
	if !errors.Is(err, wire.ErrTooLarge) {
		t.Fatalf("decode: %v", err)
	}
	if got > 24<<20 {
		t.Fatalf("decoding allocated %d MiB; the limit must stop it early", got>>20)
	}
}

func TestAPushThatInflatesPastTheLimitIsRefused(t *testing.T) {
	// given a small gzip body holding a 20 MiB text
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write([]byte(`{"changes":[{"s":1,"t":"trainees","i":"a","c":1,"f":{"name":"`))
	zw.Write(bytes.Repeat([]byte("a"), 20<<20))
	zw.Write([]byte(`"}}]}`))
	zw.Close()
	var err error
	got := allocated(func() { _, err = wire.DecodePush(bytes.NewReader(b.Bytes())) })
	if !errors.Is(err, wire.ErrTooLarge) {
		t.Fatalf("decode: %v", err)
	}
	if got > 2<<20 {
		t.Fatalf("decoding allocated %d kB; one text may not be buffered past %d bytes", got>>10, wire.MaxTextBytes)
	}
}

func TestTextsUpToTheLimitPassWithTheirEscapes(t *testing.T) {
	// given texts of exactly the limit, one full of escaped quotes and
	// backslashes that a naive scanner would take for the end
	long := strings.Repeat("é", wire.MaxTextBytes/2)
	tricky := strings.Repeat(`a\"b\\`, 1000)
	body := `{"changes":[{"s":1,"t":"trainees","i":"a","c":1,"f":{"address":"` + long + `","name":"` + tricky + `"}}]}`
	req, err := wire.DecodePush(gz(t, body))
	if err != nil {
		t.Fatal(err)
	}
	if req.Changes[0].Fields["address"] != long || req.Changes[0].Fields["name"] != strings.Repeat(`a"b\`, 1000) {
		t.Fatal("texts changed in decoding")
	}
	// and one byte more is too large
	body = `{"changes":[{"s":1,"t":"trainees","i":"a","c":1,"f":{"address":"` + long + `x"}}]}`
	if _, err := wire.DecodePush(gz(t, body)); !errors.Is(err, wire.ErrTooLarge) {
		t.Fatalf("a text over the limit: %v", err)
	}
}

func TestEnrolAndPullRequestsAreSmall(t *testing.T) {
	// given enrolment and pull requests that inflate past 1 kB
	big := `{"code":"` + strings.Repeat("A", 4000) + `","device_id":"x","device_name":"y"}`
	if _, err := wire.DecodeEnrol(gz(t, big), true); !errors.Is(err, wire.ErrTooLarge) {
		t.Fatalf("big enrol: %v", err)
	}
	if _, err := wire.DecodePull(strings.NewReader(`{"cursor":1,"ref_cursor":2`+strings.Repeat(" ", 2000)+`}`), false); !errors.Is(err, wire.ErrTooLarge) {
		t.Fatalf("big pull: %v", err)
	}
	// and real ones come through
	e, err := wire.DecodeEnrol(gz(t, `{"code":"ABCD-EFGH-JKLM","device_id":"d","device_name":"PC Admin"}`), true)
	if err != nil || e.Code != "ABCD-EFGH-JKLM" {
		t.Fatalf("enrol %+v %v", e, err)
	}
	p, err := wire.DecodePull(strings.NewReader(`{"cursor":12,"ref_cursor":3,"full":true}`), false)
	if err != nil || p.Cursor != 12 || !p.Full {
		t.Fatalf("pull %+v %v", p, err)
	}
	if _, err := wire.DecodePull(strings.NewReader(`{"cursor":-1}`), false); err == nil {
		t.Fatal("a negative cursor was accepted")
	}
}
