// Package arch holds no code: its tests enforce docs/ARCHITECTURE.md, that
// each package imports only the packages the architecture allows it and
// that each binary links only its own half (the desktop no PostgreSQL
// driver, server storage or dashboard; the server no desktop store, screens
// or Fyne). They read `go list`, so they see what the compiler sees.
package arch
