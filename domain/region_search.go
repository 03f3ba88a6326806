package domain

// Searching the embedded region codes by name, for pickers where an operator
// types a few letters of a province, regency, district or village instead
// of scrolling a list of hundreds.

import (
	"sort"
	"strings"
	"sync"
	"unicode"
)

// regionPrefixes are administrative words that start names (and queries)
// but say nothing about which place is meant: "Kabupaten Bogor" and
// "Kota Bogor" are both found by "bogor". Longest first.
var regionPrefixes = []string{
	"daerah khusus ibukota ", "daerah istimewa ", "kota administrasi ", "kabupaten administrasi ",
	"kabupaten ", "kecamatan ", "kelurahan ", "provinsi ", "kota adm ", "kab adm ",
	"kota ", "desa ", "prov ", "kab ", "kec ", "kel ",
}

// regionAbbreviations spell out what operators abbreviate, so "kab bogor"
// prefers "Kabupaten Bogor" to "Kota Bogor".
var regionAbbreviations = []struct{ short, long string }{
	{"kab adm ", "kabupaten administrasi "}, {"kota adm ", "kota administrasi "},
	{"kab ", "kabupaten "}, {"kec ", "kecamatan "}, {"kel ", "kelurahan "}, {"prov ", "provinsi "},
	{"dki ", "daerah khusus ibukota "}, {"diy ", "daerah istimewa yogyakarta "},
}

// regionAliases are names people use that the official list does not.
var regionAliases = map[string]string{
	"31":   "dki jakarta",
	"34":   "diy jogja jogjakarta yogya",
	"3471": "jogja jogjakarta yogya",
}

// normalizeRegionName lowercases s, turns punctuation into spaces and
// collapses runs of spaces: "KAB. MERAUKE" → "kab merauke".
func normalizeRegionName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // drops leading spaces
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

// stripRegionPrefix drops one leading administrative word from a
// normalised name; a name that is only that word stays as it is.
func stripRegionPrefix(s string) string {
	for _, p := range regionPrefixes {
		if rest, ok := strings.CutPrefix(s, p); ok && rest != "" {
			return rest
		}
	}
	return s
}

// regionKey is what a name is matched on.
type regionKey struct {
	full     string // normalised name: "kabupaten bogor"
	bare     string // without the administrative word: "bogor"
	squashed string // bare without spaces: "tanjungpinang"
}

func keyOf(name string) regionKey {
	full := normalizeRegionName(name)
	bare := stripRegionPrefix(full)
	return regionKey{full: full, bare: bare, squashed: strings.ReplaceAll(bare, " ", "")}
}

// regionQuery is a query prepared once for matching many names.
type regionQuery struct {
	full, bare, squashed string
	typedPrefix          bool // the query started with "kota", "kab." …
}

func prepareQuery(q string) regionQuery {
	full := normalizeRegionName(q)
	for _, a := range regionAbbreviations {
		if rest, ok := strings.CutPrefix(full, a.short); ok {
			full = a.long + rest
			break
		}
	}
	k := keyOf(full)
	return regionQuery{full: k.full, bare: k.bare, squashed: k.squashed, typedPrefix: k.full != k.bare}
}

// rank says how well key matches q: 0 the name starts with it, 1 it does
// once the administrative word is ignored (only when the query named one),
// 2 a word starts with it, 3 it is inside a word, 4 it matches once spaces
// are ignored, -1 no match.
func (q regionQuery) rank(k regionKey) int {
	switch {
	case q.bare == "":
		return 0
	case strings.HasPrefix(k.full, q.full):
		return 0
	case strings.HasPrefix(k.bare, q.bare):
		if q.typedPrefix {
			return 1
		}
		return 0
	case strings.Contains(k.bare, " "+q.bare) || strings.Contains(k.full, " "+q.full):
		return 2
	case strings.Contains(k.bare, q.bare) || strings.Contains(k.full, q.full):
		return 3
	case q.squashed != "" && strings.Contains(k.squashed, q.squashed):
		return 4
	}
	return -1
}

// FilterRegions keeps the regions of rs whose names match query, best match
// first and by name within equally good matches; case, punctuation and
// words like "Kabupaten", "Kota" or "Kab." are ignored, so "bogor" finds
// both "Kabupaten Bogor" and "Kota Bogor". An empty query keeps rs as it is.
func FilterRegions(rs []Region, query string) []Region {
	q := prepareQuery(query)
	if q.full == "" {
		return rs
	}
	type hit struct {
		r    Region
		rank int
		key  string
	}
	var hits []hit
	for _, r := range rs {
		k := keyOf(r.Name)
		best := q.rank(k)
		if alias, ok := regionAliases[r.Code]; ok {
			if a := q.rank(keyOf(alias)); a >= 0 && (best < 0 || a < best) {
				best = a
			}
		}
		if best >= 0 {
			hits = append(hits, hit{r, best, k.bare})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].rank != hits[j].rank {
			return hits[i].rank < hits[j].rank
		}
		return hits[i].key < hits[j].key
	})
	out := make([]Region, len(hits))
	for i, h := range hits {
		out[i] = h.r
	}
	return out
}

