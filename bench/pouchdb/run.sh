#!/usr/bin/env bash
# run.sh: the first push of a blk demo centre over loopback, blk against
# PouchDB, with the same records (docs/PERFORMANCE.md, "Sync and server").
#
#   bench/pouchdb/run.sh            # 10,000 trainees, 3 runs, SQLite server
#   BLK_BENCH_TRAINEES=2000 BLK_BENCH_RUNS=1 bench/pouchdb/run.sh
#   BLK_BENCH_POUCH=0 …            # blk alone; BLK_BENCH_POUCH_BATCH=N: PouchDB batch_size
#   BLK_TEST_POSTGRES=postgres://… bench/pouchdb/run.sh   # also a PostgreSQL
#                                   # server, in a database blk_pouch_bench it
#                                   # creates (and drops) on that cluster
#
# One demo PC is made (`blk demo`), and for each run a copy of it:
#   blk:     blk-server serve (SQLite file; PostgreSQL), `blk enrol` of the
#            copy = its first push of every record, timed by the shell;
#   PouchDB: dump.go writes the same records as JSON documents, push.js loads
#            them into a fresh local PouchDB (leveldb) and times
#            db.replicate.to() into server.js (express-pouchdb, leveldb).
# Without node and npm it says so and exits 0 (make bench goes on).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "bench/pouchdb: skipped, needs node and npm (apt-get install nodejs npm)"
  exit 0
fi
n=${BLK_BENCH_TRAINEES:-10000}
runs=${BLK_BENCH_RUNS:-3}
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3}
tags=migrated_fynedo,no_emoji
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
(cd bench/pouchdb && [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null)
go build -tags $tags -o "$work/blk" ./cmd/blk
go build -tags $tags -o "$work/blk-server" ./cmd/blk-server
json() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 100); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "no server at $1"; exit 1; }
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }
# cpu PID: the CPU seconds (user + system) the process has used so far.
cpu() { awk -v t="$(getconf CLK_TCK)" '{print ($14 + $15) / t}' "/proc/$1/stat"; }

echo "== demo PC of $n trainees"
"$work/blk" --data "$work/pc" init --centre-name "BLK Besar" --region 3201011001 >/dev/null
"$work/blk" --data "$work/pc" demo --trainees "$n" >/dev/null 2>&1
centre=$("$work/blk" --data "$work/pc" status --json | json centre_id)
go run -tags $tags bench/pouchdb/dump.go "$work/pc/blk.db" >"$work/docs.ndjson" 2>"$work/dump.txt"
tail -1 "$work/dump.txt"
pending=$("$work/blk" --data "$work/pc" status --json | json pending_changes)
echo "pending changes on the PC: $pending"

blk_run() { # kind db
  local kind=$1 db=$2 port url code pid start end
  rm -rf "$work/pc-run" && cp -a "$work/pc" "$work/pc-run"
  code=$("$work/blk-server" --db "$db" centre add --name "BLK Besar" --region 3201 --id "$centre" --json | json code)
  port=$(free_port); url=http://127.0.0.1:$port
  "$work/blk-server" --db "$db" serve --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
  pid=$!; pids+=("$pid")
  wait_up "$url/healthz"
  s0=$(cpu "$pid")
  start=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$work/client.time" "$work/blk" --data "$work/pc-run" enrol --server "$url" --code "$code" >/dev/null
  end=$(date +%s.%N)
  s1=$(cpu "$pid")
  stop "$pid"
  left=$("$work/blk" --data "$work/pc-run" status --json | json pending_changes)
  [ "$left" = 0 ] || { echo "blk $kind: $left changes left unpushed"; exit 1; }
  printf 'blk %-8s %6.1f s, CPU s client %5.1f server %5.1f  (load %s)\n' "$kind" "$(echo "$end - $start" | bc)" \
    "$(awk '{print $1 + $2}' "$work/client.time")" "$(echo "$s1 - $s0" | bc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}

pouch_run() { # batch_size
  local port pid
  rm -rf "$work/pouch" && mkdir -p "$work/pouch/server" "$work/pouch/client"
  port=$(free_port)
  node bench/pouchdb/server.js "$work/pouch/server" "$port" >"$work/pouch/server.log" 2>&1 &
  pid=$!; pids+=("$pid")
  wait_up "http://127.0.0.1:$port/"
  printf 'pouchdb  %s  (load %s)\n' "$(node bench/pouchdb/push.js "$work/docs.ndjson" "$work/pouch/client" "http://127.0.0.1:$port/centre" "$1" "$pid")" "$(cut -d' ' -f1-3 /proc/loadavg)"
  stop "$pid"
}

for r in $(seq "$runs"); do
  echo "== run $r of $runs"
  rm -f "$work/server.db"*
  blk_run sqlite "sqlite:$work/server.db"
  if [ -n "${BLK_TEST_POSTGRES:-}" ]; then
    PGOPTIONS='-c client_min_messages=warning' psql "$BLK_TEST_POSTGRES" -qc 'DROP DATABASE IF EXISTS blk_pouch_bench' -c 'CREATE DATABASE blk_pouch_bench' >/dev/null
    pg=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/blk_pouch_bench")))' "$BLK_TEST_POSTGRES")
    blk_run postgres "$pg"
    PGOPTIONS='-c client_min_messages=warning' psql "$BLK_TEST_POSTGRES" -qc 'DROP DATABASE IF EXISTS blk_pouch_bench' >/dev/null
  fi
  [ "${BLK_BENCH_POUCH:-1}" = 0 ] || pouch_run "${BLK_BENCH_POUCH_BATCH:-}"
done
