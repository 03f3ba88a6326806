package pdfdoc

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// AnnualData is the centre's year in numbers.
type AnnualData struct {
	Centre    *domain.Centre
	Year      int
	Cohorts   []AnnualCohort
	Trainees  int // distinct people in the year's cohorts
	Enrolled  int // enrollments, dropped ones included
	Dropped   int
	Graduated int
	Certified int            // graduates competent in every tested unit
	Traced    int            // graduates with at least one tracer answer
	Outcomes  map[string]int // latest tracer status of each traced graduate
	Partners  []*domain.Partner
	Funding   []*domain.Funding
}

// AnnualCohort is one cohort's line in the summary.
type AnnualCohort struct {
	Cohort    *domain.Cohort
	Programme string
	Enrolled  int
	Graduated int
	Certified int
}

// Working is the number of traced graduates who work or run a business.
func (a *AnnualData) Working() int {
	return a.Outcomes[domain.OutcomeEmployed] + a.Outcomes[domain.OutcomeSelfEmployed]
}

// FundingTotal adds up the year's funding.
func (a *AnnualData) FundingTotal() int64 {
	var n int64
	for _, f := range a.Funding {
		n += f.Amount
	}
	return n
}

// LoadAnnual gathers the figures of one year (cohorts by their year).
func LoadAnnual(ctx context.Context, st Store, year int) (*AnnualData, error) {
	a := &AnnualData{Year: year, Outcomes: map[string]int{}}
	c, err := st.Centre(ctx)
	if err != nil {
		return nil, fmt.Errorf("centre profile: %w", err)
	}
	a.Centre = c
	cohorts, err := store.ListOf[*domain.Cohort](ctx, st, store.Query{Filters: []store.Filter{{Field: "year", Value: year}}, OrderBy: "start_date"})
	if err != nil {
		return nil, err
	}
	progs, err := store.ListOf[*domain.Programme](ctx, st, store.Query{})
	if err != nil {
		return nil, err
	}
	progName := map[string]string{}
	for _, p := range progs {
		progName[p.ID] = p.Name
	}
	people := map[string]bool{}
	graduates := map[string]bool{}
	for _, co := range cohorts {
		if co.Status == domain.CohortCancelled {
			continue
		}
		ac := AnnualCohort{Cohort: co, Programme: progName[co.ProgrammeID]}
		roster, err := st.CohortRoster(ctx, co.ID)
		if err != nil {
			return nil, err
		}
		results, err := st.CohortAssessments(ctx, co.ID)
		if err != nil {
			return nil, err
		}
		k, bk := map[string]int{}, map[string]int{}
		for _, r := range results {
			if r.Result == domain.Competent {
				k[r.EnrollmentID]++
			} else {
				bk[r.EnrollmentID]++
			}
		}
		for _, r := range roster {
			e := r.Enrollment
			people[e.TraineeID] = true
			ac.Enrolled++
			switch e.Status {
			case domain.EnrollmentDropped:
				a.Dropped++
			case domain.EnrollmentCompleted:
				ac.Graduated++
				graduates[e.TraineeID] = true
				if k[e.ID] > 0 && bk[e.ID] == 0 {
					ac.Certified++
				}
			}
		}
		a.Enrolled += ac.Enrolled
		a.Graduated += ac.Graduated
		a.Certified += ac.Certified
		a.Cohorts = append(a.Cohorts, ac)
	}
	a.Trainees = len(people)
	outcomes, err := store.ListOf[*domain.Outcome](ctx, st, store.Query{OrderBy: "surveyed_on"})
	if err != nil {
		return nil, err
	}
	latest := map[string]string{}
	for _, o := range outcomes { // ordered by date: the last one wins
		if graduates[o.TraineeID] {
			latest[o.TraineeID] = o.Status
		}
	}
	a.Traced = len(latest)
	for _, s := range latest {
		a.Outcomes[s]++
	}
	if a.Partners, err = store.ListOf[*domain.Partner](ctx, st, store.Query{OrderBy: "name"}); err != nil {
		return nil, err
	}
	if a.Funding, err = store.ListOf[*domain.Funding](ctx, st, store.Query{Filters: []store.Filter{{Field: "year", Value: year}}, OrderBy: "received_on"}); err != nil {
		return nil, err
	}
	return a, nil
}

