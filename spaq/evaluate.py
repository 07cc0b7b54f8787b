"""Plan -> Result. The plan is compiled once into closures; rows are dicts.

A query reads the table by columns: each field is copied once into a plain
list (as conditions compare it, case-folded for `contains`, text-keyed for
`=`), kept on the Table until its rows change, and a condition becomes a
list of row positions made by a scan of a column in C (`map` of an
operator) or a hash lookup (`field = value`), falling back to the row
closures below for anything else. Single-key orders, group buckets and
exact scaled-integer sums are kept or computed the same way; only the rows
of the result are turned into tuples. tests/test_columns.py checks all of
it against the row-at-a-time evaluator.

Conditions use SQL's three-valued logic: a test on a null is unknown
(None), `not` of unknown is unknown, and a row is kept only when its
condition is True. Text equality ignores case, spaces and punctuation so
`Omicron Partners LP` = `Omicron Partners, L.P.`.
"""
from __future__ import annotations

import datetime as dt
import operator
import re
from bisect import bisect_right
from itertools import accumulate, compress, islice, repeat
from decimal import Decimal
from typing import Any, Callable

from . import plan as p
from .aggregates import finish
from .index import Index
from .model import Table
from .result import Result
from .schema import BOOLEAN, DATE, INTEGER, LIST, MONEY, NUMBER, NUMERIC, TEXT

Row = dict[str, Any]
Test = Callable[[Row], "bool | None"]

_ORDERING = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
             "=": operator.eq, "!=": operator.ne}


def text_key(value: Any) -> str:
    """Text as `=` sees it: case, spaces and punctuation do not count."""
    return re.sub(r"[\W_]+", "", str(value).casefold())


def compile_plan(plan: p.Plan) -> Callable[[Index], Result]:
    """The query as one function of an index."""
    select = _compile_positions(plan)
    columns = [c.name for c in plan.columns]
    types = [c.type for c in plan.columns]
    limit = plan.limit
    entity = plan.entity.name

    if plan.is_aggregate:
        aggregate = _compile_aggregation(plan)

        def run_groups(index: Index) -> Result:
            table = index.table(entity)
            out, notes = aggregate(table, select(table)[0])
            return Result(columns, out[:limit] if limit is not None else out, types, notes)
        return run_groups

    project = [(c.name, c.type) for c in plan.columns]
    order = _compile_order_positions(plan.order)

    def run_rows(index: Index) -> Result:
        table = index.table(entity)
        positions, ascending = select(table)
        # Sorted before projection: any field may be a key, not only shown ones.
        if order is not None:
            positions = order(table, positions, ascending, limit)
        if limit is not None:
            positions = (range(len(table.rows)) if positions is None else positions)[:limit]
        return Result(columns, _project(table, positions, project), types, [])
    return run_rows


def _compile_positions(plan: p.Plan):
    """table -> (positions of the rows the plan reads, in order, or None for all;
    whether they ascend), after the plan's filter (not its order or limit)."""
    keep = _compile_select(plan.filter)[0] if plan.filter is not None else None
    source = _compile_rows(plan.source) if plan.source is not None else None

    def positions(table: Table) -> tuple[list[int] | None, bool]:
        selected, ascending = (source(table), False) if source is not None else (None, True)
        return (selected if keep is None else keep(table, selected)), ascending
    return positions


def _compile_rows(plan: p.Plan):
    """The positions of the rows a row plan selects (filtered, ordered, limited):
    what `them` reads after a query with a limit."""
    select = _compile_positions(plan)
    order = _compile_order_positions(plan.order)
    limit = plan.limit

    def rows(table: Table) -> list[int]:
        selected, ascending = select(table)
        if order is not None:
            selected = order(table, selected, ascending, limit)
        selected = range(len(table.rows)) if selected is None else selected
        return list(selected[:limit] if limit is not None else selected)
    return rows


