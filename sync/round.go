package sync

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/sync/wire"
)

// oneTrip is the day's round in one exchange, with a server that names
// wire.FeatureRound: the first push batch carries the pull request, and the
// reply carries the pull page read after the batch was applied, with the
// server's time and what it has applied. It reports false, having changed
// nothing, when the two-step round must run instead:
//   - nothing to push (the two-step round is then one pull anyway), conflict
//     resolutions to send, or a pull of this device's own versions (after a
//     restore) in progress;
//   - the server deferred: what it has applied is not what this PC
//     believes (a restored backup on either side, which the two-step pull
//     repairs), or a change's clock runs ahead of the server by more than
//     RebaseAfter (the two-step round re-stamps it first);
//   - the server refused the form of the request (it no longer knows the
//     feature); the feature is then forgotten.
func (c *Client) oneTrip(ctx context.Context, server, token string, res *RoundResult) (bool, error) {
	feats, err := c.st.Meta(ctx, MetaServerFeatures)
	if err != nil || !hasFeature(feats, wire.FeatureRound) {
		return false, err
	}
	if ids, err := c.st.ResolutionsToSend(ctx); err != nil || len(ids) > 0 {
		return false, err
	}
	if full, err := c.st.PullFull(ctx); err != nil || full {
		return false, err
	}
	pushed, err := c.st.PushedSeq(ctx)
	if err != nil {
		return false, err
	}
	pc, err := c.st.Meta(ctx, metaPushedClock)
	if err != nil {
		return false, err
	}
	expectClock, _ := strconv.ParseInt(pc, 10, 64)
	cur, err := c.st.PullCursor(ctx)
	if err != nil {
		return false, err
	}
	ref, err := c.st.RefCursor(ctx)
	if err != nil {
		return false, err
	}
	b := c.nextBatch(ctx, pushed, c.batch, c.bytes, gzip.BestCompression)
	if b.err != nil || len(b.changes) == 0 {
		return false, b.err
	}
	rr := wire.RoundRequest{
		PullRequest:   wire.PullRequest{Cursor: cur, RefCursor: ref, MaxBytes: c.page},
		ExpectApplied: pushed, ExpectClock: domain.Clock(expectClock), MaxAheadMS: RebaseAfter.Milliseconds(),
	}
	var page wire.PullResponse
	if hasFeature(feats, wire.FeatureDuplex) {
		ok, err := c.duplexTrip(ctx, server, token, b, rr, &page, res)
		if !ok || err != nil {
			return ok, err
		}
	} else {
		body, err := wire.EncodeGzip(wire.PushRequest{Changes: b.changes, Round: &rr})
		if err != nil {
			return false, err
		}
		var resp wire.PushResponse
		start := time.Now()
		ex, err := c.exchangeBody(ctx, server, token, wire.PathPush, body, &resp)
		if err != nil {
			return false, c.refusedFeature(ctx, err, wire.FeatureRound)
		}
		c.rtt = time.Since(start)
		c.learnClock(ctx, ex, resp.ServerTimeMS, res)
		if resp.Deferred || resp.Pull == nil {
			return false, nil
		}
		if err := c.acknowledge(ctx, b.changes, resp, res); err != nil {
			return true, fmt.Errorf("push: %w", err)
		}
		page = *resp.Pull
		if err := c.takePage(ctx, server, token, page, res); err != nil {
			return true, err
		}
	}
	// The rest of a large outbox goes as before, its clocks checked
	// against the server time this reply brought; then the pull again
	// when more pages wait or more batches went.
	if res.Rebased, err = c.st.RebaseFutureClocks(ctx, res.ServerTime, RebaseAfter); err != nil {
		return true, err
	}
	if err := c.push(ctx, server, token, res); err != nil {
		return true, err
	}
	if page.More || res.requests > 1 {
		return true, c.pull(ctx, server, token, res)
	}
	return true, nil
}

