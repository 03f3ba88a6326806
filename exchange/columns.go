package exchange

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/kemnaker/blk/domain"
	catalogue "github.com/kemnaker/blk/msg"
)

// cellKind says how a column is written: text stays text (NIKs and phones
// must never become numbers), dates become real spreadsheet dates.
type cellKind int

const (
	cellText cellKind = iota
	cellDate
	cellInt
	cellPercent
)

// column is one column of an export: its header, how wide, how to read it.
type column struct {
	header string
	kind   cellKind
	width  float64
	value  func(domain.Record) any // string, int64 or float64
}

// Lists are the names accepted by Export's what, in menu order.
var Lists = []string{"trainees", "cohorts", "enrollments", "outcomes", "partners", "funding",
	"ledger_lines", "instructor_certifications", "legal_documents", "roadmap_targets",
	"certificates", "competency_certificates", "employer_ratings"}

// lookups are the names export columns show instead of bare ids. They are
// read from the same Source as the rows, so every Source of one centre's
// data gives the same file.
type lookups struct {
	programmes  map[string]*domain.Programme
	instructors map[string]string
	cohorts     map[string]string
	trainees    map[string]*domain.Trainee
	attendance  map[string][2]int // enrollment id → present, marked
	enrollments map[string]*domain.Enrollment
	outcomes    map[string]*domain.Outcome
	results     map[string]*resultTally
}

type resultTally struct {
	competent, notYet int
	certificates      []string
}

func loadLookups(ctx context.Context, src Source, what string) (*lookups, error) {
	l := &lookups{
		programmes:  map[string]*domain.Programme{},
		instructors: map[string]string{},
		cohorts:     map[string]string{},
		trainees:    map[string]*domain.Trainee{},
		attendance:  map[string][2]int{},
		results:     map[string]*resultTally{},
		enrollments: map[string]*domain.Enrollment{},
		outcomes:    map[string]*domain.Outcome{},
	}
	need := map[string]bool{}
	switch what {
	case "cohorts":
		need["programmes"], need["instructors"] = true, true
	case "enrollments":
		need["programmes"], need["cohorts"], need["trainees"], need["attendance"], need["assessments"] = true, true, true, true, true
	case "outcomes":
		need["trainees"] = true
	case "instructor_certifications":
		need["instructors"] = true
	case "funding":
		need["programmes"], need["cohorts"] = true, true
	case "certificates":
		need["programmes"], need["cohorts"], need["trainees"], need["enrollments"] = true, true, true, true
	case "competency_certificates":
		need["trainees"] = true
	case "employer_ratings":
		need["trainees"], need["outcomes"] = true, true
	}
	each := func(table string, fn func(domain.Record)) error {
		if !need[table] {
			return nil
		}
		return src.EachRecord(ctx, table, func(r domain.Record) error { fn(r); return nil })
	}
	var cohorts []*domain.Cohort
	err := firstErr(
		func() error {
			return each("programmes", func(r domain.Record) { p := r.(*domain.Programme); l.programmes[p.ID] = p })
		},
		func() error {
			return each("instructors", func(r domain.Record) { i := r.(*domain.Instructor); l.instructors[i.ID] = i.Name })
		},
		func() error {
			return each("cohorts", func(r domain.Record) { cohorts = append(cohorts, r.(*domain.Cohort)) })
		},
		func() error {
			return each("trainees", func(r domain.Record) { t := r.(*domain.Trainee); l.trainees[t.ID] = t })
		},
		func() error {
			return each("enrollments", func(r domain.Record) { e := r.(*domain.Enrollment); l.enrollments[e.ID] = e })
		},
		func() error {
			return each("outcomes", func(r domain.Record) { o := r.(*domain.Outcome); l.outcomes[o.ID] = o })
		},
		func() error {
			return each("attendance", func(r domain.Record) {
				a := r.(*domain.Attendance)
				c := l.attendance[a.EnrollmentID]
				c[1]++
				if a.Mark == domain.AttendancePresent {
					c[0]++
				}
				l.attendance[a.EnrollmentID] = c
			})
		},
		func() error {
			return each("assessments", func(r domain.Record) {
				a := r.(*domain.Assessment)
				t := l.results[a.EnrollmentID]
				if t == nil {
					t = &resultTally{}
					l.results[a.EnrollmentID] = t
				}
				if a.Result == domain.Competent {
					t.competent++
				} else {
					t.notYet++
				}
				if a.CertificateNo != "" {
					t.certificates = append(t.certificates, a.CertificateNo)
				}
			})
		},
	)
	if err != nil {
		return nil, err
	}
	for _, c := range cohorts {
		l.cohorts[c.ID] = CohortLabel(c, l.programmes[c.ProgrammeID])
	}
	return l, nil
}

