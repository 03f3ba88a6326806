#!/usr/bin/env bash
# Resident memory of the real desktop binary on a demo database, as
# docs/PERFORMANCE.md ("Desktop app") measures it: a copy of the data
# folder, the app under its own Xvfb at 1024x768, /proc/PID/status sampled
# every 0.5 s.
#   start: 20 s after start (the dashboard shown), VmRSS at 15 s and VmHWM;
#   walk:  BLK_SCREENSHOT_DIR's walk of every screen in both languages, VmHWM
#          at its end.
# Usage: scripts/desktop-memory.sh DATA_DIR start|walk [VAR=value ...]
#   DATA_DIR: made by `blk --data DIR init … && blk --data DIR demo --trainees 100000`.
# BIN (default: a -tags devtools build of ./cmd/blk) and DISPLAY_N (default 21).
set -euo pipefail
cd "$(dirname "$0")/.."
data=$1 mode=$2
shift 2
work=$(mktemp -d)
trap 'kill "$xvfb" 2>/dev/null || true; rm -rf "$work"' EXIT
bin=${BIN:-}
if [ -z "$bin" ]; then
	bin=$work/blk
	go build -tags devtools,migrated_fynedo,no_emoji -o "$bin" ./cmd/blk
fi
cp -r "$data" "$work/data"
n=${DISPLAY_N:-21}
while [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1024x768x24 >/dev/null 2>&1 &
xvfb=$!
sleep 1
mkdir -p "$work/cfg/fyne/id.go.kemnaker.blk"
echo '{"theme":"light"}' >"$work/cfg/fyne/id.go.kemnaker.blk/preferences.json"
extra=()
[ "$mode" = walk ] && extra=(BLK_SCREENSHOT_DIR="$work/shots")
env DISPLAY=":$n" XDG_CONFIG_HOME="$work/cfg" "${extra[@]}" "$@" "$bin" --data "$work/data" >"$work/log" 2>&1 &
pid=$!
start=$(date +%s%N)
at15=""
while kill -0 "$pid" 2>/dev/null; do
	t=$((($(date +%s%N) - start) / 1000000))
	line=$(awk '/VmRSS|VmHWM/{printf "%s %s kB  ", $1, $2}' "/proc/$pid/status" 2>/dev/null || true)
	[ -z "$at15" ] && [ "$t" -ge 15000 ] && at15=$line
	last=$line
	if [ "$mode" = start ] && [ "$t" -ge 20000 ]; then kill "$pid"; break; fi
	sleep 0.5
done
wait "$pid" 2>/dev/null || true
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$at15" ] && echo "at 15 s: $at15"
echo "at the end: $last"
