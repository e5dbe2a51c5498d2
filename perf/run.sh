#!/usr/bin/env bash
# The benchmark suite, side by side: perf/run.sh [--quick] [--runs N] [--only name,...]
# Builds tiered and the NLua host, runs perf/benchmarks/*.lua under every system and writes
# perf/results/latest.md, latest.json and warmup.svg. See perf/README.md; --help for options.
set -euo pipefail
perf="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$perf")"

# What the systems need: the reference and LuaJIT from Debian, and LLVM for tiered's native
# tier. Installing may be impossible (not root, no sudo): the harness then skips what is
# missing and says so, except lua5.4, which it cannot do without.
. "$root/scripts/deps.sh"
( apt_install lua5.4 luajit libllvm19 time ) || echo "perf: continuing without the packages above" >&2

if ! command -v python3 >/dev/null 2>&1; then
    echo "perf: python3 is required to run perf/harness.py" >&2
    exit 2
fi
exec python3 "$perf/harness.py" "$@"
