package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
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
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	blksync "github.com/kemnaker/blk/sync"
	"github.com/kemnaker/blk/sync/wire"
)

// duplexCentre is a server with one centre and two enrolled PCs: pc2 has
// pushed a trainee, pc1 has one of its own waiting in its outbox.
type duplexCentre struct {
	url   string
	token string          // pc1's
	batch []domain.Change // pc1's outbox
}

func newDuplexCentre(t *testing.T) duplexCentre {
	t.Helper()
	ctx := context.Background()
	st, err := central.OpenSQLite(ctx, filepath.Join(t.TempDir(), "server.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	hs := httptest.NewServer(NewServer(st, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler())
	t.Cleanup(hs.Close)
	centre, err := st.AddCentre(ctx, central.Centre{Name: "BLK Komunitas Darul Ulum", Region: "3201"})
	if err != nil {
		t.Fatal(err)
	}
	pc := func(name string, serial int) *store.Store {
		code, _, err := st.NewCode(ctx, centre.ID, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		s, err := store.Open(ctx, filepath.Join(t.TempDir(), name+".db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := blksync.NewClient(s).Enrol(ctx, hs.URL, code); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Save(ctx, &domain.Trainee{NIK: domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, serial),
			Name: name + " Aminah", Sex: "P", BirthDate: "2001-08-17"}); err != nil {
			t.Fatal(err)
		}
		return s
	}
	pc1, pc2 := pc("Siti", 1), pc("Nur", 2)
	if _, err := blksync.NewClient(pc2).Round(ctx); err != nil {
		t.Fatal(err)
	}
	batch, err := pc1.PendingChanges(ctx, 0, 100)
	if err != nil || len(batch) == 0 {
		t.Fatalf("pc1's outbox: %d changes, %v", len(batch), err)
	}
	token, _ := pc1.Meta(ctx, blksync.MetaToken)
	return duplexCentre{url: hs.URL, token: token, batch: batch}
}

// start posts a duplex push whose body is written later, through the
// returned pipe.
func (d duplexCentre) start(t *testing.T, ctx context.Context, round string) (*http.Response, *io.PipeWriter, error) {
	t.Helper()
	pr, pw := io.Pipe()
	req, _ := http.NewRequestWithContext(ctx, "POST", d.url+wire.PathPush, pr)
	req.Header.Set(wire.HeaderProtocol, strconv.Itoa(wire.ProtocolVersion))
	req.Header.Set(wire.HeaderSchema, strconv.Itoa(wire.SchemaVersion))
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set("Accept-Encoding", "gzip") // the reply as sent, not inflated by the transport
	req.Header.Set("Authorization", "Bearer "+d.token)
	req.Header.Set(wire.HeaderRound, round)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		pw.Close()
	}
	return res, pw, err
}

func roundHeader(t *testing.T, rr wire.RoundRequest) string {
	b, err := json.Marshal(rr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestADuplexPushSendsThePageBeforeItReadsTheBatch: the server answers a
// duplex push with the pull page while not one byte of the batch has been
// sent (on a slow link the page comes down while the batch goes up), then
// applies the batch and ends the reply with its answer.
func TestADuplexPushSendsThePageBeforeItReadsTheBatch(t *testing.T) {
	d := newDuplexCentre(t)
	// A hang guard, not a timing: a server that waits for the body before
	// answering never answers here.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, pw, err := d.start(t, ctx, roundHeader(t, wire.RoundRequest{MaxAheadMS: 300_000}))
	if err != nil {
		t.Fatalf("no reply before the batch was sent: %v", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get(wire.HeaderFeatures), wire.FeatureDuplex) {
		t.Fatalf("reply %d, features %q", res.StatusCode, res.Header.Get(wire.HeaderFeatures))
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(zr)
	var page wire.PullResponse
	if err := dec.Decode(&page); err != nil {
		t.Fatalf("the page: %v", err)
	}
	names := ""
	for _, c := range page.Changes {
		b, _ := json.Marshal(c.Fields)
		names += string(b)
	}
	if !strings.Contains(names, "Nur Aminah") || strings.Contains(names, "Siti") {
		t.Errorf("the page brought names %s; want pc2's trainee only", names)
	}
	// only now the batch
	zw := gzip.NewWriter(pw)
	if err := json.NewEncoder(zw).Encode(wire.PushRequest{Changes: d.batch}); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	pw.Close()
	var tail wire.DuplexTail
	if err := dec.Decode(&tail); err != nil {
		t.Fatalf("the tail: %v", err)
	}
	last := d.batch[len(d.batch)-1].Seq
	if tail.Error != nil || tail.Push == nil || tail.Push.AppliedSeq != last || tail.Push.Deferred {
		t.Fatalf("tail %+v (error %+v); want the batch applied up to %d", tail, tail.Error, last)
	}
}

// TestHostileDuplexPushes: a bad round header is refused before anything
// is read; a bad batch after the page is answered in the tail with the
// status it would have had, and nothing of it is applied; a PC whose
// record of the server is off gets its batch deferred.
func TestHostileDuplexPushes(t *testing.T) {
	d := newDuplexCentre(t)
	ok := roundHeader(t, wire.RoundRequest{MaxAheadMS: 300_000})
	gz := func(v any) []byte {
		b, _ := json.Marshal(v)
		return gzipOf(b)
	}
	cases := []struct {
		name   string
		round  string
		body   []byte
		status int    // of the reply; 200 means a page and a tail
		tail   string // the tail's error code, or "deferred", or "applied"
	}{
		{"negative cursor", `{"cursor":-1}`, gz(wire.PushRequest{Changes: d.batch}), http.StatusBadRequest, ""},
		{"unknown field", `{"cursor":0,"sql":"drop"}`, gz(wire.PushRequest{Changes: d.batch}), http.StatusBadRequest, ""},
		{"header of 2 kB", `{"cursor":0` + strings.Repeat(" ", 2048) + `}`, gz(wire.PushRequest{Changes: d.batch}), http.StatusRequestEntityTooLarge, ""},
		{"garbage batch", ok, []byte("not gzip at all"), http.StatusOK, "invalid"},
		{"gzip bomb", ok, gzipOf(bytes.Repeat([]byte(" "), 60<<20)), http.StatusOK, "too_large"},
		{"round twice", ok, gz(wire.PushRequest{Changes: d.batch, Round: &wire.RoundRequest{}}), http.StatusOK, "invalid"},
		{"PC's record off", roundHeader(t, wire.RoundRequest{ExpectApplied: 7, MaxAheadMS: 300_000}), gz(wire.PushRequest{Changes: d.batch}), http.StatusOK, "deferred"},
		{"good", ok, gz(wire.PushRequest{Changes: d.batch}), http.StatusOK, "applied"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, text := post(t, d.url, wire.PathPush, c.body, map[string]string{
				"Authorization": "Bearer " + d.token, wire.HeaderRound: c.round})
			if res.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, c.status, text)
			}
			if c.status != http.StatusOK {
				return
			}
			dec := json.NewDecoder(strings.NewReader(text))
			var page wire.PullResponse
			var tail wire.DuplexTail
			if err := dec.Decode(&page); err != nil {
				t.Fatalf("page: %v in %q", err, text)
			}
			if err := dec.Decode(&tail); err != nil {
				t.Fatalf("tail: %v in %q", err, text)
			}
			got := ""
			switch {
			case tail.Error != nil:
				got = tail.Error.Code
				if tail.Status < 400 || tail.Error.Message == "" {
					t.Errorf("tail error without status or message: %+v", tail)
				}
			case tail.Push != nil && tail.Push.Deferred:
				got = "deferred"
			case tail.Push != nil && tail.Push.AppliedSeq == d.batch[len(d.batch)-1].Seq:
				got = "applied"
			}
			if got != c.tail {
				t.Fatalf("tail %q, want %q: %s", got, c.tail, text)
			}
			if c.tail != "applied" && page.AppliedSeq != 0 {
				t.Errorf("a refused batch before it: applied %d", page.AppliedSeq)
			}
		})
	}
}
