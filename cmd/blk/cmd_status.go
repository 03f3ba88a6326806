package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
	blksync "github.com/kemnaker/blk/sync"
)

func init() {
	register(func(e *env) *cli.Command {
		return &cli.Command{
			Name:  "status",
			Usage: "[--json]",
			Short: cli.Text("cli.blk.status.short"),
			Run:   func(ctx context.Context, _ []string) error { return runStatus(ctx, e) },
		}
	})
}

// statusReport is what `blk status --json` prints.
type statusReport struct {
	Centre    string         `json:"centre"`
	CentreID  string         `json:"centre_id"`
	DeviceID  string         `json:"device_id"`
	Counts    map[string]int `json:"counts"`
	Pending   int            `json:"pending_changes"`
	Rejected  int            `json:"rejected_changes"`
	Conflicts int            `json:"conflicts"`
	LastSync  string         `json:"last_sync"`
	Server    string         `json:"server"`
	// ClockSkewMS is server time minus PC time at the last sync; ClockWarning
	// says the PC clock is off by more than sync.ClockWarnAfter.
	ClockSkewMS  int64 `json:"clock_skew_ms"`
	ClockWarning bool  `json:"clock_warning"`
}

func runStatus(ctx context.Context, e *env) error {
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	r := statusReport{CentreID: s.CentreID(), DeviceID: s.DeviceID()}
	if c, err := s.Centre(ctx); err == nil {
		r.Centre = c.Name
	}
	if r.Counts, err = s.Counts(ctx); err != nil {
		return err
	}
	if r.Pending, err = s.PendingCount(ctx); err != nil {
		return err
	}
	rej, err := s.Rejections(ctx)
	if err != nil {
		return err
	}
	r.Rejected = len(rej)
	cs, err := s.Conflicts(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if !c.Resolved {
			r.Conflicts++
		}
	}
	if r.LastSync, err = s.Meta(ctx, blksync.MetaLastSync); err != nil {
		return err
	}
	if r.Server, err = s.Meta(ctx, blksync.MetaServerURL); err != nil {
		return err
	}
	skew := s.ClockOffset()
	r.ClockSkewMS = skew.Milliseconds()
	r.ClockWarning = skew > blksync.ClockWarnAfter || -skew > blksync.ClockWarnAfter

	var b strings.Builder
	if r.CentreID == "" {
		b.WriteString(cli.Text("store.no_centre").In(e.lang) + "\n")
	} else {
		b.WriteString(e.say("cli.out.status.centre", r.Centre, r.CentreID) + "\n")
	}
	names := make([]string, 0, len(r.Counts))
	for n := range r.Counts {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return tableOrder(names[i]) < tableOrder(names[j]) })
	for _, n := range names {
		fmt.Fprintf(&b, "%-18s %d\n", n, r.Counts[n])
	}
	last := r.LastSync
	if last == "" {
		last = e.say("cli.out.status.never")
	}
	b.WriteString(strings.Join([]string{e.say("cli.out.status.pending", r.Pending), e.say("cli.out.status.rejected", r.Rejected),
		e.say("cli.out.status.conflicts", r.Conflicts), e.say("cli.out.status.last_sync", last)}, "\n"))
	if r.ClockWarning {
		b.WriteString("\n" + e.say("cli.out.status.clock", skew.Round(time.Second)))
	}
	return e.print(r, b.String())
}

func tableOrder(name string) int {
	for i, t := range domain.Tables {
		if t.Name == name {
			return i
		}
	}
	return len(domain.Tables)
}
