#!/usr/bin/env bash
# Tiered's micro-benchmarks (BenchmarkDotNet, perf/Micro): perf/micro.sh [--quick] [--filter GLOB]...
# Builds perf/Micro in Release, runs the benchmarks (all of them unless a --filter is given)
# and writes perf/results/micro.md: a header, then BenchmarkDotNet's GitHub-markdown table of
# each benchmark class. Any other argument goes to BenchmarkDotNet. See perf/README.md.
#   --quick       a short job (3 warm-ups, 3 iterations): checks everything runs; noisy numbers
#   --inprocess   run in this process instead of a generated, separately built one (faster to
#                 start; the JIT settings are the same, from Tiered.Micro.runtimeconfig.json)
set -euo pipefail
perf="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$perf")"

. "$root/scripts/deps.sh"
need_dotnet
# The native-tier benchmarks need LLVM 19; without it they fail and say so.
( apt_install libllvm19 ) || echo "micro: continuing without libllvm19" >&2

quick=0
args=()
for a in "$@"; do
    case "$a" in
        --quick) quick=1; args+=("$a") ;;
        *) args+=("$a") ;;
    esac
done
printf '%s\n' "${args[@]}" | grep -q -- '--filter' || args+=(--filter '*')

dotnet build "$perf/Micro/Tiered.Micro.csproj" -c Release -nologo -v quiet
artifacts="$(mktemp -d)"
trap 'rm -rf "$artifacts"' EXIT
( cd "$perf/Micro" && dotnet bin/Release/net10.0/Tiered.Micro.dll "${args[@]}" --artifacts "$artifacts" )

out="$perf/results/micro.md"
mkdir -p "$perf/results"
{
    echo "# Micro-benchmarks"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- command: perf/micro.sh ${*:-}"
    if [ "$quick" = 1 ]; then
        echo
        echo "**Quick run (short job: 3 warm-ups, 3 iterations). The numbers show that the benchmarks work; they are too noisy to compare.**"
    fi
    echo
    echo "What each class measures: perf/README.md, section Micro-benchmarks. Times are per operation (per loop iteration, table access, call or function, as the class says)."
    for f in "$artifacts"/results/*-report-github.md; do
        [ -e "$f" ] || continue
        name="$(basename "$f" -report-github.md)"
        echo
        echo "## ${name##*.}"
        echo
        # BenchmarkDotNet's environment block (a fenced code block) is the same in every
        # report: keep it once, in the first section.
        cat "$f"
    done
} > "$out"
echo "micro: wrote $out"
