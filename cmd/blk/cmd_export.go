package main

import (
	"context"
	"flag"
	"strings"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/msg"
)

func init() { register(exportCommand) }

// listName is a list's name in lang ("Sertifikat pelatihan"), or what itself.
func listName(lang domain.Lang, what string) string {
	if k := "exchange.list." + what; msg.Has(k) {
		return msg.T(lang, k)
	}
	return what
}

func exportCommand(e *env) *cli.Command {
	var out, what, cohort string
	return &cli.Command{
		Name:  "export",
		Usage: "--out FILE (.xlsx|.csv) [--what " + strings.Join(exchange.Lists, "|") + "] | --what lsp --cohort ID --out FILE.xlsx",
		Short: cli.Text("cli.blk.export.short"),
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&out, "out", "", cli.Text("cli.blk.export.flag.out").In(l))
			fs.StringVar(&what, "what", "trainees", cli.Text("cli.blk.export.flag.what").In(l))
			fs.StringVar(&cohort, "cohort", "", cli.Text("cli.blk.export.flag.cohort").In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
			if out == "" {
				return cli.Errorf(cli.Text("cli.blk.export.err.out_required"))
			}
			s, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			if what == "lsp" {
				if cohort == "" {
					return cli.Errorf(cli.Text("cli.blk.export.err.cohort_required"))
				}
				if err := exchange.ExportLSPFile(ctx, s, cohort, out); err != nil {
					return err
				}
			} else if err := exchange.ExportFile(ctx, s, what, out); err != nil {
				return err
			}
			return e.print(map[string]any{"ok": true, "what": what, "file": out}, e.say("cli.out.export.written", listName(e.lang, what), out))
		},
	}
}
