package domain

import (
	"net/mail"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Rules are the settings validation depends on.
type Rules struct {
	Now      time.Time // "today"; the zero value means time.Now()
	QuotaCap int64     // cohorts above this quota are refused; 0 means DefaultQuotaCap
}

// DefaultQuota is the standard cohort size; DefaultQuotaCap the default hard cap.
const (
	DefaultQuota    = 16
	DefaultQuotaCap = 24
)

func (r Rules) now() time.Time {
	if r.Now.IsZero() {
		return time.Now()
	}
	return r.Now
}

func (r Rules) cap() int64 {
	if r.QuotaCap <= 0 {
		return DefaultQuotaCap
	}
	return r.QuotaCap
}

// DateLayout is how dates are stored: ISO 8601 calendar dates.
const DateLayout = "2006-01-02"

// ParseDate parses a stored date.
func ParseDate(s string) (time.Time, bool) {
	t, err := time.Parse(DateLayout, s)
	return t, err == nil
}

type checker struct {
	ps Problems
	// unsafe marks fields whose text cannot be stored (invalid UTF-8, a
	// NUL, too long): later rules say nothing more about them, so a huge
	// value is never read again or echoed in a message.
	unsafe map[string]bool
}

func (c *checker) add(field string, level Level, code string, args ...any) {
	if c.unsafe[field] {
		return
	}
	c.ps = append(c.ps, Problem{Field: field, Level: level, Code: code, Args: args})
}

// textProblem is what makes a text unstorable: invalid UTF-8, a NUL (which
// PostgreSQL cannot hold) or more characters than the field's maximum.
// Dates say only that they are not dates.
func textProblem(f Field, v string) (code string, args []any) {
	switch {
	case !utf8.ValidString(v):
		return "problem.text.utf8", nil
	case strings.IndexByte(v, 0) >= 0:
		return "problem.text.nul", nil
	case f.Date && len(v) > f.Max:
		return "problem.date.invalid", nil
	case len(v) > f.Max && utf8.RuneCountInString(v) > f.Max:
		return "problem.too.long", []any{f.Max}
	}
	return "", nil
}

// fields applies the rules the schema declares (schema.go) to every data
// field of rec: storable text, required, date, choice, positive.
func (c *checker) fields(t *Table, rec Record) {
	for _, f := range t.DataFields() {
		switch f.Kind {
		case KindText:
			v := f.text(rec)
			if code, args := textProblem(f, v); code != "" {
				c.add(f.Name, Invalid, code, args...)
				c.unsafe[f.Name] = true
				continue
			}
			switch {
			case strings.TrimSpace(v) == "":
				if f.Required {
					c.add(f.Name, Invalid, "problem.required")
				}
			case f.Date:
				if _, ok := ParseDate(v); !ok {
					c.add(f.Name, Invalid, "problem.date.invalid")
				}
			case f.Choices != nil && !validChoice(f, v) && f.Open:
				// Kept as written: the operator picks the right choice later.
				c.add(f.Name, Warning, "problem.choice.other", v)
			case f.Choices != nil && !validChoice(f, v):
				c.add(f.Name, Invalid, "problem.choice.invalid", v)
			}
		case KindInt:
			if f.Positive && reflectInt(rec, f) <= 0 {
				c.add(f.Name, Invalid, "problem.positive")
			}
		}
	}
}

// CheckText reports the values among fields (a change's fields, by name)
// that cannot be stored: invalid UTF-8, a NUL, too long. The server checks
// every change it receives with it, tombstones too, before it merges.
func CheckText(t *Table, fields map[string]any) Problems {
	var ps Problems
	for name, v := range fields {
		s, ok := v.(string)
		f, known := t.Field(name)
		if !ok || !known {
			continue
		}
		if code, args := textProblem(f, s); code != "" {
			ps = append(ps, Problem{Field: name, Level: Invalid, Code: code, Args: args})
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Field < ps[j].Field })
	return ps
}

// date reads a date field that the schema's rules have checked: ok only
// when it holds a valid date.
func date(v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, false
	}
	return ParseDate(v)
}

