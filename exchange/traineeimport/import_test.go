package traineeimport_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/exchange/traineeimport"
	"github.com/kemnaker/blk/store"
)

var today = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func newStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return today }
	if _, err := s.InitCentre(ctx, &domain.Centre{Name: "BLK Komunitas Al-Hikmah", HostType: "pesantren", VillageCode: "3201011001"}); err != nil {
		t.Fatal(err)
	}
	return s
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func nik(birth time.Time, female bool, serial int) string {
	return domain.MakeNIK("320101", birth, female, serial)
}

// spaced writes a NIK the way people type it off a KTP: in groups of four.
func spaced(n string) string { return n[:4] + " " + n[4:8] + " " + n[8:12] + " " + n[12:] }

// cell is what a test puts in one spreadsheet cell: a string is written as
// text, anything else (int, float64, time.Time) as Excel would store it.
type sheetRow []any

func writeXLSX(t testing.TB, rows []sheetRow) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			if v == nil {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			var err error
			switch x := v.(type) {
			case string:
				err = f.SetCellStr("Sheet1", ref, x)
			case time.Time:
				err = f.SetCellValue("Sheet1", ref, x)
				if err == nil {
					st, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
					err = f.SetCellStyle("Sheet1", ref, ref, st)
				}
			default:
				err = f.SetCellValue("Sheet1", ref, x)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "peserta.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func traineeByNIK(t *testing.T, s *store.Store, n string) *domain.Trainee {
	t.Helper()
	ts, err := store.ListOf[*domain.Trainee](context.Background(), s, store.Query{Filters: []store.Filter{{Field: "nik", Value: n}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 1 {
		t.Fatalf("NIK %s: %d trainees, want 1", n, len(ts))
	}
	return ts[0]
}

func TestImportReadsSpreadsheetsAsPeopleMakeThem(t *testing.T) {
	ctx := context.Background()
	// given a centre that already has Budi, and a messy list with a title
	// block, Indonesian headers, every way of writing dates, sexes, phones
	// and NIKs, blank rows, bad rows and a signature block under the list
	s := newStore(t)
	budiNIK := nik(date(1995, 6, 1), false, 9)
	if _, err := s.Save(ctx, &domain.Trainee{NIK: budiNIK, Name: "Budi Santoso", Sex: "L", BirthDate: "1995-06-01", Phone: "081200000000"}); err != nil {
		t.Fatal(err)
	}
	siti := nik(date(2001, 8, 17), true, 1)
	header := sheetRow{"No", "No. KTP", "Nama Lengkap", "L/P", "Tempat Lahir", "Tgl Lahir", "No. HP/WA", "Pendidikan Terakhir", "Alamat", "Email", "Kode Pos", "Desa/Kode Wilayah"}
	type want struct {
		status traineeimport.RowStatus
		reason string // a part of the reason, "" when there is none
		check  func(t *testing.T, tr *domain.Trainee)
	}
	cases := []struct {
		name string
		row  sheetRow
		want want
	}{
		{"serial date, spaced NIK, phone with spaces", sheetRow{1, spaced(siti), "Siti  Aminah", "P", "Bogor", 37120, "0812 3456 7890", "SMA", "Jl. Raya Bogor No. 1", "Siti@Mail.com", 16911, "32.01.01.1001"},
			want{traineeimport.RowImported, "", func(t *testing.T, tr *domain.Trainee) {
				if tr.Name != "Siti Aminah" || tr.BirthDate != "2001-08-17" || tr.Phone != "+6281234567890" || tr.Education != "sma" ||
					tr.Email != "siti@mail.com" || tr.PostalCode != "16911" || tr.VillageCode != "3201011001" {
					t.Errorf("stored %+v", tr)
				}
			}}},
		{"dd/mm/yyyy, Laki-laki, +62 with dashes, apostrophe NIK", sheetRow{2, "'" + nik(date(1999, 8, 17), false, 2), "Ahmad Fauzi", "Laki-laki", "Bandung", "17/08/1999", "+62 812-1111-2222", "SMK", nil, nil, nil, nil},
			want{traineeimport.RowImported, "", func(t *testing.T, tr *domain.Trainee) {
				if tr.Sex != "L" || tr.BirthDate != "1999-08-17" || tr.Phone != "+6281211112222" {
					t.Errorf("stored %+v", tr)
				}
			}}},
		{"d-m-yy, Pria, 62 prefix", sheetRow{3, nik(date(1998, 3, 5), false, 3), "Rudi Hartono", "Pria", "Depok", "5-3-98", "6281322223333", "SMP", nil, nil, nil, nil},
			want{traineeimport.RowImported, "", func(t *testing.T, tr *domain.Trainee) {
				if tr.BirthDate != "1998-03-05" || tr.Phone != "+6281322223333" || tr.Education != "smp" {
					t.Errorf("stored %+v", tr)
				}
			}}},
		{"ISO date, Wanita", sheetRow{4, nik(date(2000, 1, 2), true, 4), "Dewi Lestari", "Wanita", "Bekasi", "2000-01-02", "0813-4444-5555", "S1", nil, nil, nil, nil},
			want{traineeimport.RowImported, "", func(t *testing.T, tr *domain.Trainee) {
				if tr.Sex != "P" || tr.BirthDate != "2000-01-02" || tr.Education != "s1" {
					t.Errorf("stored %+v", tr)
				}
			}}},
		{"Indonesian month name, Perempuan", sheetRow{5, nik(date(2001, 8, 17), true, 5), "Nur Aisyah", "Perempuan", "Cianjur", "17 Agustus 2001", "0814 5555 6666", "Tidak sekolah", nil, nil, nil, nil},
			want{traineeimport.RowImported, "", func(t *testing.T, tr *domain.Trainee) {
				if tr.BirthDate != "2001-08-17" || tr.Education != "none" {
					t.Errorf("stored %+v", tr)
				}
			}}},
		{"real date cell", sheetRow{6, nik(date(1997, 12, 31), false, 6), "Joko Widodo", "L", "Solo", date(1997, 12, 31), "0815-1234-5678", nil, nil, nil, nil, nil},
			want{traineeimport.RowImported, "", func(t *testing.T, tr *domain.Trainee) {
				if tr.BirthDate != "1997-12-31" {
					t.Errorf("stored %+v", tr)
				}
			}}},
		{"NIK typed as a number", sheetRow{7, int64(3201015708010007), "Ani Suryani", "P", "Bogor", "17/08/2001", "0812-7777-8888", nil, nil, nil, nil, nil},
			want{traineeimport.RowRefused, "Excel hanya menyimpan 15 angka penting", nil}},
		{"NIK shown in scientific notation", sheetRow{8, "3.20101570801E+15", "Ani Lestari", "P", "Bogor", "17/08/2001", "0812-7777-9999", nil, nil, nil, nil, nil},
			want{traineeimport.RowRefused, "Format kolom sebagai Teks", nil}},
		{"sex disagrees with NIK", sheetRow{9, nik(date(2002, 2, 20), true, 9), "Rina Marlina", "L", "Bogor", "20/02/2002", "0812-9999-0000", nil, nil, nil, nil, nil},
			want{traineeimport.RowFlagged, "jenis kelamin tidak cocok dengan NIK", func(t *testing.T, tr *domain.Trainee) {
				if tr.Sex != "L" {
					t.Errorf("stored %+v", tr)
				}
			}}},
		{"same NIK as row 5 of the file", sheetRow{10, spaced(siti), "Siti Aminah", "P", "Bogor", "17/08/2001", "0812 3456 7890", nil, nil, nil, nil, nil},
			want{traineeimport.RowRefused, "NIK ini sudah ada di baris 5 file ini", nil}},
		{"phone that is no phone", sheetRow{11, nik(date(1996, 4, 4), false, 11), "Agus Salim", "L", "Bogor", "04/04/1996", "12345", nil, nil, nil, nil, nil},
			want{traineeimport.RowRefused, "nomor HP tidak valid", nil}},
		{"date that is no date", sheetRow{12, nik(date(1996, 4, 5), false, 12), "Bambang Pamungkas", "L", "Bogor", "tgl 32", "0812-1212-1212", nil, nil, nil, nil, nil},
			want{traineeimport.RowRefused, `Tanggal lahir "tgl 32" tidak terbaca`, nil}},
		{"NIK already registered: update", sheetRow{13, budiNIK, "Budi Santoso", "L", "Jakarta", "01/06/1995", "0812-3333-4444", nil, nil, nil, nil, nil},
			want{traineeimport.RowUpdated, "", func(t *testing.T, tr *domain.Trainee) {
				if tr.Phone != "+6281233334444" || tr.BirthPlace != "Jakarta" {
					t.Errorf("stored %+v", tr)
				}
			}}},
		{"name missing", sheetRow{14, nik(date(1996, 4, 6), false, 14), nil, "L", "Bogor", "06/04/1996", nil, nil, nil, nil, nil, nil},
			want{traineeimport.RowRefused, "Nama: wajib diisi", nil}},
	}
	rows := []sheetRow{{"DAFTAR PESERTA PELATIHAN"}, {"BLK Komunitas Al-Hikmah, Tahun 2026"}, {}, header}
	for i, c := range cases {
		rows = append(rows, c.row)
		if i == 6 {
			rows = append(rows, sheetRow{}) // a blank row inside the list
		}
	}
	rows = append(rows, sheetRow{}, sheetRow{nil, nil, nil, nil, nil, nil, nil, "Mengetahui,"}, sheetRow{nil, nil, nil, nil, nil, nil, nil, "Kepala BLK Al-Hikmah"}, sheetRow{}, sheetRow{nil, nil, nil, nil, nil, nil, nil, "(H. Ahmad Fauzi)"})
	path := writeXLSX(t, rows)

	// when it is imported
	var progress []int
	rep, err := traineeimport.Import(ctx, s, path, traineeimport.Options{Lang: domain.Indonesian, Progress: func(done, total int) {
		progress = append(progress, done)
		if total != len(cases) {
			t.Errorf("progress total %d, want %d", total, len(cases))
		}
	}})
	if err != nil {
		t.Fatal(err)
	}

	// then each row did exactly what it should, with its own row number
	if rep.HeaderLine != 4 || len(rep.Rows) != len(cases) || len(progress) != len(cases) {
		t.Fatalf("header line %d, %d rows, %d progress calls; want 4, %d, %d", rep.HeaderLine, len(rep.Rows), len(progress), len(cases), len(cases))
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := rep.Rows[i]
			wantLine := 5 + i
			if i > 6 {
				wantLine++
			}
			if got.Line != wantLine || got.Status != c.want.status {
				t.Fatalf("row %d %s (%v), want row %d %s", got.Line, got.Status, got.Reasons, wantLine, c.want.status)
			}
			reasons := strings.Join(got.Reasons, "; ")
			if c.want.reason == "" && len(got.Reasons) > 0 || !strings.Contains(reasons, c.want.reason) {
				t.Errorf("reasons %q, want %q", reasons, c.want.reason)
			}
			if c.want.check != nil {
				c.want.check(t, traineeByNIK(t, s, got.NIK))
			}
		})
	}
	if rep.Imported != 6 || rep.Updated != 1 || rep.Flagged != 1 || rep.Refused != 6 {
		t.Errorf("counts %d new, %d updated, %d flagged, %d refused", rep.Imported, rep.Updated, rep.Flagged, rep.Refused)
	}
	if len(rep.Skipped) != 4 {
		t.Errorf("skipped footer rows %v, want the 4 signature lines", rep.Skipped)
	}
	n, _ := s.Count(ctx, domain.LookupTable("trainees"), store.Query{})
	if n != 1+6+1 {
		t.Errorf("%d trainees stored, want 8 (Budi, 6 new, 1 flagged)", n)
	}
}

func TestImportReportsReasonsInEnglishWhenAsked(t *testing.T) {
	// given a list with a NIK typed as a number
	s := newStore(t)
	path := writeXLSX(t, []sheetRow{{"NIK", "Nama", "Jenis Kelamin", "Tanggal Lahir"}, {int64(3201015708010001), "Siti", "P", "17/08/2001"}})
	// when it is imported in English
	rep, err := traineeimport.Import(context.Background(), s, path, traineeimport.Options{Lang: domain.English})
	// then the refusal explains Excel's 15 digits in English
	if err != nil {
		t.Fatal(err)
	}
	if rep.Refused != 1 || !strings.Contains(rep.Rows[0].Reasons[0], "Excel keeps only 15 significant digits") {
		t.Errorf("report %+v", rep.Rows)
	}
	if !rep.AllRefused() {
		t.Error("AllRefused is false for a file whose only row was refused")
	}
}

func TestImportReadsCSVWithSemicolonsAndWindowsLetters(t *testing.T) {
	// given a CSV as Excel saves it in an Indonesian locale: semicolons,
	// Windows-1252 letters (é in the name)
	s := newStore(t)
	n := nik(date(2001, 8, 17), true, 1)
	content := "Daftar peserta;;;\r\nNIK;Nama;L/P;Tanggal Lahir;No HP\r\n'" + n + ";Ren\xe9 Aminah;P;17-08-2001;0812 3456 7890\r\n"
	path := filepath.Join(t.TempDir(), "peserta.csv")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	// when it is imported
	rep, err := traineeimport.Import(context.Background(), s, path, traineeimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// then the row is stored with its letters intact
	if rep.Imported != 1 {
		t.Fatalf("rows %+v", rep.Rows)
	}
	if tr := traineeByNIK(t, s, n); tr.Name != "René Aminah" || tr.Phone != "+6281234567890" {
		t.Errorf("stored %+v", tr)
	}
}

func TestImportRefusesFilesItCannotRead(t *testing.T) {
	dir := t.TempDir()
	noHeader := writeXLSX(t, []sheetRow{{"Laporan"}, {"a", "b"}})
	pdf := filepath.Join(dir, "peserta.pdf")
	_ = os.WriteFile(pdf, []byte("%PDF"), 0o600)
	headerOnly := writeXLSX(t, []sheetRow{{"NIK", "Nama"}})
	for _, c := range []struct{ name, path, want string }{
		{"no header row", noHeader, "tidak menemukan baris judul kolom"},
		{"not a spreadsheet", pdf, "hanya file .xlsx atau .csv"},
		{"missing file", filepath.Join(dir, "nope.xlsx"), "tidak bisa dibaca"},
		{"header but no rows", headerOnly, "tidak berisi baris peserta"},
	} {
		t.Run(c.name, func(t *testing.T) {
			// given a store, when a file that cannot be read is imported
			s := newStore(t)
			_, err := traineeimport.Import(context.Background(), s, c.path, traineeimport.Options{})
			// then the error is a FileError saying what to do
			var fe *traineeimport.FileError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want a FileError with %q", err, c.want)
			}
		})
	}
}

func manyRows(n int) []sheetRow {
	rows := []sheetRow{{"NIK", "Nama", "L/P", "Tgl Lahir", "No HP"}}
	for i := 0; i < n; i++ {
		b := date(1980, 1, 1).AddDate(0, 0, i%7000)
		rows = append(rows, sheetRow{nik(b, i%2 == 1, 1+i/7000), "Peserta Nomor", map[bool]string{true: "P", false: "L"}[i%2 == 1], b.Format("02/01/2006"), "0812-0000-0000"})
	}
	return rows
}

func TestImportPreviewAndCancelLeaveTheDatabaseAsItWas(t *testing.T) {
	ctx := context.Background()
	path := writeXLSX(t, manyRows(40))
	for _, c := range []struct {
		name    string
		preview bool
		cancel  bool
	}{
		{"preview", true, false},
		{"cancel half-way", false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			// given a store with one change in its outbox
			s := newStore(t)
			before, _ := s.PendingCount(ctx)
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			// when a 40-row import is previewed, or cancelled after 20 rows
			rep, err := traineeimport.Import(cctx, s, path, traineeimport.Options{Preview: c.preview, Progress: func(done, total int) {
				if c.cancel && done == total/2 {
					cancel()
				}
			}})
			// then nothing was saved
			if c.cancel && !errors.Is(err, context.Canceled) {
				t.Fatalf("error %v, want context.Canceled", err)
			}
			if c.preview && (err != nil || rep.Imported != 40 || !rep.Preview) {
				t.Fatalf("preview %v: %+v", err, rep)
			}
			n, _ := s.Count(ctx, domain.LookupTable("trainees"), store.Query{})
			after, _ := s.PendingCount(ctx)
			if n != 0 || after != before {
				t.Errorf("%d trainees, outbox %d → %d; want nothing saved", n, before, after)
			}
		})
	}
}

func TestRefusalReportListsRefusedRowsForReimport(t *testing.T) {
	ctx := context.Background()
	// given an import with one good and one refused row
	s := newStore(t)
	good := nik(date(2001, 8, 17), true, 1)
	bad := nik(date(1996, 4, 4), false, 2)
	path := writeXLSX(t, []sheetRow{{"Daftar"}, {"NIK", "Nama", "L/P", "Tgl Lahir", "No HP"},
		{good, "Siti Aminah", "P", "17/08/2001", "0812 3456 7890"},
		{bad, "Agus Salim", "L", 35159, "12345"}})
	rep, err := traineeimport.Import(ctx, s, path, traineeimport.Options{})
	if err != nil || rep.Refused != 1 {
		t.Fatalf("%v %+v", err, rep)
	}
	// when the refusal report is saved
	out := filepath.Join(t.TempDir(), "ditolak.xlsx")
	if err := rep.SaveXLSX(out); err != nil {
		t.Fatal(err)
	}
	// then it holds the header, the refused row (date readable) and the reason
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(f.GetSheetList()[0])
	if len(rows) != 2 || rows[0][5] != "Keterangan" || rows[1][0] != bad || rows[1][3] != "1996-04-04" ||
		!strings.HasPrefix(rows[1][5], "baris 4: No. HP: nomor HP tidak valid") {
		t.Fatalf("report rows %q", rows)
	}
	// and once the phone is mended the same file imports
	_ = f.SetCellStr(f.GetSheetList()[0], "E2", "0812 9999 8888")
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	rep2, err := traineeimport.Import(ctx, s, out, traineeimport.Options{})
	if err != nil || rep2.Imported != 1 || rep2.Refused != 0 {
		t.Fatalf("re-import %v %+v", err, rep2.Rows)
	}
}

func TestImportSplitsACombinedPlaceAndDateOfBirthColumn(t *testing.T) {
	// given a list with one "Tempat, Tgl Lahir" column, as many forms have
	s := newStore(t)
	n := nik(date(2001, 8, 17), true, 1)
	path := writeXLSX(t, []sheetRow{{"No", "NIK", "Nama", "L/P", "Tempat, Tgl Lahir"}, {1, n, "Siti Aminah", "P", "Kota Bogor, 17 Agustus 2001"}})
	// when it is imported
	rep, err := traineeimport.Import(context.Background(), s, path, traineeimport.Options{})
	if err != nil || rep.Imported != 1 {
		t.Fatalf("%v %+v", err, rep)
	}
	// then the place and the date land in their own fields
	if tr := traineeByNIK(t, s, n); tr.BirthPlace != "Kota Bogor" || tr.BirthDate != "2001-08-17" {
		t.Errorf("stored %+v", tr)
	}
}

func TestImportNamesTheColumnsItIgnored(t *testing.T) {
	// given a list with a row number, an id and a column the app does not keep
	s := newStore(t)
	path := writeXLSX(t, []sheetRow{{"No", "ID", "NIK", "Nama", "L/P", "Tgl Lahir", "Ukuran Baju"}, {1, "x", nik(date(2001, 8, 17), true, 1), "Siti", "P", "17/08/2001", "M"}})
	// when it is imported
	rep, err := traineeimport.Import(context.Background(), s, path, traineeimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// then only the unknown column is named, so the operator knows it was not kept
	if strings.Join(rep.Ignored, ",") != "Ukuran Baju" || !strings.HasSuffix(rep.Summary(domain.Indonesian), "diabaikan: Ukuran Baju") {
		t.Errorf("ignored %q, summary %q", rep.Ignored, rep.Summary(domain.Indonesian))
	}
}

func TestImportSkipsTheColumnNumberingRowOfGovernmentForms(t *testing.T) {
	// given a form with "(1) (2) (3) …" under its header
	s := newStore(t)
	path := writeXLSX(t, []sheetRow{{"No", "NIK", "Nama", "L/P", "Tgl Lahir"}, {"(1)", "(2)", "(3)", "(4)", "(5)"},
		{1, nik(date(2001, 8, 17), true, 1), "Siti", "P", "17/08/2001"}})
	// when it is imported
	rep, err := traineeimport.Import(context.Background(), s, path, traineeimport.Options{})
	// then the numbering row is passed over, not refused
	if err != nil || len(rep.Rows) != 1 || rep.Imported != 1 || len(rep.Skipped) != 1 || rep.Skipped[0] != 2 {
		t.Fatalf("%v %+v", err, rep)
	}
}