def _project(table: Table, positions, project: list[tuple[str, str]]) -> list[tuple]:
    """Output tuples of the rows at `positions` (None: every row), each (field, type)
    of `project` handed out as `output` says."""
    if positions is not None and len(positions) < 2:
        gather = lambda column: [column[i] for i in positions]     # noqa: E731
    else:
        gather = _same if positions is None else operator.itemgetter(*positions)
    outs = []
    for name, type_ in project:
        if type_ in NUMERIC:
            outs.append(gather(_handed_out(table, name, type_)))
        elif type_ == LIST:
            # (copied for each result: a caller may change the lists it is handed)
            outs.append(list(map(output(LIST), gather(table.column(name)))))
        else:
            outs.append(gather(table.column(name)))
    if not outs:
        return [() for _ in (range(table.count) if positions is None else positions)]
    return list(zip(*outs))


# --- columns: plain lists per field, kept on the Table ------------------------------

def _column(table: Table, key: tuple, make: Callable[[list[Row]], Any]) -> Any:
    return table.derived(key, make)


def _handed_out(table: Table, name: str, type_: str) -> list:
    """A number field as results hand it out (float, int for counts), converted once and
    kept: each row a query returns is then gathered, not converted again. A column that
    holds only what it would be converted to (mostly so) is itself the answer."""
    def make(rows):
        column = table.column(name)
        if set(map(type, column)) <= _HANDED_OUT[type_ == INTEGER]:
            return column
        return list(map(output(type_), column))
    return _column(table, ("output", name, type_), make)


_HANDED_OUT = {False: {float, type(None)}, True: {int, type(None)}}


def _compared(table: Table, column: p.Column) -> list:
    """A field as conditions compare it (as `_reader` reads it), one value per row."""
    name = column.name
    if column.type in NUMERIC:
        # As _reader: a Decimal against a float literal would compare binary-exact and miss.
        def make(rows):
            return [float(v) if isinstance(v, Decimal) else v for v in table.column(name)]
    elif column.type == DATE:
        def make(rows):
            return [v.date() if isinstance(v, dt.datetime) else v for v in table.column(name)]
    else:
        return table.column(name)
    return _column(table, ("compared", name, column.type), make)


def _nan_filled(table: Table, column: p.Column) -> list:
    """A number field as compared, NaN for null: comparisons with NaN are false,
    so `<`, `=` etc. run in C with no test for null."""
    def make(rows):
        return [_NAN if v is None else v for v in _compared(table, column)]
    return _column(table, ("nan", column.name, column.type), make)


def _folded(table: Table, name: str) -> list:
    """A text field case-folded, "" for null (only for a non-empty needle)."""
    def make(rows):
        return ["" if v is None else str(v).casefold() for v in table.column(name)]
    return _column(table, ("folded", name), make)


def _keyed(table: Table, name: str) -> list:
    """A text field as `=` sees it (text_key), None for null."""
    def make(rows):
        return [None if v is None else text_key(v) for v in table.column(name)]
    return _column(table, ("keyed", name), make)


def _joined(table: Table, name: str) -> tuple[str, list[int]]:
    """The case-folded field of every row joined by NULs, and where each row's text starts."""
    def make(rows):
        folded = _folded(table, name)
        starts = list(accumulate((len(v) + 1 for v in folded[:-1]), initial=0)) if folded else []
        return "\0".join(folded), starts
    return _column(table, ("joined", name), make)


_NAN = float("nan")


# --- conditions over positions -----------------------------------------------------
# Each condition compiles to two functions (table, positions) -> positions: those
# where it is True and those where it is False (the rest are unknown), each in
# the order of the positions given (None: every row, ascending).

Select = Callable[[Table, "list[int] | None"], list[int]]


def _compile_select(cond: p.Condition) -> tuple[Select, Select]:
    if isinstance(cond, p.And):
        (lt, lf), (rt, rf) = _compile_select(cond.left), _compile_select(cond.right)
        if _looked_up(cond.right) and not _looked_up(cond.left):
            lt, rt = rt, lt         # the same rows either way: the looked-up side first is cheaper
        return (lambda t, ps: rt(t, lt(t, ps))), (lambda t, ps: _union(t, ps, lf(t, ps), rf(t, ps)))
    if isinstance(cond, p.Or):
        (lt, lf), (rt, rf) = _compile_select(cond.left), _compile_select(cond.right)
        return (lambda t, ps: _union(t, ps, lt(t, ps), rt(t, ps))), (lambda t, ps: rf(t, lf(t, ps)))
    if isinstance(cond, p.Not):
        true, false = _compile_select(cond.operand)
        return false, true
    test = compile_condition(cond)
    return _fast_true(cond) or _by_rows(test, True), _by_rows(test, False)


