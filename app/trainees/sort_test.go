package trainees

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// TestSortingAColumnSortsEveryTraineeNotJustThePage: the list holds one
// page of 200; a header tap must order all trainees, so the first row after
// sorting names descending is the last name of the whole centre.
func TestSortingAColumnSortsEveryTraineeNotJustThePage(t *testing.T) {
	// given more than two pages of trainees, named in another order than they were saved
	h := newHarness(t)
	n := 2*PageSize + 50
	var names []string
	err := h.st.Write(context.Background(), func(tx *store.Tx) error {
		for i := range n {
			j := (i * 7919) % n
			name := "Peserta " + string([]byte{byte('A' + j/676%26), byte('a' + j/26%26), byte('a' + j%26)})
			names = append(names, name)
			tr := &domain.Trainee{NIK: domain.MakeNIK("320101", born, false, i+1), Name: name, Sex: "L", BirthDate: "2001-08-17"}
			if _, err := tx.Save(tr); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	last, first := names[0], names[0]
	for _, nm := range names {
		last, first = max(last, nm), min(first, nm)
	}
	h.s.Update(context.Background())
	h.wait(t, h.s.searched, "first page")
	if len(h.s.table.Rows()) != PageSize || !h.s.more {
		t.Fatalf("first page: %d rows", len(h.s.table.Rows()))
	}

	// when the operator taps the name header twice (ascending, then descending)
	header := findButton(h.s.Content(), "Nama")
	if header == nil {
		t.Fatal("no name header")
	}
	test.Tap(header)
	h.wait(t, h.s.searched, "sorted ascending")
	if got := h.s.table.Rows()[0].T.Name; got != first {
		t.Fatalf("ascending: first row %q, want %q", got, first)
	}
	test.Tap(findButton(h.s.Content(), "Nama ▲"))
	h.wait(t, h.s.searched, "sorted descending")

	// then the first row is the last name of all trainees, not of the page
	rows := h.s.table.Rows()
	if len(rows) != PageSize || rows[0].T.Name != last {
		t.Fatalf("descending: %d rows, first %q, want %q", len(rows), rows[0].T.Name, last)
	}
	if findButton(h.s.Content(), "Nama ▼") == nil {
		t.Fatal("the header does not show the descending arrow")
	}
	// and the next page continues the same order
	h.s.table.NearEnd()
	h.wait(t, h.s.searched, "next page")
	rows = h.s.table.Rows()
	for i := 1; i < len(rows); i++ {
		if strings.ToLower(rows[i-1].T.Name) < strings.ToLower(rows[i].T.Name) {
			t.Fatalf("row %d %q after %q: not descending", i, rows[i].T.Name, rows[i-1].T.Name)
		}
	}
	if len(rows) != 2*PageSize {
		t.Fatalf("after the next page: %d rows", len(rows))
	}
}
