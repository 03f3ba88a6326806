package domain

import (
	"net/mail"
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
}

func (c *checker) add(field string, level Level, code string, args ...any) {
	c.ps = append(c.ps, Problem{Field: field, Level: level, Code: code, Args: args})
}

func (c *checker) required(field, v string) bool {
	if strings.TrimSpace(v) == "" {
		c.add(field, Invalid, "required")
		return false
	}
	return true
}

func (c *checker) maxLen(field, v string, n int) {
	if utf8.RuneCountInString(v) > n {
		c.add(field, Invalid, "too.long", n)
	}
}

func (c *checker) date(field, v string, required bool) (time.Time, bool) {
	if v == "" {
		if required {
			c.add(field, Invalid, "required")
		}
		return time.Time{}, false
	}
	t, ok := ParseDate(v)
	if !ok {
		c.add(field, Invalid, "date.invalid")
	}
	return t, ok
}

func (c *checker) choice(table, field, v string, required bool) {
	if v == "" {
		if required {
			c.add(field, Invalid, "required")
		}
		return
	}
	if !validChoice(table+"."+field, v) {
		c.add(field, Invalid, "choice.invalid", v)
	}
}

func (c *checker) phone(field, v string, wantMobile bool) {
	if v == "" {
		return
	}
	norm, mobile, ok := NormalizePhone(v)
	if !ok || norm != v {
		// Stored phones are always normalised; Normalize runs before Validate.
		c.add(field, Invalid, "phone.invalid")
		return
	}
	if wantMobile && !mobile {
		c.add(field, Warning, "phone.landline")
	}
}

