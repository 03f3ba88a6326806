package central

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kemnaker/blk/domain"
)

func TestOnlyAppMadeUUIDsEnrolAsDevices(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK A")
			code, _, err := s.NewCode(ctx, c, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			// given ids that are not what the app makes, the ministry's
			// own "server" above all
			for _, id := range []string{ServerDevice, "", "pc1", "SERVER", "00000000-0000-0000-0000-000000000000",
				strings.ToUpper(domain.NewID()), "{" + domain.NewID() + "}", domain.NewID() + " ", strings.Repeat("a", 5000)} {
				// when a PC tries to enrol under it, then it is refused
				if _, _, err := s.Enrol(ctx, code, id, "PC"); !errors.Is(err, ErrInvalid) {
					t.Fatalf("enrol as %.40q: %v, want ErrInvalid", id, err)
				}
			}
			// and the code is still good for a real PC
			if _, _, err := s.Enrol(ctx, code, domain.NewID(), "PC"); err != nil {
				t.Fatalf("code used up by refused ids: %v", err)
			}
		})
	}
}

func TestAPCCannotWriteNationalReferenceData(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			if err := s.ImportReference(ctx, []domain.Record{&domain.VocationalField{Code: "LAS", NameID: "Pengelasan", NameEN: "Welding"}}); err != nil {
				t.Fatal(err)
			}
			d := enrolled(t, s, centreOf(t, s, "BLK A"), "pc1")
			id := domain.NaturalID("vocational_field", "LAS")
			// when the PC pushes a rename of the welding field
			_, err := s.Push(ctx, d, []domain.Change{{Seq: 1, Table: "vocational_fields", ID: id, Clock: domain.MakeClock(time.Now().UnixMilli(), 0), Fields: map[string]any{"name_id": "Dirusak"}}})
			// then the push is refused and the national name stays
			if !errors.Is(err, ErrForbidden) {
				t.Fatalf("push to reference data: %v", err)
			}
			p, err := s.Pull(ctx, d.CentreID, d.ID, 0, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.RefChanges) != 1 || p.RefChanges[0].Fields["name_id"] != "Pengelasan" {
				t.Fatalf("reference data after the push: %+v", p.RefChanges)
			}
		})
	}
}

func TestChangesWithoutAValidClockAreRejectedAlone(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK A")
			d := enrolled(t, s, c, "pc1")
			id := domain.NewID()
			good := traineeChange(1, c, id, "Siti Aminah", 1)
			// given later edits of the same trainee stamped -1 and 0
			bad1 := domain.Change{Seq: 2, Table: "trainees", ID: id, Clock: -1, Fields: map[string]any{"name": "Siti Rusak"}}
			bad2 := domain.Change{Seq: 3, Table: "trainees", ID: id, Clock: 0, Fields: map[string]any{"name": "Siti Nol"}}
			// when they are pushed with a good one
			r, err := s.Push(ctx, d, []domain.Change{good, bad1, bad2})
			if err != nil {
				t.Fatal(err)
			}
			// then both are rejected, the good one applies and no conflict
			// is left for the centre's PCs to pull
			if r.AppliedSeq != 3 || len(r.Rejections) != 2 || r.Conflicts != 0 {
				t.Fatalf("%+v: want 2 rejections, no conflicts", r)
			}
			for _, rj := range r.Rejections {
				if strings.Contains(rj.ReasonEN, "Siti") {
					t.Fatalf("rejection echoes the value: %q", rj.ReasonEN)
				}
			}
			cs, err := s.Conflicts(ctx, c)
			if err != nil || len(cs) != 0 {
				t.Fatalf("conflicts %v %v", cs, err)
			}
		})
	}
}

func TestALongDeviceNameIsCutBetweenCharacters(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := centreOf(t, s, "BLK A")
			code, _, err := s.NewCode(ctx, c, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			// given a PC named with 150 two-byte characters (once cut
			// mid-character at byte 200, which PostgreSQL refused)
			name := strings.Repeat("é", 150)
			// when it enrols, then it is stored under a valid, shorter name
			_, d, err := s.Enrol(ctx, code, domain.NewID(), name)
			if err != nil {
				t.Fatal(err)
			}
			ds, err := s.Devices(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != 1 || ds[0].ID != d.ID || !utf8.ValidString(ds[0].Name) || ds[0].Name != strings.Repeat("é", maxDeviceName) {
				t.Fatalf("stored name %q", ds[0].Name)
			}
		})
	}
}

