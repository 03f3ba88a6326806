package dashboard

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// metrics writes the server's counters in the Prometheus text exposition
// format (version 0.0.4). Gauges only: every figure is read from the
// database on each scrape, so restarts lose nothing.
func (d *Dashboard) metrics(w http.ResponseWriter, r *http.Request) {
	if d.rep == nil {
		http.Error(w, "storage does not support reports", http.StatusInternalServerError)
		return
	}
	m, err := d.rep.Metrics(r.Context())
	if err != nil {
		d.opts.Log.Error("metrics", "err", err)
		http.Error(w, "metrics unavailable", http.StatusInternalServerError)
		return
	}
	var b strings.Builder
	gauge := func(name, help string) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name)
	}
	gauge("blk_centres", "Registered centres.")
	fmt.Fprintf(&b, "blk_centres %d\n", m.Centres)
	gauge("blk_devices", "Enrolled PCs by state.")
	fmt.Fprintf(&b, "blk_devices{state=\"active\"} %d\nblk_devices{state=\"revoked\"} %d\n", m.Devices, m.Revoked)
	gauge("blk_records", "Live (not deleted) records per table.")
	tables := make([]string, 0, len(m.Records))
	for t := range m.Records {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	for _, t := range tables {
		fmt.Fprintf(&b, "blk_records{table=%q} %d\n", t, m.Records[t])
	}
	gauge("blk_conflicts", "Same-field conflicts kept, all centres.")
	fmt.Fprintf(&b, "blk_conflicts %d\n", m.Conflicts)
	gauge("blk_rejections", "Pushed changes the server refused, all centres.")
	fmt.Fprintf(&b, "blk_rejections %d\n", m.Rejections)
	gauge("blk_last_push_timestamp_seconds", "Unix time of the latest push from any PC (0: never).")
	last := int64(0)
	if !m.LastPush.IsZero() {
		last = m.LastPush.Unix()
	}
	fmt.Fprintf(&b, "blk_last_push_timestamp_seconds %d\n", last)
	gauge("blk_dashboard_users", "Dashboard logins.")
	fmt.Fprintf(&b, "blk_dashboard_users %d\n", m.DashboardUser)
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(b.String()))
}
