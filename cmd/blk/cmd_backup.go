package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/store"
)

func init() {
	register(backupCommand)
	register(restoreCommand)
}

func backupCommand(e *env) *cli.Command {
	var out string
	return &cli.Command{
		Name:  "backup",
		Usage: "--out FILE",
		Short: cli.Text("cli.blk.backup.short"),
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&out, "out", "", cli.Text("cli.blk.backup.flag.out").In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
			if out == "" {
				return cli.Errorf(cli.Text("cli.blk.backup.err.out_required"))
			}
			s, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.Backup(ctx, out); err != nil {
				return err
			}
			return e.print(map[string]any{"ok": true, "file": out}, e.say("cli.out.backup.written", out))
		},
	}
}

func restoreCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:    "restore",
		Usage:   "FILE",
		Short:   cli.Text("cli.blk.restore.short"),
		MinArgs: 1, MaxArgs: 1,
		Run: func(ctx context.Context, args []string) error {
			src := args[0]
			dst := filepath.Join(e.dataDir, store.DefaultFile)
			if err := store.Restore(ctx, src, dst); err != nil {
				return err
			}
			// Opening once migrates an older backup and proves the result works.
			s, err := store.Open(ctx, dst)
			if err != nil {
				return fmt.Errorf("restored file does not open: %w", err)
			}
			s.Close()
			return e.print(map[string]any{"ok": true, "file": dst},
				e.say("cli.out.restore.done", src, e.dataDir, store.DefaultFile))
		},
	}
}
