// Training certificates: issued in the same transaction that graduates a
// trainee, numbered so that no two PCs ever give the same number (see
// domain/certificate.go), revoked by the operator.

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/kemnaker/blk/domain"
)

// Meta keys the sync client writes when the server tells this PC its
// centre's short code and its own device number (on enrolment and pull).
const (
	MetaCentreCode = "centre_code"
	MetaDeviceNo   = "device_no"
)

// SetRandom makes the certificates issued in this transaction draw their
// check codes from r instead of crypto/rand: deterministic demo data only.
func (w *Tx) SetRandom(r io.Reader) { w.random = r }

// certificateFor returns the certificate graduating en issues, or nil when
// en is not a graduation or the enrollment has one already (revoked or
// not: a revoked certificate is not silently replaced). A number typed by
// hand before this version is kept: it may have been printed.
func (w *Tx) certificateFor(en *domain.Enrollment) (*domain.Certificate, error) {
	if en.Deleted || en.Status != domain.EnrollmentCompleted || en.ID == "" {
		return nil, nil
	}
	var n int
	if err := w.QueryRowContext(w.ctx, `SELECT count(*) FROM certificates WHERE enrollment_id = ? AND deleted = 0`, en.ID).Scan(&n); err != nil {
		return nil, fmt.Errorf("certificate of %s: %w", en.ID, err)
	}
	if n > 0 {
		return nil, nil
	}
	issued := en.CertificateDate
	if _, ok := domain.ParseDate(issued); !ok {
		issued = en.CompletedOn
	}
	if _, ok := domain.ParseDate(issued); !ok {
		issued = w.s.Now().Format(domain.DateLayout)
	}
	number := strings.TrimSpace(en.CertificateNo)
	if number == "" {
		var err error
		if number, err = w.nextCertificateNumber(en.CohortID, issued); err != nil {
			return nil, err
		}
	}
	code, err := domain.NewCertificateCode(w.random)
	if err != nil {
		return nil, err
	}
	c := &domain.Certificate{EnrollmentID: en.ID, Number: number, Code: code, IssuedOn: issued}
	c.ID = domain.NaturalID("certificate", w.s.CentreID(), number)
	return c, nil
}

// nextCertificateNumber is the next number of this PC for the cohort's
// field in the year of issued. Numbers of tombstoned certificates count
// too: a number is never given twice.
func (w *Tx) nextCertificateNumber(cohortID, issued string) (string, error) {
	var field sql.NullString
	err := w.QueryRowContext(w.ctx, `SELECT p.field_code FROM cohorts c JOIN programmes p ON p.id = c.programme_id WHERE c.id = ?`, cohortID).Scan(&field)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("certificate field: %w", err)
	}
	year, _ := strconv.Atoi(issued[:4])
	centre, device, err := w.certificateIssuer()
	if err != nil {
		return "", err
	}
	prefix := domain.CertificatePrefix(centre, field.String, year, device)
	rows, err := w.QueryContext(w.ctx, `SELECT certificate_no FROM certificates WHERE substr(certificate_no, 1, ?) = ?`, len(prefix), prefix)
	if err != nil {
		return "", fmt.Errorf("certificate numbers: %w", err)
	}
	defer rows.Close()
	last := 0
	for rows.Next() {
		var no string
		if err := rows.Scan(&no); err != nil {
			return "", err
		}
		if n, ok := domain.CertificateSeq(prefix, no); ok && n > last {
			last = n
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return domain.CertificateNumber(prefix, last+1), nil
}

// certificateIssuer is the centre and device parts of this PC's numbers:
// the server's when it told them, else the offline ones.
func (w *Tx) certificateIssuer() (centre, device string, err error) {
	get := func(k string) (string, error) {
		var v string
		err := w.tx.QueryRowContext(w.ctx, `SELECT value FROM meta WHERE key = ?`, k).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return "", nil
		}
		return v, err
	}
	if centre, err = get(MetaCentreCode); err != nil {
		return "", "", err
	}
	if device, err = get(MetaDeviceNo); err != nil {
		return "", "", err
	}
	if centre == "" {
		centre = domain.OfflineCentreCode(w.s.CentreID())
	}
	if n, _ := strconv.Atoi(device); n <= 0 {
		device = domain.OfflineDevice(w.s.device)
	}
	return centre, device, nil
}

