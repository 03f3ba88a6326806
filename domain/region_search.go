package domain

// Searching the embedded region codes by name, for pickers where an operator
// types a few letters of a province, regency, district or village instead
// of scrolling a list of hundreds.

import (
	"slices"
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
	full string // normalised name: "kabupaten bogor"
	bare string // without the administrative word: "bogor"
}

func keyOf(name string) regionKey {
	full := normalizeRegionName(name)
	return regionKey{full: full, bare: stripRegionPrefix(full)}
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
	return regionQuery{full: k.full, bare: k.bare, squashed: strings.ReplaceAll(k.bare, " ", ""), typedPrefix: k.full != k.bare}
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
	case q.squashed != "" && containsWithoutSpaces(k.bare, q.squashed):
		return 4
	}
	return -1
}

// containsWithoutSpaces says whether sub is in s once the spaces of s are
// taken out ("tanjung pinang" contains "gpin"), without building that string.
func containsWithoutSpaces(s, sub string) bool {
	if strings.IndexByte(s, ' ') < 0 {
		return strings.Contains(s, sub)
	}
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			continue
		}
		j, k := i, 0
		for k < len(sub) && j < len(s) {
			if s[j] == ' ' {
				j++
				continue
			}
			if s[j] != sub[k] {
				break
			}
			j++
			k++
		}
		if k == len(sub) {
			return true
		}
	}
	return false
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

// villageIndex is every current village prepared for searching, in code
// order: normalised names in one string (the whole index is about 2 MB;
// one struct with four strings per village was 14 MB). A village's parents
// are matched through its district, whose path is kept once for all of its
// villages.
type villageIndex struct {
	entry     []int32  // each village's entry in the region table
	names     string   // normalised names, concatenated
	nameEnd   []uint32 // where village i's name ends
	bareAt    []uint8  // where its name without the administrative word starts
	districts []villageDistrict
}

// villageDistrict is a run of villages with the same district.
type villageDistrict struct {
	path string // normalised names of the district and its parents, with aliases: "cibeber / kabupaten cianjur / jawa barat"
	end  int    // the villages before this index, after the previous district's, are its own
}

func (x *villageIndex) key(i int) regionKey {
	start := uint32(0)
	if i > 0 {
		start = x.nameEnd[i-1]
	}
	full := x.names[start:x.nameEnd[i]]
	return regionKey{full: full, bare: full[x.bareAt[i]:]}
}

var (
	villagesOnce sync.Once
	villages     *villageIndex
)

// loadVillages prepares the ~84k current villages once, on the first
// search: names normalised, parents' names joined per district, so a search
// is one pass of substring tests.
func loadVillages() *villageIndex {
	villagesOnce.Do(func() {
		t := loadRegions()
		paths := map[string]string{} // code → normalised names of it and its parents
		var pathOf func(code string) string
		pathOf = func(code string) string {
			if code == "" {
				return ""
			}
			if p, ok := paths[code]; ok {
				return p
			}
			p := ""
			if i, ok := t.find(code); ok {
				p = normalizeRegionName(t.name(i))
			}
			if a, ok := regionAliases[code]; ok {
				p += " " + a
			}
			if up := pathOf(parentCode(code)); up != "" {
				p += " / " + up
			}
			paths[code] = p
			return p
		}
		x := &villageIndex{}
		var names strings.Builder
		lastDistrict := ""
		for i := 0; i < t.len(); i++ {
			code := t.code(i)
			if len(code) != 10 || t.historical(i) {
				continue
			}
			if district := parentCode(code); district != lastDistrict {
				x.districts = append(x.districts, villageDistrict{path: pathOf(district)})
				lastDistrict = district
			}
			k := keyOf(t.name(i))
			names.WriteString(k.full)
			x.entry = append(x.entry, int32(i))
			x.nameEnd = append(x.nameEnd, uint32(names.Len()))
			x.bareAt = append(x.bareAt, uint8(len(k.full)-len(k.bare)))
			x.districts[len(x.districts)-1].end = len(x.entry)
		}
		x.names = strings.Clone(names.String()) // without the builder's spare capacity
		x.entry = slices.Clip(x.entry)
		x.nameEnd = slices.Clip(x.nameEnd)
		x.bareAt = slices.Clip(x.bareAt)
		villages = x
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
	x := loadVillages()
	t := loadRegions()
	var picked []int
	if digits := NormalizeRegionCode(query); digits != "" && digits == strings.Map(func(r rune) rune {
		if r == '.' || r == ' ' {
			return -1
		}
		return r
	}, strings.TrimSpace(query)) {
		i := sort.Search(len(x.entry), func(i int) bool { return t.code(int(x.entry[i])) >= digits })
		for ; i < len(x.entry) && strings.HasPrefix(t.code(int(x.entry[i])), digits) && len(picked) < limit; i++ {
			picked = append(picked, i)
		}
		return villageMatches(x, picked)
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
	// Words have no spaces, so one is in "village / district / …" exactly
	// when it is in the village's name or in the district's path.
	inDistrict := make([]bool, len(rest))
	var buckets [6][]int // by rank; 5: only a parent's name matched the first word
	start := 0
	for _, d := range x.districts {
		firstInDistrict := strings.Contains(d.path, first.bare)
		for j, w := range rest {
			inDistrict[j] = strings.Contains(d.path, w)
		}
		for i := start; i < d.end; i++ {
			k := x.key(i)
			r := first.rank(k)
			if r < 0 && !firstInDistrict && !strings.Contains(k.full, first.bare) {
				continue
			}
			ok := true
			for j, w := range rest {
				if !inDistrict[j] && !strings.Contains(k.full, w) {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			if r < 0 {
				r = 5
			}
			buckets[r] = append(buckets[r], i)
		}
		start = d.end
	}
	for _, b := range buckets {
		sort.SliceStable(b, func(i, j int) bool { return x.key(b[i]).bare < x.key(b[j]).bare })
		for _, i := range b {
			if len(picked) == limit {
				return villageMatches(x, picked)
			}
			picked = append(picked, i)
		}
	}
	return villageMatches(x, picked)
}

func villageMatches(x *villageIndex, picked []int) []VillageMatch {
	t := loadRegions()
	out := make([]VillageMatch, len(picked))
	for i, p := range picked {
		r := t.region(int(x.entry[p]))
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
