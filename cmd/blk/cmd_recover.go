package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/store"
	blksync "github.com/kemnaker/blk/sync"
)

func init() { register(recoverCommand) }

// damagedError carries a DamagedError to the command line's one-line
// message, in the operator's language.
type damagedError struct{ d *store.DamagedError }

func (e *damagedError) Error() string                     { return e.d.Error() }
func (e *damagedError) Unwrap() error                     { return e.d }
func (e *damagedError) Localized(lang domain.Lang) string { return damagedText(e.d, lang) }

// damagedText is the one message an operator gets, in the CLI and in the
// window, when the database cannot be used: what happened, that nothing was
// written, and the ways back that apply to this PC.
func damagedText(d *store.DamagedError, lang domain.Lang) string {
	what := map[string][2]string{
		store.DamageMissing: {"file database hilang", "the database file is missing"},
		store.DamageEmptied: {"file database kosong (0 byte)", "the database file is empty (0 bytes)"},
		store.DamageNotSQL:  {"file database tertimpa file lain", "the database file was overwritten by something else"},
		store.DamageCorrupt: {"file database rusak", "the database file is damaged"},
	}[d.Reason]
	en := lang == domain.English
	pick := func(p [2]string) string {
		if en {
			return p[1]
		}
		return p[0]
	}
	var ways []string
	if len(d.Backups) > 0 {
		b := d.Backups[0]
		ways = append(ways, pick([2]string{
			fmt.Sprintf("pulihkan cadangan otomatis terbaru (%s): blk recover --backup newest", b.At.Local().Format("02-01-2006 15:04")),
			fmt.Sprintf("restore the newest automatic backup (%s): blk recover --backup newest", b.At.Local().Format("02-01-2006 15:04")),
		}))
	}
	if d.Enrolled {
		ways = append(ways, pick([2]string{
			"unduh ulang data lembaga dari server pusat: blk recover --from-server",
			"download the centre's data again from the central server: blk recover --from-server",
		}))
	}
	ways = append(ways, pick([2]string{"pilih file cadangan sendiri: blk restore FILE", "choose a backup file yourself: blk restore FILE"}))
	return pick([2]string{
		fmt.Sprintf("Data di PC ini tidak bisa dibuka: %s. Tidak ada yang diubah. Cara memulihkan: %s.", what[0], strings.Join(ways, "; atau ")),
		fmt.Sprintf("The data on this PC cannot be opened: %s. Nothing was changed. Ways back: %s.", what[1], strings.Join(ways, "; or ")),
	})
}

func recoverCommand(e *env) *cli.Command {
	var backup string
	var fromServer bool
	return &cli.Command{
		Name:  "recover",
		Usage: "--backup newest|FILE | --from-server",
		Short: cli.Text{"pulihkan database yang rusak (file yang rusak disimpan)", "bring back a damaged database (the damaged file is kept)"},
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&backup, "backup", "", cli.Text{"\"newest\" untuk cadangan otomatis terbaru, atau sebuah `file` cadangan", "\"newest\" for the newest automatic backup, or a backup `file`"}.In(l))
			fs.BoolVar(&fromServer, "from-server", false, cli.Text{"unduh ulang data lembaga dari server tempat PC ini terdaftar", "download the centre again from the server this PC is enrolled with"}.In(l))
		},
		Run: func(ctx context.Context, _ []string) error { return runRecover(ctx, e, backup, fromServer) },
	}
}

func runRecover(ctx context.Context, e *env, backup string, fromServer bool) error {
	if (backup == "") == !fromServer {
		return cli.Errorf(cli.Text{
			"pilih satu: blk recover --backup newest, blk recover --backup FILE, atau blk recover --from-server",
			"choose one: blk recover --backup newest, blk recover --backup FILE, or blk recover --from-server"})
	}
	path := filepath.Join(e.dataDir, store.DefaultFile)
	switch {
	case backup == "newest":
		b, err := store.RestoreNewestBackup(ctx, path)
		if err != nil {
			return err
		}
		return e.print(map[string]any{"ok": true, "restored": b.Path}, fmt.Sprintf("restored the automatic backup of %s (%s)", b.At.Local().Format("02-01-2006 15:04"), b.Path))
	case backup != "":
		if err := store.Restore(ctx, backup, path); err != nil {
			return err
		}
		return e.print(map[string]any{"ok": true, "restored": backup}, fmt.Sprintf("restored %s", backup))
	}
	if err := store.Rebuild(ctx, path); err != nil {
		return err
	}
	s, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := blksync.NewClient(s, blksync.WithLang(e.lang)).Round(ctx)
	if err != nil {
		return fmt.Errorf("the database was rebuilt but the download did not finish (%w); run blk sync when the link is back", syncError(err))
	}
	return e.print(map[string]any{"ok": true, "pulled": res.Pulled}, fmt.Sprintf("downloaded the centre again: %d changes", res.Pulled))
}
