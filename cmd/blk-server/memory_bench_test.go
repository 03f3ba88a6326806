package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	gosync "sync"
	"testing"

	"github.com/kemnaker/blk/domain"
	"github.com/kemnaker/blk/sync/wire"
)

// rssMB reads a process's resident memory now (VmRSS) and at its peak
// (VmHWM), in MiB, from /proc.
func rssMB(b *testing.B, pid int) (now, peak float64) {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			now = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return now, peak
}

func gzipBody(write func(w io.Writer)) []byte {
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	write(zw)
	zw.Close()
	return out.Bytes()
}

func postAll(b *testing.B, n int, url, token string, body []byte) map[int]int {
	b.Helper()
	var mu gosync.Mutex
	codes := map[int]int{}
	var wg gosync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
			req.Header.Set(wire.HeaderProtocol, strconv.Itoa(wire.ProtocolVersion))
			req.Header.Set(wire.HeaderSchema, strconv.Itoa(wire.SchemaVersion))
			req.Header.Set("Content-Encoding", "gzip")
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			mu.Lock()
			codes[res.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return codes
}

// BenchmarkServerMemoryUnderBombs starts a real blk-server and measures its
// resident memory while it refuses, first, 16 concurrent enrolment bombs
// (60 kB of gzip that would inflate to 60 MiB, no token needed), then 4
// concurrent oversized pushes from an enrolled PC (777,000 tiny changes in
// 95 kB; a 20 MiB text). Reported: the peak resident memory above the
// server's idle size, per request.
func BenchmarkServerMemoryUnderBombs(b *testing.B) {
	_, srv := binaries(b)
	dir := b.TempDir()
	db := "sqlite:" + filepath.Join(dir, "server.db")
	code, out, errs := server(b, "centre", "add", "--db", db, "--name", "BLK Bom", "--region", "3201", "--json")
	if code != 0 {
		b.Fatalf("centre add: %s", errs)
	}
	var reg struct{ Code string }
	json.Unmarshal([]byte(out), &reg)
	cmd, addr, _ := serve(b, srv, db, "127.0.0.1:0")
	defer cmd.Process.Kill()
	url := "http://" + addr
	enrolBody := gzipBody(func(w io.Writer) {
		json.NewEncoder(w).Encode(wire.EnrolRequest{Code: reg.Code, DeviceID: domain.NewID(), DeviceName: "PC"})
	})
	req, _ := http.NewRequest("POST", url+wire.PathEnrol, bytes.NewReader(enrolBody))
	req.Header.Set(wire.HeaderProtocol, strconv.Itoa(wire.ProtocolVersion))
	req.Header.Set(wire.HeaderSchema, strconv.Itoa(wire.SchemaVersion))
	req.Header.Set("Content-Encoding", "gzip")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	var enrolled wire.EnrolResponse
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if zr, err := gzip.NewReader(bytes.NewReader(raw)); err == nil {
		raw, _ = io.ReadAll(zr)
	}
	if json.Unmarshal(raw, &enrolled); enrolled.Token == "" {
		b.Fatalf("enrol: %d %s", res.StatusCode, raw)
	}

	enrolBomb := gzipBody(func(w io.Writer) {
		w.Write([]byte(`{"code":"`))
		chunk := bytes.Repeat([]byte("A"), 1<<20)
		for range 60 {
			w.Write(chunk)
		}
		w.Write([]byte(`"}`))
	})
	tiny := gzipBody(func(w io.Writer) {
		w.Write([]byte(`{"changes":[`))
		for i := range 777000 {
			if i > 0 {
				w.Write([]byte(","))
			}
			w.Write([]byte(`{"s":1,"t":"x","i":"a","c":1,"f":{"a":1}}`))
		}
		w.Write([]byte(`]}`))
	})
	longText := gzipBody(func(w io.Writer) {
		w.Write([]byte(`{"changes":[{"s":1,"t":"trainees","i":"a","c":1,"f":{"name":"`))
		w.Write(bytes.Repeat([]byte("a"), 20<<20))
		w.Write([]byte(`"}}]}`))
	})
	b.ResetTimer()
	for range b.N {
		idle, _ := rssMB(b, cmd.Process.Pid)
		codes := postAll(b, 16, url+wire.PathEnrol, "", enrolBomb)
		_, peak := rssMB(b, cmd.Process.Pid)
		b.ReportMetric((peak-idle)/16, "MB-per-enrol-bomb")
		b.Logf("16 enrol bombs (%d bytes each): %v; RSS idle %.0f MiB, peak %.0f MiB", len(enrolBomb), codes, idle, peak)
		for name, body := range map[string][]byte{"777k tiny changes": tiny, "20 MiB text": longText} {
			before, _ := rssMB(b, cmd.Process.Pid)
			codes := postAll(b, 4, url+wire.PathPush, enrolled.Token, body)
			_, peak := rssMB(b, cmd.Process.Pid)
			b.ReportMetric((peak-before)/4, "MB-per-push:"+strings.ReplaceAll(name, " ", "-"))
			b.Logf("4 pushes of %s (%d bytes each): %v; RSS before %.0f MiB, peak %.0f MiB", name, len(body), codes, before, peak)
		}
	}
}
