"""spaq's speed and scale, in one table.

    python benchmarks/run.py                    # N = 1,000 and 10,000 (about 5 minutes on 2 cores)
    python benchmarks/run.py --sizes 1000       # quicker
    python benchmarks/run.py --full             # adds N = 100,000 (cold on all cores only; long)

For each N, a synthetic corpus is written (benchmarks/generate.py) into a
temporary directory, then each measurement runs in a fresh process with its
own empty cache directory, as a user's would:

- cold, 1 core and all cores: `build_index` with nothing cached (it writes the cache),
  `--repeat` times each (3 by default up to N = 10,000), each with its own empty cache:
  the median is the figure, the range beside it (a shared machine's speed drifts);
- warm: a new process loading the same corpus from the cache;
- check: the warm index against the generator's manifest (every deal found once);
- peak RSS of the warm process per purchaser row, above that of an idle process that
  imports what a warm load does and loads nothing (the whole peak is printed beside it).

Then the query shapes at 100,000 purchaser rows against sqlite3 `:memory:`
(benchmarks/query_speed.py), and `spaq -e "count agreements"` on the bundled
corpus, wall time, median of 7 after one run that fills the cache.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402
import query_speed  # noqa: E402

TARGETS = {"cold": 1000.0, "warm_ratio": 20.0, "query_ratio": 1.0, "spaq_e": 0.25, "rss_per_row": 2048.0}

# Peak RSS (KB) of this process. On Linux, VmHWM of its own memory: ru_maxrss also keeps
# the parent's RSS at fork (Linux carries it across exec), so a benchmark that had just
# generated a corpus reported 76 MB for a load that peaked at 42.
_PEAK = r"""
def peak_kb():
    try:
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

# Run in a fresh process: load (or build) the corpus and report as JSON.
_LOAD = _PEAK.replace("{", "{{").replace("}", "}}") + r"""
import json, sys, time
sys.path[:0] = [{root!r}, {bench!r}]
started = time.perf_counter()
from spaq.build import build_index
index = build_index([{corpus!r}], cache=True, workers={workers})
seconds = time.perf_counter() - started
out = {{"seconds": seconds, "purchasers": len(index.tables["purchasers"].rows),
       "documents": len(index.tables["filings"].rows), "rss_kb": peak_kb()}}
if {check}:
    import generate
    problems = generate.check(index, json.load(open({manifest!r})))
    out["problems"] = len(problems)
    out["first_problems"] = problems[:5]
print(json.dumps(out))
"""