func (c *checker) phone(field, v string, wantMobile bool) {
	if v == "" {
		return
	}
	norm, mobile, ok := NormalizePhone(v)
	if !ok || norm != v {
		// Stored phones are always normalised; Normalize runs before Validate.
		c.add(field, Invalid, "problem.phone.invalid")
		return
	}
	if wantMobile && !mobile {
		c.add(field, Warning, "problem.phone.landline")
	}
}

func (c *checker) email(field, v string) {
	if v == "" {
		return
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || !strings.Contains(v[strings.Index(v, "@"):], ".") {
		c.add(field, Invalid, "problem.email.invalid")
	}
}

func (c *checker) region(field, v string, wantLevel int) {
	if v == "" {
		return
	}
	r, ok := LookupRegion(v)
	if !ok || r.Historical || NormalizeRegionCode(v) != v {
		c.add(field, Invalid, "problem.region.invalid", v)
		return
	}
	if wantLevel > 0 && r.Level() != wantLevel {
		c.add(field, Warning, "problem.region.village")
	}
}

// personName allows the letters and marks names are written with.
func (c *checker) personName(field, v string) {
	for _, r := range v {
		if !(unicode.IsLetter(r) || r == ' ' || r == '.' || r == ',' || r == '\'' || r == '-' || r == '`' || r == '’') {
			c.add(field, Invalid, "problem.name.chars")
			return
		}
	}
}

// Normalize tidies what people type before validation: trims spaces, puts
// phones in +62 form, strips NIK separators, dots from region codes. It never
// changes meaning, and values it cannot read stay as typed for Validate to flag.
func Normalize(rec Record) {
	for _, f := range TableOf(rec).DataFields() {
		if s, ok := f.Get(rec).(string); ok && s != strings.TrimSpace(s) {
			_ = f.Set(rec, strings.TrimSpace(s))
		}
	}
	phone := func(p *string) {
		if n, _, ok := NormalizePhone(*p); ok {
			*p = n
		}
	}
	switch r := rec.(type) {
	case *Trainee:
		r.NIK = CleanDigits(r.NIK)
		r.KK = CleanDigits(r.KK)
		r.Name = strings.Join(strings.Fields(r.Name), " ")
		r.Sex = strings.ToUpper(r.Sex)
		r.VillageCode = NormalizeRegionCode(r.VillageCode)
		r.Email = strings.ToLower(r.Email)
		phone(&r.Phone)
	case *Instructor:
		r.NIK = CleanDigits(r.NIK)
		r.Email = strings.ToLower(r.Email)
		phone(&r.Phone)
	case *Centre:
		r.VillageCode = NormalizeRegionCode(r.VillageCode)
		phone(&r.Phone)
	case *Partner:
		phone(&r.Phone)
	case *Assessment:
		r.Result = strings.ToUpper(r.Result)
	case *Attendance:
		r.Mark = strings.ToUpper(r.Mark)
	}
}

// Validate checks one record on its own: first the rules the schema
// declares for every field (schema.go), then the rules below that need
// code. Rules that need other records, such as duplicate NIKs or cohort
// capacity, are checked by the store. Deleted records are always valid: a
// tombstone must be able to land.
func Validate(rec Record, rules Rules) Problems {
	if rec.Base().Deleted {
		return nil
	}
	c := &checker{unsafe: map[string]bool{}}
	c.fields(TableOf(rec), rec)
	now := rules.now()
	switch r := rec.(type) {
	case *Centre:
		c.region("village_code", r.VillageCode, 0)
		c.phone("phone", r.Phone, false)
		if r.MinAttendance < 0 || r.MinAttendance > 100 {
			c.add("min_attendance", Invalid, "problem.percent.range")
		}
	case *Cohort:
		if r.Year < 2000 || r.Year > int64(now.Year())+5 {
			c.add("year", Invalid, "problem.year.range", r.Year)
		}
		s, okS := date(r.StartDate)
		e, okE := date(r.EndDate)
		if okS && okE && e.Before(s) {
			c.add("end_date", Invalid, "problem.date.order")
		}
		switch {
		case r.Quota <= 0:
			c.add("quota", Invalid, "problem.positive")
		case r.Quota > rules.cap():
			c.add("quota", Invalid, "problem.quota.cap", r.Quota, rules.cap())
		case r.Quota > DefaultQuota:
			c.add("quota", Warning, "problem.quota.over", r.Quota)
		}
	case *Trainee:
		validateTrainee(c, r, now)
	case *Enrollment:
		if r.Status == EnrollmentCompleted && r.CompletedOn == "" {
			c.add("completed_on", Invalid, "problem.required")
		}
	case *Attendance:
		if _, ok := date(r.Date); ok && r.Date > Today(now) {
			c.add("date", Invalid, "problem.attendance.future")
		}
	case *Assessment:
		if t, ok := date(r.AssessedOn); ok && t.After(now) {
			c.add("assessed_on", Warning, "problem.date.future")
		}
	case *Outcome:
		if t, ok := date(r.SurveyedOn); ok && t.After(now) {
			c.add("surveyed_on", Warning, "problem.date.future")
		}
	case *EmployerRating:
		for i, v := range []int64{r.Competence, r.Discipline, r.Teamwork} {
			if v < 1 || v > 5 {
				c.add(EmployerRatingFields[i], Invalid, "problem.rating.range")
			}
		}
		if t, ok := date(r.RatedOn); ok && t.After(now) {
			c.add("rated_on", Warning, "problem.date.future")
		}
	case *CompetencyCertificate:
		s, okS := date(r.IssuedOn)
		e, okE := date(r.ExpiresOn)
		if okS && okE && !e.After(s) {
			c.add("expires_on", Invalid, "problem.date.order")
		}
		if okS && s.After(now) {
			c.add("issued_on", Warning, "problem.date.future")
		}
	case *Certificate:
		// A revocation is shown to whoever checks the certificate: the
		// centre must be able to say why.
		if r.RevokedOn != "" && strings.TrimSpace(r.RevokeReason) == "" {
			c.add("revoke_reason", Invalid, "problem.required")
		}
	case *Instructor:
		c.personName("name", r.Name)
		if r.NIK != "" {
			if _, ps := DecodeNIK(r.NIK, now); ps != nil {
				for _, p := range ps {
					c.add(p.Field, p.Level, p.Code, p.Args...)
				}
			}
		}
		c.phone("phone", r.Phone, true)
		c.email("email", r.Email)
	case *Partner:
		s, okS := date(r.MoUStart)
		e, okE := date(r.MoUEnd)
		if okS && okE && e.Before(s) {
			c.add("mou_end", Invalid, "problem.date.order")
		}
		c.phone("phone", r.Phone, false)
	case *LedgerLine:
		if t, ok := date(r.Date); ok && t.After(now) {
			c.add("date", Warning, "problem.date.future")
		}
		cats, key := IncomeCategories, "problem.ledger.income_category"
		if r.Direction == LedgerExpense {
			cats, key = ExpenseCategories, "problem.ledger.expense_category"
		}
		if r.Direction != "" && r.Category != "" && !slices.Contains(cats, r.Category) {
			c.add("ledger_category", Invalid, key)
		}
	case *InstructorCertification:
		s, okS := date(r.IssuedOn)
		e, okE := date(r.ExpiresOn)
		if okS && okE && e.Before(s) {
			c.add("expires_on", Invalid, "problem.date.order")
		}
	case *LegalDocument:
		s, okS := date(r.IssuedOn)
		e, okE := date(r.ExpiresOn)
		if okS && okE && e.Before(s) {
			c.add("expires_on", Invalid, "problem.date.order")
		}
		if r.Grade != "" && r.Kind != DocAccreditation {
			c.add("grade", Invalid, "problem.grade.accreditation_only")
		}
	case *RoadmapTarget:
		if y, err := strconv.Atoi(r.Year); err != nil || len(r.Year) != 4 || y < 2000 || y > now.Year()+10 {
			c.add("target_year", Invalid, "problem.year.text", r.Year)
		}
		if r.PlacementPct < 0 || r.PlacementPct > 100 {
			c.add("target_placement_pct", Invalid, "problem.percent")
		}
		if r.OwnIncomePct < 0 || r.OwnIncomePct > 100 {
			c.add("target_own_income_pct", Invalid, "problem.percent")
		}
		if r.Graduates < 0 {
			c.add("target_graduates", Invalid, "problem.positive")
		}
	case *KemandirianThresholds:
		for _, p := range []struct {
			field string
			v     int64
		}{{"own_income_pct", r.OwnIncomePct}, {"traced_pct", r.TracedPct}} {
			if p.v < 0 || p.v > 100 {
				c.add(p.field, Invalid, "problem.percent")
			}
		}
		if r.BerkembangMin < 1 || r.BerkembangMin > 5 {
			c.add("berkembang_min", Invalid, "problem.criteria.count")
		}
		if r.IncomeMonths < 1 {
			c.add("income_months", Invalid, "problem.positive")
		}
		if r.TracedMonths < 1 {
			c.add("traced_months", Invalid, "problem.positive")
		}
		if r.PartnerCategories < 0 || r.PartnerCategories > int64(len(MitraCategories)) {
			c.add("partner_categories", Invalid, "problem.partner_categories")
		}
		if r.SDMInstructors < 0 {
			c.add("sdm_instructors", Invalid, "problem.positive")
		}
	case *Funding:
		if r.Amount <= 0 {
			c.add("amount", Invalid, "problem.amount.range")
		}
		if r.Year < 2000 || r.Year > int64(now.Year())+5 {
			c.add("year", Invalid, "problem.year.range", r.Year)
		}
	}
	return c.ps
}

func validateTrainee(c *checker, r *Trainee, now time.Time) {
	nik, nikProblems := DecodeNIK(r.NIK, now)
	for _, p := range nikProblems {
		c.add(p.Field, p.Level, p.Code, p.Args...)
	}
	if r.KK != "" && (len(r.KK) != 16 || strings.Trim(r.KK, "0123456789") != "") {
		c.add("kk", Invalid, "problem.kk.length")
	}
	c.personName("name", r.Name)
	if nikProblems == nil && (r.Sex == "L" || r.Sex == "P") && nik.Sex != r.Sex {
		c.add("sex", Warning, "problem.nik.sex", ChoiceLabel("trainees.sex", nik.Sex, Indonesian))
	}
	if bd, ok := date(r.BirthDate); ok {
		if nikProblems == nil && !bd.Equal(nik.BirthDate) {
			c.add("birth_date", Warning, "problem.nik.birthdate", nik.BirthDate.Format(DateLayout))
		}
		if bd.After(now) {
			c.add("birth_date", Invalid, "problem.date.future")
		} else if age := ageAt(bd, now); age < 15 || age > 64 {
			c.add("birth_date", Warning, "problem.age.range", age)
		}
	}
	c.region("village_code", r.VillageCode, 4)
	if r.PostalCode != "" && (len(r.PostalCode) != 5 || strings.Trim(r.PostalCode, "0123456789") != "") {
		c.add("postal_code", Invalid, "problem.postal.invalid")
	}
	c.phone("phone", r.Phone, true)
	c.email("email", r.Email)
}

// AgeAt is the age in whole years at t.
func ageAt(birth, t time.Time) int {
	age := t.Year() - birth.Year()
	if t.Month() < birth.Month() || (t.Month() == birth.Month() && t.Day() < birth.Day()) {
		age--
	}
	return age
}

func reflectInt(rec Record, f Field) int64 {
	return reflect.ValueOf(rec).Elem().FieldByIndex(f.index).Int()
}
