"""Long output through a pager, as psql does: only when it would not fit the screen."""
from __future__ import annotations

import shlex
import subprocess
import sys
from typing import Mapping, TextIO

DEFAULT_PAGER = "less -SRXF"    # chop long lines, keep colours, leave the text on screen, quit if short


def pager_command(env: Mapping[str, str]) -> list[str] | None:
    """`$PAGER` split into words, `less -SRXF` when unset, None when set empty (no paging)."""
    command = env.get("PAGER", DEFAULT_PAGER)
    return shlex.split(command) if command.strip() else None


def needs_pager(text: str, columns: int, lines: int) -> bool:
    """True when the text is taller than the screen (less the prompt's line) or wider."""
    rows = text.splitlines()
    return len(rows) > max(1, lines - 1) or any(len(row) > columns for row in rows)


def show(text: str, env: Mapping[str, str], size: tuple[int, int], out: TextIO | None = None) -> None:
    """Print `text`, through the pager when it exceeds the screen."""
    out = out or sys.stdout
    command = pager_command(env)
    if command and needs_pager(text, *size):
        try:
            out.flush()
            subprocess.run(command, input=text + "\n", text=True, check=False)
            return
        except OSError:         # no such pager: print as if there were none
            pass
    print(text, file=out)