func firstErr(fns ...func() error) error {
	for _, fn := range fns {
		if err := fn(); err != nil {
			return err
		}
	}
	return nil
}

// CohortLabel names a cohort the way people say it: "Menjahit Dasar 2026/1".
func CohortLabel(c *domain.Cohort, p *domain.Programme) string {
	name := "?"
	if p != nil {
		name = p.Name
	}
	return fmt.Sprintf("%s %d/%d", name, c.Year, c.Number)
}

// Exports are in Indonesian: a column of a field has the field's label, the
// others a text of the catalogue (export.*).
func label(field string) string { return domain.FieldLabel(field, domain.Indonesian) }

func header(key string) string { return catalogue.T(domain.Indonesian, key) }

func choice(key, v string) string { return domain.ChoiceLabel(key, v, domain.Indonesian) }

// traineeColumns are also the import's reference: an exported trainee list
// re-imports unchanged, so every header here must be one the importer knows.
func traineeColumns() []column {
	tr := func(r domain.Record) *domain.Trainee { return r.(*domain.Trainee) }
	return []column{
		{label("id"), cellText, 38, func(r domain.Record) any { return r.Base().ID }},
		{label("nik"), cellText, 20, func(r domain.Record) any { return tr(r).NIK }},
		{label("kk"), cellText, 20, func(r domain.Record) any { return tr(r).KK }},
		{label("name"), cellText, 30, func(r domain.Record) any { return tr(r).Name }},
		{label("sex"), cellText, 8, func(r domain.Record) any { return tr(r).Sex }},
		{label("birth_place"), cellText, 18, func(r domain.Record) any { return tr(r).BirthPlace }},
		{label("birth_date"), cellDate, 13, func(r domain.Record) any { return tr(r).BirthDate }},
		{label("education"), cellText, 18, func(r domain.Record) any { return choice("trainees.education", tr(r).Education) }},
		{label("grp"), cellText, 18, func(r domain.Record) any { return choice("trainees.grp", tr(r).Group) }},
		{label("disability"), cellText, 14, func(r domain.Record) any { return tr(r).Disability }},
		{label("address"), cellText, 40, func(r domain.Record) any { return tr(r).Address }},
		{label("village_code"), cellText, 14, func(r domain.Record) any { return tr(r).VillageCode }},
		{label("postal_code"), cellText, 9, func(r domain.Record) any { return tr(r).PostalCode }},
		{label("phone"), cellText, 16, func(r domain.Record) any { return domain.LocalPhone(tr(r).Phone) }},
		{label("email"), cellText, 26, func(r domain.Record) any { return tr(r).Email }},
	}
}

