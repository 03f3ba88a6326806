package main

import (
	"context"
	"flag"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/msg"
)

func auditCmd(e *env) *cli.Command {
	var since string
	var limit int
	return &cli.Command{
		Name:  "audit",
		Usage: "[--since 2026-11-01|72h] [--limit N] [--json]",
		Short: cli.Text("cli.server.audit.short"),
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&since, "since", "", cli.Text("cli.server.audit.flag.since").In(l))
			fs.IntVar(&limit, "limit", 0, cli.Text("cli.server.audit.flag.limit").In(l))
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
	return time.Time{}, cli.Errorf("cli.server.audit.bad_since", v)
}

func backupCmd(e *env) *cli.Command {
	var out string
	return &cli.Command{
		Name:  "backup",
		Usage: "--out FILE",
		Short: cli.Text("cli.server.backup.short"),
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&out, "out", "", cli.Text("cli.server.backup.flag.out").In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
			if out == "" {
				return cli.Errorf("cli.server.backup.need_out")
			}
			st, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.Backup(ctx, out); err != nil {
				return err
			}
			return e.print(map[string]any{"ok": true, "file": out}, msg.T(e.lang, "cli.out.server.backup.written", out))
		},
	}
}
