package main

import (
	"context"
	"flag"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
)

func init() { register(initCommand) }

func initCommand(e *env) *cli.Command {
	var name, region, host string
	return &cli.Command{
		Name:  "init",
		Usage: "--centre-name N --region CODE [--host-type T]",
		Short: cli.Text("cli.blk.init.short"),
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.StringVar(&name, "centre-name", "", cli.Text("cli.blk.init.flag.centre_name").In(l))
			fs.StringVar(&region, "region", "", cli.Text("cli.blk.init.flag.region").In(l))
			fs.StringVar(&host, "host-type", "pesantren", cli.Text("cli.blk.init.flag.host_type").In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
			if name == "" || region == "" {
				return cli.Errorf(cli.Text("cli.blk.init.err.name_and_region"))
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
				e.say("cli.out.init.created", c.Name, c.ID, e.dataDir))
		},
	}
}
