// Command blk is the BLK Komunitas desktop app. With no arguments it opens
// the window; its sub-commands make the same work scriptable (see README).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kemnaker/blk/domain"
	_ "github.com/kemnaker/blk/internal/localefix" // before Fyne reads the locale
	"github.com/kemnaker/blk/store"
)

// command is one sub-command. Each lives in its own cmd_*.go file and
// registers itself in init, so features can be added without touching main.
type command struct {
	usage string // one line: arguments and what it does
	run   func(ctx context.Context, env *env, args []string) error
}

var commands = map[string]command{}

func register(name string, c command) { commands[name] = c }

// env is what every command gets: where the data lives, how to print.
type env struct {
	dataDir string
	json    bool
	lang    domain.Lang
	stdout  io.Writer
	stderr  io.Writer
	stdin   io.Reader
}

// openStore opens the data folder's database.
func (e *env) openStore(ctx context.Context) (*store.Store, error) {
	return store.Open(ctx, filepath.Join(e.dataDir, store.DefaultFile))
}

// print writes v as one JSON object with --json, or text otherwise.
func (e *env) print(v any, text string) error {
	if e.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	_, err := fmt.Fprintln(e.stdout, text)
	return err
}

// userError renders err as the one-line reason the contract asks for, in the
// user's language when it is a validation error.
func (e *env) userError(err error) string {
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		return ve.Localized(e.lang)
	}
	if d, ok := store.IsDamaged(err); ok {
		return damagedText(d, e.lang)
	}
	return strings.ReplaceAll(err.Error(), "\n", " ")
}

func defaultDataDir() string {
	if d := os.Getenv("BLK_DATA"); d != "" {
		return d
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "blk-komunitas")
	}
	return "blk-data"
}

func defaultLang() domain.Lang {
	for _, k := range []string{"BLK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			return domain.ParseLang(v)
		}
	}
	return domain.Indonesian
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run parses global flags, picks the command and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, stdin: stdin, lang: defaultLang()}
	global := flag.NewFlagSet("blk", flag.ContinueOnError)
	global.SetOutput(stderr)
	global.StringVar(&e.dataDir, "data", defaultDataDir(), "data folder (or BLK_DATA)")
	lang := global.String("lang", string(e.lang), "language of messages: id or en")
	global.Usage = func() { usage(stderr) }
	if err := global.Parse(args); err != nil {
		return 2
	}
	e.lang = domain.ParseLang(*lang)
	rest := global.Args()
	name := "gui"
	if len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	if name == "help" || name == "-h" {
		usage(stdout)
		return 0
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "blk: unknown command %q; run `blk help` for the list\n", name)
		return 2
	}
	// Sub-commands accept --data/--json anywhere after their name too.
	rest, e.json = pluckBool(rest, "json")
	rest, e.dataDir = pluckString(rest, "data", e.dataDir)
	if err := c.run(ctx, e, rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if e.json {
			_ = json.NewEncoder(stdout).Encode(map[string]any{"ok": false, "error": e.userError(err)})
		}
		fmt.Fprintf(stderr, "blk %s: %s\n", name, e.userError(err))
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: blk [--data DIR] [--lang id|en] [command] [flags]")
	fmt.Fprintln(w, "\nWith no command, blk opens the desktop app. Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		if n != "gui" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].usage)
	}
}

// pluckBool removes --name / -name from args and reports whether it was there.
func pluckBool(args []string, name string) ([]string, bool) {
	out := args[:0:0]
	found := false
	for _, a := range args {
		if a == "--"+name || a == "-"+name || a == "--"+name+"=true" {
			found = true
			continue
		}
		out = append(out, a)
	}
	return out, found
}

// pluckString removes --name V / --name=V from args and returns V (or def).
func pluckString(args []string, name, def string) ([]string, string) {
	out := args[:0:0]
	v := def
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case (a == "--"+name || a == "-"+name) && i+1 < len(args):
			v = args[i+1]
			i++
		case strings.HasPrefix(a, "--"+name+"="):
			v = strings.TrimPrefix(a, "--"+name+"=")
		default:
			out = append(out, a)
		}
	}
	return out, v
}

// newFlags makes a sub-command flag set that reports errors as a one-liner.
func newFlags(name string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet("blk "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// noExtraArgs refuses positional arguments a command does not take.
func noExtraArgs(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}
