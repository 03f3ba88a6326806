package central

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/kemnaker/blk/domain"
)

// checkSummaries compares every figure the dashboard reads from the
// summary tables with the same figure computed from scratch by scanning the
// records (summary_scan_test.go), and the summary tables with a rebuild.
func checkSummaries(t *testing.T, s *sqlStorage, step string) {
	t.Helper()
	ctx := context.Background()
	now := s.now()
	same := func(what string, got, want any, err1, err2 error) {
		t.Helper()
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %s: %v / %v", step, what, err1, err2)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %s from the summaries differs from a scan:\n got %+v\nwant %+v", step, what, got, want)
		}
	}
	cs1, e1 := s.CentreSummaries(ctx, now, time.Hour)
	cs2, e2 := s.scanCentreSummaries(ctx, now, time.Hour)
	same("centre summaries", cs1, cs2, e1, e2)
	p1, e1 := s.ByProvince(ctx)
	p2, e2 := s.scanByProvince(ctx)
	same("by province", p1, p2, e1, e2)
	f1, e1 := s.ByField(ctx)
	f2, e2 := s.scanByField(ctx)
	same("by field", f1, f2, e1, e2)
	o1, e1 := s.OutcomesByCentre(ctx)
	o2, e2 := s.scanOutcomesByCentre(ctx)
	same("outcomes by centre", o1, o2, e1, e2)
	q1, e1 := s.DataQuality(ctx, "", now)
	q2, e2 := s.scanDataQuality(ctx, "", now)
	same("data quality", q1, q2, e1, e2)
	d1, e1 := s.Duplicates(ctx, "")
	d2, e2 := s.scanDuplicates(ctx, "")
	same("duplicates", d1, d2, e1, e2)
	total, across, e1 := s.DuplicateCounts(ctx)
	wantAcross := 0
	for _, d := range d2 {
		for _, c := range d.Centres {
			if c != d.Centres[0] {
				wantAcross++
				break
			}
		}
	}
	same("duplicate counts", [2]int{total, across}, [2]int{len(d2), wantAcross}, e1, nil)
	for _, c := range append([]CentreSummary{{}}, cs2...) {
		n1, e1 := s.Outcomes(ctx, c.ID)
		n2, e2 := s.scanOutcomes(ctx, c.ID)
		same("outcomes of "+c.ID, n1, n2, e1, e2)
		if c.ID == "" {
			continue
		}
		q1, e1 := s.DataQuality(ctx, c.ID, now)
		q2, e2 := s.scanDataQuality(ctx, c.ID, now)
		same("data quality of "+c.ID, q1, q2, e1, e2)
		d1, e1 := s.Duplicates(ctx, c.ID)
		d2, e2 := s.scanDuplicates(ctx, c.ID)
		same("duplicates of "+c.ID, d1, d2, e1, e2)
	}
	checkAnalytics(t, s, step)
	before := summaryTables(t, s)
	if err := RebuildSummaries(ctx, s); err != nil {
		t.Fatal(err)
	}
	if after := summaryTables(t, s); after != before {
		t.Errorf("%s: the summary tables kept on write differ from a rebuild:\n kept %s\nbuilt %s", step, before, after)
	}
}