// duplexTrip is the exchange of oneTrip with a server naming
// wire.FeatureDuplex: the round's pull request travels in a header, the
// server answers with the page at once and reads the batch while the page
// comes down, and the reply ends with what it did with the batch. The page
// is applied as the two-step round's first pull would be, before the batch
// is acknowledged; when the server's record of what it applied is not what
// this PC expects, the page is left for the two-step round to repair, and
// the server defers the batch. It reports false when the two-step round
// must run.
func (c *Client) duplexTrip(ctx context.Context, server, token string, b pushBatch, rr wire.RoundRequest, page *wire.PullResponse, res *RoundResult) (bool, error) {
	hdr, err := json.Marshal(rr)
	if err != nil {
		return false, err
	}
	start := time.Now()
	var tail wire.DuplexTail
	_, err = c.exchangeDuplex(ctx, server, token, b.body, string(hdr), page, &tail, func(ex exchange) error {
		c.rtt = time.Since(start)
		c.learnClock(ctx, ex, page.ServerTimeMS, res)
		if page.AppliedSeq != rr.ExpectApplied || page.AppliedClock != rr.ExpectClock {
			return nil // deferred: the two-step round's pull repairs first
		}
		return c.takePage(ctx, server, token, *page, res)
	})
	if errors.Is(err, errNoDuplex) {
		// Answered the plain way: the batch may have been applied, which
		// the two-step round's pull finds (store.ReconcileOutbox).
		return false, nil
	}
	if err != nil {
		return false, c.refusedFeature(ctx, err, wire.FeatureDuplex)
	}
	if tail.Error != nil {
		return false, fmt.Errorf("push: %w", &ServerError{Status: tail.Status, Code: tail.Error.Code, Message: tail.Error.Message, MessageEN: tail.Error.MessageEN})
	}
	if tail.Push == nil {
		return false, fmt.Errorf("push: %w", &replyError{wire.PathPush, errors.New("the reply ended without the push's answer")})
	}
	if tail.Push.Deferred {
		return false, nil
	}
	if err := c.acknowledge(ctx, b.changes, *tail.Push, res); err != nil {
		return true, fmt.Errorf("push: %w", err)
	}
	return true, nil
}

// refusedFeature is what a round's failed exchange returns: nil, the
// features forgotten, when the server refused its form (400) and no longer
// names feature (a server put back to an older version: the two-step round
// runs, and the features are learnt again from its replies); else err.
func (c *Client) refusedFeature(ctx context.Context, err error, feature string) error {
	var se *ServerError
	if errors.As(err, &se) && se.Status == http.StatusBadRequest && !c.featureNamed(feature) {
		_ = c.st.SetMeta(ctx, MetaServerFeatures, "")
		return nil
	}
	return fmt.Errorf("push: %w", err)
}

// metaPushedClock is the store's record of the clock of the entry at the
// acknowledged seq (store/ack.go).
const metaPushedClock = "pushed_clock"

// takePage passes on a round's release announcement and applies its page.
func (c *Client) takePage(ctx context.Context, server, token string, page wire.PullResponse, res *RoundResult) error {
	if page.Release != nil && c.updater != nil && !res.announced {
		res.announced = true
		c.announce(server, token, *page.Release)
	}
	return c.applyPage(ctx, page, res)
}

// applyPage applies one pulled page and what travels with it.
func (c *Client) applyPage(ctx context.Context, resp wire.PullResponse, res *RoundResult) error {
	if err := c.st.ApplyPull(ctx, resp.PullPage); err != nil {
		return fmt.Errorf("pull: apply: %w", err)
	}
	if err := c.learnIssuer(ctx, resp.CentreCode, resp.DeviceNo); err != nil {
		return fmt.Errorf("pull: %w", err)
	}
	res.Pulled += len(resp.Changes) + len(resp.RefChanges)
	res.Conflicts += len(resp.Conflicts)
	return nil
}

// hasFeature reports whether a wire.HeaderFeatures value names f.
func hasFeature(list, f string) bool {
	for _, x := range strings.Split(list, ",") {
		if strings.TrimSpace(x) == f {
			return true
		}
	}
	return false
}

// featureNamed reports whether the last reply named feature f.
func (c *Client) featureNamed(f string) bool {
	c.featMu.Lock()
	defer c.featMu.Unlock()
	return c.features != nil && hasFeature(*c.features, f)
}

// keepFeatures records the features the round's replies named, so the
// next round (also after a restart) knows what the server takes.
func (c *Client) keepFeatures(ctx context.Context) {
	c.featMu.Lock()
	f := c.features
	c.features = nil
	c.featMu.Unlock()
	if f == nil {
		return
	}
	if cur, err := c.st.Meta(ctx, MetaServerFeatures); err == nil && cur != *f {
		_ = c.st.SetMeta(ctx, MetaServerFeatures, *f)
	}
}
