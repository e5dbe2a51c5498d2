#!/usr/bin/env python3
"""The side-by-side benchmark harness: perf/run.sh [--quick] [--runs N] [--only name,...]

Runs every perf/benchmarks/*.lua under each system below, round-robin within each repetition
so that drift on the machine (other builds, thermal state) hits all systems alike, then
reports medians, ratios to lua5.4 and geometric means in perf/results/latest.{md,json}, a
start-up table (perf/startup/empty.lua) and a warm-up chart (perf/results/warmup.svg).

Every run's standard output is compared byte for byte with lua5.4's: a system that prints
something else is marked FAIL in the tables and left out of its geometric mean, never hidden.

Systems, in the order they run within a repetition:

    tiered-off     tiered run --jit off                    the interpreter alone (published build)
    tiered-cold    tiered run  (adaptive)                  with a new, empty code-cache dir
    tiered-warm    tiered run  (adaptive)                  on the cache the cold run just left
    lua5.4         lua5.4                                  the reference for output and ratios
    luajit         luajit                                  trace compiler on
    luajit-joff    luajit -joff                            LuaJIT's interpreter alone
    nlua           dotnet nlua-host.dll (perf/NLuaHost)    PUC Lua 5.4 inside .NET via NLua

Only the standard library is used, so nothing needs installing beyond python3.
"""
from __future__ import annotations

import argparse
import datetime
import html
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# ------------------------------------------------------------------ places and tunables

PERF = Path(__file__).resolve().parent
ROOT = PERF.parent
BENCH_DIR = PERF / "benchmarks"
EMPTY_SCRIPT = PERF / "startup" / "empty.lua"
RESULTS = PERF / "results"
# The ahead-of-time publish (scripts/publish: Native AOT, or ReadyToRun where that cannot be
# built): what users run, and it starts far faster than `dotnet tiered.dll`.
TIERED_BIN = ROOT / "artifacts" / "publish" / "tiered" / "tiered"
TIERED_PUBLISH = ROOT / "scripts" / "publish"
NLUA_PROJECT = PERF / "NLuaHost" / "NLuaHost.csproj"
NLUA_DLL = PERF / "NLuaHost" / "bin" / "Release" / "net10.0" / "nlua-host.dll"
NLUA_PINS = PERF / "NLuaHost" / "Directory.Packages.props"

QUICK_FACTOR = 0.1          # --quick: benchmarks scale their work by this (arg[1])
DEFAULT_RUNS = 5            # median of this many runs per system and benchmark
QUICK_RUNS = 2
STARTUP_MIN_RUNS = 5        # empty.lua is cheap: at least this many runs even in --quick
RUN_TIMEOUT_S = 300         # one process; --quick uses QUICK_RUN_TIMEOUT_S
QUICK_RUN_TIMEOUT_S = 60
QUICK_BUDGET_S = 150        # --quick ends within ~3 minutes: repetitions past the first are
                            # dropped when they would not fit (see run_benchmarks)
WARMUP_BENCHMARKS = ("nbody", "richards")   # these print per-iteration times when asked
ITER_TIMES_ENV = "TIERED_BENCH_ITER_TIMES"
CACHE_ENV = "TIERED_CACHE_DIR"
REFERENCE = "lua5.4"

SYSTEMS = ["tiered-off", "tiered-cold", "tiered-warm", "lua5.4", "luajit", "luajit-joff", "nlua"]
STARTUP_SYSTEMS = ["tiered-off", "tiered-adaptive", "lua5.4", "luajit", "nlua"]
SYSTEM_NOTES = {
    "tiered-off": "`tiered run --jit off`: the interpreter only",
    "tiered-cold": "`tiered run` (adaptive), new empty cache dir",
    "tiered-warm": "`tiered run` (adaptive), the cache the cold run of the same repetition left",
    "tiered-adaptive": "`tiered run` (adaptive), new empty cache dir",
    "lua5.4": "PUC Lua 5.4 (reference)",
    "luajit": "LuaJIT, JIT on",
    "luajit-joff": "`luajit -joff`: LuaJIT's interpreter",
    "nlua": "NLua (PUC Lua 5.4 via KeraLua) in a .NET host; whole process",
    "nlua-inner": "NLua, time measured inside the host after start-up (load + run)",
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ building and probing

def capture(argv: list[str], timeout: float = 120, cwd: Path | None = None) -> tuple[int, str]:
    """Runs a helper command (not a measured one); returns exit code and stdout+stderr."""
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=timeout, cwd=cwd, stdin=subprocess.DEVNULL)
        return p.returncode, p.stdout
    except (OSError, subprocess.TimeoutExpired) as e:
        return -1, str(e)


def build_dotnet(project: Path, extra: list[str]) -> tuple[bool, str]:
    env_argv = ["dotnet", "build", str(project), "-c", "Release", "--nologo", "-v", "quiet", *extra]
    code, out = capture(env_argv, timeout=600)
    return code == 0, out


