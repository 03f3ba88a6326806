package sync_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/kemnaker/blk/demo"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
)

func TestExportsOfEveryPCEqualTheServersAfterSync(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// given a centre whose first PC generated realistic data of every kind
			st := openBackend(t, kind)
			url := startServer(t, st)
			centre := addCentre(t, st, "BLK Demo")
			pc1 := enrolDevice(t, st, url, centre, "pc1")
			c := &domain.Centre{Name: "BLK Demo", HostType: "pesantren", VillageCode: "3201011001"}
			c.ID = centre
			if _, err := pc1.st.Save(ctx, c); err != nil {
				t.Fatal(err)
			}
			if _, err := demo.Generate(ctx, pc1.st, demo.Options{Trainees: 60, Seed: 7}); err != nil {
				t.Fatal(err)
			}
			// when it syncs and a second PC enrols
			r := mustRound(t, pc1)
			if r.Rejected != 0 {
				rej, _ := pc1.st.Rejections(ctx)
				t.Fatalf("server rejected %d demo changes: %+v", r.Rejected, rej[0])
			}
			pc2 := enrolDevice(t, st, url, centre, "pc2")
			// then every export of both PCs equals the server's, byte for byte
			dir := t.TempDir()
			for _, what := range exchange.Lists {
				files := map[string]exchange.Source{"server": st.Source(centre), "pc1": pc1.st, "pc2": pc2.st}
				var want []byte
				for _, name := range []string{"server", "pc1", "pc2"} {
					path := filepath.Join(dir, name+"-"+what+".csv")
					if err := exchange.ExportFile(ctx, files[name], what, path); err != nil {
						t.Fatalf("export %s of %s: %v", what, name, err)
					}
					got, _ := os.ReadFile(path)
					if name == "server" {
						want = got
						if bytes.Count(got, []byte("\n")) < 2 {
							t.Fatalf("server export of %s is empty", what)
						}
						continue
					}
					if !bytes.Equal(got, want) {
						t.Fatalf("%s export of %s differs from the server's", name, what)
					}
				}
			}
		})
	}
}

// A training day: the PCs of two centres each make `blk demo` data with
// the default seed and sync to one training server. Each centre's data
// has ids of its own, so both upload all of it (the same ids would make
// the second centre's records another centre's, refused on every try).
func TestTwoCentresDemoDataOfOneSeedSyncToOneServer(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			st := openBackend(t, kind)
			url := startServer(t, st)
			for _, name := range []string{"BLK Darul Falah", "BLK Al-Ikhlas"} {
				centre := addCentre(t, st, name)
				pc := enrolDevice(t, st, url, centre, "pc "+name)
				c := &domain.Centre{Name: name, HostType: "pesantren", VillageCode: "3201011001"}
				c.ID = centre
				if _, err := pc.st.Save(ctx, c); err != nil {
					t.Fatal(err)
				}
				if _, err := demo.Generate(ctx, pc.st, demo.Options{Trainees: 20, Seed: 1}); err != nil {
					t.Fatal(err)
				}
				r, err := pc.client.Round(ctx)
				if err != nil {
					t.Fatalf("%s's first upload: %v", name, err)
				}
				if r.Rejected != 0 {
					t.Fatalf("%s: the server rejected %d demo changes", name, r.Rejected)
				}
				var want int
				if err := pc.st.EachRecord(ctx, "trainees", func(domain.Record) error { want++; return nil }); err != nil {
					t.Fatal(err)
				}
				var got int
				if err := st.Source(centre).EachRecord(ctx, "trainees", func(domain.Record) error { got++; return nil }); err != nil {
					t.Fatal(err)
				}
				if got != want || want < 20 {
					t.Fatalf("%s: the server holds %d of the PC's %d trainees", name, got, want)
				}
			}
		})
	}
}
