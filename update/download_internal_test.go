package update

import (
	"context"
	"time"
)

// fakeClock makes d's rate limit and back-off run on a counter instead of
// the wall clock, and returns a function that reads how long d "slept".
func fakeClock(d *Downloader) func() time.Duration {
	var now time.Time
	var slept time.Duration
	d.now = func() time.Time { return now }
	d.sleep = func(ctx context.Context, dur time.Duration) error {
		now = now.Add(dur)
		slept += dur
		return ctx.Err()
	}
	return func() time.Duration { return slept }
}
