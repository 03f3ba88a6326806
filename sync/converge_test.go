package sync_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"reflect"
	"sort"
	gosync "sync"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	blksync "github.com/kemnaker/blk/sync"
)

var seeds = flag.Int("seeds", 12, "seeds of the convergence property test (PostgreSQL runs half as many); raise for a longer search, e.g. -seeds 500")

// flaky breaks requests at random but reproducibly (seeded): dropped
// before the server sees them, answered but the answer lost, or sent twice.
type flaky struct {
	mu   gosync.Mutex
	rnd  *rand.Rand
	rate float64
	on   bool
	next http.RoundTripper
}

var errDropped = errors.New("connection dropped (test)")

func (f *flaky) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	mode := 0
	if f.on && f.rnd.Float64() < f.rate {
		mode = 1 + f.rnd.IntN(3)
	}
	f.mu.Unlock()
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
	}
	send := func() (*http.Response, error) {
		r2 := r.Clone(r.Context())
		r2.Body = io.NopCloser(bytes.NewReader(body))
		return f.next.RoundTrip(r2)
	}
	switch mode {
	case 1: // dropped mid-request: the server never sees it
		return nil, errDropped
	case 2: // dropped mid-response: the server applied it, the PC never hears
		resp, err := send()
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		return nil, errDropped
	case 3: // duplicated: the same request arrives twice
		if resp, err := send(); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	return send()
}

// write is one field value some device wrote, for the conflict oracle.
type write struct {
	table, row, field string
	ver               domain.Version
	value             any
	base              domain.Version
	centre            string
}

func TestConvergenceProperty(t *testing.T) {
	for _, kind := range backends(t) {
		n := *seeds
		if kind == "postgres" {
			n = (n + 1) / 2
		}
		for seed := 1; seed <= n; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", kind, seed), func(t *testing.T) {
				convergeOnce(t, kind, uint64(seed))
			})
		}
	}
}

