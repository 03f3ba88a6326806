package i18n_test

import (
	"testing"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
)

// TestTheFrontFollowsTheChosenLanguage: screens pass no language; T, N
// and Count read the one SetLang chose, Indonesian for anything unknown.
func TestTheFrontFollowsTheChosenLanguage(t *testing.T) {
	defer i18n.SetLang(domain.Indonesian)
	i18n.SetLang(domain.English)
	if got := i18n.T("common.save"); got != "Save" {
		t.Errorf("T in English = %q", got)
	}
	if got := i18n.Count("count.trainees", 1); got != "1 trainee" {
		t.Errorf("Count(1) in English = %q", got)
	}
	if got := i18n.N(20000); got != "20,000" {
		t.Errorf("N in English = %q", got)
	}
	i18n.SetLang("fr")
	if i18n.Lang() != domain.Indonesian || i18n.T("common.save") != "Simpan" || i18n.Count("count.trainees", 20000) != "20.000 peserta" {
		t.Errorf("an unknown language: %s, %q, %q", i18n.Lang(), i18n.T("common.save"), i18n.Count("count.trainees", 20000))
	}
}
