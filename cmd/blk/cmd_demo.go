package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/kemnaker/blk/demo"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
)

func init() { register(demoCommand) }

func demoCommand(e *env) *cli.Command {
	var n int
	var seed int64
	return &cli.Command{
		Name:  "demo",
		Usage: "[--trainees N] [--seed S]",
		Short: cli.Text("cli.blk.demo.short"),
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.IntVar(&n, "trainees", 200, cli.Text("cli.blk.demo.flag.trainees").In(l))
			fs.Int64Var(&seed, "seed", 1, cli.Text("cli.blk.demo.flag.seed").In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
			if n < 0 || n > 1_000_000 {
				return cli.Errorf(cli.Text("cli.blk.demo.err.trainees_range"), n)
			}
			s, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			start := time.Now()
			last := time.Now()
			sum, err := demo.Generate(ctx, s, demo.Options{Trainees: n, Seed: seed, Progress: func(done, total int) {
				if !e.json && time.Since(last) > 2*time.Second {
					last = time.Now()
					fmt.Fprintln(e.stderr, e.say("cli.out.demo.progress", done, total))
				}
			}})
			if err != nil {
				return err
			}
			took := time.Since(start).Round(time.Millisecond)
			return e.print(map[string]any{"ok": true, "summary": sum, "seconds": took.Seconds()},
				e.say("cli.out.demo.written", took, sum.Programmes, sum.Cohorts, sum.Trainees, sum.Enrollments, sum.Attendance,
					sum.Assessments, sum.Outcomes, sum.Partners, sum.Funding, sum.CompetencyCertificates, sum.EmployerRatings))
		},
	}
}
