package central

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/kemnaker/blk/domain"
)

// Certificates: the server gives every centre a short code when the
// ministry registers it and every PC of a centre a number when it enrols;
// the PC puts both in the certificate numbers it issues, so numbers are
// unique nationally without the PCs ever asking (domain/certificate.go).
// The certificates themselves are ordinary synced records; the public
// check page finds one by its code or number through the projection
// columns (k2 code, k1 number).

// addCertificateIssuers adds the centre code and the device number, gives
// existing centres and devices theirs in registration order, and indexes
// certificate numbers.
func addCertificateIssuers(ctx context.Context, s *sqlStorage, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `ALTER TABLE centres ADD COLUMN code TEXT NOT NULL DEFAULT ''`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `ALTER TABLE devices ADD COLUMN device_no BIGINT NOT NULL DEFAULT 0`); err != nil {
		return err
	}
	type centre struct{ id, region string }
	var cs []centre
	rows, err := tx.QueryContext(ctx, `SELECT id, region FROM centres WHERE id <> '' ORDER BY created_at, id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c centre
		if err := rows.Scan(&c.id, &c.region); err != nil {
			rows.Close()
			return err
		}
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range cs {
		code, err := s.nextCentreCode(ctx, tx, c.region)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE centres SET code = ? WHERE id = ?`), code, c.id); err != nil {
			return err
		}
	}
	type device struct{ id, centre string }
	var ds []device
	rows, err = tx.QueryContext(ctx, `SELECT id, centre_id FROM devices ORDER BY centre_id, enrolled_at, id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var d device
		if err := rows.Scan(&d.id, &d.centre); err != nil {
			rows.Close()
			return err
		}
		ds = append(ds, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	n := map[string]int64{}
	for _, d := range ds {
		n[d.centre]++
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE devices SET device_no = ? WHERE id = ?`), n[d.centre], d.id); err != nil {
			return err
		}
	}
	for _, st := range []string{
		`CREATE UNIQUE INDEX IF NOT EXISTS centres_code ON centres (code) WHERE code <> ''`,
		`CREATE UNIQUE INDEX IF NOT EXISTS devices_centre_no ON devices (centre_id, device_no) WHERE device_no > 0`,
		`CREATE INDEX IF NOT EXISTS records_k1 ON records (tbl, k1)`,
	} {
		if _, err := tx.ExecContext(ctx, st); err != nil {
			return err
		}
	}
	return nil
}

// nextCentreCode is the next code of the region's province: its two digits
// and a number, 32001, 32002, … (four digits and more once 999 are used).
// The caller holds the lock that serialises centre registrations.
func (s *sqlStorage) nextCentreCode(ctx context.Context, q querier, region string) (string, error) {
	prov := "00"
	if len(region) >= 2 {
		prov = region[:2]
	}
	rows, err := q.QueryContext(ctx, s.q(`SELECT code FROM centres WHERE code LIKE ?`), prov+"%")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	last := 0
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return "", err
		}
		if n, err := strconv.Atoi(c[len(prov):]); err == nil && n > last {
			last = n
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%03d", prov, last+1), nil
}

// nextDeviceNo is the number the centre's next PC gets; the caller holds
// the centre's row lock.
func (s *sqlStorage) nextDeviceNo(ctx context.Context, q querier, centre string) (int64, error) {
	var n int64
	err := q.QueryRowContext(ctx, s.q(`SELECT coalesce(max(device_no), 0) FROM devices WHERE centre_id = ?`), centre).Scan(&n)
	return n + 1, err
}

// Certificate check results.
const (
	CertificateValid    = "valid"
	CertificateRevoked  = "revoked"
	CertificateNotFound = "not_found"
)

// CertificateCheck is what the public check page may say about a
// certificate: never the holder's NIK, phone or address.
type CertificateCheck struct {
	Status     string   `json:"status"` // Certificate*
	Number     string   `json:"number,omitempty"`
	Holder     string   `json:"holder,omitempty"`
	Programme  string   `json:"programme,omitempty"`
	FieldCode  string   `json:"field_code,omitempty"`
	CohortFrom string   `json:"cohort_from,omitempty"`
	CohortTo   string   `json:"cohort_to,omitempty"`
	Centre     string   `json:"centre,omitempty"`
	Region     string   `json:"region,omitempty"`
	IssuedOn   string   `json:"issued_on,omitempty"`
	RevokedOn  string   `json:"revoked_on,omitempty"`
	Units      []string `json:"units,omitempty"` // "code title" of the units passed (K)
}

// Verifier answers the public certificate check page. The SQL storage
// implements it; the page gets it with a type assertion, like Reporter.
type Verifier interface {
	// CheckCertificate looks a certificate up by its check code, or by its
	// number when code is empty; unknown, altered or deleted ones are
	// CertificateNotFound (never an error).
	CheckCertificate(ctx context.Context, code, number string) (CertificateCheck, error)
}