class Setup:
    """What is available on this machine, and notes about it for the report."""

    def __init__(self, args: argparse.Namespace):
        self.notes: list[str] = []
        self.unavailable: dict[str, str] = {}
        self.cache_option = False
        self.profile_option = False
        self.versions: dict[str, str] = {}
        os.environ.setdefault("DOTNET_CLI_TELEMETRY_OPTOUT", "1")
        os.environ.setdefault("DOTNET_NOLOGO", "1")
        self._tiered(args.no_build)
        self._nlua(args.no_build)
        for tool in ("lua5.4", "luajit"):
            if shutil.which(tool) is None:
                self.unavailable[tool] = f"`{tool}` is not on PATH (apt-get install {tool})"
        if "luajit" in self.unavailable:
            self.unavailable["luajit-joff"] = self.unavailable["luajit"]
        if REFERENCE in self.unavailable:
            sys.exit("harness: lua5.4 is the reference for outputs and ratios and is missing")
        self._versions()

    def _tiered(self, no_build: bool) -> None:
        if shutil.which("dotnet") is None:
            for s in ("tiered-off", "tiered-cold", "tiered-warm", "tiered-adaptive", "nlua"):
                self.unavailable[s] = "no `dotnet` on PATH"
            return
        if not no_build:
            log("harness: publishing tiered (scripts/publish: Native AOT or ReadyToRun) ...")
            proc = subprocess.run([str(TIERED_PUBLISH)], capture_output=True, text=True)
            ok, out = proc.returncode == 0, proc.stdout + proc.stderr
            if not ok:
                tail = " | ".join(l.strip() for l in out.strip().splitlines()[-3:])
                if TIERED_BIN.exists():
                    stamp = datetime.datetime.fromtimestamp(TIERED_BIN.stat().st_mtime)
                    self.notes.append(f"The tiered build failed ({tail}); measured the existing "
                                      f"artifacts/publish/tiered/tiered built {stamp:%Y-%m-%d %H:%M}.")
                else:
                    for s in ("tiered-off", "tiered-cold", "tiered-warm", "tiered-adaptive"):
                        self.unavailable[s] = f"tiered does not build: {tail}"
                    return
        if not TIERED_BIN.exists():
            for s in ("tiered-off", "tiered-cold", "tiered-warm", "tiered-adaptive"):
                self.unavailable[s] = "artifacts/publish/tiered/tiered missing (run without --no-build)"
            return
        # Which kind of build is measured: ReadyToRun leaves the assemblies beside the executable.
        kind = "ReadyToRun" if (TIERED_BIN.parent / "tiered.dll").exists() else "Native AOT"
        self.notes.append(f"tiered is the {kind} build of scripts/publish.")
        # The cache-dir option may not exist yet: look for it in the usage text, and set the
        # environment variable as well in any case.
        _, usage = capture([str(TIERED_BIN), "run", "--help"])
        _, usage2 = capture([str(TIERED_BIN), "--help"])
        self.cache_option = "--cache-dir" in usage + usage2
        # Likewise `--profile FILE` (docs/profile-schema.md): the native tier's and the cache's
        # costs come from it; without it those cells read n/a.
        self.profile_option = "--profile" in usage + usage2
        if not self.profile_option:
            self.notes.append("`tiered run` has no `--profile` option, so the native tier and "
                              "cache costs are n/a.")
        how = "`--cache-dir DIR` and " if self.cache_option else ""
        self.notes.append(f"Tiered's code cache is pointed at a fresh directory per cold run with "
                          f"{how}`{CACHE_ENV}=DIR`" +
                          ("." if self.cache_option else
                           "; `tiered run` has no `--cache-dir` option yet, so it is up to the "
                           "engine to honour the variable."))

    def _nlua(self, no_build: bool) -> None:
        if "nlua" in self.unavailable:
            return
        if not no_build or not NLUA_DLL.exists():
            log("harness: building the NLua host (perf/NLuaHost) ...")
            ok, out = build_dotnet(NLUA_PROJECT, [])
            if not ok:
                # The first error line names the cause (e.g. NU1102: package version not found).
                lines = [l.strip() for l in out.splitlines() if "error" in l.lower()]
                why = lines[0] if lines else (out.strip().splitlines() or ["no output"])[-1]
                self.unavailable["nlua"] = f"perf/NLuaHost does not build/restore: {why[:300]}"
                self.notes.append(f"NLua skipped: {self.unavailable['nlua']}")
                return
        if not NLUA_DLL.exists():
            self.unavailable["nlua"] = "perf/NLuaHost built but nlua-host.dll is missing"

    def _versions(self) -> None:
        v = self.versions
        if TIERED_BIN.exists():
            v["tiered"] = capture([str(TIERED_BIN), "--version"])[1].strip()
            _, head = capture(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
            _, dirty = capture(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"])
            v["tiered"] += f" (commit {head.strip()}" + (", uncommitted changes in src/)" if dirty.strip() else ")")
            v["dotnet"] = capture(["dotnet", "--version"])[1].strip()
        v["lua5.4"] = capture(["lua5.4", "-v"])[1].strip()
        if "luajit" not in self.unavailable:
            v["luajit"] = capture(["luajit", "-v"])[1].strip()
        if "nlua" not in self.unavailable:
            v["nlua"] = self._nlua_versions()
        v["python"] = platform.python_version()

    @staticmethod
    def _nlua_versions() -> str:
        assets = PERF / "NLuaHost" / "obj" / "project.assets.json"
        try:
            libs = json.loads(assets.read_text())["libraries"]
            found = sorted(k for k in libs if k.split("/")[0] in ("NLua", "KeraLua"))
            return ", ".join(found) + " (PUC Lua 5.4 native library from KeraLua)"
        except (OSError, KeyError, ValueError):
            return "NLua (versions unknown)"


def machine_info() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1048576:.1f} GiB"
    except OSError:
        pass
    return {
        "nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()),
        "cpu": cpu,
        "mem": mem,
        "kernel": f"{platform.system()} {platform.release()}",
        "loadavg_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# ------------------------------------------------------------------ running one process

ITER_LINE = re.compile(r"^iter-ms (\d+) ([0-9.]+)$", re.M)
INNER_LINE = re.compile(r"^nlua-inner-ms: ([0-9.]+)$", re.M)


TIME_TOOL = "/usr/bin/time"   # GNU time: its -f %M is the peak RSS of the command alone


def run_process(argv: list[str], env: dict[str, str], cwd: Path, timeout: float) -> dict:
    """One measured process: wall time, peak RSS, exit code, output.

    The peak RSS comes from GNU time when it is there, not from our own wait4(): Linux
    carries a process's high-water mark across exec, so a child forked from this Python
    process would report at least Python's ~18 MiB; GNU time's own child is forked from a
    process of about 2 MiB. GNU time adds the same ~1 ms of fork/exec to every system."""
    use_time = os.access(TIME_TOOL, os.X_OK)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r", suffix=".rss") as rss:
        full = [TIME_TOOL, "-f", "%M", "-o", rss.name, *argv] if use_time else argv
        start = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                env=env, cwd=cwd, start_new_session=True)
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            try:
                os.killpg(proc.pid, 9)        # GNU time and the command under it
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)   # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read().decode("utf-8", "replace")
        peak_kb = usage.ru_maxrss
        if use_time:
            # GNU time writes "Command exited with non-zero status N" before the number.
            numbers = re.findall(r"^(\d+)$", rss.read(), re.M)
            peak_kb = int(numbers[-1]) if numbers else 0
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss_kb": peak_kb,
        "exit": proc.returncode,
        "timed_out": timed_out.is_set(),
        "stdout": stdout,
        "stderr": stderr,
    }