func columnsFor(what string, l *lookups) ([]column, error) {
	switch what {
	case "trainees":
		return traineeColumns(), nil
	case "cohorts":
		c := func(r domain.Record) *domain.Cohort { return r.(*domain.Cohort) }
		return []column{
			{label("id"), cellText, 38, func(r domain.Record) any { return r.Base().ID }},
			{label("programme_id"), cellText, 30, func(r domain.Record) any {
				if p := l.programmes[c(r).ProgrammeID]; p != nil {
					return p.Name
				}
				return ""
			}},
			{label("field_code"), cellText, 10, func(r domain.Record) any {
				if p := l.programmes[c(r).ProgrammeID]; p != nil {
					return p.FieldCode
				}
				return ""
			}},
			{label("year"), cellInt, 7, func(r domain.Record) any { return c(r).Year }},
			{label("number"), cellInt, 9, func(r domain.Record) any { return c(r).Number }},
			{label("start_date"), cellDate, 13, func(r domain.Record) any { return c(r).StartDate }},
			{label("end_date"), cellDate, 13, func(r domain.Record) any { return c(r).EndDate }},
			{label("quota"), cellInt, 7, func(r domain.Record) any { return c(r).Quota }},
			{label("instructor_ids"), cellText, 30, func(r domain.Record) any { return l.instructorNames(c(r).InstructorIDs) }},
			{label("funding_source"), cellText, 22, func(r domain.Record) any { return c(r).FundingSource }},
			{label("status"), cellText, 13, func(r domain.Record) any { return choice("cohorts.status", c(r).Status) }},
		}, nil
	case "enrollments":
		e := func(r domain.Record) *domain.Enrollment { return r.(*domain.Enrollment) }
		tr := func(r domain.Record) *domain.Trainee {
			if t := l.trainees[e(r).TraineeID]; t != nil {
				return t
			}
			return &domain.Trainee{}
		}
		return []column{
			{label("id"), cellText, 38, func(r domain.Record) any { return r.Base().ID }},
			{label("cohort_id"), cellText, 30, func(r domain.Record) any { return l.cohorts[e(r).CohortID] }},
			{label("nik"), cellText, 20, func(r domain.Record) any { return tr(r).NIK }},
			{label("name"), cellText, 30, func(r domain.Record) any { return tr(r).Name }},
			{label("enrolled_on"), cellDate, 13, func(r domain.Record) any { return e(r).EnrolledOn }},
			{label("status"), cellText, 10, func(r domain.Record) any { return choice("enrollments.status", e(r).Status) }},
			{label("completed_on"), cellDate, 13, func(r domain.Record) any { return e(r).CompletedOn }},
			{header("export.attendance"), cellPercent, 12, func(r domain.Record) any {
				a := l.attendance[e(r).ID]
				if a[1] == 0 {
					return ""
				}
				return float64(a[0]) / float64(a[1])
			}},
			{header("export.units_competent"), cellInt, 12, func(r domain.Record) any { return l.result(e(r).ID).competent }},
			{header("export.units_not_yet"), cellInt, 12, func(r domain.Record) any { return l.result(e(r).ID).notYet }},
			{header("export.result"), cellText, 16, func(r domain.Record) any { return l.result(e(r).ID).verdict() }},
			{header("export.bnsp_certificates"), cellText, 24, func(r domain.Record) any { return strings.Join(l.result(e(r).ID).sorted(), ", ") }},
			{header("export.training_certificate_no"), cellText, 24, func(r domain.Record) any { return e(r).CertificateNo }},
			{label("certificate_date"), cellDate, 13, func(r domain.Record) any { return e(r).CertificateDate }},
		}, nil
	case "outcomes":
		o := func(r domain.Record) *domain.Outcome { return r.(*domain.Outcome) }
		tr := func(r domain.Record) *domain.Trainee {
			if t := l.trainees[o(r).TraineeID]; t != nil {
				return t
			}
			return &domain.Trainee{}
		}
		return []column{
			{label("id"), cellText, 38, func(r domain.Record) any { return r.Base().ID }},
			{label("nik"), cellText, 20, func(r domain.Record) any { return tr(r).NIK }},
			{label("name"), cellText, 30, func(r domain.Record) any { return tr(r).Name }},
			{label("surveyed_on"), cellDate, 13, func(r domain.Record) any { return o(r).SurveyedOn }},
			{label("status"), cellText, 18, func(r domain.Record) any { return choice("outcomes.status", o(r).Status) }},
			{label("employer"), cellText, 28, func(r domain.Record) any { return o(r).Employer }},
			{label("sector"), cellText, 18, func(r domain.Record) any { return o(r).Sector }},
			{label("income_band"), cellText, 14, func(r domain.Record) any { return choice("outcomes.income_band", o(r).IncomeBand) }},
			{label("source"), cellText, 12, func(r domain.Record) any { return choice("outcomes.source", o(r).Source) }},
		}, nil
	case "partners":
		p := func(r domain.Record) *domain.Partner { return r.(*domain.Partner) }
		return []column{
			{label("id"), cellText, 38, func(r domain.Record) any { return r.Base().ID }},
			{label("name"), cellText, 30, func(r domain.Record) any { return p(r).Name }},
			{label("type"), cellText, 18, func(r domain.Record) any { return choice("partners.type", p(r).Type) }},
			{label("mou_number"), cellText, 20, func(r domain.Record) any { return p(r).MoUNumber }},
			{label("mou_start"), cellDate, 13, func(r domain.Record) any { return p(r).MoUStart }},
			{label("mou_end"), cellDate, 13, func(r domain.Record) any { return p(r).MoUEnd }},
			{label("scope"), cellText, 30, func(r domain.Record) any { return p(r).Scope }},
			{label("contact"), cellText, 20, func(r domain.Record) any { return p(r).Contact }},
			{label("phone"), cellText, 16, func(r domain.Record) any { return domain.LocalPhone(p(r).Phone) }},
			{label("category"), cellText, 20, func(r domain.Record) any { return choice("partners.category", p(r).Category) }},
		}, nil
	case "funding":
		f := func(r domain.Record) *domain.Funding { return r.(*domain.Funding) }
		return []column{
			{label("id"), cellText, 38, func(r domain.Record) any { return r.Base().ID }},
			{label("source"), cellText, 26, func(r domain.Record) any { return f(r).Source }},
			{label("amount"), cellInt, 16, func(r domain.Record) any { return f(r).Amount }},
			{label("year"), cellInt, 7, func(r domain.Record) any { return f(r).Year }},
			{label("cohort_id"), cellText, 30, func(r domain.Record) any { return l.cohorts[f(r).CohortID] }},
			{label("received_on"), cellDate, 13, func(r domain.Record) any { return f(r).ReceivedOn }},
			{label("note"), cellText, 30, func(r domain.Record) any { return f(r).Note }},
			{label("source_kind"), cellText, 20, func(r domain.Record) any { return choice("funding.source_kind", f(r).SourceKind) }},
		}, nil
	case "ledger_lines":
		x := func(r domain.Record) *domain.LedgerLine { return r.(*domain.LedgerLine) }
		return []column{
			{label("id"), cellText, 38, func(r domain.Record) any { return r.Base().ID }},
			{label("date"), cellDate, 13, func(r domain.Record) any { return x(r).Date }},
			{label("direction"), cellText, 13, func(r domain.Record) any { return choice("ledger_lines.direction", x(r).Direction) }},
			{label("amount"), cellInt, 16, func(r domain.Record) any { return x(r).Amount }},
			{label("ledger_category"), cellText, 20, func(r domain.Record) any { return choice("ledger_lines.ledger_category", x(r).Category) }},
			{label("unit"), cellText, 20, func(r domain.Record) any { return x(r).Unit }},
			{label("note"), cellText, 30, func(r domain.Record) any { return x(r).Note }},
		}, nil
	case "instructor_certifications":
		x := func(r domain.Record) *domain.InstructorCertification { return r.(*domain.InstructorCertification) }
		return []column{
			{label("id"), cellText, 38, func(r domain.Record) any { return r.Base().ID }},
			{label("instructor_id"), cellText, 28, func(r domain.Record) any { return l.instructors[x(r).InstructorID] }},
			{label("cert_kind"), cellText, 20, func(r domain.Record) any { return choice("instructor_certifications.cert_kind", x(r).Kind) }},
			{label("cert_number"), cellText, 22, func(r domain.Record) any { return x(r).Number }},
			{label("issuer"), cellText, 24, func(r domain.Record) any { return x(r).Issuer }},
			{label("issued_on"), cellDate, 13, func(r domain.Record) any { return x(r).IssuedOn }},
			{label("expires_on"), cellDate, 13, func(r domain.Record) any { return x(r).ExpiresOn }},
		}, nil
	case "legal_documents":
		x := func(r domain.Record) *domain.LegalDocument { return r.(*domain.LegalDocument) }
		return []column{
			{label("id"), cellText, 38, func(r domain.Record) any { return r.Base().ID }},
			{label("doc_kind"), cellText, 22, func(r domain.Record) any { return choice("legal_documents.doc_kind", x(r).Kind) }},
			{label("doc_number"), cellText, 24, func(r domain.Record) any { return x(r).Number }},
			{label("grade"), cellText, 9, func(r domain.Record) any { return x(r).Grade }},
			{label("issuer"), cellText, 24, func(r domain.Record) any { return x(r).Issuer }},
			{label("issued_on"), cellDate, 13, func(r domain.Record) any { return x(r).IssuedOn }},
			{label("expires_on"), cellDate, 13, func(r domain.Record) any { return x(r).ExpiresOn }},
			{label("note"), cellText, 30, func(r domain.Record) any { return x(r).Note }},
		}, nil
	case "roadmap_targets":
		x := func(r domain.Record) *domain.RoadmapTarget { return r.(*domain.RoadmapTarget) }
		return []column{
			{label("id"), cellText, 38, func(r domain.Record) any { return r.Base().ID }},
			{label("target_year"), cellText, 7, func(r domain.Record) any { return x(r).Year }},
			{label("target_graduates"), cellInt, 14, func(r domain.Record) any { return x(r).Graduates }},
			{label("target_placement_pct"), cellInt, 14, func(r domain.Record) any { return x(r).PlacementPct }},
			{label("target_own_income_pct"), cellInt, 14, func(r domain.Record) any { return x(r).OwnIncomePct }},
		}, nil
	case "certificates":
		x := func(r domain.Record) *domain.Certificate { return r.(*domain.Certificate) }
		en := func(r domain.Record) *domain.Enrollment {
			if e := l.enrollments[x(r).EnrollmentID]; e != nil {
				return e
			}
			return &domain.Enrollment{}
		}
		tr := func(r domain.Record) *domain.Trainee { return l.trainee(en(r).TraineeID) }
		return []column{
			{label("id"), cellText, 38, func(r domain.Record) any { return r.Base().ID }},
			{label("certificate_no"), cellText, 26, func(r domain.Record) any { return x(r).Number }},
			{label("nik"), cellText, 20, func(r domain.Record) any { return tr(r).NIK }},
			{label("name"), cellText, 30, func(r domain.Record) any { return tr(r).Name }},
			{label("cohort_id"), cellText, 30, func(r domain.Record) any { return l.cohorts[en(r).CohortID] }},
			{label("issued_on"), cellDate, 13, func(r domain.Record) any { return x(r).IssuedOn }},
			{label("check_code"), cellText, 20, func(r domain.Record) any { return x(r).Code }},
			{label("revoked_on"), cellDate, 13, func(r domain.Record) any { return x(r).RevokedOn }},
			{label("revoke_reason"), cellText, 30, func(r domain.Record) any { return x(r).RevokeReason }},
		}, nil
	case "competency_certificates":
		x := func(r domain.Record) *domain.CompetencyCertificate { return r.(*domain.CompetencyCertificate) }
		tr := func(r domain.Record) *domain.Trainee { return l.trainee(x(r).TraineeID) }
		return []column{
			{label("id"), cellText, 38, func(r domain.Record) any { return r.Base().ID }},
			{label("nik"), cellText, 20, func(r domain.Record) any { return tr(r).NIK }},
			{label("name"), cellText, 30, func(r domain.Record) any { return tr(r).Name }},
			{label("certificate_no"), cellText, 26, func(r domain.Record) any { return x(r).Number }},
			{label("scheme"), cellText, 30, func(r domain.Record) any { return x(r).Scheme }},
			{label("lsp"), cellText, 26, func(r domain.Record) any { return x(r).LSP }},
			{label("issued_on"), cellDate, 13, func(r domain.Record) any { return x(r).IssuedOn }},
			{label("expires_on"), cellDate, 13, func(r domain.Record) any { return x(r).ExpiresOn }},
		}, nil
	case "employer_ratings":
		x := func(r domain.Record) *domain.EmployerRating { return r.(*domain.EmployerRating) }
		out := func(r domain.Record) *domain.Outcome {
			if o := l.outcomes[x(r).OutcomeID]; o != nil {
				return o
			}
			return &domain.Outcome{}
		}
		tr := func(r domain.Record) *domain.Trainee { return l.trainee(out(r).TraineeID) }
		return []column{
			{label("id"), cellText, 38, func(r domain.Record) any { return r.Base().ID }},
			{label("nik"), cellText, 20, func(r domain.Record) any { return tr(r).NIK }},
			{label("name"), cellText, 30, func(r domain.Record) any { return tr(r).Name }},
			{label("employer"), cellText, 28, func(r domain.Record) any { return out(r).Employer }},
			{label("rated_on"), cellDate, 13, func(r domain.Record) any { return x(r).RatedOn }},
			{label("rater"), cellText, 24, func(r domain.Record) any { return x(r).Rater }},
			{label("rating_competence"), cellInt, 12, func(r domain.Record) any { return x(r).Competence }},
			{label("rating_discipline"), cellInt, 12, func(r domain.Record) any { return x(r).Discipline }},
			{label("rating_teamwork"), cellInt, 12, func(r domain.Record) any { return x(r).Teamwork }},
			{label("comment"), cellText, 40, func(r domain.Record) any { return x(r).Comment }},
		}, nil
	}
	return nil, fmt.Errorf("unknown list %q: choose one of %s", what, strings.Join(Lists, ", "))
}

// trainee is the trainee of id, or an empty one when it is not there.
func (l *lookups) trainee(id string) *domain.Trainee {
	if t := l.trainees[id]; t != nil {
		return t
	}
	return &domain.Trainee{}
}

func (l *lookups) instructorNames(ids string) string {
	var names []string
	for _, id := range strings.Split(ids, ",") {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		if n, ok := l.instructors[id]; ok {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

func (l *lookups) result(enrollmentID string) *resultTally {
	if t := l.results[enrollmentID]; t != nil {
		return t
	}
	return &resultTally{}
}

// verdict is the cohort-level result: competent only when every tested
// unit is, blank when nothing was tested yet.
func (t *resultTally) verdict() string {
	switch {
	case t.competent+t.notYet == 0:
		return ""
	case t.notYet == 0:
		return choice("assessments.result", domain.Competent)
	}
	return choice("assessments.result", domain.NotCompetent)
}

func (t *resultTally) sorted() []string {
	out := append([]string(nil), t.certificates...)
	sort.Strings(out)
	return out
}