// AnnualSummary writes the Rekap Tahunan of one year.
func AnnualSummary(ctx context.Context, st Store, year int, w io.Writer) error {
	a, err := LoadAnnual(ctx, st, year)
	if err != nil {
		return err
	}
	return WriteAnnualSummary(w, a, st.LocalTime())
}

// WriteAnnualSummary renders loaded annual figures.
func WriteAnnualSummary(w io.Writer, a *AnnualData, printed time.Time) error {
	pdf := newDoc("P", printed, fmt.Sprintf("Rekap Tahunan %d", a.Year))
	pdf.withFooter(fmt.Sprintf("Rekap Tahunan %d · %s", a.Year, centreName(a.Centre)))
	pdf.AddPage()
	pdf.letterhead(a.Centre)
	pdf.font("B", 12)
	pdf.CellFormat(0, 7, fmt.Sprintf("REKAP TAHUNAN %d", a.Year), "", 1, "C", false, 0, "")
	pdf.font("", 10)
	pdf.CellFormat(0, 5.5, "Pelatihan, kelulusan, sertifikasi dan penelusuran alumni", "", 1, "C", false, 0, "")

	pdf.heading("A. Ringkasan")
	pdf.keyValues(70, [][2]string{
		{"Angkatan pelatihan", fmt.Sprint(len(a.Cohorts))},
		{"Peserta (orang)", fmt.Sprint(a.Trainees)},
		{"Lulus", fmt.Sprintf("%d dari %d pendaftaran (%s); keluar %d", a.Graduated, a.Enrolled, percent(a.Graduated, a.Enrolled), a.Dropped)},
		{"Kompeten (uji kompetensi)", fmt.Sprintf("%d lulusan (%s dari lulusan)", a.Certified, percent(a.Certified, a.Graduated))},
		{"Alumni yang sudah ditelusuri", fmt.Sprintf("%d lulusan (%s)", a.Traced, percent(a.Traced, a.Graduated))},
		{"Bekerja atau berwirausaha", fmt.Sprintf("%d dari %d yang ditelusuri (%s)", a.Working(), a.Traced, percent(a.Working(), a.Traced))},
		{"Mitra", fmt.Sprint(len(a.Partners))},
		{"Pendanaan tahun ini", rupiah(a.FundingTotal())},
	})

	pdf.heading("B. Peserta per Angkatan")
	pdf.barChart(a.Cohorts)
	rows := make([][]string, len(a.Cohorts))
	for i, c := range a.Cohorts {
		rows[i] = []string{fmt.Sprint(i + 1), fmt.Sprintf("%s %d/%d", c.Programme, c.Cohort.Year, c.Cohort.Number),
			TanggalISO(c.Cohort.StartDate), fmt.Sprint(c.Enrolled), fmt.Sprint(c.Graduated), fmt.Sprint(c.Certified), percent(c.Graduated, c.Enrolled)}
	}
	pdf.table([]string{"No", "Angkatan", "Mulai", "Peserta", "Lulus", "Kompeten", "% lulus"},
		[]float64{9, 66, 33, 16, 16, 18, 16}, []string{"C", "L", "L", "R", "R", "R", "R"}, rows)

	pdf.heading("C. Penelusuran Alumni")
	var orows [][]string
	for _, ch := range domain.Choices["outcomes.status"] {
		orows = append(orows, []string{ch.Label(domain.Indonesian), fmt.Sprint(a.Outcomes[ch.Value]), percent(a.Outcomes[ch.Value], a.Traced)})
	}
	pdf.table([]string{"Status alumni", "Orang", "%"}, []float64{70, 25, 25}, []string{"L", "R", "R"}, orows)

	pdf.heading("D. Mitra")
	prow := make([][]string, len(a.Partners))
	for i, p := range a.Partners {
		mou := p.MoUNumber
		if p.MoUEnd != "" {
			mou += " (s.d. " + TanggalISO(p.MoUEnd) + ")"
		}
		prow[i] = []string{fmt.Sprint(i + 1), p.Name, domain.ChoiceLabel("partners.type", p.Type, domain.Indonesian), mou}
	}
	pdf.table([]string{"No", "Nama mitra", "Jenis", "MoU"}, []float64{9, 70, 35, 60}, []string{"C", "L", "L", "L"}, prow)

	pdf.heading("E. Pendanaan")
	frow := make([][]string, len(a.Funding))
	for i, f := range a.Funding {
		frow[i] = []string{fmt.Sprint(i + 1), f.Source, TanggalISO(f.ReceivedOn), rupiah(f.Amount)}
	}
	frow = append(frow, []string{"", "Jumlah", "", rupiah(a.FundingTotal())})
	pdf.table([]string{"No", "Sumber", "Diterima", "Jumlah"}, []float64{9, 85, 40, 40}, []string{"C", "L", "L", "R"}, frow)

	_, pageH := pdf.GetPageSize()
	if pdf.GetY() > pageH-70 {
		pdf.AddPage()
	}
	pdf.Ln(8)
	head := ""
	if a.Centre != nil {
		head = a.Centre.Head
	}
	pdf.signature(placeOf(centreVillage(a.Centre)), "Kepala "+centreName(a.Centre), head, 118)
	return pdf.output(w)
}

