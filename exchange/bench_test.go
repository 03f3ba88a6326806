package exchange_test

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
	"github.com/kemnaker/blk/store"
)

// BenchmarkExport100kTraineesXLSX exports 100,000 trainees to xlsx.
func BenchmarkExport100kTraineesXLSX(b *testing.B) {
	ctx := context.Background()
	s := newStore(b)
	const n = 100_000
	err := s.Write(ctx, func(tx *store.Tx) error {
		for i := 0; i < n; i++ {
			birth := date(1970, 1, 1).AddDate(0, 0, i%10000)
			t := &domain.Trainee{NIK: nik(birth, i%2 == 1, 1+i/10000), Name: "Peserta " + letters(i),
				Sex: map[bool]string{true: "P", false: "L"}[i%2 == 1], BirthPlace: "Bogor", BirthDate: birth.Format("2006-01-02"),
				Education: "sma", Address: "Jl. Raya Cibinong No. 5", VillageCode: "3201011001", PostalCode: "16911", Phone: "0812-3456-7890"}
			if _, err := tx.Save(t); err != nil {
				return fmt.Errorf("trainee %d: %w", i, err)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		var w countingWriter
		if err := exchange.Export(ctx, s, "trainees", exchange.FormatXLSX, &w); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(w), "bytes")
	}
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)

// letters spells i in the letters a–z, as names may hold no digits.
func letters(i int) string {
	out := []byte{}
	for {
		out = append([]byte{byte('a' + i%26)}, out...)
		i /= 26
		if i == 0 {
			return string(out)
		}
	}
}
