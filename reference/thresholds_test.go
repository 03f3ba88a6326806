package reference_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/reference"
)

// TestThresholdsFileKeepsTheDefaultsItLeavesOut: a file that names two
// thresholds changes those two; every other keeps its documented default.
func TestThresholdsFileKeepsTheDefaultsItLeavesOut(t *testing.T) {
	recs, err := reference.Parse(rows(t, "Threshold,Value\nown_income_pct, 25\n\nLEGAL_ACCREDITATION,0\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("%d records, want the one national record", len(recs))
	}
	got, ok := recs[0].(*domain.KemandirianThresholds)
	if !ok {
		t.Fatalf("record %T", recs[0])
	}
	want := domain.DefaultThresholds()
	want.OwnIncomePct, want.LegalAccreditation = 25, false
	if *got != want {
		t.Fatalf("got %+v\nwant %+v", *got, want)
	}
	if got.Code != domain.ThresholdsCode {
		t.Fatalf("code %q", got.Code)
	}
}

// TestABadThresholdsFileNamesTheLine: each mistake is refused whole, with
// the row's number and what to fix, in both languages.
func TestABadThresholdsFileNamesTheLine(t *testing.T) {
	for _, c := range []struct {
		name, file string
		line       int
		id, en     string
	}{
		{"not a number", "threshold,value\nown_income_pct,20\ntraced_pct,enam puluh\n", 3, "enam puluh", "traced_pct"},
		{"a fraction", "threshold,value\ntraced_months,6\nown_income_pct,20.5\n", 3, "20.5", "own_income_pct"},
		{"unknown name", "threshold,value\npendapatan,20\n", 2, "pendapatan", "pendapatan"},
		{"a system field", "threshold,value\ncentre_id,1\n", 2, "centre_id", "centre_id"},
		{"twice", "threshold,value\ntraced_pct,60\nown_income_pct,1\ntraced_pct,70\n", 4, "traced_pct", "line 2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			recs, err := reference.Parse(rows(t, c.file))
			var re *reference.Error
			if !errors.As(err, &re) {
				t.Fatalf("got %v, %v; want a *reference.Error", recs, err)
			}
			if re.Line != c.line {
				t.Fatalf("line %d, want %d: %s", re.Line, c.line, re.EN)
			}
			prefix := map[domain.Lang]string{domain.Indonesian: "baris ", domain.English: "line "}
			for lang, text := range map[domain.Lang]string{domain.Indonesian: re.Localized(domain.Indonesian), domain.English: re.Localized(domain.English)} {
				if !strings.Contains(text, prefix[lang]+strconv.Itoa(c.line)) {
					t.Fatalf("%s message %q does not name line %d", lang, text, c.line)
				}
			}
			if !strings.Contains(re.ID, c.id) || !strings.Contains(re.EN, c.en) {
				t.Fatalf("messages %q / %q should name %q / %q", re.ID, re.EN, c.id, c.en)
			}
			if errors.Is(err, reference.ErrNotReference) {
				t.Fatal("a thresholds file with a bad row is still a reference file")
			}
		})
	}
}

// TestAThresholdsFileWithoutRowsIsRefused: a header alone changes nothing
// and says so.
func TestAThresholdsFileWithoutRowsIsRefused(t *testing.T) {
	_, err := reference.Parse(rows(t, "threshold,value\n\n"))
	var re *reference.Error
	if !errors.As(err, &re) || re.ID == "" || re.EN == "" {
		t.Fatalf("got %v", err)
	}
}
