package dashboard

import (
	"net/http"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/domain"
)

// tracerView is a tracer summary as the outcomes page shows it: each wave
// with its response (traced ÷ due) and the match of jobs to the field.
type tracerView struct {
	Graduates, Traced     int
	Waves                 []domain.WaveRate
	Yes, Partly, No, Said int // Said: those working who said whether the job matches
}

type provinceTracerView struct {
	Code, Name string
	tracerView
}

func viewOf(s domain.TracerSummary) tracerView {
	return tracerView{Graduates: s.Graduates, Traced: s.Traced, Waves: s.Waves,
		Yes: s.MatchYes, Partly: s.MatchPartly, No: s.MatchNo, Said: s.MatchYes + s.MatchPartly + s.MatchNo}
}

// tracerData is the outcomes page's tracer section.
type tracerData struct {
	National  tracerView
	Provinces []provinceTracerView
}

// tracer loads the tracer report through the cache; ok is false when the
// storage cannot report it (the section is then left out).
func (d *Dashboard) tracer(r *http.Request, p *page) (*tracerData, error) {
	tr, ok := d.rd.(central.TracerReporter)
	if !ok {
		return nil, nil
	}
	// The analytics tables' last refresh when there was one: the report
	// reads every graduate and answer of the country.
	var rep central.TracerReport
	var at time.Time
	var err error
	if d.an != nil {
		rep, at, err = d.an.KeptTracerReport(r.Context())
	}
	if err == nil && at.IsZero() {
		rep, at, err = cached(d.cache, "tracer", func() (central.TracerReport, error) { return tr.TracerReport(r.Context(), p.Now) })
	}
	p.seen(at)
	if err != nil {
		return nil, err
	}
	out := &tracerData{National: viewOf(rep.National)}
	for _, pr := range rep.Provinces {
		name := pr.Name
		if pr.Code == "" || name == "" {
			name = p.T("tracerweb.province.unknown")
		}
		out.Provinces = append(out.Provinces, provinceTracerView{Code: pr.Code, Name: name, tracerView: viewOf(pr.TracerSummary)})
	}
	return out, nil
}
