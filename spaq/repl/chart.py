"""Horizontal bar charts of aggregate results, as text.

`chart sum proceeds by year` draws one bar per group, labelled with the
group and the value as a table would print it:

    sum(proceeds)
    2001  ████████████████████████████████████████  $5,000,000
    2002  █████████████▎                            $1,660,000
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..aggregates import AGGREGATES
from ..render import display
from ..result import Result

# Eighths of a block, so short bars still differ: 1/8 .. 7/8.
_PARTS = " ▏▎▍▌▋▊▉"
_FULL = "█"
_MAX_BAR = 60           # wider bars are no easier to compare


class ChartError(ValueError):
    """The result has nothing to chart (not an aggregate query)."""


def _is_aggregate_column(name: str) -> bool:
    m = re.fullmatch(r"(\w+)(\(.*\))?", name)
    return bool(m) and m.group(1) in AGGREGATES


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def bar_chart(result: Result, width: int = 80, unicode: bool = True) -> str:
    """One chart per numeric aggregate column; the other columns label the bars."""
    if result.text is not None:
        raise ChartError("chart draws aggregate queries, e.g. chart sum proceeds by year")
    types = list(result.types) + [""] * (len(result.columns) - len(result.types))
    values = [i for i, c in enumerate(result.columns) if _is_aggregate_column(c)
              and all(_is_number(row[i]) or row[i] is None for row in result.rows)]
    if not values:
        raise ChartError("chart draws aggregate queries, e.g. chart sum proceeds by year "
                         "or chart count purchasers by company")
    if not result.rows:
        return "\n".join(["(no rows)", *result.notes])
    keys = [i for i, c in enumerate(result.columns) if not _is_aggregate_column(c)]
    # A single value (`chart count agreements`) is labelled with its column.
    labels = [" ".join(display(row[i], types[i], result.columns[i]) for i in keys)
              or result.columns[values[0]] for row in result.rows]
    blocks = [_bars(result.columns[v], labels, [row[v] for row in result.rows], types[v],
                    width, unicode) for v in values]
    return "\n\n".join(blocks + (["\n".join(result.notes)] if result.notes else []))


def _bars(title: str, labels: list[str], values: list, type_: str, width: int, unicode: bool) -> str:
    shown = [display(v, type_, title) for v in values]
    label_width = max(len(label) for label in labels)
    value_width = max(len(s) for s in shown)
    room = max(10, min(_MAX_BAR, width - label_width - value_width - 4))
    biggest = max((abs(float(v)) for v in values if v is not None), default=0.0)
    lines = [title]
    for label, value, text in zip(labels, values, shown):
        eighths = 0 if not value or biggest == 0 else max(1, round(abs(float(value)) / biggest * room * 8))
        bar = _bar(eighths, unicode)
        lines.append(f"{label:<{label_width}}  {bar:<{room}}  {text:>{value_width}}".rstrip())
    return "\n".join(lines)


def _bar(eighths: int, unicode: bool) -> str:
    if not unicode:
        return "#" * (max(1, round(eighths / 8)) if eighths else 0)
    whole, part = divmod(eighths, 8)
    return _FULL * whole + (_PARTS[part] if part else "")
