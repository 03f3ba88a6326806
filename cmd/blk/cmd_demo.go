package main

import (
	"context"
	"fmt"
	"time"

	"github.com/kemnaker/blk/demo"
)

func init() {
	register("demo", command{
		usage: "[--trainees N] [--seed S]   fill realistic demo data, deterministic per seed",
		run:   runDemo,
	})
}

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags("demo", e)
	n := fs.Int("trainees", 200, "number of trainees (cohorts of 16 are made for them)")
	seed := fs.Int64("seed", 1, "random seed; the same seed on the same day gives the same data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := noExtraArgs(fs); err != nil {
		return err
	}
	if *n < 0 || *n > 1_000_000 {
		return fmt.Errorf("--trainees must be between 0 and 1000000, not %d", *n)
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	last := time.Now()
	sum, err := demo.Generate(ctx, s, demo.Options{Trainees: *n, Seed: *seed, Progress: func(done, total int) {
		if !e.json && time.Since(last) > 2*time.Second {
			last = time.Now()
			fmt.Fprintf(e.stderr, "demo: %d/%d trainees\n", done, total)
		}
	}})
	if err != nil {
		return err
	}
	took := time.Since(start).Round(time.Millisecond)
	return e.print(map[string]any{"ok": true, "summary": sum, "seconds": took.Seconds()},
		fmt.Sprintf("demo data written in %s: %d programmes, %d cohorts, %d trainees, %d enrollments, %d attendance marks, %d results, %d outcomes, %d partners, %d funding",
			took, sum.Programmes, sum.Cohorts, sum.Trainees, sum.Enrollments, sum.Attendance, sum.Assessments, sum.Outcomes, sum.Partners, sum.Funding))
}
