package pdfdoc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// CohortData is everything the cohort report and the certificates print.
type CohortData struct {
	Centre      *domain.Centre
	Programme   *domain.Programme
	Cohort      *domain.Cohort
	Units       []*domain.ProgrammeUnit
	Instructors []string
	Funding     []*domain.Funding
	Trainees    []CohortTrainee
}

// CohortTrainee is one line of the cohort's trainee list.
type CohortTrainee struct {
	Trainee    *domain.Trainee
	Enrollment *domain.Enrollment
	Present    int // session days marked present
	Marked     int // session days marked at all
	Competent  int // units assessed competent
	NotYet     int // units assessed not yet competent
	// Certificate is the graduate's training certificate (nil before
	// graduation) and CheckURL the address its QR code leads to ("" when
	// the PC never enrolled with a server: no QR code then).
	Certificate *domain.Certificate
	CheckURL    string
}

// Graduated reports whether the trainee completed the cohort.
func (t CohortTrainee) Graduated() bool {
	return t.Enrollment.Status == domain.EnrollmentCompleted
}

// ErrNotFound is returned for a cohort or trainee that does not exist.
var ErrNotFound = errors.New("not found")

// LoadCohort reads a cohort and everything its documents show.
func LoadCohort(ctx context.Context, st Store, cohortID string) (*CohortData, error) {
	d := &CohortData{Cohort: &domain.Cohort{}, Programme: &domain.Programme{}}
	d.Cohort.ID = cohortID
	if err := st.Get(ctx, d.Cohort); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("angkatan %q tidak ditemukan (lihat `blk export --what cohorts`): %w", cohortID, ErrNotFound)
		}
		return nil, err
	}
	d.Programme.ID = d.Cohort.ProgrammeID
	if err := st.Get(ctx, d.Programme); err != nil {
		return nil, fmt.Errorf("programme of cohort %s: %w", cohortID, err)
	}
	c, err := st.Centre(ctx)
	if err != nil {
		return nil, fmt.Errorf("centre profile: %w", err)
	}
	d.Centre = c
	if d.Units, err = store.ListOf[*domain.ProgrammeUnit](ctx, st, store.Query{Filters: []store.Filter{{Field: "programme_id", Value: d.Programme.ID}}, OrderBy: "position"}); err != nil {
		return nil, err
	}
	for _, id := range strings.Split(d.Cohort.InstructorIDs, ",") {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		in := &domain.Instructor{}
		in.ID = id
		if err := st.Get(ctx, in); err == nil {
			d.Instructors = append(d.Instructors, in.Name)
		}
	}
	if d.Funding, err = store.ListOf[*domain.Funding](ctx, st, store.Query{Filters: []store.Filter{{Field: "cohort_id", Value: cohortID}}}); err != nil {
		return nil, err
	}
	roster, err := st.CohortRoster(ctx, cohortID)
	if err != nil {
		return nil, err
	}
	marks, err := st.CohortAttendance(ctx, cohortID)
	if err != nil {
		return nil, err
	}
	results, err := st.CohortAssessments(ctx, cohortID)
	if err != nil {
		return nil, err
	}
	byEnrollment := map[string]*CohortTrainee{}
	for _, r := range roster {
		tr := &domain.Trainee{}
		tr.ID = r.Enrollment.TraineeID
		if err := st.Get(ctx, tr); err != nil {
			return nil, err
		}
		d.Trainees = append(d.Trainees, CohortTrainee{Trainee: tr, Enrollment: r.Enrollment})
	}
	ids := make([]string, len(d.Trainees))
	for i := range d.Trainees {
		byEnrollment[d.Trainees[i].Enrollment.ID] = &d.Trainees[i]
		ids[i] = d.Trainees[i].Enrollment.ID
	}
	certs, err := st.CertificatesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range d.Trainees {
		t := &d.Trainees[i]
		list := certs[t.Enrollment.ID]
		if len(list) == 0 {
			continue
		}
		// Two PCs may each have issued one (both valid); the one the
		// enrollment names is printed.
		t.Certificate = list[0]
		for _, c := range list {
			if c.Number == t.Enrollment.CertificateNo {
				t.Certificate = c
			}
		}
		if t.CheckURL, err = st.CheckURL(ctx, t.Certificate.Code); err != nil {
			return nil, err
		}
	}
	for _, m := range marks {
		if t := byEnrollment[m.EnrollmentID]; t != nil {
			t.Marked++
			if m.Mark == domain.AttendancePresent {
				t.Present++
			}
		}
	}
	for _, a := range results {
		if t := byEnrollment[a.EnrollmentID]; t != nil {
			if a.Result == domain.Competent {
				t.Competent++
			} else {
				t.NotYet++
			}
		}
	}
	sort.SliceStable(d.Trainees, func(i, j int) bool { return d.Trainees[i].Trainee.Name < d.Trainees[j].Trainee.Name })
	return d, nil
}

// CohortReport writes the Laporan Pelaksanaan Pelatihan of one cohort.
func CohortReport(ctx context.Context, st Store, cohortID string, w io.Writer) error {
	d, err := LoadCohort(ctx, st, cohortID)
	if err != nil {
		return err
	}
	return WriteCohortReport(w, d, st.LocalTime())
}

// CohortTitle names a cohort on paper: "Menjahit Dasar, Angkatan 1 Tahun 2026".
func CohortTitle(d *CohortData) string {
	return fmt.Sprintf("%s, Angkatan %d Tahun %d", d.Programme.Name, d.Cohort.Number, d.Cohort.Year)
}

