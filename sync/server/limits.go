package server

import (
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	gosync "sync"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/kemnaker/blk/sync/wire"
)

// DecodeBudget is how many decompressed bytes all requests together may be
// decoding at one moment. A request reserves what its body may grow to
// (gzip expands text about twentyfold; never more than wire's limit for
// its kind) before it reads a byte, and gives it back when decoded: a day's
// push of 20 kB reserves 400 kB, the largest legal push 16 MiB, so eight of
// the largest decode at once and the rest wait their turn.
const DecodeBudget = 128 << 20

// budgetWait is how long a request waits for room in the budget before it
// is told the server is busy (503), which the client retries with backoff.
const budgetWait = 30 * time.Second

// gzipExpansion estimates how far a gzipped JSON body of ours grows.
const gzipExpansion = 20

// errBusy is a request the decode budget had no room for in time.
var errBusy = errors.New("server busy decoding other requests")

// reserve takes room in the decode budget for r's body (at most limit
// decoded bytes) and returns the function that gives it back.
func (s *Server) reserve(r *http.Request, limit int64) (func(), error) {
	n := limit
	if cl := r.ContentLength; cl > 0 && cl < math.MaxInt64/gzipExpansion {
		n = min(limit, max(cl*gzipExpansion, 64<<10))
	}
	ctx, cancel := context.WithTimeout(r.Context(), budgetWait)
	defer cancel()
	if err := s.budget.Acquire(ctx, n); err != nil {
		if r.Context().Err() != nil {
			return nil, r.Context().Err()
		}
		return nil, errBusy
	}
	return func() { s.budget.Release(n) }, nil
}

func newBudget() *semaphore.Weighted { return semaphore.NewWeighted(DecodeBudget) }

// Enrolment is limited per client address: a PC enrols once, a centre's
// few PCs a few times, an operator who mistypes a code a few more. Beyond
// EnrolPerWindow attempts in EnrolWindow the address is told when to try
// again (429 with Retry-After).
const (
	EnrolPerWindow = 20
	EnrolWindow    = time.Hour
	maxTracked     = 100000 // addresses remembered at most; older windows go first
)

type window struct {
	n     int
	start time.Time
}

// limiter counts attempts per key in fixed windows.
type limiter struct {
	mu   gosync.Mutex
	seen map[string]*window
	max  int
	per  time.Duration
}

func newLimiter(max int, per time.Duration) *limiter {
	return &limiter{seen: map[string]*window{}, max: max, per: per}
}

// allow counts one attempt of key at now and reports whether it may go
// ahead; when not, after how long it may.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.seen[key]
	if w == nil || now.Sub(w.start) >= l.per {
		if len(l.seen) >= maxTracked {
			l.sweep(now)
		}
		w = &window{start: now}
		l.seen[key] = w
	}
	if w.n >= l.max {
		return false, w.start.Add(l.per).Sub(now)
	}
	w.n++
	return true, 0
}

// sweep forgets finished windows, and if that is not enough, all of them:
// a flood of addresses must not grow the map without bound.
func (l *limiter) sweep(now time.Time) {
	for k, w := range l.seen {
		if now.Sub(w.start) >= l.per {
			delete(l.seen, k)
		}
	}
	if len(l.seen) >= maxTracked {
		clear(l.seen)
	}
}

// clientAddr is the address a request came from (not a header it claims).
func clientAddr(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

// bodyLimit is the most a request to path may send, as sent.
func bodyLimit(path string) int64 {
	switch path {
	case wire.PathEnrol, wire.PathPull:
		return wire.MaxSmallBytes
	}
	return wire.MaxBodyBytes
}
