package traineeimport_test

import (
	"context"
	"fmt"
	"github.com/kemnaker/blk/store"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/kemnaker/blk/exchange/traineeimport"
)

// BenchmarkImport10kRowsXLSX imports a 10,000-row spreadsheet into an empty
// centre (one transaction, every row validated and saved with its outbox).
func BenchmarkImport10kRowsXLSX(b *testing.B) {
	b.Run("cli-cache", func(b *testing.B) { importRows(b) })
	// the desktop app's smaller writer cache (cmd/blk gui_memory.go)
	b.Run("desktop-cache", func(b *testing.B) {
		store.SetWriterCache(8000)
		defer store.SetWriterCache(32000)
		importRows(b)
	})
}

func importRows(b *testing.B) {
	path := writeXLSX(b, manyRows(10_000))
	for range b.N {
		b.StopTimer()
		s := newStore(b)
		b.StartTimer()
		rep, err := traineeimport.Import(context.Background(), s, path, traineeimport.Options{})
		if err != nil || rep.Imported != 10_000 {
			b.Fatalf("%v: %d imported, %d refused", err, rep.Imported, rep.Refused)
		}
	}
}

// BenchmarkImport100kRowsXLSX imports a 100,000-row, 12-column spreadsheet
// (written with excelize's stream writer, so writing it costs little
// memory) and reports the process's peak resident memory (VmHWM, Linux)
// and its Go heap soft limit: run it alone, -benchtime 1x, with
// GOMEMLIMIT=128MiB as `blk import` sets it.
func BenchmarkImport100kRowsXLSX(b *testing.B) {
	path := filepath.Join(b.TempDir(), "100k.xlsx")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	_ = sw.SetRow("A1", []any{"No", "NIK", "Nama Lengkap", "Jenis Kelamin", "Tempat Lahir", "Tanggal Lahir", "Pendidikan", "Alamat", "Kode Desa", "Kode Pos", "No HP", "Disabilitas"})
	for i := 0; i < 100_000; i++ {
		birth := date(1980, 1, 1).AddDate(0, 0, i%7000)
		female := i%2 == 1
		name := []byte("Peserta Nama")
		for j, n := 0, i; j < 4; j, n = j+1, n/26 {
			name = append(name, byte('a'+n%26))
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{i + 1, nik(birth, female, 1+i/7000), string(name), map[bool]string{true: "P", false: "L"}[female], "Bogor",
			birth.Format("02/01/2006"), "SMA", fmt.Sprintf("Kp. Sukamaju RT %02d/RW %02d", i%9+1, i%12+1), "3201011001", "16110", fmt.Sprintf("0812%08d", i), ""}); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	f.Close()
	runtime.GC()
	for range b.N {
		b.StopTimer()
		s := newStore(b)
		b.StartTimer()
		rep, err := traineeimport.Import(context.Background(), s, path, traineeimport.Options{})
		if err != nil || rep.Imported != 100_000 {
			b.Fatalf("%v: %d imported, %d refused", err, rep.Imported, rep.Refused)
		}
	}
	if st, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(st), "\n") {
			if kb, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")))
				b.ReportMetric(float64(n)/1024, "peak-RSS-MB")
			}
		}
	}
}

// BenchmarkReimport10kRowsXLSX imports the same 10,000 rows a second time:
// every row finds its NIK registered, so each is compared with the stored
// person (name, sex, birth date) before it is found unchanged.
func BenchmarkReimport10kRowsXLSX(b *testing.B) {
	path := writeXLSX(b, manyRows(10_000))
	for range b.N {
		b.StopTimer()
		s := newStore(b)
		if _, err := traineeimport.Import(context.Background(), s, path, traineeimport.Options{}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := traineeimport.Import(context.Background(), s, path, traineeimport.Options{})
		if err != nil || rep.Unchanged != 10_000 {
			b.Fatalf("%v: %d unchanged, %d held, %d refused", err, rep.Unchanged, rep.Held, rep.Refused)
		}
	}
}
