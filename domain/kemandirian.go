package domain

import (
	"math"
	"sort"
	"time"

	"github.com/kemnaker/blk/msg"
)

// Kemandirian is a centre's self-reliance under the road map for BLK
// Komunitas (Peta Jalan, Kepdirjen Binalattas No. 2/2760/HK.03.01/XI/2021):
// tumbuh, berkembang or mandiri, from five criteria. AssessKemandirian is
// the one function that computes it; the desktop and the server both call
// it on the same synced records (read with LoadKemandirian), so both show
// the same level. docs/KEMANDIRIAN.md explains every rule and its source.

// Levels of the road map, lowest first.
const (
	LevelTumbuh     = "tumbuh"
	LevelBerkembang = "berkembang"
	LevelMandiri    = "mandiri"
)

// Criterion codes, in the road map's order.
const (
	CriterionSDM    = "sdm"    // competent instructors
	CriterionLegal  = "legal"  // permit or VIN, LA-LPK accreditation
	CriterionDana   = "dana"   // own income share
	CriterionAlumni = "alumni" // graduates traced
	CriterionMitra  = "mitra"  // partners by category
)

// Criteria lists the criterion codes in the road map's order.
var Criteria = []string{CriterionSDM, CriterionLegal, CriterionDana, CriterionAlumni, CriterionMitra}

// firstSteps is the order in which the next steps are offered: what a
// centre can do soonest first (record its documents), what takes a year
// (income, traced graduates) last.
var firstSteps = []string{CriterionLegal, CriterionSDM, CriterionMitra, CriterionDana, CriterionAlumni}

// ThresholdsCode is the code of the one national thresholds record.
const ThresholdsCode = "national"

// DefaultThresholds are the documented defaults (docs/KEMANDIRIAN.md): a PC
// that never pulled the ministry's record uses them.
func DefaultThresholds() KemandirianThresholds {
	return KemandirianThresholds{Code: ThresholdsCode, BerkembangMin: 3, SDMInstructors: 2,
		LegalAccreditation: true, OwnIncomePct: 20, IncomeMonths: 12, TracedPct: 60,
		TracedMonths: 6, PartnerCategories: 2}
}

// MitraCategories are the partner categories the partnership criterion
// counts: central government, local government and industry (DUDI).
var MitraCategories = []string{"central_government", "local_government", "industry"}

// Rupiah is an amount of money in a Note's arguments; it is written with
// the language's thousands separator.
type Rupiah int64

// Day is a date (YYYY-MM-DD) in a Note's arguments; it is written as the
// language writes dates.
type Day string

// Note is one sentence of evidence or of what is missing: a msg key
// (kemandirian.*) and its arguments.
type Note struct {
	Key  string
	Args []any
}

// Text renders the note in lang.
func (n Note) Text(lang Lang) string {
	args := make([]any, len(n.Args))
	for i, a := range n.Args {
		switch v := a.(type) {
		case Rupiah:
			args[i] = msg.N(lang, int64(v))
		case Day:
			args[i] = FormatDay(string(v), lang)
		case Choice:
			args[i] = v.Label(lang)
		default:
			args[i] = a
		}
	}
	return msg.T(lang, n.Key, args...)
}

// FormatDay writes a stored date as people of lang read it ("31 Des 2026").
func FormatDay(s string, lang Lang) string {
	t, ok := ParseDate(s)
	if !ok {
		return s
	}
	return msg.T(lang, "kemandirian.day", t.Day(), msg.T(lang, "kemandirian.month."+t.Format("01")), t.Year())
}

// CriterionResult is one criterion of an assessment. Value and Target are
// whole numbers in the criterion's unit (instructors, documents, percent,
// partner categories); Met says whether Value reached Target.
type CriterionResult struct {
	Code     string
	Met      bool
	Value    int64
	Target   int64
	Unit     string // "count" or "percent"
	Evidence []Note
	Missing  []Note
}

// Label is the criterion's name in lang.
func (c CriterionResult) Label(lang Lang) string { return msg.T(lang, "kemandirian.criterion."+c.Code) }

// KemandirianAssessment is a centre's level on a date and why.
type KemandirianAssessment struct {
	Level    string
	Date     string // YYYY-MM-DD the assessment is for
	Met      int
	Criteria []CriterionResult
	// Next are the steps to take next, one per unmet criterion, soonest first.
	Next       []Note
	Thresholds KemandirianThresholds
}

