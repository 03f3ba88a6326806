package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/msg"
)

// testTexts are the test program's texts (Indonesian, English), added to
// the catalogue as a package's own would be.
var testTexts = map[string]struct{ id, en string }{
	"test.cli.usage":        {"[--db DSN] PERINTAH", "[--db DSN] COMMAND"},
	"test.cli.summary":      {"Server uji.", "A test server."},
	"test.cli.db_flag":      {"basis data", "database"},
	"test.cli.code_invalid": {"kode %d tidak berlaku", "code %d is not valid"},
	"test.cli.export":       {"ekspor", "export"},
	"test.cli.out_flag":     {"`file` tujuan", "`file` to write"},
	"test.cli.centre_add":   {"tambah lembaga", "add a centre"},
	"test.cli.centre_code":  {"kode baru", "a new code"},
	"test.cli.line_wrong":   {"baris %d salah", "line %d is wrong"},
}

func init() {
	id, en := map[string]string{}, map[string]string{}
	for k, t := range testTexts {
		id[k], en[k] = t.id, t.en
	}
	idJSON, _ := json.Marshal(id)
	enJSON, _ := json.Marshal(en)
	if err := msg.Register(fstest.MapFS{"t/id.json": {Data: idJSON}, "t/en.json": {Data: enJSON}}, "t"); err != nil {
		panic(err)
	}
}

func TestParseInterleavedTakesFlagsBeforeAndAfterArguments(t *testing.T) {
	tests := []struct {
		name string
		args []string
		pos  []string
		out  string
		json bool
	}{
		{"flags first", []string{"--json", "--out", "x.csv", "a", "b"}, []string{"a", "b"}, "x.csv", true},
		{"flags last", []string{"a", "b", "--out", "x.csv", "--json"}, []string{"a", "b"}, "x.csv", true},
		{"mixed, = form", []string{"a", "--out=x.csv", "b", "-json"}, []string{"a", "b"}, "x.csv", true},
		{"a bool flag does not take the next argument", []string{"--json", "a"}, []string{"a"}, "", true},
		{"a value that starts with a dash", []string{"--out", "-x", "a"}, []string{"a"}, "-x", false},
		{"after -- everything is an argument", []string{"a", "--", "--json", "-"}, []string{"a", "--json", "-"}, "", false},
		{"a lone dash is an argument", []string{"-", "--json"}, []string{"-"}, "", true},
		{"nothing", nil, nil, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			out := fs.String("out", "", "")
			js := fs.Bool("json", false, "")
			pos, err := cli.ParseInterleaved(fs, tc.args)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(pos, tc.pos) || *out != tc.out || *js != tc.json {
				t.Fatalf("args %q, --out %q, --json %v; want %q, %q, %v", pos, *out, *js, tc.pos, tc.out, tc.json)
			}
		})
	}
}

// program is a small command line like the binaries': a global --db and
// --json, one command with an argument, and a group of two.
type program struct {
	db, out string
	json    bool
	lang    domain.Lang
	ran     []string
	stdout  bytes.Buffer
	stderr  bytes.Buffer
}

func (pr *program) run(args ...string) int {
	pr.stdout.Reset()
	pr.stderr.Reset()
	pr.ran = nil
	p := &cli.Program{
		Name:    "srv",
		Usage:   cli.Text("test.cli.usage"),
		Summary: cli.Text("test.cli.summary"),
		Global: func(fs *flag.FlagSet, lang domain.Lang) {
			fs.StringVar(&pr.db, "db", pr.db, cli.Text("test.cli.db_flag").In(lang))
			fs.BoolVar(&pr.json, "json", pr.json, "JSON")
		},
		Lang: &pr.lang, JSON: &pr.json, Stdout: &pr.stdout, Stderr: &pr.stderr,
	}
	record := func(name string) func(context.Context, []string) error {
		return func(_ context.Context, args []string) error {
			pr.ran = append([]string{name}, args...)
			if len(args) > 0 && args[0] == "fail" {
				return fmt.Errorf("centre %s: %w", args[0], cli.Errorf(cli.Text("test.cli.code_invalid"), 7))
			}
			return nil
		}
	}
	p.Commands = []*cli.Command{
		{Name: "export", Usage: "--out FILE", Short: cli.Text("test.cli.export"), Run: record("export"),
			Flags: func(fs *flag.FlagSet, lang domain.Lang) {
				fs.StringVar(&pr.out, "out", "", cli.Text("test.cli.out_flag").In(lang))
			}},
		{Name: "centre add", Short: cli.Text("test.cli.centre_add"), Run: record("centre add")},
		{Name: "centre code", Usage: "ID", Short: cli.Text("test.cli.centre_code"), MinArgs: 1, MaxArgs: 1, Run: record("centre code")},
	}
	pr.lang = domain.Indonesian
	return p.Run(context.Background(), args)
}

