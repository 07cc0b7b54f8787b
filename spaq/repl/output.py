"""A Result as the prompt shows it: the chosen format, vertical when asked or too wide."""
from __future__ import annotations

from ..render import render
from ..result import Result
from .vertical import vertical


def widest(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def present(result: Result, fmt: str = "table", expanded: str = "auto", width: int = 80) -> str:
    """`render` for the screen: with `\\x on` (or auto and too wide), tables become records."""
    if result.text is not None or fmt != "table":
        return render(result, fmt)
    if expanded == "on" and result.rows:
        return vertical(result)
    text = render(result, "table")
    if expanded == "auto" and result.rows and len(result.columns) > 1 and widest(text) > width:
        return vertical(result)
    return text
