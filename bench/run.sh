#!/usr/bin/env bash
# Speed benchmark of composure (issue #5): times, in one run and on the same
# inputs,
#   (a) composure lint on the whole corpus, two ways:
#       a1  `composure lint DIR` — directory discovery, which skips the few
#           files without "compose" in their name and no top-level
#           `services:` (what a user runs);
#       a2  `composure lint FILE...` — every .yml/.yaml file named
#           explicitly, each its own project (the same files as the floor);
#   (b) composure and dclint 3.1.0 (npm package `dclint`, installed into a
#       temp dir) on a fixed subset: the first 100 files sorted by name;
#   (c) the YAML-parse floor: bench/floor parses the a2 files into yaml.Node
#       trees in GOMAXPROCS workers and does nothing else;
#   (d) a pre-commit hook run: `composure lint FILE` on one typical file,
#       process start to exit (the median-size corpus file among those named
#       like a project's main file, compose.yaml / docker-compose.yml...);
#       bench/startup then splits its one-time costs;
#   (e) `composure fix --diff DIR` on the whole corpus, in place: --diff
#       writes nothing (checked: the directory listing must not change).
# Each is the median of RUNS runs (DCLINT_RUNS for dclint) after one warm-up
# run, shown with the best (minimum) run and the CPU time (user + sys: the
# mean of hyperfine's runs, else one /usr/bin/time run), and peak RSS from
# one more run under /usr/bin/time. hyperfine is used when it is installed
# (Debian package hyperfine), a date loop otherwise. The machine may be
# shared and noisy (a run whose slowest time is over 1.5x its fastest is
# marked NOISY): compare ratios, and the best runs, more than medians.
#
# Usage: bench/run.sh [CORPUS_DIR]   (default ../shared/corpus/dev)
# Environment: RUNS (5), DCLINT_RUNS (3), HOOK_RUNS (20), SKIP_DCLINT=1,
# SKIP_FIX=1, HOOK_FILE (another file for d).
set -euo pipefail
cd "$(dirname "$0")/.."

corpus="${1:-../shared/corpus/dev}"
runs="${RUNS:-5}"
dclint_runs="${DCLINT_RUNS:-3}"
hook_runs="${HOOK_RUNS:-20}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== build"
go build -o "$tmp/composure" .
go build -o "$tmp/floor" ./bench/floor/main.go
go build -o "$tmp/startup" ./bench/startup/main.go
echo "go: $(go version | cut -d' ' -f3-), CPUs: $(nproc), commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (dirty)')"
have_hyperfine=false
if hv=$(hyperfine --version 2> /dev/null) && [ -n "$hv" ]; then
  have_hyperfine=true
  echo "timing with $hv"
else
  echo "timing with a date loop (install the hyperfine package for better statistics)"
fi
have_time=false
[ -x /usr/bin/time ] && have_time=true

# results: name -> median seconds, peak RSS KB
declare -A MED MIN MAX RSS CPU RUNSOF

