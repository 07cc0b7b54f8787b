"""The interactive prompt (`spaq` on a terminal).

Only `run_repl` lives here, and it imports prompt_toolkit lazily: `spaq -e`
and the embedding API never pay for the terminal machinery. The logic is in
small modules that are pure functions of text and state, tested without a
terminal:

    terms       the grammar's vocabulary: keyword words, terminal kinds
    suggest     completion suggestions from the text before the cursor
    highlight   the text split into styled fragments
    commands    REPL-level commands (\\x, \\format, \\timing, chart, exit)
    output      a Result as the screen shows it (table, vertical, chart)
    vertical    one record per block, psql's \\x
    chart       horizontal bar charts of aggregate results
    pager       when and how to page long output
    history     where the history file lives
    keys        key bindings (Enter, Alt-Enter, Ctrl-C)
    app         the prompt loop: prompt_toolkit wiring only
"""
from __future__ import annotations

from pathlib import Path


def run_repl(index, fmt: str = "table", history_path: str | Path | None = None) -> int:
    """Run the prompt until exit/Ctrl-D; returns the exit status (0)."""
    from .app import run
    return run(index, fmt, history_path)
