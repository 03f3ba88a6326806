package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/msg"

	blksync "github.com/kemnaker/blk/sync"
)

func init() {
	register(enrolCommand)
	register(func(e *env) *cli.Command {
		return &cli.Command{
			Name:  "sync",
			Usage: "[--json]",
			Short: cli.Text("cli.blk.sync.short"),
			Run:   func(ctx context.Context, _ []string) error { return runSync(ctx, e) },
		}
	})
}

func enrolCommand(e *env) *cli.Command {
	var server, code string
	return &cli.Command{
		Name:  "enrol",
		Usage: "--server URL --code CODE",
		Short: cli.Text("cli.blk.enrol.short"),
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&server, "server", "", cli.Text("cli.blk.enrol.flag.server").In(l))
			fs.StringVar(&code, "code", "", cli.Text("cli.blk.enrol.flag.code").In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
			if server == "" || code == "" {
				return cli.Errorf(cli.Text("cli.blk.enrol.err.server_and_code"))
			}
			s, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			c := blksync.NewClient(s, blksync.WithLang(e.lang))
			if err := c.Enrol(ctx, server, code); err != nil {
				return e.syncError("enrol", err)
			}
			st := c.Status()
			return e.print(map[string]any{"ok": true, "centre_id": s.CentreID(), "device_id": s.DeviceID(), "server": st.Server, "pending_changes": st.Pending},
				e.say("cli.out.enrol.done", s.CentreID(), s.DeviceID()))
		},
	}
}

func runSync(ctx context.Context, e *env) error {
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	// A scheduled sync is also when a PC used only from scripts gets its
	// daily backup; a full disk must not stop the sync itself.
	if _, err := s.DailyBackup(ctx); err != nil {
		fmt.Fprintln(e.stderr, e.say("cli.out.sync.backup_warning", err))
	}
	c := blksync.NewClient(s, blksync.WithLang(e.lang))
	res, err := c.Round(ctx)
	if err != nil {
		return e.syncError("sync", err)
	}
	st := c.Status()
	text := e.say("cli.out.sync.done", res.Pushed, res.Rejected, res.Pulled, res.Conflicts, res.Pending)
	if st.ClockWarn {
		text += "\n" + e.say("cli.out.sync.clock", res.ClockSkew.Round(time.Second))
	}
	return e.print(map[string]any{"ok": true, "result": res, "clock_warning": st.ClockWarn}, text)
}

// syncError is the failure as one plain sentence in the operator's
// language (sync.Classify, docs/ERRORS.md), which the command prints as its
// one-line reason; the technical detail goes to stderr on the line before,
// as "Rincian" shows it in the app.
func (e *env) syncError(command string, err error) error {
	f := blksync.Classify(err)
	fmt.Fprintf(e.stderr, "blk %s: %s: %s\n", command, msg.T(e.lang, "syncerr.detail"), f.Detail())
	return f
}

// syncError is the failure as one plain sentence (see env.syncError).
func syncError(err error) error { return blksync.Classify(err) }
