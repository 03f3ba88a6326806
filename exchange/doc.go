// Package exchange moves records in and out of the app as files: trainee
// import from .xlsx/.csv, and exports of every list to .xlsx/.csv. The desktop
// (`blk export`) and the server (`blk-server export`) share this code, each
// providing a Source, so their exports of one centre are byte-for-byte equal.
// An import writes only through store.Write and Tx.Save, so every domain and
// store rule applies and one file is one transaction; this package holds no
// SQL, no UI and no validation rule of its own (it only reads spellings).
package exchange

import (
	"context"

	"github.com/kemnaker/blk/domain"
)

// Source yields the live records of one table of one centre, in id order.
// *store.Store implements it; so does the server's storage for one centre.
type Source interface {
	EachRecord(ctx context.Context, table string, fn func(domain.Record) error) error
}
