package domain

import (
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

// regionTable holds every region code, current and historical, in code
// order, so a parent comes right before its children and the children of a
// code are one run of entries. The ~92k codes and names live in two long
// strings with end offsets: about 2.5 MB of heap for as long as the app
// runs, where a map of Region structs with a string per field held 17 MB.
type regionTable struct {
	codes, names     string   // plain codes, names: concatenated in code order
	codeEnd, nameEnd []uint32 // where entry i's code, name ends
	lastSeen         map[int]string
	provinces        []int // entries of the current provinces
}

var (
	regionsOnce sync.Once
	regions     *regionTable
)

// loadRegions reads the embedded lists on first use (the first NIK checked
// or region shown).
func loadRegions() *regionTable {
	regionsOnce.Do(func() {
		regions = buildRegionTable(assets.Wilayah2025, assets.WilayahHistoris)
	})
	return regions
}

func (t *regionTable) len() int { return len(t.codeEnd) }

func (t *regionTable) code(i int) string {
	start := uint32(0)
	if i > 0 {
		start = t.codeEnd[i-1]
	}
	return t.codes[start:t.codeEnd[i]]
}

func (t *regionTable) name(i int) string {
	start := uint32(0)
	if i > 0 {
		start = t.nameEnd[i-1]
	}
	return t.names[start:t.nameEnd[i]]
}

func (t *regionTable) historical(i int) bool {
	_, ok := t.lastSeen[i]
	return ok
}

func (t *regionTable) region(i int) Region {
	year, historical := t.lastSeen[i]
	return Region{Code: t.code(i), Name: t.name(i), Historical: historical, LastSeen: year}
}

// search returns the first entry whose code is not below code.
func (t *regionTable) search(code string) int {
	return sort.Search(t.len(), func(i int) bool { return t.code(i) >= code })
}

// find returns the entry of code.
func (t *regionTable) find(code string) (int, bool) {
	i := t.search(code)
	return i, i < t.len() && t.code(i) == code
}

// regionLine is one row of a region CSV: "kode,nama" or, for historical
// codes, "kode,nama,terakhir_tercatat". Its slices point into the CSV or a
// reused buffer: valid until the next row is read.
type regionLine struct {
	code       []byte // plain digits
	name       []byte
	lastSeen   []byte
	historical bool
}

// regionLines reads the rows of one embedded CSV in file order.
type regionLines struct {
	data       []byte
	historical bool
	buf        []byte
	line       regionLine
}

func newRegionLines(data []byte, historical bool) *regionLines {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		data = data[i+1:] // header
	} else {
		data = nil
	}
	return &regionLines{data: data, historical: historical}
}

// next moves to the next row.
func (l *regionLines) next() bool {
	for len(l.data) > 0 {
		line := l.data
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line, l.data = line[:i], line[i+1:]
		} else {
			l.data = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		code, rest, ok := bytes.Cut(line, []byte(","))
		if !ok {
			continue
		}
		l.buf = l.buf[:0]
		for _, c := range code {
			if c != '.' {
				l.buf = append(l.buf, c)
			}
		}
		l.line = regionLine{code: l.buf, historical: l.historical}
		if l.historical {
			if i := bytes.LastIndexByte(rest, ','); i >= 0 {
				l.line.lastSeen = rest[i+1:]
				rest = rest[:i]
			}
		}
		l.line.name = bytes.Trim(rest, `"`)
		return true
	}
	return false
}

// inCodeOrder says whether the rows of a CSV are sorted by plain code.
func inCodeOrder(data []byte) bool {
	l := newRegionLines(data, false)
	var prev []byte
	for l.next() {
		if bytes.Compare(l.line.code, prev) < 0 {
			return false
		}
		prev = append(prev[:0], l.line.code...)
	}
	return true
}

// eachRegion calls fn for every region of both lists in code order; a code
// listed twice is the current one (or the first row). Both lists are in
// code order, so this is a merge of the two without building anything;
// should one not be, its rows are collected and sorted instead.
func eachRegion(current, historical []byte, fn func(regionLine)) {
	if !inCodeOrder(current) || !inCodeOrder(historical) {
		var rows []regionLine
		for _, l := range []*regionLines{newRegionLines(current, false), newRegionLines(historical, true)} {
			for l.next() {
				r := l.line
				r.code = bytes.Clone(r.code)
				rows = append(rows, r)
			}
		}
		sort.SliceStable(rows, func(i, j int) bool { return bytes.Compare(rows[i].code, rows[j].code) < 0 })
		for i, r := range rows {
			if i == 0 || !bytes.Equal(rows[i-1].code, r.code) {
				fn(r)
			}
		}
		return
	}
	a, b := newRegionLines(current, false), newRegionLines(historical, true)
	okA, okB := a.next(), b.next()
	var prev []byte
	first := true
	for okA || okB {
		var r regionLine
		if okA && (!okB || bytes.Compare(a.line.code, b.line.code) <= 0) {
			r = a.line
		} else {
			r = b.line
		}
		if first || !bytes.Equal(prev, r.code) {
			fn(r)
		}
		first = false
		prev = append(prev[:0], r.code...)
		if r.historical {
			okB = b.next()
		} else {
			okA = a.next()
		}
	}
}

func buildRegionTable(current, historical []byte) *regionTable {
	var n, codeLen, nameLen int
	eachRegion(current, historical, func(r regionLine) {
		n++
		codeLen += len(r.code)
		nameLen += len(r.name)
	})
	t := &regionTable{codeEnd: make([]uint32, 0, n), nameEnd: make([]uint32, 0, n), lastSeen: map[int]string{}}
	var codes, names strings.Builder
	codes.Grow(codeLen)
	names.Grow(nameLen)
	eachRegion(current, historical, func(r regionLine) {
		i := len(t.codeEnd)
		codes.Write(r.code)
		names.Write(r.name)
		t.codeEnd = append(t.codeEnd, uint32(codes.Len()))
		t.nameEnd = append(t.nameEnd, uint32(names.Len()))
		if r.historical {
			t.lastSeen[i] = string(r.lastSeen)
		} else if len(r.code) == 2 {
			t.provinces = append(t.provinces, i)
		}
	})
	t.codes, t.names = codes.String(), names.String()
	return t
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
	t := loadRegions()
	i, ok := t.find(NormalizeRegionCode(code))
	if !ok {
		return Region{}, false
	}
	return t.region(i), true
}

// RegionChildren lists the current (2025) regions directly below code;
// "" lists the provinces.
func RegionChildren(code string) []Region {
	t := loadRegions()
	code = NormalizeRegionCode(code)
	if code == "" {
		out := make([]Region, len(t.provinces))
		for i, p := range t.provinces {
			out[i] = t.region(p)
		}
		return out
	}
	var out []Region
	// the children are among the entries that start with code, right after it
	for i := t.search(code); i < t.len() && strings.HasPrefix(t.code(i), code); i++ {
		if c := t.code(i); parentCode(c) == code && !t.historical(i) {
			out = append(out, t.region(i))
		}
	}
	if out == nil {
		out = []Region{}
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
