package dashboard

import (
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
)

// summaries, nationalOutcomes and allDuplicates are the national figures
// several pages share, through the cache.
func (d *Dashboard) summaries(r *http.Request, p *page) ([]central.CentreSummary, error) {
	v, at, err := cached(d.cache, "summaries", func() ([]central.CentreSummary, error) {
		return d.rep.CentreSummaries(r.Context(), p.Now, d.opts.StaleAfter)
	})
	p.seen(at)
	return v, err
}

func (d *Dashboard) nationalOutcomes(r *http.Request, p *page) (central.OutcomeSummary, error) {
	v, at, err := cached(d.cache, "outcomes", func() (central.OutcomeSummary, error) { return d.rep.Outcomes(r.Context(), "") })
	p.seen(at)
	return v, err
}

func (d *Dashboard) allDuplicates(r *http.Request, p *page) ([]central.Duplicate, error) {
	v, at, err := cached(d.cache, "duplicates", func() ([]central.Duplicate, error) { return d.rd.Duplicates(r.Context(), "") })
	p.seen(at)
	return v, err
}

type overviewData struct {
	Centres          []central.CentreSummary
	Active, Stale    int
	Devices          int
	Trainees         int
	Graduates        int
	Outcomes         central.OutcomeSummary
	Duplicates       int
	DuplicatesAcross int
}

func (d *Dashboard) overview(w http.ResponseWriter, r *http.Request, p *page) {
	cs, err := d.summaries(r, p)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	out, err := d.nationalOutcomes(r, p)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	// Counted, not listed: the list is the duplicates page's. The
	// analytics tables' last refresh when there was one (analytics.go).
	type dupCounts struct{ total, across int }
	var dc dupCounts
	var at time.Time
	if d.an != nil {
		dc.total, dc.across, at, err = d.an.KeptDuplicateCounts(r.Context())
	}
	if err == nil && at.IsZero() {
		dc, at, err = cached(d.cache, "duplicate-counts", func() (dupCounts, error) {
			t, a, err := d.rep.DuplicateCounts(r.Context())
			return dupCounts{t, a}, err
		})
	}
	p.seen(at)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	// A copy: the cached slice is shared with other requests.
	data := overviewData{Centres: append([]central.CentreSummary(nil), cs...), Outcomes: out, Duplicates: dc.total, DuplicatesAcross: dc.across}
	for _, c := range cs {
		if c.Stale {
			data.Stale++
		} else {
			data.Active++
		}
		data.Devices += c.Devices
		data.Trainees += c.Trainees
		data.Graduates += c.Graduates
	}
	// Stale centres first: they are what the ministry has to chase.
	sort.SliceStable(data.Centres, func(i, j int) bool { return data.Centres[i].Stale && !data.Centres[j].Stale })
	p.Data = data
	d.render(w, r, "overview", p, http.StatusOK)
}

type breakdownData struct {
	Heading   string // label key of the first column
	Rows      []central.Breakdown
	Max       int
	Trainees  int
	Graduates int
}

func breakdown(heading string, rows []central.Breakdown) breakdownData {
	b := breakdownData{Heading: heading, Rows: rows}
	for _, r := range rows {
		b.Max = max(b.Max, r.Trainees)
		b.Trainees += r.Trainees
		b.Graduates += r.Graduates
	}
	return b
}

func (d *Dashboard) province(w http.ResponseWriter, r *http.Request, p *page) {
	rows, at, err := cached(d.cache, "province", func() ([]central.Breakdown, error) { return d.rep.ByProvince(r.Context()) })
	p.seen(at)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	p.Data = breakdown("province", rows)
	d.render(w, r, "province", p, http.StatusOK)
}

func (d *Dashboard) field(w http.ResponseWriter, r *http.Request, p *page) {
	rows, at, err := cached(d.cache, "field", func() ([]central.Breakdown, error) { return d.rep.ByField(r.Context()) })
	p.seen(at)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	p.Data = breakdown("field", rows)
	d.render(w, r, "field", p, http.StatusOK)
}

type outcomeRow struct {
	Status string
	Count  int
}

type outcomesData struct {
	Sum     central.OutcomeSummary
	Rows    []outcomeRow
	Max     int
	Centres []centreOutcome
	Tracer  *tracerData // nil when the storage has no tracer report
}

type centreOutcome struct {
	Centre central.CentreSummary
	Sum    central.OutcomeSummary
}

// outcomeOrder is the tracer's statuses in the order people read them.
var outcomeOrder = []string{"employed", "self_employed", "studying", "not_working"}

