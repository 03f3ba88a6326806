package domain

import (
	"runtime"
	"testing"

	"github.com/kemnaker/blk/assets"
)

func TestRegionTableMergesListsInCodeOrder(t *testing.T) {
	current := []byte("kode,nama\r\n11,Aceh\r\n11.01,Kabupaten Aceh Selatan\r\n11.01.01,Bakongan\r\n12,Sumatera Utara\r\n12.07.28.1007,\"Lubuk Pakam I,II\"\r\n")
	historical := []byte("kode,nama,terakhir_tercatat\n11.01,KAB. LAMA,2019\n11.02,KAB. ACEH TENGGARA,2022\n")
	tab := buildRegionTable(current, historical)
	var got []string
	for i := 0; i < tab.len(); i++ {
		r := tab.region(i)
		got = append(got, r.Code+" "+r.Name+" "+r.LastSeen)
	}
	want := []string{"11 Aceh ", "1101 Kabupaten Aceh Selatan ", "110101 Bakongan ", "1102 KAB. ACEH TENGGARA 2022", "12 Sumatera Utara ", "1207281007 Lubuk Pakam I,II "}
	if len(got) != len(want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %q\nwant %q", got, want)
		}
	}
	if !tab.historical(3) || tab.historical(1) {
		t.Fatal("the current list wins over a historical code; a code only in the old lists is historical")
	}
	if len(tab.provinces) != 2 {
		t.Fatalf("provinces %v", tab.provinces)
	}
}

func TestRegionTableSortsListsThatAreNotInCodeOrder(t *testing.T) {
	current := []byte("kode,nama\n12,Sumatera Utara\n11.01,Kabupaten Aceh Selatan\n11,Aceh\n11,Aceh again\n")
	tab := buildRegionTable(current, []byte("kode,nama,terakhir_tercatat\n"))
	var got []string
	for i := 0; i < tab.len(); i++ {
		got = append(got, tab.code(i)+" "+tab.name(i))
	}
	if len(got) != 3 || got[0] != "11 Aceh" || got[1] != "1101 Kabupaten Aceh Selatan" || got[2] != "12 Sumatera Utara" {
		t.Fatalf("got %q", got)
	}
	if i, ok := tab.find("1101"); !ok || i != 1 {
		t.Fatalf("find 1101 = %d, %v", i, ok)
	}
	if _, ok := tab.find("13"); ok {
		t.Fatal("found a code that is not listed")
	}
}

// The region table and the village search index stay in memory for as long
// as the desktop runs (the first NIK checked loads them).
func TestRegionTablesStaySmall(t *testing.T) {
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	tab := buildRegionTable(assets.Wilayah2025, assets.WilayahHistoris)
	afterTable := heap()
	x := loadVillages()
	afterVillages := heap()
	runtime.KeepAlive(tab)
	runtime.KeepAlive(x)
	const limit = 4 << 20
	if n := afterTable - before; n > limit {
		t.Errorf("region table holds %.1f MB", float64(n)/(1<<20))
	}
	// loadVillages may load the region table too (when no other test has)
	if n := afterVillages - afterTable; n > 2*limit {
		t.Errorf("village index holds %.1f MB", float64(n)/(1<<20))
	}
	t.Logf("region table %.1f MB, villages with the table %.1f MB", float64(afterTable-before)/(1<<20), float64(afterVillages-afterTable)/(1<<20))
}
