package msg

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestEveryKeyIsInBothLanguagesWithTheSameVerbs: a key in one language
// only is a gap an operator would see; different fmt verbs print
// %!d(string=…) in one of them.
func TestEveryKeyIsInBothLanguagesWithTheSameVerbs(t *testing.T) {
	if problems := Verify(); len(problems) > 0 {
		t.Fatalf("%d problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	if len(Keys(Indonesian)) < 400 {
		t.Fatalf("only %d keys: the catalogue did not load", len(Keys(Indonesian)))
	}
}

// TestVerifyFindsWhatIsWrong makes sure the check above can fail.
func TestVerifyFindsWhatIsWrong(t *testing.T) {
	fsys := fstest.MapFS{
		"x/id.json": {Data: []byte(`{"test.only_id": "hanya", "test.verbs": "%d baris", "test.count": "%s peserta", "test.reorder": "%d dari %s"}`)},
		"x/en.json": {Data: []byte(`{"test.verbs": "%s rows", "test.count": {"one": "%s trainee", "other": "%d trainees"}, "test.reorder": "%[2]s has %[1]d"}`)},
	}
	if err := Register(fsys, "x"); err != nil {
		t.Fatal(err)
	}
	defer func() {
		mu.Lock()
		for _, l := range Langs {
			for k := range tables[l] {
				if strings.HasPrefix(k, "test.") {
					delete(tables[l], k)
				}
			}
		}
		mu.Unlock()
	}()
	got := strings.Join(Verify(), "\n")
	for _, want := range []string{"test.only_id: missing in en", "test.verbs: verbs differ", "test.count: singular and plural in en"} {
		if !strings.Contains(got, want) {
			t.Errorf("Verify did not report %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "test.reorder") {
		t.Errorf("arguments reordered with explicit indexes reported:\n%s", got)
	}
}

// TestAKeyDefinedTwiceIsRefused, in one file or in two.
func TestAKeyDefinedTwiceIsRefused(t *testing.T) {
	if _, err := parse([]byte(`{"a.b": "x", "a.b": "y"}`)); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("same key twice in one file: %v", err)
	}
	fsys := fstest.MapFS{
		"x/id.json": {Data: []byte(`{"common.save": "Simpan lagi"}`)},
		"x/en.json": {Data: []byte(`{"common.save": "Save again"}`)},
	}
	err := Register(fsys, "x")
	if err == nil || !strings.Contains(err.Error(), `"common.save" is defined twice`) {
		t.Fatalf("a key the catalogue has: %v", err)
	}
	if T(Indonesian, "common.save") != "Simpan" {
		t.Fatalf("the first text was replaced: %q", T(Indonesian, "common.save"))
	}
}

func TestLookup(t *testing.T) {
	if got := T(English, "problem.too.long", 100); got != "too long (at most 100 characters)" {
		t.Errorf("English: %q", got)
	}
	if got := T(Indonesian, "problem.too.long", 100); got != "terlalu panjang (maksimal 100 karakter)" {
		t.Errorf("Indonesian: %q", got)
	}
	if got := T(English, "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key: %q", got)
	}
	if got := T(English, "problem.quota.cap", 30, 24); got != "quota 30 is above the cap of 24 trainees" {
		t.Errorf("verbs: %q", got)
	}
	if ParseLang("en_US.UTF-8") != English || ParseLang("C") != Indonesian || ParseLang("") != Indonesian {
		t.Error("ParseLang")
	}
}

func TestNumbersAndPlurals(t *testing.T) {
	for _, tc := range []struct {
		n      int64
		id, en string
	}{
		{0, "0", "0"}, {7, "7", "7"}, {999, "999", "999"}, {1000, "1.000", "1,000"},
		{20000, "20.000", "20,000"}, {1234567, "1.234.567", "1,234,567"}, {-20000, "-20.000", "-20,000"},
	} {
		if got := N(Indonesian, tc.n); got != tc.id {
			t.Errorf("N(id, %d) = %q, want %q", tc.n, got, tc.id)
		}
		if got := N(English, tc.n); got != tc.en {
			t.Errorf("N(en, %d) = %q, want %q", tc.n, got, tc.en)
		}
	}
	if got := N(English, uint64(18446744073709551615)); got != "18,446,744,073,709,551,615" {
		t.Errorf("largest uint64: %q", got)
	}
	if got, want := Decimal(Indonesian, 1234.56, 1), "1.234,6"; got != want {
		t.Errorf("Decimal id = %q", got)
	}
	if got, want := Decimal(English, 66.666, 1), "66.7"; got != want {
		t.Errorf("Decimal en = %q", got)
	}
	for _, tc := range []struct {
		l    Lang
		n    int
		want string
	}{
		{English, 1, "1 trainee"}, {English, 2, "2 trainees"}, {English, 0, "0 trainees"},
		{English, 20000, "20,000 trainees"}, {Indonesian, 1, "1 peserta"}, {Indonesian, 20000, "20.000 peserta"},
	} {
		if got := Count(tc.l, "count.trainees", tc.n); got != tc.want {
			t.Errorf("Count(%s, %d) = %q, want %q", tc.l, tc.n, got, tc.want)
		}
	}
}
