package domain_test

import (
	"strings"
	"testing"

	"github.com/kemnaker/blk/domain"
)

func names(rs []domain.Region) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}

func TestFilterRegionsMatchesNamesTheWayOperatorsTypeThem(t *testing.T) {
	provinces := domain.RegionChildren("")
	regencies := domain.RegionChildren("32") // Jawa Barat
	tests := []struct {
		name  string
		in    []domain.Region
		query string
		first []string // the best matches, in order
		none  bool     // nothing matches
	}{
		{"empty query keeps the list", provinces, "", []string{"Aceh", "Sumatera Utara"}, false},
		{"case does not matter", provinces, "JAWA b", []string{"Jawa Barat"}, false},
		{"start of a later word, by name", provinces, "barat", []string{"Jawa Barat", "Kalimantan Barat"}, false},
		{"administrative words are ignored", regencies, "bogor", []string{"Kabupaten Bogor", "Kota Bogor"}, false},
		{"Kab. prefers the regency", regencies, "Kab. Bogor", []string{"Kabupaten Bogor", "Kota Bogor"}, false},
		{"Kota prefers the city", regencies, "kota bogor", []string{"Kota Bogor", "Kabupaten Bogor"}, false},
		{"Kabupaten spelt out", regencies, "kabupaten cianjur", []string{"Kabupaten Cianjur"}, false},
		{"kota alone lists the cities", regencies, "kota", []string{"Kota Bandung", "Kota Banjar"}, false},
		{"inside a word", regencies, "anjur", []string{"Kabupaten Cianjur"}, false},
		{"spaces ignored as a last resort", domain.RegionChildren("21"), "tanjungpinang", []string{"Kota Tanjung Pinang"}, false},
		{"the name people use", provinces, "DKI", []string{"Daerah Khusus Ibukota Jakarta"}, false},
		{"Jakarta without its title", provinces, "jakarta", []string{"Daerah Khusus Ibukota Jakarta"}, false},
		{"Jogja", provinces, "jogja", []string{"Daerah Istimewa Yogyakarta"}, false},
		{"district level", domain.RegionChildren("3201"), "cibi", []string{"Cibinong"}, false},
		{"no match", provinces, "atlantis", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := names(domain.FilterRegions(tt.in, tt.query))
			if tt.none {
				if len(got) != 0 {
					t.Fatalf("FilterRegions(%q) = %v, want nothing", tt.query, got)
				}
				return
			}
			if len(got) < len(tt.first) || strings.Join(got[:len(tt.first)], "|") != strings.Join(tt.first, "|") {
				t.Fatalf("FilterRegions(%q) = %v, want it to start with %v", tt.query, got, tt.first)
			}
		})
	}
}

func TestFilterRegionsKeepsOnlyMatches(t *testing.T) {
	got := domain.FilterRegions(domain.RegionChildren("32"), "bogor")
	if len(got) != 2 {
		t.Fatalf("bogor in Jawa Barat: %v", names(got))
	}
}

func TestSearchVillagesAcrossTheCountry(t *testing.T) {
	tests := []struct {
		name  string
		query string
		limit int
		check func(t *testing.T, got []domain.VillageMatch)
	}{
		{"a common village name lists each with its parents", "Sukamaju", 500, func(t *testing.T, got []domain.VillageMatch) {
			if len(got) < 50 {
				t.Fatalf("only %d Sukamaju", len(got))
			}
			for _, m := range got[:20] {
				if m.Name != "Sukamaju" || m.Level() != 4 {
					t.Fatalf("exact names first, got %+v", m)
				}
			}
			found := false
			for _, m := range got {
				if m.Code == "3203012003" {
					found = true
					if !strings.HasPrefix(m.Label, "Sukamaju, Kec. ") || !strings.Contains(m.Label, ", Kab. Cianjur, Jawa Barat") {
						t.Fatalf("label %q", m.Label)
					}
				}
			}
			if !found {
				t.Fatal("Sukamaju in Kabupaten Cianjur (32.03.01.2003) missing")
			}
		}},
		{"a second word narrows by a parent", "sukamaju cianjur", 0, func(t *testing.T, got []domain.VillageMatch) {
			if len(got) != 4 {
				t.Fatalf("Sukamaju in Cianjur: %d matches %v", len(got), got)
			}
			for _, m := range got {
				if !strings.HasPrefix(m.Code, "3203") {
					t.Fatalf("outside Cianjur: %+v", m)
				}
			}
		}},
		{"desa before the name is ignored", "desa pondok rajeg", 0, func(t *testing.T, got []domain.VillageMatch) {
			if len(got) == 0 || got[0].Code != "3201011001" {
				t.Fatalf("got %v", got)
			}
		}},
		{"the limit holds", "suka", 10, func(t *testing.T, got []domain.VillageMatch) {
			if len(got) != 10 {
				t.Fatalf("%d matches", len(got))
			}
			for _, m := range got {
				if !strings.HasPrefix(strings.ToLower(m.Name), "suka") {
					t.Fatalf("prefix matches first, got %q", m.Name)
				}
			}
		}},
		{"a dotted code finds villages by code", "32.01.01", 100, func(t *testing.T, got []domain.VillageMatch) {
			if len(got) == 0 {
				t.Fatal("no village in Cibinong")
			}
			for _, m := range got {
				if !strings.HasPrefix(m.Code, "320101") {
					t.Fatalf("outside Cibinong: %+v", m)
				}
			}
		}},
		{"nothing", "zzqqxx", 0, func(t *testing.T, got []domain.VillageMatch) {
			if len(got) != 0 {
				t.Fatalf("got %v", got)
			}
		}},
		{"blank", "  ", 0, func(t *testing.T, got []domain.VillageMatch) {
			if len(got) != 0 {
				t.Fatalf("got %v", got)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, domain.SearchVillages(tt.query, tt.limit))
		})
	}
}

func TestVillageLabel(t *testing.T) {
	tests := []struct{ code, want string }{
		{"3201011001", "Pondok Rajeg, Kec. Cibinong, Kab. Bogor, Jawa Barat"},
		{"32.71", "Kota Bogor, Jawa Barat"},
		{"32", "Jawa Barat"},
		{"99", ""},
	}
	for _, tt := range tests {
		if got := domain.VillageLabel(tt.code); got != tt.want {
			t.Errorf("VillageLabel(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

// BenchmarkSearchVillages is one keystroke of the village search (after the
// first, which prepares the names).
func BenchmarkSearchVillages(b *testing.B) {
	domain.SearchVillages("x", 1)
	for b.Loop() {
		domain.SearchVillages("sukamaju", 50)
	}
}

func BenchmarkFilterRegionsVillagesOfOneDistrict(b *testing.B) {
	rs := domain.RegionChildren("320101")
	for b.Loop() {
		domain.FilterRegions(rs, "pon")
	}
}