// CheckCertificate implements Verifier.
func (s *sqlStorage) CheckCertificate(ctx context.Context, code, number string) (CertificateCheck, error) {
	none := CertificateCheck{Status: CertificateNotFound}
	var where, key string
	switch {
	case code != "":
		c, ok := domain.NormalizeCertificateCode(code)
		if !ok {
			return none, nil
		}
		where, key = "k2", c
	case number != "":
		n, ok := domain.NormalizeCertificateNumber(number)
		if !ok {
			return none, nil
		}
		where, key = "k1", n
	default:
		return none, nil
	}
	tx, err := s.ro.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return none, err
	}
	defer tx.Rollback()
	// The first issued wins: a record copying another's code or number
	// (only a hostile PC could make one) never hides the real one.
	rows, err := tx.QueryContext(ctx, s.q(`SELECT r.id, c.id, r.k1, r.k2, r.k3, r.data FROM records r JOIN centres c ON c.centre_no = r.centre_no WHERE r.tbl = 'certificates' AND r.deleted = 0 AND r.`+where+` = ? ORDER BY r.seq LIMIT 20`), key)
	if err != nil {
		return none, fmt.Errorf("certificate: %w", err)
	}
	type found struct {
		centre string
		cert   *domain.Certificate
	}
	var fs []found
	for rows.Next() {
		var id, centre, data string
		var k [3]string
		if err := rows.Scan(&id, &centre, &k[0], &k[1], &k[2], &data); err != nil {
			rows.Close()
			return none, err
		}
		rec, err := recordOf(domain.LookupTable("certificates"), rowKey{id: id, centre: centre, k: k}, data)
		if err != nil {
			rows.Close()
			return none, err
		}
		fs = append(fs, found{centre, rec.(*domain.Certificate)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return none, err
	}
	if len(fs) == 0 {
		return none, nil
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].cert.IssuedOn < fs[j].cert.IssuedOn })
	f := fs[0]
	get := func(rec domain.Record, id string) (bool, error) {
		t := domain.TableOf(rec)
		var data string
		var k [3]string
		err := tx.QueryRowContext(ctx, s.q(`SELECT k1, k2, k3, data FROM records WHERE tbl = ? AND id = ? AND centre_no = `+centreNoOf+` AND deleted = 0`), t.Name, id, f.centre).Scan(&k[0], &k[1], &k[2], &data)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		got, err := recordOf(t, rowKey{id: id, centre: f.centre, k: k}, data)
		if err != nil {
			return false, err
		}
		for _, fl := range t.Fields {
			_ = fl.Set(rec, fl.Get(got))
		}
		return true, nil
	}
	en, tr, co, pr, ce := &domain.Enrollment{}, &domain.Trainee{}, &domain.Cohort{}, &domain.Programme{}, &domain.Centre{}
	for _, step := range []struct {
		rec domain.Record
		id  func() string
	}{
		{en, func() string { return f.cert.EnrollmentID }},
		{tr, func() string { return en.TraineeID }},
		{co, func() string { return en.CohortID }},
		{pr, func() string { return co.ProgrammeID }},
	} {
		ok, err := get(step.rec, step.id())
		if err != nil {
			return none, err
		}
		if !ok {
			// A certificate whose enrollment or trainee is gone certifies
			// nobody.
			return none, nil
		}
	}
	out := CertificateCheck{
		Status: CertificateValid, Number: f.cert.Number, Holder: tr.Name,
		Programme: pr.Name, FieldCode: pr.FieldCode, CohortFrom: co.StartDate, CohortTo: co.EndDate,
		IssuedOn: f.cert.IssuedOn,
	}
	if f.cert.RevokedOn != "" {
		out.Status, out.RevokedOn = CertificateRevoked, f.cert.RevokedOn
	}
	if ok, err := get(ce, f.centre); err != nil {
		return none, err
	} else if ok {
		out.Centre = ce.Name
	}
	var name string
	if err := tx.QueryRowContext(ctx, s.q(`SELECT name, region FROM centres WHERE id = ?`), f.centre).Scan(&name, &out.Region); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return none, err
	}
	if out.Centre == "" {
		out.Centre = name
	}
	units, err := s.passedUnits(ctx, tx, f.centre, en.ID, pr.ID)
	if err != nil {
		return none, err
	}
	out.Units = units
	return out, nil
}

// passedUnits lists the units the enrollment passed (K), in the
// programme's order, with the programme's unit titles.
func (s *sqlStorage) passedUnits(ctx context.Context, q querier, centre, enrollment, programme string) ([]string, error) {
	type unit struct {
		title string
		pos   int64
	}
	units := map[string]unit{}
	rows, err := q.QueryContext(ctx, s.q(`SELECT id, k1, k2, k3, data FROM records WHERE centre_no = `+centreNoOf+` AND tbl = 'programme_units' AND deleted = 0`), centre)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, data string
		var k [3]string
		if err := rows.Scan(&id, &k[0], &k[1], &k[2], &data); err != nil {
			rows.Close()
			return nil, err
		}
		rec, err := recordOf(domain.LookupTable("programme_units"), rowKey{id: id, centre: centre, k: k}, data)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if pu := rec.(*domain.ProgrammeUnit); pu.ProgrammeID == programme {
			units[pu.UnitCode] = unit{pu.Title, pu.Position}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	type passed struct {
		code string
		unit
	}
	var out []passed
	// Assessment ids derive from (enrollment, unit), so each is one lookup.
	for code, u := range units {
		var data string
		var k [3]string
		id := domain.NaturalID("assessment", enrollment, code)
		err := q.QueryRowContext(ctx, s.q(`SELECT k1, k2, k3, data FROM records WHERE tbl = 'assessments' AND id = ? AND centre_no = `+centreNoOf+` AND deleted = 0`), id, centre).Scan(&k[0], &k[1], &k[2], &data)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		rec, err := recordOf(domain.LookupTable("assessments"), rowKey{id: id, centre: centre, k: k}, data)
		if err != nil {
			return nil, err
		}
		if rec.(*domain.Assessment).Result == domain.Competent {
			out = append(out, passed{code, u})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].pos != out[j].pos {
			return out[i].pos < out[j].pos
		}
		return out[i].code < out[j].code
	})
	list := make([]string, len(out))
	for i, p := range out {
		list[i] = strings.TrimSpace(p.code + " " + p.title)
	}
	return list, nil
}
