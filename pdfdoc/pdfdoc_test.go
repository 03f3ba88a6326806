package pdfdoc_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/pdfdoc"
	"github.com/kemnaker/blk/store"
)

var today = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

type fixture struct {
	s                *store.Store
	cohort           *domain.Cohort
	siti, budi, rini *domain.Trainee
}

// newFixture builds a centre with one finished cohort: Siti and Budi
// graduated (certificates 001 and 002), Rini dropped out.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return today }
	if _, err := s.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren", Foundation: "Yayasan Pondok Pesantren Al-Hikmah",
		Address: "Jl. Raya Cibinong No. 5", VillageCode: "3201011001", Head: "H. Ahmad Fauzi, S.Pd.I"}); err != nil {
		t.Fatal(err)
	}
	f := &fixture{s: s}
	save := func(r domain.Record) {
		t.Helper()
		if _, err := s.Save(ctx, r); err != nil {
			t.Fatalf("%T: %v", r, err)
		}
	}
	in := &domain.Instructor{Name: "Darto Wiryo"}
	save(in)
	p := &domain.Programme{Name: "Menjahit Pakaian Dasar", FieldCode: "JHT", TotalJP: 160, MinutesPerJP: 45}
	save(p)
	save(&domain.ProgrammeUnit{ProgrammeID: p.ID, UnitCode: "C.14KPW01.001.1", Title: "Mengukur badan", JP: 80, Position: 1})
	save(&domain.ProgrammeUnit{ProgrammeID: p.ID, UnitCode: "C.14KPW01.002.1", Title: "Menjahit kemeja", JP: 80, Position: 2})
	f.cohort = &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 3, StartDate: "2026-07-06", EndDate: "2026-08-17", Quota: 16,
		InstructorIDs: in.ID, FundingSource: "APBN Kemnaker", Status: domain.CohortCompleted}
	save(f.cohort)
	save(&domain.Funding{Source: "APBN Kemnaker", Amount: 250000000, Year: 2026, CohortID: f.cohort.ID, ReceivedOn: "2026-06-01"})
	save(&domain.Partner{Name: "PT Busana Jaya", Type: domain.PartnerIndustry, MoUNumber: "12/MoU/2026", MoUEnd: "2027-12-31"})
	person := func(name, sex string, birth time.Time, serial int) *domain.Trainee {
		tr := &domain.Trainee{NIK: domain.MakeNIK("320101", birth, sex == "P", serial), Name: name, Sex: sex, BirthPlace: "Bogor", BirthDate: birth.Format("2006-01-02")}
		save(tr)
		return tr
	}
	f.siti = person("Siti Nurhaliza", "P", time.Date(2001, 8, 17, 0, 0, 0, 0, time.UTC), 1)
	f.budi = person("Budi Santoso", "L", time.Date(1999, 1, 2, 0, 0, 0, 0, time.UTC), 2)
	f.rini = person("Rini Marlina", "P", time.Date(2000, 3, 4, 0, 0, 0, 0, time.UTC), 3)
	for i, tr := range []*domain.Trainee{f.siti, f.budi, f.rini} {
		e := &domain.Enrollment{CohortID: f.cohort.ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, CompletedOn: "2026-08-17",
			CertificateNo: []string{"001/BLKK-AH/VIII/2026", "002/BLKK-AH/VIII/2026", ""}[i], CertificateDate: "2026-08-20"}
		if tr == f.rini {
			e.Status, e.CompletedOn, e.CertificateDate = domain.EnrollmentDropped, "", ""
		}
		save(e)
		save(&domain.Attendance{EnrollmentID: e.ID, Date: "2026-07-06", Mark: "H"})
		save(&domain.Attendance{EnrollmentID: e.ID, Date: "2026-07-07", Mark: map[bool]string{true: "H", false: "A"}[tr == f.siti]})
		if tr != f.rini {
			save(&domain.Assessment{EnrollmentID: e.ID, UnitCode: "C.14KPW01.001.1", Result: "K", AssessedOn: "2026-08-15"})
			save(&domain.Assessment{EnrollmentID: e.ID, UnitCode: "C.14KPW01.002.1", Result: map[bool]string{true: "K", false: "BK"}[tr == f.siti], AssessedOn: "2026-08-15"})
		}
	}
	save(&domain.Outcome{TraineeID: f.siti.ID, SurveyedOn: "2026-11-17", Status: domain.OutcomeEmployed, Employer: "PT Busana Jaya"})
	return f
}

// pdfText extracts the text of a PDF with poppler's pdftotext; pages are
// separated by form feeds.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed; install it to check PDF text")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func pages(text string) int { return strings.Count(strings.TrimRight(text, "\f"), "\f") + 1 }

