package dashboard

import (
	gosync "sync"
	"time"
)

// cache keeps national figures for a short while. Each one reads every
// trainee of the country, and a dashboard is refreshed by several people at
// once; a figure a minute old is as good to the ministry. One computation
// per key at a time: the others wait for it rather than repeat it.
type cache struct {
	ttl time.Duration
	now func() time.Time

	mu      gosync.Mutex
	entries map[string]*cacheEntry
}

type cacheEntry struct {
	mu  gosync.Mutex
	val any
	at  time.Time
}

// cached returns the value of key, computing it with fn when it is missing
// or older than the TTL, and the time it was computed. Errors are not kept.
func cached[T any](c *cache, key string, fn func() (T, error)) (T, time.Time, error) {
	now := c.now()
	if c.ttl <= 0 {
		v, err := fn()
		return v, now, err
	}
	c.mu.Lock()
	e := c.entries[key]
	if e == nil {
		e = &cacheEntry{}
		c.entries[key] = e
	}
	c.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.val != nil && now.Sub(e.at) < c.ttl && !now.Before(e.at) {
		return e.val.(T), e.at, nil
	}
	v, err := fn()
	if err != nil {
		var zero T
		return zero, now, err
	}
	e.val, e.at = v, now
	return v, now, nil
}