// WriteCohortReport renders a loaded cohort as the report, dated printed.
func WriteCohortReport(w io.Writer, d *CohortData, printed time.Time) error {
	pdf := newDoc("P", printed, "Laporan Pelaksanaan Pelatihan")
	pdf.withFooter("Laporan Pelaksanaan Pelatihan · " + CohortTitle(d))
	pdf.AddPage()
	pdf.letterhead(d.Centre)
	pdf.font("B", 12)
	pdf.CellFormat(0, 7, "LAPORAN PELAKSANAAN PELATIHAN", "", 1, "C", false, 0, "")
	pdf.font("", 10)
	pdf.CellFormat(0, 5.5, CohortTitle(d), "", 1, "C", false, 0, "")
	pdf.Ln(3)

	var enrolled, graduated, dropped, competent int
	var funding int64
	var sources []string
	for _, t := range d.Trainees {
		switch t.Enrollment.Status {
		case domain.EnrollmentDropped:
			dropped++
		case domain.EnrollmentCompleted:
			graduated++
		}
		if t.Enrollment.Status != domain.EnrollmentDropped {
			enrolled++
		}
		if t.Competent > 0 && t.NotYet == 0 {
			competent++
		}
	}
	for _, f := range d.Funding {
		funding += f.Amount
		sources = append(sources, fmt.Sprintf("%s (%s)", f.Source, rupiah(f.Amount)))
	}
	fundingText := d.Cohort.FundingSource
	if len(sources) > 0 {
		fundingText = strings.Join(sources, ", ")
		if len(sources) > 1 {
			fundingText += "; jumlah " + rupiah(funding)
		}
	}
	if fundingText == "" {
		fundingText = "-"
	}
	instructors := strings.Join(d.Instructors, ", ")
	if instructors == "" {
		instructors = "-"
	}
	pdf.heading("A. Data Pelatihan")
	pdf.keyValues(48, [][2]string{
		{"Lembaga", centreName(d.Centre)},
		{"Program pelatihan", d.Programme.Name},
		{"Kejuruan", d.Programme.FieldCode},
		{"Angkatan", fmt.Sprintf("%d / %d", d.Cohort.Number, d.Cohort.Year)},
		{"Waktu pelaksanaan", TanggalISO(d.Cohort.StartDate) + " s.d. " + TanggalISO(d.Cohort.EndDate)},
		{"Jumlah jam pelatihan", fmt.Sprintf("%d JP (1 JP = %d menit)", d.Programme.TotalJP, d.Programme.MinutesPerJP)},
		{"Instruktur", instructors},
		{"Sumber dana", fundingText},
		{"Status", domain.ChoiceLabel("cohorts.status", d.Cohort.Status, domain.Indonesian)},
	})
	if len(d.Units) > 0 {
		pdf.heading("B. Unit Kompetensi")
		rows := make([][]string, len(d.Units))
		for i, u := range d.Units {
			rows[i] = []string{fmt.Sprint(i + 1), u.UnitCode, u.Title, fmt.Sprint(u.JP)}
		}
		pdf.table([]string{"No", "Kode unit", "Judul unit kompetensi", "JP"}, []float64{10, 38, 110, 16}, []string{"C", "L", "L", "R"}, rows)
	}
	pdf.heading("C. Daftar Peserta dan Hasil")
	rows := make([][]string, len(d.Trainees))
	for i, t := range d.Trainees {
		att := "-"
		if rate, ok := domain.AttendanceRate(t.Present, t.Marked); ok {
			att = fmt.Sprintf("%d%%", rate) // the number the programme screen shows
		}
		result := "-"
		switch {
		case t.Competent+t.NotYet == 0:
		case t.NotYet == 0:
			result = fmt.Sprintf("Kompeten (%d unit)", t.Competent)
		default:
			result = fmt.Sprintf("BK %d dari %d unit", t.NotYet, t.Competent+t.NotYet)
		}
		rows[i] = []string{fmt.Sprint(i + 1), t.Trainee.Name, t.Trainee.NIK, t.Trainee.Sex, att, result,
			domain.ChoiceLabel("enrollments.status", t.Enrollment.Status, domain.Indonesian)}
	}
	pdf.table([]string{"No", "Nama", "NIK", "L/P", "Hadir", "Uji kompetensi", "Status"},
		[]float64{9, 46, 33, 10, 14, 38, 24}, []string{"C", "L", "L", "C", "R", "L", "L"}, rows)
	pdf.Ln(2)
	pdf.font("", 9)
	pdf.MultiCell(0, 5, fmt.Sprintf("Jumlah peserta %d orang (keluar %d); lulus %d orang (%s); kompeten pada semua unit yang diuji %d orang.",
		enrolled+dropped, dropped, graduated, percent(graduated, enrolled+dropped), competent), "", "L", false)

	_, pageH := pdf.GetPageSize()
	if pdf.GetY() > pageH-75 {
		pdf.AddPage()
	}
	pdf.Ln(8)
	head := ""
	if d.Centre != nil {
		head = d.Centre.Head
	}
	pdf.signature(placeOf(centreVillage(d.Centre)), "Kepala "+centreName(d.Centre), head, 118)
	return pdf.output(w)
}

func centreVillage(c *domain.Centre) string {
	if c == nil {
		return ""
	}
	return c.VillageCode
}
