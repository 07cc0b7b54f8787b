"""The reference evaluator for tests/test_columns.py: spaq.evaluate as it was
before it read columns, one row (dict) at a time through closures.

Plan -> Result. The plan is compiled once into closures; rows are dicts.

Conditions use SQL's three-valued logic: a test on a null is unknown
(None), `not` of unknown is unknown, and a row is kept only when its
condition is True. Text equality ignores case, spaces and punctuation so
`Omicron Partners LP` = `Omicron Partners, L.P.`.
"""
from __future__ import annotations

import datetime as dt
import operator
import re
from decimal import Decimal
from typing import Any, Callable

from spaq import plan as p
from spaq.aggregates import finish
from spaq.index import Index
from spaq.result import Result
from spaq.schema import BOOLEAN, DATE, INTEGER, LIST, NUMERIC, TEXT

Row = dict[str, Any]
Test = Callable[[Row], "bool | None"]

_ORDERING = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
             "=": operator.eq, "!=": operator.ne}


def text_key(value: Any) -> str:
    """Text as `=` sees it: case, spaces and punctuation do not count."""
    return re.sub(r"[\W_]+", "", str(value).casefold())


def compile_plan(plan: p.Plan) -> Callable[[Index], Result]:
    """The query as one function of an index."""
    keep = compile_condition(plan.filter) if plan.filter is not None else None
    sort = _compile_order(plan.order)
    columns = [c.name for c in plan.columns]
    types = [c.type for c in plan.columns]
    limit = plan.limit
    source = _compile_rows(plan.source) if plan.source is not None else None

    def filtered(index: Index) -> list[Row]:
        rows = source(index) if source is not None else index.table(plan.entity.name).rows
        return rows if keep is None else [row for row in rows if keep(row) is True]

    if plan.is_aggregate:
        aggregate = _compile_aggregation(plan)

        def run_groups(index: Index) -> Result:
            out, notes = aggregate(filtered(index))
            return Result(columns, out[:limit] if limit is not None else out, types, notes)
        return run_groups

    project = [(c.name, output(c.type)) for c in plan.columns]

    def run_rows(index: Index) -> Result:
        rows = filtered(index)
        # Sorted before projection: any field may be a key, not only shown ones.
        rows = sort(rows, None) if sort else rows
        rows = rows[:limit] if limit is not None else rows
        out = [tuple(convert(row.get(name)) for name, convert in project) for row in rows]
        return Result(columns, out, types, [])
    return run_rows


def _compile_rows(plan: p.Plan) -> Callable[[Index], list[Row]]:
    """The rows a row plan selects (filtered, ordered, limited), unprojected:
    what `them` reads after a query with a limit."""
    keep = compile_condition(plan.filter) if plan.filter is not None else None
    sort = _compile_order(plan.order)
    source = _compile_rows(plan.source) if plan.source is not None else None

    def rows(index: Index) -> list[Row]:
        selected = source(index) if source is not None else index.table(plan.entity.name).rows
        selected = selected if keep is None else [row for row in selected if keep(row) is True]
        selected = sort(selected, None) if sort else selected
        return selected[:plan.limit] if plan.limit is not None else selected
    return rows


# --- values ----------------------------------------------------------------------

def output(type_: str) -> Callable[[Any], Any]:
    """How a stored value is handed out: money and numbers as float, counts as int."""
    if type_ in NUMERIC and type_ != INTEGER:
        return lambda v: None if v is None else float(v)
    if type_ == INTEGER:
        return lambda v: None if v is None else int(v)
    if type_ == LIST:
        return lambda v: None if v is None else list(v)
    return lambda v: v


def _reader(column: p.Column) -> Callable[[Row], Any]:
    """Reads a field as conditions compare it."""
    name = column.name
    if column.type in NUMERIC:
        def number(row: Row) -> Any:
            v = row.get(name)
            # A Decimal against a float literal would compare binary-exact and miss.
            return float(v) if isinstance(v, Decimal) else v
        return number
    if column.type == DATE:
        def date(row: Row) -> Any:
            v = row.get(name)
            return v.date() if isinstance(v, dt.datetime) else v
        return date
    return lambda row: row.get(name)