// checkAnalytics refreshes the analytics tables and compares every figure
// the dashboard reads from them with the same figure computed by scanning
// the records, and the duplicates page's pages with the whole list.
func checkAnalytics(t *testing.T, s *sqlStorage, step string) {
	t.Helper()
	ctx := context.Background()
	now := s.now()
	if err := s.RefreshAnalytics(ctx, now); err != nil {
		t.Fatalf("%s: refresh analytics: %v", step, err)
	}
	same := func(what string, got, want any, at time.Time, err1, err2 error) {
		t.Helper()
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %s: %v / %v", step, what, err1, err2)
		}
		if !at.Equal(time.UnixMilli(now.UnixMilli())) {
			t.Errorf("%s: %s: as of %v, want %v", step, what, at, now)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %s from the analytics tables differs from a scan:\n got %+v\nwant %+v", step, what, got, want)
		}
	}
	// The kept list puts NIKs held in several centres first; the scan is
	// by NIK.
	byNIK := func(ds []Duplicate) []Duplicate {
		out := append([]Duplicate(nil), ds...)
		sort.Slice(out, func(i, j int) bool { return out[i].NIK < out[j].NIK })
		return out
	}
	d2, e2 := s.scanDuplicates(ctx, "")
	d1, at, e1 := s.KeptDuplicates(ctx, "", 0, 0)
	same("duplicates", byNIK(d1), d2, at, e1, e2)
	for i := 1; i < len(d1); i++ {
		if across(d1[i]) && !across(d1[i-1]) {
			t.Errorf("%s: duplicates: %s across centres after %s within one", step, d1[i].NIK, d1[i-1].NIK)
		}
	}
	var paged []Duplicate
	for off := 0; ; off += 2 {
		p, _, err := s.KeptDuplicates(ctx, "", off, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(p) == 0 {
			break
		}
		paged = append(paged, p...)
	}
	same("duplicates two at a time", paged, d1, at, nil, nil)
	wantAcross := 0
	for _, d := range d2 {
		if across(d) {
			wantAcross++
		}
	}
	total, acr, at, e1 := s.KeptDuplicateCounts(ctx)
	same("duplicate counts", [2]int{total, acr}, [2]int{len(d2), wantAcross}, at, e1, nil)
	q1, at, e1 := s.KeptDataQuality(ctx, "")
	q2, e2 := s.scanDataQuality(ctx, "", now)
	same("data quality", q1, q2, at, e1, e2)
	cs, err := s.Centres(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		q1, at, e1 := s.KeptDataQuality(ctx, c.ID)
		q2, e2 := s.scanDataQuality(ctx, c.ID, now)
		same("data quality of "+c.ID, q1, q2, at, e1, e2)
		d1, at, e1 := s.KeptDuplicates(ctx, c.ID, 0, 0)
		d2, e2 := s.scanDuplicates(ctx, c.ID)
		same("duplicates of "+c.ID, byNIK(d1), d2, at, e1, e2)
	}
	tr1, at, e1 := s.KeptTracerReport(ctx)
	tr2, e2 := s.TracerReport(ctx, now)
	j1, _ := json.Marshal(tr1)
	j2, _ := json.Marshal(tr2)
	same("tracer report", string(j1), string(j2), at, e1, e2)
	// The tables brought up to date run by run equal a rebuild.
	before := analyticsTables(t, s)
	if err := s.RebuildAnalytics(ctx, now); err != nil {
		t.Fatal(err)
	}
	if after := analyticsTables(t, s); after != before {
		t.Errorf("%s: the analytics tables refreshed run by run differ from a rebuild:\n kept %s\nbuilt %s", step, before, after)
	}
	// A refresh on a later day redoes every centre's tracer (the waves
	// fall due with the date), then the day after comes back.
	later := now.AddDate(1, 1, 0)
	for _, day := range []time.Time{later, now} {
		if err := s.RefreshAnalytics(ctx, day); err != nil {
			t.Fatal(err)
		}
		tr1, _, e1 := s.KeptTracerReport(ctx)
		tr2, e2 := s.TracerReport(ctx, day)
		j1, _ := json.Marshal(tr1)
		j2, _ := json.Marshal(tr2)
		same("tracer report on "+day.Format(time.DateOnly), string(j1), string(j2), time.UnixMilli(now.UnixMilli()), e1, e2)
	}
}

// analyticsTables is the analytics tables' content, in order.
func analyticsTables(t *testing.T, s *sqlStorage) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT nik, id, centre_id FROM dup_holders ORDER BY 1, 2`,
		`SELECT nik, holders || '/' || centres, across FROM dup_niks ORDER BY 1`,
		`SELECT centre_id, niks, '' FROM dup_centres ORDER BY 1`,
		`SELECT centre_id, code, body FROM tracer_parts ORDER BY 1, 2`,
		`SELECT a.centre_id, a.seq, c.last_seq FROM analytics_seen a JOIN centres c ON c.id = a.centre_id ORDER BY 1`,
	} {
		rows, err := s.ro.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var a, c, d string
			if err := rows.Scan(&a, &c, &d); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s|%s|%s\n", a, c, d)
		}
		rows.Close()
		b.WriteString("--\n")
	}
	return b.String()
}

func across(d Duplicate) bool {
	for _, c := range d.Centres {
		if c != d.Centres[0] {
			return true
		}
	}
	return false
}

// summaryTables is the summary tables' content, in order.
func summaryTables(t *testing.T, s *sqlStorage) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT centre_id, kind, code, n1, n2 FROM summary WHERE n1 <> 0 OR n2 <> 0 ORDER BY 1, 2, 3`,
		`SELECT id, centre_id, fields, 0, 0 FROM trainee_warnings ORDER BY 1`,
	} {
		rows, err := s.ro.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var a, c, d string
			var n1, n2 int64
			if err := rows.Scan(&a, &c, &d, &n1, &n2); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s|%s|%s|%d|%d\n", a, c, d, n1, n2)
		}
		rows.Close()
		b.WriteString("--\n")
	}
	return b.String()
}

