package sync_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"os"
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
				start := time.Now()
				res := mustRound(b, pc1)
				push := time.Since(start)
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

// BenchmarkServer200DevicesPushing has 200 enrolled devices push batches
// of new trainees at once over HTTP and measures per-push latency and the
// rate of applied field changes.
func BenchmarkServer200DevicesPushing(b *testing.B) {
	const devices, batches, perBatch = 200, 5, 100
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			if kind == "postgres" && os.Getenv("BLK_TEST_POSTGRES") == "" {
				b.Skip("needs BLK_TEST_POSTGRES")
			}
			for it := 0; it < b.N; it++ {
				ctx := context.Background()
				st := openBackend(b, kind)
				url := startServer(b, st)
				type dev struct {
					token  string
					centre string
				}
				var devs []dev
				for i := 0; i < devices; i++ {
					c, err := st.AddCentre(ctx, central.Centre{Name: fmt.Sprintf("BLK %d", i), Region: "3201"})
					if err != nil {
						b.Fatal(err)
					}
					code, _, _ := st.NewCode(ctx, c.ID, time.Hour)
					tok, _, err := st.Enrol(ctx, code, fmt.Sprintf("dev-%03d", i), "pc")
					if err != nil {
						b.Fatal(err)
					}
					devs = append(devs, dev{tok, c.ID})
				}
				bodies := make([][][]byte, devices)
				fields := 0
				for d := range devs {
					for k := 0; k < batches; k++ {
						var cs []domain.Change
						for j := 0; j < perBatch; j++ {
							serial := k*perBatch + j + 1
							ch := traineeChangeFor(devs[d].centre, int64(serial), serial)
							fields += len(ch.Fields)
							cs = append(cs, ch)
						}
						body, _ := gzipJSON(blksync.PushRequest{Changes: cs})
						bodies[d] = append(bodies[d], body)
					}
				}
				hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: devices}}
				var mu gosync.Mutex
				var lat []time.Duration
				var wg gosync.WaitGroup
				start := time.Now()
				for d := range devs {
					wg.Add(1)
					go func(d int) {
						defer wg.Done()
						for _, body := range bodies[d] {
							req, _ := http.NewRequest(http.MethodPost, url+"/v1/push", bytes.NewReader(body))
							req.Header.Set(blksync.HeaderProtocol, "1")
							req.Header.Set(blksync.HeaderSchema, "1")
							req.Header.Set("Content-Encoding", "gzip")
							req.Header.Set("Accept-Encoding", "gzip")
							req.Header.Set("Authorization", "Bearer "+devs[d].token)
							t0 := time.Now()
							resp, err := hc.Do(req)
							if err != nil {
								b.Error(err)
								return
							}
							io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
							if resp.StatusCode != 200 {
								b.Errorf("push: %d", resp.StatusCode)
								return
							}
							mu.Lock()
							lat = append(lat, time.Since(t0))
							mu.Unlock()
						}
					}(d)
				}
				wg.Wait()
				el := time.Since(start)
				sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
				p99 := lat[len(lat)*99/100]
				b.ReportMetric(float64(p99.Milliseconds()), "p99-ms")
				b.ReportMetric(float64(fields)/el.Seconds(), "fields/s")
				b.Logf("%s: %d pushes of %d changes by %d devices in %s; p50 %s p99 %s; %.0f applied field changes/s",
					kind, len(lat), perBatch, devices, el.Round(time.Millisecond), lat[len(lat)/2].Round(time.Millisecond), p99.Round(time.Millisecond), float64(fields)/el.Seconds())
			}
		})
	}
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
