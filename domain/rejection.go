package domain

import "time"

// Rejection is a change the server refused, as a PC keeps it for its
// operator: which write (the outbox seq), which record and field, and why,
// in the operator's language. The server sends the reason in both
// languages (package wire); the PC keeps the one its operator reads.
type Rejection struct {
	Seq    int64
	Table  string
	RowID  string
	Field  string
	Reason string
	At     time.Time
}
