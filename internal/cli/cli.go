// Package cli is how both binaries read their command lines: sub-commands
// (one or two words: `import`, `centre add`), the standard library's flag
// package for flags, given before or after the command's positional
// arguments (`blk import FILE --json`), and help and usage errors in
// Indonesian (the default) or English (`--lang en`), from the message
// catalogue (package msg). Each binary declares a Program; nothing here
// knows a command.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/msg"
)

// Text is a command-line text (help, usage, an error): a key of the
// message catalogue, in msg/id/cli.json and msg/en/cli.json.
type Text string

// In is the text in lang.
func (t Text) In(lang domain.Lang) string {
	if t == "" {
		return ""
	}
	return msg.T(lang, string(t))
}

// Error is a command-line error: a catalogue text and what fills its verbs.
type Error struct {
	Text Text
	Args []any
}

func (e *Error) Error() string { return msg.T(msg.English, string(e.Text), e.Args...) }

// Localized is the message in lang.
func (e *Error) Localized(lang domain.Lang) string { return msg.T(lang, string(e.Text), e.Args...) }

// Errorf is the error of text t, its verbs filled with args.
func Errorf(t Text, args ...any) error { return &Error{Text: t, Args: args} }

// Message is err as the one-line reason a failing command prints: in lang
// when err (or an error it wraps) can say it in lang, else as it is.
func Message(err error, lang domain.Lang) string {
	var l interface{ Localized(domain.Lang) string }
	text := err.Error()
	if errors.As(err, &l) {
		if m := l.Localized(lang); m != "" {
			text = m
			// An error wrapped with context ("file.csv: …") keeps it.
			if e, ok := l.(error); ok && e.Error() != err.Error() {
				if prefix, ok := strings.CutSuffix(err.Error(), e.Error()); ok {
					text = prefix + m
				}
			}
		}
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(text, "\n", " ")), " ")
}

// EnvLang is the language from BLK_LANG, then the locale variables;
// Indonesian when none says English.
func EnvLang() domain.Lang {
	for _, k := range []string{"BLK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			return domain.ParseLang(v)
		}
	}
	return domain.Indonesian
}

// Command is one sub-command.
type Command struct {
	Name  string // as typed: "import", "centre add"
	Usage string // what follows the name, e.g. "FILE (.xlsx|.csv) [--json]"
	Short Text   // what it does, one line
	// MinArgs and MaxArgs bound its positional arguments (MaxArgs -1: any).
	MinArgs, MaxArgs int
	// Flags declares the command's own flags, their help in lang.
	Flags func(fs *flag.FlagSet, lang domain.Lang)
	// Run does the work with the positional arguments.
	Run func(ctx context.Context, args []string) error
	// Hidden leaves it out of the command list (the default command).
	Hidden bool
}

// Program is one binary's command line.
type Program struct {
	Name     string // "blk"
	Usage    Text   // the usage line after the name, e.g. "[--data DIR] [PERINTAH]"
	Summary  Text   // a line or two under the usage line
	Commands []*Command
	// Default runs when no command is given; "" prints the help.
	Default string
	// Global declares the flags every command takes, before or after its
	// name. It is called more than once: declare each flag with the
	// variable's current value as its default, so a value given before
	// the command name stays.
	Global func(fs *flag.FlagSet, lang domain.Lang)
	// Lang is the messages' language; --lang sets it. JSON, when set, is
	// the --json flag: a failing command then prints {"ok":false,"error"}
	// on Stdout too.
	Lang   *domain.Lang
	JSON   *bool
	Stdout io.Writer
	Stderr io.Writer
}

var (
	msgUsage        = Text("cli.usage")
	msgCommands     = Text("cli.commands")
	msgFlags        = Text("cli.flags")
	msgMoreHelp     = Text("cli.more_help")
	msgDefault      = Text("cli.default")
	msgLangFlag     = Text("cli.lang_flag")
	msgUnknown      = Text("cli.unknown")
	msgNeedsOne     = Text("cli.needs_one")
	msgUnexpected   = Text("cli.unexpected")
	msgMissing      = Text("cli.missing")
	msgFlagUnknown  = Text("cli.flag_unknown")
	msgFlagNoValue  = Text("cli.flag_no_value")
	msgFlagBadValue = Text("cli.flag_bad_value")
	msgFlagSyntax   = Text("cli.flag_syntax")
)

