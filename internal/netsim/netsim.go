// Package netsim puts a slow network link inside the process, for tests and
// benchmarks of the sync client: each direction has its own bandwidth (a
// token bucket with no burst, so every byte waits for its serialisation
// time) and one-way latency, applied per segment in flight the way a real
// link pipelines them, not once per Write call. It wraps real net.Conns
// (loopback TCP) and counts the bytes that cross it. It touches nothing but
// the connections it wraps; nothing outside tests should import it.
package netsim

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Segment is how many bytes travel as one unit: a TCP segment on Ethernet.
const Segment = 1460

// Link is a full-duplex link between one client and the servers it dials.
// Every connection made through it shares its bandwidth, as connections
// over one modem do.
type Link struct {
	up, down pacer
	latency  time.Duration

	sent, recv atomic.Int64
}

// New makes a link of bitsPerSecond in each direction and the given one-way
// latency (a round trip is twice that).
func New(bitsPerSecond int, oneWay time.Duration) *Link {
	return &Link{up: pacer{bps: bitsPerSecond}, down: pacer{bps: bitsPerSecond}, latency: oneWay}
}

// Sent is the number of bytes the client side has written (upload).
func (l *Link) Sent() int64 { return l.sent.Load() }

// Received is the number of bytes the client side has read (download).
func (l *Link) Received() int64 { return l.recv.Load() }

// Reset sets both byte counts to zero.
func (l *Link) Reset() { l.sent.Store(0); l.recv.Store(0) }

// Ideal is how long the bytes counted so far take at the link's bandwidth
// if they crossed it one after the other (both directions added up).
func (l *Link) Ideal() time.Duration {
	return l.up.duration(int(l.Sent() + l.Received()))
}

// pacer hands out departure times on one direction of the link: a segment
// leaves when the previous one has been serialised, and occupies the line
// for its bytes ÷ bandwidth.
type pacer struct {
	mu   sync.Mutex
	bps  int
	free time.Time // when the line is next idle
}

func (p *pacer) duration(n int) time.Duration {
	return time.Duration(int64(n) * 8 * int64(time.Second) / int64(p.bps))
}

// schedule books n bytes on the line at now and returns when their last
// bit leaves (departure) and when it reaches the far end (arrival).
func (p *pacer) schedule(now time.Time, n int, latency time.Duration) (departure, arrival time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	start := now
	if p.free.After(start) {
		start = p.free
	}
	p.free = start.Add(p.duration(n))
	return p.free, p.free.Add(latency)
}

// DialContext dials like net.Dialer and wraps the connection; the TCP
// handshake costs one round trip. Use it as http.Transport.DialContext.
func (l *Link) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	select {
	case <-time.After(2 * l.latency):
	case <-ctx.Done():
		c.Close()
		return nil, ctx.Err()
	}
	return l.Wrap(c), nil
}

// Wrap puts the client end of c behind the link: what it writes goes up,
// what it reads comes down.
func (l *Link) Wrap(c net.Conn) net.Conn {
	w := &conn{Conn: c, link: l, out: make(chan segment, 1024), in: make(chan segment, 1024), done: make(chan struct{})}
	go w.deliver()
	go w.pump()
	return w
}

type segment struct {
	data   []byte
	arrive time.Time
	err    error
}

type conn struct {
	net.Conn
	link *Link

	out  chan segment // written, waiting to arrive at the server
	in   chan segment // sent by the server, waiting to arrive here
	done chan struct{}
	once sync.Once

	wmu  sync.Mutex
	werr atomic.Value // error of the delivery goroutine

	rmu     sync.Mutex
	pending []byte
	rerr    error
}

// Write blocks while the bytes are serialised onto the line (a full socket
// buffer) and returns; they arrive at the server one latency later, while
// the caller already writes more.
func (c *conn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	written := 0
	for len(p) > 0 {
		if err, _ := c.werr.Load().(error); err != nil {
			return written, err
		}
		n := min(len(p), Segment)
		dep, arr := c.link.up.schedule(time.Now(), n, c.link.latency)
		if !c.sleepUntil(dep) {
			return written, net.ErrClosed
		}
		seg := segment{data: append([]byte(nil), p[:n]...), arrive: arr}
		select {
		case c.out <- seg:
		case <-c.done:
			return written, net.ErrClosed
		}
		c.link.sent.Add(int64(n))
		written += n
		p = p[n:]
	}
	return written, nil
}

// deliver writes each segment to the real connection when it arrives.
func (c *conn) deliver() {
	for {
		select {
		case seg := <-c.out:
			if !c.sleepUntil(seg.arrive) {
				return
			}
			if _, err := c.Conn.Write(seg.data); err != nil {
				c.werr.Store(err)
				return
			}
		case <-c.done:
			return
		}
	}
}

// pump reads what the server sent as fast as loopback gives it and books
// it on the down line; Read hands it out when it arrives.
func (c *conn) pump() {
	buf := make([]byte, Segment)
	last := time.Now()
	for {
		n, err := c.Conn.Read(buf)
		if n > 0 {
			var arr time.Time
			_, arr = c.link.down.schedule(time.Now(), n, c.link.latency)
			last = arr
			select {
			case c.in <- segment{data: append([]byte(nil), buf[:n]...), arrive: arr}:
			case <-c.done:
				return
			}
		}
		if err != nil {
			// The end of the stream arrives after the data before it.
			if last.Before(time.Now()) {
				last = time.Now().Add(c.link.latency)
			}
			select {
			case c.in <- segment{err: err, arrive: last}:
			case <-c.done:
			}
			return
		}
	}
}

func (c *conn) Read(p []byte) (int, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	for len(c.pending) == 0 {
		if c.rerr != nil {
			return 0, c.rerr
		}
		var seg segment
		select {
		case seg = <-c.in:
		case <-c.done:
			return 0, net.ErrClosed
		}
		if !c.sleepUntil(seg.arrive) {
			return 0, net.ErrClosed
		}
		if seg.err != nil {
			c.rerr = seg.err
			continue
		}
		c.pending = seg.data
		c.link.recv.Add(int64(len(seg.data)))
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

func (c *conn) Close() error {
	err := net.ErrClosed
	c.once.Do(func() {
		close(c.done)
		err = c.Conn.Close()
	})
	return err
}

// sleepUntil waits until t; false when the connection closed meanwhile.
func (c *conn) sleepUntil(t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		select {
		case <-c.done:
			return false
		default:
			return true
		}
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-c.done:
		return false
	}
}

var _ net.Conn = (*conn)(nil)