func TestAuditTrailRecordsWhoDidWhat(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			start := time.Now().Add(-time.Second)
			ctx := WithActor(context.Background(), "cli:admin", "")
			// given the ministry's administration of one centre
			c, err := s.AddCentre(ctx, Centre{Name: "BLK Al-Hikmah", Region: "3201"})
			if err != nil {
				t.Fatal(err)
			}
			code, _, err := s.NewCode(ctx, c.ID, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			_, d, err := s.Enrol(WithActor(context.Background(), "", "10.0.0.7"), code, domain.NewID(), "PC Admin")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.RevokeDevice(ctx, d.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.AddUser(ctx, "analis", "kata-sandi-rahasia"); err != nil {
				t.Fatal(err)
			}
			if err := s.ImportReference(ctx, []domain.Record{&domain.VocationalField{Code: "LAS", NameID: "Pengelasan", NameEN: "Welding"}}); err != nil {
				t.Fatal(err)
			}
			if err := s.Audit(WithActor(context.Background(), "analis", "10.0.0.9"), AuditLoginFail, "analis", ""); err != nil {
				t.Fatal(err)
			}
			// when the trail is read
			log, err := s.AuditLog(context.Background(), start, 0)
			if err != nil {
				t.Fatal(err)
			}
			// then every act is there in order, with who did it, and no
			// secret appears in any entry
			var got []string
			for _, e := range log {
				got = append(got, e.Action+" by "+e.Actor+"@"+e.Remote+" on "+e.Target)
				for _, secret := range []string{code, "kata-sandi-rahasia"} {
					if strings.Contains(e.Detail+e.Target, secret) {
						t.Fatalf("entry %+v holds a secret", e)
					}
				}
			}
			want := []string{
				"centre.add by cli:admin@ on " + c.ID,
				"code.issue by cli:admin@ on " + c.ID,
				"device.enrol by unknown@10.0.0.7 on " + d.ID,
				"device.revoke by cli:admin@ on " + d.ID,
				"user.add by cli:admin@ on analis",
				"refdata.import by cli:admin@ on ",
				"login.fail by analis@10.0.0.9 on analis",
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("trail:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			// and a later start leaves the earlier entries out
			later, err := s.AuditLog(context.Background(), log[len(log)-1].At.Add(time.Millisecond), 0)
			if err != nil || len(later) != 0 {
				t.Fatalf("since the last entry: %v %v", later, err)
			}
		})
	}
}

func TestAnAuditEntryIsBoundedAndStorable(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			// given a login attempt under a hostile name: huge, with NUL
			// and invalid UTF-8 (PostgreSQL refuses both in text)
			name := strings.Repeat("x\x00\xff", 100000)
			ctx := WithActor(context.Background(), name, "10.0.0.9")
			// when it is recorded, then it is stored, cleaned and cut
			if err := s.Audit(ctx, AuditLoginFail, name, ""); err != nil {
				t.Fatal(err)
			}
			log, err := s.AuditLog(context.Background(), time.Time{}, 0)
			if err != nil || len(log) != 1 {
				t.Fatalf("%v %v", log, err)
			}
			if e := log[0]; e.Actor != strings.Repeat("x", maxAuditField) || e.Target != e.Actor {
				t.Fatalf("stored actor %.50q… (%d bytes)", e.Actor, len(e.Actor))
			}
		})
	}
}

func TestCentreAddGivesTheFirstPCItsProfile(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// given a centre the ministry registers with what it knows
			c, err := s.AddCentre(ctx, Centre{Name: "BLK Komunitas Al-Hikmah", Region: "3201",
				Profile: domain.Centre{HostType: "pesantren", Head: "KH. Ahmad", Phone: "0812-3456-7890"}})
			if err != nil {
				t.Fatal(err)
			}
			// when its first PC enrols and pulls
			d := enrolled(t, s, c.ID, "pc1")
			p, err := s.Pull(ctx, c.ID, d.ID, 0, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			// then the centre's profile is in the first page
			var prof *domain.Change
			for i := range p.Changes {
				if p.Changes[i].Table == "centres" {
					prof = &p.Changes[i]
				}
			}
			if prof == nil || prof.ID != c.ID {
				t.Fatalf("no profile in the pull: %+v", p.Changes)
			}
			for k, want := range map[string]any{"name": "BLK Komunitas Al-Hikmah", "village_code": "3201", "host_type": "pesantren", "head": "KH. Ahmad", "phone": "+6281234567890", "centre_id": c.ID} {
				if prof.Fields[k] != want {
					t.Fatalf("profile %s = %v, want %v", k, prof.Fields[k], want)
				}
			}
		})
	}
}

func TestACentreWithAnInvalidProfileIsNotRegistered(t *testing.T) {
	for kind, s := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// when the ministry gives a phone number that is not one
			_, err := s.AddCentre(ctx, Centre{Name: "BLK X", Region: "3201", Profile: domain.Centre{Phone: "nomor saya"}})
			// then nothing is registered
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("add: %v", err)
			}
			cs, err := s.Centres(ctx)
			if err != nil || len(cs) != 0 {
				t.Fatalf("centres after a refused add: %v %v", cs, err)
			}
		})
	}
}
