package central

import (
	"encoding/json"
	"testing"

	"github.com/kemnaker/blk/domain"
)

// TestPositionalDataGivesBackItsJSON: a record's data by position reads
// back as the very JSON object it was made from, whatever its values
// hold, and a field without a number keeps the object.
func TestPositionalDataGivesBackItsJSON(t *testing.T) {
	for _, c := range []struct {
		tbl  string
		vals map[string]any
		pos  bool
	}{
		{"attendance", map[string]any{"date": "2026-09-01", "enrollment_id": "273dda05-8d03-5066-8633-a1d906f95540", "mark": "H"}, true},
		{"attendance", map[string]any{}, true},
		{"attendance", map[string]any{"mark": nil}, true},
		{"trainees", map[string]any{"name": `Siti "Ani", [RT 01] {x} \ <b>&`, "address": ",,,", "email": "", "phone": "é\u2028\n"}, true},
		{"cohorts", map[string]any{"quota": json.Number("16"), "year": 2026, "number": -1.5, "status": "completed"}, true},
		{"funding", map[string]any{"amount": 183000000, "note": "]"}, true},
		{"attendance", map[string]any{"date": "2026-09-01", "no_such_field": "x"}, false},
	} {
		obj, err := json.Marshal(c.vals)
		if err != nil {
			t.Fatal(err)
		}
		got := positionalData(c.tbl, obj)
		if isPositional(got) != c.pos {
			t.Errorf("%s %s stored as %s", c.tbl, obj, got)
		}
		if back := jsonData(c.tbl, got); back != string(obj) {
			t.Errorf("%s %s stored as %s reads back as %s", c.tbl, obj, got, back)
		}
		if n := legacyDataLen(c.tbl, got); n != len(obj) {
			t.Errorf("%s %s: legacy length %d, want %d", c.tbl, obj, n, len(obj))
		}
		for name, v := range c.vals {
			want := ""
			switch v := v.(type) {
			case string:
				want = v
			case nil:
			default:
				b, _ := json.Marshal(v)
				want = string(b)
			}
			if got := dataText(c.tbl, got, name); got != want && c.pos {
				t.Errorf("%s %s: field %s reads %q, want %q", c.tbl, obj, name, got, want)
			}
		}
	}
	if got := positionalData("attendance", []byte(`{"date":"2026-09-01","enrollment_id":"e","mark":"H"}`)); got != `[,,,"e","2026-09-01","H"]` {
		t.Errorf("attendance by position: %s", got)
	}
}

// BenchmarkDecodeData: what reading a record's data costs as a JSON
// object and by position (jsonData's rebuilding of the object first).
func BenchmarkDecodeData(b *testing.B) {
	t := domain.LookupTable("trainees")
	obj := []byte(`{"address":"Kp. Syahputra RT 08/RW 01","birth_date":"2008-05-31","birth_place":"Semarang","disability":"","education":"smp","email":"","grp":"resident","kk":"","name":"Wulan Handayani","nik":"1410097105080001","phone":"+6281210843976","postal_code":"16357","sex":"P"}`)
	for _, c := range []struct{ name, data string }{{"json", string(obj)}, {"positional", positionalData("trainees", obj)}} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := decodeData(t, rowKey{}, 0, c.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestValuesDataIsThePositionalBodyOfTheirJSON: a merge's values stored
// directly by position are the body made from their JSON object.
func TestValuesDataIsThePositionalBodyOfTheirJSON(t *testing.T) {
	for _, vals := range []map[string]any{
		{"name": `Siti "Ani", <b>&`, "nik": "3201", "sex": "P", "birth_date": "2000-01-02", "grp": nil},
		{},
		{"name": "x", "no_such_field": 1},
	} {
		tbl := domain.LookupTable("trainees")
		obj, _ := json.Marshal(vals)
		got, err := valuesData(tbl, vals)
		if err != nil || got != positionalData("trainees", obj) {
			t.Errorf("%s stored as %s (%v), want %s", obj, got, err, positionalData("trainees", obj))
		}
	}
}

// FuzzPositionalDataGivesBackItsJSON: whatever a record's fields hold
// (quotes, commas, brackets and backslashes in text, escapes, text that is
// not UTF-8, numbers, null, lists, fields left absent), its body by
// position reads back as the JSON object it was made from, byte for byte,
// measures as long, is what the migration makes of that object, and gives
// each field's text back.
func FuzzPositionalDataGivesBackItsJSON(f *testing.F) {
	f.Add(`Siti "Ani", [RT 01] {x}`, `\`, ",,,", "\u2028\n\\u0000\x00\xff", int64(16), uint8(0))
	f.Add("", `"]`, `\"`, "[", int64(-1), uint8(3))
	f.Fuzz(func(t *testing.T, a, b, c, d string, n int64, shift uint8) {
		for _, tbl := range []string{"trainees", "attendance", "cohorts", "outcomes"} {
			vals := map[string]any{}
			for i, name := range fieldNumbers[tbl] {
				switch (i + int(shift)) % 8 {
				case 0:
					vals[name] = a
				case 1:
					vals[name] = b
				case 2:
					vals[name] = c
				case 3:
					vals[name] = d
				case 4:
					vals[name] = n
				case 5:
					vals[name] = nil
				case 6:
					vals[name] = []any{a, d, n}
				}
			}
			obj, err := json.Marshal(vals)
			if err != nil {
				t.Fatal(err)
			}
			got, err := valuesData(domain.LookupTable(tbl), vals)
			if err != nil {
				t.Fatal(err)
			}
			if !isPositional(got) {
				t.Fatalf("%s %s not stored by position: %s", tbl, obj, got)
			}
			if back := jsonData(tbl, got); back != string(obj) {
				t.Fatalf("%s %s stored as %s reads back as %s", tbl, obj, got, back)
			}
			if n := legacyDataLen(tbl, got); n != len(obj) {
				t.Fatalf("%s %s: legacy length %d, want %d", tbl, obj, n, len(obj))
			}
			if p := positionalData(tbl, obj); p != got {
				t.Fatalf("%s %s: the migration stores %s, a write %s", tbl, obj, p, got)
			}
			for name, v := range vals {
				raw, _ := json.Marshal(v)
				want := ""
				switch v.(type) {
				case string:
					_ = json.Unmarshal(raw, &want) // as JSON holds it: U+FFFD for bytes that are not UTF-8
				case nil:
				default:
					want = string(raw)
				}
				if text := dataText(tbl, got, name); text != want {
					t.Fatalf("%s %s: field %s reads %q, want %q", tbl, got, name, text, want)
				}
			}
		}
	})
}
