package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/kemnaker/blk/store"
)

func init() {
	register("backup", command{usage: "--out FILE   consistent copy of the local database", run: runBackup})
	register("restore", command{usage: "FILE   replace the local database with a backup (the old one is kept beside it)", run: runRestore})
}

func runBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags("backup", e)
	out := fs.String("out", "", "file to write the backup to (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := noExtraArgs(fs); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("--out FILE is required, e.g. blk backup --out blk-2026-11-27.db")
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Backup(ctx, *out); err != nil {
		return err
	}
	return e.print(map[string]any{"ok": true, "file": *out}, fmt.Sprintf("backup written to %s", *out))
}

func runRestore(ctx context.Context, e *env, args []string) error {
	fs := newFlags("restore", e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("give exactly one backup file: blk restore FILE")
	}
	src := fs.Arg(0)
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
}
