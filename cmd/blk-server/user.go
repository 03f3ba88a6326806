package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/internal/cli"
)

// userAddCmd is `blk-server user add NAME`: a dashboard login whose
// password comes from stdin, so it never shows in the shell history or the
// process list. Adding an existing name sets a new password.
func userAddCmd(e *env) *cli.Command {
	return &cli.Command{
		Name:    "user add",
		Usage:   "NAME",
		Short:   cli.Text("cli.server.user_add.short"),
		MinArgs: 1, MaxArgs: 1,
		Run: func(ctx context.Context, args []string) error {
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			return runUserAdd(ctx, st, args, e.stdin, e.stdout, e.json)
		},
	}
}

// runUserAdd reads one line from stdin as the password of user args[0] and
// stores its bcrypt hash.
func runUserAdd(ctx context.Context, st central.Storage, args []string, stdin io.Reader, stdout io.Writer, asJSON bool) error {
	rep, ok := st.(central.Reporter)
	if !ok {
		return cli.Errorf(cli.Text("cli.server.user_add.err.no_users"))
	}
	if f, ok := stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			// A terminal shows what is typed; say so rather than pretend.
			fmt.Fprintf(stdout, "Password for %s (at least %d characters; it is shown as you type, prefer `read -s` and a pipe): ", args[0], central.MinPasswordLen)
		}
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password from stdin: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return cli.Errorf(cli.Text("cli.server.user_add.err.no_password"), args[0])
	}
	created, err := rep.AddUser(ctx, args[0], password)
	if err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(stdout).Encode(map[string]any{"ok": true, "user": args[0], "created": created})
	}
	what := "password changed"
	if created {
		what = "created"
	}
	_, err = fmt.Fprintf(stdout, "user %s %s; log in at /dashboard/\n", args[0], what)
	return err
}
