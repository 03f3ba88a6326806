// Package gen generates realistic, deterministic demo data for one centre:
// Indonesian names, NIKs that agree with sex, birth date and region,
// programmes from the vocational catalogue, cohorts of about 16,
// enrollments, attendance, competency results, graduations (the sink
// issues their certificates, as a PC's store does), tracer outcomes,
// partners with their road-map categories, funding, and what the road
// map reads beyond trainees (instructors' certifications, the centre's
// legal documents, its business ledger). It does no I/O: it hands every
// record to a Sink, batch by batch, so the desktop (package demo, through
// the store) and the server (`blk-server demo`, through the central
// storage's push) write the same data the way a person's entry or a PC's
// sync would.
package gen

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"github.com/kemnaker/blk/assets"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/reference"
)

// Sink takes the generated records. Batch runs fn as one unit of work (a
// transaction, a push): records saved through save in fn are written
// together or, when Batch returns an error, not at all.
type Sink interface {
	Batch(ctx context.Context, fn func(save func(domain.Record) error) error) error
}

// Options control the generator. The same options give the same data.
type Options struct {
	Trainees int
	Seed     int64
	// Key names this generation in the records' ids (empty: the seed), so
	// centres generated with one seed get ids of their own.
	Key string
	// Centre, when set, goes into every id the generator makes: the PCs of
	// two centres making demo data of one seed (a training day) then sync
	// to one server without sharing a record.
	Centre  string
	Today   time.Time // the day the data ends; required
	Village string    // the centre's village code (its regency gives the trainees' regions)
	// Fields and Units are the vocational catalogue to pick programmes
	// from (Catalogue reads the shipped one).
	Fields []*domain.VocationalField
	Units  []*domain.CompetencyUnit
	// Others are people registered at other centres; DuplicatePercent of
	// the trainees are one of them again (same NIK, name, sex and birth
	// date), as happens when a person trains at two centres.
	Others           []Person
	DuplicatePercent int
	Progress         func(done, total int) // called after each batch with trainees written
}

// Person is who a trainee is, as another centre may register them again.
type Person struct {
	NIK, Name, Sex, BirthDate string
}

// Summary counts what was written. People holds a sample of the trainees
// (one in 20) for Options.Others of later centres.
type Summary struct {
	Programmes, Cohorts, Trainees, Enrollments, Attendance, Assessments, Outcomes, Partners, Funding, Instructors int
	Certifications, LegalDocuments, LedgerLines                                                                   int
	CompetencyCertificates, EmployerRatings, RoadmapTargets                                                       int
	Duplicates                                                                                                    int
	People                                                                                                        []Person `json:"-"`
}

const batchTrainees = 800 // trainees per batch: whole cohorts, bounded transactions

type gen struct {
	sink      Sink
	opt       Options
	r         *rand.Rand
	seed      string
	today     time.Time
	districts []string            // district codes around the centre
	villages  map[string][]string // district → villages
	serials   map[string]int      // NIK prefix → last serial
	numbers   map[string]int64    // programme+year → last cohort number
	n         int                 // id counter
	sum       Summary
	competent []graduate // graduates competent in every unit, for BNSP certificates
	working   []*domain.Outcome
}

// graduate is a trainee who passed every unit of a programme.
type graduate struct {
	trainee, scheme string
	end             time.Time
}

// id derives a deterministic UUID for the n-th generated record.
func (g *gen) id(kind string) string {
	g.n++
	if g.opt.Centre != "" {
		return domain.NaturalID("demo", g.opt.Centre, g.seed, kind, strconv.Itoa(g.n))
	}
	return domain.NaturalID("demo", g.seed, kind, strconv.Itoa(g.n))
}