def environment(cache_dir: Path) -> dict:
    """A fresh process's environment: its own cache, and spaq's bytecode compiled, as pip
    leaves an installed spaq. The bytecode goes to a directory beside the cache, not into
    the checkout, even where the environment says not to write it (PYTHONDONTWRITEBYTECODE),
    which would time compiling spaq's source at every start; `compile_spaq` writes it first."""
    env = dict(os.environ, SPAQ_CACHE_DIR=str(cache_dir), PYTHONPATH=str(ROOT),
               PYTHONPYCACHEPREFIX=str(cache_dir.parent / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_spaq(work: Path) -> None:
    """Write the bytecode of everything a build or `spaq -e` imports, untimed."""
    code = "import spaq.build, spaq.cache, spaq.extract, spaq.cli, spaq.snapshot; import compileall; " \
           "compileall.compile_dir(%r, quiet=1)" % str(ROOT / "spaq")
    subprocess.run([sys.executable, "-c", code], env=environment(work / "cache-compile"), check=True,
                   capture_output=True)


def load(corpus: Path, manifest: Path, cache_dir: Path, workers: int, check: bool = False) -> dict:
    code = _LOAD.format(root=str(ROOT), bench=str(ROOT / "benchmarks"), corpus=str(corpus), workers=workers,
                        check=check, manifest=str(manifest))
    done = subprocess.run([sys.executable, "-c", code], env=environment(cache_dir), capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def cold_runs(corpus: Path, manifest: Path, cache_dir: Path, workers: int, repeat: int) -> list[float]:
    """Seconds of `repeat` cold builds, sorted, each in a fresh process with an empty cache
    (the last one's is left in `cache_dir`)."""
    seconds = []
    for _ in range(max(1, repeat)):
        shutil.rmtree(cache_dir, ignore_errors=True)
        seconds.append(load(corpus, manifest, cache_dir, workers)["seconds"])
    return sorted(seconds)


def spread(n: int, seconds: list[float]) -> str:
    """The range of several runs' rates, for the table (nothing for one run)."""
    return f" [{n / seconds[-1]:,.0f}-{n / seconds[0]:,.0f} over {len(seconds)}]" if len(seconds) > 1 else ""


def baseline_rss(cache_dir: Path) -> int:
    """Peak RSS (KB) of a process that imports what a warm load does (spaq.build) and loads nothing."""
    code = _PEAK + ("import sys; sys.path.insert(0, %r); import spaq.build; "
                    "print(peak_kb())" % str(ROOT))
    return int(subprocess.run([sys.executable, "-c", code], env=environment(cache_dir), capture_output=True,
                              text=True, check=True).stdout.strip())


def spaq_e(cache_dir: Path, runs: int = 7) -> float:
    """Median wall time of `spaq -e "count agreements"` on the bundled corpus, cache filled
    (and bytecode written) by one run first."""
    env = environment(cache_dir)
    command = [sys.executable, "-m", "spaq", "-e", "count agreements"]
    subprocess.run(command, env=env, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="corpus sizes, comma-separated (default 1000,10000)")
    ap.add_argument("--full", action="store_true", help="also N = 100,000")
    ap.add_argument("--one-core-max", type=int, default=10_000,
                    help="skip the 1-core cold run above this N (default 10000)")
    ap.add_argument("--rows", type=int, default=100_000, help="purchaser rows for the query shapes")
    ap.add_argument("--repeat", type=int, help="cold runs per measure, the median reported "
                    "(default 3 up to N = 10,000, else 1)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--dir", help="work here instead of a temporary directory (kept)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([100_000] if args.full else [])
    work = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="spaq-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    lines: list[tuple[str, str, str, str]] = []     # (measure, value, target, ok)

    def row(measure: str, value: str, target: str = "", ok: bool | None = None) -> None:
        lines.append((measure, value, target, "" if ok is None else ("yes" if ok else "NO")))
        print(f"  {measure}: {value}", file=sys.stderr)

    try:
        compile_spaq(work)
        base = baseline_rss(work / "cache-base")
        for n in sizes:
            corpus = work / f"corpus-{n}"
            if not corpus.exists():
                t = time.perf_counter()
                generate.generate(corpus, n, seed=n)
                print(f"N={n:,}: generated in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            manifest = generate.manifest_path(corpus)
            repeat = args.repeat if args.repeat is not None else (3 if n <= 10_000 else 1)
            cache = work / f"cache-{n}"
            if n <= args.one_core_max:
                seconds = cold_runs(corpus, manifest, cache, 1, repeat)
                per_core = n / seconds[len(seconds) // 2]
                row(f"N={n:,} cold, 1 core", f"{per_core:,.0f} files/s ({seconds[len(seconds) // 2]:.1f} s)"
                    + spread(n, seconds), f">= {TARGETS['cold']:,.0f}/s per core", per_core >= TARGETS["cold"])
            seconds = cold_runs(corpus, manifest, cache, args.workers, repeat)
            cold_seconds = seconds[len(seconds) // 2]
            rate = n / cold_seconds
            row(f"N={n:,} cold, {args.workers} cores", f"{rate:,.0f} files/s ({cold_seconds:.1f} s)" + spread(n, seconds),
                f">= {TARGETS['cold'] * args.workers:,.0f}/s", rate >= TARGETS["cold"] * args.workers)
            # (the last cold run's cache stays for the warm start)
            warm = load(corpus, manifest, cache, workers=args.workers, check=True)
            ratio = cold_seconds / warm["seconds"]
            row(f"N={n:,} warm start", f"{warm['seconds']:.2f} s, {ratio:.0f}x faster than cold",
                f">= {TARGETS['warm_ratio']:.0f}x", ratio >= TARGETS["warm_ratio"])
            found = "every deal found once" if warm["problems"] == 0 else \
                f"{warm['problems']} problems: {warm['first_problems']}"
            row(f"N={n:,} check", f"{found} ({warm['documents']:,} documents, {warm['purchasers']:,} "
                f"purchaser rows)", "0 problems", warm["problems"] == 0)
            # Per row is what the rows cost: the peak above an idle process that loads nothing
            # (the interpreter and spaq's code, the same 12 MB at any N). Whole, divided by the
            # rows, the idle 12 MB alone is 9 KB per row at N = 1,000 and 0.1 at 100,000.
            per_row = (warm["rss_kb"] - base) * 1024 / max(1, warm["purchasers"])
            whole = warm["rss_kb"] * 1024 / max(1, warm["purchasers"])
            row(f"N={n:,} peak RSS", f"{per_row / 1024:.1f} KB per purchaser row above the "
                f"{base / 1024:.0f} MB of an idle process ({warm['rss_kb'] / 1024:,.0f} MB in all = "
                f"{whole / 1024:.1f} KB per row)", "<= 2 KB per row", per_row <= TARGETS["rss_per_row"])
            shutil.rmtree(cache, ignore_errors=True)
        rows = query_speed.purchaser_rows(args.rows)
        for m in query_speed.measure(query_speed.as_index(rows), query_speed.as_sqlite(rows)):
            row(f"query at {len(rows):,} rows: {m['shape']}",
                f"{m['spaq'] * 1e3:.1f} ms vs sqlite {m['sqlite'] * 1e3:.1f} ms = {m['ratio']:.2f}x",
                "<= 1.0x sqlite", m["ratio"] <= TARGETS["query_ratio"])
        wall = spaq_e(work / "cache-e")
        row('spaq -e "count agreements" (bundled corpus, warm)', f"{wall:.3f} s wall (median of 7)",
            f"<= {TARGETS['spaq_e']} s", wall <= TARGETS["spaq_e"])
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)
    widths = [max(len(r[i]) for r in lines + [("measure", "value", "target", "met")]) for i in range(4)]
    header = ("measure", "value", "target", "met")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("-|-".join("-" * w for w in widths))
    for r in lines:
        print(" | ".join(c.ljust(w) for c, w in zip(r, widths)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
