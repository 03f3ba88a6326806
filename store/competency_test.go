package store_test

import (
	"context"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// A BNSP certificate recorded twice under the same number (by hand, then
// from the LSP's list) is one record, shown in the trainee's detail; an
// expiry before the issue date is refused and nothing is saved.
func TestCompetencyCertificateIsOneRecordPerNumberAndShowsInDetail(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	tr := validTrainee()
	if _, err := s.Save(ctx, tr); err != nil {
		t.Fatal(err)
	}
	c := &domain.CompetencyCertificate{TraineeID: tr.ID, Number: " LAS.001.2026 ", Scheme: "Juru Las 3G", IssuedOn: "2026-11-12"}
	if _, err := s.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	again := &domain.CompetencyCertificate{TraineeID: tr.ID, Number: "LAS.001.2026", Scheme: "Juru Las 3G SMAW", LSP: "LSP Las", IssuedOn: "2026-11-12", ExpiresOn: "2029-11-12"}
	if _, err := s.Save(ctx, again); err != nil {
		t.Fatal(err)
	}
	if again.ID != c.ID {
		t.Fatalf("same trainee and number made two records: %s, %s", c.ID, again.ID)
	}
	bad := &domain.CompetencyCertificate{TraineeID: tr.ID, Number: "LAS.002.2026", Scheme: "Juru Las 3G", IssuedOn: "2026-11-12", ExpiresOn: "2026-01-01"}
	_, err := s.Save(ctx, bad)
	var ve *domain.ValidationError
	if !asValidation(err, &ve) || len(ve.Problems.For("expires_on")) == 0 {
		t.Fatalf("expiry before issue: %v", err)
	}
	d, err := s.TraineeDetail(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Competency) != 1 || d.Competency[0].Scheme != "Juru Las 3G SMAW" || d.Competency[0].ExpiresOn != "2029-11-12" {
		t.Fatalf("detail competency %+v", d.Competency)
	}
}

// Merging two records of one person moves the loser's BNSP certificates.
func TestMergeMovesCompetencyCertificates(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	keep := validTrainee()
	if _, err := s.Save(ctx, keep); err != nil {
		t.Fatal(err)
	}
	lose := validTrainee()
	arrive(t, s, lose)
	arrive(t, s, &domain.CompetencyCertificate{TraineeID: lose.ID, Number: "LAS.001.2026", Scheme: "Juru Las 3G", IssuedOn: "2026-11-12"})
	if err := s.MergeTrainees(ctx, keep.ID, lose.ID); err != nil {
		t.Fatal(err)
	}
	got, err := store.ListOf[*domain.CompetencyCertificate](ctx, s, store.Query{})
	if err != nil || len(got) != 1 || got[0].TraineeID != keep.ID || got[0].Number != "LAS.001.2026" {
		t.Fatalf("after merge: %+v %v", got, err)
	}
}

func asValidation(err error, ve **domain.ValidationError) bool {
	v, ok := err.(*domain.ValidationError)
	*ve = v
	return ok
}
