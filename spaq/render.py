"""Result -> text, in one of the output formats. Pure: no I/O, no state.

table     tabulate; money with `$` and separators, counts with separators,
          dates ISO, nulls blank, numbers right-aligned; a single value alone
csv       header and rows; raw numbers, ISO dates, nulls empty
json      one array of objects keyed by column name
jsonl     one object per line
markdown  a GitHub pipe table, formatted as `table` is

The formats for people (table, markdown) show at most `max_rows` rows
(MAX_TABLE_ROWS unless told) and then a footer saying how many more there
are, so a query over a large corpus cannot scroll for ever; the formats for
machines (csv, json, jsonl) always carry every row, and so does the Result.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any, Callable

from .result import Result
from .schema import INTEGER, MONEY, NUMBER

FORMATS = ("table", "csv", "json", "jsonl", "markdown")

# Years are integers but read as labels, so they get no thousands separator.
_PLAIN_INTEGER_COLUMNS = {"year"}


# The most rows a table for people shows; the rest are counted in a footer.
MAX_TABLE_ROWS = 10_000


def render(result: Result, fmt: str = "table", max_rows: int | None = MAX_TABLE_ROWS) -> str:
    """The result as text; `max_rows` (None or 0: no limit) bounds table and markdown only."""
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    if result.text is not None:
        if fmt in ("json", "jsonl"):
            return json.dumps({"text": result.text}, indent=2 if fmt == "json" else None)
        return result.text
    if fmt in _FOR_PEOPLE and max_rows and len(result.rows) > max_rows:
        more = len(result.rows) - max_rows
        shown = Result(result.columns, result.rows[:max_rows], result.types,
                       [truncation_note(more), *result.notes], result.text, result.title)
        return _table(shown, "github" if fmt == "markdown" else "simple", cut=True)
    return renderer(result)


def truncation_note(more: int) -> str:
    """The footer under a table cut short."""
    return f"… {more:,} more row{'s' if more != 1 else ''} (use --format csv or limit)"


# --- formatting one value for people ------------------------------------------------

def format_money(v: float | int | Decimal) -> str:
    """`$5,000,000` when whole, else 2 to 4 decimals: `$0.35`, `$0.2325`."""
    sign = "-" if v < 0 else ""
    v = abs(Decimal(str(v)))
    if v == v.to_integral_value():
        return f"{sign}${int(v):,}"
    text = f"{v:,.4f}".rstrip("0")
    if len(text.split(".")[1]) < 2:
        text += "0" * (2 - len(text.split(".")[1]))
    return f"{sign}${text}"


def format_number(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int) or float(v).is_integer():
        return f"{int(v):,}"
    return f"{float(v):,.4f}".rstrip("0").rstrip(".")


def display(value: Any, type_: str = "", column: str = "") -> str:
    """One value as a person reads it in a table."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(display(v) for v in value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        if type_ == MONEY:
            return format_money(value)
        if column in _PLAIN_INTEGER_COLUMNS:
            return str(int(value)) if float(value).is_integer() else str(value)
        return format_number(value)
    return str(value)


def _is_numeric_column(result: Result, i: int) -> bool:
    if i < len(result.types) and result.types[i] in (MONEY, NUMBER, INTEGER):
        return True
    values = [row[i] for row in result.rows if row[i] is not None]
    return bool(values) and all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)
                                for v in values)


def _display_rows(result: Result) -> list[list[str]]:
    types = list(result.types) + [""] * (len(result.columns) - len(result.types))
    return [[display(v, types[i], result.columns[i]) for i, v in enumerate(row)]
            for row in result.rows]


def _with_notes(text: str, result: Result) -> str:
    return "\n".join([text, *result.notes]) if result.notes else text


def _table(result: Result, tablefmt: str = "simple", cut: bool = False) -> str:
    rows = _display_rows(result)
    if tablefmt == "simple" and len(result.rows) == 1 and len(result.columns) == 1 and not cut:
        return _with_notes(rows[0][0], result)
    from tabulate import tabulate   # late: ~75 ms (it imports importlib.metadata); a lone value needs none
    align = ["right" if _is_numeric_column(result, i) else "left" for i in range(len(result.columns))]
    text = tabulate(rows, headers=result.columns, tablefmt=tablefmt, disable_numparse=True,
                    colalign=align if result.columns else None)
    if not result.rows and tablefmt == "simple":
        text += "\n(no rows)"
    if result.title:
        text = f"{result.title}\n{text}"
    return _with_notes(text, result)


def _markdown(result: Result) -> str:
    return _table(result, "github")


# --- raw values for machines ------------------------------------------------------------

def _raw(value: Any) -> Any:
    """A value as JSON sees it: numbers stay numbers, dates become ISO text."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(_csv_cell(v) for v in value)
    return str(_raw(value))


def _csv(result: Result) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().rstrip("\n")


def _objects(result: Result) -> list[dict[str, Any]]:
    return [{c: _raw(v) for c, v in zip(result.columns, row)} for row in result.rows]


def _json(result: Result) -> str:
    return json.dumps(_objects(result), indent=2, ensure_ascii=False)


def _jsonl(result: Result) -> str:
    return "\n".join(json.dumps(o, ensure_ascii=False) for o in _objects(result))


_FOR_PEOPLE = ("table", "markdown")

_RENDERERS: dict[str, Callable[[Result], str]] = {
    "table": _table, "csv": _csv, "json": _json, "jsonl": _jsonl, "markdown": _markdown,
}
