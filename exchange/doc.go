// Package exchange moves records out of the app as files, and reads
// spreadsheets in for the imports: exports of every list to .xlsx/.csv,
// and ReadSheets, the .xlsx/.csv reader the imports share. The desktop
// (`blk export`) and the server (`blk-server export`) share the export,
// each providing a Source, so their exports of one centre are byte-for-byte
// equal. It needs no database of its own: the trainee import, which writes
// through the desktop store, is package exchange/traineeimport, so the
// server never links the store. This package holds no SQL, no UI and no
// validation rule.
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
