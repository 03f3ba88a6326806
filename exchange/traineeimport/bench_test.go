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

// BenchmarkReimport10kRowsXLSX imports the same 10,000 rows a second time:
// every row finds its NIK registered, so each is compared with the stored
// person (name, sex, birth date) before it is found unchanged.
func BenchmarkReimport10kRowsXLSX(b *testing.B) {
	path := writeXLSX(b, manyRows(10_000))
	for range b.N {
		b.StopTimer()
		s := newStore(b)
		if _, err := traineeimport.Import(context.Background(), s, path, traineeimport.Options{}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := traineeimport.Import(context.Background(), s, path, traineeimport.Options{})
		if err != nil || rep.Unchanged != 10_000 {
			b.Fatalf("%v: %d unchanged, %d held, %d refused", err, rep.Unchanged, rep.Held, rep.Refused)
		}
	}
}