// Criterion returns the result of one criterion by code.
func (a KemandirianAssessment) Criterion(code string) CriterionResult {
	for _, c := range a.Criteria {
		if c.Code == code {
			return c
		}
	}
	return CriterionResult{Code: code}
}

// ShortOf reports whether the centre is one criterion short of the next
// level (tumbuh one short of berkembang, berkembang one short of mandiri).
func (a KemandirianAssessment) ShortOf() bool {
	switch a.Level {
	case LevelTumbuh:
		return a.Met == int(a.Thresholds.BerkembangMin)-1
	case LevelBerkembang:
		return a.Met == len(Criteria)-1
	}
	return false
}

// KemandirianInput is what the assessment reads of one centre: its live
// records of these tables and the national thresholds (nil: the defaults).
type KemandirianInput struct {
	Instructors    []*Instructor
	Certifications []*InstructorCertification
	Documents      []*LegalDocument
	Ledger         []*LedgerLine
	Funding        []*Funding
	Partners       []*Partner
	Graduations    []Graduation   // completed enrollments
	TracerAnswers  []TracerAnswer // every tracer answer (outcome)
	Targets        []*RoadmapTarget
	Thresholds     *KemandirianThresholds
}

// Graduation is a completed enrollment, as much of it as the assessment
// reads. At 100k trainees holding the whole enrollment and outcome records
// for the assessment was most of the desktop app's memory at its peak.
type Graduation struct {
	TraineeID   string
	CompletedOn string
}

// TracerAnswer is a tracer answer (an Outcome), as much of it as the
// assessment reads.
type TracerAnswer struct {
	ID         string
	TraineeID  string
	SurveyedOn string
	Status     string
}

// KemandirianTables are the tables LoadKemandirian reads.
var KemandirianTables = []string{"instructors", "instructor_certifications", "legal_documents",
	"ledger_lines", "funding", "partners", "enrollments", "outcomes", "roadmap_targets", "kemandirian_thresholds"}

// LoadKemandirian reads a KemandirianInput through each, which calls fn for
// every live record of a table of one centre (reference tables: the
// national records), as exchange.Source.EachRecord does on both the desktop
// store and the server's storage.
func LoadKemandirian(each func(table string, fn func(Record) error) error) (KemandirianInput, error) {
	var in KemandirianInput
	for _, tbl := range KemandirianTables {
		err := each(tbl, func(r Record) error {
			if r.Base().Deleted {
				return nil
			}
			switch v := r.(type) {
			case *Instructor:
				in.Instructors = append(in.Instructors, v)
			case *InstructorCertification:
				in.Certifications = append(in.Certifications, v)
			case *LegalDocument:
				in.Documents = append(in.Documents, v)
			case *LedgerLine:
				in.Ledger = append(in.Ledger, v)
			case *Funding:
				in.Funding = append(in.Funding, v)
			case *Partner:
				in.Partners = append(in.Partners, v)
			case *Enrollment:
				if v.Status == EnrollmentCompleted {
					in.Graduations = append(in.Graduations, Graduation{TraineeID: v.TraineeID, CompletedOn: v.CompletedOn})
				}
			case *Outcome:
				in.TracerAnswers = append(in.TracerAnswers, TracerAnswer{ID: v.ID, TraineeID: v.TraineeID,
					SurveyedOn: v.SurveyedOn, Status: outcomeStatus(v.Status)})
			case *RoadmapTarget:
				in.Targets = append(in.Targets, v)
			case *KemandirianThresholds:
				if v.Code == ThresholdsCode {
					in.Thresholds = v
				}
			}
			return nil
		})
		if err != nil {
			return in, err
		}
	}
	return in, nil
}

// outcomeStatus is status as the package's constant when it is one, so a
// hundred thousand answers share a handful of strings.
func outcomeStatus(status string) string {
	for _, c := range []string{OutcomeEmployed, OutcomeSelfEmployed, OutcomeStudying, OutcomeLooking,
		OutcomeNotLooking, OutcomeUnreachable, OutcomeNotWorking} {
		if status == c {
			return c
		}
	}
	return status
}

// validOn reports whether a document or certificate issued on issued and
// expiring on expires (either may be empty) is in force on day.
func validOn(issued, expires, day string) bool {
	return (issued == "" || issued <= day) && (expires == "" || expires >= day)
}

// addMonths moves a date by n months, clamping to the month's last day.
func addMonths(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(t.Day(), last), 0, 0, 0, 0, time.UTC)
}