def _sort_value(type_: str) -> Callable[[Any], Any]:
    if type_ == TEXT:
        return lambda v: v.casefold()
    if type_ == LIST:
        return lambda v: ", ".join(map(str, v))
    if type_ in NUMERIC:
        return float
    return lambda v: v


# --- conditions --------------------------------------------------------------------

def compile_condition(cond: p.Condition) -> Test:
    if isinstance(cond, p.And):
        left, right = compile_condition(cond.left), compile_condition(cond.right)

        def and_(row: Row) -> bool | None:
            a = left(row)
            if a is False:
                return False
            b = right(row)
            if b is False:
                return False
            return True if a and b else None
        return and_
    if isinstance(cond, p.Or):
        left, right = compile_condition(cond.left), compile_condition(cond.right)

        def or_(row: Row) -> bool | None:
            a = left(row)
            if a is True:
                return True
            b = right(row)
            if b is True:
                return True
            return False if a is False and b is False else None
        return or_
    if isinstance(cond, p.Not):
        inner = compile_condition(cond.operand)

        def not_(row: Row) -> bool | None:
            v = inner(row)
            return None if v is None else not v
        return not_
    if isinstance(cond, p.Truth):
        read = _reader(cond.column)
        return lambda row: None if (v := read(row)) is None else bool(v)
    if isinstance(cond, p.IsNull):
        read, negated = _reader(cond.column), cond.negated
        return lambda row: (read(row) is None) != negated
    if isinstance(cond, p.Compare):
        return _compile_compare(cond)
    if isinstance(cond, p.Member):
        read, want = _reader(cond.column), text_key(cond.value)
        return lambda row: None if (v := read(row)) is None else any(text_key(x) == want for x in v)
    if isinstance(cond, p.Contains):
        read, needle = _reader(cond.column), cond.text.casefold()
        return lambda row: None if (v := read(row)) is None else needle in str(v).casefold()
    if isinstance(cond, p.Matches):
        read, matches = _reader(cond.column), p.compile_regex(cond.pattern)
        return lambda row: None if (v := read(row)) is None else matches(str(v))
    if isinstance(cond, p.In):
        read = _reader(cond.column)
        if cond.column.type == TEXT:
            wanted = frozenset(text_key(c.value) for c in cond.values)
            return lambda row: None if (v := read(row)) is None else text_key(v) in wanted
        wanted = frozenset(c.value for c in cond.values)
        return lambda row: None if (v := read(row)) is None else v in wanted
    if isinstance(cond, p.Between):
        read, low, high = _reader(cond.column), _operand(cond.low), _operand(cond.high)

        def between(row: Row) -> bool | None:
            v, lo, hi = read(row), low(row), high(row)
            if v is None or lo is None or hi is None:
                return None
            return lo <= v <= hi
        return between
    raise TypeError(f"uncompiled condition {cond!r}")   # the planner makes no other


def _operand(operand: p.Operand) -> Callable[[Row], Any]:
    if isinstance(operand, p.Column):
        return _reader(operand)
    value = operand.value
    return lambda row: value


def _compile_compare(cond: p.Compare) -> Test:
    compare = _ORDERING[cond.op]
    left, right = _operand(cond.left), _operand(cond.right)
    kind = cond.left.type if isinstance(cond.left, p.Column) else cond.right.type
    if kind == TEXT:
        # Equality ignores punctuation; ordering only ignores case.
        key = text_key if cond.op in ("=", "!=") else (lambda s: str(s).casefold())
        if isinstance(cond.right, p.Const):
            want = key(cond.right.value)
            return lambda row: None if (v := left(row)) is None else compare(key(v), want)
        return lambda row: (None if (a := left(row)) is None or (b := right(row)) is None
                            else compare(key(a), key(b)))
    if kind == LIST:
        def lists(row: Row) -> bool | None:
            a, b = left(row), right(row)
            if a is None or b is None:
                return None
            return compare(sorted(map(text_key, a)), sorted(map(text_key, b)))
        return lists
    if kind == BOOLEAN:
        return lambda row: (None if (a := left(row)) is None or (b := right(row)) is None
                            else compare(bool(a), bool(b)))
    if isinstance(cond.right, p.Const):
        want = cond.right.value
        return lambda row: None if (v := left(row)) is None else compare(v, want)
    return lambda row: (None if (a := left(row)) is None or (b := right(row)) is None
                        else compare(a, b))


