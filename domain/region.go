package domain

import (
	"bufio"
	"bytes"
	"sort"
	"strings"
	"sync"

	"github.com/kemnaker/blk/assets"
)

// Region is one Kemendagri region: province (2 digits), regency/city (4),
// district (6) or village (10).
type Region struct {
	Code       string // plain digits
	Name       string
	Historical bool   // dropped from the 2025 list (still valid inside an old NIK)
	LastSeen   string // year last listed, for historical codes
}

// Level is 1 province, 2 regency, 3 district, 4 village.
func (r Region) Level() int { return levelOf(r.Code) }

func levelOf(code string) int {
	switch len(code) {
	case 2:
		return 1
	case 4:
		return 2
	case 6:
		return 3
	case 10:
		return 4
	}
	return 0
}

type regionIndex struct {
	byCode   map[string]Region
	children map[string][]string
}

var (
	regionsOnce sync.Once
	regions     *regionIndex
)

func loadRegions() *regionIndex {
	regionsOnce.Do(func() {
		ix := &regionIndex{byCode: make(map[string]Region, 92000), children: map[string][]string{}}
		read := func(data []byte, historical bool) {
			sc := bufio.NewScanner(bytes.NewReader(data))
			sc.Scan() // header
			for sc.Scan() {
				line := sc.Text()
				code, rest, ok := strings.Cut(line, ",")
				if !ok {
					continue
				}
				code = strings.ReplaceAll(code, ".", "")
				if _, seen := ix.byCode[code]; seen {
					continue
				}
				r := Region{Code: code, Historical: historical}
				if historical {
					if i := strings.LastIndex(rest, ","); i >= 0 {
						r.LastSeen = rest[i+1:]
						rest = rest[:i]
					}
				}
				r.Name = strings.Trim(rest, `"`)
				ix.byCode[code] = r
				if p := parentCode(code); p != "" {
					ix.children[p] = append(ix.children[p], code)
				}
			}
		}
		read(assets.Wilayah2025, false)
		read(assets.WilayahHistoris, true)
		for _, c := range ix.children {
			sort.Strings(c)
		}
		regions = ix
	})
	return regions
}

func parentCode(code string) string {
	switch len(code) {
	case 4:
		return code[:2]
	case 6:
		return code[:4]
	case 10:
		return code[:6]
	}
	return ""
}

// NormalizeRegionCode strips dots and spaces: "11.01.01" → "110101".
func NormalizeRegionCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// LookupRegion finds a region by code, dotted or plain.
func LookupRegion(code string) (Region, bool) {
	r, ok := loadRegions().byCode[NormalizeRegionCode(code)]
	return r, ok
}

// RegionChildren lists the current (2025) regions directly below code;
// "" lists the provinces.
func RegionChildren(code string) []Region {
	ix := loadRegions()
	code = NormalizeRegionCode(code)
	var codes []string
	if code == "" {
		for c := range ix.byCode {
			if len(c) == 2 {
				codes = append(codes, c)
			}
		}
		sort.Strings(codes)
	} else {
		codes = ix.children[code]
	}
	out := make([]Region, 0, len(codes))
	for _, c := range codes {
		if r := ix.byCode[c]; !r.Historical {
			out = append(out, r)
		}
	}
	return out
}

// RegionPath names a code with its parents, most specific first:
// "Keude Bakongan, Bakongan, Kabupaten Aceh Selatan, Aceh".
func RegionPath(code string) string {
	code = NormalizeRegionCode(code)
	var parts []string
	for c := code; c != ""; c = parentCode(c) {
		if r, ok := LookupRegion(c); ok {
			parts = append(parts, r.Name)
		}
	}
	return strings.Join(parts, ", ")
}

// ProvinceOf returns the province code (first two digits) of any region code.
func ProvinceOf(code string) string {
	code = NormalizeRegionCode(code)
	if len(code) < 2 {
		return ""
	}
	return code[:2]
}
