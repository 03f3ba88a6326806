package main

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/demo/gen"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/internal/cli"
	"github.com/kemnaker/blk/msg"
	"golang.org/x/sync/errgroup"
)

// demoCmd fills a central database with many demo centres, each pushed by
// its own enrolled device through the storage's push, exactly as a PC's
// sync would write them: every projection and report sees them as real.
// A staging server filled this way trains ministry analysts; the
// benchmarks use it to measure the server at national size.
func demoCmd(e *env) *cli.Command {
	var centres, perCentre, dupPercent, parallel int
	var seed int64
	return &cli.Command{
		Name:  "demo",
		Usage: "--centres N --trainees-per-centre M [--seed S] [--duplicates P] [--parallel K] [--json]",
		Short: cli.Text("cli.server.demo.short"),
		Flags: func(fs *flag.FlagSet, l domain.Lang) {
			fs.IntVar(&centres, "centres", 10, cli.Text("cli.server.demo.flag.centres").In(l))
			fs.IntVar(&perCentre, "trainees-per-centre", 200, cli.Text("cli.server.demo.flag.trainees").In(l))
			fs.Int64Var(&seed, "seed", 1, cli.Text("cli.server.demo.flag.seed").In(l))
			fs.IntVar(&dupPercent, "duplicates", 2, cli.Text("cli.server.demo.flag.duplicates").In(l))
			fs.IntVar(&parallel, "parallel", 2, cli.Text("cli.server.demo.flag.parallel").In(l))
		},
		Run: func(ctx context.Context, _ []string) error {
			if centres < 1 || centres > 10000 {
				return cli.Errorf(cli.Text("cli.server.demo.err.centres"), centres)
			}
			if perCentre < 0 || perCentre > 1_000_000 {
				return cli.Errorf(cli.Text("cli.server.demo.err.trainees"), perCentre)
			}
			if dupPercent < 0 || dupPercent > 50 {
				return cli.Errorf(cli.Text("cli.server.demo.err.duplicates"), dupPercent)
			}
			if parallel < 1 || parallel > 64 {
				return cli.Errorf(cli.Text("cli.server.demo.err.parallel"), parallel)
			}
			st, err := central.Open(ctx, demoDSN(e.db))
			if err != nil {
				return err
			}
			defer st.Close()
			start, last := time.Now(), time.Now()
			sum, err := fillDemo(ctx, st, demoPlan{Centres: centres, PerCentre: perCentre, Seed: seed, DuplicatePercent: dupPercent, Parallel: parallel},
				func(centre, trainees int) {
					if !e.json && time.Since(last) > 2*time.Second {
						last = time.Now()
						rate := float64(trainees) / time.Since(start).Seconds()
						fmt.Fprintln(e.stderr, msg.T(e.lang, "cli.server.demo.progress", centre, centres, msg.N(e.lang, trainees), msg.N(e.lang, centres*perCentre), msg.N(e.lang, int(rate))))
					}
				})
			if err != nil {
				return err
			}
			took := time.Since(start).Round(time.Millisecond)
			return e.print(map[string]any{"ok": true, "summary": sum, "seconds": took.Seconds()},
				msg.T(e.lang, "cli.server.demo.done", took.String(), sum.Centres, msg.N(e.lang, sum.Trainees), msg.N(e.lang, sum.Records), msg.N(e.lang, sum.Duplicates)))
		},
	}
}

// demoDSN is db with PostgreSQL's commits not waiting for the disk, unless
// the DSN says otherwise: a demo fill commits tens of thousands of pushes,
// and a crash loses at most the last ones, as Ctrl-C does. It changes
// nothing of what is stored.
func demoDSN(db string) string {
	if !strings.HasPrefix(db, "postgres://") && !strings.HasPrefix(db, "postgresql://") || strings.Contains(db, "synchronous_commit") {
		return db
	}
	if strings.Contains(db, "?") {
		return db + "&synchronous_commit=off"
	}
	return db + "?synchronous_commit=off"
}

// demoPlan is what `blk-server demo` makes.
type demoPlan struct {
	Centres, PerCentre int
	Seed               int64
	DuplicatePercent   int
	Parallel           int       // centres pushed at once; 0 is 1
	Today              time.Time // zero: today
}

// demoSummary counts what a demo run wrote, all centres together.
type demoSummary struct {
	Centres    int `json:"centres"`
	Trainees   int `json:"trainees"`
	Records    int `json:"records"`
	Duplicates int `json:"duplicates"` // trainees who are a person of an earlier centre again
}

