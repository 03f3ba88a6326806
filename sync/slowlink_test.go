package sync_test

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/kemnaker/blk/demo"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/netsim"
	"github.com/kemnaker/blk/store"
	blksync "github.com/kemnaker/blk/sync"
)

// The slow link of issue 4: a rural 2G/3G or satellite connection.
const (
	slowBandwidth = 256_000                // bit/s each way
	slowLatency   = 150 * time.Millisecond // one way, so 300 ms round trip
)

// slowClient is an HTTP client whose every connection crosses link; it
// notes each request's path and duration in log.
func slowClient(link *netsim.Link, log *requestLog) *http.Client {
	return &http.Client{Transport: &timing{next: &http.Transport{DialContext: link.DialContext}, log: log}, Timeout: 10 * time.Minute}
}

type requestLog struct {
	mu    gosync.Mutex
	lines []string
}

func (l *requestLog) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := strings.Join(l.lines, " ")
	l.lines = nil
	return s
}

type timing struct {
	next http.RoundTripper
	log  *requestLog
}

func (t *timing) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	if err == nil {
		// The answer is read by the caller; the time to its headers is
		// the round trip plus the server's work plus the upload.
		t.log.mu.Lock()
		t.log.lines = append(t.log.lines, fmt.Sprintf("%s:%dB/%s", path.Base(r.URL.Path), r.ContentLength, time.Since(start).Round(10*time.Millisecond)))
		t.log.mu.Unlock()
	}
	return resp, err
}

// slowLinkRound runs one round of d over link and says how long it took
// against the time its bytes need at the link's bandwidth.
func slowLinkRound(b *testing.B, what string, d *device, link *netsim.Link, log *requestLog) blksync.RoundResult {
	b.Helper()
	link.Reset()
	log.take()
	start := time.Now()
	res := mustRound(b, d)
	wall := time.Since(start)
	ideal := link.Ideal()
	ratio := wall.Seconds() / ideal.Seconds()
	b.ReportMetric(wall.Seconds(), what+"-wall-s")
	b.ReportMetric(float64(link.Sent()+link.Received()), what+"-wire-B")
	b.ReportMetric(ratio, what+"-x-ideal")
	b.Logf("%s: pushed %d, pulled %d changes in %s; %d B up + %d B down = %s at %d kbit/s; wall ÷ that = %.2f (target ≤ 1.30)",
		what, res.Pushed, res.Pulled, wall.Round(time.Millisecond), link.Sent(), link.Received(),
		ideal.Round(time.Millisecond), slowBandwidth/1000, ratio)
	b.Logf("%s requests (path:body/time to answer headers): %s", what, log.take())
	return res
}

// editTrainees changes the address of n trainees, starting at the first'th,
// one write each: a day of ordinary office work.
func editTrainees(b *testing.B, s *store.Store, first, n int, street string) {
	b.Helper()
	ctx := context.Background()
	all, err := store.ListOf[*domain.Trainee](ctx, s, store.Query{})
	if err != nil {
		b.Fatal(err)
	}
	if first+n > len(all) {
		b.Fatalf("only %d trainees", len(all))
	}
	for i, tr := range all[first : first+n] {
		tr.Address = fmt.Sprintf("%s %d", street, i+1)
		if _, err := s.Save(ctx, tr); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSlowLink syncs a demo centre over 256 kbit/s with 300 ms round
// trips (issue 4's target: within 1.3× of bytes ÷ bandwidth): the initial
// push of the whole centre, then a day's round (300 local edits pushed,
// 300 made on another PC pulled). BLK_BENCH_TRAINEES sets the centre size.
func BenchmarkSlowLink(b *testing.B) {
	n := benchTrainees()
	for it := 0; it < b.N; it++ {
		ctx := context.Background()
		st := openBackend(b, "sqlite")
		url := startServer(b, st)
		centre := addCentre(b, st, "BLK Besar")
		link := netsim.New(slowBandwidth, slowLatency)
		log := &requestLog{}
		pc1 := enrolDevice(b, st, url, centre, "pc1", blksync.WithHTTPClient(slowClient(link, log)))
		c := &domain.Centre{Name: "BLK Besar", HostType: "pesantren", VillageCode: "3201011001"}
		c.ID = pc1.st.CentreID()
		if _, err := pc1.st.Save(ctx, c); err != nil {
			b.Fatal(err)
		}
		if _, err := demo.Generate(ctx, pc1.st, demo.Options{Trainees: n, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		res := slowLinkRound(b, "initial", pc1, link, log)
		if res.Pending != 0 {
			b.Fatalf("%d changes still pending", res.Pending)
		}

		// A second PC of the centre, on a fast link, works the same day.
		pc2 := enrolDevice(b, st, url, centre, "pc2")
		editTrainees(b, pc1.st, 0, 300, "Jalan Melati")
		editTrainees(b, pc2.st, 300, 300, "Jalan Kenanga")
		mustRound(b, pc2)
		res = slowLinkRound(b, "day", pc1, link, log)
		if res.Pushed != 300 || res.Pulled < 300 {
			b.Fatalf("day round pushed %d, pulled %d; want 300 each", res.Pushed, res.Pulled)
		}
		// and a round with nothing to do: what the background loop does every 5 minutes
		slowLinkRound(b, "idle", pc1, link, log)
	}
}
