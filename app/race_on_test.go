//go:build race

package app

// underRace: the race detector slows the pure-Go SQLite several times over.
const underRace = true
