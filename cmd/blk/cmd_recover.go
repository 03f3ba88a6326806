package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/msg"
	"github.com/kemnaker/blk/store"
	blksync "github.com/kemnaker/blk/sync"
)

func init() { register(recoverCommand) }

// damagedError carries a DamagedError to the command line's one-line
// message, in the operator's language.
type damagedError struct{ d *store.DamagedError }

func (e *damagedError) Error() string                     { return e.d.Error() }
func (e *damagedError) Unwrap() error                     { return e.d }
func (e *damagedError) Localized(lang domain.Lang) string { return damagedText(e.d, lang) }

// damagedText is the one message an operator gets, in the CLI and in the
// window, when the database cannot be used: what happened, that nothing was
// written, and the ways back that apply to this PC.
func damagedText(d *store.DamagedError, lang domain.Lang) string {
	var ways []string
	if len(d.Backups) > 0 {
		ways = append(ways, msg.T(lang, "cli.blk.damaged.way_newest", d.Backups[0].At.Local().Format("02-01-2006 15:04")))
	}
	if d.Enrolled {
		ways = append(ways, msg.T(lang, "cli.blk.damaged.way_server"))
	}
	ways = append(ways, msg.T(lang, "cli.blk.damaged.way_file"))
	return msg.T(lang, "cli.blk.damaged.text", msg.T(lang, "cli.blk.damaged."+d.Reason), strings.Join(ways, msg.T(lang, "cli.blk.damaged.or")))
}

func recoverCommand(e *env) *cli.Command {
	var backup string
	var fromServer bool
	return &cli.Command{
		Name:  "recover",
		Usage: "--backup newest|FILE | --from-server",
		Short: cli.Text("cli.blk.recover.short"),
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&backup, "backup", "", cli.Text("cli.blk.recover.flag.backup").In(l))
			fs.BoolVar(&fromServer, "from-server", false, cli.Text("cli.blk.recover.flag.from_server").In(l))
		},
		Run: func(ctx context.Context, _ []string) error { return runRecover(ctx, e, backup, fromServer) },
	}
}

func runRecover(ctx context.Context, e *env, backup string, fromServer bool) error {
	if (backup == "") == !fromServer {
		return cli.Errorf("cli.blk.recover.choose")
	}
	path := filepath.Join(e.dataDir, store.DefaultFile)
	switch {
	case backup == "newest":
		b, err := store.RestoreNewestBackup(ctx, path)
		if err != nil {
			return err
		}
		return e.print(map[string]any{"ok": true, "restored": b.Path}, e.say("cli.out.recover.newest", b.At.Local().Format("02-01-2006 15:04"), b.Path))
	case backup != "":
		if err := store.Restore(ctx, backup, path); err != nil {
			return err
		}
		return e.print(map[string]any{"ok": true, "restored": backup}, e.say("cli.out.recover.file", backup))
	}
	n, err := pullAgain(ctx, path, e.lang)
	if err != nil {
		return err
	}
	return e.print(map[string]any{"ok": true, "pulled": n}, e.say("cli.out.recover.server", n))
}

// downloadAgain is the window's "download again from the server".
func downloadAgain(ctx context.Context, path string, lang domain.Lang) error {
	_, err := pullAgain(ctx, path, lang)
	return err
}

// pullAgain rebuilds the database at path on the PC's kept identity and
// downloads the centre from the server in one sync round; it returns the
// number of changes pulled.
func pullAgain(ctx context.Context, path string, lang domain.Lang) (int, error) {
	if err := store.Rebuild(ctx, path); err != nil {
		return 0, err
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	res, err := blksync.NewClient(s, blksync.WithLang(lang)).Round(ctx)
	if err != nil {
		return 0, fmt.Errorf("the database was rebuilt but the download did not finish (%w); run blk sync when the link is back", syncError(err))
	}
	return res.Pulled, nil
}
