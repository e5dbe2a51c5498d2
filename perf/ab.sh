#!/usr/bin/env bash
# Interleaved A/B of tiered builds on one benchmark: perf/ab.sh BENCH RUNS DIR [DIR...]
#
# Each DIR holds a published tiered (DIR/tiered, e.g. a copy of artifacts/publish/tiered taken
# before a change). Every build first warms its own code-cache directory, then the builds take
# turns, RUNS times, so a drift in the machine's speed touches them alike; the report is the
# minimum and the median CPU time (user + system) per build. On a noisy VM the minimum over 5-9 runs is the
# figure to compare: single runs of the full suite (perf/run.sh) move by 10-20%.
set -euo pipefail
if [ $# -lt 3 ]; then
    echo "usage: perf/ab.sh BENCH RUNS DIR [DIR...]   (DIR/tiered is a published build)" >&2
    exit 2
fi
bench=$1; runs=$2; shift 2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
script="$root/perf/benchmarks/$bench.lua"
[ -f "$script" ] || { echo "perf/ab.sh: no benchmark $script" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
builds=("$@")
times=()
for i in "${!builds[@]}"; do
    d=${builds[$i]}
    [ -x "$d/tiered" ] || { echo "perf/ab.sh: $d/tiered is not an executable" >&2; exit 2; }
    # One run fills the build's own cache directory, so the timed runs are warm runs.
    "$d/tiered" run --cache-dir "$work/cache-$i" "$script" >/dev/null
    times[$i]=""
done
for _ in $(seq "$runs"); do
    for i in "${!builds[@]}"; do
        t=$( { /usr/bin/time -f "%U %S" "${builds[$i]}/tiered" run --cache-dir "$work/cache-$i" "$script" >/dev/null; } 2>&1 | tail -1 | awk '{printf "%.2f", $1 + $2}' )
        times[$i]="${times[$i]} $t"
    done
done
for i in "${!builds[@]}"; do
    echo "$bench ${builds[$i]}: $(echo ${times[$i]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {printf "min %s s, median %s s (user + system CPU, %d runs)", a[1], a[int((NR+1)/2)], NR}')"
done
