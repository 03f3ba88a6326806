package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/msg"
)

func init() {
	register(func(e *env) *cli.Command {
		return &cli.Command{
			Name:  "kemandirian",
			Usage: "[--json]",
			Short: cli.Text("cli.blk.kemandirian.short"),
			Run:   func(ctx context.Context, _ []string) error { return runKemandirian(ctx, e) },
		}
	})
}

// kemandirianReport is what `blk kemandirian --json` prints.
type kemandirianReport struct {
	Level    string                 `json:"level"`
	Date     string                 `json:"date"`
	Met      int                    `json:"met"`
	Criteria []kemandirianCriterion `json:"criteria"`
	Next     []string               `json:"next"`
}

type kemandirianCriterion struct {
	Code     string   `json:"code"`
	Met      bool     `json:"met"`
	Value    int64    `json:"value"`
	Target   int64    `json:"target"`
	Unit     string   `json:"unit"`
	Evidence []string `json:"evidence"`
	Missing  []string `json:"missing"`
}

func runKemandirian(ctx context.Context, e *env) error {
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if s.CentreID() == "" {
		return cli.Errorf(cli.Text("cli.blk.kemandirian.err.no_centre"))
	}
	a, err := s.Kemandirian(ctx, s.Now())
	if err != nil {
		return err
	}
	texts := func(ns []domain.Note) []string {
		out := make([]string, len(ns))
		for i, n := range ns {
			out[i] = n.Text(e.lang)
		}
		return out
	}
	r := kemandirianReport{Level: a.Level, Date: a.Date, Met: a.Met, Next: texts(a.Next)}
	var b strings.Builder
	b.WriteString(msg.T(e.lang, "cli.blk.kemandirian.level", domain.ChoiceLabel("centres.classification", a.Level, e.lang), a.Met, len(a.Criteria), a.Date))
	for _, c := range a.Criteria {
		r.Criteria = append(r.Criteria, kemandirianCriterion{Code: c.Code, Met: c.Met, Value: c.Value, Target: c.Target,
			Unit: c.Unit, Evidence: texts(c.Evidence), Missing: texts(c.Missing)})
		mark := msg.T(e.lang, "cli.blk.kemandirian.not_met")
		if c.Met {
			mark = msg.T(e.lang, "cli.blk.kemandirian.met")
		}
		unit := ""
		if c.Unit == "percent" {
			unit = "%"
		}
		fmt.Fprintf(&b, "\n%-4s %s  %d%s/%d%s", mark, c.Label(e.lang), c.Value, unit, c.Target, unit)
		for _, m := range r.Criteria[len(r.Criteria)-1].Missing {
			fmt.Fprintf(&b, "\n       - %s", m)
		}
	}
	return e.print(r, b.String())
}
