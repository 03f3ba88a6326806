package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/kemnaker/blk/central"
	"github.com/kemnaker/blk/dashboard"
)

// pgCluster is a PostgreSQL cluster this test started in a temporary
// folder.
type pgCluster struct {
	dir  string
	port int
	dsn  string
}

// replicaPair starts a primary with initdb and a streaming replica of it
// made with pg_basebackup, both on 127.0.0.1 with ports of their own, using
// the machine's PostgreSQL binaries (as the postgres user when the test
// runs as root). The machine's own cluster is not used: its pg_hba.conf
// would have to allow replication connections, which a test must not
// change. It skips, saying why, when the machine cannot do this.
func replicaPair(t *testing.T) (primary, replica pgCluster) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts two PostgreSQL clusters")
	}
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_basebackup")
	if len(bins) == 0 {
		t.Skip("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin: cannot start a replica")
	}
	bin := filepath.Dir(bins[len(bins)-1])
	var asUser []string
	var owner *user.User
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skip("running as root and there is no postgres user to run PostgreSQL as")
		}
		if _, err := exec.LookPath("runuser"); err != nil {
			t.Skip("running as root without runuser: cannot start PostgreSQL as postgres")
		}
		owner, asUser = u, []string{"runuser", "-u", "postgres", "--"}
	}
	dir, err := os.MkdirTemp("", "blk-replica-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if owner != nil {
		uid, _ := strconv.Atoi(owner.Uid)
		gid, _ := strconv.Atoi(owner.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	run := func(name string, args ...string) error {
		cmd := append(append([]string(nil), asUser...), filepath.Join(bin, name))
		c := exec.Command(cmd[0], append(cmd[1:], args...)...)
		c.Dir = dir
		out, err := c.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %v\n%s", name, err, out)
		}
		return nil
	}
	freePort := func() int {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return l.Addr().(*net.TCPAddr).Port
	}
	start := func(name string) pgCluster {
		c := pgCluster{dir: filepath.Join(dir, name), port: freePort()}
		c.dsn = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40", c.port, dir)
		if err := run("pg_ctl", "-D", c.dir, "-o", opts, "-l", c.dir+".log", "-w", "start"); err != nil {
			log, _ := os.ReadFile(c.dir + ".log")
			t.Fatalf("%v\n%s", err, log)
		}
		t.Cleanup(func() { _ = run("pg_ctl", "-D", c.dir, "-m", "immediate", "stop") })
		return c
	}
	if err := run("initdb", "-D", filepath.Join(dir, "primary"), "-A", "trust", "-U", "postgres", "--no-sync"); err != nil {
		t.Skipf("cannot make a PostgreSQL cluster here: %v", err)
	}
	primary = start("primary")
	if err := run("pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(primary.port), "-U", "postgres",
		"-D", filepath.Join(dir, "replica"), "-R", "-X", "stream", "-c", "fast"); err != nil {
		if strings.Contains(err.Error(), "pg_hba.conf") {
			t.Skipf("the primary refuses replication connections: %v", err)
		}
		t.Fatal(err)
	}
	replica = start("replica")
	return primary, replica
}

// caughtUp waits until the replica has replayed everything the primary
// has written so far.
func caughtUp(t *testing.T, primary, replica pgCluster) {
	t.Helper()
	p, err := sql.Open("pgx", primary.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	r, err := sql.Open("pgx", replica.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var lsn string
	if err := p.QueryRow(`SELECT pg_current_wal_lsn()::text`).Scan(&lsn); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		var done bool
		if err := r.QueryRow(`SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn`, lsn).Scan(&done); err != nil {
			t.Fatal(err)
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replica has not replayed up to %s in a minute", lsn)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDashboardReadsFromAStreamingReplica fills a primary, serves the
// dashboard with its reads on a real streaming replica (what `serve
// --read-db` does) and shows that the pages come from the replica: with
// the replica's replay paused, a centre registered on the primary is not
// on the page; once it replays, it is. Logins are audited on the primary.
func TestDashboardReadsFromAStreamingReplica(t *testing.T) {
	primary, replica := replicaPair(t)
	ctx := context.Background()
	st, err := central.Open(ctx, primary.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := fillDemo(ctx, st, demoPlan{Centres: 3, PerCentre: 32, Seed: 2, DuplicatePercent: 10}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.(central.Reporter).AddUser(ctx, "analis", "kata-sandi-uji-123"); err != nil {
		t.Fatal(err)
	}
	caughtUp(t, primary, replica)
	rd, err := central.OpenReplica(ctx, replica.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	if _, err := rd.AddCentre(ctx, central.Centre{Name: "BLK Tulis", Region: "3201"}); err == nil {
		t.Error("a write through the replica storage succeeded")
	}
	now := time.Now()
	want, err1 := st.(central.Reporter).CentreSummaries(ctx, now, time.Hour)
	got, err2 := rd.(central.Reporter).CentreSummaries(ctx, now, time.Hour)
	if err1 != nil || err2 != nil || !reflect.DeepEqual(got, want) || len(got) != 3 {
		t.Fatalf("the replica's figures differ from the primary's (%v, %v):\n got %+v\nwant %+v", err1, err2, got, want)
	}

	srv := httptest.NewServer(dashboard.New(st, dashboard.Options{Reads: rd, CacheTTL: -1, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()
	c := loginDashboard(t, srv.URL, "analis", "kata-sandi-uji-123")
	log, err := st.AuditLog(ctx, time.Time{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if last := log[len(log)-1]; !strings.Contains(last.Action, "login") {
		t.Errorf("the login is not in the primary's audit trail: %+v", log)
	}

	r, err := sql.Open("pgx", replica.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Exec(`SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddCentre(ctx, central.Centre{Name: "BLK Replika Baru", Region: "3507"}); err != nil {
		t.Fatal(err)
	}
	if code, page := getPage(t, c, srv.URL+"/dashboard/"); code != 200 || strings.Contains(page, "BLK Replika Baru") || !strings.Contains(page, want[0].Name) {
		t.Fatalf("with replay paused the overview (%d) should list the replica's centres only:\n%.2000s", code, page)
	}
	if _, err := r.Exec(`SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
	caughtUp(t, primary, replica)
	if code, page := getPage(t, c, srv.URL+"/dashboard/"); code != 200 || !strings.Contains(page, "BLK Replika Baru") {
		t.Fatalf("after replay the overview (%d) should list the new centre", code)
	}
	for _, p := range []string{"province", "field", "outcomes", "duplicates", "quality", "kemandirian", "centre/" + want[0].ID} {
		if code, _ := getPage(t, c, srv.URL+"/dashboard/"+p); code != 200 {
			t.Errorf("/dashboard/%s from the replica: %d", p, code)
		}
	}
}

// TestServeRefusesAReadReplicaForSQLite: --read-db needs a PostgreSQL
// primary.
func TestServeRefusesAReadReplicaForSQLite(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "server.db")
	code, _, errs := server(t, "serve", "--db", db, "--read-db", "postgres://x@127.0.0.1:1/x", "--addr", "127.0.0.1:0")
	if code == 0 || !strings.Contains(errs, "--read-db") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}
