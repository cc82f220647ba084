#!/usr/bin/env bash
# Lints the whole corpus and prints files, findings per rule, wall time and
# peak memory. Usage: bench/corpus.sh [CORPUS_DIR] (default ../shared/corpus/dev)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus/dev}"
if [ ! -d "$corpus" ]; then echo "no corpus at $corpus; skipping"; exit 0; fi
bin=$(mktemp -d)/composure
go build -o "$bin" .
files=$(find "$corpus" -type f \( -name '*.yml' -o -name '*.yaml' \) | wc -l)
echo "corpus: $corpus ($files files)"
out=$(mktemp)
runs=5
times=()
for i in $(seq $runs); do
  start=$(date +%s.%N)
  set +e; "$bin" lint --format json "$corpus" > "$out"; set -e
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc)")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
echo "wall time, median of $runs runs: ${median}s (runs: ${times[*]})"
if [ -x /usr/bin/time ]; then
  set +e; /usr/bin/time -f "peak RSS: %M KB" "$bin" lint --format json "$corpus" > /dev/null; set -e
fi
python3 - "$out" <<'PY'
import json, sys, collections
d = json.load(open(sys.argv[1]))
c = collections.Counter(f["rule"] for f in d["findings"])
print(f'files linted: {d["summary"]["files"]}, findings: {d["summary"]["findings"]}, load errors: {d["summary"]["errors"]}')
for rule, n in sorted(c.items(), key=lambda x: -x[1]):
    print(f"  {n:6d}  {rule}")
PY