// CertificatesOf returns the live certificates of the enrollments, oldest
// number first per enrollment.
func (s *Store) CertificatesOf(ctx context.Context, enrollmentIDs []string) (map[string][]*domain.Certificate, error) {
	out := map[string][]*domain.Certificate{}
	for len(enrollmentIDs) > 0 {
		n := min(len(enrollmentIDs), 500)
		batch := enrollmentIDs[:n]
		enrollmentIDs = enrollmentIDs[n:]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		rows, err := s.ro.QueryContext(ctx, `SELECT id, centre_id, enrollment_id, certificate_no, check_code, issued_on, revoked_on, revoke_reason FROM certificates
			WHERE deleted = 0 AND enrollment_id IN (?`+strings.Repeat(",?", n-1)+`) ORDER BY enrollment_id, issued_on, certificate_no`, args...)
		if err != nil {
			return nil, fmt.Errorf("certificates: %w", err)
		}
		for rows.Next() {
			c := &domain.Certificate{}
			if err := rows.Scan(&c.ID, &c.CentreID, &c.EnrollmentID, &c.Number, &c.Code, &c.IssuedOn, &c.RevokedOn, &c.RevokeReason); err != nil {
				rows.Close()
				return nil, err
			}
			out[c.EnrollmentID] = append(out[c.EnrollmentID], c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// IssueMissingCertificates gives a certificate to every graduate of the
// cohort who has none yet (graduated before this version, or on a PC that
// pulled the graduation without its certificate), so no certificate is
// ever printed without a number. It returns how many it issued.
func (s *Store) IssueMissingCertificates(ctx context.Context, cohortID string) (int, error) {
	var ids []string
	rows, err := s.ro.QueryContext(ctx, `SELECT e.id FROM enrollments e WHERE e.cohort_id = ? AND e.deleted = 0 AND e.status = ?
		AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.enrollment_id = e.id AND c.deleted = 0) ORDER BY e.id`, cohortID, domain.EnrollmentCompleted)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return 0, err
	}
	issued := 0
	err = s.Write(ctx, func(tx *Tx) error {
		issued = 0
		for _, id := range ids {
			en := &domain.Enrollment{}
			en.ID = id
			if err := tx.Get(en); err != nil {
				return err
			}
			c, err := tx.certificateFor(en)
			if err != nil || c == nil {
				return err
			}
			if _, err := tx.Save(c); err != nil {
				return err
			}
			issued++
		}
		return nil
	})
	return issued, err
}

// RevokeCertificate marks a certificate revoked on date with a reason; the
// check page then says "dicabut". It syncs like any change. A reason is
// required (domain validation refuses a revocation without one); a
// certificate revoked already keeps its first date and reason.
func (s *Store) RevokeCertificate(ctx context.Context, id string, on time.Time, reason string) error {
	c := &domain.Certificate{}
	c.ID = id
	if err := s.Get(ctx, c); err != nil {
		return err
	}
	if c.RevokedOn != "" {
		return nil
	}
	c.RevokedOn, c.RevokeReason = on.Format(domain.DateLayout), strings.TrimSpace(reason)
	_, err := s.Save(ctx, c)
	return err
}

// CheckURL is the address of a certificate's public check page, from the
// server this PC enrolled with; "" when it never enrolled (the certificate
// is then printed without a QR code).
func (s *Store) CheckURL(ctx context.Context, code string) (string, error) {
	server, err := s.Meta(ctx, "server_url")
	if err != nil || server == "" || code == "" {
		return "", err
	}
	return strings.TrimRight(server, "/") + "/v/" + code, nil
}