// Catalogue is the vocational catalogue every desktop ships
// (assets/catalogue.csv), with the ids the store and the server give it.
func Catalogue() ([]*domain.VocationalField, []*domain.CompetencyUnit, error) {
	rows, err := csv.NewReader(bytes.NewReader(assets.Catalogue)).ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("catalogue: %w", err)
	}
	recs, err := reference.Parse(rows)
	if err != nil {
		return nil, nil, fmt.Errorf("catalogue: %w", err)
	}
	var fields []*domain.VocationalField
	var units []*domain.CompetencyUnit
	for _, rec := range recs {
		domain.AssignNaturalID(rec)
		switch r := rec.(type) {
		case *domain.VocationalField:
			fields = append(fields, r)
		case *domain.CompetencyUnit:
			units = append(units, r)
		}
	}
	return fields, units, nil
}

// Generate hands the demo data to sink in batches of whole cohorts;
// cancelling ctx stops after the current batch, leaving only whole
// cohorts behind.
func Generate(ctx context.Context, sink Sink, opt Options) (Summary, error) {
	if opt.Trainees < 0 {
		return Summary{}, fmt.Errorf("--trainees must be 0 or more")
	}
	today := time.Date(opt.Today.Year(), opt.Today.Month(), opt.Today.Day(), 0, 0, 0, 0, time.UTC)
	key := opt.Key
	if key == "" {
		key = strconv.FormatInt(opt.Seed, 10)
	}
	g := &gen{
		sink: sink, opt: opt, r: rand.New(rand.NewPCG(uint64(opt.Seed), 0x9e3779b97f4a7c15)),
		seed: key, today: today,
		villages: map[string][]string{}, serials: map[string]int{}, numbers: map[string]int64{},
	}
	if opt.Key != "" {
		// Centres of one seed differ by key, so each gets its own stream.
		var h uint64 = 14695981039346656037
		for _, c := range []byte(opt.Key) {
			h = (h ^ uint64(c)) * 1099511628211
		}
		g.r = rand.New(rand.NewPCG(uint64(opt.Seed), h))
	}
	if err := g.regions(opt.Village); err != nil {
		return Summary{}, err
	}
	progs, err := g.programmes(ctx)
	if err != nil {
		return g.sum, err
	}
	partners, err := g.partners(ctx)
	if err != nil {
		return g.sum, err
	}
	if err := g.kemandirian(ctx, progs); err != nil {
		return g.sum, err
	}
	plans := g.planCohorts(progs, opt.Trainees)
	done := 0
	for start := 0; start < len(plans); {
		if err := ctx.Err(); err != nil {
			return g.sum, err
		}
		end, n := start, 0
		for end < len(plans) && n < batchTrainees {
			n += plans[end].size
			end++
		}
		before := g.sum
		err := sink.Batch(ctx, func(save func(domain.Record) error) error {
			for _, p := range plans[start:end] {
				if err := g.cohort(save, p, partners); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			g.sum = before
			return g.sum, err
		}
		done += n
		if opt.Progress != nil {
			opt.Progress(done, opt.Trainees)
		}
		start = end
	}
	if err := g.afterwards(ctx); err != nil {
		return g.sum, err
	}
	return g.sum, nil
}

// afterwards writes what follows the cohorts: the BNSP certificates about
// a fifth of the competent graduates got from the LSP, the ratings of about
// a quarter of the employed graduates' employers, and the centre's roadmap
// targets for this year and the next. It draws after every cohort, so the
// data of the cohorts does not depend on it.
func (g *gen) afterwards(ctx context.Context) error {
	day := func(t time.Time) string { return t.Format(domain.DateLayout) }
	var recs []domain.Record
	for _, y := range []int{g.today.Year(), g.today.Year() + 1} {
		recs = append(recs, &domain.RoadmapTarget{Year: strconv.Itoa(y), Graduates: int64(40 + 10*g.r.IntN(8)),
			PlacementPct: int64(50 + 5*g.r.IntN(5)), OwnIncomePct: int64(10 + 5*g.r.IntN(3))})
	}
	certify := func(gr graduate, issued time.Time) {
		recs = append(recs, &domain.CompetencyCertificate{TraineeID: gr.trainee, Scheme: gr.scheme, LSP: "LSP P1 BLK Komunitas",
			Number:   fmt.Sprintf("%05d %04d %d", g.r.IntN(99999), g.r.IntN(9999), issued.Year()),
			IssuedOn: day(issued), ExpiresOn: day(issued.AddDate(3, 0, 0))})
	}
	certified := 0
	for _, gr := range g.competent {
		if g.r.IntN(5) != 0 {
			continue
		}
		issued := gr.end.AddDate(0, 0, 14+g.r.IntN(30))
		if issued.After(g.today) {
			continue
		}
		certify(gr, issued)
		certified++
	}
	// A small centre's draws can miss every graduate; the demo still shows
	// one of each list an analyst is trained on. The extra one is drawn
	// here, after every cohort, so the cohorts stay what the seed gives.
	if certified == 0 {
		for _, gr := range g.competent {
			if issued := gr.end.AddDate(0, 0, 14); !issued.After(g.today) {
				certify(gr, issued)
				break
			}
		}
	}
	rate := func(o *domain.Outcome) {
		rating := func() int64 { return int64(3 + g.r.IntN(3)) }
		er := &domain.EmployerRating{OutcomeID: o.ID, RatedOn: o.SurveyedOn, Rater: raters[g.r.IntN(len(raters))],
			Competence: rating(), Discipline: rating(), Teamwork: rating()}
		er.ID = g.id("rating")
		recs = append(recs, er)
	}
	rated := 0
	for _, o := range g.working {
		if g.r.IntN(4) != 0 {
			continue
		}
		rate(o)
		rated++
	}
	if rated == 0 && len(g.working) > 0 {
		rate(g.working[0])
	}
	for start := 0; start < len(recs); start += batchTrainees {
		if err := ctx.Err(); err != nil {
			return err
		}
		part := recs[start:min(start+batchTrainees, len(recs))]
		before := g.sum
		err := g.sink.Batch(ctx, func(save func(domain.Record) error) error {
			for _, rec := range part {
				if err := save(rec); err != nil {
					return err
				}
				switch rec.(type) {
				case *domain.RoadmapTarget:
					g.sum.RoadmapTargets++
				case *domain.CompetencyCertificate:
					g.sum.CompetencyCertificates++
				case *domain.EmployerRating:
					g.sum.EmployerRatings++
				}
			}
			return nil
		})
		if err != nil {
			g.sum = before
			return err
		}
	}
	return nil
}

// raters answer the tracer's questions about a graduate for the employer.
var raters = []string{"HRD", "Kepala produksi", "Pemilik usaha", "Supervisor", "Mandor"}

func (g *gen) regions(village string) error {
	code := domain.NormalizeRegionCode(village)
	if len(code) < 4 {
		code = "320101" // the centre sits at province level: use Bogor
	}
	regency := code[:4]
	for _, d := range domain.RegionChildren(regency) {
		vs := domain.RegionChildren(d.Code)
		if len(vs) == 0 {
			continue
		}
		g.districts = append(g.districts, d.Code)
		for _, v := range vs {
			g.villages[d.Code] = append(g.villages[d.Code], v.Code)
		}
	}
	if len(g.districts) == 0 {
		return fmt.Errorf("no districts under region %s", regency)
	}
	return nil
}

type programme struct {
	rec   *domain.Programme
	units []*domain.ProgrammeUnit
	instr []string
	days  int // session days of one cohort
}

func (g *gen) programmes(ctx context.Context) ([]*programme, error) {
	fields := append([]*domain.VocationalField(nil), g.opt.Fields...)
	if len(fields) == 0 {
		return nil, fmt.Errorf("no vocational fields in the catalogue")
	}
	sort.Slice(fields, func(i, j int) bool { return fields[i].Code < fields[j].Code })
	g.r.Shuffle(len(fields), func(i, j int) { fields[i], fields[j] = fields[j], fields[i] })
	fields = fields[:min(5, len(fields))]
	sort.Slice(fields, func(i, j int) bool { return fields[i].Code < fields[j].Code })
	var out []*programme
	err := g.sink.Batch(ctx, func(save func(domain.Record) error) error {
		for _, f := range fields {
			var units []*domain.CompetencyUnit
			for _, u := range g.opt.Units {
				if u.FieldCode == f.Code {
					units = append(units, u)
				}
			}
			sort.Slice(units, func(i, j int) bool { return units[i].Code < units[j].Code })
			p := &programme{rec: &domain.Programme{Name: "Pelatihan " + f.NameID, FieldCode: f.Code, MinutesPerJP: 45,
				Description: "Program pelatihan berbasis kompetensi kejuruan " + f.NameID}}
			p.rec.ID = g.id("programme")
			for _, u := range units {
				p.rec.TotalJP += u.JP
			}
			if err := save(p.rec); err != nil {
				return err
			}
			g.sum.Programmes++
			for i, u := range units {
				pu := &domain.ProgrammeUnit{ProgrammeID: p.rec.ID, UnitCode: u.Code, Title: u.Title, JP: u.JP, Position: int64(i + 1)}
				if err := save(pu); err != nil {
					return err
				}
				p.units = append(p.units, pu)
			}
			p.days = int((p.rec.TotalJP + 7) / 8) // eight JP a day
			for i := 0; i < 2; i++ {
				female := g.r.IntN(3) == 0
				in := &domain.Instructor{Name: g.name(female), FieldCode: f.Code, Phone: g.phone(),
					Certification: "Instruktur kompetensi " + f.NameID}
				in.ID = g.id("instructor")
				in.NIK = g.nik(g.birth(30, 55), female)
				if err := save(in); err != nil {
					return err
				}
				g.sum.Instructors++
				p.instr = append(p.instr, in.ID)
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

func (g *gen) partners(ctx context.Context) ([]string, error) {
	var names []string
	err := g.sink.Batch(ctx, func(save func(domain.Record) error) error {
		for _, pn := range partnerNames {
			start := g.today.AddDate(-g.r.IntN(4), -g.r.IntN(12), 0)
			end := start.AddDate(2+g.r.IntN(2), 0, 0)
			p := &domain.Partner{Name: pn.name, Type: pn.kind, Scope: pn.scope, Category: pn.category,
				MoUNumber: fmt.Sprintf("%03d/MoU/BLKK/%d", g.r.IntN(900)+100, start.Year()),
				MoUStart:  start.Format(domain.DateLayout), MoUEnd: end.Format(domain.DateLayout),
				Contact: g.name(g.r.IntN(2) == 0), Phone: g.phone()}
			p.ID = g.id("partner")
			if err := save(p); err != nil {
				return err
			}
			g.sum.Partners++
			if pn.kind == domain.PartnerFunder || pn.kind == domain.PartnerIndustry {
				names = append(names, pn.name)
			}
		}
		return nil
	})
	return names, err
}

type cohortPlan struct {
	prog  *programme
	start time.Time
	size  int
}

// planCohorts spreads ceil(trainees/16) cohorts over time, oldest first,
// ending with one running now and one planned, across the programmes.
func (g *gen) planCohorts(progs []*programme, trainees int) []cohortPlan {
	n := (trainees + domain.DefaultQuota - 1) / domain.DefaultQuota
	if n == 0 {
		return nil
	}
	spanDays := min(3650, max(365, n*12))
	var plans []cohortPlan
	left := trainees
	for i := 0; i < n; i++ {
		p := progs[i%len(progs)]
		offset := spanDays - i*spanDays/n
		start := g.today.AddDate(0, 0, -offset)
		switch {
		case n > 1 && i == n-1:
			start = g.today.AddDate(0, 0, 14) // next cohort, planned
		case n > 2 && i == n-2:
			start = g.today.AddDate(0, 0, -10) // running now
		}
		for start.Weekday() == time.Saturday || start.Weekday() == time.Sunday {
			start = start.AddDate(0, 0, 1)
		}
		size := min(domain.DefaultQuota, left)
		left -= size
		plans = append(plans, cohortPlan{prog: p, start: start, size: size})
	}
	return plans
}

// sessionDays lists the weekdays of a cohort from start.
func sessionDays(start time.Time, n int) []time.Time {
	var out []time.Time
	for d := start; len(out) < n; d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			out = append(out, d)
		}
	}
	return out
}

func (g *gen) cohort(save func(domain.Record) error, p cohortPlan, funders []string) error {
	days := sessionDays(p.start, p.prog.days)
	end := days[len(days)-1]
	status := domain.CohortCompleted
	switch {
	case p.start.After(g.today):
		status = domain.CohortPlanned
	case !end.Before(g.today):
		status = domain.CohortRunning
	}
	key := p.prog.rec.ID + strconv.Itoa(p.start.Year())
	g.numbers[key]++
	source := "APBN Kemnaker"
	if len(funders) > 0 && g.r.IntN(5) == 0 {
		source = funders[g.r.IntN(len(funders))]
	}
	c := &domain.Cohort{ProgrammeID: p.prog.rec.ID, Year: int64(p.start.Year()), Number: g.numbers[key],
		StartDate: p.start.Format(domain.DateLayout), EndDate: end.Format(domain.DateLayout),
		Quota: domain.DefaultQuota, InstructorIDs: joinIDs(p.prog.instr), FundingSource: source, Status: status}
	c.ID = g.id("cohort")
	if err := save(c); err != nil {
		return err
	}
	g.sum.Cohorts++
	f := &domain.Funding{Source: source, Amount: int64(150+g.r.IntN(150)) * 1_000_000, Year: c.Year, CohortID: c.ID,
		ReceivedOn: p.start.AddDate(0, 0, -14).Format(domain.DateLayout), Note: "Bantuan pelaksanaan pelatihan angkatan " + strconv.FormatInt(c.Number, 10),
		SourceKind: "government_grant"}
	f.ID = g.id("funding")
	if err := save(f); err != nil {
		return err
	}
	g.sum.Funding++
	withAttendance := status != domain.CohortPlanned && g.today.Sub(end) < 120*24*time.Hour
	for i := 0; i < p.size; i++ {
		if err := g.trainee(save, c, p, days, status, withAttendance); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) trainee(save func(domain.Record) error, c *domain.Cohort, p cohortPlan, days []time.Time, status string, withAttendance bool) error {
	female := g.r.IntN(100) < 45
	birth := g.birthAt(p.start, 17, 35)
	district := g.districts[g.r.IntN(len(g.districts))]
	villages := g.villages[district]
	t := &domain.Trainee{
		Name: g.name(female), Sex: map[bool]string{false: "L", true: "P"}[female],
		BirthPlace: birthPlaces[g.r.IntN(len(birthPlaces))], BirthDate: birth.Format(domain.DateLayout),
		Education:   []string{"smp", "sma", "sma", "sma", "d3", "sd", "s1"}[g.r.IntN(7)],
		Group:       []string{"santri", "santri", "resident", "resident", "worker"}[g.r.IntN(5)],
		Address:     fmt.Sprintf("Kp. %s RT %02d/RW %02d", lastNames[g.r.IntN(len(lastNames))], 1+g.r.IntN(9), 1+g.r.IntN(12)),
		VillageCode: villages[g.r.IntN(len(villages))], PostalCode: strconv.Itoa(16000 + g.r.IntN(900)),
		Phone: g.phone(),
	}
	t.ID = g.id("trainee")
	t.NIK = g.nikIn(district, birth, female)
	if g.r.IntN(50) == 0 {
		t.Disability = []string{"Tunarungu", "Tunadaksa ringan", "Low vision"}[g.r.IntN(3)]
	}
	if len(g.opt.Others) > 0 && g.r.IntN(100) < g.opt.DuplicatePercent {
		// Someone who trained at another centre comes again.
		o := g.opt.Others[g.r.IntN(len(g.opt.Others))]
		if b, ok := domain.ParseDate(o.BirthDate); ok && !b.After(p.start.AddDate(-17, 0, 0)) && b.After(p.start.AddDate(-45, 0, 0)) {
			t.NIK, t.Name, t.Sex, t.BirthDate = o.NIK, o.Name, o.Sex, o.BirthDate
			g.sum.Duplicates++
		}
	}
	if err := save(t); err != nil {
		return fmt.Errorf("demo trainee %s: %w", t.NIK, err)
	}
	g.sum.Trainees++
	if g.sum.Trainees%20 == 0 {
		g.sum.People = append(g.sum.People, Person{NIK: t.NIK, Name: t.Name, Sex: t.Sex, BirthDate: t.BirthDate})
	}
	e := &domain.Enrollment{CohortID: c.ID, TraineeID: t.ID, EnrolledOn: p.start.AddDate(0, 0, -7).Format(domain.DateLayout), Status: domain.EnrollmentActive}
	dropped := status != domain.CohortPlanned && g.r.IntN(100) < 7
	if status == domain.CohortCompleted && !dropped {
		e.Status = domain.EnrollmentCompleted
		e.CompletedOn = c.EndDate
		e.CertificateDate = c.EndDate // the sink issues the number, as a PC's store does
	} else if dropped {
		e.Status = domain.EnrollmentDropped
	}
	if err := save(e); err != nil {
		return err
	}
	g.sum.Enrollments++
	if withAttendance {
		for i, d := range days {
			if d.After(g.today) {
				break
			}
			mark := domain.AttendancePresent
			switch x := g.r.IntN(100); {
			case dropped && i > len(days)/3:
				mark = domain.AttendanceAbsent
			case x < 4:
				mark = domain.AttendanceSick
			case x < 7:
				mark = domain.AttendanceExcused
			case x < 9:
				mark = domain.AttendanceAbsent
			}
			a := &domain.Attendance{EnrollmentID: e.ID, Date: d.Format(domain.DateLayout), Mark: mark}
			if err := save(a); err != nil {
				return err
			}
			g.sum.Attendance++
		}
	}
	if e.Status != domain.EnrollmentCompleted {
		return nil
	}
	allCompetent := true
	for _, u := range p.prog.units {
		res := domain.Competent
		if g.r.IntN(100) < 8 {
			res = domain.NotCompetent
			allCompetent = false
		}
		a := &domain.Assessment{EnrollmentID: e.ID, UnitCode: u.UnitCode, LSP: "LSP P1 BLK Komunitas", Result: res, AssessedOn: c.EndDate}
		if err := save(a); err != nil {
			return err
		}
		g.sum.Assessments++
	}
	end, _ := domain.ParseDate(c.EndDate)
	if allCompetent {
		g.competent = append(g.competent, graduate{trainee: t.ID, scheme: p.prog.rec.Name, end: end})
	}
	if g.today.Sub(end) < 90*24*time.Hour || g.r.IntN(100) >= 70 {
		return nil // not yet due, or not reached by the tracer
	}
	o := &domain.Outcome{TraineeID: t.ID, SurveyedOn: end.AddDate(0, 3, g.r.IntN(20)).Format(domain.DateLayout),
		Source: []string{"phone", "whatsapp", "whatsapp", "visit", "form"}[g.r.IntN(5)]}
	if o.SurveyedOn > g.today.Format(domain.DateLayout) {
		o.SurveyedOn = g.today.Format(domain.DateLayout)
	}
	switch x := g.r.IntN(100); {
	case x < 42:
		o.Status, o.Employer = domain.OutcomeEmployed, employers[g.r.IntN(len(employers))]
	case x < 68:
		o.Status, o.Employer = domain.OutcomeSelfEmployed, businesses[g.r.IntN(len(businesses))]
	case x < 76:
		o.Status = domain.OutcomeStudying
	default:
		o.Status = domain.OutcomeNotWorking
	}
	if o.Status == domain.OutcomeEmployed || o.Status == domain.OutcomeSelfEmployed {
		o.Sector = sectors[g.r.IntN(len(sectors))]
		o.IncomeBand = []string{"lt1", "1to3", "1to3", "3to5", "gt5"}[g.r.IntN(5)]
	}
	o.ID = g.id("outcome")
	if err := save(o); err != nil {
		return err
	}
	g.sum.Outcomes++
	if o.Status == domain.OutcomeEmployed {
		g.working = append(g.working, o)
	}
	return nil
}

func (g *gen) name(female bool) string {
	first := maleFirst
	if female {
		first = femaleFirst
	}
	i := g.r.IntN(len(first))
	n := first[i]
	if g.r.IntN(3) == 0 {
		// A second given name, never the first one again ("Joko Joko").
		n += " " + first[(i+1+g.r.IntN(len(first)-1))%len(first)]
	}
	return n + " " + lastNames[g.r.IntN(len(lastNames))]
}

func (g *gen) phone() string {
	prefix := []string{"0812", "0813", "0821", "0852", "0857", "0878", "0896", "0838"}[g.r.IntN(8)]
	return fmt.Sprintf("%s%08d", prefix, g.r.IntN(100_000_000))
}

func (g *gen) birth(minAge, maxAge int) time.Time { return g.birthAt(g.today, minAge, maxAge) }

func (g *gen) birthAt(at time.Time, minAge, maxAge int) time.Time {
	days := minAge*365 + g.r.IntN((maxAge-minAge)*365)
	return at.AddDate(0, 0, -days)
}

func (g *gen) nik(birth time.Time, female bool) string {
	return g.nikIn(g.districts[g.r.IntN(len(g.districts))], birth, female)
}

// nikIn makes a NIK that agrees with district, birth date and sex, unique
// by giving each (district, birth date, sex) its own serial counter.
func (g *gen) nikIn(district string, birth time.Time, female bool) string {
	prefix := domain.MakeNIK(district, birth, female, 0)[:12]
	g.serials[prefix]++
	return domain.MakeNIK(district, birth, female, g.serials[prefix])
}

func joinIDs(ids []string) string {
	out := ""
	for i, id := range ids {
		if i > 0 {
			out += ","
		}
		out += id
	}
	return out
}

// kemandirian writes what the road map's criteria read beyond trainees:
// the instructors' certificates (most have the methodology course, some
// have let a certificate lapse), the centre's legal documents (a permit
// and a VIN always, LA-LPK accreditation for about half the seeds) and
// three years of the business unit's ledger, earning roughly a tenth to a
// fifth of what the grants bring. A demo centre lands at berkembang, now
// and then mandiri or tumbuh, as real centres do.
func (g *gen) kemandirian(ctx context.Context, progs []*programme) error {
	day := func(t time.Time) string { return t.Format(domain.DateLayout) }
	return g.sink.Batch(ctx, func(saveRec func(domain.Record) error) error {
		save := func(rec domain.Record, kind string, n *int) error {
			rec.Base().ID = g.id(kind)
			if err := saveRec(rec); err != nil {
				return err
			}
			*n++
			return nil
		}
		for _, p := range progs {
			for _, in := range p.instr {
				if g.r.IntN(10) < 7 {
					issued := g.today.AddDate(-1-g.r.IntN(6), -g.r.IntN(12), 0)
					c := &domain.InstructorCertification{InstructorID: in, Kind: domain.CertMethodology,
						Number: fmt.Sprintf("MET-%05d/%d", g.r.IntN(99999), issued.Year()), Issuer: "BBPLK Bekasi", IssuedOn: day(issued)}
					if err := save(c, "certification", &g.sum.Certifications); err != nil {
						return err
					}
				}
				if g.r.IntN(10) < 8 {
					issued := g.today.AddDate(-g.r.IntN(4), -g.r.IntN(12), 0)
					c := &domain.InstructorCertification{InstructorID: in, Kind: domain.CertBNSP,
						Number: fmt.Sprintf("%05d %04d %d", g.r.IntN(99999), g.r.IntN(9999), issued.Year()), Issuer: "BNSP",
						IssuedOn: day(issued), ExpiresOn: day(issued.AddDate(3, 0, 0))}
					if g.r.IntN(3) == 0 {
						c.Kind, c.Issuer, c.ExpiresOn = domain.CertTechnical, "Asosiasi profesi", ""
					}
					if err := save(c, "certification", &g.sum.Certifications); err != nil {
						return err
					}
				}
			}
		}
		permit := g.today.AddDate(-2-g.r.IntN(3), -g.r.IntN(12), 0)
		docs := []*domain.LegalDocument{
			{Kind: domain.DocFoundationDeed, Number: fmt.Sprintf("AHU-%07d.AH.01.04.Tahun %d", g.r.IntN(9999999), permit.Year()-3), Issuer: "Kementerian Hukum dan HAM", IssuedOn: day(permit.AddDate(-3, 0, 0))},
			{Kind: domain.DocOperatingPermit, Number: fmt.Sprintf("503/%03d/DPMPTSP/%d", g.r.IntN(999), permit.Year()), Issuer: "DPMPTSP Kabupaten", IssuedOn: day(permit), ExpiresOn: day(permit.AddDate(5, 0, 0))},
			{Kind: domain.DocVIN, Number: fmt.Sprintf("%d%09d", permit.Year(), g.r.IntN(999999999)), Issuer: "Kemnaker (SIAPkerja)", IssuedOn: day(permit.AddDate(0, 2, 0))},
		}
		if g.r.IntN(2) == 0 {
			acc := g.today.AddDate(-g.r.IntN(4), -g.r.IntN(12), 0)
			docs = append(docs, &domain.LegalDocument{Kind: domain.DocAccreditation, Number: fmt.Sprintf("LA-LPK/%03d/%d", g.r.IntN(999), acc.Year()),
				Grade: []string{"A", "B", "B", "C"}[g.r.IntN(4)], Issuer: "LA-LPK", IssuedOn: day(acc), ExpiresOn: day(acc.AddDate(5, 0, 0))})
		}
		for _, d := range docs {
			if err := save(d, "document", &g.sum.LegalDocuments); err != nil {
				return err
			}
		}
		units := []struct{ unit, category string }{
			{"Pelatihan berbayar", "paid_training"}, {"Konveksi", "product_sales"}, {"Bengkel", "services"}, {"Sewa aula", "rental"},
		}
		for m := 35; m >= 0; m-- {
			month := time.Date(g.today.Year(), g.today.Month()-time.Month(m), 1, 0, 0, 0, 0, time.UTC)
			for _, u := range units {
				if g.r.IntN(3) == 0 {
					continue
				}
				d := month.AddDate(0, 0, g.r.IntN(27))
				if d.After(g.today) {
					continue
				}
				l := &domain.LedgerLine{Date: day(d), Direction: domain.LedgerIncome, Category: u.category, Unit: u.unit,
					Amount: int64(1+g.r.IntN(8)) * 750_000}
				if err := save(l, "ledger", &g.sum.LedgerLines); err != nil {
					return err
				}
				if u.category == "product_sales" {
					e := &domain.LedgerLine{Date: day(d), Direction: domain.LedgerExpense, Category: "materials", Unit: u.unit,
						Amount: l.Amount / 3, Note: "Bahan kain dan benang"}
					if err := save(e, "ledger", &g.sum.LedgerLines); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}
