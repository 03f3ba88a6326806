package programmes

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kemnaker/blk/app/internal/uitest"
	"github.com/kemnaker/blk/domain"
)

func TestResultsGridTellsUnitsWithLikeCodesApart(t *testing.T) {
	ctx := context.Background()
	// given a cohort of one trainee in a programme whose unit codes begin alike
	s, st, w := newScreen(t)
	p := &domain.Programme{Name: "Tata Boga", FieldCode: "PAR", TotalJP: 30, MinutesPerJP: 45}
	if _, err := st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	units := []*domain.ProgrammeUnit{
		{UnitCode: "C.141120.001.01", Title: "Menerapkan prinsip keselamatan dan kesehatan kerja", JP: 10},
		{UnitCode: "C.141120.002.01", Title: "Mengolah makanan pembuka", JP: 10},
		{UnitCode: "C.141120.003.01", Title: "Mengolah makanan penutup", JP: 10},
	}
	for i, u := range units {
		u.ProgrammeID, u.Position = p.ID, int64(i+1)
		if _, err := st.Save(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 1, StartDate: "2026-11-02", EndDate: "2026-11-27", Quota: 16, Status: domain.CohortRunning}
	if _, err := st.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	tr := traineeFixture(t, st, "Nur Aisyah", 1)
	if _, err := st.Save(ctx, &domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentActive}); err != nil {
		t.Fatal(err)
	}
	w.Resize(fyne.NewSize(1024, 768))

	// when the cohort is opened on the results tab
	s.Update(ctx)
	ui.Settle(t)
	s.ShowCohort(c)
	ui.Settle(t)
	s.tabs.SelectIndex(tabResults)
	ui.Settle(t)

	// then each unit's header shows its whole code and, under it, its title
	rows := uitest.Rows(uitest.Texts(s.res.grid.table))
	if len(rows) < 3 {
		t.Fatalf("grid lines: %v", rows)
	}
	codes, titles := uitest.Strings(rows[0]), uitest.Strings(rows[1])
	want := []string{"Nama", "C.141120.001.01", "C.141120.002.01", "C.141120.003.01"}
	if len(codes) != len(want) {
		t.Fatalf("header codes %q, want %q", codes, want)
	}
	for i := range want {
		if codes[i] != want[i] {
			t.Errorf("header %d reads %q, want %q", i, codes[i], want[i])
		}
	}
	if len(titles) != 4 || titles[2] != "Mengolah makanan pembuka" || titles[3] != "Mengolah makanan penutup" {
		t.Fatalf("header titles %q", titles)
	}
	// and no code is cut short
	for _, h := range headers(s.res.grid.table) {
		if h.code.Text != "" && h.code.MinSize().Width > h.Size().Width {
			t.Errorf("%s needs %v, its column gives %v", h.code.Text, h.code.MinSize().Width, h.Size().Width)
		}
	}
	if got := uitest.Strings(rows[2]); len(got) != 4 || got[0] != "Nur Aisyah" {
		t.Fatalf("first trainee line %q", got)
	}

	// when the pointer rests on the second unit's header
	hs := headers(s.res.grid.table)
	hs[2].MouseIn(nil)
	// then its full title is shown over the grid
	if want := "C.141120.002.01 — Mengolah makanan pembuka"; s.res.unitInfo.Text != want {
		t.Fatalf("unit info %q, want %q", s.res.unitInfo.Text, want)
	}
	// and a tap on the first (a touch screen) shows the first's
	hs[1].Tapped(nil)
	if want := "C.141120.001.01 — Menerapkan prinsip keselamatan dan kesehatan kerja"; s.res.unitInfo.Text != want {
		t.Fatalf("unit info %q, want %q", s.res.unitInfo.Text, want)
	}
}

// headers are the unit headers the table draws, left to right.
func headers(tb *widget.Table) []*unitHeader {
	var out []*unitHeader
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *unitHeader:
			out = append(out, x)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range testRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(tb)
	// sticky column header first, then the others by position
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].col < out[j-1].col; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func TestResultsGridRowsAreOneLineHighUnderTheTwoLineHeader(t *testing.T) {
	ctx := context.Background()
	// given a cohort of two trainees in a programme with one unit
	s, st, _ := newScreen(t)
	p := &domain.Programme{Name: "Tata Boga", FieldCode: "PAR", TotalJP: 10, MinutesPerJP: 45}
	if _, err := st.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Save(ctx, &domain.ProgrammeUnit{ProgrammeID: p.ID, UnitCode: "C.141120.001.01", Title: "Menerapkan K3", JP: 10, Position: 1}); err != nil {
		t.Fatal(err)
	}
	c := &domain.Cohort{ProgrammeID: p.ID, Year: 2026, Number: 1, StartDate: "2026-11-02", EndDate: "2026-11-27", Quota: 16, Status: domain.CohortRunning}
	if _, err := st.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Nur Aisyah", "Putri Ayu"} {
		tr := traineeFixture(t, st, name, i+1)
		if _, err := st.Save(ctx, &domain.Enrollment{CohortID: c.ID, TraineeID: tr.ID, Status: domain.EnrollmentActive}); err != nil {
			t.Fatal(err)
		}
	}
	// when it is shown on the results tab
	s.Update(ctx)
	ui.Settle(t)
	s.ShowCohort(c)
	ui.Settle(t)
	s.tabs.SelectIndex(tabResults)
	ui.Settle(t)
	// then the trainees' lines are as far apart as one line of text, not
	// as the two-line header is high
	rows := uitest.Rows(uitest.Texts(s.res.grid.table))
	var names []uitest.Text
	for _, r := range rows {
		if r[0].Text == "Nur Aisyah" || r[0].Text == "Putri Ayu" {
			names = append(names, r[0])
		}
	}
	line := s.res.grid.table.CreateCell().MinSize().Height
	if len(names) != 2 {
		t.Fatalf("lines %v", rows)
	}
	if gap := names[1].Pos.Y - names[0].Pos.Y; gap > line+theme.Padding()*2 {
		t.Fatalf("trainee lines %v apart, one line is %v", gap, line)
	}
}
