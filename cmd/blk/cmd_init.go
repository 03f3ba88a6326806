package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
)

func init() { register(initCommand) }

func initCommand(e *env) *cli.Command {
	var name, region, host string
	return &cli.Command{
		Name:  "init",
		Usage: "--centre-name N --region CODE [--host-type T]",
		Short: cli.Text{"buat profil lembaga, tanpa internet", "create a centre profile, offline"},
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&name, "centre-name", "", cli.Text{"nama lembaga (Lembaga BLKK)", "name of the centre (Lembaga BLKK)"}.In(l))
			fs.StringVar(&region, "region", "", cli.Text{"`kode` wilayah Kemendagri lembaga (desa, 10 angka, atau lebih tinggi)", "Kemendagri region `code` of the centre (village, 10 digits, or higher)"}.In(l))
			fs.StringVar(&host, "host-type", "pesantren", cli.Text{"jenis lembaga induk", "host institution type"}.In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
			if name == "" || region == "" {
				return cli.Errorf(cli.Text{
					`--centre-name dan --region wajib diisi, misalnya blk init --centre-name "BLK Komunitas Al-Hikmah" --region 3201011001`,
					`both --centre-name and --region are required, e.g. blk init --centre-name "BLK Komunitas Al-Hikmah" --region 3201011001`,
				})
			}
			s, err := e.openStore(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			c := &domain.Centre{Name: name, VillageCode: region, HostType: host, Classification: "tumbuh"}
			if _, err := s.InitCentre(ctx, c); err != nil {
				return err
			}
			return e.print(map[string]any{"ok": true, "centre_id": c.ID, "device_id": s.DeviceID(), "data": e.dataDir},
				fmt.Sprintf("centre %q created (id %s) in %s", c.Name, c.ID, e.dataDir))
		},
	}
}
