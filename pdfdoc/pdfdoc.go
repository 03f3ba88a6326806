// Package pdfdoc prints the centre's documents as PDF: the cohort report
// (Laporan Pelaksanaan Pelatihan), training certificates (Sertifikat
// Pelatihan) and the centre's annual summary (Rekap Tahunan). It reads the
// store through its public queries and never writes to it; the fonts
// (DejaVu, which has every Indonesian letter) are embedded in the binary and
// in each PDF, so a document looks the same on any PC.
package pdfdoc

import (
	_ "embed"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/kemnaker/blk/domain"
)

//go:embed fonts/DejaVuSans.ttf
var fontRegular []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var fontBold []byte

const family = "DejaVu"

var months = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
	"Agustus", "September", "Oktober", "November", "Desember"}

// Tanggal writes a date the Indonesian way: "17 Agustus 2026".
func Tanggal(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// TanggalISO is Tanggal for a stored YYYY-MM-DD date; "-" when empty or bad.
func TanggalISO(s string) string {
	t, ok := domain.ParseDate(s)
	if !ok {
		return "-"
	}
	return Tanggal(t)
}

// doc wraps fpdf with the house style: fonts, margins, footer.
type doc struct {
	*fpdf.Fpdf
	printed time.Time
}

func newDoc(orientation string, printed time.Time, title string) *doc {
	f := fpdf.New(orientation, "mm", "A4", "")
	f.AddUTF8FontFromBytes(family, "", fontRegular)
	f.AddUTF8FontFromBytes(family, "B", fontBold)
	f.SetTitle(title, true)
	f.SetCreator("BLK Komunitas", true)
	// A fixed creation date (the print date) keeps output reproducible.
	f.SetCreationDate(printed)
	f.SetModificationDate(printed)
	f.SetCatalogSort(true)
	f.SetMargins(18, 16, 18)
	f.SetAutoPageBreak(true, 18)
	f.AliasNbPages("{nb}")
	d := &doc{Fpdf: f, printed: printed}
	return d
}

// withFooter prints "page n of m" and the print date on every page.
func (d *doc) withFooter(label string) {
	d.SetFooterFunc(func() {
		d.SetY(-12)
		d.font("", 7.5)
		d.SetTextColor(110, 110, 110)
		d.CellFormat(0, 4, fmt.Sprintf("%s · dicetak %s · halaman %d dari {nb}", label, Tanggal(d.printed), d.PageNo()), "", 0, "C", false, 0, "")
		d.SetTextColor(0, 0, 0)
	})
}

func (d *doc) font(style string, size float64) { d.SetFont(family, style, size) }

// fit shortens s with an ellipsis until it fits in w mm.
func (d *doc) fit(s string, w float64) string {
	if d.GetStringWidth(s) <= w-1.5 {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && d.GetStringWidth(string(r)+"…") > w-1.5 {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// keyValues prints "label : value" lines in two aligned columns.
func (d *doc) keyValues(labelW float64, rows [][2]string) {
	for _, kv := range rows {
		d.font("", 9.5)
		d.CellFormat(labelW, 5.5, kv[0], "", 0, "L", false, 0, "")
		d.CellFormat(4, 5.5, ":", "", 0, "L", false, 0, "")
		d.MultiCell(0, 5.5, kv[1], "", "L", false)
	}
}

// heading prints a section title with a thin rule under it.
func (d *doc) heading(s string) {
	d.keep(30) // never leave a title alone at the foot of a page
	d.Ln(3)
	d.font("B", 10.5)
	d.CellFormat(0, 6, s, "", 1, "L", false, 0, "")
	x, y := d.GetXY()
	w, _ := d.GetPageSize()
	_, _, r, _ := d.GetMargins()
	d.SetDrawColor(31, 92, 153)
	d.SetLineWidth(0.3)
	d.Line(x, y, w-r, y)
	d.SetDrawColor(0, 0, 0)
	d.SetLineWidth(0.2)
	d.Ln(1.5)
}

// keep starts a new page unless h mm are left on this one.
func (d *doc) keep(h float64) {
	_, pageH := d.GetPageSize()
	_, _, _, bottom := d.GetMargins()
	if d.GetY()+h > pageH-bottom {
		d.AddPage()
	}
}

// table prints a header row and rows; widths in mm, aligns "L"/"C"/"R".
// It repeats the header on each new page.
func (d *doc) table(headers []string, widths []float64, aligns []string, rows [][]string) {
	head := func() {
		d.font("B", 8)
		d.SetFillColor(31, 92, 153)
		d.SetTextColor(255, 255, 255)
		for i, h := range headers {
			d.CellFormat(widths[i], 7, d.fit(h, widths[i]), "1", 0, "C", true, 0, "")
		}
		d.Ln(-1)
		d.SetTextColor(0, 0, 0)
	}
	head()
	_, pageH := d.GetPageSize()
	_, _, _, bottom := d.GetMargins()
	for n, row := range rows {
		if d.GetY()+6 > pageH-bottom {
			d.AddPage()
			head()
		}
		d.font("", 8)
		fill := n%2 == 1
		d.SetFillColor(238, 243, 249)
		for i, v := range row {
			d.CellFormat(widths[i], 6, d.fit(v, widths[i]), "1", 0, aligns[i], fill, 0, "")
		}
		d.Ln(-1)
	}
}

// signature prints the place and date, the role and the signatory's name
// with room to sign, on the right-hand side of the page.
func (d *doc) signature(place, role, name string, x float64) {
	d.font("", 9.5)
	when := Tanggal(d.printed)
	if place != "" {
		when = place + ", " + when
	}
	w := 70.0
	d.SetX(x)
	d.CellFormat(w, 5, when, "", 2, "C", false, 0, "")
	d.SetX(x)
	d.MultiCell(w, 5, role, "", "C", false)
	d.Ln(18)
	d.SetX(x)
	d.font("B", 9.5)
	if name == "" {
		// No head on the centre profile: a line to write the name on.
		d.CellFormat(w, 5, "(....................................)", "", 2, "C", false, 0, "")
		return
	}
	d.CellFormat(w, 5, name, "", 2, "C", false, 0, "")
	nw := math.Min(d.GetStringWidth(name), w)
	y := d.GetY()
	d.Line(x+(w-nw)/2, y, x+(w+nw)/2, y)
}

// placeOf is the regency or city of a village code, for "Bogor, 17 Agustus
// 2026"; "" when the code is unknown.
func placeOf(villageCode string) string {
	code := domain.CleanDigits(villageCode)
	if len(code) < 4 {
		return ""
	}
	r, ok := domain.LookupRegion(code[:4])
	if !ok {
		return ""
	}
	name := r.Name
	for _, p := range []string{"Kabupaten ", "Kab. ", "Kota Administrasi ", "Kota "} {
		name = strings.TrimPrefix(name, p)
	}
	return name
}

// centreName is how the documents name the centre.
func centreName(c *domain.Centre) string {
	if c == nil || c.Name == "" {
		return "BLK Komunitas"
	}
	return c.Name
}

// letterhead prints the centre's name and address at the top of a page.
func (d *doc) letterhead(c *domain.Centre) {
	d.font("B", 13)
	d.CellFormat(0, 7, strings.ToUpper(centreName(c)), "", 1, "C", false, 0, "")
	d.font("", 8.5)
	var line []string
	if c != nil {
		if c.Foundation != "" {
			line = append(line, c.Foundation)
		}
		if c.Address != "" {
			line = append(line, c.Address)
		}
		if r, ok := domain.LookupRegion(c.VillageCode); ok {
			line = append(line, r.Name)
		}
		if p := placeOf(c.VillageCode); p != "" {
			line = append(line, p)
		}
		if c.Phone != "" {
			line = append(line, "Telp. "+domain.LocalPhone(c.Phone))
		}
	}
	if len(line) > 0 {
		d.MultiCell(0, 4.5, strings.Join(line, " · "), "", "C", false)
	}
	x, y := d.GetXY()
	w, _ := d.GetPageSize()
	_, _, r, _ := d.GetMargins()
	d.SetLineWidth(0.6)
	d.Line(x, y+1, w-r, y+1)
	d.SetLineWidth(0.2)
	d.Line(x, y+2, w-r, y+2)
	d.Ln(5)
}

// SaveFile writes a document to path through a temporary file, so a failed
// or cancelled print never leaves half a PDF behind.
func SaveFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".pdf-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func (d *doc) output(w io.Writer) error {
	if err := d.Error(); err != nil {
		return err
	}
	return d.Output(w)
}

func percent(n, of int) string {
	if of == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(n)/float64(of))
}

func rupiah(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return "Rp" + b.String()
}
