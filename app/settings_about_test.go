package app

import (
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/i18n"
	"github.com/kemnaker/blk/domain"
)

func TestSettingsAboutShowsTheVersion(t *testing.T) {
	i18n.SetLang(domain.Indonesian)
	defer i18n.SetLang(domain.Indonesian)
	if aboutItem("") != nil {
		t.Error("an app without a version shows an empty Tentang row")
	}
	for _, c := range []struct {
		lang        domain.Lang
		label, text string
	}{
		{domain.Indonesian, "Tentang", "BLK Komunitas versi 1.2.3"},
		{domain.English, "About", "BLK Komunitas version 1.2.3"},
	} {
		i18n.SetLang(c.lang)
		item := aboutItem("1.2.3")
		if item == nil || item.Text != c.label || item.Widget.(*widget.Label).Text != c.text {
			t.Errorf("%s: about row = %+v, want %q: %q", c.lang, item, c.label, c.text)
		}
	}
}
