#!/usr/bin/env bash
# The tier-0 interpreter against lua5.4: perf/interp.sh [--runs N] [--no-build] [harness options]
# Times `tiered run --jit off` and lua5.4 alternately on the scripts an interpreter lives on
# (calls: fib; arithmetic: loops; tables: tablefill, inttable; method calls: richards; string
# building: strbuild), prints wall-time and peak-memory ratios, and writes its report to
# perf/results/interp/ (the committed full-suite report in perf/results/ is left alone).
# inttable is the memory case: one table of a million integers.
set -euo pipefail
perf="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$perf/run.sh" --systems tiered-off --no-startup \
    --only fib,loops,tablefill,inttable,richards,strbuild \
    --results-dir "$perf/results/interp" --runs 3 "$@"
