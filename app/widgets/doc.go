// Package widgets holds the widgets every screen shares: a typed table with
// sortable columns over an in-memory page of rows, form rows that show each
// field's validation message beside it, and the Kemendagri region picker.
// They hold no data of their own beyond what they display and never query
// the store.
package widgets