# median of numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) {print "nan"; exit} if (NR % 2) print a[(NR+1)/2]; else printf "%.6f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# measure NAME RUNS CMD...: median wall seconds of RUNS runs (stdout and
# stderr discarded, exit codes ignored) and the peak RSS of one more run.
measure() {
  local name=$1 n=$2
  shift 2
  local times=()
  if $have_hyperfine; then
    local q=() a
    for a in "$@"; do q+=("$(printf '%q' "$a")"); done
    hyperfine -N -i --style none --warmup 1 --runs "$n" -n "$name" --export-json "$tmp/$name.json" "${q[*]}" > /dev/null 2>&1 || true
    if [ -s "$tmp/$name.json" ]; then
      mapfile -t times < <(python3 -c 'import json,sys; [print(t) for t in json.load(open(sys.argv[1]))["results"][0]["times"]]' "$tmp/$name.json" 2>/dev/null || true)
      CPU[$name]=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f" % (r["user"] + r["system"]))' "$tmp/$name.json" 2>/dev/null || echo -)
    fi
  fi
  if [ ${#times[@]} -eq 0 ]; then
    CPU[$name]=-
    "$@" > /dev/null 2>&1 || true # warm-up
    local i s e
    for ((i = 0; i < n; i++)); do
      s=$(date +%s%N)
      "$@" > /dev/null 2>&1 || true
      e=$(date +%s%N)
      times+=("$(awk -v s="$s" -v e="$e" 'BEGIN {printf "%.6f", (e - s) / 1e9}')")
    done
  fi
  MED[$name]=$(printf '%s\n' "${times[@]}" | median)
  MIN[$name]=$(printf '%s\n' "${times[@]}" | sort -g | head -1)
  MAX[$name]=$(printf '%s\n' "${times[@]}" | sort -g | tail -1)
  RUNSOF[$name]=$(printf '%.3f ' "${times[@]}")
  RSS[$name]=-
  if $have_time; then
    /usr/bin/time -f 'RSS %M CPU %U %S' "$@" > /dev/null 2> "$tmp/rss.err" || true
    local line
    line=$(grep -E '^RSS [0-9]+ CPU ' "$tmp/rss.err" | tail -1)
    if [ -n "$line" ]; then
      RSS[$name]=$(echo "$line" | cut -d' ' -f2)
      # without hyperfine: the CPU time of this one run (10 ms resolution)
      [ "${CPU[$name]}" = - ] && CPU[$name]=$(echo "$line" | awk '{printf "%.2f", $4 + $5}')
    fi
  fi
  printf '  %-16s median %7.3f s  min %7.3f s  cpu %6s s  RSS %6s MB  runs: %s%s\n' "$name" "${MED[$name]}" "${MIN[$name]}" \
    "${CPU[$name]}" "$(kb_to_mb "${RSS[$name]}")" "${RUNSOF[$name]}" \
    "$(awk -v a="${MAX[$name]}" -v b="${MIN[$name]}" 'BEGIN {if (b > 0 && a / b > 1.5) printf "  NOISY (max/min %.1f)", a / b}')"
}

kb_to_mb() { if [[ $1 =~ ^[0-9]+$ ]]; then awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; else echo "-"; fi; }
secs() { awk -v s="$1" 'BEGIN {printf "%.2f", s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0 && a == a + 0 && b == b + 0) printf "%.1f", a / b; else print "n/a"}'; }
# check LABEL VALUE OP TARGET UNIT [BEST]: PASS/FAIL of VALUE OP TARGET
check() { awk -v l="$1" -v v="$2" -v op="$3" -v t="$4" -v u="$5" -v best="${6:-}" 'BEGIN {
  if (v == "n/a" || v == "" || v == "-") { printf "  %-40s %10s   target %s %s%s   SKIP\n", l, "n/a", op, t, u; exit }
  ok = (op == "<=") ? (v + 0 <= t + 0) : (v + 0 >= t + 0)
  b = ""
  if (best != "" && best != "n/a") { okb = (op == "<=") ? (best + 0 <= t + 0) : (best + 0 >= t + 0); b = sprintf("   (best %s%s: %s)", best, u, okb ? "pass" : "fail") }
  printf "  %-40s %10s   target %s %s%s   %s%s\n", l, v u, op, t, u, ok ? "PASS" : "FAIL", b }'; }
ms() { awk -v s="$1" 'BEGIN {printf "%.1f", s * 1000}'; }

if [ ! -d "$corpus" ]; then
  echo "no corpus at $corpus: skipping (a), (b), (c) and (e)"
fi

if [ -d "$corpus" ]; then
  find "$corpus" -maxdepth 1 -type f \( -name '*.yml' -o -name '*.yaml' \) | LC_ALL=C sort > "$tmp/all.list"
  head -n 100 "$tmp/all.list" > "$tmp/sub100.list"
  mapfile -t all < "$tmp/all.list"
  mapfile -t sub100 < "$tmp/sub100.list"
  kb=$(cat "${all[@]}" | wc -c | awk '{printf "%d", $1 / 1024}')
  echo
  echo "== corpus: $corpus (${#all[@]} files, $kb KB)"
  set +e
  "$tmp/composure" lint --format json "$corpus" > "$tmp/dir.json" 2> /dev/null
  dir_code=$?
  "$tmp/composure" lint --format json "${all[@]}" > "$tmp/files.json" 2> /dev/null
  files_code=$?
  set -e
  python3 - "$tmp/dir.json" "$tmp/files.json" "$dir_code" "$files_code" << 'PY' || true
import json, sys
for label, path, code in (("lint DIR     ", sys.argv[1], sys.argv[3]), ("lint FILE... ", sys.argv[2], sys.argv[4])):
    s = json.load(open(path))["summary"]
    print(f"  {label} exit {code}: {s['files']} files linted, {s['findings']} findings, {s['errors']} load errors, {s.get('fixable', '?')} fixable")
PY

  echo
  echo "== (a) whole corpus"
  measure a1-lint-dir "$runs" "$tmp/composure" lint --format json "$corpus"
  measure a2-lint-files "$runs" "$tmp/composure" lint --format json "${all[@]}"

  echo
  echo "== (c) YAML-parse floor (same files as a2)"
  "$tmp/floor" "${all[@]}" 2>&1 | sed 's/^/  /'
  measure c-floor "$runs" "$tmp/floor" -q "${all[@]}"

  echo
  echo "== (b) 100-file subset (first 100 by name)"
  measure b-composure-100 "$runs" "$tmp/composure" lint --format json "${sub100[@]}"
  dclint=""
  if [ "${SKIP_DCLINT:-}" = 1 ]; then
    echo "  dclint: skipped (SKIP_DCLINT=1)"
  elif ! command -v npm > /dev/null; then
    echo "  dclint: skipped (npm is not installed)"
  else
    mkdir -p "$tmp/npm"
    if npm install --prefix "$tmp/npm" --no-audit --no-fund --loglevel=error dclint@3.1.0 > "$tmp/npm.log" 2>&1 &&
      [ -x "$tmp/npm/node_modules/.bin/dclint" ]; then
      dclint="$tmp/npm/node_modules/.bin/dclint"
      echo "  dclint $("$dclint" --version 2>/dev/null | tail -1) ($(node --version))"
      measure b-dclint-100 "$dclint_runs" "$dclint" "${sub100[@]}"
    else
      echo "  dclint: skipped (npm install dclint@3.1.0 failed: $(tail -1 "$tmp/npm.log"))"
    fi
  fi
fi

echo
echo "== (d) pre-commit hook: one file, process start to exit"
hook="${HOOK_FILE:-}"
if [ -z "$hook" ] && [ -d "$corpus" ]; then
  # median size among the files named like a project's main file
  # (the corpus flattens paths with "__": compare what follows the last one)
  hook=$(for f in "${all[@]}"; do
    b=$(basename "$f")
    case "${b##*__}" in compose.yaml | compose.yml | docker-compose.yml | docker-compose.yaml) printf '%s %s\n' "$(wc -c < "$f")" "$f" ;; esac
  done | sort -k1,1n -k2 | awk '{a[NR]=$2} END {print a[int((NR+1)/2)]}')
fi
[ -z "$hook" ] && hook=cmd/testdata/project/compose.yaml
echo "  file: $hook ($(wc -c < "$hook") bytes, $(wc -l < "$hook") lines)"
measure d-hook "$hook_runs" "$tmp/composure" lint "$hook"
measure d-version "$hook_runs" "$tmp/composure" version
echo "  package init (GODEBUG=inittrace=1, composure version):"
GODEBUG=inittrace=1 "$tmp/composure" version 2>&1 > /dev/null | awk '/^init/ {ms += $5; kb += $8 / 1024; n++; if ($5 + 0 >= 0.5) printf "    %-55s %6.2f ms\n", $2, $5} END {printf "    total: %d packages, %.2f ms, %.0f KB allocated\n", n, ms, kb}'
echo "  one-time work of the first lint (bench/startup, fresh processes; median of 5):"
for i in 1 2 3 4 5; do "$tmp/startup" "$hook"; done > "$tmp/startup.out"
for i in 1 2 3 4 5; do "$tmp/startup" -cold "$hook"; done >> "$tmp/startup.out"
awk -F': *' '!seen[$1]++ {print $1}' "$tmp/startup.out" | while IFS= read -r key; do
  printf '    %-32s %7.2f ms\n' "$key" "$(awk -F': *' -v k="$key" '$1 == k {sub(/ ms$/, "", $2); print $2}' "$tmp/startup.out" | median)"
done

if [ -d "$corpus" ]; then
  echo
  echo "== (e) fix --diff on the whole corpus (in place; writes nothing)"
  if [ "${SKIP_FIX:-}" = 1 ]; then
    echo "  skipped (SKIP_FIX=1)"
  else
    before=$(ls -lR --time-style=full-iso "$corpus" | md5sum)
    measure e-fix-diff-dir "$runs" "$tmp/composure" fix --diff "$corpus"
    after=$(ls -lR --time-style=full-iso "$corpus" | md5sum)
    [ "$before" = "$after" ] || echo "  WARNING: the corpus directory changed during fix --diff"
  fi
fi

echo
echo "== ratios (from medians; in brackets from the best runs, then from CPU time)"
# ratio3 A B: "median-ratio (min-ratio, cpu-ratio)"
ratio3() { printf '%s (best %s, cpu %s)' "$(ratio "${MED[$1]}" "${MED[$2]}")" "$(ratio "${MIN[$1]}" "${MIN[$2]}")" "$(ratio "${CPU[$1]}" "${CPU[$2]}")"; }
r_floor=n/a r_dclint=n/a r_fix=n/a b_floor=n/a b_dclint=n/a b_fix=n/a
if [ -d "$corpus" ]; then
  r_floor=$(ratio "${MED[a2-lint-files]}" "${MED[c-floor]}") b_floor=$(ratio "${MIN[a2-lint-files]}" "${MIN[c-floor]}")
  echo "  composure/floor (a2 / c, whole corpus):  $(ratio3 a2-lint-files c-floor)"
  echo "  composure/floor (a1 / c, discovery):     $(ratio3 a1-lint-dir c-floor)"
  if [ -n "${MED[b-dclint-100]:-}" ]; then
    r_dclint=$(ratio "${MED[b-dclint-100]}" "${MED[b-composure-100]}") b_dclint=$(ratio "${MIN[b-dclint-100]}" "${MIN[b-composure-100]}")
    echo "  dclint/composure (b, 100 files):         $(ratio3 b-dclint-100 b-composure-100)"
  fi
  if [ -n "${MED[e-fix-diff-dir]:-}" ]; then
    r_fix=$(ratio "${MED[e-fix-diff-dir]}" "${MED[a1-lint-dir]}") b_fix=$(ratio "${MIN[e-fix-diff-dir]}" "${MIN[a1-lint-dir]}")
    echo "  fix --diff / lint (e / a1):              $(ratio3 e-fix-diff-dir a1-lint-dir)"
  fi
fi

echo
echo "== targets (verdict on the median; best run in brackets)"
if [ -d "$corpus" ]; then
  check "whole corpus wall (a2, all files)" "$(secs "${MED[a2-lint-files]}")" "<=" 1.0 " s" "$(secs "${MIN[a2-lint-files]}")"
  check "whole corpus wall (a1, discovery)" "$(secs "${MED[a1-lint-dir]}")" "<=" 1.0 " s" "$(secs "${MIN[a1-lint-dir]}")"
  check "whole corpus peak RSS (a2)" "$(kb_to_mb "${RSS[a2-lint-files]}")" "<=" 150 " MB" ""
  check "whole corpus peak RSS (a1)" "$(kb_to_mb "${RSS[a1-lint-dir]}")" "<=" 150 " MB" ""
  check "composure/floor (a2 / c)" "$r_floor" "<=" 10 "" "$b_floor"
  check "100 files: times faster than dclint" "$r_dclint" ">=" 50 "x" "$b_dclint"
fi
check "single-file hook run (d)" "$(ms "${MED[d-hook]}")" "<=" 25 " ms" "$(ms "${MIN[d-hook]}")"
if [ -d "$corpus" ]; then
  # Issue 13 allows 2.2 (issue 5 asked for 2, before fix verified runs).
  check "fix --diff / lint (e / a1)" "$r_fix" "<=" 2.2 "" "$b_fix"
fi
