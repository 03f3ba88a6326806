// Package widgets holds the widgets every screen shares: a typed table with
// sortable columns over an in-memory page of rows, and the Kemendagri
// region picker (forms are app/kit's).
// They hold no data of their own beyond what they display and never query
// the store.
package widgets