func TestSummariesKeptOnWriteEqualAFromScratchComputation(t *testing.T) {
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			n := seedNation(t, s)
			seedVolume(t, s, 3, 30)
			checkSummaries(t, s, "after the first pushes")
			if err := RebuildSummaries(ctx, s); err != nil {
				t.Fatal(err)
			}

			b1 := deviceOf(t, s, n.b, "b1")
			a1 := deviceOf(t, s, n.a, "a1")
			edit := func(dev Device, table, id string, fields map[string]any) {
				t.Helper()
				dev = deviceOf(t, s, dev.CentreID, "")
				c := domain.Change{Seq: dev.AppliedSeq + 1, Table: table, ID: id, Clock: domain.MakeClock(time.Now().UnixMilli()+5000, 1), Fields: fields}
				r, err := s.Push(ctx, dev, []domain.Change{c})
				if err != nil || len(r.Rejections) > 0 {
					t.Fatalf("edit %s %s: %+v %v", table, id, r, err)
				}
			}
			// t4 takes another NIK: t1's NIK is no longer duplicated.
			edit(b1, "trainees", n.t4, map[string]any{"nik": domain.MakeNIK("350701", birth, false, 3), "sex": "L"})
			checkSummaries(t, s, "after a NIK changed")
			// ... and back, with a village in another province.
			edit(b1, "trainees", n.t4, map[string]any{"nik": n.nik, "village_code": "3301012001"})
			checkSummaries(t, s, "after the NIK came back")
			// t1 is deleted: its NIK is no longer duplicated, its
			// outcomes still count as the centre's.
			edit(a1, "trainees", n.t1, map[string]any{"deleted": true})
			checkSummaries(t, s, "after a trainee was deleted")

			// A later tracer answer, a graduation undone (enrollment),
			// a programme moved to another field.
			var enr, prog string
			if err := s.ro.QueryRow(s.q(`SELECT id FROM records WHERE tbl = 'enrollments' AND k1 = ?`), n.t4).Scan(&enr); err != nil {
				t.Fatal(err)
			}
			if err := s.ro.QueryRow(s.q(`SELECT id FROM records WHERE tbl = 'programmes' AND centre_no = `+centreNoOf), n.b).Scan(&prog); err != nil {
				t.Fatal(err)
			}
			o := &domain.Outcome{Meta: domain.Meta{ID: domain.NewID(), CentreID: n.b}, TraineeID: n.t4, SurveyedOn: "2025-09-01", Status: domain.OutcomeNotWorking}
			vals := domain.Values(o)
			delete(vals, "id")
			edit(b1, "outcomes", o.ID, vals)
			edit(b1, "enrollments", enr, map[string]any{"status": domain.EnrollmentActive, "completed_on": ""})
			edit(b1, "programmes", prog, map[string]any{"field_code": "LAS"})
			checkSummaries(t, s, "after an outcome, an enrollment and a programme changed")

			// A birth date the NIK contradicts (a warning), then fixed.
			var t3 string
			if err := s.ro.QueryRow(s.q(`SELECT id FROM records WHERE tbl = 'trainees' AND centre_no = `+centreNoOf+` AND id <> ? AND k1 = '3301012001'`), n.a, n.t1).Scan(&t3); err != nil {
				t.Fatal(err)
			}
			edit(a1, "trainees", t3, map[string]any{"birth_date": "1999-01-01"})
			checkSummaries(t, s, "after a warning appeared")

			// The conflict of seedNation is resolved.
			cs, err := s.Conflicts(ctx, n.a)
			if err != nil || len(cs) == 0 {
				t.Fatalf("conflicts: %v %v", cs, err)
			}
			if err := s.ResolveConflicts(ctx, a1, []string{cs[0].ID}); err != nil {
				t.Fatal(err)
			}
			checkSummaries(t, s, "after a conflict was resolved")

			// The ministry writes reference data: the field's name shows.
			if err := s.ImportReference(ctx, []domain.Record{&domain.VocationalField{Code: "JAH", NameID: "Menjahit", NameEN: "Sewing"}}); err != nil {
				t.Fatal(err)
			}
			checkSummaries(t, s, "after a server write")

			// Two centres register the same new person at the same moment.
			nik := domain.MakeNIK("737101", birth, true, 42)
			var wg gosync.WaitGroup
			for _, c := range []string{n.a, n.b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					dev := deviceOf(t, s, c, "")
					tr := &domain.Trainee{Meta: domain.Meta{ID: domain.NewID(), CentreID: c}, NIK: nik, Name: "Ayu Lestari", Sex: "P", BirthDate: "2001-08-17"}
					vals := domain.Values(tr)
					delete(vals, "id")
					_, err := s.Push(ctx, dev, []domain.Change{{Seq: dev.AppliedSeq + 1, Table: "trainees", ID: tr.ID, Clock: domain.MakeClock(time.Now().UnixMilli(), 1), Fields: vals}})
					if err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			checkSummaries(t, s, "after two centres added the same NIK at once")
			d, err := s.Duplicates(ctx, n.a)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, x := range d {
				found = found || (x.NIK == nik && len(x.Trainees) == 2)
			}
			if !found {
				t.Errorf("the NIK both centres added at once is not listed as duplicated: %+v", d)
			}

			// Three more centres add the same person at once (a NIK two
			// others hold already: shared locks), then one of the first
			// two deletes theirs (a holder leaving: exclusive).
			all, err := s.Centres(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var more []string
			for _, c := range all {
				if c.ID != "" && c.ID != n.a && c.ID != n.b && c.ID != n.c {
					more = append(more, c.ID)
				}
			}
			ids := map[string]string{}
			var mu gosync.Mutex
			for _, c := range more {
				wg.Add(1)
				go func() {
					defer wg.Done()
					dev := deviceOf(t, s, c, "")
					tr := &domain.Trainee{Meta: domain.Meta{ID: domain.NewID(), CentreID: c}, NIK: nik, Name: "Ayu Lestari", Sex: "P", BirthDate: "2001-08-17"}
					vals := domain.Values(tr)
					delete(vals, "id")
					if _, err := s.Push(ctx, dev, []domain.Change{{Seq: dev.AppliedSeq + 1, Table: "trainees", ID: tr.ID, Clock: domain.MakeClock(time.Now().UnixMilli(), 1), Fields: vals}}); err != nil {
						t.Error(err)
					}
					mu.Lock()
					ids[c] = tr.ID
					mu.Unlock()
				}()
			}
			wg.Wait()
			checkSummaries(t, s, "after three more centres added a NIK two held")
			if d, err := s.Duplicates(ctx, ""); err != nil || len(d) == 0 {
				t.Fatal(err)
			}
			c0 := more[0]
			edit(deviceOf(t, s, c0, ""), "trainees", ids[c0], map[string]any{"deleted": true})
			checkSummaries(t, s, "after one of five holders left")
		})
	}
}

// deviceOf is the centre's device named name as the server holds it now
// (its applied seq included); "" takes the first.
func deviceOf(t *testing.T, s *sqlStorage, centre, name string) Device {
	t.Helper()
	devs, err := s.Devices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range devs {
		if d.CentreID == centre && (name == "" || d.ID == devID(name)) {
			return d
		}
	}
	t.Fatalf("no device %q at centre %s", name, centre)
	return Device{}
}

// TestSummaryMigrationFillsAnOldDatabase turns a database back into the
// layout made before the summary tables (schema version 2) and opens it:
// the upgrade fills them (after its last migration, from the records in
// their last layout).
func TestSummaryMigrationFillsAnOldDatabase(t *testing.T) {
	for name, s := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			seedNation(t, s)
			want := summaryTables(t, s)
			toLayout(t, s, 2)
			for _, tb := range []string{"summary", "trainee_warnings"} {
				if _, err := s.rw.Exec(`DROP TABLE ` + tb); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if got := summaryTables(t, s); got != want {
				t.Errorf("after the migration:\n got %s\nwant %s", got, want)
			}
			checkSummaries(t, s, "after the migration")
		})
	}
}
