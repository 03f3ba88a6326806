package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

// sortStore holds n trainees whose names, NIKs and birth dates are in three
// different orders, so a wrong ORDER BY shows.
func sortStore(t *testing.T, n int) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "blk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.InitCentre(ctx, &domain.Centre{Name: "BLK Sort", HostType: "pesantren", VillageCode: "3201011001"}); err != nil {
		t.Fatal(err)
	}
	err = s.Write(ctx, func(tx *Tx) error {
		for i := range n {
			j := (i * 7919) % n // names in another order than NIKs
			birth := time.Date(1980+(i*31)%25, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC)
			tr := &domain.Trainee{
				NIK:  domain.MakeNIK("320101", birth, false, 1+i),
				Name: "Peserta " + letters(j), Sex: "L", BirthDate: birth.Format(domain.DateLayout),
				VillageCode: "3201011001",
			}
			if i%3 == 0 {
				tr.Name = strings.ToLower(tr.Name) // case must not split the order
			}
			if _, err := tx.Save(tr); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// letters spells j as three letters, "Aaa" for 0, in the order of j.
func letters(j int) string {
	return string([]byte{byte('A' + j/676%26), byte('a' + j/26%26), byte('a' + j%26)})
}

func TestTraineeListSortsTheWholeListPageByPage(t *testing.T) {
	const n, page = 450, 200
	s := sortStore(t, n)
	ctx := context.Background()
	keys := map[string]func(*domain.Trainee) string{
		"name":       func(t *domain.Trainee) string { return strings.ToLower(t.Name) },
		"nik":        func(t *domain.Trainee) string { return t.NIK },
		"birth_date": func(t *domain.Trainee) string { return t.BirthDate },
	}
	for field, key := range keys {
		for _, desc := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s desc=%v", field, desc), func(t *testing.T) {
				// when every page is fetched in this order
				var all []*domain.Trainee
				for off := 0; ; off += page {
					got, err := s.SearchTrainees(ctx, TraineeQuery{Limit: page, Offset: off, OrderBy: field, Desc: desc})
					if err != nil {
						t.Fatal(err)
					}
					all = append(all, got...)
					if len(got) < page {
						break
					}
				}
				// then together they are every trainee once, in order
				if len(all) != n {
					t.Fatalf("%d trainees over the pages, want %d", len(all), n)
				}
				seen := map[string]bool{}
				for _, tr := range all {
					if seen[tr.ID] {
						t.Fatalf("%s on two pages", tr.Name)
					}
					seen[tr.ID] = true
				}
				ordered := sort.SliceIsSorted(all, func(i, j int) bool {
					if desc {
						return key(all[i]) > key(all[j])
					}
					return key(all[i]) < key(all[j])
				})
				if !ordered {
					t.Fatalf("pages not in %s order (desc %v): first %q, last %q", field, desc, key(all[0]), key(all[n-1]))
				}
			})
		}
	}
	// a filtered list sorts too: "peserta aa" matches the first 26 names
	got, err := s.SearchTrainees(ctx, TraineeQuery{Text: "peserta aa", OrderBy: "name", Desc: true})
	if err != nil || len(got) != 26 || !strings.EqualFold(got[0].Name, "Peserta Aaz") {
		t.Fatalf("filtered, name descending: %d rows, first %v (%v)", len(got), got, err)
	}
}

// TestTraineeListOrdersComeFromAnIndex keeps every sort of the whole list
// off a temporary B-tree: at 100k trainees, sorting all of them for each
// 200-row page is what made a page slow.
func TestTraineeListOrdersComeFromAnIndex(t *testing.T) {
	s := sortStore(t, 10)
	for _, field := range []string{"", "name", "nik", "birth_date"} {
		for _, desc := range []bool{false, true} {
			q := TraineeQuery{OrderBy: field, Desc: desc}
			sqlText := "EXPLAIN QUERY PLAN SELECT rowid FROM trainees WHERE deleted = 0 ORDER BY " + traineeOrder(q, false) + " LIMIT 200 OFFSET 20000"
			rows, err := s.ro.Query(sqlText)
			if err != nil {
				t.Fatal(err)
			}
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			rows.Close()
			p := strings.Join(plan, "; ")
			if strings.Contains(p, "TEMP B-TREE") || !strings.Contains(p, "USING INDEX") {
				t.Errorf("order %q desc %v: plan %q", field, desc, p)
			}
		}
	}
}
