package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kemnaker/blk/domain"
)

// demoCentre is a data folder with a centre and `blk demo`'s records.
func demoCentre(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if code, _, errs := blk(t, "--data", dir, "init", "--centre-name", "BLK Komunitas Al-Hikmah", "--region", "3201011001"); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	if code, _, errs := blk(t, "--data", dir, "demo", "--trainees", "64", "--seed", "3"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	return dir
}

// TestKemandirianJSON: `blk kemandirian --json` on a demo centre gives a
// level of the road map and the five criteria, each with its code, met,
// value, target and what is missing; the level agrees with the count met
// under the default thresholds.
func TestKemandirianJSON(t *testing.T) {
	dir := demoCentre(t)
	code, out, errs := blk(t, "--data", dir, "kemandirian", "--json")
	if code != 0 {
		t.Fatalf("kemandirian: %d %s", code, errs)
	}
	var r struct {
		Level    string `json:"level"`
		Met      int    `json:"met"`
		Criteria []struct {
			Code    string    `json:"code"`
			Met     *bool     `json:"met"`
			Value   *int64    `json:"value"`
			Target  *int64    `json:"target"`
			Missing *[]string `json:"missing"`
		} `json:"criteria"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	var codes []string
	met := 0
	for _, c := range r.Criteria {
		if c.Met == nil || c.Value == nil || c.Target == nil || c.Missing == nil {
			t.Fatalf("criterion %q lacks met, value, target or missing: %s", c.Code, out)
		}
		codes = append(codes, c.Code)
		if *c.Met {
			met++
			if len(*c.Missing) != 0 {
				t.Errorf("%s is met yet says %q is missing", c.Code, *c.Missing)
			}
		} else if len(*c.Missing) == 0 || (*c.Missing)[0] == "" {
			t.Errorf("%s is not met and does not say what is missing", c.Code)
		}
		if *c.Target <= 0 {
			t.Errorf("%s target %d", c.Code, *c.Target)
		}
	}
	if got := strings.Join(codes, ","); got != "legal,sdm,mitra,dana,alumni" && !sameSet(codes, []string{"sdm", "legal", "dana", "alumni", "mitra"}) {
		t.Fatalf("criteria %s", got)
	}
	want := domain.LevelTumbuh
	switch {
	case met == 5:
		want = domain.LevelMandiri
	case met >= 3:
		want = domain.LevelBerkembang
	}
	if r.Level != want || r.Met != met {
		t.Fatalf("level %q with %d met (counted %d), want %q", r.Level, r.Met, met, want)
	}
	// the text form says the same level in the operator's language
	code, text, errs := blk(t, "--data", dir, "--lang", "en", "kemandirian")
	if code != 0 || !strings.Contains(text, domain.ChoiceLabel("centres.classification", r.Level, domain.English)) {
		t.Fatalf("text: %d %q %s", code, text, errs)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]bool{}
	for _, x := range a {
		m[x] = true
	}
	for _, x := range b {
		if !m[x] {
			return false
		}
	}
	return true
}

// TestReportKemandirianWritesThePDF: `blk report kemandirian --out F.pdf`
// writes a real PDF whose text holds the title, the centre and its level.
func TestReportKemandirianWritesThePDF(t *testing.T) {
	dir := demoCentre(t)
	_, out, _ := blk(t, "--data", dir, "kemandirian", "--json")
	var r struct{ Level string }
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(t.TempDir(), "profil.pdf")
	if code, _, errs := blk(t, "--data", dir, "report", "kemandirian", "--out", pdf); code != 0 {
		t.Fatalf("report: %d %s", code, errs)
	}
	data, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data[len(data)-64:], []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q", data[:min(len(data), 16)])
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed; install it to check PDF text")
	}
	txt, err := exec.Command(bin, "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// headings are printed in capitals
	text := strings.ToUpper(strings.Join(strings.Fields(string(txt)), " "))
	for _, want := range []string{"Profil Kemandirian BLK Komunitas", "BLK Komunitas Al-Hikmah",
		domain.ChoiceLabel("centres.classification", r.Level, domain.Indonesian)} {
		if !strings.Contains(text, strings.ToUpper(want)) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
}