// Run reads args (without the program name), runs the command and returns
// the exit code: 0 done, 1 the command failed, 2 the command line was wrong.
func (p *Program) Run(ctx context.Context, args []string) int {
	// Flags before the command name: global ones and --lang.
	var help bool
	global := p.flagSet(p.Name, &help)
	if err := global.Parse(args); err != nil {
		return p.usageError("", flagError(err, p.Name))
	}
	rest := global.Args()
	if help {
		p.help(p.Stdout)
		return 0
	}
	if len(rest) > 0 && rest[0] == "help" {
		if c := p.find(rest[1:]); c != nil {
			p.commandHelp(p.Stdout, c, p.commandFlags(c, nil))
		} else {
			p.help(p.Stdout)
		}
		return 0
	}
	c := p.find(rest)
	switch {
	case c != nil:
		rest = rest[len(strings.Fields(c.Name)):]
	case len(rest) == 0 && p.Default != "":
		c = p.command(p.Default)
	case len(rest) == 0:
		p.help(p.Stdout)
		return 0
	default:
		if subs := p.group(rest[0]); len(subs) > 0 {
			return p.usageError("", Errorf(msgNeedsOne, p.Name+" "+rest[0], strings.Join(subs, ", ")))
		}
		return p.usageError("", Errorf(msgUnknown, rest[0], p.Name))
	}
	fs := p.commandFlags(c, &help)
	args, err := ParseInterleaved(fs, rest)
	if err != nil {
		return p.usageError(c.Name, flagError(err, p.Name+" "+c.Name))
	}
	if help {
		// After the whole line, so --lang after -h counts.
		p.commandHelp(p.Stdout, c, p.commandFlags(c, nil))
		return 0
	}
	line := p.Name + " " + c.Name + " " + c.Usage
	if len(args) < c.MinArgs {
		return p.usageError(c.Name, Errorf(msgMissing, line))
	}
	if c.MaxArgs >= 0 && len(args) > c.MaxArgs {
		return p.usageError(c.Name, Errorf(msgUnexpected, args[c.MaxArgs], line))
	}
	if err := c.Run(ctx, args); err != nil {
		p.fail(c.Name, err)
		return 1
	}
	return 0
}

// ParseInterleaved parses flags anywhere among the positional arguments,
// which it returns in order: the flag package stops at the first
// positional argument, so parsing resumes after each one. Everything after
// "--" is positional.
func ParseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		used := len(args) - fs.NArg()
		rest := fs.Args()
		if used > 0 && args[used-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// flagSet is a flag set that reports nothing itself, with the global
// flags and --lang; -h and --help set help when it is not nil.
func (p *Program) flagSet(name string, help *bool) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if help != nil {
		fs.BoolVar(help, "h", *help, "")
		fs.BoolVar(help, "help", *help, "")
	}
	lang := p.lang()
	if p.Global != nil {
		p.Global(fs, lang)
	}
	if p.Lang != nil {
		fs.Var(langValue{p.Lang}, "lang", msgLangFlag.In(lang))
	}
	return fs
}

func (p *Program) commandFlags(c *Command, help *bool) *flag.FlagSet {
	fs := p.flagSet(p.Name+" "+c.Name, help)
	if c.Flags != nil {
		c.Flags(fs, p.lang())
	}
	return fs
}

func (p *Program) lang() domain.Lang {
	if p.Lang == nil {
		return domain.Indonesian
	}
	return *p.Lang
}

// find is the command args start with: two words before one.
func (p *Program) find(args []string) *Command {
	if len(args) >= 2 {
		if c := p.command(args[0] + " " + args[1]); c != nil {
			return c
		}
	}
	if len(args) >= 1 {
		return p.command(args[0])
	}
	return nil
}

