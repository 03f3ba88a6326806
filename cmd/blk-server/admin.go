package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
)

func auditCmd(e *env) *cli.Command {
	var since string
	var limit int
	return &cli.Command{
		Name:  "audit",
		Usage: "[--since 2026-11-01|72h] [--limit N] [--json]",
		Short: cli.Text{"jejak audit: siapa melakukan apa di server (lembaga, kode, PC, pengguna, data referensi, login)", "the audit trail: who did what on the server (centres, codes, PCs, users, reference data, logins)"},
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&since, "since", "", cli.Text{"sejak `waktu` ini: tanggal (2026-11-01), waktu RFC 3339, atau lama waktu ke belakang (72h)", "from this `time` on: a date (2026-11-01), an RFC 3339 time, or a duration back (72h)"}.In(l))
			fs.IntVar(&limit, "limit", 0, cli.Text{"paling banyak `N` baris (0: semua)", "at most `N` lines (0: all)"}.In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
			from, err := parseSince(since, time.Now())
			if err != nil {
				return err
			}
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			log, err := st.AuditLog(ctx, from, limit)
			if err != nil {
				return err
			}
			rows := [][]string{{"AT", "ACTOR", "FROM", "ACTION", "TARGET", "DETAIL"}}
			for _, a := range log {
				rows = append(rows, []string{a.At.Format(time.RFC3339), a.Actor, a.Remote, a.Action, a.Target, a.Detail})
			}
			return e.print(map[string]any{"entries": log}, table(rows))
		},
	}
}

// parseSince reads --since: empty (the whole trail), a date, an RFC 3339
// time, or a duration before now.
func parseSince(v string, now time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(v); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, cli.Errorf(cli.Text{
		"--since %q tidak terbaca; tulis tanggal (2026-11-01), waktu RFC 3339, atau lama waktu (72h)",
		"--since %q cannot be read; give a date (2026-11-01), an RFC 3339 time, or a duration (72h)"}, v)
}

func backupCmd(e *env) *cli.Command {
	var out string
	return &cli.Command{
		Name:  "backup",
		Usage: "--out FILE",
		Short: cli.Text{"salinan basis data SQLite yang utuh selagi server berjalan (PostgreSQL: pg_dump, lihat docs/SECURITY.md)", "a consistent copy of the SQLite database while the server runs (PostgreSQL: pg_dump, see docs/SECURITY.md)"},
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&out, "out", "", cli.Text{"`file` tujuan (belum ada)", "the `file` to write (must not exist)"}.In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
			if out == "" {
				return cli.Errorf(cli.Text{"--out FILE wajib diisi, misalnya blk-server backup --out blk-server-2026-11-30.db", "--out FILE is required, e.g. blk-server backup --out blk-server-2026-11-30.db"})
			}
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.Backup(ctx, out); err != nil {
				return err
			}
			return e.print(map[string]any{"ok": true, "file": out}, fmt.Sprintf("backup written to %s", out))
		},
	}
}
