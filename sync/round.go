package sync

import (
	"context"
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
	b := c.nextBatch(ctx, pushed, c.batch, c.bytes)
	if b.err != nil || len(b.changes) == 0 {
		return false, b.err
	}
	body, err := wire.EncodeGzip(wire.PushRequest{Changes: b.changes, Round: &wire.RoundRequest{
		PullRequest:   wire.PullRequest{Cursor: cur, RefCursor: ref, MaxBytes: c.page},
		ExpectApplied: pushed, ExpectClock: domain.Clock(expectClock), MaxAheadMS: RebaseAfter.Milliseconds(),
	}})
	if err != nil {
		return false, err
	}
	var resp wire.PushResponse
	start := time.Now()
	ex, err := c.exchangeBody(ctx, server, token, wire.PathPush, body, &resp)
	if err != nil {
		var se *ServerError
		if errors.As(err, &se) && se.Status == http.StatusBadRequest && !c.featureNamed(wire.FeatureRound) {
			_ = c.st.SetMeta(ctx, MetaServerFeatures, "")
			return false, nil
		}
		return false, fmt.Errorf("push: %w", err)
	}
	c.rtt = time.Since(start)
	c.learnClock(ctx, ex, resp.ServerTimeMS, res)
	if resp.Deferred || resp.Pull == nil {
		return false, nil
	}
	if err := c.acknowledge(ctx, b.changes, resp, res); err != nil {
		return true, fmt.Errorf("push: %w", err)
	}
	page := *resp.Pull
	if page.Release != nil && c.updater != nil && !res.announced {
		res.announced = true
		c.announce(server, token, *page.Release)
	}
	if err := c.applyPage(ctx, page, res); err != nil {
		return true, err
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

// metaPushedClock is the store's record of the clock of the entry at the
// acknowledged seq (store/ack.go).
const metaPushedClock = "pushed_clock"

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
