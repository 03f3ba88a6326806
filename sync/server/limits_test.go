package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/sync/wire"
)

func newTestServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	st, err := central.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := NewServer(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return s, hs
}

func post(t *testing.T, url, path string, body []byte, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url+path, bytes.NewReader(body))
	req.Header.Set(wire.HeaderProtocol, strconv.Itoa(wire.ProtocolVersion))
	req.Header.Set(wire.HeaderSchema, strconv.Itoa(wire.SchemaVersion))
	req.Header.Set("Content-Encoding", "gzip")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	text := string(raw)
	if zr, err := gzip.NewReader(bytes.NewReader(raw)); err == nil {
		b, _ := io.ReadAll(zr)
		text = string(b)
	}
	return res, text
}

func gzipOf(b []byte) []byte {
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

func TestAnEnrolBombIsRefusedAtOneKilobyte(t *testing.T) {
	_, hs := newTestServer(t)
	// given a 60 kB gzip body that would inflate to 60 MiB, and a small one
	// that inflates past 1 kB
	bomb := gzipOf(bytes.Repeat([]byte(" "), 60<<20))
	small := gzipOf([]byte(`{"code":"` + strings.Repeat("A", 3000) + `"}`))
	for name, body := range map[string][]byte{"bomb": bomb, "inflating": small} {
		// when it is sent to /v1/enrol, then it is refused as too large
		res, text := post(t, hs.URL, wire.PathEnrol, body, nil)
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("%s (%d bytes): %d %s", name, len(body), res.StatusCode, text)
		}
	}
}

func TestEnrolmentIsRateLimitedPerAddress(t *testing.T) {
	s, hs := newTestServer(t)
	now := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	body := gzipOf([]byte(`{"code":"AAAA-BBBB-CCCC","device_id":"` + "0192f0a0-0000-7000-8000-000000000001" + `","device_name":"PC"}`))
	// given an address that used up its attempts with wrong codes
	for i := range EnrolPerWindow {
		if res, text := post(t, hs.URL, wire.PathEnrol, body, nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("attempt %d: %d %s", i, res.StatusCode, text)
		}
	}
	// when it tries again, then it is told when it may
	res, text := post(t, hs.URL, wire.PathEnrol, body, nil)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != strconv.Itoa(int(EnrolWindow.Seconds())) {
		t.Fatalf("over the limit: %d, Retry-After %q, %s", res.StatusCode, res.Header.Get("Retry-After"), text)
	}
	// and after the window it may try again
	now = now.Add(EnrolWindow)
	if res, _ := post(t, hs.URL, wire.PathEnrol, body, nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("after the window: %d", res.StatusCode)
	}
}

func TestALimiterForgetsAddressesItCannotHold(t *testing.T) {
	l := newLimiter(1, time.Hour)
	now := time.Now()
	for i := range maxTracked + 10 {
		l.allow(strconv.Itoa(i), now)
	}
	if len(l.seen) > maxTracked {
		t.Fatalf("%d addresses held", len(l.seen))
	}
}

func TestRequestsWaitForRoomToDecodeThenHearTheServerIsBusy(t *testing.T) {
	s, _ := newTestServer(t)
	// given a budget another request has filled
	if err := s.budget.Acquire(context.Background(), DecodeBudget); err != nil {
		t.Fatal(err)
	}
	// when a push arrives and the room does not come in time
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequestWithContext(ctx, "POST", wire.PathPush, bytes.NewReader(nil))
	r.ContentLength = 1000
	done := make(chan error, 1)
	go func() { _, err := s.reserve(r, wire.MaxDecodedBytes); done <- err }()
	// then it waits; when its client gives up, it stops waiting
	cancel()
	if err := <-done; err == nil {
		t.Fatal("a request decoded beyond the budget")
	}
	// and once the room is given back, a request gets it at once
	s.budget.Release(DecodeBudget)
	release, err := s.reserve(httptest.NewRequest("POST", wire.PathPush, nil), wire.MaxDecodedBytes)
	if err != nil {
		t.Fatal(err)
	}
	release()
}

func TestRepliesNeverRepeatWhatWasSent(t *testing.T) {
	s, hs := newTestServer(t)
	ctx := context.Background()
	c, err := s.st.AddCentre(ctx, central.Centre{Name: "BLK A", Region: "3201"})
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := s.st.NewCode(ctx, c.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := s.st.Enrol(ctx, code, "0192f0a0-0000-7000-8000-0000000000aa", "PC")
	if err != nil {
		t.Fatal(err)
	}
	marker := "ZQX" + strings.Repeat("marker", 8000) // 48 kB, under the wire's text limit
	short := "ZQXjenis-rahasia"
	change := func(fields string) []byte {
		return gzipOf([]byte(`{"changes":[{"s":1,"t":"partners","i":"0192f0a0-0000-7000-8000-0000000000bb","c":` +
			strconv.FormatInt(time.Now().UnixMilli()<<16, 10) + `,"f":{"centre_id":"` + c.ID + `",` + fields + `}}]}`))
	}
	for name, body := range map[string][]byte{
		"an unknown field named at length": change(`"` + marker + `":"x"`),
		"a text where a number goes":       gzipOf([]byte(`{"changes":[{"s":1,"t":"cohorts","i":"x","c":1,"f":{"quota":"` + marker + `"}}]}`)),
		"an unknown key in the request":    gzipOf([]byte(`{"` + marker + `":1}`)),
		"a value not among the choices":    change(`"name":"PT Maju","type":"` + short + `"`),
	} {
		// when it is pushed
		res, text := post(t, hs.URL, wire.PathPush, body, map[string]string{"Authorization": "Bearer " + token})
		// then the answer, refusal or rejection, says what was wrong
		// without the value, and stays small
		if strings.Contains(text, "ZQX") || len(text) > 2048 {
			t.Fatalf("%s: %d, a %d-byte answer repeating the input: %.200s", name, res.StatusCode, len(text), text)
		}
		if res.StatusCode == http.StatusOK && !strings.Contains(text, "rejections") {
			t.Fatalf("%s: accepted: %s", name, text)
		}
	}
}