// othersKept bounds the people of earlier centres a centre may register
// again: a ring of the latest, so memory stays flat at national size.
const othersKept = 4000

// fillDemo makes p.Centres centres spread over the provinces, enrols one
// device for each and pushes its generated data through Storage.Push, one
// batch of whole cohorts a push. Centres are made and generated one after
// the other, so the data (and which people come again at a later centre)
// depends on the plan alone; p.Parallel centres' batches are pushed at
// once, each centre's in order by one pusher, while the next centres are
// generated: centres share no records, so what is stored is the same. A
// rejected batch or a cancelled ctx stops the run after the pushes under
// way. progress gets the centres begun and the trainees pushed, from one
// goroutine at a time.
func fillDemo(ctx context.Context, st central.Storage, p demoPlan, progress func(centre, trainees int)) (demoSummary, error) {
	var sum demoSummary
	fields, units, err := gen.Catalogue()
	if err != nil {
		return sum, err
	}
	today := p.Today
	if today.IsZero() {
		today = time.Now().UTC()
	}
	pushers := max(1, p.Parallel)
	g, gctx := errgroup.WithContext(ctx)
	queues := make([]chan demoBatch, pushers)
	var mu sync.Mutex // guards begun, pushed, sum.Records and progress's calls
	begun, pushed := 0, 0
	for w := range queues {
		// A few batches queued per pusher keep it busy while the next
		// centre is generated, and bound the memory held.
		queues[w] = make(chan demoBatch, 4)
		q := queues[w]
		g.Go(func() error {
			var failed error
			for b := range q { // drained to the end, so the generator never blocks on a stopped pusher
				if failed == nil && gctx.Err() == nil {
					failed = b.push(gctx)
				}
				if failed != nil || gctx.Err() != nil {
					continue
				}
				mu.Lock()
				pushed += b.trainees
				sum.Records += len(b.changes)
				if progress != nil && b.trainees > 0 {
					progress(begun, pushed)
				}
				mu.Unlock()
			}
			return failed
		})
	}
	// The planner's statistics follow the load: without them PostgreSQL
	// (with autovacuum off, or behind a bulk load) reads a batch's records
	// by a scan of every row of their table instead of the primary key,
	// and the fill slows as the table grows (200 ms a batch's read at 1.2
	// million records, against a few ms after ANALYZE). ANALYZE samples a
	// fixed number of rows, so doing it each time the records double costs
	// about a second, a few dozen times at national size.
	analyzer, _ := st.(interface{ Analyze(context.Context) error })
	nextAnalyze := analyzeFrom
	centreBegins := func() error {
		mu.Lock()
		begun++
		n := sum.Records
		mu.Unlock()
		if analyzer == nil || n < nextAnalyze {
			return nil
		}
		nextAnalyze = 2 * n
		if err := analyzer.Analyze(gctx); err != nil {
			return fmt.Errorf("analyze: %w", err)
		}
		return nil
	}
	generated, generr := generateDemo(gctx, st, p, fields, units, today, queues, centreBegins)
	for _, q := range queues {
		close(q)
	}
	if err := g.Wait(); err != nil {
		return sum, err // a pusher's error caused any the generator saw
	}
	if generr != nil {
		return sum, generr
	}
	sum.Centres, sum.Trainees, sum.Duplicates = generated.Centres, generated.Trainees, generated.Duplicates
	// The planner needs statistics of what was just loaded before the
	// dashboard asks anything of it (central.sqlStorage.Analyze).
	if a, ok := st.(interface{ Analyze(context.Context) error }); ok {
		if err := a.Analyze(ctx); err != nil {
			return sum, fmt.Errorf("analyze: %w", err)
		}
	}
	// The dashboard's analytics tables, as the server's schedule would
	// (central/analytics.go).
	if a, ok := st.(central.Analytics); ok {
		if err := a.RefreshAnalytics(ctx, time.Now()); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// analyzeFrom is the records pushed before the fill first analyses them.
const analyzeFrom = 20_000

// generateDemo makes the centres one after the other, enrols their
// devices and hands each centre's batches to queues[centre % len(queues)],
// so one pusher pushes a centre's batches in order; begin is called as
// each centre begins. It counts centres, trainees and duplicates; records
// are counted as they are pushed.
func generateDemo(ctx context.Context, st central.Storage, p demoPlan, fields []*domain.VocationalField, units []*domain.CompetencyUnit,
	today time.Time, queues []chan demoBatch, begin func() error) (demoSummary, error) {
	var sum demoSummary
	provinces := domain.RegionChildren("")
	r := rand.New(rand.NewPCG(uint64(p.Seed), 0x5ca1ab1e))
	var others []gen.Person
	for i := 0; i < p.Centres; i++ {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		key := strconv.FormatInt(p.Seed, 10) + "/" + strconv.Itoa(i+1)
		village := pickVillage(r, provinces[i%len(provinces)].Code)
		c, err := st.AddCentre(ctx, central.Centre{ID: domain.NaturalID("demo-centre", key), Name: msg.T(msg.Indonesian, "cli.server.demo.centre_name", i+1),
			Region: village, Profile: domain.Centre{HostType: []string{"pesantren", "pesantren", "pesantren", "seminari", "pasraman", "serikat_pekerja"}[r.IntN(6)]}})
		if err != nil {
			if _, exists := centreExists(ctx, st, domain.NaturalID("demo-centre", key)); exists {
				return sum, cli.Errorf(cli.Text("cli.server.demo.err.exists"), p.Seed)
			}
			return sum, fmt.Errorf("demo centre %d: %w", i+1, err)
		}
		code, _, err := st.NewCode(ctx, c.ID, time.Hour)
		if err != nil {
			return sum, err
		}
		_, dev, err := st.Enrol(ctx, code, domain.NaturalID("demo-device", key), "demo-pc-"+strconv.Itoa(i+1))
		if err != nil {
			return sum, fmt.Errorf("demo centre %d: enrol: %w", i+1, err)
		}
		if err := begin(); err != nil {
			return sum, err
		}
		q := queues[i%len(queues)]
		send := func(b demoBatch) error {
			select {
			case q <- b:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		pusher := &centrePusher{st: st, dev: dev, centre: i + 1}
		sink := &pushSink{dev: dev, send: func(changes []domain.Change) error { return send(demoBatch{pusher: pusher, changes: changes}) },
			random: rand.NewChaCha8(sha256.Sum256([]byte(key + "/certificates"))),
			fields: map[string]string{}, cohorts: map[string]string{}, seqs: map[string]int{}}
		prev := 0
		s, err := gen.Generate(ctx, sink, gen.Options{Trainees: p.PerCentre, Seed: p.Seed, Key: key, Today: today,
			Village: village, Fields: fields, Units: units, Others: others, DuplicatePercent: p.DuplicatePercent,
			Progress: func(done, _ int) {
				// counted once the batches before have been pushed
				_ = send(demoBatch{pusher: pusher, trainees: done - prev})
				prev = done
			}})
		if err != nil {
			if ctx.Err() != nil {
				return sum, ctx.Err()
			}
			return sum, fmt.Errorf("demo centre %d: %w", i+1, err)
		}
		sum.Centres++
		sum.Trainees += s.Trainees
		sum.Duplicates += s.Duplicates
		others = append(others, s.People...)
		if len(others) > othersKept {
			others = append(others[:0:0], others[len(others)-othersKept:]...)
		}
	}
	return sum, nil
}

// demoBatch is one push of a centre's changes, or (without changes) the
// trainees its batches so far complete.
type demoBatch struct {
	pusher   *centrePusher
	changes  []domain.Change
	trainees int
}

func (b demoBatch) push(ctx context.Context) error {
	if len(b.changes) == 0 {
		return nil
	}
	return b.pusher.push(ctx, b.changes)
}

// centrePusher pushes one centre's batches as its enrolled device, in
// order; a rejection stops the run, since demo data must pass every rule.
type centrePusher struct {
	st     central.Storage
	dev    central.Device
	centre int
}

func (c *centrePusher) push(ctx context.Context, changes []domain.Change) error {
	res, err := c.st.Push(ctx, c.dev, changes)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("demo centre %d: %w", c.centre, err)
	}
	if len(res.Rejections) > 0 {
		r := res.Rejections[0]
		return fmt.Errorf("demo centre %d: %s %s %s: %s", c.centre, r.Table, r.RowID, r.Field, r.ReasonEN)
	}
	c.dev.AppliedSeq, c.dev.AppliedClock = res.AppliedSeq, res.AppliedClock
	return nil
}

func centreExists(ctx context.Context, st central.Storage, id string) (central.Centre, bool) {
	cs, err := st.Centres(ctx)
	if err != nil {
		return central.Centre{}, false
	}
	for _, c := range cs {
		if c.ID == id {
			return c, true
		}
	}
	return central.Centre{}, false
}

// pickVillage picks a village of the province whose district has villages
// around it (the generator draws trainees' villages from the regency).
func pickVillage(r *rand.Rand, province string) string {
	regencies := domain.RegionChildren(province)
	for tries := 0; tries < 20 && len(regencies) > 0; tries++ {
		districts := domain.RegionChildren(regencies[r.IntN(len(regencies))].Code)
		if len(districts) == 0 {
			continue
		}
		villages := domain.RegionChildren(districts[r.IntN(len(districts))].Code)
		if len(villages) > 0 {
			return villages[r.IntN(len(villages))].Code
		}
	}
	return "3201011001" // a province without village codes: Bogor
}

// pushSink turns each batch of generated records into a device's changes
// (every field, one version per record) and sends them to be pushed. A
// graduation issues its certificate in the same batch, numbered with the
// device's centre code and number, as the PC's store does
// (store/certificates.go).
type pushSink struct {
	dev     central.Device
	send    func([]domain.Change) error
	seq     int64
	wall    int64
	counter int64
	random  *rand.ChaCha8     // check codes, seeded: runs agree
	fields  map[string]string // programme id → field code
	cohorts map[string]string // cohort id → programme id
	seqs    map[string]int    // certificate prefix → last sequence
}

// certificate is the certificate graduating en issues, nil when en is not
// a graduation.
func (p *pushSink) certificate(en *domain.Enrollment) (*domain.Certificate, error) {
	if en.Status != domain.EnrollmentCompleted {
		return nil, nil
	}
	issued := en.CertificateDate
	if issued == "" {
		issued = en.CompletedOn
	}
	year, _ := strconv.Atoi(issued[:min(4, len(issued))])
	prefix := domain.CertificatePrefix(p.dev.CentreCode, p.fields[p.cohorts[en.CohortID]], year, strconv.FormatInt(p.dev.No, 10))
	p.seqs[prefix]++
	code, err := domain.NewCertificateCode(p.random)
	if err != nil {
		return nil, err
	}
	c := &domain.Certificate{EnrollmentID: en.ID, Number: domain.CertificateNumber(prefix, p.seqs[prefix]), Code: code, IssuedOn: issued}
	c.ID = domain.NaturalID("certificate", p.dev.CentreID, c.Number)
	en.CertificateNo, en.CertificateDate = c.Number, c.IssuedOn
	return c, nil
}

func (p *pushSink) Batch(ctx context.Context, fn func(save func(domain.Record) error) error) error {
	var changes []domain.Change
	var add func(rec domain.Record) error
	add = func(rec domain.Record) error {
		t := domain.TableOf(rec)
		rec.Base().CentreID = p.dev.CentreID
		domain.Normalize(rec)
		p.seq++
		if domain.AssignNaturalID(rec); rec.Base().ID == "" {
			// as a PC's store gives one, but derived, so runs agree
			rec.Base().ID = domain.NaturalID("demo-record", p.dev.ID, strconv.FormatInt(p.seq, 10))
		}
		var cert *domain.Certificate
		switch r := rec.(type) {
		case *domain.Programme:
			p.fields[r.ID] = r.FieldCode
		case *domain.Cohort:
			p.cohorts[r.ID] = r.ProgrammeID
		case *domain.Enrollment:
			var err error
			if cert, err = p.certificate(r); err != nil {
				return err
			}
		}
		f := make(domain.FieldValues, len(t.DataFields()))
		for _, fd := range t.DataFields() {
			f[fd.Name] = fd.Get(rec)
		}
		changes = append(changes, domain.Change{Seq: p.seq, Table: t.Name, ID: rec.Base().ID, Clock: p.clock(), Fields: f})
		if cert != nil {
			return add(cert)
		}
		return nil
	}
	err := fn(add)
	if err != nil || len(changes) == 0 {
		return err
	}
	return p.send(changes)
}

// clock gives every change a later hybrid clock, as a PC's store does.
func (p *pushSink) clock() domain.Clock {
	now := time.Now().UnixMilli()
	if now > p.wall {
		p.wall, p.counter = now, 0
	} else if p.counter++; p.counter >= 1<<16 {
		p.wall, p.counter = p.wall+1, 0
	}
	return domain.MakeClock(p.wall, p.counter)
}
