package domain

import (
	"time"

	"github.com/google/uuid"
)

// A Clock value is a hybrid logical clock packed into an int64: wall time in
// milliseconds in the high bits, a 16-bit counter in the low bits. Packed
// values compare with < like the (wall, counter) pairs they hold.
type Clock int64

const counterBits = 16

// MakeClock packs wall milliseconds and a counter.
func MakeClock(wallMS int64, counter int64) Clock { return Clock(wallMS<<counterBits | counter) }

// WallMS is the wall-time part, in Unix milliseconds.
func (c Clock) WallMS() int64 { return int64(c) >> counterBits }

// Time is the wall-time part as a time.
func (c Clock) Time() time.Time { return time.UnixMilli(c.WallMS()).UTC() }

// Next returns the clock for a new local event: later than last and, when the
// wall clock allows, equal to (now, 0).
func Next(last Clock, now time.Time) Clock {
	c := MakeClock(now.UnixMilli(), 0)
	if c <= last {
		return last + 1
	}
	return c
}

// Observe moves last forward past a received clock.
func Observe(last, received Clock) Clock {
	if received > last {
		return received
	}
	return last
}

// Version identifies one written value of one field: the clock of the write
// and the device that made it. (Clock, Device) is a total order.
type Version struct {
	Clock  Clock  `json:"c"`
	Device string `json:"d"`
}

// IsZero reports a field never written.
func (v Version) IsZero() bool { return v.Clock == 0 && v.Device == "" }

// Newer is the merge rule, the same on every device and on the server: the
// higher clock wins, and the device id breaks a tie.
func (v Version) Newer(than Version) bool {
	if v.Clock != than.Clock {
		return v.Clock > than.Clock
	}
	return v.Device > than.Device
}

// natural is the UUIDv5 namespace for ids derived from natural keys.
var natural = uuid.MustParse("6f1c2d0e-4b7a-5c3e-9a21-0d5b8e7f4c11")

// NaturalID derives a stable id from a natural key, so two PCs recording the
// same fact (one trainee's attendance on one day, one unit's result) write the
// same row.
func NaturalID(kind string, parts ...string) string {
	key := kind
	for _, p := range parts {
		key += "\x1f" + p
	}
	return uuid.NewSHA1(natural, []byte(key)).String()
}

// NewID makes a fresh time-ordered record id (UUIDv7).
func NewID() string { return uuid.Must(uuid.NewV7()).String() }
