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
	rm -rf "$out.tmp"
	mkdir -p "$(dirname "$out")"
	# indexdb is the vulndb project's own tool for a database from OSV files.
	go run "golang.org/x/vulndb/cmd/indexdb@$version" -vulns "$src/data/osv" -out "$out.tmp" >&2
	rm -rf "$out"
	mv "$out.tmp" "$out"
fi
echo "$out"
