package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

// Change is one write to one record as it travels between device and server:
// the fields it set, all with one version (Clock, Device). Base holds, per
// field, the version the writer had before it overwrote it; a field absent
// from Base was never written on the writer's side. Merge compares Base with
// the version it holds to tell a later edit (Base equals it) from a
// concurrent one (it does not).
type Change struct {
	Seq    int64              `json:"s"` // device seq of the write (outbox position)
	Table  string             `json:"t"`
	ID     string             `json:"i"`
	Clock  Clock              `json:"c"`
	Device string             `json:"d,omitempty"`
	Fields FieldValues        `json:"f"`
	Base   map[string]Version `json:"b,omitempty"`
}

// Version of the write.
func (c Change) Version() Version { return Version{Clock: c.Clock, Device: c.Device} }

// Conflict is the losing value of two concurrent writes to one field, kept
// so that a person can see both and pick the other one.
type Conflict struct {
	ID           string  `json:"id"`
	Table        string  `json:"table"`
	RowID        string  `json:"row_id"`
	Field        string  `json:"field"`
	Winner       any     `json:"winner"`
	WinnerVer    Version `json:"winner_version"`
	Loser        any     `json:"loser"`
	LoserVer     Version `json:"loser_version"`
	DetectedAtMS int64   `json:"detected_at_ms"`
	Resolved     bool    `json:"resolved"`
	// ResolvedBy and ResolvedAtMS say which PC's operator resolved it, and
	// when the server heard of it (server copy only).
	ResolvedBy   string `json:"resolved_by,omitempty"`
	ResolvedAtMS int64  `json:"resolved_at_ms,omitempty"`
}

// ConflictID derives the id of a conflict from what lost, so the server and
// every device name the same conflict the same way.
func ConflictID(table, row, field string, loser Version) string {
	return NaturalID("conflict", table, row, field, loser.Device, itoa(int64(loser.Clock)))
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// FieldValues are the values a change sets, by field name.
type FieldValues map[string]any

// UnmarshalJSON decodes the values keeping every text exactly as it was
// sent: encoding/json turns invalid UTF-8 and lone UTF-16 surrogates into
// U+FFFD without a word, and the rule that refuses text that is not UTF-8
// would never see it (a lone surrogate is kept as the three bytes of its
// code point, which are not UTF-8 either). Numbers decode as json.Number,
// objects and arrays as encoding/json decodes them. It reads the object in
// one pass: pushes decode thousands of changes.
func (fv *FieldValues) UnmarshalJSON(data []byte) error {
	p := &scanner{b: data}
	p.space()
	if p.literal("null") {
		*fv = nil
		return p.end()
	}
	if !p.byte('{') {
		return errors.New("field values: not a JSON object")
	}
	out := FieldValues{}
	p.space()
	if p.byte('}') {
		*fv = out
		return p.end()
	}
	for {
		p.space()
		ks, err := p.str()
		if err != nil {
			return err
		}
		key, err := unquote(ks)
		if err != nil {
			return err
		}
		p.space()
		if !p.byte(':') {
			return errors.New("field values: missing colon")
		}
		p.space()
		v, err := p.value()
		if err != nil {
			return err
		}
		out[key] = v
		p.space()
		if p.byte(',') {
			continue
		}
		if p.byte('}') {
			break
		}
		return errors.New("field values: missing comma")
	}
	*fv = out
	return p.end()
}

// scanner reads JSON that encoding/json has checked, defensively: on any
// input it returns an error rather than panicking.
type scanner struct {
	b []byte
	i int
}

func (p *scanner) space() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\t' || p.b[p.i] == '\n' || p.b[p.i] == '\r') {
		p.i++
	}
}

func (p *scanner) byte(c byte) bool {
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *scanner) literal(s string) bool {
	if bytes.HasPrefix(p.b[p.i:], []byte(s)) {
		p.i += len(s)
		return true
	}
	return false
}

func (p *scanner) end() error {
	p.space()
	if p.i != len(p.b) {
		return errors.New("field values: data after the object")
	}
	return nil
}

// str returns the string literal at the cursor, quotes included.
func (p *scanner) str() ([]byte, error) {
	start := p.i
	if !p.byte('"') {
		return nil, errors.New("field values: want a string")
	}
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case '\\':
			p.i += 2
		case '"':
			p.i++
			return p.b[start:p.i], nil
		default:
			p.i++
		}
	}
	return nil, errors.New("field values: unterminated string")
}

// value decodes the value at the cursor.
func (p *scanner) value() (any, error) {
	if p.i >= len(p.b) {
		return nil, errors.New("field values: missing value")
	}
	switch c := p.b[p.i]; {
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return unquote(s)
	case p.literal("true"):
		return true, nil
	case p.literal("false"):
		return false, nil
	case p.literal("null"):
		return nil, nil
	case c == '{' || c == '[':
		start := p.i
		if err := p.skipNested(); err != nil {
			return nil, err
		}
		dec := json.NewDecoder(bytes.NewReader(p.b[start:p.i]))
		dec.UseNumber()
		var v any
		err := dec.Decode(&v)
		return v, err
	case c == '-' || '0' <= c && c <= '9':
		start := p.i
		for p.i < len(p.b) && bytes.IndexByte([]byte("+-.eE0123456789"), p.b[p.i]) >= 0 {
			p.i++
		}
		return json.Number(p.b[start:p.i]), nil
	}
	return nil, errors.New("field values: unexpected character")
}

// skipNested moves past the object or array at the cursor.
func (p *scanner) skipNested() error {
	depth := 0
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case '"':
			if _, err := p.str(); err != nil {
				return err
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				p.i++
				return nil
			}
		}
		p.i++
	}
	return errors.New("field values: unterminated object")
}

// unquote decodes a JSON string literal, keeping bytes that are not UTF-8
// as they are.
func unquote(q []byte) (string, error) {
	if len(q) < 2 || q[0] != '"' || q[len(q)-1] != '"' {
		return "", errors.New("not a JSON string")
	}
	s := q[1 : len(q)-1]
	if bytes.IndexByte(s, '\\') < 0 {
		return string(s), nil
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			b = append(b, c)
			i++
			continue
		}
		if i+1 >= len(s) {
			return "", errors.New("JSON string ends in a backslash")
		}
		switch e := s[i+1]; e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := hex4(s[i+2:])
			if !ok {
				return "", errors.New("bad \\u escape in a JSON string")
			}
			i += 6
			if utf16.IsSurrogate(r) {
				if r < 0xdc00 && i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if r2, ok := hex4(s[i+2:]); ok && r2 >= 0xdc00 && r2 <= 0xdfff {
						b = utf8.AppendRune(b, utf16.DecodeRune(r, r2))
						i += 6
						continue
					}
				}
				// A lone surrogate: its code point's bytes, not UTF-8.
				b = append(b, byte(0xe0|r>>12), byte(0x80|(r>>6)&0x3f), byte(0x80|r&0x3f))
				continue
			}
			b = utf8.AppendRune(b, r)
			continue
		default:
			return "", errors.New("bad escape in a JSON string")
		}
		i += 2
	}
	return string(b), nil
}

func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