class Runner:
    def __init__(self, setup: Setup, factor: float, timeout: float, workdir: Path):
        self.setup = setup
        self.factor = factor
        self.timeout = timeout
        self.workdir = workdir
        self.cache_dirs: list[Path] = []
        self.current_cache: Path | None = None
        self.current_profile: Path | None = None   # where the run being made writes its profile
        self.profiles_made = 0

    def _fresh_cache(self) -> Path:
        d = Path(tempfile.mkdtemp(prefix="cache-", dir=self.workdir))
        self.cache_dirs.append(d)
        return d

    def _profile_option(self, system: str) -> list[str]:
        """`--profile FILE` for the cold and warm runs, when `tiered run` has the option."""
        self.current_profile = None
        if system not in PROFILED_SYSTEMS or not self.setup.profile_option:
            return []
        self.profiles_made += 1
        self.current_profile = self.workdir / f"profile-{self.profiles_made}.json"
        self.current_profile.unlink(missing_ok=True)
        return ["--profile", str(self.current_profile)]

    def command(self, system: str, script: Path, script_args: list[str]) -> tuple[list[str], dict]:
        env = dict(os.environ)
        tiered = [str(TIERED_BIN), "run"]
        if system == "tiered-off":
            return [*tiered, "--jit", "off", str(script), *script_args], env
        if system in ("tiered-cold", "tiered-adaptive", "tiered-warm"):
            if system != "tiered-warm" or self.current_cache is None:
                self.current_cache = self._fresh_cache()
            env[CACHE_ENV] = str(self.current_cache)
            opt = ["--cache-dir", str(self.current_cache)] if self.setup.cache_option else []
            opt += self._profile_option(system)
            return [*tiered, *opt, str(script), *script_args], env
        if system == "lua5.4":
            return ["lua5.4", str(script), *script_args], env
        if system == "luajit":
            return ["luajit", str(script), *script_args], env
        if system == "luajit-joff":
            return ["luajit", "-joff", str(script), *script_args], env
        if system == "nlua":
            return ["dotnet", str(NLUA_DLL), str(script), *script_args], env
        raise ValueError(system)

    def run(self, system: str, script: Path, script_args: list[str], iter_times: bool) -> dict:
        argv, env = self.command(system, script, script_args)
        if iter_times:
            env[ITER_TIMES_ENV] = "1"
        r = run_process(argv, env, self.workdir, self.timeout)
        r["iter_ms"] = [float(ms) for _, ms in ITER_LINE.findall(r["stderr"])]
        m = INNER_LINE.search(r["stderr"])
        r["inner_ms"] = float(m.group(1)) if m else None
        if system in ("tiered-cold", "tiered-adaptive") and self.current_cache is not None:
            r["cache_files"] = sum(len(f) for _, _, f in os.walk(self.current_cache))
        if self.current_profile is not None:
            r["profile"], problem = read_profile(self.current_profile)
            if problem:
                r["profile_problem"] = problem
            self.current_profile.unlink(missing_ok=True)
        return r


# ------------------------------------------------------------------ the profile of a tiered run

PROFILED_SYSTEMS = ("tiered-cold", "tiered-warm")


def _num(d: dict, key: str) -> float:
    """A counter from the profile; missing or not a number reads as 0, as tiered's readers do."""
    v = d.get(key)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0.0


def short_name(name: str) -> str:
    """`function </long/path/nbody.lua:46>` -> `function <nbody.lua:46>`."""
    return re.sub(r"<[^<>]*[/\\]([^/\\<>]+)>", r"<\1>", name)


