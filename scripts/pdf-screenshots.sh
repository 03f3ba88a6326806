#!/usr/bin/env bash
# Renders page 1 of each printed document (cohort report, certificates,
# annual summary) to docs/screenshots/pdf-<doc>.png, from deterministic demo
# data, so reviewers can look at the PDFs without opening the app.
# Needs pdftoppm (poppler-utils). Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pdftoppm >/dev/null || { echo "pdftoppm missing: install poppler-utils" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -tags migrated_fynedo -o "$work/blk" ./cmd/blk
blk() { BLK_DATA="$work/data" LANG=id_ID.UTF-8 "$work/blk" "$@" 2>/dev/null; }
blk init --centre-name "BLK Komunitas Al-Hikmah" --region 3201011001 >/dev/null
blk demo --trainees 120 --seed 1 >/dev/null
blk export --what cohorts --out "$work/cohorts.csv" >/dev/null
# The first completed cohort ("Selesai") has graduates for certificates.
cohort=$(grep ',Selesai' "$work/cohorts.csv" | head -1 | cut -d, -f1 | tr -d '\357\273\277')
year=$(grep ',Selesai' "$work/cohorts.csv" | head -1 | awk -F, '{print $4}')
blk report cohort --cohort "$cohort" --out "$work/cohort.pdf" >/dev/null
blk report certificates --cohort "$cohort" --out "$work/certificates.pdf" >/dev/null
blk report annual --year "$year" --out "$work/annual.pdf" >/dev/null
mkdir -p docs/screenshots
for doc in cohort certificates annual; do
	pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/$doc.pdf" "docs/screenshots/pdf-$doc"
	echo "docs/screenshots/pdf-$doc.png"
done
