// Package sync is the wire protocol between the desktop and blk-server, the
// client loop that pushes the outbox and pulls the centre's changes, and the
// server's HTTP handler. The merge rule itself is domain.Version.Newer, so the
// device and the server cannot disagree on a winner.
//
// It does not draw anything: the app asks the client for its Status.
package sync