// VillageMatch is a village found by SearchVillages.
type VillageMatch struct {
	Region
	// Label names the village with its parents, for a list where many
	// villages share a name: "Sukamaju, Kec. Cibeber, Kab. Cianjur, Jawa Barat".
	Label string
}

// villageEntry is one current village prepared for searching.
type villageEntry struct {
	code string
	key  regionKey
	path string // normalised names of the village and every parent, with aliases
}

var (
	villagesOnce sync.Once
	villages     []villageEntry
)

// loadVillages prepares the ~84k current villages once, on the first
// search: names normalised, parents' names joined, so a search is one pass
// of substring tests.
func loadVillages() []villageEntry {
	villagesOnce.Do(func() {
		ix := loadRegions()
		parents := map[string]string{} // code → normalised names of it and its parents
		var pathOf func(code string) string
		pathOf = func(code string) string {
			if code == "" {
				return ""
			}
			if p, ok := parents[code]; ok {
				return p
			}
			p := normalizeRegionName(ix.byCode[code].Name)
			if a, ok := regionAliases[code]; ok {
				p += " " + a
			}
			if up := pathOf(parentCode(code)); up != "" {
				p += " / " + up
			}
			parents[code] = p
			return p
		}
		out := make([]villageEntry, 0, 84000)
		for code, r := range ix.byCode {
			if len(code) != 10 || r.Historical {
				continue
			}
			out = append(out, villageEntry{code: code, key: keyOf(r.Name), path: normalizeRegionName(r.Name) + " / " + pathOf(parentCode(code))})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].code < out[j].code })
		villages = out
	})
	return villages
}

// SearchVillages finds current villages (desa/kelurahan) across the whole
// country by name, for an operator who knows the village but not its
// district: "sukamaju" lists every Sukamaju with its district, regency and
// province. Further words narrow by a parent's name ("sukamaju cianjur"),
// and digits find a code by its start ("32.01.01"). Best matches come first
// (the village name starts with the first word, then a word of it does,
// then it contains it), at most limit of them.
func SearchVillages(query string, limit int) []VillageMatch {
	if limit <= 0 {
		limit = 50
	}
	vs := loadVillages()
	var picked []int
	if digits := NormalizeRegionCode(query); digits != "" && digits == strings.Map(func(r rune) rune {
		if r == '.' || r == ' ' {
			return -1
		}
		return r
	}, strings.TrimSpace(query)) {
		i := sort.Search(len(vs), func(i int) bool { return vs[i].code >= digits })
		for ; i < len(vs) && strings.HasPrefix(vs[i].code, digits) && len(picked) < limit; i++ {
			picked = append(picked, i)
		}
		return villageMatches(vs, picked)
	}
	words := strings.Fields(normalizeRegionName(query))
	if len(words) == 0 {
		return nil
	}
	first := prepareQuery(words[0])
	if len(words) > 1 {
		// "desa sukamaju", "kel. gambir": the first word was administrative
		if stripped := stripRegionPrefix(strings.Join(words, " ")); stripped != strings.Join(words, " ") {
			words = strings.Fields(stripped)
			first = prepareQuery(words[0])
		}
	}
	rest := words[1:]
	var buckets [6][]int // by rank; 5: only a parent's name matched the first word
	for i := range vs {
		v := &vs[i]
		if !strings.Contains(v.path, first.bare) && first.rank(v.key) < 0 {
			continue
		}
		ok := true
		for _, w := range rest {
			if !strings.Contains(v.path, w) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		r := first.rank(v.key)
		if r < 0 {
			r = 5
		}
		buckets[r] = append(buckets[r], i)
	}
	for _, b := range buckets {
		sort.SliceStable(b, func(i, j int) bool { return vs[b[i]].key.bare < vs[b[j]].key.bare })
		for _, i := range b {
			if len(picked) == limit {
				return villageMatches(vs, picked)
			}
			picked = append(picked, i)
		}
	}
	return villageMatches(vs, picked)
}

func villageMatches(vs []villageEntry, picked []int) []VillageMatch {
	out := make([]VillageMatch, len(picked))
	for i, p := range picked {
		r, _ := LookupRegion(vs[p].code)
		out[i] = VillageMatch{Region: r, Label: VillageLabel(r.Code)}
	}
	return out
}

// VillageLabel names a region with its parents, most specific first, the
// way an address is written: "Sukamaju, Kec. Cibeber, Kab. Cianjur, Jawa
// Barat". Unknown parts are left out.
func VillageLabel(code string) string {
	code = NormalizeRegionCode(code)
	var parts []string
	for c := code; c != ""; c = parentCode(c) {
		r, ok := LookupRegion(c)
		if !ok {
			continue
		}
		name := r.Name
		switch len(c) {
		case 6:
			name = "Kec. " + name
		case 4:
			if rest, ok := strings.CutPrefix(name, "Kabupaten "); ok {
				name = "Kab. " + rest
			}
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, ", ")
}
