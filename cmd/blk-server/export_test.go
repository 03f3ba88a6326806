package main

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
)

// TestExportCommandWritesTheWeeksRecords fills a central database with
// `blk-server demo`, exports the lists added this week with `blk-server
// export` and reads the xlsx files back: the Indonesian header, and one row
// per live record of the centre, with its numbers.
func TestExportCommandWritesTheWeeksRecords(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			// given a national database with one demo centre
			db := demoDB(t, kind)
			if code, out, errs := server(t, "demo", "--db", db, "--centres", "1", "--trainees-per-centre", "120", "--seed", "3"); code != 0 {
				t.Fatalf("demo: exit %d\n%s\n%s", code, out, errs)
			}
			st, err := central.Open(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			cs, err := st.Centres(ctx)
			if err != nil || len(cs) != 1 {
				t.Fatalf("centres %v: %v", cs, err)
			}
			centre := cs[0].ID
			for _, c := range []struct {
				what, header string
				col          int // the column holding key(record)
				key          func(domain.Record) string
			}{
				{"certificates", "ID|No. sertifikat|NIK|Nama|Angkatan|Tanggal terbit|Kode cek|Dicabut pada|Alasan pencabutan", 1,
					func(r domain.Record) string { return r.(*domain.Certificate).Number }},
				{"competency_certificates", "ID|NIK|Nama|No. sertifikat|Skema sertifikasi|LSP|Tanggal terbit|Berlaku sampai", 3,
					func(r domain.Record) string { return r.(*domain.CompetencyCertificate).Number }},
				{"employer_ratings", "ID|NIK|Nama|Tempat kerja/usaha|Tanggal penilaian|Penilai (nama/jabatan)|Kompetensi teknis|Sikap dan disiplin kerja|Kerja sama tim|Komentar", 0,
					func(r domain.Record) string { return r.Base().ID }},
				{"roadmap_targets", "ID|Tahun|Target lulusan|Target penempatan (%)|Target pendapatan sendiri (%)", 1,
					func(r domain.Record) string { return r.(*domain.RoadmapTarget).Year }},
				{"ledger_lines", "ID|Tanggal|Arus|Jumlah (Rp)|Kategori|Unit usaha|Catatan", 0,
					func(r domain.Record) string { return r.Base().ID }},
			} {
				var want []string
				err := st.Source(centre).EachRecord(ctx, c.what, func(r domain.Record) error { want = append(want, c.key(r)); return nil })
				if err != nil || len(want) == 0 {
					t.Fatalf("%s: %d records, %v", c.what, len(want), err)
				}
				// when the list is exported
				path := filepath.Join(t.TempDir(), c.what+".xlsx")
				if code, out, errs := server(t, "export", "--db", db, "--centre", centre, "--what", c.what, "--out", path); code != 0 {
					t.Fatalf("export %s: exit %d\n%s\n%s", c.what, code, out, errs)
				}
				// then the file has the header and every record, in the same order
				f, err := excelize.OpenFile(path)
				if err != nil {
					t.Fatal(err)
				}
				rows, err := f.GetRows(f.GetSheetList()[0])
				f.Close()
				if err != nil || len(rows) == 0 {
					t.Fatalf("%s: %v", c.what, err)
				}
				if got := strings.Join(rows[0], "|"); got != c.header {
					t.Errorf("%s header\n got %s\nwant %s", c.what, got, c.header)
				}
				var got []string
				for _, row := range rows[1:] {
					if len(row) <= c.col || row[1] == "" {
						t.Fatalf("%s: short row %q", c.what, row)
					}
					got = append(got, row[c.col])
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: %d rows %q…, want %d %q…", c.what, len(got), got[:min(3, len(got))], len(want), want[:min(3, len(want))])
				}
			}
			// and the command says what it wrote in the operator's language
			for lang, want := range map[string]string{
				"id": "Penilaian pemberi kerja lembaga " + centre + " diekspor ke ",
				"en": "Employer ratings of centre " + centre + " exported to ",
			} {
				path := filepath.Join(t.TempDir(), "ratings.csv")
				code, out, errs := server(t, "--lang", lang, "export", "--db", db, "--centre", centre, "--what", "employer_ratings", "--out", path)
				if code != 0 || out != want+path+"\n" {
					t.Errorf("--lang %s: exit %d %q %s, want %q", lang, code, out, errs, want+path)
				}
			}
		})
	}
}
