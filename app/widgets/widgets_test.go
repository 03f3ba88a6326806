package widgets_test

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/widgets"
	"github.com/kemnaker/blk/domain"
)

func TestRegionPickerNarrowsLevelByLevel(t *testing.T) {
	test.NewTempApp(t)
	var got []string
	p := widgets.NewRegionPicker([4]string{"prov", "kab", "kec", "desa"}, func(code string) { got = append(got, code) })
	// given nothing chosen, only provinces are open
	if p.Levels[0].Disabled() || !p.Levels[1].Disabled() || len(p.Levels[0].Options) < 30 {
		t.Fatalf("start: province options %d, regency disabled %v", len(p.Levels[0].Options), p.Levels[1].Disabled())
	}
	// when Jawa Barat, Kabupaten Bogor, Cibinong, Pondok Rajeg are chosen
	for level, name := range []string{"Jawa Barat", "Kabupaten Bogor", "Cibinong", "Pondok Rajeg"} {
		p.Levels[level].SetSelected(name)
	}
	// then every step reported its code and the village is the result
	want := []string{"32", "3201", "320101", "3201011001"}
	if strings.Join(got, ",") != strings.Join(want, ",") || p.Code() != "3201011001" {
		t.Fatalf("codes %v, final %q", got, p.Code())
	}
	// when the province changes, the levels below are cleared
	p.Levels[0].SetSelected("Aceh")
	if p.Code() != "11" || p.Levels[2].Selected != "" || !p.Levels[2].Disabled() {
		t.Fatalf("after changing province: code %q, district %q", p.Code(), p.Levels[2].Selected)
	}
	// when a code is set, every level shows its name
	p.SetCode("32.01.01.1001")
	if p.Levels[3].Selected != "Pondok Rajeg" || p.Levels[1].Selected != "Kabupaten Bogor" || p.Code() != "3201011001" {
		t.Fatalf("SetCode: %q %q %q", p.Levels[1].Selected, p.Levels[3].Selected, p.Code())
	}
}

func TestTableSortsByTappedColumn(t *testing.T) {
	test.NewTempApp(t)
	type person struct {
		name string
		age  int
	}
	tb := widgets.NewTable([]widgets.Column[person]{
		{Title: "Nama", Text: func(p person) string { return p.name }, Less: func(a, b person) bool { return a.name < b.name }},
		{Title: "Umur", Text: func(p person) string { return "" }},
	})
	tb.SetRows([]person{{"Budi", 30}, {"Ahmad", 20}, {"Cecep", 25}})
	names := func() string {
		var s []string
		for _, p := range tb.Rows() {
			s = append(s, p.name)
		}
		return strings.Join(s, ",")
	}
	cases := []struct {
		col  int
		want string
	}{
		{0, "Ahmad,Budi,Cecep"}, // first tap: ascending
		{0, "Cecep,Budi,Ahmad"}, // again: descending
		{1, "Cecep,Budi,Ahmad"}, // unsortable column: unchanged
	}
	for _, c := range cases {
		tb.SortBy(c.col)
		if got := names(); got != c.want {
			t.Fatalf("after sorting by %d: %s, want %s", c.col, got, c.want)
		}
	}
	// new rows keep the chosen order
	tb.Append([]person{{"Dedi", 1}})
	if got := names(); got != "Dedi,Cecep,Budi,Ahmad" {
		t.Fatalf("after append: %s", got)
	}
}

func TestFormShowsEachProblemOnItsRow(t *testing.T) {
	test.NewTempApp(t)
	f := widgets.NewForm()
	f.Add("nik", "NIK", widget.NewEntry())
	f.Add("phone", "HP", widget.NewEntry())
	ps := domain.Problems{
		{Field: "nik", Level: domain.Invalid, Code: "nik.length", Args: []any{4}},
		{Field: "sex", Level: domain.Warning, Code: "nik.sex", Args: []any{"Perempuan"}},
	}
	rest := f.ShowProblems(ps, domain.English)
	if !strings.Contains(f.Message("nik"), "16 digits") || f.Message("phone") != "" {
		t.Fatalf("nik %q phone %q", f.Message("nik"), f.Message("phone"))
	}
	if len(rest) != 1 || rest[0].Field != "sex" {
		t.Fatalf("problems without a row: %v", rest)
	}
	f.ShowProblems(nil, domain.English)
	if f.Message("nik") != "" {
		t.Fatal("cleared form still shows a message")
	}
}
