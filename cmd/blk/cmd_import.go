package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange/bnspimport"
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
	var report, applyHeld, what string
	var preview bool
	return &cli.Command{
		Name:    "import",
		Usage:   "FILE (.xlsx|.csv) [--what trainees|bnsp] [--report OUT.xlsx] [--preview] [--apply-held ROW,…|all] [--json]",
		Short:   cli.Text("cli.blk.import.short"),
		MinArgs: 1, MaxArgs: 1,
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&report, "report", "", cli.Text("cli.blk.import.flag.report").In(l))
			fs.BoolVar(&preview, "preview", false, cli.Text("cli.blk.import.flag.preview").In(l))
			fs.StringVar(&applyHeld, "apply-held", "", cli.Text("cli.blk.import.flag.apply_held").In(l))
			fs.StringVar(&what, "what", "trainees", cli.Text("cli.blk.import.flag.what").In(l))
		},
		Run: func(ctx context.Context, args []string) error {
			apply, err := parseApplyHeld(applyHeld)
			if err != nil {
				return err
			}
			switch what {
			case "trainees", "":
			case "bnsp":
				if preview || report != "" {
					return cli.Errorf(cli.Text("cli.blk.import.err.bnsp_flags"))
				}
				return importBNSP(ctx, e, args[0], apply)
			default:
				return cli.Errorf(cli.Text("cli.blk.import.err.what"), what)
			}
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
			rep, err := traineeimport.Import(ctx, s, args[0], traineeimport.Options{Lang: e.lang, Preview: preview, ApplyHeld: apply})
			if err != nil {
				return err
			}
			if report != "" && rep.Refused+rep.Held > 0 {
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
		for _, c := range r.Changes {
			b.WriteString("       " + c.Text(lang) + "\n")
		}
	}
	b.WriteString(rep.Summary(lang))
	if held := rep.HeldRows(); len(held) > 0 {
		lines := make([]string, len(held))
		for i, r := range held {
			lines[i] = strconv.Itoa(r.Line)
		}
		b.WriteString("\n" + msg.Count(lang, "cli.blk.import.held", len(held), strings.Join(lines, ",")))
	}
	if report != "" && rep.Refused+rep.Held > 0 {
		b.WriteString("\n" + msg.T(lang, "cli.blk.import.refused_saved", report))
	}
	return b.String()
}

// parseApplyHeld reads --apply-held: "all", or the rows (as the
// spreadsheet numbers them) the operator has checked are the same person.
func parseApplyHeld(v string) (func(int) bool, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return nil, nil
	case strings.EqualFold(v, "all") || strings.EqualFold(v, "semua"):
		return traineeimport.ApplyAll, nil
	}
	var lines []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, cli.Errorf(cli.Text("cli.blk.import.err.apply_held"), f)
		}
		lines = append(lines, n)
	}
	return traineeimport.ApplyLines(lines...), nil
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
	return msg.T(lang, "cli.blk.import.all_refused", msg.Count(lang, "count.rows", len(rep.Rows)), strings.Join(first, " | "))
}

// importMemoryLimit is the Go heap's soft limit while `blk import` runs,
// unless GOMEMLIMIT sets one.
const importMemoryLimit = 128 << 20

// importBNSP records the BNSP competency certificates of an LSP's list
// (package bnspimport) and prints what happened to every row.
func importBNSP(ctx context.Context, e *env, path string, apply func(int) bool) error {
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.AutoBackup(ctx, store.BackupBeforeImport); err != nil {
		return err
	}
	rep, err := bnspimport.Import(ctx, s, path, bnspimport.Options{Lang: e.lang, ApplyHeld: apply})
	if err != nil {
		return err
	}
	var b strings.Builder
	word := msg.T(e.lang, "cli.blk.import.row")
	var held []string
	for _, r := range rep.Rows {
		fmt.Fprintf(&b, "%s %-4d %-16s %s (%s) %s", word, r.Line, bnspimport.StatusLabel(r.Status, e.lang), r.Name, r.NIK, r.Number)
		if len(r.Reasons) > 0 {
			fmt.Fprintf(&b, ": %s", strings.Join(r.Reasons, "; "))
		}
		b.WriteByte('\n')
		if r.Status == bnspimport.RowHeld {
			held = append(held, strconv.Itoa(r.Line))
		}
	}
	b.WriteString(rep.Summary(e.lang))
	if len(held) > 0 {
		b.WriteString("\n" + msg.T(e.lang, "bnsp.held", strings.Join(held, ",")))
	}
	if rep.AllRefused() {
		return fmt.Errorf("%s", rep.Summary(e.lang))
	}
	return e.print(rep, b.String())
}
