package sync_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// A cohort with trainees enrolled, saved on d and synced to every PC.
func certCohort(t *testing.T, d *device, n int) (*domain.Cohort, []*domain.Enrollment) {
	t.Helper()
	ctx := context.Background()
	p := &domain.Programme{Name: "Teknik Las Dasar", FieldCode: "LAS", TotalJP: 16, MinutesPerJP: 45}
	if _, err := d.st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	u := &domain.ProgrammeUnit{ProgrammeID: p.ID, UnitCode: "LAS.01.001.01", Title: "Menerapkan K3 pengelasan", JP: 16}
	if _, err := d.st.Save(ctx, u); err != nil {
		t.Fatal(err)
	}
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 1, StartDate: "2026-09-01", EndDate: "2026-10-30", Quota: 16, Status: domain.CohortRunning}
	if _, err := d.st.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	var ens []*domain.Enrollment
	for i := range n {
		tr := trainee(100+i, "Siti "+letters(i))
		if _, err := d.st.Save(ctx, tr); err != nil {
			t.Fatal(err)
		}
		e := &domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentActive}
		if _, err := d.st.Save(ctx, e); err != nil {
			t.Fatal(err)
		}
		ens = append(ens, e)
	}
	return c, ens
}

func graduate(t *testing.T, d *device, e *domain.Enrollment) {
	t.Helper()
	ctx := context.Background()
	got := &domain.Enrollment{}
	got.ID = e.ID
	if err := d.st.Get(ctx, got); err != nil {
		t.Fatal(err)
	}
	got.Status, got.CompletedOn = domain.EnrollmentCompleted, "2026-10-30"
	if _, err := d.st.Save(ctx, got); err != nil {
		t.Fatalf("%s graduates %s: %v", d.name, e.ID, err)
	}
	a := &domain.Assessment{EnrollmentID: e.ID, UnitCode: "LAS.01.001.01", Result: domain.Competent, AssessedOn: "2026-10-29"}
	if _, err := d.st.Save(ctx, a); err != nil {
		t.Fatal(err)
	}
}

func certificatesOf(t *testing.T, d *device, ens []*domain.Enrollment) map[string][]*domain.Certificate {
	t.Helper()
	ids := make([]string, len(ens))
	for i, e := range ens {
		ids[i] = e.ID
	}
	got, err := d.st.CertificatesOf(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// Two PCs of one centre graduate trainees of one cohort on the same day
// while offline: every graduate gets a number at once, no number is given
// twice, each carries its PC's server-given device number, and after sync
// the server confirms every one of them by code and by number.
func TestTwoPCsIssueDistinctCertificateNumbersOffline(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			st := openBackend(t, kind)
			url := startServer(t, st)
			centre, err := st.AddCentre(ctx, central.Centre{Name: "BLK Komunitas Al-Ikhlas", Region: "3201"})
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(`^32\d{3}$`).MatchString(centre.Code) {
				t.Fatalf("centre code %q: want the province and a number", centre.Code)
			}
			a := enrolDevice(t, st, url, centre.ID, "PC-A")
			b := enrolDevice(t, st, url, centre.ID, "PC-B")
			_, ens := certCohort(t, a, 8)
			mustRound(t, a)
			mustRound(t, b)

			// offline: A graduates the first half, B the second half,
			// and both graduate trainee 0 (the same fact on two PCs).
			for i, e := range ens {
				if i < 4 {
					graduate(t, a, e)
				}
				if i >= 4 || i == 0 {
					graduate(t, b, e)
				}
			}
			ca, cb := certificatesOf(t, a, ens), certificatesOf(t, b, ens)
			want := regexp.MustCompile(`^` + centre.Code + `/LAS/2026/([12])-(\d{4})$`)
			seen := map[string]string{}
			for _, cs := range []map[string][]*domain.Certificate{ca, cb} {
				for en, list := range cs {
					for _, c := range list {
						m := want.FindStringSubmatch(c.Number)
						if m == nil {
							t.Fatalf("number %q does not read <centre>/<field>/<year>/<device>-<seq>", c.Number)
						}
						if prev, dup := seen[c.Number]; dup {
							t.Fatalf("number %s given twice (enrollments %s and %s)", c.Number, prev, en)
						}
						seen[c.Number] = en
						if _, ok := domain.NormalizeCertificateCode(c.Code); !ok {
							t.Fatalf("code %q is not a check code", c.Code)
						}
					}
				}
			}
			if len(seen) != 9 {
				t.Fatalf("%d numbers for 8 graduations plus one twice-graduated trainee, want 9", len(seen))
			}
			before := map[string]string{}
			for n, en := range seen {
				before[n] = en
			}

			// when both sync
			mustRound(t, a)
			mustRound(t, b)
			mustRound(t, a)

			// then both PCs hold all nine certificates unchanged
			for _, d := range []*device{a, b} {
				got := certificatesOf(t, d, ens)
				n := 0
				for en, list := range got {
					for _, c := range list {
						n++
						if before[c.Number] != en {
							t.Fatalf("%s: number %s moved or changed after sync", d.name, c.Number)
						}
					}
				}
				if n != 9 {
					t.Fatalf("%s holds %d certificates after sync, want 9", d.name, n)
				}
			}
			// and the server confirms each, by code and by number
			v := st.(central.Verifier)
			for _, list := range certificatesOf(t, a, ens) {
				for _, c := range list {
					byCode, err := v.CheckCertificate(ctx, c.Code, "")
					if err != nil {
						t.Fatal(err)
					}
					if byCode.Status != central.CertificateValid || byCode.Number != c.Number || byCode.Holder == "" {
						t.Fatalf("check of %s by code: %+v", c.Number, byCode)
					}
					byNo, err := v.CheckCertificate(ctx, "", c.Number)
					if err != nil {
						t.Fatal(err)
					}
					if byNo.Status != central.CertificateValid || byNo.Holder != byCode.Holder {
						t.Fatalf("check of %s by number: %+v", c.Number, byNo)
					}
				}
			}
		})
	}
}

