"""The prompt costs nothing unless it is used: `spaq -e`, files and pipes never import it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import spaq

ROOT = Path(spaq.__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT))
PROMPT_MODULES = ("prompt_toolkit", "spaq.repl")


def _python(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], input=stdin, capture_output=True, text=True,
                          env=ENV, timeout=120)


def test_execute_does_not_import_the_prompt():
    code = ("import sys, spaq.cli\n"
            "status = spaq.cli.main(['-e', 'count agreements'])\n"
            f"print(sorted(m for m in sys.modules if m.startswith({PROMPT_MODULES!r})))\n"
            "sys.exit(status)\n")
    done = _python("-c", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def test_a_query_without_a_mistake_or_a_median_imports_neither_difflib_nor_statistics():
    """Suggestions (difflib) and medians (statistics) import what they need when asked."""
    code = ("import sys, spaq.cli\n"
            "status = spaq.cli.main(['-e', 'sum proceeds by year'])\n"
            "print(sorted(m for m in ('difflib', 'statistics') if m in sys.modules))\n")
    done = _python("-c", code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
    # ... and do when asked: a typo gets its suggestion, a median its value.
    assert "did you mean 'purchasers'" in _python("-m", "spaq", "-e", "purchasrs").stderr
    assert _python("-m", "spaq", "-e", "median price").stdout.strip() == "$0.35"


def test_standard_input_that_is_not_a_terminal_runs_queries_without_a_prompt():
    done = _python("-X", "importtime", "-m", "spaq", stdin="count agreements\n")
    assert done.returncode == 0
    assert "spaq>" not in done.stdout
    assert done.stdout.strip().isdigit()
    imported = [line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line]
    assert "spaq.cli" in imported
    assert not [m for m in imported if m.startswith(PROMPT_MODULES)]
