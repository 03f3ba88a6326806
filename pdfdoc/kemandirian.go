package pdfdoc

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/kemnaker/blk/domain"
)

// KemandirianProfile writes the Profil Kemandirian BLK Komunitas: the
// centre's road-map level on the store's today, its five criteria with
// what is missing, income by source and graduates placed over three
// years, partners by category and the next steps.
func KemandirianProfile(ctx context.Context, st Store, w io.Writer) error {
	c, err := st.Centre(ctx)
	if err != nil {
		return fmt.Errorf("centre profile: %w", err)
	}
	in, err := st.KemandirianInput(ctx)
	if err != nil {
		return err
	}
	return WriteKemandirianProfile(w, c, in, st.LocalTime())
}

// WriteKemandirianProfile renders the profile of loaded records on day.
func WriteKemandirianProfile(w io.Writer, c *domain.Centre, in domain.KemandirianInput, day time.Time) error {
	const id = domain.Indonesian
	a := domain.AssessKemandirian(in, day)
	pdf := newDoc("P", day, "Profil Kemandirian BLK Komunitas")
	pdf.withFooter("Profil Kemandirian · " + centreName(c))
	pdf.AddPage()
	pdf.letterhead(c)
	pdf.font("B", 12)
	pdf.CellFormat(0, 7, "PROFIL KEMANDIRIAN BLK KOMUNITAS", "", 1, "C", false, 0, "")
	pdf.font("", 10)
	pdf.CellFormat(0, 5.5, "menurut Peta Jalan BLK Komunitas (Kepdirjen Binalattas No. 2/2760/HK.03.01/XI/2021)", "", 1, "C", false, 0, "")

	pdf.heading("A. Tingkat Kemandirian")
	pdf.font("B", 16)
	pdf.SetTextColor(31, 92, 153)
	pdf.CellFormat(0, 9, strings.ToUpper(domain.ChoiceLabel("centres.classification", a.Level, id)), "", 1, "L", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.keyValues(55, [][2]string{
		{"Kriteria terpenuhi", fmt.Sprintf("%d dari %d", a.Met, len(a.Criteria))},
		{"Per tanggal", TanggalISO(a.Date)},
		{"Aturan tingkat", fmt.Sprintf("mandiri: kelima kriteria; berkembang: %d kriteria atau lebih; di bawahnya tumbuh", a.Thresholds.BerkembangMin)},
	})

	pdf.heading("B. Lima Kriteria")
	for _, cr := range a.Criteria {
		pdf.criterion(cr)
	}

	year := day.Year()
	years := []domain.YearFigures{domain.FiguresOfYear(in, year-2), domain.FiguresOfYear(in, year-1), domain.FiguresOfYear(in, year)}
	pdf.heading("C. Pendapatan per Sumber (tiga tahun)")
	var irows [][]string
	for _, y := range years {
		irows = append(irows, []string{fmt.Sprint(y.Year), rupiah(y.Income.Own), rupiah(y.Income.Grants), rupiah(y.Income.Partner),
			rupiah(y.Income.Total()), share(y.Income.Own, y.Income.Total())})
	}
	pdf.table([]string{"Tahun", "Pendapatan sendiri", "Bantuan pemerintah", "Mitra/CSR", "Jumlah", "% sendiri"},
		[]float64{16, 36, 36, 30, 36, 20}, []string{"C", "R", "R", "R", "R", "R"}, irows)

	pdf.heading("D. Lulusan dan Penempatan (tiga tahun)")
	var grows [][]string
	for _, y := range years {
		tg, tp := "-", "-"
		if y.Target != nil {
			tg, tp = fmt.Sprint(y.Target.Graduates), fmt.Sprintf("%d%%", y.Target.PlacementPct)
		}
		grows = append(grows, []string{fmt.Sprint(y.Year), fmt.Sprint(y.Graduates), fmt.Sprint(y.Placed),
			percent(int(y.Placed), int(y.Graduates)), tg, tp})
	}
	pdf.table([]string{"Tahun", "Lulusan", "Bekerja/berwirausaha", "Penempatan", "Target lulusan", "Target penempatan"},
		[]float64{16, 24, 40, 26, 34, 34}, []string{"C", "R", "R", "R", "R", "R"}, grows)

	pdf.heading("E. Mitra per Kategori")
	byCat := map[string][]string{}
	for _, p := range in.Partners {
		cat := p.Category
		if cat == "" {
			cat = "-"
		}
		name := p.Name
		if p.MoUNumber != "" && (p.MoUEnd == "" || p.MoUEnd >= a.Date) {
			name += " (MoU aktif)"
		}
		byCat[cat] = append(byCat[cat], name)
	}
	var prows [][]string
	pdf.font("", 8) // the table's body font, to measure the names with
	const namesW = 111
	for _, ch := range domain.Choices["partners.category"] {
		names := byCat[ch.Value]
		sort.Strings(names)
		prows = append(prows, []string{ch.Label(id), fmt.Sprint(len(names)), pdf.names(names, namesW)})
	}
	if n := byCat["-"]; len(n) > 0 {
		sort.Strings(n)
		prows = append(prows, []string{"Belum dikategorikan", fmt.Sprint(len(n)), pdf.names(n, namesW)})
	}
	pdf.table([]string{"Kategori", "Jumlah", "Mitra"}, []float64{45, 18, namesW}, []string{"L", "R", "L"}, prows)

	pdf.heading("F. Langkah Berikutnya")
	pdf.font("", 9.5)
	if len(a.Next) == 0 {
		pdf.MultiCell(0, 5.5, "Semua kriteria terpenuhi. Pertahankan dan perbarui dokumen sebelum berakhir.", "", "L", false)
	}
	for i, n := range a.Next {
		pdf.MultiCell(0, 5.5, fmt.Sprintf("%d. %s", i+1, n.Text(id)), "", "L", false)
	}

	pdf.keep(45)
	pdf.Ln(8)
	head := ""
	if c != nil {
		head = c.Head
	}
	pdf.signature(placeOf(centreVillage(c)), "Kepala "+centreName(c), head, 118)
	return pdf.output(w)
}

// criterion prints one criterion: its name, a progress bar of value
// against target, the evidence and what is missing.
func (d *doc) criterion(c domain.CriterionResult) {
	const id = domain.Indonesian
	d.keep(22)
	mark := "BELUM"
	if c.Met {
		mark = "TERPENUHI"
	}
	unit := ""
	if c.Unit == "percent" {
		unit = "%"
	}
	d.font("B", 9.5)
	d.CellFormat(120, 5.5, c.Label(id), "", 0, "L", false, 0, "")
	d.CellFormat(30, 5.5, fmt.Sprintf("%d%s / %d%s", c.Value, unit, c.Target, unit), "", 0, "R", false, 0, "")
	if c.Met {
		d.SetTextColor(30, 120, 60)
	} else {
		d.SetTextColor(170, 90, 0)
	}
	d.CellFormat(0, 5.5, mark, "", 1, "R", false, 0, "")
	d.SetTextColor(0, 0, 0)
	// the bar
	x, y := d.GetXY()
	pw, _ := d.GetPageSize()
	_, _, right, _ := d.GetMargins()
	width := pw - right - x
	d.SetFillColor(226, 232, 240)
	d.Rect(x, y+0.5, width, 2.5, "F")
	frac := 1.0
	if c.Target > 0 {
		frac = min(1, float64(c.Value)/float64(c.Target))
	}
	if c.Met {
		d.SetFillColor(30, 120, 60)
	} else {
		d.SetFillColor(31, 92, 153)
	}
	if frac > 0 {
		d.Rect(x, y+0.5, width*frac, 2.5, "F")
	}
	d.SetXY(x, y+4)
	d.font("", 8.5)
	for _, n := range c.Evidence {
		d.MultiCell(0, 4.5, n.Text(id), "", "L", false)
	}
	d.SetTextColor(150, 60, 0)
	for _, n := range c.Missing {
		d.MultiCell(0, 4.5, "→ "+n.Text(id), "", "L", false)
	}
	d.SetTextColor(0, 0, 0)
	d.Ln(1.5)
}

func share(n, of int64) string {
	if of <= 0 {
		return "-"
	}
	return fmt.Sprintf("%d%%", n*100/of)
}

// names lists whole names, as many as fit in w mm in the current font,
// and says how many more there are rather than cutting a name in half.
func (d *doc) names(names []string, w float64) string {
	all := strings.Join(names, ", ")
	if len(names) < 2 || d.GetStringWidth(all) <= w-1.5 {
		return d.fit(all, w)
	}
	for n := len(names) - 1; n > 0; n-- {
		s := strings.Join(names[:n], ", ") + fmt.Sprintf(", dan %d lainnya", len(names)-n)
		if d.GetStringWidth(s) <= w-1.5 {
			return s
		}
	}
	return d.fit(names[0], w-25) + fmt.Sprintf(", dan %d lainnya", len(names)-1)
}
