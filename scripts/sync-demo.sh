#!/usr/bin/env bash
# sync-demo.sh shows issue 4's "done when" with the commands of the
# contract only: one blk-server, two PCs of one centre and one PC of
# another, all editing while offline, then syncing. It ends by comparing
# every PC's export with the server's, and prints the conflicts.
#
#   scripts/sync-demo.sh            # SQLite server in a temporary folder
#   BLK_DEMO_DB=postgres://… scripts/sync-demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
server_pid=; trap '[ -n "$server_pid" ] && kill $server_pid 2>/dev/null; rm -rf "$work"' EXIT
go build -tags migrated_fynedo -o "$work/blk" ./cmd/blk
go build -tags migrated_fynedo -o "$work/blk-server" ./cmd/blk-server
blk() { "$work/blk" --lang en "$@"; }
srv() { "$work/blk-server" "$@"; }
db=${BLK_DEMO_DB:-sqlite:$work/server.db}
port=$((20000 + RANDOM % 20000))
url=http://127.0.0.1:$port
json() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
step() { printf '\n== %s\n' "$*"; }

step "pc1 starts centre A offline; the ministry registers it (same id) and centre B"
blk --data "$work/pc1" init --centre-name "BLK Al-Hikmah" --region 3201011001 >/dev/null
a=$(srv centre add --db "$db" --name "BLK Al-Hikmah" --region 3201 --id "$(blk --data "$work/pc1" status --json | json centre_id)" --json)
b=$(srv centre add --db "$db" --name "BLK Santo Yusuf" --region 3301 --json)
centre_a=$(echo "$a" | json centre_id); centre_b=$(echo "$b" | json centre_id)
"$work/blk-server" serve --db "$db" --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do curl -fs "$url/healthz" >/dev/null && break; sleep 0.1; done

step "pc1 registers five trainees and enrols"
cat >"$work/trainees.csv" <<'CSV'
NIK,Nama,Jenis Kelamin,Tanggal Lahir,Alamat,No HP
3201015708010001,Siti Aminah,P,17/08/2001,Jalan Mawar 1,081234567801
3201011708010002,Ahmad Fauzi,L,17/08/2001,Jalan Mawar 2,081234567802
3201015708010003,Dewi Lestari,P,17/08/2001,Jalan Mawar 3,081234567803
3201011708010004,Budi Santoso,L,17/08/2001,Jalan Mawar 4,081234567804
3201015708010005,Nur Halimah,P,17/08/2001,Jalan Mawar 5,081234567805
CSV
blk --data "$work/pc1" import "$work/trainees.csv"
blk --data "$work/pc1" enrol --server "$url" --code "$(echo "$a" | json code)"

step "pc2 joins centre A and downloads it; pc3 starts centre B"
blk --data "$work/pc2" enrol --server "$url" --code "$(srv centre code --db "$db" "$centre_a" --json | json code)"
blk --data "$work/pc3" enrol --server "$url" --code "$(echo "$b" | json code)"
cat >"$work/b.csv" <<'CSV'
NIK,Nama,Jenis Kelamin,Tanggal Lahir,Alamat,No HP
3301015708010001,Maria Ulfa,P,17/08/2001,Jalan Kenanga 1,081234567811
CSV
blk --data "$work/pc3" import "$work/b.csv"

step "offline: pc1 and pc2 both rename Siti Aminah; pc2 also changes Budi's phone"
printf 'NIK,Nama,Jenis Kelamin,Tanggal Lahir,Alamat,No HP\n3201015708010001,Siti Rahma,P,17/08/2001,Jalan Mawar 1,081234567801\n' >"$work/pc1.csv"
printf 'NIK,Nama,Jenis Kelamin,Tanggal Lahir,Alamat,No HP\n3201015708010001,Siti Nurhaliza,P,17/08/2001,Jalan Mawar 1,081234567801\n3201011708010004,Budi Santoso,L,17/08/2001,Jalan Mawar 4,081299990004\n' >"$work/pc2.csv"
blk --data "$work/pc1" import "$work/pc1.csv"
blk --data "$work/pc2" import "$work/pc2.csv"

step "the link is back: everyone syncs (twice, so each hears the others)"
for pass in 1 2; do for pc in pc1 pc2 pc3; do blk --data "$work/$pc" sync >/dev/null; done; done
for pc in pc1 pc2 pc3; do echo "-- $pc"; blk --data "$work/$pc" --lang en status | grep -E 'trainees|pending|rejected|conflicts'; done

step "every PC's export equals the server's copy of its centre"
ok=1
for pc in pc1 pc2 pc3; do
  centre=$centre_a; [ "$pc" = pc3 ] && centre=$centre_b
  blk --data "$work/$pc" export --what trainees --out "$work/$pc.csv" >/dev/null
  srv export --db "$db" --centre "$centre" --what trainees --out "$work/server-$pc.csv" >/dev/null
  if cmp -s "$work/$pc.csv" "$work/server-$pc.csv"; then echo "$pc: identical ($(($(wc -l <"$work/$pc.csv") - 1)) trainees)"; else echo "$pc: DIFFERS"; ok=0; fi
done
grep -c 3301 "$work/pc1.csv" >/dev/null && { echo "centre B's trainee reached centre A"; ok=0; } || echo "centre A holds none of centre B's trainees"
for pc in pc1 pc2; do echo "$pc: $(grep -o 'Siti [A-Za-z]*' "$work/$pc.csv")"; done
echo "the concurrent rename is one conflict on pc1 and pc2 (status above), the losing name kept; the Sinkronisasi screen offers it back"
[ $ok = 1 ] && echo "converged" || { echo "NOT converged"; exit 1; }