def read_profile(path: Path) -> tuple[dict | None, str | None]:
    """The costs the report needs from a `tiered run --profile` file (docs/profile-schema.md),
    or None and why not: a run that failed or was killed may leave no file or half of one."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, "no profile written"
    except (OSError, ValueError) as e:
        return None, f"profile unreadable: {str(e)[:120]}"
    if not isinstance(doc, dict) or doc.get("schema") != "tiered-profile/1":
        return None, f"profile schema {doc.get('schema') if isinstance(doc, dict) else '?'!r} not understood"
    summary = doc.get("summary") if isinstance(doc.get("summary"), dict) else {}
    functions = [f for f in doc.get("functions") or [] if isinstance(f, dict)]
    compiled = [{"name": short_name(str(f.get("name", ""))), "compile_ms": _num(f, "compileMs"),
                 "compilations": int(_num(f, "compilations"))}
                for f in functions if _num(f, "compilations") > 0]
    since = sorted(_num(f, "nativeSinceMs") for f in functions
                   if isinstance(f.get("nativeSinceMs"), (int, float)))
    hits = int(_num(summary, "cacheHits"))
    load_ms = _num(summary, "cacheLoadMs")
    return {
        "jit_mode": str(summary.get("jitMode", "")),
        "wall_ms": _num(summary, "wallMs"),
        "llvm_compilations": int(_num(summary, "llvmCompilations")),
        "compile_ms": _num(summary, "compileMs"),
        "functions_native": int(_num(summary, "functionsNative")),
        "cache_hits": hits,
        "cache_misses": int(_num(summary, "cacheMisses")),
        "cache_load_ms": load_ms,
        "load_ms_per_function": load_ms / hits if hits else None,
        "functions_from_cache": sum(1 for f in functions if f.get("fromCache") is True),
        "compiled": compiled,                 # one entry per function LLVM compiled in this run
        "first_native_ms": since[0] if since else None,
        "last_native_ms": since[-1] if since else None,
    }, None


# ------------------------------------------------------------------ judging runs

def judge(run: dict, reference: bytes | None) -> str:
    if run["timed_out"]:
        return "TIMEOUT"
    if run["exit"] != 0:
        return f"ERROR (exit {run['exit']})"
    if reference is None:
        return "no reference"
    return "ok" if run["stdout"] == reference else "FAIL (wrong output)"


def problem_excerpt(run: dict, reference: bytes | None) -> str:
    if run["timed_out"]:
        return "killed after the time limit"
    if run["exit"] != 0:
        lines = [l for l in run["stderr"].splitlines() if l and not l.startswith(("iter-ms", "nlua-inner-ms"))]
        return " / ".join(lines[:2])[:300]
    got = run["stdout"].decode("utf-8", "replace").strip().splitlines()
    want = (reference or b"").decode("utf-8", "replace").strip().splitlines()
    for g, w in zip(got + ["<nothing>"] * len(want), want + ["<nothing>"] * len(got)):
        if g != w:
            return f"got `{g[:140]}`, lua5.4 printed `{w[:140]}`"
    return "output differs"


def summarize(runs: list[dict], reference: bytes | None) -> dict:
    statuses = [judge(r, reference) for r in runs]
    bad = [s for s in statuses if s != "ok"]
    walls = [r["wall_s"] for r in runs]
    inner = [r["inner_ms"] for r in runs if r.get("inner_ms") is not None]
    summary = {
        "status": bad[0] if bad else "ok",
        "runs": len(runs),
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "max_s": max(walls),
        "walls_s": walls,
        "cpu_median_s": statistics.median(r["cpu_s"] for r in runs),
        "rss_kb": int(statistics.median(r["rss_kb"] for r in runs)),
        "inner_median_ms": statistics.median(inner) if inner else None,
    }
    if bad:
        summary["problem"] = problem_excerpt(runs[statuses.index(bad[0])], reference)
    if any("cache_files" in r for r in runs):
        summary["cache_files"] = [r.get("cache_files", 0) for r in runs]
    if any("profile" in r for r in runs):
        summary["profiles"] = [r.get("profile") for r in runs]      # None: that run left none
        problems = [r["profile_problem"] for r in runs if r.get("profile_problem")]
        if problems:
            summary["profile_problems"] = problems
    iters = [r["iter_ms"] for r in runs if r["iter_ms"]]
    if iters:
        n = min(len(i) for i in iters)
        summary["iter_ms_median"] = [statistics.median(i[k] for i in iters) for k in range(n)]
        summary["iter_ms_runs"] = iters
    return summary


# ------------------------------------------------------------------ the measurements

def run_benchmarks(runner: Runner, setup: Setup, names: list[str], runs: int,
                   deadline: float | None) -> tuple[dict, list[str]]:
    """Returns the summaries and the benchmarks that got fewer runs because of the deadline.

    With a deadline (time.monotonic()), a repetition after the first is run only if it and
    the first repetitions of the benchmarks still to come (estimated from those done so far)
    fit before it: every benchmark gets at least one run, the early ones more if time allows."""
    systems = [s for s in SYSTEMS if s not in setup.unavailable]
    script_args = [repr(runner.factor)]
    results = {}
    first_rep_s: list[float] = []
    cut: list[str] = []
    for index, name in enumerate(names, 1):
        script = BENCH_DIR / f"{name}.lua"
        iter_times = name in WARMUP_BENCHMARKS
        raw: dict[str, list[dict]] = {s: [] for s in systems}
        given_up: set[str] = set()
        reference: bytes | None = None
        for rep in range(1, runs + 1):
            if rep > 1 and deadline is not None:
                still_to_come = (len(names) - index) * statistics.mean(first_rep_s)
                if time.monotonic() + first_rep_s[-1] + still_to_come > deadline:
                    cut.append(name)
                    break
            began = time.monotonic()
            line = []
            for system in systems:
                # A system that crashed or hung once on a benchmark will again: save the time.
                if system in given_up:
                    continue
                r = runner.run(system, script, script_args, iter_times)
                raw[system].append(r)
                if system == REFERENCE and reference is None and r["exit"] == 0:
                    reference = r["stdout"]
                if r["exit"] != 0 or r["timed_out"]:
                    given_up.add(system)
                line.append(f"{system} {r['wall_s']:.2f}s" + ("" if r["exit"] == 0 else " ERR"))
            if rep == 1:
                first_rep_s.append(time.monotonic() - began)
            log(f"[{index}/{len(names)}] {name} run {rep}/{runs}: " + ", ".join(line))
        results[name] = {s: summarize(raw[s], reference) for s in systems if raw[s]}
        results[name]["_reference_output"] = (reference or b"").decode("utf-8", "replace").strip()
    return results, cut


def run_startup(runner: Runner, setup: Setup, runs: int) -> dict:
    systems = [s for s in STARTUP_SYSTEMS if s not in setup.unavailable]
    # One unrecorded run each first, so the first measured one does not pay for a cold disk.
    for system in systems:
        runner.run(system, EMPTY_SCRIPT, [], False)
    raw: dict[str, list[dict]] = {s: [] for s in systems}
    for rep in range(runs):
        for system in systems:
            raw[system].append(runner.run(system, EMPTY_SCRIPT, [], False))
    log("startup: " + ", ".join(f"{s} {statistics.median(r['wall_s'] for r in raw[s]) * 1000:.0f}ms"
                                for s in systems))
    return {s: summarize(raw[s], b"") for s in systems}


# ------------------------------------------------------------------ report: numbers

def geomean(xs: list[float]) -> float | None:
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def ratio(summary: dict | None, ref: dict | None) -> float | None:
    if not summary or not ref or ref["status"] != "ok":
        return None
    return summary["median_s"] / ref["median_s"]


def geomeans(results: dict, systems: list[str]) -> dict:
    out = {}
    for s in systems:
        ratios, secs = [], []
        for name, per in results.items():
            sm, ref = per.get(s), per.get(REFERENCE)
            if sm and sm["status"] == "ok" and ratio(sm, ref) is not None:
                ratios.append(ratio(sm, ref))
                secs.append(sm["median_s"])
        out[s] = {"ratio": geomean(ratios), "seconds": geomean(secs), "count": len(ratios)}
    inner = [per["nlua"]["inner_median_ms"] / 1000 / per[REFERENCE]["median_s"]
             for per in results.values()
             if "nlua" in per and per["nlua"]["status"] == "ok" and per["nlua"]["inner_median_ms"]
             and per.get(REFERENCE, {}).get("status") == "ok"]
    if inner:
        out["nlua-inner"] = {"ratio": geomean(inner), "count": len(inner)}
    return out


def _median(xs: list) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def native_costs(results: dict) -> dict:
    """The native tier's and the cache's costs, per benchmark and over all, from the profiles
    of the tiered-cold and tiered-warm runs. None stands for "no profile to say" (n/a in the
    report); a per-function figure is also None when no function was compiled or loaded.

    Per benchmark, run-level figures are medians over the runs that left a profile; the
    per-function compile times of all cold runs are pooled (median and worst of them), and
    warm compilations are the most any warm run made (0 when the cache did its job)."""
    benchmarks, pooled, loads = {}, [], []
    for name, per in results.items():
        cold = [p for p in per.get("tiered-cold", {}).get("profiles", []) if p]
        warm = [p for p in per.get("tiered-warm", {}).get("profiles", []) if p]
        fn_ms = [(c["compile_ms"], c["name"]) for p in cold for c in p["compiled"]]
        pooled += [(ms, name, fn) for ms, fn in fn_ms]
        warm_loads = [p["load_ms_per_function"] for p in warm if p["load_ms_per_function"] is not None]
        loads += warm_loads
        worst = max(fn_ms, default=None)
        benchmarks[name] = {
            "cold_profiles": len(cold),
            "warm_profiles": len(warm),
            "cold_functions_compiled": _median([len(p["compiled"]) for p in cold]),
            "cold_compile_ms_per_function_median": _median([ms for ms, _ in fn_ms]),
            "cold_compile_ms_per_function_worst": worst[0] if worst else None,
            "cold_worst_function": worst[1] if worst else None,
            "cold_compile_ms_total": _median([p["compile_ms"] for p in cold]),
            "cold_llvm_compilations": _median([p["llvm_compilations"] for p in cold]),
            "warm_llvm_compilations": max((p["llvm_compilations"] for p in warm), default=None),
            "warm_cache_hits": _median([p["cache_hits"] for p in warm]),
            "warm_cache_load_ms": _median([p["cache_load_ms"] for p in warm]),
            "warm_load_ms_per_function": _median(warm_loads),
            "cold_first_native_ms": _median([p["first_native_ms"] for p in cold]),
            "cold_last_native_ms": _median([p["last_native_ms"] for p in cold]),
            "warm_first_native_ms": _median([p["first_native_ms"] for p in warm]),
            "warm_last_native_ms": _median([p["last_native_ms"] for p in warm]),
        }
    worst = max(pooled, default=None)
    profiled = [b for b in benchmarks.values() if b["cold_profiles"] or b["warm_profiles"]]
    overall = {
        "benchmarks_profiled": len(profiled),
        "functions_compiled": len(pooled),     # over all cold runs of all benchmarks
        "compile_ms_per_function_median": _median([ms for ms, _, _ in pooled]),
        "compile_ms_per_function_worst": worst[0] if worst else None,
        "worst_function": f"{worst[1]}: {worst[2]}" if worst else None,
        "warm_runs_with_load": len(loads),
        "load_ms_per_function_median": _median(loads),
        "warm_llvm_compilations_max": max((b["warm_llvm_compilations"] for b in benchmarks.values()
                                           if b["warm_llvm_compilations"] is not None), default=None),
    }
    return {"benchmarks": benchmarks, "overall": overall}


def fmt_ms(ms: float | None, missing: str = "n/a") -> str:
    if ms is None:
        return missing
    return f"{ms:.0f}" if ms >= 100 else f"{ms:.1f}" if ms >= 1 else f"{ms:.2f}"


def fmt_count(n: float | None) -> str:
    return "n/a" if n is None else f"{n:g}"


def native_cost_rows(costs: dict) -> tuple[list[str], list[list[str]]]:
    """n/a: no run of that kind left a profile; —: profiled, but nothing to divide (no function
    compiled, none loaded from the cache, none went native)."""
    header = ["benchmark", "compiled (cold)", "compile ms/fn median", "compile ms/fn worst",
              "compile ms total", "warm compilations", "warm cache hits", "load ms/fn",
              "to native cold ms", "to native warm ms"]
    rows = []
    for name, b in costs["benchmarks"].items():
        c, w = b["cold_profiles"] > 0, b["warm_profiles"] > 0
        dash = lambda ok: "—" if ok else "n/a"
        wc = b["warm_llvm_compilations"]
        rows.append([
            name,
            fmt_count(b["cold_functions_compiled"]),
            fmt_ms(b["cold_compile_ms_per_function_median"], dash(c)),
            fmt_ms(b["cold_compile_ms_per_function_worst"], dash(c)),
            fmt_ms(b["cold_compile_ms_total"]),
            fmt_count(wc) if not wc else f"**{wc:g}**",      # anything but 0: the cache missed
            fmt_count(b["warm_cache_hits"]),
            fmt_ms(b["warm_load_ms_per_function"], dash(w)),
            fmt_ms(b["cold_last_native_ms"], dash(c)),
            fmt_ms(b["warm_last_native_ms"], dash(w)),
        ])
    return header, rows


def native_cost_summary(costs: dict) -> str:
    o = costs["overall"]
    if not o["benchmarks_profiled"]:
        return "Over all benchmarks: n/a (no tiered run left a profile)."
    compile_part = (f"compile ms per function median {fmt_ms(o['compile_ms_per_function_median'])}, "
                    f"worst {fmt_ms(o['compile_ms_per_function_worst'])} ({o['worst_function']}), "
                    f"over {o['functions_compiled']} compiled functions (all cold runs)"
                    if o["functions_compiled"] else "no function was compiled in the cold runs")
    load_part = (f"load ms per function median {fmt_ms(o['load_ms_per_function_median'])} "
                 f"(over {o['warm_runs_with_load']} warm runs)"
                 if o["warm_runs_with_load"] else "load ms per function n/a (no warm run loaded from the cache)")
    return f"Over all benchmarks: {compile_part}; {load_part}."


def cell_time(sm: dict | None, ref: dict | None) -> str:
    if sm is None:
        return "—"
    r = ratio(sm, ref)
    text = f"{sm['median_s']:.3f}" + (f" ({r:.2f}×)" if r is not None else "")
    return text if sm["status"] == "ok" else f"**{sm['status'].split()[0]}** {text}"


def md_table(header: list[str], rows: list[list[str]], align: str | None = None) -> list[str]:
    align = align or "l" + "r" * (len(header) - 1)
    sep = ["---" if a == "l" else "---:" for a in align]
    return ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |",
            *("| " + " | ".join(r) + " |" for r in rows)]


def text_table(header: list[str], rows: list[list[str]]) -> str:
    strip = lambda s: s.replace("**", "")
    widths = [max(len(strip(c)) for c in col) for col in zip(header, *rows)]
    fmt = lambda r: "  ".join(strip(c).ljust(w) if i == 0 else strip(c).rjust(w)
                              for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([fmt(header), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)])


def summary_rows(results: dict, systems: list[str], gm: dict) -> tuple[list[str], list[list[str]]]:
    has_inner = any("nlua" in per and per["nlua"]["inner_median_ms"] for per in results.values())
    header = ["benchmark", *systems] + (["nlua-inner"] if has_inner else [])
    rows = []
    for name, per in results.items():
        ref = per.get(REFERENCE)
        row = [name] + [cell_time(per.get(s), ref) for s in systems]
        if has_inner:
            sm = per.get("nlua")
            if sm and sm["inner_median_ms"] and ref and ref["status"] == "ok":
                sec = sm["inner_median_ms"] / 1000
                row.append(f"{sec:.3f} ({sec / ref['median_s']:.2f}×)")
            else:
                row.append("—")
        rows.append(row)
    total = len(results)
    gm_row = ["geomean ratio"]
    for s in systems + (["nlua-inner"] if has_inner else []):
        g = gm.get(s)
        if not g or g["ratio"] is None:
            gm_row.append("—")
        else:
            gm_row.append(f"{g['ratio']:.2f}×" + ("" if g["count"] == total else f" (ok {g['count']}/{total})"))
    rows.append(gm_row)
    return header, rows


def rss_rows(results: dict, systems: list[str]) -> tuple[list[str], list[list[str]]]:
    rows = []
    for name, per in results.items():
        ref = per.get(REFERENCE)
        rows.append([name] + [f"{per[s]['rss_kb'] / 1024:.1f}" +
                              (f" ({per[s]['rss_kb'] / ref['rss_kb']:.2f}×)" if ref and ref["rss_kb"] and s != REFERENCE else "")
                              if s in per else "—" for s in systems])
    return ["benchmark", *systems], rows


def cpu_rows(results: dict, systems: list[str]) -> tuple[list[str], list[list[str]]]:
    """User + system CPU seconds: steadier than wall time on a machine shared with other work,
    though it counts every thread (a background compiler's too)."""
    rows = []
    for name, per in results.items():
        ref = per.get(REFERENCE)
        rows.append([name] + [f"{per[s]['cpu_median_s']:.3f}" +
                              (f" ({per[s]['cpu_median_s'] / ref['cpu_median_s']:.2f}×)"
                               if ref and ref["cpu_median_s"] and s != REFERENCE else "")
                              if s in per else "—" for s in systems])
    return ["benchmark", *systems], rows


def startup_rows(startup: dict) -> tuple[list[str], list[list[str]]]:
    ref = startup.get(REFERENCE)
    rows = []
    for s, sm in startup.items():
        r = sm["median_s"] / ref["median_s"] if ref else None
        rows.append([s, f"{sm['median_s'] * 1000:.1f}", f"{sm['min_s'] * 1000:.1f}",
                     f"{r:.1f}×" if r else "—", f"{sm['rss_kb'] / 1024:.1f}",
                     sm["status"] if sm["status"] != "ok" else "ok"])
    return ["system", "median ms", "min ms", "vs lua5.4", "peak RSS MiB", "status"], rows


# ------------------------------------------------------------------ report: warm-up chart

SERIES_STYLE = {  # system -> (label, colour, dash)
    "tiered-cold": ("tiered cold (empty cache)", "#d62728", ""),
    "tiered-warm": ("tiered warm (cached)", "#1f77b4", ""),
    "lua5.4": ("lua5.4", "#7f7f7f", "5,4"),
}


def nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks if span > 0 else 1
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw:
            return m * mag
    return 10 * mag


def svg_panel(x0: float, y0: float, w: float, h: float, title: str, series: list) -> list[str]:
    """One chart: x = iteration, y = ms; series = [(system, [ms...])]."""
    ml, mr, mt, mb = 56, 12, 30, 58
    pw, ph = w - ml - mr, h - mt - mb
    out = [f'<g transform="translate({x0},{y0})">',
           f'<text x="{w / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">{html.escape(title)}</text>',
           f'<rect x="{ml}" y="{mt}" width="{pw}" height="{ph}" fill="#fafafa" stroke="#999"/>']
    data = [(s, v) for s, v in series if v]
    if not data:
        out.append(f'<text x="{ml + pw / 2}" y="{mt + ph / 2}" text-anchor="middle" fill="#666">no data</text></g>')
        return out
    n = max(len(v) for _, v in data)
    top = max(max(v) for _, v in data)
    step = nice_step(top)
    ymax = step * math.ceil(top * 1.05 / step) if top > 0 else 1
    sx = lambda i: ml + (pw * (i - 1) / (n - 1) if n > 1 else pw / 2)
    sy = lambda ms: mt + ph - ph * ms / ymax
    k = 0.0
    while k <= ymax + 1e-9:
        y = sy(k)
        out.append(f'<line x1="{ml}" y1="{y:.1f}" x2="{ml + pw}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        out.append(f'<text x="{ml - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{k:g}</text>')
        k += step
    xstep = max(1, math.ceil(n / 10))
    for i in range(1, n + 1):
        if i == 1 or i % xstep == 0:
            out.append(f'<text x="{sx(i):.1f}" y="{mt + ph + 15}" text-anchor="middle" font-size="11">{i}</text>')
    out.append(f'<text x="{ml + pw / 2}" y="{mt + ph + 32}" text-anchor="middle" font-size="12">iteration</text>')
    out.append(f'<text transform="translate(14,{mt + ph / 2}) rotate(-90)" text-anchor="middle" font-size="12">ms</text>')
    for system, values in data:
        label, colour, dash = SERIES_STYLE[system]
        pts = " ".join(f"{sx(i + 1):.1f},{sy(v):.1f}" for i, v in enumerate(values))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        for i, v in enumerate(values):
            out.append(f'<circle cx="{sx(i + 1):.1f}" cy="{sy(v):.1f}" r="2.5" fill="{colour}"/>')
    # The legend sits in a row under the axis label, where no line can run through it.
    lx, ly = ml, h - 8
    for system, _ in data:
        label, colour, dash = SERIES_STYLE[system]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 22}" y2="{ly - 4}" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        out.append(f'<text x="{lx + 28}" y="{ly}" font-size="11">{html.escape(label)}</text>')
        lx += 28 + 6.5 * len(label) + 22
    out.append("</g>")
    return out


def warmup_svg(results: dict, subtitle: str) -> str:
    panels = [name for name in WARMUP_BENCHMARKS if name in results]
    pw, ph = 520, 340
    width, height = max(1, len(panels)) * pw, ph + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif">',
           f'<rect width="{width}" height="{height}" fill="white"/>']
    for i, name in enumerate(panels):
        per = results[name]
        series = [(s, per[s].get("iter_ms_median", [])) for s in SERIES_STYLE if s in per]
        runs = len(per.get("tiered-cold", {}).get("iter_ms_runs", []))
        title = f"{name}: time per iteration" + (f" (median of {runs} runs)" if runs > 1 else
                                                 " (1 run)" if runs == 1 else "")
        out += svg_panel(i * pw, 0, pw, ph, title, series)
    out.append(f'<text x="{width / 2}" y="{ph + 24}" text-anchor="middle" font-size="11" fill="#444">'
               f'{html.escape(subtitle)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ report: files

def render_markdown(meta: dict, results: dict, startup: dict, gm: dict, systems: list[str],
                    costs: dict) -> str:
    m = meta["machine"]
    L = [f"# Tiered benchmark results ({'quick' if meta['quick'] else 'full'} mode)", "",
         f"- date: {meta['date']}",
         f"- machine: {m['nproc']} cores, {m['cpu']}, {m['mem']} memory, {m['kernel']}; "
         f"load average {m['loadavg_start']} at start, {m['loadavg_end']} at end",
         *(f"- {k}: {v}" for k, v in meta["versions"].items()),
         f"- size factor (arg[1] of each benchmark): {meta['factor']}; median of {meta['runs']} run(s) "
         f"per system and benchmark"
         + (f" (1 run for {len(meta['fewer_runs'])}: time budget, see notes)" if meta["fewer_runs"] else "") +
         f", systems round-robin within each repetition; "
         f"total time {meta['elapsed_s']:.0f} s",
         f"- command: `{meta['command']}`", ""]
    if meta["notes"] or meta["unavailable"]:
        L += ["## Notes", ""]
        L += [f"- {n}" for n in meta["notes"]]
        L += [f"- **{s} not measured**: {why}" for s, why in meta["unavailable"].items()]
        L.append("")
    L += ["## Wall time", "",
          "Median wall-clock seconds of the whole process (start-up included), and in brackets "
          "the ratio to lua5.4 (below 1 is faster). **FAIL** marks output that differs from "
          "lua5.4's, **ERROR** a non-zero exit, **TIMEOUT** a run that was killed: such cells are "
          "left out of the geometric mean, whose count then says how many benchmarks it covers.", ""]
    header, rows = summary_rows(results, systems, gm)
    L += md_table(header, rows) + [""]
    L += ["Systems:", ""] + [f"- **{s}**: {SYSTEM_NOTES[s]}" for s in header[1:]] + [""]
    problems = [(name, s, sm) for name, per in results.items() for s, sm in per.items()
                if not s.startswith("_") and sm["status"] != "ok"]
    if problems:
        L += ["### Failures", ""]
        L += [f"- {name} / {s}: **{sm['status']}**: {sm.get('problem', '')}" for name, s, sm in problems]
        L.append("")
    header, rows = cpu_rows(results, systems)
    L += ["## CPU time", "", "Median user + system CPU seconds of the process (all its threads), and in "
          "brackets the ratio to lua5.4: steadier than wall time when the machine is busy.", ""]
    L += md_table(header, rows) + [""]
    header, rows = rss_rows(results, systems)
    L += ["## Peak memory", "", "Median peak resident set size (MiB) of the process, and in brackets the ratio to lua5.4.", ""]
    L += md_table(header, rows) + [""]
    if startup:
        header, rows = startup_rows(startup)
        L += ["## Start-up", "",
              f"`perf/startup/empty.lua` (an empty script), median of {next(iter(startup.values()))['runs']} runs.", ""]
        L += md_table(header, rows, "lrrrrl") + [""]
    warm = [n for n in WARMUP_BENCHMARKS if n in results]
    if warm:
        L += ["## Warm-up", "",
              "![per-iteration times](warmup.svg)", "",
              f"Per-iteration times that {', '.join(warm)} print when `{ITER_TIMES_ENV}=1`, from "
              "`os.clock()` deltas, median over the runs. `os.clock()` is process CPU time, so a "
              "background compiler thread's work shows up in the iteration it overlaps.", ""]
        for name in warm:
            per = results[name]
            rows = []
            for s in SERIES_STYLE:
                its = per.get(s, {}).get("iter_ms_median")
                if its:
                    rows.append([s, f"{its[0]:.1f}", f"{statistics.median(its[1:] or its):.1f}",
                                 f"{its[-1]:.1f}", f"{sum(its):.0f}"])
            if rows:
                L += [f"{name}:", ""] + md_table(["system", "first ms", "median of rest ms", "last ms", "sum ms"], rows) + [""]
    if any(s in systems for s in PROFILED_SYSTEMS):
        L += native_cost_section(results, costs)
    L += ["## Per benchmark", ""]
    for name, per in results.items():
        ref = per.get(REFERENCE)
        rows = []
        for s in systems:
            sm = per.get(s)
            if not sm:
                continue
            r = ratio(sm, ref)
            extra = []
            if sm.get("inner_median_ms"):
                extra.append(f"inner {sm['inner_median_ms']:.0f} ms")
            if "cache_files" in sm:
                extra.append(f"cache files left {max(sm['cache_files'])}")
            rows.append([s, f"{sm['median_s']:.3f}", f"{sm['min_s']:.3f}", f"{sm['max_s']:.3f}",
                         f"{r:.2f}×" if r is not None else "—", f"{sm['rss_kb'] / 1024:.1f}",
                         ("ok" if sm["status"] == "ok" else f"**{sm['status']}**"), "; ".join(extra)])
        L += [f"### {name}", "", f"lua5.4 prints: `{per['_reference_output']}`", ""]
        L += md_table(["system", "median s", "min s", "max s", "vs lua5.4", "RSS MiB", "output", "notes"],
                      rows, "lrrrrrll") + [""]
    return "\n".join(L)


def native_cost_section(results: dict, costs: dict) -> list[str]:
    modes = {p["jit_mode"] for per in results.values() for s in PROFILED_SYSTEMS
             for p in per.get(s, {}).get("profiles", []) if p}
    where = ("on the background compiler thread, off the main thread (adaptive mode)"
             if modes == {"adaptive"} else f"in jit mode {', '.join(sorted(modes)) or 'unknown'}")
    L = ["## Native tier and cache costs", "",
         "From the `tiered run --profile` file of each tiered-cold (empty cache) and tiered-warm "
         "(the cache the cold run left) run; medians over the runs that left a profile. "
         f"LLVM compiled {where}. "
         "*compiled (cold)*: functions LLVM compiled; *compile ms/fn*: one function's compile "
         "time (all its compilations), median and worst over the cold runs' functions; "
         "*compile ms total*: the profile's `compileMs`; *warm compilations*: the most LLVM "
         "compilations any warm run made (0 when the cache works; bold otherwise); *warm cache "
         "hits*: functions made native from the cache; *load ms/fn*: `cacheLoadMs / cacheHits` "
         "(includes loading libLLVM); *to native*: ms after start when the last function that "
         "went native did so (the largest `nativeSinceMs`). n/a: no profile (an old tiered, or "
         "a failed run); —: profiled, but nothing compiled, loaded or made native.", ""]
    header, rows = native_cost_rows(costs)
    L += md_table(header, rows) + ["", native_cost_summary(costs), ""]
    problems = sorted({f"{name} / {s}: {why}" for name, per in results.items() for s in PROFILED_SYSTEMS
                       for why in per.get(s, {}).get("profile_problems", [])})
    if problems:
        L += ["Runs without a usable profile:", ""] + [f"- {p}" for p in problems] + [""]
    return L


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def json_ready(results: dict) -> dict:
    out = {}
    for name, per in results.items():
        out[name] = {"reference_output": per["_reference_output"],
                     "systems": {s: sm for s, sm in per.items() if not s.startswith("_")}}
    return out


# ------------------------------------------------------------------ main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help=f"scale every benchmark by {QUICK_FACTOR} and default to {QUICK_RUNS} runs")
    ap.add_argument("--runs", type=int, help=f"runs per system and benchmark (default {DEFAULT_RUNS})")
    ap.add_argument("--only", help="comma-separated benchmark names")
    ap.add_argument("--systems", help="comma-separated systems to measure (default: all): " + ",".join(SYSTEMS))
    ap.add_argument("--factor", type=float, help="size factor passed to the benchmarks (overrides --quick's)")
    ap.add_argument("--no-build", action="store_true", help="measure the tiered.dll and nlua-host.dll already built")
    ap.add_argument("--no-startup", action="store_true", help="skip the empty.lua start-up table")
    ap.add_argument("--results-dir", type=Path, default=RESULTS,
                    help="where latest.md, latest.json and warmup.svg go (default perf/results)")
    ap.add_argument("--budget", type=float,
                    help=f"seconds for the whole run, after which only first runs are made "
                         f"(default {QUICK_BUDGET_S} with --quick, none otherwise; 0: none)")
    args = ap.parse_args()

    all_names = sorted(p.stem for p in BENCH_DIR.glob("*.lua"))
    names = all_names
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in all_names]
        if unknown:
            ap.error(f"unknown benchmark(s) {', '.join(unknown)}; there are: {', '.join(all_names)}")
    runs = args.runs or (QUICK_RUNS if args.quick else DEFAULT_RUNS)
    factor = args.factor if args.factor is not None else (QUICK_FACTOR if args.quick else 1.0)
    timeout = QUICK_RUN_TIMEOUT_S if args.quick else RUN_TIMEOUT_S

    began = time.monotonic()
    budget = args.budget if args.budget is not None else (QUICK_BUDGET_S if args.quick else 0)
    deadline = began + budget if budget > 0 else None
    machine = machine_info()
    setup = Setup(args)
    if args.systems:
        chosen = {s.strip() for s in args.systems.split(",")}
        unknown = chosen - set(SYSTEMS)
        if unknown:
            ap.error(f"unknown system(s) {', '.join(sorted(unknown))}; there are: {', '.join(SYSTEMS)}")
        chosen.add(REFERENCE)                 # outputs and ratios need it
        if "tiered-warm" in chosen:
            chosen.add("tiered-cold")         # the warm run uses the cache the cold one leaves
        for s in SYSTEMS:
            if s not in chosen:
                setup.unavailable.setdefault(s, "left out with --systems")
    systems = [s for s in SYSTEMS if s not in setup.unavailable]

    with tempfile.TemporaryDirectory(prefix="tiered-perf-") as work:
        runner = Runner(setup, factor, timeout, Path(work))
        startup = {} if args.no_startup else run_startup(runner, setup, max(runs, STARTUP_MIN_RUNS))
        results, cut = run_benchmarks(runner, setup, names, runs, deadline)

    if cut:
        setup.notes.append(f"The time budget ({budget:.0f} s) left {len(cut)} benchmark(s) with one "
                           f"run instead of {runs}: {', '.join(cut)}.")
    cold = [f for per in results.values() for f in per.get("tiered-cold", {}).get("cache_files", [])]
    if cold and max(cold) == 0:
        setup.notes.append("The cold runs left no files in their cache directory, so the warm runs "
                           "also started with an empty cache: cold and warm differ only by noise.")
    machine["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    gm = geomeans(results, systems)
    costs = native_costs(results)
    meta = {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine,
        "versions": setup.versions,
        "quick": args.quick,
        "factor": factor,
        "runs": runs,
        "budget_s": budget or None,
        "fewer_runs": cut,
        "elapsed_s": time.monotonic() - began,
        "command": "perf/run.sh " + " ".join(sys.argv[1:]),
        "notes": setup.notes,
        "unavailable": {s: why for s, why in setup.unavailable.items() if s in SYSTEMS or s in STARTUP_SYSTEMS},
        "systems": systems,
    }

    out_dir = args.results_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    md = render_markdown(meta, results, startup, gm, systems, costs)
    write_atomic(out_dir / "latest.md", md)
    write_atomic(out_dir / "latest.json", json.dumps(
        {"meta": meta, "geomean": gm, "benchmarks": json_ready(results), "startup": startup,
         "native_costs": costs},
        indent=1, default=lambda b: b.decode("utf-8", "replace") if isinstance(b, bytes) else str(b)) + "\n")
    subtitle = (f"os.clock() ms per iteration (process CPU time), size factor {factor}; "
                f"{machine['cpu']}, {meta['date']}")
    write_atomic(out_dir / "warmup.svg", warmup_svg(results, subtitle))

    header, rows = summary_rows(results, systems, gm)
    print(f"\nWall time, median of {runs} run(s), seconds (ratio to lua5.4); size factor {factor}")
    print(text_table(header, rows))
    header, rows = cpu_rows(results, systems)
    print("\nCPU time (user + system, all threads), median, seconds (ratio to lua5.4)")
    print(text_table(header, rows))
    header, rows = rss_rows(results, systems)
    print("\nPeak resident set, median, MiB (ratio to lua5.4)")
    print(text_table(header, rows))
    if startup:
        header, rows = startup_rows(startup)
        print("\nStart-up (empty.lua)")
        print(text_table(header, rows))
    if any(s in systems for s in PROFILED_SYSTEMS):
        header, rows = native_cost_rows(costs)
        print("\nNative tier and cache costs (ms)")
        print(text_table(header, rows))
        print(native_cost_summary(costs))
    for n in setup.notes:
        print("note: " + n)
    for s, why in meta["unavailable"].items():
        print(f"skipped {s}: {why}")
    failures = sum(1 for per in results.values() for s, sm in per.items()
                   if not s.startswith("_") and sm["status"] != "ok")
    print(f"\n{failures} system/benchmark pair(s) did not match lua5.4; "
          f"full report: {out_dir / 'latest.md'} ({meta['elapsed_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
