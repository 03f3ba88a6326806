package domain

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestSchemaOfEachVersion: the fields the since tags give schema version 1
// are exactly those the first release knows. A field added without a since
// tag (and without raising wire.SchemaVersion) fails here, before a server
// sends it to PCs that would refuse every pull after it.
func TestSchemaOfEachVersion(t *testing.T) {
	b, err := os.ReadFile("testdata/schema-1.txt")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			want = append(want, l)
		}
	}
	var got []string
	for _, tb := range Tables {
		for _, f := range tb.FieldsAt(1) {
			got = append(got, tb.Name+"."+f.Name)
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	for _, g := range got {
		if _, found := slices.BinarySearch(want, g); !found {
			t.Errorf("%s is sent to PCs of schema 1, which do not know it: give the field since:\"N\" or its table Since: N (N: the new wire.SchemaVersion)", g)
		}
	}
	for _, w := range want {
		if _, found := slices.BinarySearch(got, w); !found {
			t.Errorf("%s, which PCs of schema 1 know, is no longer sent to them", w)
		}
	}
}

func TestForSchemaLeavesOutWhatAnOlderPCDoesNotKnow(t *testing.T) {
	partner := Change{Table: "partners", ID: "p1", Clock: 7, Device: "d1",
		Fields: FieldValues{"name": "Dinas Tenaga Kerja", "category": "local_government"},
		Base:   map[string]Version{"name": {Clock: 3}, "category": {Clock: 3}}}
	old, ok := ForSchema(partner, 1)
	if !ok || len(old.Fields) != 1 || old.Fields["name"] != "Dinas Tenaga Kerja" || len(old.Base) != 1 {
		t.Fatalf("partner for schema 1: %+v, %v", old, ok)
	}
	if partner.Fields["category"] != "local_government" || len(partner.Base) != 2 {
		t.Fatal("ForSchema changed the change it was given")
	}
	if c, ok := ForSchema(partner, 2); !ok || len(c.Fields) != 2 {
		t.Fatalf("partner for schema 2: %+v, %v", c, ok)
	}
	// a change of only new fields, and a change of a new table, are not sent
	onlyNew := Change{Table: "partners", ID: "p1", Fields: FieldValues{"category": "industry"}}
	if _, ok := ForSchema(onlyNew, 1); ok {
		t.Fatal("a change of the category alone went to a schema-1 PC")
	}
	ledger := Change{Table: "ledger_lines", ID: "l1", Fields: FieldValues{"amount": int64(500000)}}
	if _, ok := ForSchema(ledger, 1); ok {
		t.Fatal("a ledger line went to a schema-1 PC")
	}
	if _, ok := ForSchema(ledger, 2); !ok {
		t.Fatal("a ledger line did not go to a schema-2 PC")
	}
	if _, ok := ForSchema(Change{Table: "salaries", Fields: FieldValues{"x": 1}}, 2); ok {
		t.Fatal("a change of an unknown table was kept")
	}
	if ConflictKnownAt(Conflict{Table: "partners", Field: "category"}, 1) || !ConflictKnownAt(Conflict{Table: "partners", Field: "name"}, 1) ||
		ConflictKnownAt(Conflict{Table: "ledger_lines", Field: "amount"}, 1) || !ConflictKnownAt(Conflict{Table: "ledger_lines", Field: "amount"}, 2) {
		t.Fatal("conflicts are not told apart by schema version")
	}
}
