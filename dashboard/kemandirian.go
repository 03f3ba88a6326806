package dashboard

import (
	"net/http"
	"sort"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
)

// levels of the road map in the order the pages show them.
var levels = []string{domain.LevelTumbuh, domain.LevelBerkembang, domain.LevelMandiri}

type levelCount struct {
	Level string
	Count int
}

type provinceLevels struct {
	Province string
	Counts   []int // per levels
	Total    int
}

type kemData struct {
	Total     int
	Levels    []levelCount
	Max       int
	Provinces []provinceLevels
	Short     []central.KemandirianRow
}

// kemandirian is /dashboard/kemandirian: how many centres are at each level
// of the road map, nationally and by province, and the centres one
// criterion short of the next level.
func (d *Dashboard) kemandirian(w http.ResponseWriter, r *http.Request, p *page) {
	if d.kem == nil {
		d.fail(w, r, p, http.StatusNotImplemented, "web.err.noreports")
		return
	}
	rows, at, err := cached(d.cache, "kemandirian", func() ([]central.KemandirianRow, error) { return d.kem.KemandirianLevels(r.Context()) })
	p.seen(at)
	if err != nil {
		d.failErr(w, r, p, err)
		return
	}
	data := kemData{Total: len(rows)}
	idx := map[string]int{}
	for i, l := range levels {
		idx[l] = i
		data.Levels = append(data.Levels, levelCount{Level: l})
	}
	byProv := map[string]*provinceLevels{}
	for _, row := range rows {
		i := idx[row.Level]
		data.Levels[i].Count++
		pl := byProv[row.Province]
		if pl == nil {
			pl = &provinceLevels{Province: row.Province, Counts: make([]int, len(levels))}
			byProv[row.Province] = pl
		}
		pl.Counts[i]++
		pl.Total++
		if row.ShortOf {
			data.Short = append(data.Short, row)
		}
	}
	for _, l := range data.Levels {
		data.Max = max(data.Max, l.Count)
	}
	for _, pl := range byProv {
		data.Provinces = append(data.Provinces, *pl)
	}
	sort.Slice(data.Provinces, func(i, j int) bool { return data.Provinces[i].Province < data.Provinces[j].Province })
	p.Data = data
	d.render(w, r, "kemandirian", p, http.StatusOK)
}

// kemandirianExport is the national table as a csv or xlsx download.
func (d *Dashboard) kemandirianExport(format string) func(http.ResponseWriter, *http.Request, *page) {
	return func(w http.ResponseWriter, r *http.Request, p *page) {
		if d.kem == nil {
			d.fail(w, r, p, http.StatusNotImplemented, "web.err.noreports")
			return
		}
		ct := "text/csv; charset=utf-8"
		if format == "xlsx" {
			ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Disposition", `attachment; filename="kemandirian.`+format+`"`)
		if err := d.kem.ExportKemandirian(r.Context(), format, w); err != nil {
			d.opts.Log.Error("kemandirian export", "err", err)
		}
	}
}

// Level is a road-map level's name in the page's language.
func (p *page) Level(code string) string { return p.T("kemandirian.level." + code) }

// Criterion is a criterion's short name in the page's language.
func (p *page) Criterion(code string) string { return p.T("kemandirian.short." + code) }

// Note is an assessment's sentence in the page's language.
func (p *page) Note(n domain.Note) string { return n.Text(p.Lang) }
