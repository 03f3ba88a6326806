package pdfdoc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"

	"github.com/kemnaker/blk/domain"
)

// ErrNoGraduates is returned when there is no graduate to certify.
var ErrNoGraduates = errors.New("belum ada peserta yang lulus: tandai peserta sebagai Lulus dulu")

// ErrNoCertificate is a graduate without a certificate record: printing
// one without its number is never right.
var ErrNoCertificate = errors.New("sertifikat belum diterbitkan untuk lulusan ini")

// ErrRevoked is a certificate asked for by name that the centre revoked.
var ErrRevoked = errors.New("sertifikat yang dicabut tidak dicetak")

// QRSize is the printed side of a certificate's QR code, in millimetres.
const QRSize = 26

// CertificateQR is the QR code image a certificate with check address url
// carries, as the PNG the PDF embeds: black modules on white, a quiet
// zone of four modules, eight pixels a module, medium error correction
// (a creased or stained paper still reads).
func CertificateQR(url string) ([]byte, error) {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("QR code: %w", err)
	}
	bm := q.Bitmap() // with its quiet zone
	const px = 8
	img := image.NewGray(image.Rect(0, 0, len(bm)*px, len(bm)*px))
	for y, row := range bm {
		for x, black := range row {
			c := color.Gray{Y: 255}
			if black {
				c.Y = 0
			}
			for dy := range px {
				for dx := range px {
					img.SetGray(x*px+dx, y*px+dy, c)
				}
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Certificates writes one certificate page per graduate of the cohort into
// one PDF; with traineeID set, only that trainee's certificate.
func Certificates(ctx context.Context, st Store, cohortID, traineeID string, w io.Writer) error {
	// Graduates of earlier versions get their number now, before printing.
	if _, err := st.IssueMissingCertificates(ctx, cohortID); err != nil {
		return err
	}
	d, err := LoadCohort(ctx, st, cohortID)
	if err != nil {
		return err
	}
	return WriteCertificates(w, d, traineeID, st.LocalTime())
}

// WriteCertificates renders the certificates of a loaded cohort.
func WriteCertificates(w io.Writer, d *CohortData, traineeID string, printed time.Time) error {
	var who []CohortTrainee
	for _, t := range d.Trainees {
		if traineeID != "" && t.Trainee.ID != traineeID {
			continue
		}
		if traineeID != "" && !t.Graduated() {
			return fmt.Errorf("%s belum lulus dari angkatan ini (status: %s); sertifikat hanya untuk peserta yang lulus",
				t.Trainee.Name, domain.ChoiceLabel("enrollments.status", t.Enrollment.Status, domain.Indonesian))
		}
		if t.Graduated() {
			who = append(who, t)
		}
	}
	if traineeID != "" && len(who) == 0 {
		return fmt.Errorf("peserta %q tidak terdaftar di angkatan ini: %w", traineeID, ErrNotFound)
	}
	if len(who) == 0 {
		return ErrNoGraduates
	}
	// A revoked certificate is never printed again: the paper would say
	// what the check page denies.
	live := who[:0]
	for _, t := range who {
		if t.Certificate != nil && t.Certificate.RevokedOn != "" {
			if traineeID != "" {
				return fmt.Errorf("sertifikat %s milik %s dicabut pada %s (%s): tidak dicetak lagi; %w", t.Certificate.Number, t.Trainee.Name,
					domain.ShowDate(t.Certificate.RevokedOn), t.Certificate.RevokeReason, ErrRevoked)
			}
			continue
		}
		live = append(live, t)
	}
	if who = live; len(who) == 0 {
		return ErrNoGraduates
	}
	pdf := newDoc("L", printed, "Sertifikat Pelatihan")
	pdf.SetAutoPageBreak(false, 0)
	for _, t := range who {
		if t.Certificate == nil {
			return fmt.Errorf("%s: %w", t.Trainee.Name, ErrNoCertificate)
		}
		if err := certificatePage(pdf, d, t); err != nil {
			return err
		}
	}
	return pdf.output(w)
}

func certificatePage(pdf *doc, d *CohortData, t CohortTrainee) error {
	pdf.AddPage()
	pw, ph := pdf.GetPageSize()
	// A double frame, the classic certificate border.
	pdf.SetDrawColor(31, 92, 153)
	pdf.SetLineWidth(1.6)
	pdf.Rect(9, 9, pw-18, ph-18, "D")
	pdf.SetLineWidth(0.4)
	pdf.Rect(13, 13, pw-26, ph-26, "D")
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.2)

	pdf.SetXY(20, 22)
	pdf.font("B", 13)
	pdf.CellFormat(pw-40, 7, strings.ToUpper(centreName(d.Centre)), "", 2, "C", false, 0, "")
	if d.Centre != nil && d.Centre.Foundation != "" {
		pdf.font("", 9)
		pdf.CellFormat(pw-40, 5, d.Centre.Foundation, "", 2, "C", false, 0, "")
	}
	pdf.Ln(6)
	pdf.SetTextColor(31, 92, 153)
	pdf.font("B", 28)
	pdf.CellFormat(pw-40, 13, "SERTIFIKAT PELATIHAN", "", 2, "C", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.font("", 10)
	pdf.CellFormat(pw-40, 6, "Nomor: "+t.Certificate.Number, "", 2, "C", false, 0, "")
	pdf.Ln(6)
	pdf.font("", 11)
	pdf.CellFormat(pw-40, 6, "diberikan kepada", "", 2, "C", false, 0, "")
	pdf.Ln(2)
	pdf.font("B", 22)
	pdf.CellFormat(pw-40, 11, t.Trainee.Name, "", 2, "C", false, 0, "")
	pdf.font("", 10.5)
	born := TanggalISO(t.Trainee.BirthDate)
	if t.Trainee.BirthPlace != "" {
		born = t.Trainee.BirthPlace + ", " + born
	}
	pdf.CellFormat(pw-40, 6, "NIK "+t.Trainee.NIK+" · lahir di "+born, "", 2, "C", false, 0, "")
	pdf.Ln(5)
	pdf.font("", 11)
	pdf.SetX(40)
	pdf.MultiCell(pw-80, 6.5, fmt.Sprintf(
		"telah mengikuti dan menyelesaikan %s (kejuruan %s) selama %d jam pelajaran, angkatan %d tahun %d, pada tanggal %s sampai dengan %s di %s.",
		trainingName(d.Programme.Name), d.Programme.FieldCode, d.Programme.TotalJP, d.Cohort.Number, d.Cohort.Year,
		TanggalISO(d.Cohort.StartDate), TanggalISO(d.Cohort.EndDate), centreName(d.Centre)), "", "C", false)

	issued := pdf.printed
	if t, ok := domain.ParseDate(t.Enrollment.CertificateDate); ok {
		issued = t
	}
	saved := pdf.printed
	pdf.printed = issued
	pdf.SetY(ph - 62)
	head := ""
	if d.Centre != nil {
		head = d.Centre.Head
	}
	pdf.signature(placeOf(centreVillage(d.Centre)), "Kepala "+centreName(d.Centre), head, pw-20-80)
	pdf.printed = saved
	if t.CheckURL == "" {
		return nil
	}
	// Bottom left, opposite the signature: the QR code, and under it the
	// address and number for whoever cannot scan.
	png, err := CertificateQR(t.CheckURL)
	if err != nil {
		return err
	}
	name := "qr-" + t.Certificate.Code
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	pdf.RegisterImageOptionsReader(name, opt, bytes.NewReader(png))
	x, y := 24.0, ph-24-QRSize-7
	pdf.ImageOptions(name, x, y, QRSize, QRSize, false, opt, 0, "")
	pdf.SetXY(x-4, y+QRSize+0.5)
	pdf.font("", 6.5)
	pdf.CellFormat(QRSize+8+60, 3.2, "Periksa keaslian: "+t.CheckURL, "", 2, "L", false, 0, "")
	return pdf.Error()
}

// trainingName avoids "pelatihan Pelatihan Elektronika" for programmes
// whose name already says it.
func trainingName(programme string) string {
	if strings.HasPrefix(strings.ToLower(programme), "pelatihan") {
		return programme
	}
	return "pelatihan " + programme
}
