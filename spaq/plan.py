"""Resolve a parsed query against the schema: the Plan the evaluator runs.

The planner is where names meet the schema (entity aliases, fields of the
entity, aggregate functions) and where types are checked and literal values
are coerced to the field they are compared with (a year against a date
becomes that calendar year, `"June 5, 2002"` becomes a date). Every error
points at the span of the text it is about. A Plan prints itself (`explain`).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any, Union

from . import ast
from .aggregates import AGGREGATES, AggregateFunction
from .errors import QueryError
from .parser import parse_date, parse_number
from .schema import (BOOLEAN, DATE, ENTITIES, ENTITY_NAMES, LIST, NUMERIC, PURCHASERS, TEXT,
                     Entity, Field)

# The columns a plain entity query shows: the fields a reader scans first.
# Every field is still queryable and can be picked with `show`.
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "purchasers": ("id", "purchaser", "company", "date", "shares", "price", "proceeds",
                   "warrant_shares", "warrant_price"),
    "agreements": ("id", "date", "company", "purchaser", "shares", "price", "proceeds",
                   "warrant_shares", "warrant_price", "template"),
    "filings": ("id", "form", "date", "company", "file"),
    "companies": ("company", "state", "agreements", "proceeds", "first", "last"),
}


# --- bound conditions: names resolved, values coerced ---------------------------

@dataclass(frozen=True)
class Column:
    name: str
    type: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Const:
    value: Any
    type: str

    def __str__(self) -> str:
        return format_value(self.value)


Operand = Union[Column, Const]


@dataclass(frozen=True)
class Compare:
    op: str
    left: Operand
    right: Operand

    def __str__(self) -> str:
        return f"{self.left} {self.op} {self.right}"


@dataclass(frozen=True)
class Member:
    """A list field holds an element equal to `value` (`=` or `contains` on a list)."""
    column: Column
    value: str

    def __str__(self) -> str:
        return f"{self.column} has {format_value(self.value)}"


@dataclass(frozen=True)
class Contains:
    column: Column
    text: str

    def __str__(self) -> str:
        return f"{self.column} contains {format_value(self.text)}"


@dataclass(frozen=True)
class Matches:
    column: Column
    pattern: str

    def __str__(self) -> str:
        return f"{self.column} matches {format_value(self.pattern)}"


@dataclass(frozen=True)
class In:
    column: Column
    values: tuple[Const, ...]

    def __str__(self) -> str:
        return f"{self.column} in ({', '.join(map(str, self.values))})"


@dataclass(frozen=True)
class Between:
    column: Column
    low: Operand
    high: Operand

    def __str__(self) -> str:
        return f"{self.column} between {self.low} and {self.high}"


@dataclass(frozen=True)
class IsNull:
    column: Column
    negated: bool

    def __str__(self) -> str:
        return f"{self.column} is {'not ' if self.negated else ''}null"


@dataclass(frozen=True)
class Truth:
    column: Column

    def __str__(self) -> str:
        return self.column.name


@dataclass(frozen=True)
class Not:
    operand: "Condition"

    def __str__(self) -> str:
        return f"not {_wrap(self.operand, (And, Or))}"


@dataclass(frozen=True)
class And:
    left: "Condition"
    right: "Condition"

    def __str__(self) -> str:
        return f"{_wrap(self.left, (Or,))} and {_wrap(self.right, (Or,))}"


@dataclass(frozen=True)
class Or:
    left: "Condition"
    right: "Condition"

    def __str__(self) -> str:
        return f"{self.left} or {self.right}"


Condition = Union[Compare, Member, Contains, Matches, In, Between, IsNull, Truth, Not, And, Or]


def _wrap(cond: Condition, looser: tuple[type, ...]) -> str:
    return f"({cond})" if isinstance(cond, looser) else str(cond)


def format_value(value: Any) -> str:
    """A value as the canonical query text would write it."""
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- the plan --------------------------------------------------------------------

@dataclass(frozen=True)
class AggregateCall:
    function: AggregateFunction
    column: Column | None
    type: str                               # the result's type

    @property
    def name(self) -> str:
        return self.function.column(self.column.name if self.column else None)


@dataclass(frozen=True)
class SortKey:
    column: str                             # a field (rows) or an output column (groups)
    type: str
    descending: bool

    def __str__(self) -> str:
        return f"{self.column} {'desc' if self.descending else 'asc'}"


@dataclass(frozen=True)
class Plan:
    entity: Entity
    filter: Condition | None
    groups: tuple[Column, ...]
    aggregates: tuple[AggregateCall, ...]
    order: tuple[SortKey, ...]
    limit: int | None
    columns: tuple[Column, ...]             # output columns, in order, with their types

    @property
    def is_aggregate(self) -> bool:
        return bool(self.aggregates)

    def to_s(self) -> str:
        """The plan as `explain` prints it: one line per part, canonical forms."""
        if self.order:
            order = ", ".join(map(str, self.order))
        else:
            order = "group keys, nulls last" if self.groups else "input order"
        lines = [
            f"entity: {self.entity.name}",
            f"filter: {self.filter if self.filter is not None else 'none'}",
            f"groups: {', '.join(c.name for c in self.groups) or 'none'}",
            f"aggregates: {', '.join(a.name for a in self.aggregates) or 'none'}",
            f"order: {order}",
            f"limit: {self.limit if self.limit is not None else 'none'}",
            f"columns: {', '.join(c.name for c in self.columns)}",
        ]
        return "\n".join(lines)

    __str__ = to_s


# --- planning ----------------------------------------------------------------------

def _quoted_list(words: list[str]) -> str:
    quoted = [f"'{w}'" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def resolve_entity(name: ast.Name, text: str) -> Entity:
    """The entity a typed name means, or a QueryError pointing at it."""
    found = ENTITY_NAMES.get(name.text.lower())
    if found is not None:
        return found
    close = difflib.get_close_matches(name.text.lower(), list(ENTITY_NAMES), n=1, cutoff=0.6)
    suggestion = _quoted_list([ENTITY_NAMES[close[0]].name] if close else list(ENTITIES))
    raise QueryError(f"unknown entity '{name.text}'", text, name.start, name.end, suggestion)


def plan(query: ast.Query, text: str) -> Plan:
    return _Planner(text).plan(query)


class _Planner:
    def __init__(self, text: str):
        self.text = text
        self.entity: Entity = PURCHASERS

    def error(self, message: str, node: ast.Node, suggestion: str | None = None) -> QueryError:
        return QueryError(message, self.text, node.start, node.end, suggestion)

    # -- names
    def field(self, name: ast.Name) -> Field:
        found = self.entity.field(name.text)
        if found is not None:
            return found
        close = difflib.get_close_matches(name.text.lower(), self.entity.field_names, n=1, cutoff=0.6)
        raise self.error(f"unknown field '{name.text}' on {self.entity.name}", name,
                         f"'{close[0]}'" if close else None)

    def column(self, name: ast.Name) -> Column:
        f = self.field(name)
        return Column(f.name, f.type)

    def implicit_entity(self, query: ast.Query) -> Entity:
        """The entity of a query that names none: from its first field."""
        names = [a.field for a in query.aggregates if a.field is not None]
        if query.top is not None:
            names.append(query.top.field)
        names.extend(query.group_by)
        if not names:
            raise self.error("count needs an entity", query,
                             _quoted_list([f"count {e}" for e in ENTITIES]))
        name = names[0]
        owners = [e for e in ENTITIES.values() if e.field(name.text) is not None]
        if PURCHASERS in owners:
            return PURCHASERS
        if len(owners) == 1:
            return owners[0]
        if owners:
            first = query.aggregates[0] if query.aggregates else None
            verb = f"{first.function} {name.text}" if first and first.field else name.text
            raise self.error(
                f"'{name.text}' is a field of {' and '.join(e.name for e in owners)}: name the entity",
                name, _quoted_list([f"{verb} of {e.name}" for e in owners]))
        close = difflib.get_close_matches(name.text.lower(), _all_field_names(), n=1, cutoff=0.6)
        raise self.error(f"unknown field '{name.text}'", name, f"'{close[0]}'" if close else None)

    # -- the query
    def plan(self, query: ast.Query) -> Plan:
        if query.entity is not None:
            self.entity = resolve_entity(query.entity, self.text)
        else:
            self.entity = self.implicit_entity(query)
        filter_ = self.condition(query.where) if query.where is not None else None
        groups = tuple(self.column(g) for g in query.group_by)
        aggregates = tuple(self.aggregate(a) for a in query.aggregates)
        if groups and not aggregates:
            # `purchasers by year` can only mean how many in each group.
            aggregates = (AggregateCall(AGGREGATES["count"], None, "integer"),)
        limit = self.limit(query.limit) if query.limit is not None else None
        order = tuple(self.sort_key(item, groups, aggregates) for item in query.order_by)
        if query.top is not None:
            if query.order_by:
                raise self.error("'top' already sets the order: drop 'order by'", query.order_by[0])
            if query.limit is not None:
                raise self.error("'top' already sets the limit: drop 'limit'", query.limit)
            key = self.column(query.top.field)
            order = (SortKey(key.name, key.type, True),)
            limit = self.limit(query.top.count)
        if aggregates:
            if query.show:
                raise self.error("'show' picks columns of rows, not of aggregates", query.show[0])
            columns = groups + tuple(Column(a.name, a.type) for a in aggregates)
        elif query.show:
            columns = tuple(self.column(f) for f in query.show)
        else:
            columns = tuple(Column(f.name, f.type) for n in DEFAULT_COLUMNS[self.entity.name]
                            if (f := self.entity.field(n)) is not None)
        return Plan(self.entity, filter_, groups, aggregates, order, limit, columns)

    def aggregate(self, node: ast.Aggregate) -> AggregateCall:
        function = AGGREGATES[node.function]
        if node.field is None:
            return AggregateCall(function, None, function.result_type(None))
        column = self.column(node.field)
        if column.type not in function.accepts:
            kinds = "number" if set(function.accepts) <= set(NUMERIC) else "number, date or text"
            raise self.error(f"{function.name} needs a {kinds} field; {column.name} is {column.type}",
                             node.field)
        return AggregateCall(function, column, function.result_type(column.type))

    def limit(self, node: ast.Literal) -> int:
        if not isinstance(node.value, int) or node.value < 0:
            raise self.error(f"expected a whole number of rows, not {node.raw}", node)
        return node.value

    def sort_key(self, item: ast.OrderItem, groups: tuple[Column, ...],
                 aggregates: tuple[AggregateCall, ...]) -> SortKey:
        key = item.key
        if not aggregates:
            if isinstance(key, ast.Aggregate):
                raise self.error(f"'{_aggregate_text(key)}' is not a column of this query", key)
            column = self.column(key)
            return SortKey(column.name, column.type, item.descending)
        outputs = {c.name: c.type for c in groups}
        outputs.update((a.name, a.type) for a in aggregates)
        if isinstance(key, ast.Aggregate):
            name = AGGREGATES[key.function].column(key.field.text.lower() if key.field else None)
        else:
            name = key.text.lower()
            over = [a.name for a in aggregates if a.column and a.column.name == name]
            if name not in outputs and len(over) == 1:
                name = over[0]      # `order by proceeds` in `sum proceeds by year`
        if name not in outputs:
            raise self.error(f"cannot order by '{name}': not a column of this query", key,
                             _quoted_list(list(outputs)))
        return SortKey(name, outputs[name], item.descending)

    # -- conditions
    def condition(self, node: ast.Condition) -> Condition:
        if isinstance(node, ast.And):
            return And(self.condition(node.left), self.condition(node.right))
        if isinstance(node, ast.Or):
            return Or(self.condition(node.left), self.condition(node.right))
        if isinstance(node, ast.Not):
            return Not(self.condition(node.operand))
        if isinstance(node, ast.Truth):
            column = self.column(node.field)
            if column.type != BOOLEAN:
                raise self.error(f"{column.name} is {column.type}, not true or false: compare it, "
                                 f"e.g. {column.name} is not null", node.field)
            return Truth(column)
        if isinstance(node, ast.IsNull):
            return IsNull(self.field_operand(node.operand, "is null"), node.negated)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Contains):
            column = self.field_operand(node.operand, "contains")
            pattern = self.text_literal(node.pattern, "contains")
            if column.type == LIST:
                return Member(column, pattern)
            if column.type != TEXT:
                raise self.error(f"contains needs a text field; {column.name} is {column.type}",
                                 node.operand)
            return Contains(column, pattern)
        if isinstance(node, ast.Matches):
            column = self.field_operand(node.operand, "matches")
            if column.type != TEXT:
                raise self.error(f"matches needs a text field; {column.name} is {column.type}",
                                 node.operand)
            pattern = self.text_literal(node.pattern, "matches")
            try:
                re.compile(pattern, re.IGNORECASE)
            except re.error as e:
                raise self.error(f"bad regular expression: {e.msg}", node.pattern) from None
            return Matches(column, pattern)
        if isinstance(node, ast.InList):
            return self.in_list(node)
        if isinstance(node, ast.Between):
            return self.between(node)
        raise TypeError(f"unplanned condition {node!r}")    # the grammar has no other

    def field_operand(self, operand: ast.Operand, what: str) -> Column:
        if not isinstance(operand, ast.Name):
            raise self.error(f"{what} needs a field on its left, not {operand.raw}", operand)
        return self.column(operand)

    def text_literal(self, operand: ast.Operand, what: str) -> str:
        if isinstance(operand, ast.Literal) and operand.kind in ("text", "number", "date"):
            return operand.value if operand.kind == "text" else operand.raw
        raise self.error(f"{what} needs quoted text on its right", operand)

    def value(self, lit: ast.Literal, column: Column) -> Const | tuple[dt.date, dt.date]:
        """A literal coerced to the column's type; a year against a date is a (first, last) range."""
        t = column.type
        if t in NUMERIC:
            if lit.kind == "number":
                return Const(lit.value, t)
            if lit.kind == "text":
                try:
                    return Const(parse_number(lit.value.strip()), t)
                except (ValueError, ArithmeticError):
                    pass
            raise self.error(f"expected a number for {column.name}, not {lit.raw}", lit)
        if t == DATE:
            if lit.kind == "date":
                return Const(lit.value, t)
            year = lit.raw if lit.is_year else (lit.value.strip() if lit.kind == "text" else "")
            if year.isdigit() and len(year) == 4:
                return (dt.date(int(year), 1, 1), dt.date(int(year), 12, 31))
            if lit.kind == "text":
                parsed = parse_date(lit.value)
                if parsed is None:
                    raise self.error(f"cannot read {lit.raw} as a date", lit)
                return Const(parsed, t)
            raise self.error(f"expected a date or a year for {column.name}, not {lit.raw}", lit)
        if t == BOOLEAN:
            if lit.kind == "boolean":
                return Const(lit.value, t)
            raise self.error(f"expected true or false for {column.name}, not {lit.raw}", lit)
        if lit.kind == "boolean":
            raise self.error(f"expected quoted text for {column.name}, not {lit.raw}", lit)
        return Const(lit.value if lit.kind == "text" else lit.raw, TEXT)

    def compare(self, node: ast.Compare) -> Condition:
        left, op, right = node.left, node.op, node.right
        if isinstance(left, ast.Literal) and isinstance(right, ast.Literal):
            raise self.error("a comparison needs a field on one side", node)
        if isinstance(left, ast.Literal):
            left, right = right, left
            op = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)
        column = self.column(left)
        if isinstance(right, ast.Name):
            other = self.column(right)
            if _family(column.type) != _family(other.type) or column.type in (LIST, BOOLEAN) and op not in ("=", "!="):
                raise self.error(f"cannot compare {column.name} ({column.type}) with "
                                 f"{other.name} ({other.type})", node)
            return Compare(op, column, other)
        if column.type == LIST:
            if op not in ("=", "!="):
                raise self.error(f"only = != and contains work on a list field like {column.name}", node)
            member = Member(column, self.text_literal(right, op))
            return member if op == "=" else Not(member)
        if column.type == BOOLEAN and op not in ("=", "!="):
            raise self.error(f"only = and != work on a true/false field like {column.name}", node)
        value = self.value(right, column)
        if isinstance(value, tuple):
            return _year_compare(column, op, value)
        return Compare(op, column, value)

    def in_list(self, node: ast.InList) -> Condition:
        column = self.field_operand(node.operand, "in")
        if column.type == LIST:
            raise self.error(f"in does not work on a list field like {column.name}; use contains", node)
        values = [self.value(v, column) for v in node.values]
        if any(isinstance(v, tuple) for v in values):
            parts = [Between(column, Const(v[0], DATE), Const(v[1], DATE)) if isinstance(v, tuple)
                     else Compare("=", column, v) for v in values]
            cond: Condition = parts[0]
            for part in parts[1:]:
                cond = Or(cond, part)
        else:
            cond = In(column, tuple(values))
        return Not(cond) if node.negated else cond

    def between(self, node: ast.Between) -> Condition:
        column = self.field_operand(node.operand, "between")
        if column.type not in NUMERIC + (DATE,):
            raise self.error(f"between needs a number or date field; {column.name} is {column.type}",
                             node.operand)
        low, high = self.bound(node.low, column, 0), self.bound(node.high, column, 1)
        cond = Between(column, low, high)
        return Not(cond) if node.negated else cond

    def bound(self, operand: ast.Operand, column: Column, end: int) -> Operand:
        if isinstance(operand, ast.Name):
            other = self.column(operand)
            if _family(other.type) != _family(column.type):
                raise self.error(f"cannot compare {column.name} ({column.type}) with "
                                 f"{other.name} ({other.type})", operand)
            return other
        value = self.value(operand, column)
        return Const(value[end], DATE) if isinstance(value, tuple) else value


def _year_compare(column: Column, op: str, year: tuple[dt.date, dt.date]) -> Condition:
    """`date OP 2002` against the whole calendar year 2002."""
    first, last = Const(year[0], DATE), Const(year[1], DATE)
    if op == "=":
        return Between(column, first, last)
    if op == "!=":
        return Not(Between(column, first, last))
    if op in ("<", ">="):
        return Compare(op, column, first)
    return Compare(op, column, last)         # <= and >


def _family(type_: str) -> str:
    return "number" if type_ in NUMERIC else type_


def _aggregate_text(node: ast.Aggregate) -> str:
    return AGGREGATES[node.function].column(node.field.text if node.field else None)


def _all_field_names() -> list[str]:
    return list(dict.fromkeys(f.name for e in ENTITIES.values() for f in e.fields))
