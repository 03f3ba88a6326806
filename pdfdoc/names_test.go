package pdfdoc

import (
	"strings"
	"testing"
	"time"
)

// TestNamesNeverCutAName: the partner column lists whole names and says
// how many more there are when they do not all fit.
func TestNamesNeverCutAName(t *testing.T) {
	d := newDoc("P", time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), "t")
	d.font("", 8)
	partners := []string{"CV Maju Jaya Las (MoU aktif)", "PT Astra Honda Motor", "PT Sinar Garmindo (MoU aktif)", "PT Busana Jaya Abadi Sentosa"}
	got := d.names(partners, 111)
	if got != "CV Maju Jaya Las (MoU aktif), PT Astra Honda Motor, dan 2 lainnya" && got != "CV Maju Jaya Las (MoU aktif), PT Astra Honda Motor, PT Sinar Garmindo (MoU aktif), dan 1 lainnya" {
		t.Fatalf("got %q", got)
	}
	if w := d.GetStringWidth(got); w > 111-1.5 {
		t.Fatalf("%q is %.1f mm wide", got, w)
	}
	if got := d.names(partners[:2], 111); got != "CV Maju Jaya Las (MoU aktif), PT Astra Honda Motor" {
		t.Fatalf("two that fit: %q", got)
	}
	long := strings.Repeat("Koperasi ", 30)
	if got := d.names([]string{long}, 111); strings.Contains(got, "lainnya") || !strings.HasSuffix(got, "…") {
		t.Fatalf("one long name: %q", got)
	}
}
