package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	blksync "github.com/kemnaker/blk/sync"
)

func init() {
	register("enrol", command{
		usage: "--server URL --code CODE   join a central server (downloads existing centre data)",
		run:   runEnrol,
	})
	register("sync", command{
		usage: "[--json]   one push+pull round; non-zero exit if it could not finish",
		run:   runSync,
	})
}

func runEnrol(ctx context.Context, e *env, args []string) error {
	fs := newFlags("enrol", e)
	server := fs.String("server", "", "central server URL, e.g. https://blk.kemnaker.go.id")
	code := fs.String("code", "", "one-time enrolment code from the ministry admin")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := noExtraArgs(fs); err != nil {
		return err
	}
	if *server == "" || *code == "" {
		return errors.New("usage: blk enrol --server URL --code CODE")
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	c := blksync.NewClient(s, blksync.WithLang(e.lang))
	if err := c.Enrol(ctx, *server, *code); err != nil {
		return syncError(e, err)
	}
	st := c.Status()
	return e.print(map[string]any{"ok": true, "centre_id": s.CentreID(), "device_id": s.DeviceID(), "server": st.Server, "pending_changes": st.Pending},
		fmt.Sprintf("enrolled: centre %s, this PC %s; centre data downloaded", s.CentreID(), s.DeviceID()))
}

func runSync(ctx context.Context, e *env, args []string) error {
	fs := newFlags("sync", e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := noExtraArgs(fs); err != nil {
		return err
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	// A scheduled sync is also when a PC used only from scripts gets its
	// daily backup; a full disk must not stop the sync itself.
	if _, err := s.DailyBackup(ctx); err != nil {
		fmt.Fprintf(e.stderr, "blk sync: warning: daily backup: %v\n", err)
	}
	c := blksync.NewClient(s, blksync.WithLang(e.lang))
	res, err := c.Round(ctx)
	if err != nil {
		return syncError(e, err)
	}
	st := c.Status()
	text := fmt.Sprintf("pushed %d (rejected %d), pulled %d, conflicts %d, pending %d", res.Pushed, res.Rejected, res.Pulled, res.Conflicts, res.Pending)
	if st.ClockWarn {
		text += fmt.Sprintf("\nwarning: this PC's clock is off by %s; fix the date and time", res.ClockSkew.Round(time.Second))
	}
	return e.print(map[string]any{"ok": true, "result": res, "clock_warning": st.ClockWarn}, text)
}

// syncError shows a server refusal in the user's language.
func syncError(e *env, err error) error {
	var se *blksync.ServerError
	if errors.As(err, &se) {
		return errors.New(se.Localized(e.lang))
	}
	return err
}
