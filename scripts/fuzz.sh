#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each (default 30s):
# `make fuzz` to look for new crashers, CI with a few seconds each so a
# target that no longer builds, or a crasher kept in testdata/fuzz, fails it.
# Targets are found in the sources (func FuzzX(f *testing.F)), so only the
# packages that have one are built.
# Usage: scripts/fuzz.sh [go test flags…]
set -euo pipefail
cd "$(dirname "$0")/.."
time="${FUZZTIME:-30s}"
go=${GO:-go}
found=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
while IFS=: read -r file target; do
  pkg="./$(dirname "$file")"
  found=$((found + 1))
  echo "fuzz $pkg $target ($time)"
  if ! $go test "$@" -run '^$' -fuzz "^${target}\$" -fuzztime "$time" "$pkg" >"$log" 2>&1; then
    cat "$log"
    exit 1
  fi
done < <(git ls-files '*_test.go' | xargs grep -Ho '^func Fuzz[A-Za-z0-9_]*(f \*testing\.F)' | sed 's/^\([^:]*\):func \(Fuzz[A-Za-z0-9_]*\).*/\1:\2/' | sort)
echo "$found fuzz targets ran"
[ "$found" -gt 0 ]
