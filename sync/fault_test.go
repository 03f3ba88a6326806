package sync_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	gosync "sync"
	"testing"

	blksync "github.com/kemnaker/blk/sync"
)

// fault is what the proxy does to one request.
type fault int

const (
	pass         fault = iota
	dropRequest        // cut the connection after part of the request: the server never sees it
	dropResponse       // forward it, then cut the reply half-way: the server applied it, the PC never hears
	duplicate          // forward it twice, answer with the second reply
	stall              // hold it until the PC gives up
)

// faultProxy is a TCP proxy in front of the server that applies a fixed
// schedule of faults to successive requests, then passes everything.
type faultProxy struct {
	ln       net.Listener
	backend  *url.URL
	mu       gosync.Mutex
	schedule []fault
	n        int
	stalled  chan struct{}
	tr       *http.Transport
}

func newFaultProxy(t *testing.T, backend string, schedule []fault) *faultProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(backend)
	p := &faultProxy{ln: ln, backend: u, schedule: schedule, stalled: make(chan struct{}, 16), tr: &http.Transport{}}
	t.Cleanup(func() { ln.Close(); p.tr.CloseIdleConnections() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	return p
}

func (p *faultProxy) URL() string { return "http://" + p.ln.Addr().String() }

func (p *faultProxy) next() fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := pass
	if p.n < len(p.schedule) {
		f = p.schedule[p.n]
	}
	p.n++
	return f
}

func (p *faultProxy) forward(req *http.Request, body []byte) (*http.Response, []byte, error) {
	out, _ := http.NewRequest(req.Method, p.backend.String()+req.URL.Path, bytes.NewReader(body))
	out.Header = req.Header.Clone()
	resp, err := p.tr.RoundTrip(out)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	rb, err := io.ReadAll(resp.Body)
	return resp, rb, err
}

func (p *faultProxy) serve(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		f := p.next()
		if f == dropRequest {
			return // the body is never read nor forwarded
		}
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return
		}
		if f == stall {
			p.stalled <- struct{}{}
			io.Copy(io.Discard, br) // until the PC hangs up
			return
		}
		if f == duplicate {
			if _, _, err := p.forward(req, body); err != nil {
				return
			}
		}
		resp, rb, err := p.forward(req, body)
		if err != nil {
			return
		}
		resp.Body = io.NopCloser(bytes.NewReader(rb))
		resp.ContentLength = int64(len(rb))
		resp.TransferEncoding = nil
		var buf bytes.Buffer
		if err := resp.Write(&buf); err != nil {
			return
		}
		if f == dropResponse {
			c.Write(buf.Bytes()[:buf.Len()/2])
			return
		}
		if _, err := c.Write(buf.Bytes()); err != nil {
			return
		}
	}
}

func TestFaultyLinkLosesAndDuplicatesNothing(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// given a PC with 120 new trainees behind a link that drops
			// requests and replies, duplicates and stalls
			st := openBackend(t, kind)
			url := startServer(t, st)
			centre := addCentre(t, st, "BLK A")
			schedule := []fault{pass, pass, pass, dropRequest, pass, dropResponse, duplicate, pass, stall, dropResponse, duplicate, dropRequest, pass, duplicate, stall, dropResponse}
			proxy := newFaultProxy(t, url, schedule)
			s := openStore(t)
			client := blksync.NewClient(s, blksync.WithBatch(20, 1<<20), blksync.WithHTTPClient(&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}))
			if err := client.Enrol(ctx, proxy.URL(), newCode(t, st, centre)); err != nil {
				t.Fatal(err)
			}
			const n = 120
			for i := 1; i <= n; i++ {
				if _, err := s.Save(ctx, trainee(i, "Siti "+letters(i))); err != nil {
					t.Fatal(err)
				}
			}
			// when it syncs until a round finishes, giving up on stalls
			finished := false
			for attempt := 0; attempt < 30 && !finished; attempt++ {
				rctx, cancel := context.WithCancel(ctx)
				done := make(chan error, 1)
				go func() { _, err := client.Round(rctx); done <- err }()
				select {
				case err := <-done:
					finished = err == nil
					if err != nil && !errors.Is(err, context.Canceled) {
						t.Logf("attempt %d: %v", attempt, err)
					}
				case <-proxy.stalled:
					cancel()
					<-done
				}
				cancel()
			}
			if !finished {
				t.Fatal("sync never finished once the link was clean")
			}
			// then the server holds every trainee exactly once: each create
			// took one centre seq, so a duplicate apply would show (one seq
			// more: the centre's profile, written when it was registered)
			p, err := st.Pull(ctx, centre, "", 0, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if p.Cursor != n+1 || len(p.Changes) != n+1 {
				t.Fatalf("server seq %d with %d changes, want %d", p.Cursor, len(p.Changes), n+1)
			}
			if pending, _ := s.PendingCount(ctx); pending != 0 {
				t.Fatalf("%d changes still pending", pending)
			}
			got := snapshot(t, st.Source(centre))
			if want := snapshot(t, s); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("server differs from the PC:\n%s", diff(got, want))
			}
			proxy.mu.Lock()
			used := proxy.n
			proxy.mu.Unlock()
			if used < len(schedule) {
				t.Fatalf("only %d of %d scheduled faults were exercised", used, len(schedule))
			}
		})
	}
}
