package dashboard_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/dashboard"
	"github.com/kemnaker/blk/domain"
)

// TestKemandirianPages: the national page counts centres by level,
// nationally and by province, lists the centres one criterion short, each
// centre's page explains its criteria, and the national table downloads.
func TestKemandirianPages(t *testing.T) {
	for _, kind := range backends() {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind, dashboard.Options{CacheTTL: -1})
			c := f.client(t)
			f.login(t, c)
			// Centre A records its permit, accreditation and partners: with
			// its traced graduates that is three criteria met, berkembang.
			a1 := enrolDevice(t, f.st, f.n.a, "a3")
			today := time.Now().UTC().Format(time.DateOnly)
			id := func() domain.Meta { return domain.Meta{ID: domain.NewID()} }
			push(t, f.st, a1,
				&domain.LegalDocument{Meta: id(), Kind: domain.DocVIN, Number: "VIN-1"},
				&domain.LegalDocument{Meta: id(), Kind: domain.DocAccreditation, Number: "LA-1", Grade: "A"},
				&domain.Partner{Meta: id(), Name: "Disnaker", Type: "government", Category: "local_government", MoUNumber: "1", MoUStart: "2024-01-01"},
				&domain.Partner{Meta: id(), Name: "PT Las", Type: "industry", Category: "industry", MoUNumber: "2", MoUStart: today},
			)
			// Centre B adds two partners to its traced graduate: two met,
			// one short of berkembang.
			push(t, f.st, enrolDevice(t, f.st, f.n.b, "b2"),
				&domain.Partner{Meta: id(), Name: "Kemnaker", Type: "government", Category: "central_government", MoUNumber: "3", MoUStart: "2024-01-01"},
				&domain.Partner{Meta: id(), Name: "PT Jahit", Type: "industry", Category: "industry", MoUNumber: "4", MoUStart: "2024-01-01"},
			)
			_, html, _ := get(t, c, f.srv.URL+"/dashboard/kemandirian")
			if !strings.Contains(cell(t, row(t, html, "data-level", "tumbuh"), "num"), "1") ||
				!strings.Contains(cell(t, row(t, html, "data-level", "berkembang"), "num"), "1") ||
				!strings.Contains(cell(t, row(t, html, "data-level", "mandiri"), "num"), "0") {
				t.Fatalf("distribution:\n%s", html)
			}
			if !strings.Contains(html, "Jawa Barat") || !strings.Contains(html, "Jawa Timur") {
				t.Fatalf("no provinces:\n%s", html)
			}
			short := html[strings.Index(html, `id="short"`):]
			if strings.Contains(short, "BLK Pesantren Al-Falah") || !strings.Contains(short, "BLK Nurul Huda") {
				t.Fatalf("one criterion short (A lacks 2 for mandiri, B 1 for berkembang):\n%s", short)
			}
			_, html, _ = get(t, c, f.srv.URL+"/dashboard/centre/"+f.n.a)
			legal := row(t, html, "data-criterion", "legal")
			if !strings.Contains(legal, "LA-1") || !strings.Contains(legal, "badge active") {
				t.Fatalf("legal criterion: %s", legal)
			}
			if dana := row(t, html, "data-criterion", "dana"); !strings.Contains(dana, "Catat pendapatan unit usaha") {
				t.Fatalf("dana criterion: %s", dana)
			}
			code, csv, h := get(t, c, f.srv.URL+"/dashboard/kemandirian.csv")
			if code != 200 || !strings.Contains(h.Get("Content-Disposition"), "kemandirian.csv") ||
				!strings.Contains(csv, "BLK Pesantren Al-Falah,Jawa Barat,3201,Berkembang,3,0/2,2/2,0/20,100/60,2/2,") {
				t.Fatalf("csv %d:\n%s", code, csv)
			}
			if code, xlsx, _ := get(t, c, f.srv.URL+"/dashboard/kemandirian.xlsx"); code != 200 || !strings.HasPrefix(xlsx, "PK") {
				t.Fatalf("xlsx %d", code)
			}
		})
	}
}
