package exchange_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange"
	"github.com/kemnaker/blk/exchange/traineeimport"
	"github.com/kemnaker/blk/store"
)

// fullTrainees saves trainees that use every field the import knows.
func fullTrainees(t *testing.T, s *store.Store) []*domain.Trainee {
	t.Helper()
	ctx := context.Background()
	ts := []*domain.Trainee{
		{NIK: nik(date(2001, 8, 17), true, 1), KK: "3201010101010001", Name: "Siti Aminah", Sex: "P", BirthPlace: "Bogor", BirthDate: "2001-08-17",
			Education: "sma", Group: "santri", Disability: "tuna rungu", Address: "Jl. Raya, RT 01/RW 02", VillageCode: "3201011001",
			PostalCode: "16911", Phone: "0812-3456-7890", Email: "siti@mail.com"},
		{NIK: nik(date(1999, 1, 2), false, 2), Name: "Ahmad Fauzi", Sex: "L", BirthDate: "1999-01-02", Education: "none", Group: "worker", Phone: "021-555-1234"},
		// a warning (sex disagrees with the NIK) must survive the round trip as well
		{NIK: nik(date(2002, 2, 20), true, 3), Name: "Rina", Sex: "L", BirthDate: "2002-02-20"},
	}
	for _, tr := range ts {
		if _, err := s.Save(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	return ts
}

func TestExportThenImportChangesNothing(t *testing.T) {
	ctx := context.Background()
	for _, ext := range []string{".xlsx", ".csv"} {
		t.Run(ext, func(t *testing.T) {
			// given trainees using every field
			s := newStore(t)
			fullTrainees(t, s)
			before, _ := store.ListOf[*domain.Trainee](ctx, s, store.Query{})
			pending, _ := s.PendingCount(ctx)
			// when the list is exported and imported back
			path := filepath.Join(t.TempDir(), "peserta"+ext)
			if err := exchange.ExportFile(ctx, s, "trainees", path); err != nil {
				t.Fatal(err)
			}
			rep, err := traineeimport.Import(ctx, s, path, traineeimport.Options{})
			if err != nil {
				t.Fatal(err)
			}
			// then every row is unchanged and no change was recorded
			for _, r := range rep.Rows {
				if r.Status != traineeimport.RowUnchanged {
					t.Errorf("row %d %s %v", r.Line, r.Status, r.Reasons)
				}
			}
			after, _ := store.ListOf[*domain.Trainee](ctx, s, store.Query{})
			if !reflect.DeepEqual(before, after) {
				t.Errorf("records changed:\n%+v\n%+v", before, after)
			}
			if n, _ := s.PendingCount(ctx); n != pending || len(rep.Rows) != 3 {
				t.Errorf("outbox %d → %d, %d rows", pending, n, len(rep.Rows))
			}
		})
	}
}

func TestExportXLSXKeepsNIKAndPhoneAsTextAndDatesAsDates(t *testing.T) {
	ctx := context.Background()
	// given trainees
	s := newStore(t)
	ts := fullTrainees(t, s)
	// when exported to xlsx
	var buf bytes.Buffer
	if err := exchange.Export(ctx, s, "trainees", exchange.FormatXLSX, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	rows, _ := f.GetRows(sheet)
	// then the header is in Indonesian and the cells have the right types
	if sheet != "Peserta" || strings.Join(rows[0], "|") != "ID|NIK|No. KK|Nama|Jenis kelamin|Tempat lahir|Tanggal lahir|Pendidikan|Kelompok|Disabilitas|Alamat|Desa/kelurahan|Kode pos|No. HP|Email" {
		t.Fatalf("sheet %q header %q", sheet, rows[0])
	}
	want := map[string]struct {
		value string
		typ   excelize.CellType
	}{
		"B2": {ts[0].NIK, excelize.CellTypeInlineString},
		"N2": {"081234567890", excelize.CellTypeInlineString},
		"H2": {"SMA/SMK/sederajat", excelize.CellTypeInlineString},
	}
	for ref, w := range want {
		v, _ := f.GetCellValue(sheet, ref)
		typ, _ := f.GetCellType(sheet, ref)
		if v != w.value || typ != w.typ {
			t.Errorf("%s = %q (%v), want %q (%v)", ref, v, typ, w.value, w.typ)
		}
	}
	raw, _ := f.GetCellValue(sheet, "G2", excelize.Options{RawCellValue: true})
	shown, _ := f.GetCellValue(sheet, "G2")
	if raw != "37120" || shown != "17/08/2001" {
		t.Errorf("birth date cell raw %q shown %q, want day number 37120 shown as 17/08/2001", raw, shown)
	}
	if w, _ := f.GetColWidth(sheet, "B"); w < 18 {
		t.Errorf("NIK column width %v too narrow", w)
	}
}

func TestExportIsTheSameBytesEveryTime(t *testing.T) {
	ctx := context.Background()
	// given a centre with data in every list
	s := newStore(t)
	fullTrainees(t, s)
	for _, what := range exchange.Lists {
		for _, format := range []string{exchange.FormatXLSX, exchange.FormatCSV} {
			// when a list is exported twice
			var a, b bytes.Buffer
			if err := exchange.Export(ctx, s, what, format, &a); err != nil {
				t.Fatal(err)
			}
			if err := exchange.Export(ctx, s, what, format, &b); err != nil {
				t.Fatal(err)
			}
			// then the files are identical (no timestamps inside)
			if !bytes.Equal(a.Bytes(), b.Bytes()) || a.Len() == 0 {
				t.Errorf("%s.%s differs between two exports", what, format)
			}
		}
	}
}

// everyList saves a cohort with an instructor, an enrolled graduate with
// attendance, results and a training certificate, an outcome rated by the
// employer, a BNSP certificate, a partner, funding and the kemandirian
// records: a record in every list.
func everyList(t *testing.T, s *store.Store) *domain.Trainee {
	t.Helper()
	ctx := context.Background()
	tr := fullTrainees(t, s)[0]
	in := &domain.Instructor{Name: "Pak Darto"}
	p := &domain.Programme{Name: "Menjahit Dasar", FieldCode: "JHT", TotalJP: 160, MinutesPerJP: 45}
	for _, r := range []domain.Record{in, p} {
		if _, err := s.Save(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 1, StartDate: "2026-01-05", EndDate: "2026-02-27", Quota: 16, Status: domain.CohortCompleted, InstructorIDs: in.ID, FundingSource: "APBN"}
	if _, err := s.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	en := &domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentCompleted, CompletedOn: "2026-02-27", CertificateNo: "001/BLK/2026"}
	if _, err := s.Save(ctx, en); err != nil {
		t.Fatal(err)
	}
	out := &domain.Outcome{TraineeID: tr.ID, SurveyedOn: "2026-05-27", Status: domain.OutcomeEmployed, Employer: "PT Garmen"}
	if _, err := s.Save(ctx, out); err != nil {
		t.Fatal(err)
	}
	for _, r := range []domain.Record{
		&domain.Attendance{EnrollmentID: en.ID, Date: "2026-01-05", Mark: "H"},
		&domain.Attendance{EnrollmentID: en.ID, Date: "2026-01-06", Mark: "S"},
		&domain.Assessment{EnrollmentID: en.ID, UnitCode: "U1", Result: "K", AssessedOn: "2026-02-20", CertificateNo: "BNSP-9"},
		&domain.Partner{Name: "PT Garmen", Type: domain.PartnerIndustry},
		&domain.Funding{Source: "APBN", Amount: 500000000, Year: 2026, CohortID: c.ID},
		&domain.LedgerLine{Date: "2026-03-02", Direction: domain.LedgerIncome, Amount: 750000, Category: "product_sales", Unit: "Konveksi"},
		&domain.InstructorCertification{InstructorID: in.ID, Kind: domain.CertMethodology, Number: "MET-1", ExpiresOn: "2029-01-01"},
		&domain.LegalDocument{Kind: domain.DocAccreditation, Number: "LA-7", Grade: "B"},
		&domain.RoadmapTarget{Year: "2027", Graduates: 120, PlacementPct: 60, OwnIncomePct: 20},
		&domain.CompetencyCertificate{TraineeID: tr.ID, Number: "62090 2345 2026", Scheme: "Penjahit Pakaian", LSP: "LSP Garmen", IssuedOn: "2026-03-10", ExpiresOn: "2029-03-10"},
		&domain.EmployerRating{OutcomeID: out.ID, RatedOn: "2026-06-01", Rater: "Bu Wati, HRD", Competence: 4, Discipline: 5, Teamwork: 3, Comment: "Rapi"},
	} {
		if _, err := s.Save(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

func TestExportListsNamesNotIDs(t *testing.T) {
	ctx := context.Background()
	// given data in every list
	s := newStore(t)
	tr := everyList(t, s)
	want := map[string]string{
		"cohorts": "Menjahit Dasar,JHT,2026,1,2026-01-05,2026-02-27,16,Pak Darto,APBN,Selesai",
		// Graduating issued the certificate on the completion date.
		"enrollments":               "Menjahit Dasar 2026/1," + tr.NIK + ",Siti Aminah,,Lulus,2026-02-27,50.0,1,0,Kompeten,BNSP-9,001/BLK/2026,2026-02-27",
		"outcomes":                  tr.NIK + ",Siti Aminah,2026-05-27,Bekerja,PT Garmen,,,",
		"partners":                  "PT Garmen,Industri,,,,,,,",
		"funding":                   "APBN,500000000,2026,Menjahit Dasar 2026/1,,,",
		"ledger_lines":              "2026-03-02,Pemasukan,750000,Penjualan produk,Konveksi,",
		"instructor_certifications": "Pak Darto,Metodologi (Dikdas),MET-1,,,2029-01-01",
		"legal_documents":           "Akreditasi LA-LPK,LA-7,B,,,,",
		"roadmap_targets":           "2027,120,60,20",
		"certificates":              "001/BLK/2026," + tr.NIK + ",Siti Aminah,Menjahit Dasar 2026/1,2026-02-27," + certificateCode(t, s) + ",,",
		"competency_certificates":   tr.NIK + ",Siti Aminah,62090 2345 2026,Penjahit Pakaian,LSP Garmen,2026-03-10,2029-03-10",
		"employer_ratings":          tr.NIK + ",Siti Aminah,PT Garmen,2026-06-01,\"Bu Wati, HRD\",4,5,3,Rapi",
	}
	if len(want) != len(exchange.Lists)-1 {
		t.Errorf("%d lists checked of %d", len(want)+1, len(exchange.Lists))
	}
	for what, line := range want {
		// when each list is exported as csv
		var buf bytes.Buffer
		if err := exchange.Export(ctx, s, what, exchange.FormatCSV, &buf); err != nil {
			t.Fatal(err)
		}
		// then its row shows names and labels (after the id column)
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if len(lines) != 2 {
			t.Fatalf("%s: %q", what, buf.String())
		}
		row := strings.TrimSpace(lines[1])
		if _, rest, _ := strings.Cut(row, ","); rest != line {
			t.Errorf("%s row\n got %s\nwant %s", what, rest, line)
		}
	}
}

// certificateCode is the check code of the one training certificate of s.
func certificateCode(t *testing.T, s *store.Store) string {
	t.Helper()
	cs, err := store.ListOf[*domain.Certificate](context.Background(), s, store.Query{})
	if err != nil || len(cs) != 1 {
		t.Fatalf("certificates %v: %v", cs, err)
	}
	return cs[0].Code
}

func TestExportOfTheWeeksRecordsReadsBackFromXLSX(t *testing.T) {
	ctx := context.Background()
	// given a certificate revoked after graduation, besides a record in every list
	s := newStore(t)
	tr := everyList(t, s)
	cs, _ := store.ListOf[*domain.Certificate](ctx, s, store.Query{})
	cs[0].RevokedOn, cs[0].RevokeReason = "2026-03-01", "nama salah"
	if _, err := s.Save(ctx, cs[0]); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what, sheet, header string
		row                 []string // after the id
	}{
		{"certificates", "Sertifikat pelatihan", "ID|No. sertifikat|NIK|Nama|Angkatan|Tanggal terbit|Kode cek|Dicabut pada|Alasan pencabutan",
			[]string{"001/BLK/2026", tr.NIK, "Siti Aminah", "Menjahit Dasar 2026/1", "27/02/2026", cs[0].Code, "01/03/2026", "nama salah"}},
		{"competency_certificates", "Sertifikat kompetensi BNSP", "ID|NIK|Nama|No. sertifikat|Skema sertifikasi|LSP|Tanggal terbit|Berlaku sampai",
			[]string{tr.NIK, "Siti Aminah", "62090 2345 2026", "Penjahit Pakaian", "LSP Garmen", "10/03/2026", "10/03/2029"}},
		{"employer_ratings", "Penilaian pemberi kerja", "ID|NIK|Nama|Tempat kerja/usaha|Tanggal penilaian|Penilai (nama/jabatan)|Kompetensi teknis|Sikap dan disiplin kerja|Kerja sama tim|Komentar",
			[]string{tr.NIK, "Siti Aminah", "PT Garmen", "01/06/2026", "Bu Wati, HRD", "4", "5", "3", "Rapi"}},
		{"roadmap_targets", "Target peta jalan", "ID|Tahun|Target lulusan|Target penempatan (%)|Target pendapatan sendiri (%)",
			[]string{"2027", "120", "60", "20"}},
	} {
		// when the list is exported to an xlsx file
		path := filepath.Join(t.TempDir(), c.what+".xlsx")
		if err := exchange.ExportFile(ctx, s, c.what, path); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sheet := f.GetSheetList()[0]
		rows, err := f.GetRows(sheet)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		// then the sheet, the Indonesian header and the one row read back
		if sheet != c.sheet || len(rows) != 2 || strings.Join(rows[0], "|") != c.header {
			t.Errorf("%s: sheet %q rows %q", c.what, sheet, rows)
			continue
		}
		if rows[1][0] == "" || !reflect.DeepEqual(rows[1][1:], c.row) {
			t.Errorf("%s row\n got %q\nwant %q", c.what, rows[1][1:], c.row)
		}
	}
}

func TestExportFileRefusesUnknownListsAndFormats(t *testing.T) {
	s := newStore(t)
	dir := t.TempDir()
	for _, c := range []struct{ what, file, want string }{
		{"trainees", "x.pdf", "must end in .xlsx or .csv"},
		{"people", "x.xlsx", "unknown list"},
	} {
		err := exchange.ExportFile(context.Background(), s, c.what, filepath.Join(dir, c.file))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: %v", c.what, c.file, err)
		}
		if _, statErr := os.Stat(filepath.Join(dir, c.file)); statErr == nil {
			t.Errorf("%s was written", c.file)
		}
	}
}

func TestExportWithProgressCountsRowsAndWritesTheSameFile(t *testing.T) {
	ctx := context.Background()
	// given three trainees
	s := newStore(t)
	fullTrainees(t, s)
	// when exported with and without progress
	var plain, counted bytes.Buffer
	var seen []int
	if err := exchange.Export(ctx, s, "trainees", exchange.FormatXLSX, &plain); err != nil {
		t.Fatal(err)
	}
	if err := exchange.ExportWithProgress(ctx, s, "trainees", exchange.FormatXLSX, &counted, func(done int) { seen = append(seen, done) }); err != nil {
		t.Fatal(err)
	}
	// then progress saw every row and the files are identical
	if !reflect.DeepEqual(seen, []int{1, 2, 3}) || !bytes.Equal(plain.Bytes(), counted.Bytes()) {
		t.Errorf("progress %v, same bytes %v", seen, bytes.Equal(plain.Bytes(), counted.Bytes()))
	}
}

// memorySource is another Source, as the server's storage is: the same
// records, held elsewhere, yielded in id order.
type memorySource map[string][]domain.Record

func (m memorySource) EachRecord(ctx context.Context, table string, fn func(domain.Record) error) error {
	for _, r := range m[table] {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func TestExportOfAnotherSourceWithTheSameRecordsIsIdentical(t *testing.T) {
	ctx := context.Background()
	// given a centre with data in every list, and a copy of its records in another Source
	s := newStore(t)
	everyList(t, s)
	mem := memorySource{}
	for _, tb := range domain.Tables {
		err := s.EachRecord(ctx, tb.Name, func(r domain.Record) error { mem[tb.Name] = append(mem[tb.Name], r); return nil })
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, what := range exchange.Lists {
		for _, format := range []string{exchange.FormatXLSX, exchange.FormatCSV} {
			// when both export a list
			var a, b bytes.Buffer
			if err := exchange.Export(ctx, s, what, format, &a); err != nil {
				t.Fatal(err)
			}
			if err := exchange.Export(ctx, mem, what, format, &b); err != nil {
				t.Fatal(err)
			}
			// then the files are byte for byte the same (blk export = blk-server export)
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s.%s differs between the store and another Source", what, format)
			}
		}
	}
}
