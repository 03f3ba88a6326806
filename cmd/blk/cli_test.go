package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/store"
)

// blk runs the command line in-process and returns exit code and output.
func blk(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func status(t *testing.T, dir string) map[string]any {
	t.Helper()
	code, out, errs := blk(t, "--data", dir, "status", "--json")
	if code != 0 {
		t.Fatalf("status: %d %s", code, errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("status output %q: %v", out, err)
	}
	delete(m, "device_id") // a restored copy is the same data on another install
	return m
}

func TestInitDemoStatusBackupRestore(t *testing.T) {
	dir := t.TempDir()
	// given a centre with demo data
	if code, _, errs := blk(t, "--data", dir, "init", "--centre-name", "BLK Komunitas Al-Hikmah", "--region", "3201011001"); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	if code, _, errs := blk(t, "--data", dir, "demo", "--trainees", "64", "--seed", "3"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	before := status(t, dir)
	counts := before["counts"].(map[string]any)
	if counts["trainees"].(float64) != 64 || counts["cohorts"].(float64) != 4 || before["pending_changes"].(float64) == 0 {
		t.Fatalf("status after demo: %v", before)
	}
	// when it is backed up and restored into a new data folder
	bak := filepath.Join(t.TempDir(), "copy.db")
	if code, _, errs := blk(t, "--data", dir, "backup", "--out", bak); code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	other := t.TempDir()
	if code, _, errs := blk(t, "--data", other, "restore", bak); code != 0 {
		t.Fatalf("restore: %s", errs)
	}
	// then the status is the same
	after := status(t, other)
	bj, _ := json.Marshal(before)
	aj, _ := json.Marshal(after)
	if string(bj) != string(aj) {
		t.Fatalf("status differs after restore:\n%s\n%s", bj, aj)
	}
}

func TestBadInputFailsClearlyAndChangesNothing(t *testing.T) {
	t.Setenv("BLK_LANG", "id") // the default language, whatever the machine's locale
	dir := t.TempDir()
	if code, _, errs := blk(t, "--data", dir, "init", "--centre-name", "BLK Komunitas Al-Hikmah", "--region", "3201011001"); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	before := status(t, dir)
	notABackup := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notABackup, []byte("hello"), 0o644)
	tests := []struct {
		name string
		args []string
		want string // part of the one-line reason
	}{
		{"init twice", []string{"init", "--centre-name", "X", "--region", "3201011001"}, "already has a centre"},
		{"init without region", []string{"init", "--centre-name", "X"}, "--region"},
		{"demo with negative count", []string{"demo", "--trainees", "-5"}, "--trainees"},
		{"backup without --out", []string{"backup"}, "--out"},
		{"restore of a file that is not a backup", []string{"restore", notABackup}, "not a BLK Komunitas backup"},
		{"restore of a missing file", []string{"restore", "/nonexistent/x.db"}, "no such file"},
		{"unknown command", []string{"frobnicate"}, `perintah "frobnicate" tidak dikenal`},
		{"unexpected argument", []string{"status", "extra"}, `argumen "extra" tidak diharapkan`},
		{"unknown flag", []string{"status", "--colour"}, "flag --colour tidak dikenal"},
		{"a report without its kind", []string{"report", "--out", "x.pdf"}, "cohort, certificates, annual"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := blk(t, append([]string{"--data", dir}, tc.args...)...)
			if code == 0 {
				t.Fatal("exit code 0")
			}
			if lines := strings.Count(strings.TrimSpace(errs), "\n"); lines != 0 || !strings.Contains(errs, tc.want) {
				t.Fatalf("stderr %q, want one line containing %q", errs, tc.want)
			}
			after := status(t, dir)
			bj, _ := json.Marshal(before)
			aj, _ := json.Marshal(after)
			if string(bj) != string(aj) {
				t.Fatalf("database changed:\n%s\n%s", bj, aj)
			}
		})
	}
}

func TestInitRefusesAnUnknownRegionInTheChosenLanguage(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"en", "region code 99 is not known"},
		{"id", "kode wilayah 99 tidak dikenal"},
	} {
		dir := t.TempDir()
		code, _, errs := blk(t, "--data", dir, "--lang", tc.lang, "init", "--centre-name", "X", "--region", "99")
		if code == 0 || !strings.Contains(errs, tc.want) {
			t.Fatalf("%s: exit %d, stderr %q", tc.lang, code, errs)
		}
		if st := status(t, dir); st["centre_id"] != "" {
			t.Fatalf("%s: a centre was saved: %v", tc.lang, st)
		}
	}
}

