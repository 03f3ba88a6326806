package domain_test

import (
	"reflect"
	"testing"

	"github.com/kemnaker/blk/domain"
)

func TestMerge(t *testing.T) {
	a1 := domain.Version{Clock: 10, Device: "pc-a"}
	b1 := domain.Version{Clock: 11, Device: "pc-b"}
	a2 := domain.Version{Clock: 12, Device: "pc-a"}
	stored := func() (map[string]any, domain.Versions) {
		return map[string]any{"id": "r", "name": "Siti", "phone": "+6281"},
			domain.Versions{"name": a1, "phone": a1}
	}
	change := func(v domain.Version, fields map[string]any, base map[string]domain.Version) domain.Change {
		return domain.Change{Table: "trainees", ID: "r", Clock: v.Clock, Device: v.Device, Fields: fields, Base: base}
	}
	tests := []struct {
		name      string
		c         domain.Change
		knowing   bool
		wantWon   []string
		wantVals  map[string]any
		conflicts []string // field: winner/loser
	}{
		{"a later edit that saw the value wins quietly",
			change(b1, map[string]any{"name": "Siti A"}, map[string]domain.Version{"name": a1}), false,
			[]string{"name"}, map[string]any{"name": "Siti A", "phone": "+6281"}, nil},
		{"edits of different fields both survive",
			change(b1, map[string]any{"phone": "+6282"}, map[string]domain.Version{"phone": a1}), false,
			[]string{"phone"}, map[string]any{"name": "Siti", "phone": "+6282"}, nil},
		{"a concurrent newer edit wins and the old value is kept as a conflict",
			change(b1, map[string]any{"name": "Siti B"}, nil), false,
			[]string{"name"}, map[string]any{"name": "Siti B"}, []string{"name: Siti B/Siti"}},
		{"an older edit loses and is kept as a conflict",
			change(domain.Version{Clock: 5, Device: "pc-c"}, map[string]any{"name": "Siti C"}, nil), false,
			nil, map[string]any{"name": "Siti"}, []string{"name: Siti/Siti C"}},
		{"an older edit to the same value is no conflict",
			change(domain.Version{Clock: 5, Device: "pc-c"}, map[string]any{"name": "Siti"}, nil), false,
			nil, map[string]any{"name": "Siti"}, nil},
		{"the same write again changes nothing",
			change(a1, map[string]any{"name": "Siti"}, nil), false,
			nil, map[string]any{"name": "Siti"}, nil},
		{"the ministry overwrites knowingly",
			change(a2, map[string]any{"name": "Siti K"}, nil), true,
			[]string{"name"}, map[string]any{"name": "Siti K"}, nil},
		{"a field never written is simply set",
			change(b1, map[string]any{"email": "s@x.id"}, nil), false,
			[]string{"email"}, map[string]any{"email": "s@x.id", "name": "Siti"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vals, vers := stored()
			ver := tc.c.Version()
			res := domain.Merge(tc.c, ver, vals, vers, domain.MergeOptions{Knowing: tc.knowing, DetectedAtMS: 99})
			if !reflect.DeepEqual(res.Won, tc.wantWon) {
				t.Errorf("won %v, want %v", res.Won, tc.wantWon)
			}
			for k, v := range tc.wantVals {
				if vals[k] != v {
					t.Errorf("%s = %v, want %v", k, vals[k], v)
				}
			}
			for _, f := range res.Won {
				if vers[f] != ver {
					t.Errorf("%s keeps version %v after the change won it", f, vers[f])
				}
			}
			var got []string
			for _, c := range res.Conflicts {
				got = append(got, c.Field+": "+c.Winner.(string)+"/"+c.Loser.(string))
				if c.ID != domain.ConflictID("trainees", "r", c.Field, c.LoserVer) || c.DetectedAtMS != 99 {
					t.Errorf("conflict %+v", c)
				}
			}
			if !reflect.DeepEqual(got, tc.conflicts) {
				t.Errorf("conflicts %v, want %v", got, tc.conflicts)
			}
		})
	}
}

// TestMergeReadsTheWholeRecordVersion: the desktop stores one version
// ("*") for every field of a record it created.
func TestMergeReadsTheWholeRecordVersion(t *testing.T) {
	mine := domain.Version{Clock: 20, Device: "pc-a"}
	vals := map[string]any{"name": "Siti", "phone": "+6281"}
	vers := domain.Versions{"*": mine}
	older := domain.Change{Table: "trainees", ID: "r", Clock: 10, Device: "pc-b", Fields: map[string]any{"phone": "+6282"}}
	if res := domain.Merge(older, older.Version(), vals, vers, domain.MergeOptions{}); len(res.Won) != 0 || vals["phone"] != "+6281" {
		t.Fatalf("an older change beat the record's own version: %+v", res)
	}
	newer := domain.Change{Table: "trainees", ID: "r", Clock: 30, Device: "pc-b", Fields: map[string]any{"phone": "+6283"}, Base: map[string]domain.Version{"phone": mine}}
	if res := domain.Merge(newer, newer.Version(), vals, vers, domain.MergeOptions{}); len(res.Won) != 1 || len(res.Conflicts) != 0 || vers.Of("name") != mine {
		t.Fatalf("newer change: %+v, versions %v", res, vers)
	}
}