// isOwnIncome reports whether a ledger line is income the centre earned.
func isOwnIncome(l *LedgerLine) bool {
	return l.Direction == LedgerIncome && l.Category != "donation_csr"
}

// fundingDay is the day a funding record counts from: when it was
// received, or the middle of its budget year when that is not recorded.
func fundingDay(f *Funding) string {
	if f.ReceivedOn != "" {
		return f.ReceivedOn
	}
	if f.Year > 0 {
		return time.Date(int(f.Year), 7, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	return ""
}

// partnerCategory is a partner's road-map category; older records without
// one count as industry when their type says so.
func partnerCategory(p *Partner) string {
	if p.Category == "" && p.Type == PartnerIndustry {
		return "industry"
	}
	return p.Category
}

// IncomeShare is the money a centre received in a period, by kind.
type IncomeShare struct {
	Own      int64 // ledger income but donations, and funding of kind own income
	Grants   int64 // funding of kind government grant (or of no kind)
	Partner  int64 // funding of kind partner, and donations/CSR in the ledger
	Expenses int64 // ledger expenses (not part of the share)
}

// Total is all money received.
func (s IncomeShare) Total() int64 { return s.Own + s.Grants + s.Partner }

// OwnPct is the own share in whole percent, rounded down (0 when nothing
// was received).
func (s IncomeShare) OwnPct() int64 {
	if s.Total() <= 0 {
		return 0
	}
	return s.Own * 100 / s.Total()
}

// IncomeBetween sums the money received from day from (inclusive) to day to
// (inclusive), both YYYY-MM-DD.
func IncomeBetween(in KemandirianInput, from, to string) IncomeShare {
	var s IncomeShare
	for _, l := range in.Ledger {
		if l.Date < from || l.Date > to {
			continue
		}
		switch {
		case l.Direction == LedgerExpense:
			s.Expenses += l.Amount
		case isOwnIncome(l):
			s.Own += l.Amount
		default:
			s.Partner += l.Amount
		}
	}
	for _, f := range in.Funding {
		d := fundingDay(f)
		if d == "" || d < from || d > to {
			continue
		}
		switch f.SourceKind {
		case "own_income":
			s.Own += f.Amount
		case "partner":
			s.Partner += f.Amount
		default:
			s.Grants += f.Amount
		}
	}
	return s
}

// AssessKemandirian computes a centre's level on day from its records and
// the national thresholds (in.Thresholds, or DefaultThresholds when nil).
// It reads nothing else and has no side effects.
func AssessKemandirian(in KemandirianInput, day time.Time) KemandirianAssessment {
	th := DefaultThresholds()
	if in.Thresholds != nil {
		th = *in.Thresholds
	}
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	d := day.Format(time.DateOnly)
	a := KemandirianAssessment{Date: d, Thresholds: th}
	a.Criteria = []CriterionResult{
		assessSDM(in, th, d),
		assessLegal(in, th, d),
		assessDana(in, th, day),
		assessAlumni(in, th, day),
		assessMitra(in, th, d),
	}
	for _, c := range a.Criteria {
		if c.Met {
			a.Met++
		}
	}
	switch {
	case a.Met == len(a.Criteria):
		a.Level = LevelMandiri
	case int64(a.Met) >= th.BerkembangMin:
		a.Level = LevelBerkembang
	default:
		a.Level = LevelTumbuh
	}
	for _, code := range firstSteps {
		if c := a.Criterion(code); !c.Met && len(c.Missing) > 0 {
			a.Next = append(a.Next, c.Missing[0])
		}
	}
	return a
}

func assessSDM(in KemandirianInput, th KemandirianThresholds, d string) CriterionResult {
	c := CriterionResult{Code: CriterionSDM, Target: th.SDMInstructors, Unit: "count"}
	live := map[string]bool{}
	for _, i := range in.Instructors {
		live[i.ID] = true
	}
	method, skill := map[string]bool{}, map[string]bool{}
	for _, cert := range in.Certifications {
		if !live[cert.InstructorID] || !validOn(cert.IssuedOn, cert.ExpiresOn, d) {
			continue
		}
		if cert.Kind == CertMethodology {
			method[cert.InstructorID] = true
		} else {
			skill[cert.InstructorID] = true
		}
	}
	half := 0
	for id := range live {
		switch {
		case method[id] && skill[id]:
			c.Value++
		case method[id] || skill[id]:
			half++
		}
	}
	c.Met = c.Value >= c.Target
	c.Evidence = append(c.Evidence, Note{"kemandirian.sdm.evidence", []any{c.Value, int64(len(live))}})
	if !c.Met {
		need := c.Target - c.Value
		if len(live) == 0 {
			c.Missing = append(c.Missing, Note{"kemandirian.sdm.no_instructors", []any{c.Target}})
		} else {
			c.Missing = append(c.Missing, Note{"kemandirian.sdm.add", []any{need}})
		}
		if half > 0 {
			c.Missing = append(c.Missing, Note{"kemandirian.sdm.half", []any{half}})
		}
	}
	return c
}

func assessLegal(in KemandirianInput, th KemandirianThresholds, d string) CriterionResult {
	c := CriterionResult{Code: CriterionLegal, Target: 1, Unit: "count"}
	if th.LegalAccreditation {
		c.Target = 2
	}
	var permit, accredited *LegalDocument
	var expiredPermit, expiredAccr string
	for _, doc := range in.Documents {
		switch doc.Kind {
		case DocOperatingPermit, DocVIN:
			if validOn(doc.IssuedOn, doc.ExpiresOn, d) {
				permit = doc
			} else if doc.ExpiresOn != "" && doc.ExpiresOn < d && doc.ExpiresOn > expiredPermit {
				expiredPermit = doc.ExpiresOn
			}
		case DocAccreditation:
			if validOn(doc.IssuedOn, doc.ExpiresOn, d) {
				if accredited == nil || doc.Grade < accredited.Grade {
					accredited = doc
				}
			} else if doc.ExpiresOn != "" && doc.ExpiresOn < d && doc.ExpiresOn > expiredAccr {
				expiredAccr = doc.ExpiresOn
			}
		}
	}
	if permit != nil {
		c.Value++
		c.Evidence = append(c.Evidence, Note{"kemandirian.legal.permit", []any{Choice{"legal_documents.doc_kind", permit.Kind}, permit.Number}})
	} else if expiredPermit != "" {
		c.Missing = append(c.Missing, Note{"kemandirian.legal.permit_expired", []any{Day(expiredPermit)}})
	} else {
		c.Missing = append(c.Missing, Note{"kemandirian.legal.permit_missing", nil})
	}
	if accredited != nil {
		if th.LegalAccreditation {
			c.Value++
		}
		grade := accredited.Grade
		if grade == "" {
			grade = "-"
		}
		c.Evidence = append(c.Evidence, Note{"kemandirian.legal.accredited", []any{grade, accredited.Number}})
	} else if th.LegalAccreditation {
		if expiredAccr != "" {
			c.Missing = append(c.Missing, Note{"kemandirian.legal.accreditation_expired", []any{Day(expiredAccr)}})
		} else {
			c.Missing = append(c.Missing, Note{"kemandirian.legal.accreditation_missing", nil})
		}
	}
	c.Met = c.Value >= c.Target
	return c
}

func assessDana(in KemandirianInput, th KemandirianThresholds, day time.Time) CriterionResult {
	c := CriterionResult{Code: CriterionDana, Target: th.OwnIncomePct, Unit: "percent"}
	from := addMonths(day, -int(th.IncomeMonths)).AddDate(0, 0, 1).Format(time.DateOnly)
	s := IncomeBetween(in, from, day.Format(time.DateOnly))
	c.Value = s.OwnPct()
	total := s.Total()
	c.Met = total > 0 && s.Own*100 >= th.OwnIncomePct*total
	c.Evidence = append(c.Evidence, Note{"kemandirian.dana.evidence", []any{Rupiah(s.Own), Rupiah(total), th.IncomeMonths}})
	if !c.Met {
		if total == 0 {
			c.Missing = append(c.Missing, Note{"kemandirian.dana.nothing", []any{th.IncomeMonths}})
		} else {
			// (own+x)*100 >= pct*(total+x)  ⇔  x >= (pct*total - 100*own) / (100 - pct)
			need := int64(0)
			if th.OwnIncomePct < 100 {
				need = int64(math.Ceil(float64(th.OwnIncomePct*total-100*s.Own) / float64(100-th.OwnIncomePct)))
			}
			c.Missing = append(c.Missing, Note{"kemandirian.dana.short", []any{c.Value, th.OwnIncomePct, Rupiah(need)}})
		}
	}
	return c
}

func assessAlumni(in KemandirianInput, th KemandirianThresholds, day time.Time) CriterionResult {
	c := CriterionResult{Code: CriterionAlumni, Target: th.TracedPct, Unit: "percent"}
	// Graduates whose tracing window has closed: they finished in the two
	// years before day minus the window.
	last := addMonths(day, -int(th.TracedMonths))
	first := addMonths(last, -24).AddDate(0, 0, 1)
	lastS, firstS := last.Format(time.DateOnly), first.Format(time.DateOnly)
	surveys := map[string][]string{}
	for _, o := range in.TracerAnswers {
		surveys[o.TraineeID] = append(surveys[o.TraineeID], o.SurveyedOn)
	}
	var eligible, traced int64
	for _, e := range in.Graduations {
		if e.CompletedOn < firstS || e.CompletedOn > lastS {
			continue
		}
		done, ok := ParseDate(e.CompletedOn)
		if !ok {
			continue
		}
		eligible++
		until := addMonths(done, int(th.TracedMonths)).Format(time.DateOnly)
		for _, s := range surveys[e.TraineeID] {
			if s >= e.CompletedOn && s <= until {
				traced++
				break
			}
		}
	}
	if eligible > 0 {
		c.Value = traced * 100 / eligible
	}
	c.Met = eligible > 0 && traced*100 >= th.TracedPct*eligible
	c.Evidence = append(c.Evidence, Note{"kemandirian.alumni.evidence", []any{traced, eligible, th.TracedMonths}})
	if !c.Met {
		if eligible == 0 {
			c.Missing = append(c.Missing, Note{"kemandirian.alumni.none", []any{Day(firstS), Day(lastS)}})
		} else {
			need := (th.TracedPct*eligible+99)/100 - traced
			c.Missing = append(c.Missing, Note{"kemandirian.alumni.short", []any{need, th.TracedMonths, c.Value, th.TracedPct}})
		}
	}
	return c
}

func assessMitra(in KemandirianInput, th KemandirianThresholds, d string) CriterionResult {
	c := CriterionResult{Code: CriterionMitra, Target: th.PartnerCategories, Unit: "count"}
	active := map[string][]string{}
	for _, p := range in.Partners {
		if p.MoUNumber == "" || !validOn(p.MoUStart, p.MoUEnd, d) {
			continue
		}
		cat := partnerCategory(p)
		active[cat] = append(active[cat], p.Name)
	}
	for _, cat := range MitraCategories {
		names := active[cat]
		if len(names) == 0 {
			continue
		}
		c.Value++
		sort.Strings(names)
		c.Evidence = append(c.Evidence, Note{"kemandirian.mitra.evidence", []any{Choice{"partners.category", cat}, int64(len(names)), names[0]}})
	}
	c.Met = c.Value >= c.Target
	if !c.Met {
		for _, cat := range MitraCategories {
			if len(active[cat]) == 0 {
				c.Missing = append(c.Missing, Note{"kemandirian.mitra.add", []any{Choice{"partners.category", cat}}})
			}
		}
	}
	return c
}

// YearFigures are what a centre reached in one calendar year, to compare
// with its road-map targets and to print.
type YearFigures struct {
	Year      int
	Graduates int64 // enrollments completed in the year
	Placed    int64 // of them, graduates whose latest tracer answer is working or self-employed
	Income    IncomeShare
	Target    *RoadmapTarget // the centre's targets for the year, nil when none
}

// PlacementPct is the placed share of the year's graduates, whole percent.
func (y YearFigures) PlacementPct() int64 {
	if y.Graduates == 0 {
		return 0
	}
	return y.Placed * 100 / y.Graduates
}

// FiguresOfYear computes a year's figures from the same input as the
// assessment.
func FiguresOfYear(in KemandirianInput, year int) YearFigures {
	y := YearFigures{Year: year}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	to := time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	y.Income = IncomeBetween(in, from, to)
	latest := map[string]*TracerAnswer{}
	for i := range in.TracerAnswers {
		o := &in.TracerAnswers[i]
		if l := latest[o.TraineeID]; l == nil || o.SurveyedOn > l.SurveyedOn || (o.SurveyedOn == l.SurveyedOn && o.ID > l.ID) {
			latest[o.TraineeID] = o
		}
	}
	for _, e := range in.Graduations {
		if e.CompletedOn < from || e.CompletedOn > to {
			continue
		}
		y.Graduates++
		if o := latest[e.TraineeID]; o != nil && (o.Status == OutcomeEmployed || o.Status == OutcomeSelfEmployed) {
			y.Placed++
		}
	}
	ys := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006")
	for _, t := range in.Targets {
		if t.Year == ys {
			y.Target = t
		}
	}
	return y
}