func TestProgramFindsCommandsAndTheirFlagsWhereverTheyAre(t *testing.T) {
	pr := &program{db: "default.db"}
	// a two-word command with its argument first and global flags after it
	if code := pr.run("centre", "code", "C1", "--db", "x.db", "--json"); code != 0 {
		t.Fatalf("exit %d: %s", code, pr.stderr.String())
	}
	if !reflect.DeepEqual(pr.ran, []string{"centre code", "C1"}) || pr.db != "x.db" || !pr.json {
		t.Fatalf("ran %q with --db %q --json %v", pr.ran, pr.db, pr.json)
	}
	// a global flag before the command name stays set
	pr = &program{db: "default.db"}
	if code := pr.run("--db", "y.db", "export", "--out", "f.csv"); code != 0 || pr.db != "y.db" || pr.out != "f.csv" {
		t.Fatalf("exit %d, --db %q, --out %q", code, pr.db, pr.out)
	}
}

func TestProgramSaysWhatIsWrongInOneLineInTheUsersLanguage(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"frobnicate"}, 2, `srv: perintah "frobnicate" tidak dikenal; jalankan ` + "`srv help`"},
		{[]string{"--lang", "en", "frobnicate"}, 2, `srv: unknown command "frobnicate"; run ` + "`srv help`"},
		{[]string{"centre"}, 2, "`srv centre` perlu salah satu dari: add, code"},
		{[]string{"centre", "code"}, 2, "srv centre code: argumen kurang; penggunaan: srv centre code ID"},
		{[]string{"centre", "code", "C1", "C2", "--lang", "en"}, 2, `unexpected argument "C2"; usage: srv centre code ID`},
		{[]string{"export", "--colour"}, 2, "srv export: flag --colour tidak dikenal; lihat `srv export --help`"},
		{[]string{"export", "--out"}, 2, "flag --out perlu nilai"},
		{[]string{"--lang=en", "export", "--json=maybe"}, 2, `invalid value "maybe" for --json`},
		{[]string{"centre", "code", "fail"}, 1, "srv centre code: centre fail: kode 7 tidak berlaku"},
		{[]string{"centre", "code", "fail", "--lang", "en"}, 1, "srv centre code: centre fail: code 7 is not valid"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			pr := &program{}
			code := pr.run(tc.args...)
			errs := pr.stderr.String()
			if code != tc.code || !strings.Contains(errs, tc.stderr) || strings.Count(errs, "\n") != 1 {
				t.Fatalf("exit %d, stderr %q; want exit %d and one line with %q", code, errs, tc.code, tc.stderr)
			}
		})
	}
}

func TestAFailureWithJSONPrintsOneJSONObjectToo(t *testing.T) {
	pr := &program{}
	if code := pr.run("centre", "code", "fail", "--json", "--lang", "en"); code != 1 {
		t.Fatalf("exit %d", code)
	}
	var got map[string]any
	if err := json.Unmarshal(pr.stdout.Bytes(), &got); err != nil || got["ok"] != false || got["error"] != "centre fail: code 7 is not valid" {
		t.Fatalf("stdout %q (%v)", pr.stdout.String(), err)
	}
}

func TestHelpListsCommandsAndFlagsInTheChosenLanguage(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"help"}, []string{"penggunaan: srv [--db DSN] PERINTAH", "Server uji.", "Perintah:", "centre add", "tambah lembaga", "srv centre code ID", "--db VALUE", "--lang id|en"}},
		{[]string{"--help", "--lang", "en"}, []string{"usage: srv [--db DSN] COMMAND", "Commands:", "add a centre"}},
		{[]string{"export", "-h"}, []string{"penggunaan: srv export --out FILE", "Flag:", "--out FILE", "file tujuan"}},
		{[]string{"export", "--help", "--lang", "en"}, []string{"usage: srv export --out FILE", "Flags:", "--out FILE", "file to write"}},
		{[]string{"help", "centre", "code"}, []string{"penggunaan: srv centre code ID", "kode baru"}},
		{nil, []string{"Perintah:"}},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			pr := &program{}
			if code := pr.run(tc.args...); code != 0 || pr.ran != nil {
				t.Fatalf("exit %d, ran %q", code, pr.ran)
			}
			for _, w := range tc.want {
				if !strings.Contains(pr.stdout.String(), w) {
					t.Fatalf("help has no %q:\n%s", w, pr.stdout.String())
				}
			}
		})
	}
}

func TestMessagePrefersTheUsersLanguageAndKeepsOneLine(t *testing.T) {
	localized := cli.Errorf(cli.Text("test.cli.line_wrong"), 3)
	tests := []struct {
		err  error
		lang domain.Lang
		want string
	}{
		{localized, domain.Indonesian, "baris 3 salah"},
		{localized, domain.English, "line 3 is wrong"},
		{fmt.Errorf("katalog.csv: %w", localized), domain.Indonesian, "katalog.csv: baris 3 salah"},
		{errors.New("two\nlines"), domain.Indonesian, "two lines"},
	}
	for _, tc := range tests {
		if got := cli.Message(tc.err, tc.lang); got != tc.want {
			t.Errorf("Message(%q, %s) = %q, want %q", tc.err, tc.lang, got, tc.want)
		}
	}
}