// A certificate printed before the PC's first sync is unknown to the
// server until it syncs, then confirmed; revoking it on the desktop syncs
// and the server says revoked, with the date; one altered character of
// the code finds nothing.
func TestCertificateIsConfirmedAfterSyncAndRevokedFromTheDesktop(t *testing.T) {
	for _, kind := range backends(t) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			st := openBackend(t, kind)
			url := startServer(t, st)
			centre := addCentre(t, st, "BLK Komunitas Nurul Huda")
			a := enrolDevice(t, st, url, centre, "PC-A")
			_, ens := certCohort(t, a, 1)
			graduate(t, a, ens[0])
			c := certificatesOf(t, a, ens)[ens[0].ID][0]
			v := st.(central.Verifier)
			if got, _ := v.CheckCertificate(ctx, c.Code, ""); got.Status != central.CertificateNotFound {
				t.Fatalf("before sync: %+v", got)
			}
			mustRound(t, a)
			got, err := v.CheckCertificate(ctx, c.Code, "")
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != central.CertificateValid || got.Holder != "Siti a" || got.Programme != "Teknik Las Dasar" ||
				got.CohortFrom != "2026-09-01" || got.CohortTo != "2026-10-30" || got.Centre != "BLK Komunitas Nurul Huda" ||
				got.IssuedOn != "2026-10-30" || fmt.Sprint(got.Units) != "[LAS.01.001.01 Menerapkan K3 pengelasan]" {
				t.Fatalf("after sync: %+v", got)
			}
			altered := []byte(c.Code)
			if altered[5] == 'A' {
				altered[5] = 'B'
			} else {
				altered[5] = 'A'
			}
			if got, _ := v.CheckCertificate(ctx, string(altered), ""); got.Status != central.CertificateNotFound {
				t.Fatalf("altered code %s: %+v", altered, got)
			}
			if err := a.st.RevokeCertificate(ctx, c.ID, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), "salah nama"); err != nil {
				t.Fatal(err)
			}
			mustRound(t, a)
			got, _ = v.CheckCertificate(ctx, c.Code, "")
			if got.Status != central.CertificateRevoked || got.RevokedOn != "2026-11-20" {
				t.Fatalf("after revoking: %+v", got)
			}
		})
	}
}

// A PC that never enrolled still numbers every graduate, with its offline
// centre code, and has no check address to print.
func TestNeverEnrolledPCNumbersWithoutServer(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	c := &domain.Centre{Name: "BLK Komunitas Offline", VillageCode: "3201011001"}
	if _, err := s.InitCentre(ctx, c); err != nil {
		t.Fatal(err)
	}
	d := &device{name: "offline", st: s}
	_, ens := certCohort(t, d, 2)
	graduate(t, d, ens[0])
	graduate(t, d, ens[1])
	got := certificatesOf(t, d, ens)
	n0, n1 := got[ens[0].ID][0].Number, got[ens[1].ID][0].Number
	prefix := domain.CertificatePrefix(domain.OfflineCentreCode(c.ID), "LAS", 2026, domain.OfflineDevice(s.DeviceID()))
	if n0 != prefix+"0001" || n1 != prefix+"0002" {
		t.Fatalf("numbers %s, %s; want %s0001 and …0002", n0, n1, prefix)
	}
	if u, err := s.CheckURL(ctx, got[ens[0].ID][0].Code); err != nil || u != "" {
		t.Fatalf("check URL of a never-enrolled PC: %q %v", u, err)
	}
	// The enrollment carries the number too (exports, trainee detail).
	e := &domain.Enrollment{}
	e.ID = ens[0].ID
	if err := s.Get(ctx, e); err != nil || e.CertificateNo != n0 {
		t.Fatalf("enrollment certificate_no %q, want %s (%v)", e.CertificateNo, n0, err)
	}
	_ = store.MetaDeviceNo
}
