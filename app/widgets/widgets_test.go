package widgets_test

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/widgets"
)

// pickerWindow shows a region picker in a test window, as a form does.
func pickerWindow(t *testing.T) (*widgets.RegionPicker, fyne.Window, *[]string) {
	t.Helper()
	test.NewTempApp(t)
	got := &[]string{}
	p := widgets.NewRegionPicker([4]string{"prov", "kab", "kec", "desa"}, func(code string) { *got = append(*got, code) })
	w := test.NewTempWindow(t, p.Object())
	w.Resize(fyne.NewSize(700, 500))
	return p, w, got
}

func press(s *widgets.SearchSelect, key fyne.KeyName) { s.TypedKey(&fyne.KeyEvent{Name: key}) }

func labels(cs []widgets.Choice) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Label
	}
	return out
}

func TestRegionPickerNarrowsLevelByLevelFromTheKeyboard(t *testing.T) {
	p, w, got := pickerWindow(t)
	// given nothing chosen, only provinces are open, all of them listed
	if p.Levels[0].Disabled() || !p.Levels[1].Disabled() {
		t.Fatalf("start: province disabled %v, regency disabled %v", p.Levels[0].Disabled(), p.Levels[1].Disabled())
	}
	press(p.Levels[0], fyne.KeyDown)
	if !p.Levels[0].IsOpen() || len(p.Levels[0].Results()) != 38 {
		t.Fatalf("Down on the province: open %v, %d provinces", p.Levels[0].IsOpen(), len(p.Levels[0].Results()))
	}
	press(p.Levels[0], fyne.KeyEscape)
	if p.Levels[0].IsOpen() || p.Code() != "" {
		t.Fatalf("Escape: open %v, code %q", p.Levels[0].IsOpen(), p.Code())
	}

	// when the operator types part of each name and presses Enter
	steps := []struct {
		typed string
		first string // best match
		keys  []fyne.KeyName
		code  string
	}{
		{"jawa b", "Jawa Barat", nil, "32"},
		{"bogor", "Kabupaten Bogor", []fyne.KeyName{fyne.KeyDown, fyne.KeyUp}, "3201"},
		{"CIBI", "Cibinong", nil, "320101"},
		{"pondok r", "Pondok Rajeg", nil, "3201011001"},
	}
	for level, st := range steps {
		s := p.Levels[level]
		if s.Disabled() {
			t.Fatalf("level %d disabled before its turn", level)
		}
		test.Type(s, st.typed)
		if rs := s.Results(); len(rs) == 0 || rs[0].Label != st.first {
			t.Fatalf("%q at level %d lists %v, want %s first", st.typed, level, labels(rs), st.first)
		}
		for _, k := range st.keys {
			press(s, k)
		}
		press(s, fyne.KeyReturn)
		// then the level shows the name, the code narrows, and the next level has the keyboard
		if s.Selected.Label != st.first || p.Code() != st.code || s.IsOpen() {
			t.Fatalf("after Enter at level %d: shows %q, code %q, open %v", level, s.Selected.Label, p.Code(), s.IsOpen())
		}
		if level < 3 && w.Canvas().Focused() != p.Levels[level+1] {
			t.Fatalf("after level %d the keyboard is on %v", level, w.Canvas().Focused())
		}
	}
	want := []string{"32", "3201", "320101", "3201011001"}
	if strings.Join(*got, ",") != strings.Join(want, ",") {
		t.Fatalf("codes reported %v, want %v", *got, want)
	}

	// when the province changes, the levels below are cleared and closed
	test.Type(p.Levels[0], "aceh")
	press(p.Levels[0], fyne.KeyReturn)
	if p.Code() != "11" || p.Levels[2].Selected.Label != "" || !p.Levels[2].Disabled() || p.Levels[1].Disabled() {
		t.Fatalf("after changing province: code %q, district %q", p.Code(), p.Levels[2].Selected.Label)
	}

	// when a code is set, every level shows its name
	p.SetCode("32.01.01.1001")
	if p.Levels[3].Selected.Label != "Pondok Rajeg" || p.Levels[1].Selected.Label != "Kabupaten Bogor" || p.Code() != "3201011001" {
		t.Fatalf("SetCode: %q %q %q", p.Levels[1].Selected.Label, p.Levels[3].Selected.Label, p.Code())
	}
}

