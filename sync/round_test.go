package sync_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/kemnaker/blk/central"
	blksync "github.com/kemnaker/blk/sync"
	syncserver "github.com/kemnaker/blk/sync/server"
	"github.com/kemnaker/blk/sync/wire"
)

// requestPaths is the paths a round asked, in order, without the timings.
func requestPaths(log *requestLog) string {
	var out []string
	for _, l := range strings.Fields(log.take()) {
		out = append(out, l[:strings.IndexByte(l, ':')])
	}
	return strings.Join(out, " ")
}

// loggedClient notes every request's path (see slowlink_test.go), on a
// transport that may change the replies.
func loggedClient(log *requestLog, next http.RoundTripper) *http.Client {
	if next == nil {
		next = http.DefaultTransport
	}
	return &http.Client{Transport: &timing{next: next, log: log}}
}

// noFeatures hides the server's features from the PC: an app from before
// them, which never asks for a round in one exchange.
type noFeatures struct{}

func (noFeatures) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		resp.Header.Del(wire.HeaderFeatures)
	}
	return resp, err
}

func saveTrainees(t *testing.T, d *device, first, n int) {
	t.Helper()
	for i := range n {
		if _, err := d.st.Save(context.Background(), trainee(first+i, "Siti "+letters(first+i))); err != nil {
			t.Fatal(err)
		}
	}
}

func sameCentre(t *testing.T, st central.Storage, centre string, ds ...*device) {
	t.Helper()
	want := snapshot(t, st.Source(centre))
	for _, d := range ds {
		if got := snapshot(t, d.st); !reflect.DeepEqual(got, want) {
			t.Errorf("%s differs from the server:\n got %v\nwant %v", d.name, got, want)
		}
	}
}

// TestDayRoundIsOneExchange: with something to push and something to pull,
// the round is one HTTP request (the push carries the pull), and everyone
// ends with the same records. With nothing to push it is one pull.
func TestDayRoundIsOneExchange(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			st := openBackend(t, kind)
			url := startServer(t, st)
			centre := addCentre(t, st, "BLK Satu")
			log := &requestLog{}
			pc1 := enrolDevice(t, st, url, centre, "pc1", blksync.WithHTTPClient(loggedClient(log, nil)))
			pc2 := enrolDevice(t, st, url, centre, "pc2")
			saveTrainees(t, pc1, 1, 3)
			mustRound(t, pc1)
			saveTrainees(t, pc2, 10, 4)
			mustRound(t, pc2)
			saveTrainees(t, pc1, 20, 2)
			log.take()
			res := mustRound(t, pc1)
			if got := requestPaths(log); got != "push" {
				t.Errorf("the day's round made requests %q, want one push", got)
			}
			if res.Pushed != 2 || res.Pulled == 0 {
				t.Errorf("round pushed %d and pulled %d; want 2 and pc2's 4 trainees", res.Pushed, res.Pulled)
			}
			mustRound(t, pc2)
			sameCentre(t, st, centre, pc1, pc2)
			if res = mustRound(t, pc1); requestPaths(log) != "pull" || res.Pushed != 0 {
				t.Errorf("an idle round: %+v", res)
			}
		})
	}
}

// TestOldAppsAndOldServersStillSync: an app that predates the one-exchange
// round keeps the two-step round against a new server; a new app whose
// server no longer takes it (a server put back to an older version)
// forgets the feature and syncs in the same round; a PC whose record of
// what the server applied is off gets a deferral and the two-step round.
func TestOldAppsAndOldServersStillSync(t *testing.T) {
	ctx := context.Background()
	st := openBackend(t, "sqlite")
	centre := addCentre(t, st, "BLK Dua")
	oldServer := false
	h := syncserver.NewServer(st, quietLog()).Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !oldServer {
			h.ServeHTTP(w, r)
			return
		}
		// What a server before rounds does: no features, no eye for the
		// duplex push's header, and an unknown field in a push is
		// malformed.
		r.Header.Del(wire.HeaderRound)
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path == wire.PathPush {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err == nil {
				plain, _ := io.ReadAll(zr)
				if bytes.Contains(plain, []byte(`"round"`)) {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusBadRequest)
					_, _ = w.Write([]byte(`{"code":"invalid","error":"JSON rusak","error_en":"malformed JSON: unknown field in a push"}`))
					return
				}
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			if k != wire.HeaderFeatures {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)

	oldLog, newLog := &requestLog{}, &requestLog{}
	oldApp := enrolDevice(t, st, srv.URL, centre, "old", blksync.WithHTTPClient(loggedClient(oldLog, noFeatures{})))
	newApp := enrolDevice(t, st, srv.URL, centre, "new", blksync.WithHTTPClient(loggedClient(newLog, nil)))
	saveTrainees(t, oldApp, 1, 2)
	saveTrainees(t, newApp, 10, 2)
	mustRound(t, newApp)
	oldLog.take()
	if res := mustRound(t, oldApp); requestPaths(oldLog) != "pull push" || res.Pushed != 2 || res.Pulled != 2 {
		t.Errorf("old app's round: %+v", res)
	}

	oldServer = true
	saveTrainees(t, newApp, 20, 2)
	newLog.take()
	if res := mustRound(t, newApp); res.Pushed != 2 || res.Pulled != 2 {
		t.Errorf("new app against an old server: %+v", res)
	}
	if got := requestPaths(newLog); got != "push pull push" {
		t.Errorf("new app against an old server asked %q, want the refused round then the two steps", got)
	}
	if f, _ := newApp.st.Meta(ctx, blksync.MetaServerFeatures); f != "" {
		t.Errorf("features still remembered: %q", f)
	}
	oldServer = false
	mustRound(t, newApp) // learns the feature again

	// The PC's record of the server's acknowledgement is off: deferred.
	if err := newApp.st.SetMeta(ctx, "pushed_clock", "1"); err != nil {
		t.Fatal(err)
	}
	saveTrainees(t, newApp, 30, 1)
	newLog.take()
	if res := mustRound(t, newApp); res.Pushed != 1 {
		t.Errorf("deferred round: %+v", res)
	}
	if got := requestPaths(newLog); got != "push pull push" {
		t.Errorf("deferred round asked %q, want the deferred push then the two steps", got)
	}
	mustRound(t, oldApp)
	mustRound(t, newApp)
	sameCentre(t, st, centre, oldApp, newApp)
}