func (c *checker) email(field, v string) {
	if v == "" {
		return
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || !strings.Contains(v[strings.Index(v, "@"):], ".") {
		c.add(field, Invalid, "email.invalid")
	}
}

func (c *checker) region(field, v string, wantLevel int) {
	if v == "" {
		return
	}
	r, ok := LookupRegion(v)
	if !ok || r.Historical || NormalizeRegionCode(v) != v {
		c.add(field, Invalid, "region.invalid", v)
		return
	}
	if wantLevel > 0 && r.Level() != wantLevel {
		c.add(field, Warning, "region.village")
	}
}

func (c *checker) personName(field, v string) {
	if !c.required(field, v) {
		return
	}
	c.maxLen(field, v, 100)
	for _, r := range v {
		if !(unicode.IsLetter(r) || r == ' ' || r == '.' || r == ',' || r == '\'' || r == '-' || r == '`' || r == '’') {
			c.add(field, Invalid, "name.chars")
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

// Validate checks one record on its own (rules that need other records, such
// as duplicate NIKs or cohort capacity, are checked by the store). Deleted
// records are always valid: a tombstone must be able to land.
func Validate(rec Record, rules Rules) Problems {
	if rec.Base().Deleted {
		return nil
	}
	c := &checker{}
	now := rules.now()
	switch r := rec.(type) {
	case *Centre:
		c.required("name", r.Name)
		c.maxLen("name", r.Name, 200)
		c.choice("centres", "host_type", r.HostType, false)
		c.choice("centres", "classification", r.Classification, false)
		c.region("village_code", r.VillageCode, 0)
		c.phone("phone", r.Phone, false)
	case *VocationalField:
		c.required("code", r.Code)
		c.required("name", r.NameID)
	case *CompetencyUnit:
		c.required("code", r.Code)
		c.required("title", r.Title)
		if r.JP <= 0 {
			c.add("jp", Invalid, "positive")
		}
	case *Programme:
		c.required("name", r.Name)
		c.maxLen("name", r.Name, 200)
		c.required("field_code", r.FieldCode)
		if r.TotalJP <= 0 {
			c.add("total_jp", Invalid, "positive")
		}
		if r.MinutesPerJP <= 0 {
			c.add("minutes_per_jp", Invalid, "positive")
		}
	case *ProgrammeUnit:
		c.required("programme_id", r.ProgrammeID)
		c.required("unit_code", r.UnitCode)
		if r.JP <= 0 {
			c.add("jp", Invalid, "positive")
		}
	case *Cohort:
		c.required("programme_id", r.ProgrammeID)
		if r.Year < 2000 || r.Year > int64(now.Year())+5 {
			c.add("year", Invalid, "year.range", r.Year)
		}
		if r.Number <= 0 {
			c.add("number", Invalid, "positive")
		}
		s, okS := c.date("start_date", r.StartDate, true)
		e, okE := c.date("end_date", r.EndDate, true)
		if okS && okE && e.Before(s) {
			c.add("end_date", Invalid, "date.order")
		}
		switch {
		case r.Quota <= 0:
			c.add("quota", Invalid, "positive")
		case r.Quota > rules.cap():
			c.add("quota", Invalid, "quota.cap", r.Quota, rules.cap())
		case r.Quota > DefaultQuota:
			c.add("quota", Warning, "quota.over", r.Quota)
		}
		c.choice("cohorts", "status", r.Status, true)
	case *Trainee:
		validateTrainee(c, r, now)
	case *Enrollment:
		c.required("cohort_id", r.CohortID)
		c.required("trainee_id", r.TraineeID)
		c.choice("enrollments", "status", r.Status, true)
		c.date("enrolled_on", r.EnrolledOn, false)
		c.date("completed_on", r.CompletedOn, r.Status == EnrollmentCompleted)
		c.date("certificate_date", r.CertificateDate, false)
	case *Attendance:
		c.required("enrollment_id", r.EnrollmentID)
		c.date("date", r.Date, true)
		c.choice("attendance", "mark", r.Mark, true)
	case *Assessment:
		c.required("enrollment_id", r.EnrollmentID)
		c.required("unit_code", r.UnitCode)
		c.choice("assessments", "result", r.Result, true)
		if t, ok := c.date("assessed_on", r.AssessedOn, true); ok && t.After(now) {
			c.add("assessed_on", Warning, "date.future")
		}
		c.date("certificate_date", r.CertificateDate, false)
		c.date("certificate_expiry", r.CertificateExpiry, false)
	case *Outcome:
		c.required("trainee_id", r.TraineeID)
		if t, ok := c.date("surveyed_on", r.SurveyedOn, true); ok && t.After(now) {
			c.add("surveyed_on", Warning, "date.future")
		}
		c.choice("outcomes", "status", r.Status, true)
		c.choice("outcomes", "income_band", r.IncomeBand, false)
		c.choice("outcomes", "source", r.Source, false)
	case *Instructor:
		c.personName("name", r.Name)
		if r.NIK != "" {
			if _, ps := DecodeNIK(r.NIK, now); ps != nil {
				c.ps = append(c.ps, ps...)
			}
		}
		c.phone("phone", r.Phone, true)
		c.email("email", r.Email)
	case *Partner:
		c.required("name", r.Name)
		c.choice("partners", "type", r.Type, true)
		s, okS := c.date("mou_start", r.MoUStart, false)
		e, okE := c.date("mou_end", r.MoUEnd, false)
		if okS && okE && e.Before(s) {
			c.add("mou_end", Invalid, "date.order")
		}
		c.phone("phone", r.Phone, false)
	case *Funding:
		c.required("source", r.Source)
		if r.Amount <= 0 {
			c.add("amount", Invalid, "amount.range")
		}
		if r.Year < 2000 || r.Year > int64(now.Year())+5 {
			c.add("year", Invalid, "year.range", r.Year)
		}
		c.date("received_on", r.ReceivedOn, false)
	}
	return c.ps
}

func validateTrainee(c *checker, r *Trainee, now time.Time) {
	nik, nikProblems := DecodeNIK(r.NIK, now)
	c.ps = append(c.ps, nikProblems...)
	if r.KK != "" && (len(r.KK) != 16 || strings.Trim(r.KK, "0123456789") != "") {
		c.add("kk", Invalid, "kk.length")
	}
	c.personName("name", r.Name)
	if r.Sex != "L" && r.Sex != "P" {
		c.add("sex", Invalid, "sex.invalid")
	} else if nikProblems == nil && nik.Sex != r.Sex {
		c.add("sex", Warning, "nik.sex", ChoiceLabel("trainees.sex", nik.Sex, Indonesian))
	}
	c.maxLen("birth_place", r.BirthPlace, 100)
	if bd, ok := c.date("birth_date", r.BirthDate, true); ok {
		if nikProblems == nil && !bd.Equal(nik.BirthDate) {
			c.add("birth_date", Warning, "nik.birthdate", nik.BirthDate.Format(DateLayout))
		}
		if bd.After(now) {
			c.add("birth_date", Invalid, "date.future")
		} else if age := ageAt(bd, now); age < 15 || age > 64 {
			c.add("birth_date", Warning, "age.range", age)
		}
	}
	c.choice("trainees", "education", r.Education, false)
	c.choice("trainees", "grp", r.Group, false)
	c.maxLen("address", r.Address, 300)
	c.region("village_code", r.VillageCode, 4)
	if r.PostalCode != "" && (len(r.PostalCode) != 5 || strings.Trim(r.PostalCode, "0123456789") != "") {
		c.add("postal_code", Invalid, "postal.invalid")
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