func assertContains(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
}

func TestCohortReportShowsProgrammeTraineesResultsAndSignature(t *testing.T) {
	// given a finished cohort
	f := newFixture(t)
	// when its report is printed
	var buf bytes.Buffer
	if err := pdfdoc.CohortReport(context.Background(), f.s, f.cohort.ID, &buf); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	// then it names the centre, programme, dates, JP, instructor, funding,
	// every trainee with NIK, attendance and result, and the signatory
	assertContains(t, text, "LAPORAN PELAKSANAAN PELATIHAN", "BLK Komunitas Al-Hikmah", "Menjahit Pakaian Dasar, Angkatan 3 Tahun 2026",
		"6 Juli 2026 s.d. 17 Agustus 2026", "160 JP (1 JP = 45 menit)", "Darto Wiryo", "APBN Kemnaker (Rp250.000.000)",
		"Siti Nurhaliza", f.siti.NIK, "Budi Santoso", f.budi.NIK, "Rini Marlina", "Kompeten (2 unit)", "BK 1 dari 2 unit",
		"100%", "50%", "Keluar", "Lulus", "Mengukur badan", "Bogor, 27 November 2026", "H. Ahmad Fauzi, S.Pd.I")
}

func TestCertificatesOnePagePerGraduate(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cases := []struct {
		name      string
		trainee   string
		pages     int
		want, not []string
		err       string
	}{
		{"whole cohort", "", 2, []string{"SERTIFIKAT PELATIHAN", "Siti Nurhaliza", "Budi Santoso", "Nomor: 001/BLKK-AH/VIII/2026", "Nomor: 002/BLKK-AH/VIII/2026",
			"NIK " + f.siti.NIK, "Menjahit Pakaian Dasar", "selama 160 jam", "6 Juli 2026", "17 Agustus 2026", "Bogor, 20 Agustus 2026", "H. Ahmad Fauzi"},
			[]string{"Rini Marlina"}, ""},
		{"one graduate", f.budi.ID, 1, []string{"Budi Santoso", "Nomor: 002/BLKK-AH/VIII/2026", "lahir di Bogor, 2 Januari 1999"}, []string{"Siti Nurhaliza"}, ""},
		{"a trainee who dropped out", f.rini.ID, 0, nil, nil, "belum lulus"},
		{"someone not in the cohort", "nobody", 0, nil, nil, "tidak terdaftar di angkatan ini"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// when certificates are printed
			var buf bytes.Buffer
			err := pdfdoc.Certificates(ctx, f.s, f.cohort.ID, c.trainee, &buf)
			// then graduates get one page each, others an explanation
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, buf.Bytes())
			if n := pages(text); n != c.pages {
				t.Errorf("%d pages, want %d", n, c.pages)
			}
			assertContains(t, text, c.want...)
			for _, n := range c.not {
				if strings.Contains(text, n) {
					t.Errorf("PDF has %q", n)
				}
			}
		})
	}
}

func TestAnnualSummaryCountsTheYear(t *testing.T) {
	// given the year's one cohort
	f := newFixture(t)
	// when the 2026 summary is printed
	var buf bytes.Buffer
	if err := pdfdoc.AnnualSummary(context.Background(), f.s, 2026, &buf); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	// then the rates, partners and funding are there
	assertContains(t, text, "REKAP TAHUNAN 2026", "2 dari 3 pendaftaran (67%); keluar 1", "1 lulusan (50% dari lulusan)",
		"1 dari 1 yang ditelusuri (100%)", "PT Busana Jaya", "12/MoU/2026 (s.d. 31 Desember 2027)", "Rp250.000.000", "Bekerja",
		"Menjahit Pakaian Dasar 2026/3", "Peserta", "Lulus", "Bogor, 27 November 2026")
}

func TestCohortReportOfUnknownCohortSaysWhereIDsComeFrom(t *testing.T) {
	f := newFixture(t)
	err := pdfdoc.CohortReport(context.Background(), f.s, "no-such-cohort", &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "blk export --what cohorts") {
		t.Errorf("error %v", err)
	}
}

func TestTanggalWritesIndonesianDates(t *testing.T) {
	for in, want := range map[string]string{"2026-08-17": "17 Agustus 2026", "2001-01-05": "5 Januari 2001", "": "-", "17/08/2026": "-"} {
		if got := pdfdoc.TanggalISO(in); got != want {
			t.Errorf("TanggalISO(%q) = %q, want %q", in, got, want)
		}
	}
}

