package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/kemnaker/blk/domain"
)

func init() {
	register("init", command{
		usage: "--centre-name N --region CODE [--host-type T]   create a centre profile offline",
		run:   runInit,
	})
}

func runInit(ctx context.Context, e *env, args []string) error {
	fs := newFlags("init", e)
	name := fs.String("centre-name", "", "name of the centre (Lembaga BLKK)")
	region := fs.String("region", "", "Kemendagri region code of the centre (village, 10 digits, or higher)")
	host := fs.String("host-type", "pesantren", "host institution type")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := noExtraArgs(fs); err != nil {
		return err
	}
	if *name == "" || *region == "" {
		return errors.New("both --centre-name and --region are required, e.g. blk init --centre-name \"BLK Komunitas Al-Hikmah\" --region 3201011001")
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	c := &domain.Centre{Name: *name, VillageCode: *region, HostType: *host, Classification: "tumbuh"}
	if _, err := s.InitCentre(ctx, c); err != nil {
		return err
	}
	return e.print(map[string]any{"ok": true, "centre_id": c.ID, "device_id": s.DeviceID(), "data": e.dataDir},
		fmt.Sprintf("centre %q created (id %s) in %s", c.Name, c.ID, e.dataDir))
}