// barChart draws enrolled and graduated trainees per programme as grouped
// bars, with fpdf's own lines and rectangles (no image, nothing to embed).
func (d *doc) barChart(cohorts []AnnualCohort) {
	type group struct {
		name                string
		enrolled, graduated int
	}
	idx := map[string]int{}
	var groups []group
	for _, c := range cohorts {
		i, ok := idx[c.Programme]
		if !ok {
			i = len(groups)
			idx[c.Programme] = i
			groups = append(groups, group{name: c.Programme})
		}
		groups[i].enrolled += c.Enrolled
		groups[i].graduated += c.Graduated
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].enrolled > groups[j].enrolled })
	if len(groups) > 10 {
		groups = groups[:10] // the ten biggest; the table below lists all
	}
	const h = 55.0
	d.keep(h + 20)
	x0, y0 := d.GetX()+12, d.GetY()+4
	pw, _ := d.GetPageSize()
	_, _, right, _ := d.GetMargins()
	width := pw - right - x0
	maxV := 1
	for _, g := range groups {
		maxV = max(maxV, g.enrolled)
	}
	step := int(math.Max(1, math.Ceil(float64(maxV)/5)))
	top := step * 5
	d.font("", 7)
	d.SetDrawColor(200, 200, 200)
	for v := 0; v <= top; v += step {
		y := y0 + h - h*float64(v)/float64(top)
		d.Line(x0, y, x0+width, y)
		d.SetXY(x0-12, y-2)
		d.CellFormat(10, 4, fmt.Sprint(v), "", 0, "R", false, 0, "")
	}
	d.SetDrawColor(0, 0, 0)
	d.Line(x0, y0+h, x0+width, y0+h)
	if len(groups) > 0 {
		slot := width / float64(len(groups))
		bw := math.Min(12, slot*0.35)
		for i, g := range groups {
			cx := x0 + slot*float64(i) + slot/2
			for j, v := range []int{g.enrolled, g.graduated} {
				bh := h * float64(v) / float64(top)
				if j == 0 {
					d.SetFillColor(158, 193, 227)
				} else {
					d.SetFillColor(31, 92, 153)
				}
				x := cx - bw + float64(j)*bw
				d.Rect(x, y0+h-bh, bw, bh, "F")
				d.SetXY(x, y0+h-bh-4)
				d.CellFormat(bw, 4, fmt.Sprint(v), "", 0, "C", false, 0, "")
			}
			d.SetXY(x0+slot*float64(i), y0+h+1)
			d.CellFormat(slot, 4, d.fit(g.name, slot), "", 0, "C", false, 0, "")
		}
	}
	// legend
	ly := y0 + h + 7
	d.SetFillColor(158, 193, 227)
	d.Rect(x0, ly+0.8, 3, 3, "F")
	d.SetXY(x0+4, ly)
	d.CellFormat(25, 4.5, "Peserta", "", 0, "L", false, 0, "")
	d.SetFillColor(31, 92, 153)
	d.Rect(x0+30, ly+0.8, 3, 3, "F")
	d.SetXY(x0+34, ly)
	d.CellFormat(25, 4.5, "Lulus", "", 0, "L", false, 0, "")
	d.SetXY(x0-12, ly+8)
}
