#!/usr/bin/env python3
"""Differential fuzzer: lua5.4 vs tiered (off / eager / adaptive).

Generates programs with gen.py (one per seed), runs each under lua5.4 and under tiered in the
three modes, and keeps every program whose output, exit status or first error line differs,
with a note of the difference, in the failure directory.

usage: run.py START COUNT [--time-limit SECONDS]
  TIERED   the tiered executable (default: the published build, scripts/publish)
  FUZZ_DIR where programs are written and failures kept (default: a directory under /tmp)
"""
import os, re, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIERED = os.environ.get("TIERED", os.path.join(ROOT, "artifacts", "publish", "tiered", "tiered"))
BASE = os.environ.get("FUZZ_DIR", "/tmp/tiered-fuzz")
WORK = os.path.join(BASE, "work")
FAIL = os.path.join(BASE, "fail")
MODES = {
    "off": ([TIERED, "run", "--jit", "off", "--no-cache"], {}),
    "eager": ([TIERED, "run", "--jit", "eager", "--no-cache"], {}),
    "adaptive": ([TIERED, "run", "--jit", "adaptive", "--no-cache"],
                 {"TIERED_HOT_THRESHOLD": "40", "TIERED_COMPILE_SYNC": "1"}),
}


def run(cmd, path, extra_env=None, timeout=20):
    env = dict(os.environ)
    if extra_env:
        env.update(extra_env)
    try:
        p = subprocess.run(["nice", "-n", "10"] + cmd + [path], capture_output=True, timeout=timeout, env=env)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        return "timeout", e.stdout or b"", e.stderr or b""


# lua5.4.4 reports a stale line for an integer n//0 or n%0 (the instruction does not save its
# pc: usually the line where the function starts); tiered names the division's own line. The
# line number of those two messages is not compared (their position's presence still is).
DIVZ = re.compile(rb"(\.lua:)\d+(: (?:attempt to perform 'n%0'|attempt to divide by zero))")


def norm(b):
    return DIVZ.sub(rb"\1?\2", b)


def first_err_line(err):
    line = err.decode("utf-8", "replace").split("\n", 1)[0]
    return re.sub(r"^(lua5\.4|tiered): ", "PROG: ", line)


def first_diff(a, b):
    al, bl = a.decode("utf-8", "replace").split("\n"), b.decode("utf-8", "replace").split("\n")
    for k in range(max(len(al), len(bl))):
        x = al[k] if k < len(al) else "<EOF>"
        y = bl[k] if k < len(bl) else "<EOF>"
        if x != y:
            return "line %d:\n    ref: %s\n    got: %s" % (k + 1, x[:300], y[:300])
    return "(none)"


def check(path, modes=MODES):
    """returns (ref_result, {mode: description_of_mismatch})"""
    ref = run(["lua5.4"], path)
    ref = (ref[0], norm(ref[1]), norm(ref[2]))
    if ref[0] == "timeout":
        return ref, None
    bad = {}
    for m, (cmd, env) in modes.items():
        got = run(cmd, path, env)
        got = (got[0], norm(got[1]), norm(got[2]))
        why = []
        if got[0] != ref[0]:
            why.append("exit %s vs ref %s" % (got[0], ref[0]))
        if got[1] != ref[1]:
            why.append("stdout differs at " + first_diff(ref[1], got[1]))
        if ref[0] != 0 and first_err_line(got[2]) != first_err_line(ref[2]):
            why.append("stderr: ref %r got %r" % (first_err_line(ref[2]), first_err_line(got[2])))
        if why:
            bad[m] = "; ".join(why) + ("\n    got stderr: " + got[2].decode("utf-8", "replace")[:400] if got[2] and not ref[2] else "")
    return ref, bad


def main():
    start, count = int(sys.argv[1]), int(sys.argv[2])
    limit = float(sys.argv[sys.argv.index("--time-limit") + 1]) if "--time-limit" in sys.argv else 1e9
    os.makedirs(WORK, exist_ok=True)
    os.makedirs(FAIL, exist_ok=True)
    t0 = time.time()
    nrun = nfail = nskip = 0
    for seed in range(start, start + count):
        if time.time() - t0 > limit:
            break
        src = gen.generate(seed)
        path = os.path.join(WORK, "s%d.lua" % seed)
        with open(path, "w") as f:
            f.write(src)
        ref, bad = check(path)
        nrun += 1
        if bad is None:
            nskip += 1
            print("seed %d: reference timeout, skipped" % seed, flush=True)
        elif bad:
            nfail += 1
            fp = os.path.join(FAIL, "s%d.lua" % seed)
            with open(fp, "w") as f:
                f.write(src)
            with open(fp + ".txt", "w") as f:
                for m, why in bad.items():
                    f.write("[%s] %s\n" % (m, why))
            print("seed %d: MISMATCH in %s" % (seed, ",".join(bad)), flush=True)
            for m, why in bad.items():
                print("  [%s] %s" % (m, why[:600]), flush=True)
        os.remove(path)
    print("done: %d programs, %d mismatching, %d skipped, %.0fs" % (nrun, nfail, nskip, time.time() - t0), flush=True)


if __name__ == "__main__":
    main()