func (p *Program) command(name string) *Command {
	for _, c := range p.Commands {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// group lists the second words of the commands whose first word is word.
func (p *Program) group(word string) []string {
	var out []string
	for _, c := range p.Commands {
		if first, second, ok := strings.Cut(c.Name, " "); ok && first == word {
			out = append(out, second)
		}
	}
	return out
}

// usageError reports a wrong command line and returns its exit code.
func (p *Program) usageError(command string, err error) int {
	p.fail(command, err)
	return 2
}

// fail prints the one-line reason: on Stderr, and as JSON with --json.
func (p *Program) fail(command string, err error) {
	msg := Message(err, p.lang())
	if p.JSON != nil && *p.JSON {
		_ = json.NewEncoder(p.Stdout).Encode(map[string]any{"ok": false, "error": msg})
	}
	who := p.Name
	if command != "" {
		who += " " + command
	}
	fmt.Fprintf(p.Stderr, "%s: %s\n", who, msg)
}

// help prints the program's usage and commands.
func (p *Program) help(w io.Writer) {
	lang := p.lang()
	fmt.Fprintf(w, "%s: %s %s\n", msgUsage.In(lang), p.Name, p.Usage.In(lang))
	if s := p.Summary.In(lang); s != "" {
		fmt.Fprintf(w, "\n%s\n", s)
	}
	fmt.Fprintf(w, "\n%s\n", msgCommands.In(lang))
	width := 0
	for _, c := range p.Commands {
		if !c.Hidden {
			width = max(width, len(c.Name))
		}
	}
	cmds := slices.Clone(p.Commands)
	slices.SortStableFunc(cmds, func(a, b *Command) int { return strings.Compare(a.Name, b.Name) })
	for _, c := range cmds {
		if c.Hidden {
			continue
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.Name, c.Short.In(lang))
		if c.Usage != "" {
			fmt.Fprintf(w, "  %-*s    %s %s %s\n", width, "", p.Name, c.Name, c.Usage)
		}
	}
	fmt.Fprintf(w, "\n%s\n", fmt.Sprintf(msgMoreHelp.In(lang), p.Name))
	p.flagHelp(w, p.flagSet(p.Name, nil))
}

// commandHelp prints one command's usage and flags.
func (p *Program) commandHelp(w io.Writer, c *Command, fs *flag.FlagSet) {
	lang := p.lang()
	fmt.Fprintf(w, "%s: %s %s %s\n\n%s\n", msgUsage.In(lang), p.Name, c.Name, c.Usage, c.Short.In(lang))
	p.flagHelp(w, fs)
}

// flagHelp lists flags the way they are typed: --name VALUE.
func (p *Program) flagHelp(w io.Writer, fs *flag.FlagSet) {
	lang := p.lang()
	var lines [][2]string
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name == "h" || f.Name == "help" {
			return
		}
		placeholder, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if !isBool(f) {
			if !strings.Contains(f.Usage, "`") {
				placeholder = "value"
			}
			if strings.Trim(placeholder, "abcdefghijklmnopqrstuvwxyz") == "" {
				placeholder = strings.ToUpper(placeholder) // `file` → FILE; `id|en` stays
			}
			name += " " + placeholder
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			usage += " " + fmt.Sprintf(msgDefault.In(lang), f.DefValue)
		}
		lines = append(lines, [2]string{name, usage})
	})
	if len(lines) == 0 {
		return
	}
	width := 0
	for _, l := range lines {
		width = max(width, len(l[0]))
	}
	fmt.Fprintf(w, "\n%s\n", msgFlags.In(lang))
	for _, l := range lines {
		fmt.Fprintf(w, "  %-*s  %s\n", width, l[0], l[1])
	}
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// langValue is the --lang flag: id or en, anything else Indonesian.
type langValue struct{ l *domain.Lang }

func (v langValue) String() string {
	if v.l == nil {
		return ""
	}
	return string(*v.l)
}

func (v langValue) Set(s string) error {
	*v.l = domain.ParseLang(s)
	return nil
}

// The flag package's own error texts, recognised to say them in the
// user's language.
var (
	reUndefined = regexp.MustCompile(`^flag provided but not defined: -+(.+)$`)
	reNoValue   = regexp.MustCompile(`^flag needs an argument: -+(.+)$`)
	reBadValue  = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-+([^:]+):`)
	reSyntax    = regexp.MustCompile(`^bad flag syntax: (.+)$`)
)

// flagError words a flag.Parse error in both languages; where is what
// `--help` to point to.
func flagError(err error, where string) error {
	msg := err.Error()
	if m := reUndefined.FindStringSubmatch(msg); m != nil {
		return Errorf(msgFlagUnknown, m[1], where)
	}
	if m := reNoValue.FindStringSubmatch(msg); m != nil {
		return Errorf(msgFlagNoValue, m[1], where)
	}
	if m := reBadValue.FindStringSubmatch(msg); m != nil {
		return Errorf(msgFlagBadValue, m[1], m[2], where)
	}
	if m := reSyntax.FindStringSubmatch(msg); m != nil {
		return Errorf(msgFlagSyntax, m[1])
	}
	return err
}
