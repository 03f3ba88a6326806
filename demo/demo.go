// Package demo fills a centre with realistic, deterministic demo data:
// Indonesian names, NIKs that agree with sex, birth date and region,
// programmes from the catalogue, cohorts of about 16, enrollments,
// attendance, competency results, certificates, tracer outcomes, partners and
// funding. It writes only through the store, so the data passes every rule a
// person's entry would and lands in the outbox like any other write.
package demo

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
)

// Options control the generator. The same Seed, Trainees and Today give the
// same data.
type Options struct {
	Trainees int
	Seed     int64
	Today    time.Time             // zero: the store's clock, truncated to the day
	Progress func(done, total int) // called now and then with trainees written
}

// Summary counts what was written.
type Summary struct {
	Programmes, Cohorts, Trainees, Enrollments, Attendance, Assessments, Outcomes, Partners, Funding, Instructors int
	Certifications, LegalDocuments, LedgerLines                                                                   int
}

const batchTrainees = 800 // trainees per transaction: whole cohorts, bounded WAL

type gen struct {
	st        *store.Store
	r         *rand.Rand
	seed      string
	today     time.Time
	districts []string            // district codes around the centre
	villages  map[string][]string // district → villages
	serials   map[string]int      // NIK prefix → last serial
	numbers   map[string]int64    // programme+year → last cohort number
	n         int                 // id counter
	sum       Summary
}

// id derives a deterministic UUID for the n-th generated record.
func (g *gen) id(kind string) string {
	g.n++
	return domain.NaturalID("demo", g.seed, kind, strconv.Itoa(g.n))
}

// chachaSeed is the seed of the random source of batch n.
func (g *gen) chachaSeed(n int) [32]byte {
	return sha256.Sum256([]byte(g.seed + "/certificates/" + strconv.Itoa(n)))
}

