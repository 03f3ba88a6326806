package sync_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

func TestNewPCDownloadsTheCentresWholeStateOnEnrol(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// given a centre whose first PC has synced trainees, one deleted,
			// and the ministry's reference data
			st := openBackend(t, kind)
			url := startServer(t, st)
			centre := addCentre(t, st, "BLK A")
			if err := st.ImportReference(ctx, []domain.Record{&domain.VocationalField{Code: "TIK", NameID: "TIK Baru", NameEN: "New IT"}}); err != nil {
				t.Fatal(err)
			}
			pc1 := enrolDevice(t, st, url, centre, "pc1")
			var last *domain.Trainee
			for i := 1; i <= 30; i++ {
				last = trainee(i, "Siti "+letters(i))
				if _, err := pc1.st.Save(ctx, last); err != nil {
					t.Fatal(err)
				}
			}
			if err := pc1.st.Delete(ctx, last); err != nil {
				t.Fatal(err)
			}
			mustRound(t, pc1)
			// when a replacement PC enrols with an empty data folder
			pc2 := enrolDevice(t, st, url, centre, "pc2")
			// then it holds the same live records, the tombstone and the reference update
			if got, want := snapshot(t, pc2.st), snapshot(t, pc1.st); !reflect.DeepEqual(got, want) {
				t.Fatalf("new PC differs:\n%s", diff(got, want))
			}
			if n, _ := pc2.st.Count(ctx, domain.LookupTable("trainees"), store.Query{Deleted: true}); n != 30 {
				t.Fatalf("new PC has %d trainee rows with tombstones, want 30", n)
			}
			f := &domain.VocationalField{}
			f.ID = domain.NaturalID("vocational_field", "TIK")
			if err := pc2.st.Get(ctx, f); err != nil || f.NameID != "TIK Baru" {
				t.Fatalf("reference update not applied: %+v %v", f, err)
			}
			if pc2.st.CentreID() != centre {
				t.Fatalf("new PC joined %q", pc2.st.CentreID())
			}
			if v, _ := pc2.st.Meta(ctx, "last_sync"); v == "" {
				t.Fatal("last_sync not written")
			}
		})
	}
}

func TestAPCJoiningARegisteredCentreCanWorkAtOnce(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// given a centre the ministry registered on the server (`blk-server
			// centre add --name … --region …`) and nothing else
			st := openBackend(t, kind)
			url := startServer(t, st)
			c, err := st.AddCentre(ctx, central.Centre{Name: "BLK Komunitas Al-Hikmah", Region: "3201011001"})
			if err != nil {
				t.Fatal(err)
			}
			for i, name := range []string{"pc1", "pc2"} {
				// when a fresh PC enrols with a code
				pc := enrolDevice(t, st, url, c.ID, name)
				// then it has the centre's profile, can record and can sync
				prof, err := pc.st.Centre(ctx)
				if err != nil || prof.Name != "BLK Komunitas Al-Hikmah" || prof.VillageCode != "3201011001" {
					t.Fatalf("%s: centre profile %+v, %v", name, prof, err)
				}
				if _, err := pc.st.Save(ctx, trainee(i+1, "Siti "+letters(i))); err != nil {
					t.Fatalf("%s cannot record: %v", name, err)
				}
				if res := mustRound(t, pc); res.Pushed != 1 || res.Rejected != 0 {
					t.Fatalf("%s round: %+v", name, res)
				}
			}
		})
	}
}
