// Command blk is the BLK Komunitas desktop app. With no arguments it opens
// the window; its sub-commands make the same work scriptable (see README).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
	_ "github.com/kemnaker/blk/internal/localefix" // before Fyne reads the locale
	"github.com/kemnaker/blk/msg"
	"github.com/kemnaker/blk/store"
)

// commands are the sub-commands. Each lives in its own cmd_*.go file and
// adds its maker in init, so features can be added without touching main;
// a maker binds the command to one run's env.
var commands []func(*env) *cli.Command

func register(make func(*env) *cli.Command) { commands = append(commands, make) }

// env is what every command gets: where the data lives, how to print.
type env struct {
	dataDir string
	json    bool
	lang    domain.Lang
	stdout  io.Writer
	stderr  io.Writer
	stdin   io.Reader
}

// openStore opens the data folder's database. A damaged one is refused
// with the message that names the ways back (see damagedText).
func (e *env) openStore(ctx context.Context) (*store.Store, error) {
	s, err := store.Open(ctx, filepath.Join(e.dataDir, store.DefaultFile))
	if d, ok := store.IsDamaged(err); ok {
		return nil, &damagedError{d}
	}
	return s, err
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

// say is the line key of the catalogue (cli_out) in the operator's language.
func (e *env) say(key string, args ...any) string { return msg.T(e.lang, key, args...) }

func defaultDataDir() string {
	if d := os.Getenv("BLK_DATA"); d != "" {
		return d
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "blk-komunitas")
	}
	return "blk-data"
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if restartAfterExit != nil {
		// After run: the database and the log are closed.
		if err := restartAfterExit(); err != nil {
			fmt.Fprintln(os.Stderr, "blk:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// run reads the command line, runs the command and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, stdin: stdin, lang: cli.EnvLang(), dataDir: defaultDataDir()}
	p := &cli.Program{
		Name:    "blk",
		Usage:   cli.Text("cli.blk.usage"),
		Summary: cli.Text("cli.blk.summary"),
		Default: "gui",
		Global: func(fs *flag.FlagSet, lang domain.Lang) {
			fs.StringVar(&e.dataDir, "data", e.dataDir, cli.Text("cli.blk.flag.data").In(lang))
			fs.BoolVar(&e.json, "json", e.json, cli.Text("cli.blk.flag.json").In(lang))
		},
		Lang:   &e.lang,
		JSON:   &e.json,
		Stdout: stdout,
		Stderr: stderr,
	}
	for _, make := range commands {
		p.Commands = append(p.Commands, make(e))
	}
	return p.Run(ctx, args)
}
