#!/usr/bin/env bash
# Screenshots of every screen of the real desktop binary, in Indonesian and
# English, on a demo database: docs/screenshots/<size>/<screen>-<lang>.png for
# 1024x768 and 1366x768 screens, docs/screenshots/<screen>-<lang>.png at
# 1280x800. SIZES="1024x768" takes one size only; DISPLAY_N=22 starts the
# search for a free X display there (9 by default).
# Needs xvfb, xdotool and imagemagick. Used by `make screenshots`.
set -euo pipefail
cd "$(dirname "$0")/.."
# Without import the walk falls back to the canvas, which is blank under
# Xvfb: stop instead of writing empty pictures.
for tool in Xvfb import xdotool; do
	command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing; make screenshots installs it (xvfb imagemagick xdotool)" >&2; exit 1; }
done
out=docs/screenshots
trainees=${TRAINEES:-2000}
work=$(mktemp -d)
xvfb_pid=
trap 'if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

go build -tags migrated_fynedo,no_emoji,devtools -o "$work/blk" ./cmd/blk  # devtools: the walk (cmd/blk/devtools.go)
data="$work/data"
"$work/blk" --data "$data" init --centre-name "BLK Komunitas Pondok Pesantren Al-Hikmah" --region 3201011001 >/dev/null 2>&1
if "$work/blk" help 2>/dev/null | grep -q '^  demo'; then
	"$work/blk" --data "$data" demo --trainees "$trainees" >/dev/null 2>&1
else
	echo "screenshots: blk demo is not available; screens will be empty" >&2
fi

# Each screen size centres really have (a 1024x768 laptop, a 1366x768 one),
# and the 1280x800 of the older pictures: a private X server of that size
# and config folder, light theme, the window the size the app picks itself
# (the smaller of 1200x760 and 90 % of the screen).
sizes=${SIZES:-1024x768 1366x768 1280x800}
mkdir -p "$out"
for size in $sizes; do
	display_n=${DISPLAY_N:-9} # the first display from here no other X server holds
	while [ -e "/tmp/.X$display_n-lock" ]; do display_n=$((display_n + 1)); done
	display=:$display_n
	Xvfb "$display" -screen 0 "${size}x24" >/dev/null 2>&1 &
	xvfb_pid=$!
	sleep 1
	config="$work/config-$size"
	prefs="$config/fyne/id.go.kemnaker.blk"
	mkdir -p "$prefs"
	echo '{"theme":"light"}' >"$prefs/preferences.json"
	shots="$work/shots-$size"
	DISPLAY=$display XDG_CONFIG_HOME="$config" BLK_SCREENSHOT_DIR="$shots" \
		timeout 300 "$work/blk" --data "$data" 2>&1 | grep -v 'locale\|Cause:\|At:' || true
	# The first-run wizard, on an empty data folder.
	DISPLAY=$display XDG_CONFIG_HOME="$config" BLK_SCREENSHOT_DIR="$shots" \
		timeout 120 "$work/blk" --data "$work/empty-$size" 2>&1 | grep -v 'locale\|Cause:\|At:' || true
	kill "$xvfb_pid" 2>/dev/null || true
	wait "$xvfb_pid" 2>/dev/null || true
	if [ "$size" = 1280x800 ]; then
		cp "$shots"/*.png "$out"/
	else
		mkdir -p "$out/$size"
		cp "$shots"/*.png "$out/$size"/
	fi
done
ls "$out" "$out"/*x*/
