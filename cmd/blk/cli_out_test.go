package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSuccessLinesAreInTheOperatorsLanguage runs init, demo, export,
// backup, status and report with --lang id and --lang en: every line meant
// for a person is in that language, and --json keeps its keys.
func TestSuccessLinesAreInTheOperatorsLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want map[string]string // command → a regexp its output matches
		not  string            // a word of the other language that must not appear
	}{
		{"id", map[string]string{
			"init":   `^lembaga "BLK Al-Hikmah" dibuat \(id [0-9a-f-]+\) di .+\n$`,
			"demo":   `^data contoh ditulis dalam \S+: \d+ program, \d+ angkatan, 30 peserta, .*\d+ sertifikat kompetensi BNSP, \d+ penilaian pemberi kerja\n$`,
			"export": `^Sertifikat kompetensi BNSP diekspor ke .+bnsp\.xlsx\n$`,
			"backup": `^cadangan ditulis ke .+copy\.db\n$`,
			"status": `(?s)^lembaga +BLK Al-Hikmah \(.+\nperubahan menunggu \d+\nperubahan ditolak +0\nkonflik +0\nsinkron terakhir +belum pernah \(bekerja offline`,
			"report": `^laporan kemandirian ditulis ke .+k\.pdf\n$`,
		}, "written"},
		{"en", map[string]string{
			"init":   `^centre "BLK Al-Hikmah" created \(id [0-9a-f-]+\) in .+\n$`,
			"demo":   `^demo data written in \S+: \d+ programmes, \d+ cohorts, 30 trainees, .*\d+ BNSP competency certificates, \d+ employer ratings\n$`,
			"export": `^BNSP competency certificates exported to .+bnsp\.xlsx\n$`,
			"backup": `^backup written to .+copy\.db\n$`,
			"status": `(?s)^centre +BLK Al-Hikmah \(.+\npending changes +\d+\nrejected changes +0\nconflicts +0\nlast sync +never \(works offline`,
			"report": `^kemandirian report written to .+k\.pdf\n$`,
		}, "ditulis"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			// given a new data folder
			dir := t.TempDir()
			runs := map[string][]string{
				"init":   {"init", "--centre-name", "BLK Al-Hikmah", "--region", "3201011001"},
				"demo":   {"demo", "--trainees", "30"},
				"export": {"export", "--what", "competency_certificates", "--out", filepath.Join(dir, "bnsp.xlsx")},
				"backup": {"backup", "--out", filepath.Join(dir, "copy.db")},
				"status": {"status"},
				"report": {"report", "kemandirian", "--out", filepath.Join(dir, "k.pdf")},
			}
			for _, name := range []string{"init", "demo", "export", "backup", "status", "report"} {
				// when each command runs with --lang
				args := append([]string{"--data", filepath.Join(dir, "data"), "--lang", tc.lang}, runs[name]...)
				code, out, errs := blk(t, args...)
				if code != 0 {
					t.Fatalf("%s: exit %d\n%s", name, code, errs)
				}
				// then its line is in that language
				if !regexp.MustCompile(tc.want[name]).MatchString(out) || strings.Contains(out, tc.not) {
					t.Errorf("%s printed\n%s\nwant %s", name, out, tc.want[name])
				}
			}
			// and --json keeps its keys whatever the language
			code, out, _ := blk(t, "--data", filepath.Join(dir, "data"), "--lang", tc.lang, "--json", "backup", "--out", filepath.Join(dir, "copy2.db"))
			var m map[string]any
			if err := json.Unmarshal([]byte(out), &m); err != nil || code != 0 || m["ok"] != true || m["file"] == nil {
				t.Errorf("backup --json: exit %d %q: %v", code, out, err)
			}
		})
	}
}
