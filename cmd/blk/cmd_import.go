package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange/traineeimport"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/msg"
	"github.com/kemnaker/blk/store"
)

func init() { register(importCommand) }

// importCommand imports trainees and prints what happened to every row. It
// fails only when the file cannot be read at all or when every row was
// refused; refused rows among good ones are reported, not an error.
func importCommand(e *env) *cli.Command {
	var report string
	var preview bool
	return &cli.Command{
		Name:    "import",
		Usage:   "FILE (.xlsx|.csv) [--report OUT.xlsx] [--preview] [--json]",
		Short:   cli.Text("cli.blk.import.short"),
		MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&report, "report", "", cli.Text("cli.blk.import.flag.report").In(l))
			fs.BoolVar(&preview, "preview", false, cli.Text("cli.blk.import.flag.preview").In(l))
		},
		Run: func(ctx context.Context, args []string) error {
			s, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			if !preview {
				// An import may update hundreds of people at once: keep
				// the database as it was, with the automatic backups.
				if _, err := s.AutoBackup(ctx, store.BackupBeforeImport); err != nil {
					return err
				}
			}
			// A 100,000-row file is about 100 MB of live heap; without a
			// limit the collector lets the heap double before it runs and
			// the import peaks near 300 MB of a 4 GB PC. With one it
			// peaks near 200 MB (docs/PERFORMANCE.md).
			if os.Getenv("GOMEMLIMIT") == "" {
				defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit))
			}
			rep, err := traineeimport.Import(ctx, s, args[0], traineeimport.Options{Lang: e.lang, Preview: preview})
			if err != nil {
				return err
			}
			if report != "" && rep.Refused > 0 {
				if err := rep.SaveXLSX(report); err != nil {
					return err
				}
			}
			if rep.AllRefused() {
				// One line, as every failing command gives; the first reasons say why.
				return fmt.Errorf("%s", allRefused(rep, e.lang))
			}
			return e.print(rep, importText(rep, e.lang, report))
		},
	}
}

func importText(rep *traineeimport.Report, lang domain.Lang, report string) string {
	var b strings.Builder
	word := msg.T(lang, "cli.blk.import.row")
	for _, r := range rep.Rows {
		fmt.Fprintf(&b, "%s %-4d %-22s %s", word, r.Line, traineeimport.StatusLabel(r.Status, lang), r.Name)
		if r.NIK != "" {
			fmt.Fprintf(&b, " (%s)", r.NIK)
		}
		if len(r.Reasons) > 0 {
			fmt.Fprintf(&b, ": %s", strings.Join(r.Reasons, "; "))
		}
		b.WriteByte('\n')
	}
	b.WriteString(rep.Summary(lang))
	if report != "" && rep.Refused > 0 {
		b.WriteString("\n" + msg.T(lang, "cli.blk.import.refused_saved", report))
	}
	return b.String()
}

func allRefused(rep *traineeimport.Report, lang domain.Lang) string {
	var first []string
	for i, r := range rep.Rows {
		if i == 3 {
			first = append(first, "…")
			break
		}
		first = append(first, fmt.Sprintf("%d: %s", r.Line, strings.Join(r.Reasons, ", ")))
	}
	return msg.T(lang, "cli.blk.import.all_refused", len(rep.Rows), strings.Join(first, " | "))
}

// importMemoryLimit is the Go heap's soft limit while `blk import` runs,
// unless GOMEMLIMIT sets one.
const importMemoryLimit = 128 << 20