# --- order ---------------------------------------------------------------------------

def _compile_order(keys: tuple[p.SortKey, ...]):
    """A sort of rows (dicts) or output tuples by the keys, nulls last either way."""
    if not keys:
        return None
    prepared = [(k.column, _sort_value(k.type), k.descending) for k in keys]

    def sort(rows: list, columns: list[str] | None) -> list:
        rows = list(rows)
        # Stable sorts from the last key to the first give a multi-key order.
        for name, value, descending in reversed(prepared):
            if columns is None:
                get = (lambda n: lambda r: r.get(n))(name)
            else:
                get = operator.itemgetter(columns.index(name))
            known = [r for r in rows if get(r) is not None]
            unknown = [r for r in rows if get(r) is None]
            known.sort(key=lambda r: value(get(r)), reverse=descending)
            rows = known + unknown
        return rows
    return sort


# --- aggregation ---------------------------------------------------------------------

def _compile_aggregation(plan: p.Plan):
    groups = [(g.name, _reader(g), _group_key(g.type), output(g.type)) for g in plan.groups]
    calls = [(a.function.compute, _aggregated(a.column) if a.column else None, a.type)
             for a in plan.aggregates]
    lacking = list(dict.fromkeys(a.column.name for a in plan.aggregates if a.column))
    columns = [c.name for c in plan.columns]
    sort = _compile_order(plan.order)
    group_order = _compile_order(tuple(p.SortKey(g.name, g.type, False) for g in plan.groups))

    def aggregate(rows: list[Row]) -> tuple[list[tuple], list[str]]:
        buckets: dict[tuple, tuple[tuple, list[Row]]] = {}
        for row in rows:
            values = [read(row) for _, read, _, _ in groups]
            key = tuple(None if v is None else k(v) for v, (_, _, k, _) in zip(values, groups))
            buckets.setdefault(key, (tuple(out(v) for v, (_, _, _, out) in zip(values, groups)), []))[1].append(row)
        if not groups:
            buckets = {(): ((), rows)}
        out = []
        for shown, members in buckets.values():
            results = []
            for compute, read, type_ in calls:
                if read is None:
                    results.append(compute(members))
                else:
                    results.append(finish(compute([v for r in members if (v := read(r)) is not None]),
                                          type_))
            out.append(shown + tuple(results))
        out = sort(out, columns) if sort else (group_order(out, columns) if group_order else out)
        notes = []
        for name in lacking:
            missing = sum(1 for r in rows if r.get(name) is None)
            if missing:
                notes.append(f"{missing} row{'s' if missing != 1 else ''} lacked {name}")
        return out, notes
    return aggregate


def _aggregated(column: p.Column) -> Callable[[Row], Any]:
    """Reads a field for an aggregate: numbers as stored (a Decimal stays one, so
    sums are exact to the last digit; spaq.aggregates adds them as Decimal)."""
    if column.type in NUMERIC:
        name = column.name
        return lambda row: row.get(name)
    return _reader(column)


def _group_key(type_: str) -> Callable[[Any], Any]:
    """Values that are the same group: text compared as `=` compares it."""
    if type_ == TEXT:
        return text_key
    if type_ == LIST:
        return lambda v: tuple(map(text_key, v))
    if type_ in NUMERIC:
        return float
    return lambda v: v