func convergeOnce(t *testing.T, kind string, seed uint64) {
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(seed, 42))
	// given two centres, three PCs in one and one in the other, all on
	// links that drop and duplicate requests
	st := openBackend(t, kind)
	url := startServer(t, st)
	centreA, centreB := addCentre(t, st, "BLK Al-Hikmah"), addCentre(t, st, "BLK Santo Yusuf")
	var devs []*device
	var nets []*flaky
	for i, c := range []string{centreA, centreA, centreA, centreB} {
		f := &flaky{rnd: rand.New(rand.NewPCG(seed, uint64(i))), rate: 0.3, next: http.DefaultTransport}
		d := enrolDevice(t, st, url, c, fmt.Sprintf("pc%d", i), blksync.WithHTTPClient(&http.Client{Transport: f}), blksync.WithBatch(7, 1<<20))
		f.on = true
		devs = append(devs, d)
		nets = append(nets, f)
	}
	serial := 0
	unique := func() string { serial++; return letters(serial) }
	// Every write is read from the outbox right after it is made: once
	// pushed and acknowledged, outbox entries are pruned.
	writes := map[[3]string][]write{}
	collected := map[*device]int64{}
	collect := func(d *device) {
		ws, last := outboxWrites(t, d.st, collected[d])
		collected[d] = max(collected[d], last)
		for _, w := range ws {
			k := [3]string{w.table, w.row, w.field}
			writes[k] = append(writes[k], w)
		}
	}

	// when they make random offline edits and sync in random order
	for step := 0; step < 70; step++ {
		d := devs[rnd.IntN(len(devs))]
		live, err := store.ListOf[*domain.Trainee](ctx, d.st, store.Query{})
		if err != nil {
			t.Fatal(err)
		}
		switch op := rnd.IntN(10); {
		case op < 2 || len(live) == 0:
			serial++
			if _, err := d.st.Save(ctx, trainee(serial, "Siti "+letters(serial))); err != nil {
				t.Fatal(err)
			}
		case op < 6:
			tr := live[rnd.IntN(len(live))]
			if rnd.IntN(2) == 0 {
				tr.Name = "Dewi " + unique()
			} else {
				tr.Address = "Gang " + unique()
			}
			if _, err := d.st.Save(ctx, tr); err != nil {
				t.Fatal(err)
			}
		case op == 6:
			if err := d.st.Delete(ctx, live[rnd.IntN(len(live))]); err != nil {
				t.Fatal(err)
			}
		case op == 7:
			all, err := store.ListOf[*domain.Trainee](ctx, d.st, store.Query{Deleted: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, tr := range all {
				if tr.Deleted {
					tr.Deleted = false
					tr.Name = "Ayu " + unique()
					if _, err := d.st.Save(ctx, tr); err != nil {
						t.Fatal(err)
					}
					break
				}
			}
		default:
			_, _ = d.client.Round(ctx) // may fail half-way: the link is flaky
		}
		collect(d)
	}

	// and the links heal and every PC syncs until quiet
	for _, f := range nets {
		f.mu.Lock()
		f.on = false
		f.mu.Unlock()
	}
	for pass := 0; pass < 3; pass++ {
		for _, d := range devs {
			mustRound(t, d)
		}
	}

	// then every PC of a centre and the server hold the same data
	for _, c := range []string{centreA, centreB} {
		want := snapshot(t, st.Source(c))
		for _, d := range devs {
			if d.st.CentreID() != c {
				continue
			}
			if got := snapshot(t, d.st); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s differs from the server for centre %s:\n%s", d.name, c, diff(got, want))
			}
			if n, _ := d.st.PendingCount(ctx); n != 0 {
				t.Fatalf("%s still has %d pending changes", d.name, n)
			}
			if rej, _ := d.st.Rejections(ctx); len(rej) != 0 {
				t.Fatalf("%s has rejections: %+v", d.name, rej)
			}
		}
	}
	// and the other centre is untouched
	for _, d := range devs {
		for _, tr := range mustList(t, d.st) {
			if tr.CentreID != d.st.CentreID() {
				t.Fatalf("%s holds trainee %s of centre %s", d.name, tr.ID, tr.CentreID)
			}
		}
	}

	// and every concurrent same-field edit is in the conflicts list, on
	// the server and on every PC of the centre
	if len(writes) == 0 {
		t.Fatal("no writes collected")
	}
	for _, c := range []string{centreA, centreB} {
		server, err := st.Conflicts(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		t.Logf("centre %s: %d conflicts", c, len(server))
		for _, cf := range server {
			ids[cf.ID] = true
		}
		for _, d := range devs {
			if d.st.CentreID() != c {
				continue
			}
			local, _ := d.st.Conflicts(ctx)
			var lids []string
			for _, cf := range local {
				lids = append(lids, cf.ID)
			}
			var sids []string
			for id := range ids {
				sids = append(sids, id)
			}
			sort.Strings(lids)
			sort.Strings(sids)
			if !reflect.DeepEqual(lids, sids) {
				t.Fatalf("%s conflicts %v, server %v", d.name, lids, sids)
			}
		}
		for k, ws := range writes {
			if k[2] == "deleted" || k[2] == "centre_id" {
				continue // repeated values by design, not edits of a person's data
			}
			for _, w := range ws {
				if w.centre != c {
					continue
				}
				winner := w
				for _, o := range ws {
					if o.ver.Newer(winner.ver) {
						winner = o
					}
				}
				if winner.ver == w.ver {
					continue
				}
				superseded := false
				for _, o := range ws {
					if o.base == w.ver {
						superseded = true
					}
				}
				if !superseded && !ids[domain.ConflictID(w.table, w.row, w.field, w.ver)] {
					t.Fatalf("concurrent edit lost without a conflict: %+v (winner %+v)", w, winner)
				}
			}
		}
	}
}

func mustList(t *testing.T, s *store.Store) []*domain.Trainee {
	t.Helper()
	all, err := store.ListOf[*domain.Trainee](context.Background(), s, store.Query{Deleted: true})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// outboxWrites lists the fields a PC wrote after outbox seq from, with
// the versions they replaced, and the last seq read.
func outboxWrites(t *testing.T, s *store.Store, from int64) ([]write, int64) {
	t.Helper()
	cs, err := s.PendingChanges(context.Background(), from, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	var out []write
	last := from
	for _, c := range cs {
		last = max(last, c.Seq)
		for f, v := range c.Fields {
			out = append(out, write{table: c.Table, row: c.ID, field: f, ver: c.Version(), value: v, base: c.Base[f], centre: s.CentreID()})
		}
	}
	return out, last
}

// diff names the first records two snapshots disagree on.
func diff(got, want map[string][]string) string {
	for tb := range want {
		if _, ok := got[tb]; !ok {
			got[tb] = nil
		}
	}
	for tb, g := range got {
		w := want[tb]
		for i := 0; i < len(g) || i < len(w); i++ {
			var a, b string
			if i < len(g) {
				a = g[i]
			}
			if i < len(w) {
				b = w[i]
			}
			if a != b {
				return fmt.Sprintf("%s #%d:\n got %s\nwant %s", tb, i, a, b)
			}
		}
	}
	return "(same)"
}
