package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

// TestTextThatCannotBeStoredIsRefusedOnThePC: the desktop refuses a 9 MiB
// partner name, a NUL in an address and text that is not UTF-8 with a
// message in the operator's language that names the field and says what
// to fix, and writes nothing.
func TestTextThatCannotBeStoredIsRefusedOnThePC(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	nul := validTrainee()
	nul.Address = "Jl. Melati\x00 No. 4"
	notUTF8 := validTrainee()
	notUTF8.Address = "Jl. Melati \xff No. 4"
	notUTF8.NIK = domain.MakeNIK("320101", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), true, 2)
	tests := []struct {
		name   string
		rec    domain.Record
		id, en string
	}{
		{"a 9 MiB partner name", &domain.Partner{Name: strings.Repeat("PT Maju Jaya ", 9<<20/13), Type: domain.PartnerIndustry},
			"Nama: terlalu panjang (maksimal 200 karakter)", "Name: too long (at most 200 characters)"},
		{"a NUL in an address", nul, "Alamat: berisi karakter NUL", "Address: contains a NUL character"},
		{"an address that is not UTF-8", notUTF8, "Alamat: berisi huruf yang tidak terbaca", "Address: contains unreadable characters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := outboxLen(t, s)
			_, err := s.Save(ctx, tc.rec)
			var ve *domain.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("saved: %v", err)
			}
			if id, en := ve.Localized(domain.Indonesian), ve.Localized(domain.English); !strings.HasPrefix(id, tc.id) || !strings.HasPrefix(en, tc.en) || len(id) > 300 {
				t.Fatalf("messages %.200q / %.200q", id, en)
			}
			if outboxLen(t, s) != before {
				t.Fatal("a refused record reached the outbox")
			}
		})
	}
}