func outcomeRows(sum central.OutcomeSummary) ([]outcomeRow, int) {
	var rows []outcomeRow
	mx := 0
	seen := map[string]bool{}
	for _, st := range outcomeOrder {
		rows = append(rows, outcomeRow{st, sum.ByStatus[st]})
		seen[st] = true
		mx = max(mx, sum.ByStatus[st])
	}
	var other []string
	for st := range sum.ByStatus {
		if !seen[st] {
			other = append(other, st)
		}
	}
	sort.Strings(other)
	for _, st := range other {
		rows = append(rows, outcomeRow{st, sum.ByStatus[st]})
		mx = max(mx, sum.ByStatus[st])
	}
	return rows, mx
}

func (d *Dashboard) outcomes(w http.ResponseWriter, r *http.Request, p *page) {
	ctx := r.Context()
	sum, err := d.nationalOutcomes(r, p)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	cs, err := d.summaries(r, p)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	data := outcomesData{Sum: sum}
	data.Rows, data.Max = outcomeRows(sum)
	by, at, err := cached(d.cache, "outcomes-by-centre", func() (map[string]central.OutcomeSummary, error) { return d.rep.OutcomesByCentre(ctx) })
	p.seen(at)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	for _, c := range cs {
		o := by[c.ID]
		if o.ByStatus == nil {
			o.ByStatus = map[string]int{}
		}
		data.Centres = append(data.Centres, centreOutcome{c, o})
	}
	if data.Tracer, err = d.tracer(r, p); err != nil {
		d.failErr(w, r, p, err)
		return
	}
	p.Data = data
	d.render(w, r, "outcomes", p, http.StatusOK)
}

type dupRecord struct {
	TraineeID, Name, CentreID, Centre string
}

type dupRow struct {
	NIK     string
	Across  bool
	Records []dupRecord
}

type duplicatesData struct {
	Rows   []dupRow
	Across int
	// Paged (from the analytics tables): Total and TotalAcross count every
	// duplicated NIK, Rows are those from First (1-based) to Last; Prev
	// and Next are the neighbour pages' numbers (0: none).
	Paged              bool
	Total, TotalAcross int
	First, Last        int
	Prev, Next         int
}

// dupPageSize is how many NIKs the duplicates page lists at a time.
const dupPageSize = 200

func across(dp central.Duplicate) bool {
	for _, c := range dp.Centres {
		if c != dp.Centres[0] {
			return true
		}
	}
	return false
}

func (d *Dashboard) centreNames(r *http.Request) (map[string]string, error) {
	cs, err := d.rd.Centres(r.Context())
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(cs))
	for _, c := range cs {
		m[c.ID] = c.Name
	}
	return m, nil
}

// duplicateRows names the trainees and centres of duplicates, those across
// centres first.
func (d *Dashboard) duplicateRows(r *http.Request, dups []central.Duplicate) ([]dupRow, error) {
	names, err := d.centreNames(r)
	if err != nil {
		return nil, err
	}
	return d.namedDuplicateRows(r, dups, names)
}

