package sync_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/pprof"
	"sort"
	"strconv"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/demo"
	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/store"
	blksync "github.com/kemnaker/blk/sync"
	syncserver "github.com/kemnaker/blk/sync/server"
	"github.com/kemnaker/blk/sync/wire"
)

// counting counts the body bytes a client sends and receives (gzip, as on
// the wire, headers excluded).
type counting struct {
	sent, recv atomic.Int64
	next       http.RoundTripper
}

type countBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b countBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func (c *counting) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.ContentLength > 0 {
		c.sent.Add(r.ContentLength)
	}
	resp, err := c.next.RoundTrip(r)
	if err == nil {
		resp.Body = countBody{resp.Body, &c.recv}
	}
	return resp, err
}

func benchTrainees() int {
	if v, err := strconv.Atoi(os.Getenv("BLK_BENCH_TRAINEES")); err == nil && v > 0 {
		return v
	}
	return 2000
}

// fillCentre gives the PC a centre profile and n trainees of demo data
// (cohorts, enrollments, attendance, results, outcomes, partners, funding).
func fillCentre(b *testing.B, s *store.Store, n int) {
	ctx := context.Background()
	c := &domain.Centre{Name: "BLK Besar", HostType: "pesantren", VillageCode: "3201011001"}
	c.ID = s.CentreID()
	if _, err := s.Save(ctx, c); err != nil {
		b.Fatal(err)
	}
	if _, err := demo.Generate(ctx, s, demo.Options{Trainees: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
}

// csvGzipSize is the gzip size of every synced record of the PC as plain
// CSV (one file per table, all fields), the yardstick for bytes on the wire.
func csvGzipSize(b *testing.B, s *store.Store) int {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	w := csv.NewWriter(zw)
	for _, t := range domain.Tables {
		if t.Reference {
			continue
		}
		err := s.EachRecord(context.Background(), t.Name, func(r domain.Record) error {
			row := make([]string, 0, len(t.Fields))
			for _, f := range t.Fields {
				row = append(row, fmt.Sprint(f.Get(r)))
			}
			return w.Write(row)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	w.Flush()
	zw.Close()
	return buf.Len()
}

// profilePush starts a CPU profile of the initial push alone (client and
// server, both in this process) when BLK_BENCH_CPUPROFILE names a file
// prefix: PREFIX-sqlite.pprof, PREFIX-postgres.pprof. go test's own
// -cpuprofile would mostly show the demo that fills the PC.
func profilePush(b *testing.B, kind string) (stop func()) {
	prefix := os.Getenv("BLK_BENCH_CPUPROFILE")
	if prefix == "" {
		return func() {}
	}
	f, err := os.Create(prefix + "-" + kind + ".pprof")
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInitialPushAndEnrolDownload(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			if kind == "postgres" && os.Getenv("BLK_TEST_POSTGRES") == "" {
				b.Skip("needs BLK_TEST_POSTGRES")
			}
			n := benchTrainees()
			for i := 0; i < b.N; i++ {
				ctx := context.Background()
				st := openBackend(b, kind)
				url := startServer(b, st)
				centre := addCentre(b, st, "BLK Besar")
				cnt := &counting{next: http.DefaultTransport}
				pc1 := enrolDevice(b, st, url, centre, "pc1", blksync.WithHTTPClient(&http.Client{Transport: cnt}))
				fillCentre(b, pc1.st, n)
				changes, _ := pc1.st.PendingCount(ctx)
				cnt.sent.Store(0)
				cnt.recv.Store(0)
				stopProfile := profilePush(b, kind)
				start := time.Now()
				res := mustRound(b, pc1)
				push := time.Since(start)
				stopProfile()
				wire := cnt.sent.Load() + cnt.recv.Load()
				csvSize := csvGzipSize(b, pc1.st)
				b.ReportMetric(float64(res.Pushed)/push.Seconds(), "changes/s")
				b.ReportMetric(float64(wire)/float64(changes), "wire-B/change")
				b.ReportMetric(float64(wire)/float64(csvSize), "x-csv-gzip")

				cnt2 := &counting{next: http.DefaultTransport}
				start = time.Now()
				pc2 := enrolDevice(b, st, url, centre, "pc2", blksync.WithHTTPClient(&http.Client{Transport: cnt2}))
				dl := time.Since(start)
				if c, _ := pc2.st.Count(ctx, domain.LookupTable("trainees"), store.Query{}); c != n {
					b.Fatalf("downloaded %d of %d", c, n)
				}
				b.ReportMetric(dl.Seconds(), "enrol-download-s")
				b.ReportMetric(float64(cnt2.recv.Load())/float64(changes), "download-B/change")
				b.Logf("%s: demo centre of %d trainees = %d changes pushed in %s (%.0f changes/s), %.0f B/change on the wire (%d B total), %.2fx the CSV gzip of those records (%d B); enrol download %s, %d B",
					kind, n, res.Pushed, push.Round(time.Millisecond), float64(res.Pushed)/push.Seconds(), float64(wire)/float64(changes), wire, float64(wire)/float64(csvSize), csvSize, dl.Round(time.Millisecond), cnt2.recv.Load())
			}
		})
	}
}

// BenchmarkServer200DevicesPushing has 200 enrolled devices, each of its
// own centre, push at the same moment over HTTP, each sending its next
// batch as soon as the last is answered, and measures per-push latency and
// applied field changes per second. Two loads:
//
//   - daily: the steady state. Each PC already holds 100 trainees and
//     pushes a day's work per batch: 20 edits of one or two fields (with
//     the versions they replaced) and 5 new trainees, about 70 field
//     changes; five batches each.
//   - bulk: every PC uploads new trainees 100 at a time (800 field
//     changes a batch), five batches each, as after a long time offline.
//     Whoever is last waits for the 160,000 field changes in flight.
func BenchmarkServer200DevicesPushing(b *testing.B) {
	const devices, batches = 200, 5
	for _, kind := range []string{"sqlite", "postgres"} {
		for _, load := range []string{"daily", "bulk"} {
			b.Run(kind+"/"+load, func(b *testing.B) {
				if kind == "postgres" && os.Getenv("BLK_TEST_POSTGRES") == "" {
					b.Skip("needs BLK_TEST_POSTGRES")
				}
				syncserver.TuneServerRuntime()
				for it := 0; it < b.N; it++ {
					benchDevicesPushing(b, kind, load, devices, batches)
				}
			})
		}
	}
}

func benchDevicesPushing(b *testing.B, kind, load string, devices, batches int) {
	ctx := context.Background()
	st := openBackend(b, kind)
	url := startServer(b, st)
	type dev struct {
		token, centre string
		d             central.Device
		trainees      []domain.Change // the seeded trainees (daily)
		seq           int64
	}
	devs := make([]*dev, devices)
	for i := range devs {
		c, err := st.AddCentre(ctx, central.Centre{Name: fmt.Sprintf("BLK %d", i), Region: "3201"})
		if err != nil {
			b.Fatal(err)
		}
		code, _, _ := st.NewCode(ctx, c.ID, time.Hour)
		tok, d, err := st.Enrol(ctx, code, domain.NaturalID("bench device", fmt.Sprint(i)), "pc")
		if err != nil {
			b.Fatal(err)
		}
		devs[i] = &dev{token: tok, centre: c.ID, d: d}
	}
	newTrainee := func(v *dev) domain.Change {
		v.seq++
		return traineeChangeFor(v.centre, v.seq, int(v.seq)) // NIK serials are per centre
	}
	if load == "daily" {
		// The PCs' existing trainees, stored before the clock starts.
		for _, v := range devs {
			var seed []domain.Change
			for j := 0; j < 100; j++ {
				seed = append(seed, newTrainee(v))
			}
			if _, err := st.Push(ctx, v.d, seed); err != nil {
				b.Fatal(err)
			}
			v.trainees = seed
		}
	}
	bodies := make([][][]byte, devices)
	fields := 0
	for i, v := range devs {
		for k := 0; k < batches; k++ {
			var cs []domain.Change
			if load == "bulk" {
				for j := 0; j < 100; j++ {
					cs = append(cs, newTrainee(v))
				}
			} else {
				for j := 0; j < 20; j++ {
					t := &v.trainees[(k*20+j)%len(v.trainees)]
					v.seq++
					edit := domain.Change{Seq: v.seq, Table: "trainees", ID: t.ID, Clock: t.Clock + domain.Clock(1<<16),
						Fields: map[string]any{"address": "Jalan Melati " + strconv.Itoa(k*100+j)},
						Base:   map[string]domain.Version{"address": {Clock: t.Clock, Device: v.d.ID}}}
					if j%2 == 0 {
						edit.Fields["phone"] = "+62812345" + fmt.Sprintf("%05d", k*100+j)
						edit.Base["phone"] = domain.Version{Clock: t.Clock, Device: v.d.ID}
					}
					t.Clock = edit.Clock
					cs = append(cs, edit)
				}
				for j := 0; j < 5; j++ {
					cs = append(cs, newTrainee(v))
				}
			}
			for _, c := range cs {
				fields += len(c.Fields)
			}
			body, _ := gzipJSON(wire.PushRequest{Changes: cs})
			bodies[i] = append(bodies[i], body)
		}
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: devices}}
	var mu gosync.Mutex
	var lat []time.Duration
	var wg gosync.WaitGroup
	start := time.Now()
	for i := range devs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for _, body := range bodies[i] {
				req, _ := http.NewRequest(http.MethodPost, url+"/v1/push", bytes.NewReader(body))
				req.Header.Set(wire.HeaderProtocol, "1")
				req.Header.Set(wire.HeaderSchema, "1")
				req.Header.Set("Content-Encoding", "gzip")
				req.Header.Set("Accept-Encoding", "gzip")
				req.Header.Set("Authorization", "Bearer "+devs[i].token)
				t0 := time.Now()
				resp, err := hc.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				var pr wire.PushResponse
				err = decodeReply(resp, &pr)
				if err != nil || len(pr.Rejections) > 0 || pr.Conflicts > 0 {
					b.Errorf("push: %v, %d rejected, %d conflicts", err, len(pr.Rejections), pr.Conflicts)
					return
				}
				mu.Lock()
				lat = append(lat, time.Since(t0))
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	el := time.Since(start)
	if len(lat) == 0 {
		b.Fatal("no push succeeded")
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p99 := lat[len(lat)*99/100]
	b.ReportMetric(float64(p99.Milliseconds()), "p99-ms")
	b.ReportMetric(float64(fields)/el.Seconds(), "fields/s")
	b.Logf("%s %s: %d pushes (%d field changes) by %d devices in %s; p50 %s p99 %s; %.0f applied field changes/s",
		kind, load, len(lat), fields, devices, el.Round(time.Millisecond), lat[len(lat)/2].Round(time.Millisecond), p99.Round(time.Millisecond), float64(fields)/el.Seconds())
}

// decodeReply reads a gzipped JSON answer, failing on a non-200 status.
func decodeReply(resp *http.Response, v any) error {
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("status %d: %s", resp.StatusCode, msg)
	}
	var r io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return err
		}
		r = zr
	}
	return json.NewDecoder(r).Decode(v)
}

func traineeChangeFor(centre string, seq int64, serial int) domain.Change {
	return domain.Change{Seq: seq, Table: "trainees", ID: domain.NewID(), Clock: domain.MakeClock(time.Now().UnixMilli(), 0), Fields: map[string]any{
		"centre_id": centre, "nik": domain.MakeNIK("320101", birth, true, serial), "name": "Siti " + letters(serial), "sex": "P",
		"birth_date": "2001-08-17", "address": "Jalan Mawar " + strconv.Itoa(serial), "phone": "+6281234567890", "village_code": "3201011001",
	}}
}

func gzipJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := jsonEncode(zw, v); err != nil {
		return nil, err
	}
	zw.Close()
	return buf.Bytes(), nil
}