func TestStatusWarnsWhenThePCClockIsOff(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := blk(t, "--data", dir, "init", "--centre-name", "BLK Komunitas Al-Hikmah", "--region", "3201011001"); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	// given a last sync that found the server 3 days ahead of this PC
	s, err := store.Open(context.Background(), filepath.Join(dir, store.DefaultFile))
	if err != nil {
		t.Fatal(err)
	}
	s.SetClockOffset(context.Background(), 72*time.Hour)
	s.Close()
	// then status says so, in JSON and in text
	st := status(t, dir)
	if st["clock_warning"] != true || st["clock_skew_ms"].(float64) != float64(72*time.Hour/time.Millisecond) {
		t.Fatalf("status: %v", st)
	}
	_, out, _ := blk(t, "--data", dir, "--lang", "en", "status")
	if !strings.Contains(out, "clock warning") {
		t.Fatalf("text status has no clock warning:\n%s", out)
	}
}

func TestTheCommandLineSpeaksBothLanguages(t *testing.T) {
	t.Setenv("BLK_LANG", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "C.UTF-8") // Indonesian, as on a PC whose locale says nothing
	dir := t.TempDir()
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // part of it
		stderr string
	}{
		{"help", []string{"help"}, 0, "Perintah:", ""},
		{"help in English", []string{"--lang", "en", "--help"}, 0, "Commands:", ""},
		{"a command's help", []string{"import", "--help"}, 0, "--preview", ""},
		{"a command's help in English, --lang after it", []string{"import", "-h", "--lang", "en"}, 0, "check every row", ""},
		{"unknown command in English", []string{"--lang", "en", "frobnicate"}, 2, "", "unknown command"},
		{"unexpected argument in English", []string{"status", "extra", "--lang=en"}, 2, "", `unexpected argument "extra"`},
		{"a missing file", []string{"import"}, 2, "", "argumen kurang"},
		{"a validation error in English", []string{"--lang", "en", "init", "--centre-name", "X", "--region", "99"}, 1, "", "region code 99 is not known"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := blk(t, append([]string{"--data", dir}, tc.args...)...)
			if code != tc.code || !strings.Contains(out, tc.stdout) || !strings.Contains(errs, tc.stderr) {
				t.Fatalf("exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", code, tc.code, out, tc.stdout, errs, tc.stderr)
			}
		})
	}
}

func TestFlagsMayFollowTheFileToImport(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := blk(t, "--data", dir, "init", "--centre-name", "BLK Komunitas Al-Hikmah", "--region", "3201011001"); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	file := filepath.Join(t.TempDir(), "peserta.csv")
	if err := os.WriteFile(file, []byte("NIK,Nama,L/P,Tanggal lahir\n3201015708010001,Siti Aminah,P,17/08/2001\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// `blk import FILE --json` as DESIGN.md writes it, --data after the file too
	code, out, errs := blk(t, "import", file, "--json", "--data", dir)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	var rep struct {
		Imported int `json:"imported"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Imported != 1 {
		t.Fatalf("import --json printed %q (%v)", out, err)
	}
	if st := status(t, dir); st["counts"].(map[string]any)["trainees"].(float64) != 1 {
		t.Fatalf("status after import: %v", st)
	}
}

func TestADamagedDatabaseIsRefusedWithTheWaysBack(t *testing.T) {
	dir := t.TempDir()
	// given a centre with data and its automatic backup of today
	if code, _, errs := blk(t, "--data", dir, "init", "--centre-name", "BLK Komunitas Al-Hikmah", "--region", "3201011001"); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	if code, _, errs := blk(t, "--data", dir, "demo", "--trainees", "200", "--seed", "3"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	before := status(t, dir)
	s, err := store.Open(context.Background(), filepath.Join(dir, store.DefaultFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DailyBackup(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// when the database file is cut short (a crash, a full disk)
	db := filepath.Join(dir, store.DefaultFile)
	info, _ := os.Stat(db)
	if err := os.Truncate(db, info.Size()/3); err != nil {
		t.Fatal(err)
	}
	damaged, _ := os.ReadFile(db)
	// then every command refuses it with one line naming the ways back, in
	// the operator's language, and writes nothing
	for _, args := range [][]string{{"status"}, {"sync"}, {"demo", "--trainees", "5"}} {
		code, _, errs := blk(t, append([]string{"--data", dir}, args...)...)
		if code == 0 || !strings.Contains(errs, "blk recover --backup newest") || !strings.Contains(errs, "Tidak ada yang diubah") || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Fatalf("%v on a damaged database: %d %q", args, code, errs)
		}
	}
	if now, _ := os.ReadFile(db); !bytes.Equal(now, damaged) {
		t.Fatal("a command wrote into the damaged database")
	}
	// and the newest backup brings the centre back
	if code, _, errs := blk(t, "--data", dir, "recover", "--backup", "newest"); code != 0 {
		t.Fatalf("recover: %s", errs)
	}
	after := status(t, dir)
	bj, _ := json.Marshal(before["counts"])
	aj, _ := json.Marshal(after["counts"])
	if string(bj) != string(aj) {
		t.Fatalf("counts after recovery %s, before %s", aj, bj)
	}
	if kept, _ := filepath.Glob(db + ".damaged-*Z"); len(kept) != 1 {
		t.Fatalf("damaged file kept as %v", kept)
	}
}
