#!/usr/bin/env bash
# Prints the path of an offline Go vulnerability database for govulncheck
# (-db file://PATH), built once from a pinned version of the module
# golang.org/x/vulndb, which the Go module proxy serves with every OSV
# report in data/osv. vuln.go.dev need not be reachable, and the result
# depends only on the version below: bump it to learn of newer reports.
# Used by `make lint`.
set -euo pipefail
version=${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}
out="${XDG_CACHE_HOME:-$HOME/.cache}/blk/vulndb-$version"
if [ ! -f "$out/index/db.json" ]; then
	src=$(go mod download -json "golang.org/x/vulndb@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	if [ -z "$src" ] || [ ! -d "$src/data/osv" ]; then
		echo "vulndb.sh: golang.org/x/vulndb@$version has no data/osv" >&2
		exit 1
	fi
	mkdir -p "$(dirname "$out")"
	# Built in a directory of this run's own, so that checkouts running
	# `make lint` at once do not write into each other's half-built copy;
	# the first to finish puts it in place, the others find it there.
	tmp=$(mktemp -d "$out.tmp.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# indexdb is the vulndb project's own tool for a database from OSV files.
	go run "golang.org/x/vulndb/cmd/indexdb@$version" -vulns "$src/data/osv" -out "$tmp/db" >&2
	# rename(2) onto a directory that is not empty fails, so a copy
	# another run has put in place is never replaced or removed.
	mv -T "$tmp/db" "$out" 2>/dev/null || true
	if [ ! -f "$out/index/db.json" ]; then
		echo "vulndb.sh: could not put the database in $out" >&2
		exit 1
	fi
fi
echo "$out"