def _union(table: Table, ps, a: list[int], b: list[int]) -> list[int]:
    if not b:
        return a
    if not a:
        return b
    if ps is None:
        return sorted(set(a).union(b))
    either = set(a).union(b)
    return [i for i in ps if i in either]


def _by_rows(test: Test, want: bool) -> Select:
    def select(table: Table, ps):
        rows = table.rows
        if ps is None:
            return [i for i, row in enumerate(rows) if test(row) is want]
        return [i for i in ps if test(rows[i]) is want]
    return select


def _scan(values: Callable[[Table], list], op: Callable[[Any, Any], Any], const: Any) -> Select:
    """Positions where op(value, const) is true, run in C (the values make null false)."""
    def select(table: Table, ps):
        column = values(table)
        if ps is None:
            return list(compress(range(len(column)), map(op, column, repeat(const))))
        return list(compress(ps, map(op, map(column.__getitem__, ps), repeat(const))))
    return select


def _looked_up(cond: p.Condition) -> bool:
    """`field = constant` on a text or number field: answered from a hash of the column."""
    return (isinstance(cond, p.Compare) and cond.op == "=" and isinstance(cond.left, p.Column)
            and isinstance(cond.right, p.Const)
            and (cond.left.type == TEXT or cond.left.type in NUMERIC
                 and isinstance(cond.right.value, (int, float)) and not isinstance(cond.right.value, bool)))


def _lookup(values: Callable[[Table], list], key: tuple, want: Any) -> Select:
    """Positions whose value equals `want` (== and hash agree on numbers and text keys)."""
    def make_hash(table: Table) -> dict:
        def make(rows):
            positions: dict[Any, list[int]] = {}
            for i, v in enumerate(values(table)):
                if v is not None:
                    if v in positions:
                        positions[v].append(i)
                    else:
                        positions[v] = [i]
            return positions
        return _column(table, ("hash",) + key, make)

    def select(table: Table, ps):
        found = make_hash(table).get(want, [])
        if ps is None:
            return list(found)
        if len(ps) < len(found):
            column = values(table)
            return [i for i in ps if column[i] == want]
        found = set(found)
        return [i for i in ps if i in found]
    return select


