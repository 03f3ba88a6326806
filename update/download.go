package update

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// Downloader fetches a release file over a link that may be slow, expensive
// and often cut: what has arrived is kept in DEST.part, and each new attempt
// (in this run or after a restart) asks only for the rest with an HTTP range
// request. It can hold itself to a byte rate so that the centre's sync and
// browsing keep most of a thin link.
type Downloader struct {
	Client *http.Client // http.DefaultClient when nil
	// Rate caps the average speed in bytes per second; 0 means no cap.
	Rate int64
	// Attempts is how many connections in a row may fail without bringing
	// a single byte before Fetch gives up (default 6); one that brings
	// bytes resets the count.
	Attempts int
	// Stall ends a connection that brings nothing for this long (default
	// one minute) so that it can be retried.
	Stall time.Duration
	// Backoff is the pause before attempt n (1, 2, …) after a failure;
	// default 2s, 4s, 8s … up to 2 minutes.
	Backoff func(n int) time.Duration
	// Progress, if set, hears the bytes on disk and the total.
	Progress func(have, total int64)
	// Header is sent with every request (blk-server wants the device token
	// and the protocol version on its release downloads).
	Header http.Header

	// Tests run the clock themselves: sleep advances now.
	sleep func(ctx context.Context, d time.Duration) error
	now   func() time.Time
}

// errRestart is a retryable failure after which the download starts over.
var errRestart = errors.New("the server's file does not continue the part on disk; starting again")

// Fetch downloads url to dest, which must end up as the file m describes
// (size and SHA-256; check m's signature before calling). A file that does
// not match is deleted, with ErrTampered, so the next try starts clean.
func (d *Downloader) Fetch(ctx context.Context, url, dest string, m Manifest) error {
	if err := m.Check(); err != nil {
		return err
	}
	part := dest + ".part"
	fails := 0
	for {
		have, err := d.attempt(ctx, url, part, m.Size)
		if err == nil {
			break
		}
		var perm permanentError
		if errors.As(err, &perm) || ctx.Err() != nil {
			return fmt.Errorf("download %s: %w", url, err)
		}
		if have > 0 {
			fails = 0 // progress: the link works, just not for long
		}
		fails++
		if fails >= d.attempts() {
			return fmt.Errorf("download %s: %d attempts in a row brought nothing: %w", url, fails, err)
		}
		if err := d.pause(ctx, d.backoff(fails)); err != nil {
			return err
		}
	}
	if err := checkFile(part, m); err != nil {
		os.Remove(part)
		return err
	}
	return os.Rename(part, dest)
}

// permanentError is a failure that retrying will not cure (the server
// refuses the request, the disk cannot be written).
type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

// attempt makes one request for the rest of the file and appends what
// arrives to part. It returns how many bytes it added.
func (d *Downloader) attempt(ctx context.Context, url, part string, size int64) (int64, error) {
	f, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return 0, permanentError{err}
	}
	defer f.Close()
	have, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, permanentError{err}
	}
	if have > size { // not this release's bytes
		if err := truncate(f); err != nil {
			return 0, err
		}
		have = 0
	}
	d.progress(have, size)
	if have == size {
		return 0, nil
	}

	// A connection that goes quiet is cut so that the next attempt can
	// resume; every chunk that arrives pushes the deadline back.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stall := time.AfterFunc(d.stall(), cancel)
	defer stall.Stop()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, permanentError{err}
	}
	for k, vs := range d.Header {
		req.Header[k] = append([]string(nil), vs...)
	}
	if have > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(have, 10)+"-")
	}
	resp, err := d.client().Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusPartialContent && have > 0:
		if start, ok := contentRangeStart(resp.Header.Get("Content-Range")); !ok || start != have {
			if err := truncate(f); err != nil {
				return 0, err
			}
			return 0, errRestart
		}
	case resp.StatusCode == http.StatusOK:
		if have > 0 { // the server ignores ranges: it sends everything
			if err := truncate(f); err != nil {
				return 0, err
			}
			have = 0
		}
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable:
		// The server's file is shorter than the part: not the same file.
		if err := truncate(f); err != nil {
			return 0, err
		}
		return 0, errRestart
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return 0, fmt.Errorf("server says %s", resp.Status)
	default:
		return 0, permanentError{fmt.Errorf("server says %s", resp.Status)}
	}

	start := d.clock()
	var added int64
	buf := make([]byte, 32<<10)
	for have+added < size {
		n, rerr := resp.Body.Read(buf[:min(int64(len(buf)), size-have-added)])
		if n > 0 {
			stall.Reset(d.stall())
			if _, err := f.Write(buf[:n]); err != nil {
				return added, permanentError{err}
			}
			added += int64(n)
			d.progress(have+added, size)
			if err := d.keepRate(ctx, added, start); err != nil {
				return added, err
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return added, rerr
		}
	}
	if have+added < size {
		return added, io.ErrUnexpectedEOF
	}
	return added, f.Sync()
}

// keepRate sleeps as long as it takes for sent bytes since start to stay
// within the rate.
func (d *Downloader) keepRate(ctx context.Context, sent int64, start time.Time) error {
	if d.Rate <= 0 {
		return nil
	}
	due := time.Duration(float64(sent) / float64(d.Rate) * float64(time.Second))
	if wait := due - d.clock().Sub(start); wait > 0 {
		return d.pause(ctx, wait)
	}
	return nil
}

func checkFile(path string, m Manifest) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return err
	}
	if sum := hex.EncodeToString(h.Sum(nil)); n != m.Size || sum != m.SHA256 {
		return fmt.Errorf("%w: got %d bytes with SHA-256 %s, the release has %d bytes with %s",
			ErrTampered, n, sum, m.Size, m.SHA256)
	}
	return nil
}

func truncate(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return permanentError{err}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return permanentError{err}
	}
	return nil
}

// contentRangeStart reads the first byte position of "bytes 100-199/200".
func contentRangeStart(h string) (int64, bool) {
	rest, ok := strings.CutPrefix(h, "bytes ")
	if !ok {
		return 0, false
	}
	first, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(first, 10, 64)
	return n, err == nil
}

func (d *Downloader) client() *http.Client {
	if d.Client != nil {
		return d.Client
	}
	return http.DefaultClient
}

func (d *Downloader) attempts() int {
	if d.Attempts > 0 {
		return d.Attempts
	}
	return 6
}

func (d *Downloader) stall() time.Duration {
	if d.Stall > 0 {
		return d.Stall
	}
	return time.Minute
}

func (d *Downloader) backoff(n int) time.Duration {
	if d.Backoff != nil {
		return d.Backoff(n)
	}
	return min(2*time.Second<<(n-1), 2*time.Minute)
}

func (d *Downloader) progress(have, total int64) {
	if d.Progress != nil {
		d.Progress(have, total)
	}
}

func (d *Downloader) clock() time.Time {
	if d.now != nil {
		return d.now()
	}
	return time.Now()
}

func (d *Downloader) pause(ctx context.Context, dur time.Duration) error {
	if d.sleep != nil {
		return d.sleep(ctx, dur)
	}
	t := time.NewTimer(dur)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
