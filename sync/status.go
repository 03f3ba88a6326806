package sync

import "time"

// Status is what the client reports to the app's status bar and Sinkronisasi
// screen. The zero value means "not enrolled: works offline".
type Status struct {
	Enrolled    bool      // joined a central server
	Server      string    // its URL
	Running     bool      // a round is in progress
	LastSuccess time.Time // end of the last round that finished
	LastAttempt time.Time // start of the last round
	LastError   string    // why the last round failed, one plain sentence in the user's language; "" after a success
	// LastErrorKind classifies it (Classify); LastErrorDetail is the
	// technical text behind the "Rincian" button.
	LastErrorKind   Kind
	LastErrorDetail string
	NextAttempt     time.Time     // when the background loop tries again
	Pending         int           // local changes not yet acknowledged by the server
	Rejected        int           // changes the server refused
	Conflicts       int           // unresolved conflicts
	ClockSkew       time.Duration // server time minus PC time, at the last contact
	ClockWarn       bool          // the PC clock is off by more than the warning threshold
}