def _fast_true(cond: p.Condition) -> Select | None:
    """A column scan for the common single-field tests, else None (the row test runs)."""
    if isinstance(cond, p.Compare) and isinstance(cond.left, p.Column) and isinstance(cond.right, p.Const):
        column, want = cond.left, cond.right.value
        if _looked_up(cond):
            if column.type == TEXT:
                return _lookup(lambda t: _keyed(t, column.name), ("keyed", column.name), text_key(want))
            return _lookup(lambda t: _compared(t, column), ("compared", column.name, column.type), want)
        if column.type in NUMERIC and cond.op != "!=" and isinstance(want, (int, float)) \
                and not isinstance(want, bool):
            return _scan(lambda t: _nan_filled(t, column), _ORDERING[cond.op], want)
        if column.type == DATE and cond.op != "!=" and isinstance(want, dt.date):
            compare = _ORDERING[cond.op]

            def dates(table: Table, ps):
                column_ = _compared(table, column)
                if ps is None:
                    return [i for i, v in enumerate(column_) if v is not None and compare(v, want)]
                return [i for i in ps if (v := column_[i]) is not None and compare(v, want)]
            return dates
        return None
    if isinstance(cond, p.Contains) and cond.text and cond.column.type == TEXT:
        needle, name = cond.text.casefold(), cond.column.name
        scan = _scan(lambda t: _folded(t, name), operator.contains, needle)
        if "\0" in needle:
            return scan

        def contains(table: Table, ps):
            if ps is not None:
                return scan(table, ps)
            # One search through the whole column joined by NULs (a needle with
            # none cannot match across two values), in C; each hit names its row.
            # A needle in many rows ("capital") costs a Python step per hit: past
            # one in sixteen rows, the rest are tested row by row in C instead.
            text, starts = _joined(table, name)
            find, out, last = text.find, [], len(starts) - 1
            dense = max(64, len(starts) // 16)
            at = find(needle)
            while at != -1:
                i = bisect_right(starts, at) - 1
                out.append(i)
                if i == last:
                    break
                if len(out) == dense:
                    rest = range(i + 1, len(starts))
                    out.extend(scan(table, rest))
                    break
                at = find(needle, starts[i + 1])
            return out
        return contains
    if isinstance(cond, p.Between) and isinstance(cond.low, p.Const) and isinstance(cond.high, p.Const) \
            and cond.column.type in (DATE,) + NUMERIC:
        column, low, high = cond.column, cond.low.value, cond.high.value

        def between(table: Table, ps):
            column_ = _compared(table, column)
            if ps is None:
                return [i for i, v in enumerate(column_) if v is not None and low <= v <= high]
            return [i for i in ps if (v := column_[i]) is not None and low <= v <= high]
        return between
    return None


# --- values ----------------------------------------------------------------------

def output(type_: str) -> Callable[[Any], Any]:
    """How a stored value is handed out: money and numbers as float, counts as int."""
    if type_ in NUMERIC and type_ != INTEGER:
        return lambda v: None if v is None else float(v)
    if type_ == INTEGER:
        return lambda v: None if v is None else int(v)
    if type_ == LIST:
        return lambda v: None if v is None else list(v)
    return _same


def _same(v: Any) -> Any:
    return v


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


def _compile_order_positions(keys: tuple[p.SortKey, ...]):
    """(table, positions or None, whether they ascend, limit) -> positions in the
    order of the keys, nulls last either way; ties keep the positions' order."""
    if not keys:
        return None
    prepared = [(k.column, k.type, _sort_value(k.type), k.descending) for k in keys]

    def sort_values(table: Table, name: str, type_: str, value) -> list:
        def make(rows):
            return [None if v is None else value(v) for v in table.column(name)]
        return _column(table, ("sort", name, type_), make)

    def whole_order(table: Table) -> list[int]:
        """Every position in the order of a single key (made once per table)."""
        name, type_, value, descending = prepared[0]

        def make(rows):
            column = sort_values(table, name, type_, value)
            known = [i for i, v in enumerate(column) if v is not None]
            known.sort(key=column.__getitem__, reverse=descending)
            return known + [i for i, v in enumerate(column) if v is None]
        return _column(table, ("order", name, type_, descending), make)

    def order(table: Table, ps, ascending: bool, limit: int | None) -> list[int]:
        if len(prepared) == 1 and ascending:
            ordered = whole_order(table)
            if ps is None:
                return ordered if limit is None else ordered[:limit]
            wanted = set(ps)
            picked = (i for i in ordered if i in wanted)
            return list(picked if limit is None else islice(picked, limit))
        ps = list(range(len(table.rows))) if ps is None else list(ps)
        # Stable sorts from the last key to the first give a multi-key order.
        for name, type_, value, descending in reversed(prepared):
            column = sort_values(table, name, type_, value)
            known = [i for i in ps if column[i] is not None]
            unknown = [i for i in ps if column[i] is None]
            known.sort(key=column.__getitem__, reverse=descending)
            ps = known + unknown
        return ps
    return order


# --- aggregation ---------------------------------------------------------------------

def _compile_aggregation(plan: p.Plan):
    groups = [(g, _group_key(g.type), output(g.type)) for g in plan.groups]
    calls = [_compile_call(a) for a in plan.aggregates]
    lacking = list(dict.fromkeys(a.column.name for a in plan.aggregates if a.column))
    columns = [c.name for c in plan.columns]
    sort = _compile_order(plan.order)
    group_order = _compile_order(tuple(p.SortKey(g.name, g.type, False) for g in plan.groups))

    def group_keys(table: Table, column: p.Column, key) -> list:
        def make(rows):
            return [None if v is None else key(v) for v in _compared(table, column)]
        return _column(table, ("group", column.name, column.type), make)

    def bucket(table: Table, ps) -> dict:
        """group key -> positions of its rows, groups in order of first appearance."""
        keys = [group_keys(table, g, k) for g, k, _ in groups]
        buckets: dict[Any, list[int]] = {}
        if len(keys) == 1:
            column = keys[0]
            for i in (range(len(column)) if ps is None else ps):
                k = column[i]
                if k in buckets:
                    buckets[k].append(i)
                else:
                    buckets[k] = [i]
        else:
            for i in (range(len(table.rows)) if ps is None else ps):
                buckets.setdefault(tuple(c[i] for c in keys), []).append(i)
        return buckets

    def aggregate(table: Table, ps) -> tuple[list[tuple], list[str]]:
        if not groups:
            buckets = {(): list(range(len(table.rows))) if ps is None else list(ps)}
        elif ps is None:
            buckets = _column(table, ("buckets",) + tuple(g.name for g, _, _ in groups),
                              lambda rows: bucket(table, None))
        else:
            buckets = bucket(table, ps)
        shown_columns = [(_compared(table, g), out) for g, _, out in groups]
        out = []
        for members in buckets.values():
            first = members[0] if members else None
            shown = tuple(out_(column[first]) for column, out_ in shown_columns)
            out.append(shown + tuple(call(table, members) for call in calls))
        out = sort(out, columns) if sort else (group_order(out, columns) if group_order else out)
        notes = []
        for name in lacking:
            column = table.column(name)
            if ps is None:
                missing = _column(table, ("nulls", name), lambda rows, c=column: sum(1 for v in c if v is None))
            else:
                missing = sum(1 for i in ps if column[i] is None)
            if missing:
                notes.append(f"{missing} row{'s' if missing != 1 else ''} lacked {name}")
        return out, notes
    return aggregate


# Sums and means add numbers exactly, as spaq.aggregates does with Decimal, but
# on integers: each value scaled (cents for money) when that is exact, else a
# Decimal of its text, as spaq.aggregates reads it.
_SCALE = {MONEY: 100, INTEGER: 1, NUMBER: 10 ** 6}


def _scaled(table: Table, column: p.Column) -> list:
    scale = _SCALE[column.type]
    bound = 1e14 / scale            # below it floats are spaced far finer than 1/scale
    name = column.name

    def exact(v: Any) -> Any:
        if v is None:
            return None
        if type(v) is int:
            return v * scale
        if type(v) is float and -bound < v < bound:
            c = round(v * scale)
            if c / scale == v:      # then str(v) is c / scale: what Decimal(str(v)) reads
                return c
        d = v * scale if isinstance(v, Decimal) else Decimal(str(v)) * scale
        return int(d) if d == d.to_integral_value() else d

    return _column(table, ("scaled", name, column.type), lambda rows: [exact(v) for v in table.column(name)])


def _compile_call(call: p.AggregateCall):
    """(table, positions) -> the aggregate's value for those rows, as the Result carries it."""
    function, column, type_ = call.function, call.column, call.type
    if column is None:
        if function.name == "count":
            return lambda table, members: len(members)
        compute = function.compute
        return lambda table, members: compute([table.rows[i] for i in members])
    if function.name in ("sum", "avg") and column.type in _SCALE:
        scale, mean = _SCALE[column.type], function.name == "avg"

        def exact(table: Table, members: list[int]) -> Any:
            scaled = _scaled(table, column)
            values = [v for i in members if (v := scaled[i]) is not None]
            if not values:
                return None
            total = Decimal(sum(values)) / scale
            return finish(total / len(values) if mean else total, type_)
        return exact
    read = _aggregated(column)
    compute = function.compute

    def general(table: Table, members: list[int]) -> Any:
        values = _column(table, ("aggregated", column.name, column.type), lambda rows: [read(r) for r in rows])
        return finish(compute([v for i in members if (v := values[i]) is not None]), type_)
    return general


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
