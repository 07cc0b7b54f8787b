"""The long query fuzz: 100,000+ generated inputs through every door of the engine.

    python benchmarks/fuzz_queries.py                 # 100,000 cases, one process per CPU
    python benchmarks/fuzz_queries.py --cases 5000 --jobs 1

Uses the strategies and the property of tests/test_fuzz_queries.py (which CI
runs a few hundred times each): well-typed queries, grammar-aware statements, mutated ones,
token soup, raw text, and sessions of follow-ups, against the bundled corpus
and the hand-made index. Each case runs through `Index.query`,
`spaq.engine.run` and `Session.run`. A failure (an exception other than
QueryError, an internal error, an error without its caret line) is recorded
and the run goes on; all are printed at the end, and the exit status is 1
when there was any.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent))


def _run_share(job: tuple[str, int, int]) -> dict:
    """One strategy, `cases` examples, with its own seed: counts and failures."""
    kind, cases, seed_value = job
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from hypothesis import strategies as st

    import test_fuzz_queries as fuzz
    from spaq import engine
    from spaq.errors import QueryError
    from spaq.session import Session

    counts: Counter = Counter()
    failures: list[tuple[str, str]] = []

    def record(lines: list[str], which: int) -> None:
        index = fuzz.indexes()[which]
        doors = [("Session.run", Session(index).run)]
        if len(lines) == 1:
            doors += [("Index.query", index.query), ("engine.run", lambda t: engine.run(index, t))]
        for door, run in doors:
            for line in lines:
                try:
                    run(line)
                    counts["ok"] += 1
                except QueryError as e:
                    problem = fuzz.bad_error(e)
                    counts["query error" if problem is None else "failure"] += 1
                    if problem is not None:
                        failures.append((repr(lines)[:300], f"{door}: {problem[:300]}"))
                except Exception as e:         # noqa: BLE001 - any other exception is what we hunt
                    counts["failure"] += 1
                    failures.append((repr(lines)[:300], f"{door}: {type(e).__name__}: {e}\n"
                                     + "".join(traceback.format_exc(limit=-3))))
        counts["cases"] += 1

    strategy = (st.lists(st.one_of(fuzz.typed_queries(), fuzz.statements, fuzz.followups, fuzz.mutated()),
                         min_size=1, max_size=8)
                if kind == "sessions" else fuzz.STRATEGIES[kind].map(lambda t: [t]))

    @seed(seed_value)
    @settings(max_examples=cases, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy, st.integers(0, 1))
    def run(lines, which):
        record(lines, which)

    run()
    return {"kind": kind, "counts": counts, "failures": failures}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cases", type=int, default=100_000, help="generated inputs in all (default 100,000)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: one per CPU)")
    p.add_argument("--seed", type=int, default=0, help="base seed (each share adds its number)")
    args = p.parse_args()

    import test_fuzz_queries as fuzz
    kinds = [*fuzz.STRATEGIES, "sessions"]
    # Shares of about 2,000 cases, so the work spreads over the processes.
    shares = max(len(kinds), args.cases // 2_000)
    jobs = [(kinds[i % len(kinds)], args.cases // shares + (i < args.cases % shares), args.seed + i)
            for i in range(shares)]
    started = time.perf_counter()
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            results = pool.map(_run_share, jobs, chunksize=1)
    else:
        results = [_run_share(job) for job in jobs]
    elapsed = time.perf_counter() - started

    by_kind: dict[str, Counter] = {k: Counter() for k in kinds}
    failures: list[tuple[str, str]] = []
    for r in results:
        by_kind[r["kind"]].update(r["counts"])
        failures.extend(r["failures"])
    total = sum(by_kind.values(), Counter())
    print(f"{'strategy':12} {'cases':>9} {'runs ok':>9} {'query err':>10} {'failures':>9}")
    for kind, c in [*by_kind.items(), ("total", total)]:
        print(f"{kind:12} {c['cases']:>9,} {c['ok']:>9,} {c['query error']:>10,} {c['failure']:>9,}")
    print(f"\n{total['cases']:,} cases ({total['ok'] + total['query error'] + total['failure']:,} runs "
          f"through Index.query, engine.run and Session.run) in {elapsed:.0f} s; "
          f"failures found: {total['failure']:,}")
    seen: set[str] = set()
    for text, problem in failures:
        signature = problem.splitlines()[0][:120]
        if signature not in seen:
            seen.add(signature)
            print(f"\nFAILURE {text}\n  {problem}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
