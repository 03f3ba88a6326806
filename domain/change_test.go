package domain_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kemnaker/blk/domain"
)

// TestChangeKeepsTextAsSent: a change's text reaches the rules exactly as
// it was sent, so text that is not UTF-8 is refused instead of silently
// becoming U+FFFD.
func TestChangeKeepsTextAsSent(t *testing.T) {
	tests := []struct {
		name string
		json string
		want any
	}{
		{"plain", `"Siti"`, "Siti"},
		{"escapes", `"a\"b\\c\/d\n\t\u00e9\u0041"`, "a\"b\\c/d\n\téA"},
		{"surrogate pair", `"\ud83d\ude00"`, "😀"},
		{"raw bytes that are not UTF-8", "\"a\xffb\"", "a\xffb"},
		{"a lone surrogate", `"a\ud800b"`, "a\xed\xa0\x80b"},
		{"a high surrogate before a non-surrogate", `"\ud83dA"`, "\xed\xa0\xbdA"},
		{"NUL", `"a\u0000b"`, "a\x00b"},
		{"number", `16`, json.Number("16")},
		{"big number", `9007199254740993`, json.Number("9007199254740993")},
		{"bool", `true`, true},
		{"null", `null`, nil},
		{"object", `{"x": 1}`, map[string]any{"x": json.Number("1")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c domain.Change
			if err := json.Unmarshal([]byte(`{"s":1,"t":"partners","i":"x","c":5,"f":{"name":`+tc.json+`}}`), &c); err != nil {
				t.Fatal(err)
			}
			if got := c.Fields["name"]; !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

// TestChangeDecodesValidTextLikeEncodingJSON: for text that is UTF-8 the
// change's decoding and encoding/json agree.
func TestChangeDecodesValidTextLikeEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "Siti Aminah", "Jl. \"Melati\" 4\\5", "ꦱꦶꦠꦶ 😀", "tab\there", "\u2028\u2029<>&", "\x01\x1f"} {
		body, _ := json.Marshal(map[string]any{"f": map[string]any{"v": s}})
		var c struct {
			F domain.FieldValues `json:"f"`
		}
		if err := json.Unmarshal(body, &c); err != nil {
			t.Fatal(err)
		}
		var std map[string]map[string]any
		_ = json.Unmarshal(body, &std)
		if c.F["v"] != std["f"]["v"] || !utf8.ValidString(c.F["v"].(string)) {
			t.Errorf("%q: got %q, encoding/json %q", s, c.F["v"], std["f"]["v"])
		}
	}
}

func FuzzChangeFields(f *testing.F) {
	f.Add([]byte(`{"name":"Siti","n":1,"b":true,"x":null}`))
	f.Add([]byte("{\"name\":\"\\ud800\xff\"}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fv domain.FieldValues
		if err := json.Unmarshal(data, &fv); err != nil {
			return
		}
		var std map[string]any
		if err := json.Unmarshal(data, &std); err != nil {
			t.Fatalf("decoded what encoding/json refuses: %v", err)
		}
		// encoding/json files a name under U+FFFD for each invalid byte, so
		// two names that differ only in their invalid bytes are one to it.
		asStd := map[string]bool{}
		for k := range fv {
			asStd[string([]rune(k))] = true
		}
		if len(asStd) != len(std) {
			t.Fatalf("%d fields (%d as encoding/json names them), encoding/json %d", len(fv), len(asStd), len(std))
		}
		for k, v := range fv {
			// Like values, a name is kept as sent (so that invalid UTF-8 is
			// refused, not silently replaced); encoding/json files it under
			// U+FFFD instead, so only valid names can be compared.
			if !utf8.ValidString(k) {
				continue
			}
			if s, ok := v.(string); ok && utf8.ValidString(s) && std[k] != s {
				t.Fatalf("%s: %q, encoding/json %q", k, s, std[k])
			}
		}
	})
}

// BenchmarkDecodeChanges: a push decodes up to 5,000 changes; keeping text
// as sent must not cost more than encoding/json's own map decoding.
func BenchmarkDecodeChanges(b *testing.B) {
	one := `{"s":1,"t":"trainees","i":"0190c3a1-0000-7000-8000-000000000001","c":123456789,"d":"dev","f":{"nik":"3171015708010001","name":"Siti Aminah","sex":"P","birth_date":"2001-08-17","birth_place":"Bogor","education":"sma","grp":"santri","address":"Jl. Melati No. 4, RT 01/RW 02","village_code":"3201011001","phone":"+6281234567890","email":"","deleted":false,"postal_code":"16110","n":16},"b":{"name":{"c":1,"d":"x"}}}`
	body := []byte("[" + strings.Repeat(one+",", 999) + one + "]")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var cs []domain.Change
		if err := json.Unmarshal(body, &cs); err != nil {
			b.Fatal(err)
		}
	}
}
