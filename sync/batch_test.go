package sync_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	gosync "sync"
	"testing"

	blksync "github.com/kemnaker/blk/sync"
	"github.com/kemnaker/blk/sync/wire"
)

// pushRecorder keeps the body of every push a client sends.
type pushRecorder struct {
	mu     gosync.Mutex
	bodies [][]byte
	next   http.RoundTripper
}

func (p *pushRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == wire.PathPush && r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body.Close()
		p.mu.Lock()
		p.bodies = append(p.bodies, b)
		p.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	return p.next.RoundTrip(r)
}

func TestPushBodiesAreThePushRequestAsEncodedAndCarryEveryChangeOnce(t *testing.T) {
	ctx := context.Background()
	// given a PC of 2,500 unsynced trainees (more than one batch of the
	// client's first size, 1,000 changes)
	st := openBackend(t, "sqlite")
	url := startServer(t, st)
	rec := &pushRecorder{next: http.DefaultTransport}
	d := enrolDevice(t, st, url, addCentre(t, st, "BLK A"), "pc1", blksync.WithHTTPClient(&http.Client{Transport: rec}))
	const n = 2500
	for i := 1; i <= n; i++ {
		if _, err := d.st.Save(ctx, trainee(i, "Siti "+letters(i))); err != nil {
			t.Fatal(err)
		}
	}
	want, err := d.st.PendingChanges(ctx, 0, 2*n)
	if err != nil {
		t.Fatal(err)
	}
	// when it syncs
	if res := mustRound(t, d); res.Pushed != len(want) || res.Pending != 0 {
		t.Fatalf("round: %+v, want %d pushed", res, len(want))
	}
	// then every push body is exactly the JSON of its wire.PushRequest, as
	// json.Encoder writes it, gzipped; the first at gzip's best level
	if len(rec.bodies) < 2 {
		t.Fatalf("%d pushes for %d changes", len(rec.bodies), len(want))
	}
	var got []int64
	for i, body := range rec.bodies {
		if i == 0 && body[8] != 2 { // gzip header XFL: 2 = best compression
			t.Errorf("first push gzipped with XFL %d, want the best level", body[8])
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		req, err := wire.DecodePush(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("push %d: %v", i, err)
		}
		var again bytes.Buffer
		if err := json.NewEncoder(&again).Encode(req); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(plain, again.Bytes()) {
			t.Fatalf("push %d is not the encoding of its request:\n%.300s\n%.300s", i, plain, again.Bytes())
		}
		for _, c := range req.Changes {
			got = append(got, c.Seq)
		}
	}
	// and together they carry every pending change once, in outbox order
	if len(got) != len(want) {
		t.Fatalf("pushed %d changes in %d pushes, want %d", len(got), len(rec.bodies), len(want))
	}
	for i := range want {
		if got[i] != want[i].Seq {
			t.Fatalf("change %d: seq %d, want %d", i, got[i], want[i].Seq)
		}
	}
	if c := len(snapshot(t, st.Source(d.st.CentreID()))["trainees"]); c != n {
		t.Fatalf("server has %d trainees, want %d", c, n)
	}
}