// pdfImages returns the images a PDF embeds, rebuilt as the PNG files
// fpdf took them from: fpdf stores a PNG's IDAT data unchanged (Flate with
// PNG predictors), so the stream with an IHDR around it is that PNG again.
func pdfImages(t *testing.T, pdf []byte) []image.Image {
	t.Helper()
	head := regexp.MustCompile(`/Subtype /Image\s*/Width (\d+)\s*/Height (\d+)\s*/ColorSpace /DeviceGray\s*/BitsPerComponent 8[^>]*?/Filter /FlateDecode[\s\S]*?/Length (\d+)>>\s*stream\r?\n`)
	var out []image.Image
	for _, m := range head.FindAllSubmatchIndex(pdf, -1) {
		w, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
		h, _ := strconv.Atoi(string(pdf[m[4]:m[5]]))
		n, _ := strconv.Atoi(string(pdf[m[6]:m[7]]))
		data := pdf[m[1] : m[1]+n]
		var b bytes.Buffer
		b.WriteString("\x89PNG\r\n\x1a\n")
		chunk := func(kind string, body []byte) {
			_ = binary.Write(&b, binary.BigEndian, uint32(len(body)))
			crc := crc32.NewIEEE()
			crc.Write([]byte(kind))
			crc.Write(body)
			b.WriteString(kind)
			b.Write(body)
			_ = binary.Write(&b, binary.BigEndian, crc.Sum32())
		}
		ihdr := make([]byte, 13)
		binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
		binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
		ihdr[8] = 8 // bit depth; colour type 0 (grey), no interlace
		chunk("IHDR", ihdr)
		chunk("IDAT", data)
		chunk("IEND", nil)
		img, err := png.Decode(&b)
		if err != nil {
			t.Fatalf("embedded image %dx%d: %v", w, h, err)
		}
		out = append(out, img)
	}
	return out
}

func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("QR code does not decode: %v", err)
	}
	return res.GetText()
}

// A graduate of a PC enrolled with a server gets a number at graduation
// and a QR code that decodes to <server>/v/<code>; a PC that never
// enrolled prints the number without a QR code.
func TestCertificateCarriesQRCodeToTheCheckPage(t *testing.T) {
	ctx := context.Background()
	for _, enrolled := range []bool{true, false} {
		t.Run(map[bool]string{true: "enrolled", false: "never enrolled"}[enrolled], func(t *testing.T) {
			f := newFixture(t)
			if enrolled {
				for k, v := range map[string]string{"server_url": "https://blk.kemnaker.go.id/", store.MetaCentreCode: "32007", store.MetaDeviceNo: "2"} {
					if err := f.s.SetMeta(ctx, k, v); err != nil {
						t.Fatal(err)
					}
				}
			}
			// given Rini graduates after all, with no number typed
			e := &domain.Enrollment{CohortID: f.cohort.ID, TraineeID: f.rini.ID}
			domain.AssignNaturalID(e)
			if err := f.s.Get(ctx, e); err != nil {
				t.Fatal(err)
			}
			e.Status, e.CompletedOn = domain.EnrollmentCompleted, "2026-08-17"
			if _, err := f.s.Save(ctx, e); err != nil {
				t.Fatal(err)
			}
			certs, err := f.s.CertificatesOf(ctx, []string{e.ID})
			if err != nil || len(certs[e.ID]) != 1 {
				t.Fatalf("certificates of Rini: %v %v", certs, err)
			}
			c := certs[e.ID][0]
			want := "32007/JHT/2026/2-0001"
			if !enrolled {
				want = domain.CertificatePrefix(domain.OfflineCentreCode(f.s.CentreID()), "JHT", 2026, domain.OfflineDevice(f.s.DeviceID())) + "0001"
			}
			if c.Number != want {
				t.Fatalf("number %q, want %q", c.Number, want)
			}
			// when her certificate is printed
			var buf bytes.Buffer
			if err := pdfdoc.Certificates(ctx, f.s, f.cohort.ID, f.rini.ID, &buf); err != nil {
				t.Fatal(err)
			}
			// then it shows the number, and the QR code leads to the check page
			assertContains(t, pdfText(t, buf.Bytes()), "Nomor: "+want)
			imgs := pdfImages(t, buf.Bytes())
			if !enrolled {
				if len(imgs) != 0 {
					t.Fatalf("%d images on the certificate of a never-enrolled PC, want no QR code", len(imgs))
				}
				return
			}
			if len(imgs) != 1 {
				t.Fatalf("%d images, want the QR code", len(imgs))
			}
			if got := decodeQR(t, imgs[0]); got != "https://blk.kemnaker.go.id/v/"+c.Code {
				t.Fatalf("QR code reads %q, want https://blk.kemnaker.go.id/v/%s", got, c.Code)
			}
		})
	}
}
