//go:build !windows

package main

// showDrawFailure does nothing more here: on Linux the GUI is started from a
// desktop entry or a terminal, and run() prints the same message on stderr
// while the log file keeps it.
func showDrawFailure(title, text string) {}
