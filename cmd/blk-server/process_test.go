package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"syscall"
	"testing"
)

// TestProcessKillsLoseNothing builds both binaries and runs the contract's
// commands: the server is SIGKILLed during a large push and restarted,
// `blk sync` is SIGKILLed mid-run and run again, and afterwards every
// export of the PC, and of a second PC enrolled later, equals the server's.
func TestProcessKillsLoseNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	dir := t.TempDir()
	blk, srv := binaries(t)
	db := "sqlite:" + filepath.Join(dir, "server.db")
	pc1, pc2 := filepath.Join(dir, "pc1"), filepath.Join(dir, "pc2")
	run := func(name string, args ...string) []byte {
		t.Helper()
		out, err := exec.Command(name, args...).Output()
		if err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			t.Fatalf("%s %v: %v\n%s", filepath.Base(name), args, err, stderr)
		}
		return out
	}
	jsonField := func(out []byte, key string) string {
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		s, _ := m[key].(string)
		return s
	}

	// given a centre that started offline with a lot of data
	run(blk, "--data", pc1, "init", "--centre-name", "BLK Al-Hikmah", "--region", "3201011001")
	centre := jsonField(run(blk, "--data", pc1, "status", "--json"), "centre_id")
	code := jsonField(run(srv, "centre", "add", "--db", db, "--name", "BLK Al-Hikmah", "--region", "3201", "--id", centre, "--json"), "code")
	run(blk, "--data", pc1, "demo", "--trainees", "300")

	serve := func(addr string) (*exec.Cmd, string, <-chan string) { return serve(t, srv, db, addr) }
	waitPush := func(lines <-chan string) {
		for l := range lines {
			if strings.Contains(l, `"path":"/v1/push"`) && strings.Contains(l, `"status":200`) {
				return
			}
		}
		t.Fatal("server log ended before a push")
	}

	// when the server is killed during the first large push
	server, addr, lines := serve("127.0.0.1:0")
	url := "http://" + addr
	enrol := exec.Command(blk, "--data", pc1, "enrol", "--server", url, "--code", code)
	enrol.Stderr = io.Discard
	if err := enrol.Start(); err != nil {
		t.Fatal(err)
	}
	waitPush(lines)
	server.Process.Signal(syscall.SIGKILL)
	server.Wait()
	if err := enrol.Wait(); err == nil {
		t.Log("enrol finished before the kill; the push was smaller than hoped")
	}

	// and restarted, and `blk sync` is killed after its first push
	_, _, lines = serve(addr)
	sync := exec.Command(blk, "--data", pc1, "sync")
	if err := sync.Start(); err != nil {
		t.Fatal(err)
	}
	waitPush(lines)
	sync.Process.Signal(syscall.SIGKILL)
	sync.Wait()

	// and run again until it finishes
	run(blk, "--data", pc1, "sync")
	run(blk, "--data", pc1, "sync")
	var st struct {
		Pending int `json:"pending_changes"`
	}
	json.Unmarshal(run(blk, "--data", pc1, "status", "--json"), &st)
	if st.Pending != 0 {
		t.Fatalf("%d changes still pending", st.Pending)
	}
	code2 := jsonField(run(srv, "centre", "code", centre, "--db", db, "--json"), "code")
	run(blk, "--data", pc2, "enrol", "--server", url, "--code", code2)

	// then every export of both PCs equals the server's
	for _, what := range exportKinds {
		want := filepath.Join(dir, "server-"+what+".csv")
		run(srv, "export", "--db", db, "--centre", centre, "--out", want, "--what", what)
		wb, _ := os.ReadFile(want)
		if bytes.Count(wb, []byte("\n")) < 2 {
			t.Fatalf("server export of %s is empty", what)
		}
		for _, pc := range []string{pc1, pc2} {
			got := filepath.Join(dir, filepath.Base(pc)+"-"+what+".csv")
			run(blk, "--data", pc, "export", "--out", got, "--what", what)
			gb, _ := os.ReadFile(got)
			if !bytes.Equal(gb, wb) {
				t.Fatalf("%s export of %s differs from the server's", filepath.Base(pc), what)
			}
		}
	}
}

var (
	buildOnce          gosync.Once
	binDir, blkBin     string
	serverBin, buildOK string
)

// binaries builds blk and blk-server once for the package's tests.
func binaries(t testing.TB) (blk, server string) {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "blk-bin-")
		if err != nil {
			t.Fatal(err)
		}
		binDir = dir
		blkBin, serverBin = filepath.Join(dir, "blk"), filepath.Join(dir, "blk-server")
		for bin, pkg := range map[string]string{blkBin: "../blk", serverBin: "."} {
			out, err := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, pkg).CombinedOutput()
			if err != nil {
				buildOK = fmt.Sprintf("build %s: %v\n%s", pkg, err, out)
				return
			}
		}
	})
	if buildOK != "" || blkBin == "" {
		t.Fatal(buildOK)
	}
	return blkBin, serverBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// serve starts `blk-server serve` on addr and returns it, the address it
// listens on, and a channel of its later log lines.
func serve(t testing.TB, srv, db, addr string) (*exec.Cmd, string, <-chan string) {
	t.Helper()
	cmd := exec.Command(srv, "serve", "--db", db, "--addr", addr)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1000)
	sc := bufio.NewScanner(stderr)
	first := ""
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"msg":"listening"`) {
			var m map[string]any
			json.Unmarshal(sc.Bytes(), &m)
			first = m["addr"].(string)
			break
		}
	}
	go func() {
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
		close(lines)
	}()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, first, lines
}
