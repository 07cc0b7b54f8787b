"""How long `spaq` takes to show a usable prompt on the bundled corpus (target: <= 0.5 s).

    python benchmarks/repl_startup.py [--runs N]

Starts `python -m spaq` in a pseudo-terminal, as a user would, and times from
the spawn to the moment the prompt is drawn; prints each run's time, the
median and the best. Then, in this process, the parts: importing spaq.cli,
loading the corpus, importing the prompt (prompt_toolkit), and loading the
query engine and the LALR parser, which the prompt does in a thread after it
is drawn.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def time_to_prompt(history: str) -> float:
    import pexpect
    env = dict(os.environ, TERM="xterm", COLUMNS="100", LINES="30", NO_COLOR="1",
               PROMPT_TOOLKIT_NO_CPR="1", SPAQ_HISTORY=history, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-m", "spaq"], env=env, encoding="utf-8",
                          timeout=30, dimensions=(30, 100))
    child.expect("spaq>")
    elapsed = time.perf_counter() - started
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed


def parts() -> list[tuple[str, float]]:
    sys.path.insert(0, str(ROOT))
    out = []
    t = time.perf_counter()
    import spaq.cli  # noqa: F401
    out.append(("import spaq.cli", time.perf_counter() - t))
    t = time.perf_counter()
    import spaq
    spaq.load()
    out.append(("load the bundled corpus", time.perf_counter() - t))
    t = time.perf_counter()
    import spaq.repl.app  # noqa: F401  (prompt_toolkit)
    out.append(("import the prompt (prompt_toolkit)", time.perf_counter() - t))
    t = time.perf_counter()
    import spaq.repl.suggest  # noqa: F401  (the query engine, the parser module)
    import spaq.session  # noqa: F401
    from spaq.parser import lark_parser
    lark_parser()
    out.append(("load engine and parser (after the prompt shows)", time.perf_counter() - t))
    return out


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--runs", type=int, default=7)
    runs = args.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        times = [time_to_prompt(os.path.join(tmp, "history")) for _ in range(runs)]
    for i, t in enumerate(times, 1):
        print(f"run {i}: {t:.3f} s")
    median = statistics.median(times)
    print(f"spawn to prompt: median {median:.3f} s, best {min(times):.3f} s over {runs} runs "
          f"(target 0.5 s: {'met' if median <= 0.5 else 'NOT met'})")
    for name, t in parts():
        print(f"  {name:<48} {t:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