// Generate writes the demo data into st, which must have a centre profile.
// Work is committed in batches of whole cohorts; cancelling ctx stops after
// the current batch is rolled back, leaving only whole cohorts behind.
func Generate(ctx context.Context, st *store.Store, opt Options) (Summary, error) {
	centre, err := st.Centre(ctx)
	if err != nil {
		return Summary{}, err
	}
	if opt.Trainees < 0 {
		return Summary{}, fmt.Errorf("--trainees must be 0 or more")
	}
	today := opt.Today
	if today.IsZero() {
		today = st.Now()
	}
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	g := &gen{
		st: st, r: rand.New(rand.NewPCG(uint64(opt.Seed), 0x9e3779b97f4a7c15)),
		seed: strconv.FormatInt(opt.Seed, 10), today: today,
		villages: map[string][]string{}, serials: map[string]int{}, numbers: map[string]int64{},
	}
	if err := g.regions(centre.VillageCode); err != nil {
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
		err := st.Write(ctx, func(tx *store.Tx) error {
			// Certificate check codes drawn from the seed keep the demo
			// deterministic; real graduations draw them from crypto/rand.
			tx.SetRandom(rand.NewChaCha8(g.chachaSeed(start)))
			for _, p := range plans[start:end] {
				if err := g.cohort(tx, p, partners); err != nil {
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
	return g.sum, nil
}

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
	fields, err := store.ListOf[*domain.VocationalField](ctx, g.st, store.Query{OrderBy: "code"})
	if err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("no vocational fields in the catalogue")
	}
	g.r.Shuffle(len(fields), func(i, j int) { fields[i], fields[j] = fields[j], fields[i] })
	fields = fields[:min(5, len(fields))]
	sort.Slice(fields, func(i, j int) bool { return fields[i].Code < fields[j].Code })
	var out []*programme
	err = g.st.Write(ctx, func(tx *store.Tx) error {
		for _, f := range fields {
			units, err := store.ListOf[*domain.CompetencyUnit](ctx, g.st, store.Query{Filters: []store.Filter{{Field: "field_code", Value: f.Code}}, OrderBy: "code"})
			if err != nil {
				return err
			}
			p := &programme{rec: &domain.Programme{Name: "Pelatihan " + f.NameID, FieldCode: f.Code, MinutesPerJP: 45,
				Description: "Program pelatihan berbasis kompetensi kejuruan " + f.NameID}}
			p.rec.ID = g.id("programme")
			for _, u := range units {
				p.rec.TotalJP += u.JP
			}
			if _, err := tx.Save(p.rec); err != nil {
				return err
			}
			g.sum.Programmes++
			for i, u := range units {
				pu := &domain.ProgrammeUnit{ProgrammeID: p.rec.ID, UnitCode: u.Code, Title: u.Title, JP: u.JP, Position: int64(i + 1)}
				if _, err := tx.Save(pu); err != nil {
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
				if _, err := tx.Save(in); err != nil {
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
	err := g.st.Write(ctx, func(tx *store.Tx) error {
		for _, pn := range partnerNames {
			start := g.today.AddDate(-g.r.IntN(4), -g.r.IntN(12), 0)
			end := start.AddDate(2+g.r.IntN(2), 0, 0)
			p := &domain.Partner{Name: pn.name, Type: pn.kind, Scope: pn.scope, Category: pn.category,
				MoUNumber: fmt.Sprintf("%03d/MoU/BLKK/%d", g.r.IntN(900)+100, start.Year()),
				MoUStart:  start.Format(domain.DateLayout), MoUEnd: end.Format(domain.DateLayout),
				Contact: g.name(g.r.IntN(2) == 0), Phone: g.phone()}
			p.ID = g.id("partner")
			if _, err := tx.Save(p); err != nil {
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

func (g *gen) cohort(tx *store.Tx, p cohortPlan, funders []string) error {
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
	if _, err := tx.Save(c); err != nil {
		return err
	}
	g.sum.Cohorts++
	f := &domain.Funding{Source: source, Amount: int64(150+g.r.IntN(150)) * 1_000_000, Year: c.Year, CohortID: c.ID,
		ReceivedOn: p.start.AddDate(0, 0, -14).Format(domain.DateLayout), Note: "Bantuan pelaksanaan pelatihan angkatan " + strconv.FormatInt(c.Number, 10),
		SourceKind: "government_grant"}
	f.ID = g.id("funding")
	if _, err := tx.Save(f); err != nil {
		return err
	}
	g.sum.Funding++
	withAttendance := status != domain.CohortPlanned && g.today.Sub(end) < 120*24*time.Hour
	for i := 0; i < p.size; i++ {
		if err := g.trainee(tx, c, p, days, status, withAttendance); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) trainee(tx *store.Tx, c *domain.Cohort, p cohortPlan, days []time.Time, status string, withAttendance bool) error {
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
	if _, err := tx.Save(t); err != nil {
		return fmt.Errorf("demo trainee %s: %w", t.NIK, err)
	}
	g.sum.Trainees++
	e := &domain.Enrollment{CohortID: c.ID, TraineeID: t.ID, EnrolledOn: p.start.AddDate(0, 0, -7).Format(domain.DateLayout), Status: domain.EnrollmentActive}
	dropped := status != domain.CohortPlanned && g.r.IntN(100) < 7
	if status == domain.CohortCompleted && !dropped {
		e.Status = domain.EnrollmentCompleted
		e.CompletedOn = c.EndDate
		e.CertificateDate = c.EndDate // the store issues the number
	} else if dropped {
		e.Status = domain.EnrollmentDropped
	}
	if _, err := tx.Save(e); err != nil {
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
			if _, err := tx.Save(a); err != nil {
				return err
			}
			g.sum.Attendance++
		}
	}
	if e.Status != domain.EnrollmentCompleted {
		return nil
	}
	for _, u := range p.prog.units {
		res := domain.Competent
		if g.r.IntN(100) < 8 {
			res = domain.NotCompetent
		}
		a := &domain.Assessment{EnrollmentID: e.ID, UnitCode: u.UnitCode, LSP: "LSP P1 BLK Komunitas", Result: res, AssessedOn: c.EndDate}
		if _, err := tx.Save(a); err != nil {
			return err
		}
		g.sum.Assessments++
	}
	end, _ := domain.ParseDate(c.EndDate)
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
	if _, err := tx.Save(o); err != nil {
		return err
	}
	g.sum.Outcomes++
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
	return g.st.Write(ctx, func(tx *store.Tx) error {
		save := func(rec domain.Record, kind string, n *int) error {
			rec.Base().ID = g.id(kind)
			if _, err := tx.Save(rec); err != nil {
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
