package main

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kemnaker/blk/store"
)

// TestPCsJoinACentreTheMinistryRegistered is the first day of a centre that
// the ministry registered, with the contract's commands only: `centre add`,
// then a fresh PC and a second one enrol with codes, each shows the
// centre's name and can record and sync at once.
func TestPCsJoinACentreTheMinistryRegistered(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	blk, srv := binaries(t)
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "server.db")
	run := func(name string, args ...string) map[string]any {
		t.Helper()
		out, err := exec.Command(name, append(args, "--json")...).Output()
		if err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			t.Fatalf("%s %v: %v\n%s", filepath.Base(name), args, err, stderr)
		}
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("%s %v printed %q", filepath.Base(name), args, out)
		}
		return m
	}
	// given a centre the ministry registered with what it knows of it
	reg := run(srv, "centre", "add", "--db", db, "--name", "BLK Komunitas Al-Hikmah", "--region", "3201011001", "--host-type", "pesantren", "--head", "KH. Ahmad Dahlan", "--permit", "503/BLKK/2021", "--fields", "TIK,MJH")
	centre := reg["centre_id"].(string)
	_, addr, _ := serve(t, srv, db, "127.0.0.1:0")
	url := "http://" + addr
	for i, pc := range []string{"pc1", "pc2"} {
		data := filepath.Join(dir, pc)
		code := reg["code"].(string)
		if i > 0 {
			code = run(srv, "centre", "code", centre, "--db", db)["code"].(string)
		}
		// when a fresh PC enrols with its code
		run(blk, "--data", data, "enrol", "--server", url, "--code", code)
		// then it shows the centre's name, can record and can sync
		st := run(blk, "--data", data, "status")
		if st["centre"] != "BLK Komunitas Al-Hikmah" || st["centre_id"] != centre {
			t.Fatalf("%s status after enrol: %v", pc, st)
		}
		// with the whole profile the ministry gave, not only the name
		if i == 0 {
			profile(t, filepath.Join(data, store.DefaultFile), "pesantren", "KH. Ahmad Dahlan", "503/BLKK/2021", "TIK,MJH")
		}
		run(blk, "--data", data, "demo", "--trainees", "16", "--seed", string(rune('1'+i)))
		res := run(blk, "--data", data, "sync")["result"].(map[string]any)
		if res["pending"].(float64) != 0 || res["rejected"].(float64) != 0 || res["pushed"].(float64) == 0 {
			t.Fatalf("%s sync: %v", pc, res)
		}
	}
	// and the audit trail names the registration, both codes and both PCs
	var actions []string
	for _, e := range run(srv, "audit", "--db", db)["entries"].([]any) {
		actions = append(actions, e.(map[string]any)["action"].(string))
	}
	if got := strings.Join(actions, " "); got != "centre.add code.issue device.enrol code.issue device.enrol" {
		t.Fatalf("audit trail: %s", got)
	}
}

// profile checks the centre profile a PC's database holds.
func profile(t *testing.T, path, hostType, head, permit, fields string) {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.Centre(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.HostType != hostType || c.Head != head || c.PermitNo != permit || c.Fields != fields {
		t.Fatalf("profile after enrol: host %q head %q permit %q fields %q", c.HostType, c.Head, c.PermitNo, c.Fields)
	}
}

func TestServerBackupCommandMakesAUsableCopy(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "server.db")
	// given a server with a centre
	if code, _, errs := server(t, "centre", "add", "--db", db, "--name", "BLK A", "--region", "3201"); code != 0 {
		t.Fatalf("centre add: %s", errs)
	}
	// when it is backed up
	out := filepath.Join(dir, "copy.db")
	if code, _, errs := server(t, "backup", "--db", db, "--out", out); code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	// then the copy is a server database with the centre, and a second
	// backup to the same file is refused with one line
	if code, stdout, errs := server(t, "centre", "list", "--db", "sqlite:"+out); code != 0 || !strings.Contains(stdout, "BLK A") {
		t.Fatalf("centres in the copy: %d %s %s", code, stdout, errs)
	}
	if code, _, errs := server(t, "backup", "--db", db, "--out", out); code == 0 || !strings.Contains(errs, "already exists") {
		t.Fatalf("backup over a file: %d %s", code, errs)
	}
	if code, _, errs := server(t, "audit", "--db", db, "--since", "bukan-waktu"); code == 0 || !strings.Contains(errs, "--since") {
		t.Fatalf("audit with a bad --since: %d %s", code, errs)
	}
}
