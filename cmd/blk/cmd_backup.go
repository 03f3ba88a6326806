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
		Short: cli.Text{"salinan utuh basis data lokal", "consistent copy of the local database"},
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&out, "out", "", cli.Text{"`file` tujuan cadangan (belum boleh ada)", "`file` to write the backup to (must not exist)"}.In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
			if out == "" {
				return cli.Errorf(cli.Text{"--out FILE wajib diisi, misalnya blk backup --out blk-2026-11-27.db", "--out FILE is required, e.g. blk backup --out blk-2026-11-27.db"})
			}
			s, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			if err := s.Backup(ctx, out); err != nil {
				return err
			}
			return e.print(map[string]any{"ok": true, "file": out}, fmt.Sprintf("backup written to %s", out))
		},
	}
}

func restoreCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:    "restore",
		Usage:   "FILE",
		Short:   cli.Text{"ganti basis data lokal dengan cadangan (yang lama disimpan di sebelahnya)", "replace the local database with a backup (the old one is kept beside it)"},
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
				fmt.Sprintf("restored %s into %s (the previous database, if any, is kept as %s.before-restore)", src, e.dataDir, store.DefaultFile))
		},
	}
}
