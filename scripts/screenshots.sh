#!/usr/bin/env bash
# Screenshots of every screen of the real desktop binary, in Indonesian and
# English, on a demo database: docs/screenshots/<screen>-<lang>.png.
# Needs xvfb, xdotool and imagemagick. Used by `make screenshots`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/screenshots
trainees=${TRAINEES:-2000}
work=$(mktemp -d)
trap 'kill "$xvfb_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

go build -tags migrated_fynedo,no_emoji,devtools -o "$work/blk" ./cmd/blk  # devtools: the walk (cmd/blk/devtools.go)
data="$work/data"
"$work/blk" --data "$data" init --centre-name "BLK Komunitas Pondok Pesantren Al-Hikmah" --region 3201011001 >/dev/null 2>&1
if "$work/blk" help 2>/dev/null | grep -q '^  demo'; then
	"$work/blk" --data "$data" demo --trainees "$trainees" >/dev/null 2>&1
else
	echo "screenshots: blk demo is not available; screens will be empty" >&2
fi

# A private X server and config folder: light theme, window 1280x800.
display_n=9 # the first display no other X server holds
while [ -e "/tmp/.X$display_n-lock" ]; do display_n=$((display_n + 1)); done
display=:$display_n
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb_pid=$!
sleep 1
prefs="$work/config/fyne/id.go.kemnaker.blk"
mkdir -p "$prefs"
echo '{"theme":"light","window.width":1280,"window.height":800}' >"$prefs/preferences.json"

mkdir -p "$out"
shots="$work/shots"
DISPLAY=$display XDG_CONFIG_HOME="$work/config" BLK_SCREENSHOT_DIR="$shots" \
	timeout 300 "$work/blk" --data "$data" 2>&1 | grep -v 'locale\|Cause:\|At:' || true

# The first-run wizard, on an empty data folder.
DISPLAY=$display XDG_CONFIG_HOME="$work/config" BLK_SCREENSHOT_DIR="$shots" \
	timeout 120 "$work/blk" --data "$work/empty" 2>&1 | grep -v 'locale\|Cause:\|At:' || true

cp "$shots"/*.png "$out"/
ls "$out"
