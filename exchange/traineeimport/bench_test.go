package traineeimport_test

import (
	"context"
	"testing"

	"github.com/kemnaker/blk/exchange/traineeimport"
)

// BenchmarkImport10kRowsXLSX imports a 10,000-row spreadsheet into an empty
// centre (one transaction, every row validated and saved with its outbox).
func BenchmarkImport10kRowsXLSX(b *testing.B) {
	path := writeXLSX(b, manyRows(10_000))
	for range b.N {
		b.StopTimer()
		s := newStore(b)
		b.StartTimer()
		rep, err := traineeimport.Import(context.Background(), s, path, traineeimport.Options{})
		if err != nil || rep.Imported != 10_000 {
			b.Fatalf("%v: %d imported, %d refused", err, rep.Imported, rep.Refused)
		}
	}
}
