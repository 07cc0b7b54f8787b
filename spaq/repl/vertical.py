"""Rows as vertical records, psql's `\\x`: one block per row, one line per field."""
from __future__ import annotations

from ..render import display
from ..result import Result


def vertical(result: Result) -> str:
    """Each row as `-[ RECORD n ]---` then `field | value` lines, then the notes."""
    if not result.rows:
        return "\n".join(["(no rows)", *result.notes])
    types = list(result.types) + [""] * (len(result.columns) - len(result.types))
    name_width = max(len(c) for c in result.columns)
    blocks: list[list[str]] = []
    for number, row in enumerate(result.rows, 1):
        lines = [f"{column:<{name_width}} | {display(value, types[i], column)}".rstrip()
                 for i, (column, value) in enumerate(zip(result.columns, row))]
        blocks.append([f"-[ RECORD {number} ]", *lines])
    rule = max(len(line) for block in blocks for line in block)
    out: list[str] = []
    for block in blocks:
        out.append(block[0] + "-" * max(1, rule - len(block[0])))
        out.extend(block[1:])
    if result.title:
        out.insert(0, result.title)
    return "\n".join(out + list(result.notes))
