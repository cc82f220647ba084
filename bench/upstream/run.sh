#!/usr/bin/env bash
# Measures what an upstream change to compose-go would give composure,
# without touching go.mod: it copies the compose-go module composure
# builds with, applies compose-go-path-matches.patch (tree.Path.Matches
# without allocating: it split both paths on every call, ~28% of a corpus
# lint's CPU), builds composure against the copy through a temporary
# -modfile with a replace directive, and times both builds on the corpus
# next to the YAML-parse floor. Findings must be the same (load error
# messages are left out: compose-go picks one of several schema errors of
# a file at random, patched or not).
#
# Usage: bench/upstream/run.sh [CORPUS_DIR]   (default ../shared/corpus/dev)
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus="${1:-../shared/corpus/dev}"
if [ ! -d "$corpus" ]; then echo "no corpus at $corpus; skipping"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

src=$(go list -m -f '{{.Dir}}' github.com/compose-spec/compose-go/v2)
cp -r "$src" "$tmp/compose-go"
chmod -R u+w "$tmp/compose-go"
(cd "$tmp/compose-go" && patch -s -p1 < "$OLDPWD/bench/upstream/compose-go-path-matches.patch")
cp go.mod "$tmp/go.mod"
cp go.sum "$tmp/go.sum"
echo "replace github.com/compose-spec/compose-go/v2 => $tmp/compose-go" >> "$tmp/go.mod"

go build -o "$tmp/composure" .
go build -modfile="$tmp/go.mod" -o "$tmp/composure-patched" .
go build -o "$tmp/floor" ./bench/floor/main.go

findings() { "$1" lint --format json "$corpus" 2> /dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); json.dump([d["findings"], sorted(e["file"] for e in d.get("errors", []))], sys.stdout)' || true; }
if [ "$(findings "$tmp/composure")" = "$(findings "$tmp/composure-patched")" ]; then
  echo "findings: identical"
else
  echo "findings: DIFFERENT"
fi

find "$corpus" -type f \( -name '*.yml' -o -name '*.yaml' \) | sort > "$tmp/list"
hyperfine -N -i --warmup 1 --runs "${RUNS:-7}" \
  -n floor "$tmp/floor -q -list $tmp/list" \
  -n composure "$tmp/composure lint $corpus" \
  -n patched "$tmp/composure-patched lint $corpus" 2>&1 | grep -E 'Benchmark|Time|faster' || true
