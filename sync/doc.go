// Package sync is the desktop's half of sync: the client that pushes the
// outbox and pulls the centre's changes, once (Round) or in the background
// (Run), and the Status it reports to the app. It talks to the local
// database through the Local interface (outbox, inbox, settings), which
// *store.Store implements, and to blk-server in the messages of package
// wire. It links neither the store nor the server: the handler is package
// sync/server. The merge rule itself is domain.Version.Newer, so the device
// and the server cannot disagree on a winner.
//
// When the server announces a newer release of the app in a pull reply,
// the client hands it, with the URL and headers that download it, to the
// Updater given by WithUpdater (package update decides and downloads).
//
// It does not draw anything: the app asks the client for its Status.
package sync