// namedDuplicateRows is duplicateRows with the centres' names at hand.
func (d *Dashboard) namedDuplicateRows(r *http.Request, dups []central.Duplicate, names map[string]string) ([]dupRow, error) {
	var ids []string
	for _, dp := range dups {
		ids = append(ids, dp.Trainees...)
	}
	people, err := d.rep.TraineeNames(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	rows := make([]dupRow, 0, len(dups))
	for _, dp := range dups {
		row := dupRow{NIK: dp.NIK, Across: across(dp)}
		for i, id := range dp.Trainees {
			row.Records = append(row.Records, dupRecord{TraineeID: id, Name: people[id], CentreID: dp.Centres[i], Centre: names[dp.Centres[i]]})
		}
		rows = append(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Across && !rows[j].Across })
	return rows, nil
}

func (d *Dashboard) duplicates(w http.ResponseWriter, r *http.Request, p *page) {
	if d.an != nil {
		total, across, at, err := d.an.KeptDuplicateCounts(r.Context())
		if err != nil {
			d.failErr(w, r, p, err)
			return
		}
		if !at.IsZero() {
			d.keptDuplicates(w, r, p, total, across, at)
			return
		}
	}
	dups, err := d.allDuplicates(r, p)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	rows, err := d.duplicateRows(r, dups)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	data := duplicatesData{Rows: rows}
	for _, row := range rows {
		if row.Across {
			data.Across++
		}
	}
	p.Data = data
	d.render(w, r, "duplicates", p, http.StatusOK)
}

// keptDuplicates is the duplicates page from the analytics tables, a page
// of dupPageSize NIKs at a time (?page=N): at national size there are
// tens of thousands.
func (d *Dashboard) keptDuplicates(w http.ResponseWriter, r *http.Request, p *page, total, across int, at time.Time) {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	pages := max(1, (total+dupPageSize-1)/dupPageSize)
	n = min(max(n, 1), pages)
	dups, at2, err := d.an.KeptDuplicates(r.Context(), "", (n-1)*dupPageSize, dupPageSize)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	p.seen(at)
	p.seen(at2)
	rows, err := d.duplicateRows(r, dups)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	data := duplicatesData{Rows: rows, Paged: true, Total: total, TotalAcross: across}
	for _, row := range rows {
		if row.Across {
			data.Across++
		}
	}
	if len(rows) > 0 {
		data.First = (n-1)*dupPageSize + 1
		data.Last = data.First + len(rows) - 1
	}
	if n > 1 {
		data.Prev = n - 1
	}
	if n < pages {
		data.Next = n + 1
	}
	p.Data = data
	d.render(w, r, "duplicates", p, http.StatusOK)
}

type fieldCount struct {
	Field string
	Count int
}

type qualityRow struct {
	central.Quality
	Fields []fieldCount
}

func qualityRows(qs []central.Quality) []qualityRow {
	out := make([]qualityRow, 0, len(qs))
	for _, q := range qs {
		row := qualityRow{Quality: q}
		for f, n := range q.WarningsByField {
			row.Fields = append(row.Fields, fieldCount{f, n})
		}
		sort.Slice(row.Fields, func(i, j int) bool {
			if row.Fields[i].Count != row.Fields[j].Count {
				return row.Fields[i].Count > row.Fields[j].Count
			}
			return row.Fields[i].Field < row.Fields[j].Field
		})
		out = append(out, row)
	}
	// The centres with most problems first.
	score := func(q central.Quality) int { return q.OpenConflicts + q.Rejections + q.WithWarnings + q.DuplicateNIKs }
	sort.SliceStable(out, func(i, j int) bool { return score(out[i].Quality) > score(out[j].Quality) })
	return out
}

func (d *Dashboard) quality(w http.ResponseWriter, r *http.Request, p *page) {
	var qs []central.Quality
	var at time.Time
	var err error
	if d.an != nil {
		qs, at, err = d.an.KeptDataQuality(r.Context(), "")
	}
	if err == nil && at.IsZero() {
		qs, at, err = cached(d.cache, "quality", func() ([]central.Quality, error) { return d.rep.DataQuality(r.Context(), "", p.Now) })
	}
	p.seen(at)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	p.Data = qualityRows(qs)
	d.render(w, r, "quality", p, http.StatusOK)
}

type centreData struct {
	Summary    central.CentreSummary
	Devices    []central.Device
	Outcomes   central.OutcomeSummary
	OutRows    []outcomeRow
	OutMax     int
	Quality    qualityRow
	Duplicates []dupRow
	// Kemandirian is the centre's road-map assessment (nil without a
	// KemandirianReporter).
	Kemandirian *domain.KemandirianAssessment
}

func (d *Dashboard) centre(w http.ResponseWriter, r *http.Request, p *page) {
	ctx := r.Context()
	id := r.PathValue("id")
	cs, err := d.summaries(r, p)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	var data centreData
	found := false
	for _, c := range cs {
		if c.ID == id {
			data.Summary, found = c, true
		}
	}
	if !found {
		d.fail(w, r, p, http.StatusNotFound, "web.err.notfound")
		return
	}
	devs, err := d.rd.Devices(ctx)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	for _, dv := range devs {
		if dv.CentreID == id {
			data.Devices = append(data.Devices, dv)
		}
	}
	if data.Outcomes, err = d.rep.Outcomes(ctx, id); err != nil {
		d.failErr(w, r, p, err)
		return
	}
	data.OutRows, data.OutMax = outcomeRows(data.Outcomes)
	// The centre's duplicated NIKs as of the analytics tables' last
	// refresh when there was one: reading them live groups the whole
	// country's nik index.
	var qs []central.Quality
	var dups []central.Duplicate
	var at time.Time
	if d.an != nil {
		if qs, at, err = d.an.KeptDataQuality(ctx, id); err == nil && !at.IsZero() {
			dups, at, err = d.an.KeptDuplicates(ctx, id, 0, 0)
		}
	}
	if err == nil && at.IsZero() {
		if qs, err = d.rep.DataQuality(ctx, id, p.Now); err == nil {
			dups, err = d.rd.Duplicates(ctx, id)
		}
	} else if err == nil {
		p.seen(at)
	}
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	for _, q := range qualityRows(qs) {
		if q.CentreID == id {
			data.Quality = q
		}
	}
	// The centres' names are in the summaries read above: no second
	// read of every centre.
	names := make(map[string]string, len(cs))
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	if data.Duplicates, err = d.namedDuplicateRows(r, dups, names); err != nil {
		d.failErr(w, r, p, err)
		return
	}
	if d.kem != nil {
		a, err := d.kem.Kemandirian(ctx, id)
		if err != nil {
			d.failErr(w, r, p, err)
			return
		}
		data.Kemandirian = &a
	}
	p.Data = data
	d.render(w, r, "centre", p, http.StatusOK)
}
