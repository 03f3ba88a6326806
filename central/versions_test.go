package central

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/kemnaker/blk/domain"
)

// TestVersionsRoundTripCompactly: versions written by PCs, the server and
// odd device ids read back exactly; equal versions give equal text; a
// record one PC wrote costs its field names and one version, a fraction of
// the JSON it replaced; and JSON stored before the compact encoding still
// reads.
func TestVersionsRoundTripCompactly(t *testing.T) {
	pc, other := "0192f0a4-7b1c-7d2e-8f3a-4b5c6d7e8f90", "0192f0a4-7b1c-7d2e-8f3a-4b5c6d7e8f91"
	cases := map[string]domain.Versions{
		"one PC wrote every field": {"name": {Clock: domain.MakeClock(1764500000000, 3), Device: pc}, "nik": {Clock: domain.MakeClock(1764500000000, 3), Device: pc},
			"sex": {Clock: domain.MakeClock(1764500000000, 3), Device: pc}},
		"two PCs and the server": {"name": {Clock: domain.MakeClock(1764500000001, 0), Device: other}, "nik": {Clock: domain.MakeClock(1764500000000, 65535), Device: pc},
			"code": {Clock: 1, Device: ServerDevice}},
		"an id that is not a UUID":                 {"name": {Clock: 42, Device: "PC-LAMA.01:x"}, "phone": {Clock: 43, Device: strings.ToUpper(pc)}},
		"a device id with a semicolon (JSON kept)": {"name": {Clock: 42, Device: "a;b"}},
		"nothing written":                          {},
	}
	for name, vers := range cases {
		t.Run(name, func(t *testing.T) {
			text := encodeVersions(vers)
			got, err := decodeVersions(text)
			if err != nil {
				t.Fatalf("%q: %v", text, err)
			}
			if !reflect.DeepEqual(got, vers) {
				t.Fatalf("%q read back as %v, want %v", text, got, vers)
			}
			again := domain.Versions{}
			for k, v := range vers {
				again[k] = v
			}
			if encodeVersions(again) != text {
				t.Fatalf("equal versions encode differently: %q and %q", encodeVersions(again), text)
			}
			old, _ := json.Marshal(vers)
			fromJSON, err := decodeVersions(string(old))
			if err != nil || !reflect.DeepEqual(fromJSON, vers) {
				t.Fatalf("JSON %s read as %v, %v", old, fromJSON, err)
			}
		})
	}
	one := cases["one PC wrote every field"]
	old, _ := json.Marshal(one)
	if text := encodeVersions(one); len(text) > len(old)/3 {
		t.Fatalf("compact %q (%d bytes) is not a third of the JSON's %d", text, len(text), len(old))
	}
	for _, bad := range []string{"~zz", "~1.!pc", "~!!.x:name", "~1.notbase64:name"} {
		if _, err := decodeVersions(bad); err == nil {
			t.Errorf("%q read without an error", bad)
		}
	}
}

// TestVersionsByFieldNumberRoundTrip: the form by field number reads back
// exactly, measures as long as the form by name did (a pull page's size),
// and falls back to names for a field without a number.
func TestVersionsByFieldNumberRoundTrip(t *testing.T) {
	pc, other := "0192f0a4-7b1c-7d2e-8f3a-4b5c6d7e8f90", "0192f0a4-7b1c-7d2e-8f3a-4b5c6d7e8f91"
	at := domain.MakeClock(1764500000000, 3)
	cases := map[string]struct {
		vers     domain.Versions
		numbered bool
	}{
		"one PC wrote a trainee": {domain.Versions{"name": {Clock: at, Device: pc}, "nik": {Clock: at, Device: pc}, "centre_id": {Clock: at, Device: pc},
			"deleted": {Clock: at, Device: pc}, "village_code": {Clock: at, Device: pc}}, true},
		"two PCs and the server": {domain.Versions{"name": {Clock: at + 1, Device: other}, "nik": {Clock: at, Device: pc}, "sex": {Clock: 1, Device: ServerDevice}}, true},
		"an odd device id":       {domain.Versions{"name": {Clock: 42, Device: "PC-LAMA.01:x"}}, true},
		"a device with ;":        {domain.Versions{"name": {Clock: 42, Device: "a;b"}}, false},
		"a field with no number": {domain.Versions{"name": {Clock: 42, Device: pc}, "nickname": {Clock: 42, Device: pc}}, false},
		"nothing written":        {domain.Versions{}, true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			text := encodeVersionsOf("trainees", c.vers, nil)
			if strings.HasPrefix(text, "^") != c.numbered {
				t.Fatalf("%q: by number %v, want %v", text, !c.numbered, c.numbered)
			}
			got, err := decodeVersionsOf("trainees", text, nil)
			if err != nil || !reflect.DeepEqual(got, c.vers) {
				t.Fatalf("%q read back as %v (%v), want %v", text, got, err, c.vers)
			}
			if n, want := legacyVersionsLen("trainees", text), len(encodeVersions(c.vers)); n != want {
				t.Fatalf("%q measures %d, the form by name %d", text, n, want)
			}
			// the centre's PCs by their number (pc is number 1, other 37)
			nos := map[string]int64{pc: 1, other: 37}
			byNo := map[int64]string{1: pc, 37: other}
			text = encodeVersionsOf("trainees", c.vers, func(d string) int64 { return nos[d] })
			if strings.Contains(text, "Xm") || (c.numbered && len(c.vers) > 0 && c.vers["nik"].Device == pc && !strings.Contains(text, ".#1:")) {
				t.Fatalf("%q does not number the PCs", text)
			}
			got, err = decodeVersionsOf("trainees", text, func(n int64) (string, error) { return byNo[n], nil })
			if err != nil || !reflect.DeepEqual(got, c.vers) {
				t.Fatalf("%q read back as %v (%v), want %v", text, got, err, c.vers)
			}
			if n, want := legacyVersionsLen("trainees", text), len(encodeVersions(c.vers)); n != want {
				t.Fatalf("%q measures %d, the form by name %d", text, n, want)
			}
		})
	}
	for _, bad := range []string{"^1.!pc", "^1.!pc:0", "^1.!pc:zzzzzzzzzzzzzzzzzz", "^1.!pc:" + strconv.FormatUint(1<<40, 36), "^zz:1", "^1.#1:1", "^1.#0:1", "^1.#-1:1"} {
		if _, err := decodeVersionsOf("trainees", bad, nil); err == nil {
			t.Errorf("%q read without an error", bad)
		}
	}
}

// TestEveryFieldHasANumber: a field added to the domain is appended to its
// table's list in fieldNumbers (else its records' versions are stored by
// name, longer).
func TestEveryFieldHasANumber(t *testing.T) {
	for _, tb := range domain.Tables {
		for _, f := range tb.Fields {
			if _, ok := fieldNo[tb.Name][f.Name]; !ok {
				t.Errorf("%s.%s has no number: append it to fieldNumbers[%q] in central/fieldnos.go", tb.Name, f.Name, tb.Name)
			}
		}
		if len(fieldNumbers[tb.Name]) > 64 {
			t.Errorf("%s has more than 64 field numbers", tb.Name)
		}
	}
}