func TestRegionPickerSaysWhenNothingMatches(t *testing.T) {
	p, _, got := pickerWindow(t)
	test.Type(p.Levels[0], "atlantis")
	if len(p.Levels[0].Results()) != 0 {
		t.Fatalf("results %v", labels(p.Levels[0].Results()))
	}
	// Enter with nothing listed picks nothing
	press(p.Levels[0], fyne.KeyReturn)
	if p.Code() != "" || len(*got) != 0 || !p.Levels[0].IsOpen() {
		t.Fatalf("code %q reported %v open %v", p.Code(), *got, p.Levels[0].IsOpen())
	}
	// Backspace widens the search again
	for range len("lantis") {
		press(p.Levels[0], fyne.KeyBackspace)
	}
	if p.Levels[0].Query() != "at" {
		t.Fatalf("query after backspace %q", p.Levels[0].Query())
	}
}

func TestRegionPickerFindsAVillageAcrossTheCountry(t *testing.T) {
	p, _, got := pickerWindow(t)
	// given two letters, nothing is listed yet (a hint says how many)
	test.Type(p.Village, "su")
	if len(p.Village.Results()) != 0 {
		t.Fatalf("two letters list %d villages", len(p.Village.Results()))
	}
	// when the village and its regency are typed
	test.Type(p.Village, "kamaju cianjur")
	rs := p.Village.Results()
	if len(rs) != 4 {
		t.Fatalf("sukamaju cianjur lists %v", labels(rs))
	}
	for _, c := range rs {
		if !strings.HasPrefix(c.Label, "Sukamaju, Kec. ") || !strings.HasSuffix(c.Label, ", Kab. Cianjur, Jawa Barat") {
			t.Fatalf("label %q", c.Label)
		}
	}
	// and the second is picked
	press(p.Village, fyne.KeyDown)
	press(p.Village, fyne.KeyReturn)
	// then every level shows the village's place, and the code is reported once
	if p.Code() != rs[1].Code || p.Levels[0].Selected.Label != "Jawa Barat" || p.Levels[1].Selected.Label != "Kabupaten Cianjur" ||
		p.Levels[3].Selected.Label != "Sukamaju" || p.Levels[3].Disabled() {
		t.Fatalf("after picking %s: code %q, levels %q %q %q", rs[1].Label, p.Code(), p.Levels[0].Selected.Label, p.Levels[1].Selected.Label, p.Levels[3].Selected.Label)
	}
	if len(*got) != 1 || (*got)[0] != rs[1].Code {
		t.Fatalf("reported %v", *got)
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

func TestTableWithOnSortLeavesOrderingToItsOwner(t *testing.T) {
	test.NewTempApp(t)
	tb := widgets.NewTable([]widgets.Column[string]{
		{Title: "Nama", Text: func(s string) string { return s }, Key: "name"},
		{Title: "Catatan", Text: func(s string) string { return "" }},
	})
	var asked []string
	tb.OnSort = func(key string, desc bool) { asked = append(asked, fmt.Sprintf("%s %v", key, desc)) }
	tb.SetRows([]string{"Budi", "Ahmad"})
	tb.SortBy(0)
	tb.SortBy(0)
	tb.SortBy(1) // no key: not sortable
	if strings.Join(asked, ",") != "name false,name true" {
		t.Fatalf("asked %v", asked)
	}
	// the rows stay as the owner gave them
	if strings.Join(tb.Rows(), ",") != "Budi,Ahmad" {
		t.Fatalf("rows %v", tb.Rows())
	}
	if col, desc := tb.SortedBy(); col != 0 || !desc {
		t.Fatalf("sorted by %d desc %v", col, desc)
	}
}

func TestRegionPickerPicksATappedRegion(t *testing.T) {
	p, w, got := pickerWindow(t)
	// when the province field is tapped, "ja" typed and Jawa Tengah tapped in the list
	test.Tap(p.Levels[0])
	test.Type(p.Levels[0], "ja")
	list := w.Canvas().Overlays().Top()
	if list == nil {
		t.Fatal("tapping the field shows no list")
	}
	for _, o := range test.LaidOutObjects(list) {
		item, ok := o.(fyne.Tappable)
		if !ok || fmt.Sprintf("%T", o) != "*widget.listItem" {
			continue
		}
		for _, in := range test.LaidOutObjects(o) {
			if l, ok := in.(*widget.Label); ok && l.Text == "Jawa Tengah" {
				test.Tap(item)
			}
		}
	}
	// then it is chosen and the list is gone
	if p.Code() != "33" || p.Levels[0].IsOpen() || len(*got) != 1 {
		t.Fatalf("after tapping Jawa Tengah: code %q, open %v, reported %v", p.Code(), p.Levels[0].IsOpen(), *got)
	}
}
