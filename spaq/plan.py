"""Resolve a parsed query against the schema: the Plan the evaluator runs.

The planner is where names meet the schema (entity aliases, fields of the
entity, aggregate functions) and where types are checked and literal values
are coerced to the field they are compared with (a year against a date
becomes that calendar year, `"June 5, 2002"` becomes a date). Every error
points at the span of the text it is about. A Plan prints itself (`explain`).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import warnings
from typing import Any, Callable, Union

from . import ast
from .aggregates import AGGREGATES, AggregateFunction
from .errors import QueryError, closest
from .parser import parse_date, parse_number
from .record import Record, replace
from .schema import (BOOLEAN, DATE, ENTITIES, ENTITY_NAMES, FIELD_SYNONYMS, LIST, NUMERIC,
                     PURCHASERS, TEXT, Entity, Field, lookup_field, synonyms_on, words)

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

class Column(Record):
    name: str
    type: str

    def __str__(self) -> str:
        return self.name


class Const(Record):
    value: Any
    type: str

    def __str__(self) -> str:
        return format_value(self.value)


Operand = Union[Column, Const]


class Compare(Record):
    op: str
    left: Operand
    right: Operand

    def __str__(self) -> str:
        return f"{self.left} {self.op} {self.right}"


class Member(Record):
    """A list field holds an element equal to `value` (`=` or `contains` on a list)."""
    column: Column
    value: str

    def __str__(self) -> str:
        return f"{self.column} contains {format_value(self.value)}"


class Contains(Record):
    column: Column
    text: str

    def __str__(self) -> str:
        return f"{self.column} contains {format_value(self.text)}"


class Matches(Record):
    column: Column
    pattern: str

    def __str__(self) -> str:
        return f"{self.column} matches {format_value(self.pattern)}"


class In(Record):
    column: Column
    values: tuple[Const, ...]

    def __str__(self) -> str:
        return f"{self.column} in ({', '.join(map(str, self.values))})"


class Between(Record):
    column: Column
    low: Operand
    high: Operand

    def __str__(self) -> str:
        return f"{self.column} between {self.low} and {self.high}"


class IsNull(Record):
    column: Column
    negated: bool

    def __str__(self) -> str:
        return f"{self.column} is {'not ' if self.negated else ''}null"


class Truth(Record):
    column: Column

    def __str__(self) -> str:
        return self.column.name


class Not(Record):
    operand: "Condition"

    def __str__(self) -> str:
        return f"not {_wrap(self.operand, (And, Or))}"


class And(Record):
    left: "Condition"
    right: "Condition"

    def __str__(self) -> str:
        return f"{_wrap(self.left, (Or,))} and {_wrap(self.right, (Or,))}"


class Or(Record):
    left: "Condition"
    right: "Condition"

    def __str__(self) -> str:
        return f"{self.left} or {self.right}"


Condition = Union[Compare, Member, Contains, Matches, In, Between, IsNull, Truth, Not, And, Or]


def _wrap(cond: Condition, looser: tuple[type, ...]) -> str:
    return f"({cond})" if isinstance(cond, looser) else str(cond)


def format_value(value: Any) -> str:
    """A value as the canonical query text would write it (and the parser reads back)."""
    if isinstance(value, str):
        # The grammar's quoted text has no escapes: pick the quote the text lacks.
        return f"'{value}'" if '"' in value else f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- the plan --------------------------------------------------------------------

class AggregateCall(Record):
    function: AggregateFunction
    column: Column | None
    type: str                               # the result's type

    @property
    def name(self) -> str:
        return self.function.column(self.column.name if self.column else None)

    @property
    def call(self) -> str:
        """As a query writes it: `sum proceeds`, `count`."""
        return f"{self.function.name} {self.column.name}" if self.column else self.function.name


class SortKey(Record):
    column: str                             # a field (rows) or an output column (groups)
    type: str
    descending: bool

    def __str__(self) -> str:
        return f"{self.column} {'desc' if self.descending else 'asc'}"


class Plan(Record):
    entity: Entity
    filter: Condition | None
    groups: tuple[Column, ...]
    aggregates: tuple[AggregateCall, ...]
    order: tuple[SortKey, ...]
    limit: int | None
    columns: tuple[Column, ...]             # output columns, in order, with their types
    # Rows come from this row plan (its filter, order and limit) instead of the
    # whole table: `sum proceeds of them` after a query with a limit.
    source: "Plan | None" = None

    @property
    def is_aggregate(self) -> bool:
        return bool(self.aggregates)

    def to_query(self) -> str:
        """The canonical query this plan runs: what every phrasing and follow-up
        comes down to, in the words the help teaches; it parses back to this plan."""
        rows = f"({self.source.to_query()})" if self.source is not None else self.entity.name
        if self.aggregates:
            calls = ", ".join(a.call for a in self.aggregates)
            parts = [f"{calls} {'of ' if self.aggregates[-1].column else ''}{rows}"]
        else:
            parts = [rows]
        if self.filter is not None:
            parts.append(f"where {self.filter}")
        if self.groups:
            parts.append("by " + ", ".join(c.name for c in self.groups))
        if self.order:
            parts.append("order by " + ", ".join(
                k.column + (" desc" if k.descending else "") for k in self.order))
        if self.limit is not None:
            parts.append(f"limit {self.limit}")
        if not self.aggregates and self.columns != default_columns(self.entity):
            parts.append("show " + ", ".join(c.name for c in self.columns))
        return " ".join(parts)

    def to_s(self) -> str:
        """The plan as `explain` prints it: the canonical query, then one line per part."""
        if self.order:
            order = ", ".join(map(str, self.order))
        else:
            order = "group keys, nulls last" if self.groups else "input order"
        lines = [
            f"query: {self.to_query()}",
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


def default_columns(entity: Entity) -> tuple[Column, ...]:
    return tuple(Column(f.name, f.type) for n in DEFAULT_COLUMNS[entity.name]
                 if (f := entity.field(n)) is not None)


# --- planning ----------------------------------------------------------------------

def _quoted_list(words: list[str]) -> str:
    quoted = [f"'{w}'" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def resolve_entity(name: ast.Name, text: str) -> Entity:
    """The entity a typed name means, or a QueryError pointing at it."""
    found = ENTITY_NAMES.get(name.text.lower())
    if found is not None:
        return found
    close = closest(name.text.lower(), ENTITY_NAMES)
    suggestion = _quoted_list([ENTITY_NAMES[close[0]].name] if close else list(ENTITIES))
    raise QueryError(f"unknown entity '{name.text}'", text, name.start, name.end, suggestion)


def plan(statement: ast.Query | ast.FollowUp | ast.ShowName, text: str,
         previous: Plan | None = None) -> Plan:
    """The plan of a query, or of a follow-up merged with `previous` (the plan
    of the query before it in a session). Follow-ups and pronouns need one."""
    planner = _Planner(text)
    if isinstance(statement, ast.ShowName):
        statement = planner.show_reading(statement, previous)
    if isinstance(statement, ast.FollowUp):
        if previous is None:
            raise planner.no_previous(statement.word, "no previous query to refine",
                                      _as_query(statement, text))
        return _bounded(planner.refine(previous, statement), text)
    return _bounded(planner.plan(statement, previous), text)


# The planner's bound on nesting, as the parser's (spaq.parser.MAX_DEPTH) on
# one line's: follow-ups add a level each (`and price > 1` again and again),
# and the evaluator, `explain` and the plan's hash all recurse once per level.
MAX_PLAN_DEPTH = 120


def _bounded(result: Plan, text: str) -> Plan:
    if plan_depth(result) > MAX_PLAN_DEPTH:
        raise QueryError(f"the query has grown too deep to run (more than {MAX_PLAN_DEPTH} levels of "
                         "conditions and follow-ups): start a new query", text)
    return result


def plan_depth(root: Plan) -> int:
    """How deep a plan's conditions and source plans nest, measured without recursion."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, Plan):
            children = [node.filter, node.source]
        elif isinstance(node, (And, Or)):
            children = [node.left, node.right]
        elif isinstance(node, Not):
            children = [node.operand]
        else:
            children = []
        stack.extend((child, depth + 1) for child in children if child is not None)
    return deepest


def _as_query(followup: ast.FollowUp, text: str) -> str | None:
    """What a follow-up typed first would be as a query of its own, when it is one."""
    if followup.word.text.lower() in ("and", "or"):
        rest = "where " + text[followup.word.end:].strip()      # `and X` alone is `where X`
    else:
        rest = text[followup.word.start:].strip()
    names = _names(followup.where) + list(followup.group_by) + list(followup.show) + \
        [i.key for i in followup.order_by if isinstance(i.key, ast.Name)]
    owners = [e for e in ENTITIES.values() if names and all(lookup_field(e, n.text) for n in names)]
    entity = PURCHASERS if not owners or PURCHASERS in owners else owners[0]
    return f"{text[:followup.word.start]}{entity.name} {rest}"     # keeps a leading `explain`


def _names(cond) -> list[ast.Name]:
    """The field names a condition mentions, in order."""
    if cond is None:
        return []
    if isinstance(cond, ast.Name):
        return [cond]
    if isinstance(cond, ast.Literal):
        return []
    out = []
    for value in vars(cond).values():
        if isinstance(value, (ast.Node, tuple)):
            for v in (value if isinstance(value, tuple) else (value,)):
                if isinstance(v, ast.Node):
                    out.extend(_names(v))
    return out


class _Planner:
    def __init__(self, text: str):
        self.text = text
        self.entity: Entity = PURCHASERS

    def error(self, message: str, node: ast.Node, suggestion: str | None = None) -> QueryError:
        return QueryError(message, self.text, node.start, node.end, suggestion)

    def no_previous(self, node: ast.Node, message: str, suggestion: str | None) -> QueryError:
        """A follow-up with nothing before it; suggests the query it could be, if it is one."""
        if suggestion is not None:
            from .parser import parse       # late: the parser is the planner's caller's business
            try:
                statement = parse(suggestion)
                plan(statement.query if isinstance(statement, ast.Command) else statement, suggestion)
            except QueryError:
                suggestion = None
        return self.error(message, node, f"'{suggestion}'" if suggestion else None)

    # -- names
    def field(self, name: ast.Name) -> Field:
        found = lookup_field(self.entity, name.text)
        if found is not None:
            return found
        typed = words(name.text)
        known = self.entity.field_names + [s.words for s in synonyms_on(self.entity)]
        # A name of another entity's field is not a typo: no look-alike to offer.
        close = [] if typed in _all_field_names() else closest(typed, known)
        raise self.error(f"unknown field '{name.text}' on {self.entity.name}", name,
                         f"'{close[0]}'" if close else None)

    def rows_of(self, rows: ast.Rows, previous: Plan | None) -> tuple[Entity, Condition | None, Plan | None]:
        """What a query reads: (entity, filter already applied, source plan)."""
        if isinstance(rows, ast.Name):
            return resolve_entity(rows, self.text), None, None
        if isinstance(rows, ast.Query):
            source = _Planner(self.text).plan(rows, previous)
            if source.is_aggregate:
                raise self.error("rows in parentheses must come from a query that lists rows, "
                                 "not one that aggregates", rows)
            return source.entity, None, _rows_only(source)
        if previous is None:
            raise self.no_previous(rows, f"no previous query for '{rows.text}' to name the rows of", None)
        if previous.limit is not None and not previous.is_aggregate:
            # The first N rows in an order: only the previous plan itself can say which.
            return previous.entity, None, _rows_only(previous)
        return previous.entity, previous.filter, previous.source

    def show_reading(self, node: ast.ShowName, previous: Plan | None) -> ast.Query | ast.FollowUp:
        """`show NAME`: an entity's rows when NAME is an entity, else a column of the previous query."""
        name = node.query.entity
        if ENTITY_NAMES.get(name.text.lower()) is not None:
            return node.query
        if previous is not None:
            return node.followup
        if any(lookup_field(e, name.text) for e in ENTITIES.values()):
            raise self.no_previous(node.followup.word, f"no previous query to show '{name.text}' of",
                                   _as_query(node.followup, self.text))
        return node.query

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
        owners = [e for e in ENTITIES.values() if lookup_field(e, name.text) is not None]
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
        close = closest(words(name.text), _all_field_names())
        raise self.error(f"unknown field '{name.text}'", name, f"'{close[0]}'" if close else None)

    # -- the query
    def plan(self, query: ast.Query, previous: Plan | None = None) -> Plan:
        base, source = None, None
        if query.entity is not None:
            self.entity, base, source = self.rows_of(query.entity, previous)
        else:
            self.entity = self.implicit_entity(query)
        filter_ = self.condition(query.where) if query.where is not None else None
        if base is not None:
            filter_ = base if filter_ is None else And(base, filter_)
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
            columns = default_columns(self.entity)
        return Plan(self.entity, filter_, groups, aggregates, order, limit, columns, source)

    def refine(self, previous: Plan, f: ast.FollowUp) -> Plan:
        """The previous plan with a follow-up's clauses: a condition joins the
        filter, the others replace theirs. New groups start a new aggregation,
        so the order, limit and columns that were about the rows are dropped."""
        self.entity = previous.entity
        filter_ = previous.filter
        if f.where is not None:
            new = self.condition(f.where)
            if filter_ is None:
                # `or` with no filter before: every row already matches.
                filter_ = new if f.joins == "and" else None
            else:
                filter_ = And(filter_, new) if f.joins == "and" else Or(filter_, new)
        groups, aggregates = previous.groups, previous.aggregates
        order, limit = previous.order, previous.limit
        if f.group_by:
            groups = tuple(self.column(g) for g in f.group_by)
            aggregates = aggregates or (AggregateCall(AGGREGATES["count"], None, "integer"),)
            order, limit = (), None
        if f.order_by:
            order = tuple(self.sort_key(item, groups, aggregates) for item in f.order_by)
        if f.limit is not None:
            limit = self.limit(f.limit)
        if aggregates:
            if f.show:
                raise self.error("'show' picks columns of rows, not of aggregates", f.show[0])
            columns = groups + tuple(Column(a.name, a.type) for a in aggregates)
        elif f.show:
            columns = tuple(self.column(name) for name in f.show)
        else:
            columns = previous.columns
        return Plan(self.entity, filter_, groups, aggregates, order, limit, columns, previous.source)

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
            name = AGGREGATES[key.function].column(self.output_name(key.field) if key.field else None)
        else:
            name = self.output_name(key)
            over = [a.name for a in aggregates if a.column and a.column.name == name]
            if name not in outputs and len(over) == 1:
                name = over[0]      # `order by proceeds` in `sum proceeds by year`
        if name not in outputs:
            raise self.error(f"cannot order by '{name}': not a column of this query", key,
                             _quoted_list(list(outputs)))
        return SortKey(name, outputs[name], item.descending)

    def right_column(self, name: ast.Name) -> Column:
        """A field on the right of a comparison; `is nul` was likely meant as `is null`."""
        try:
            return self.column(name)
        except QueryError as e:
            close = closest(words(name.text), ["null", "missing", "known"], 0.7)
            if not close or e.suggestion:
                raise
            fixed = self.text[:name.start] + close[0] + self.text[name.end:]
            raise self.error(e.message, name, f"'{fixed.strip()}'") from None

    def output_name(self, name: ast.Name) -> str:
        """A name in `order by` of groups: the field it means, else as typed (`count`)."""
        found = lookup_field(self.entity, name.text)
        return found.name if found is not None else words(name.text)

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
                # `where year in 2002` reads as `where year` and then `in 2002`; offer what was meant.
                after = re.match(r"\s*in\s+(\d{4})\b", self.text[node.end:])
                fixed = None
                if after:
                    fixed = f"{self.text[:node.start]}{column.name} = {after.group(1)}{self.text[node.end + after.end():]}"
                raise self.error(f"{column.name} is {column.type}, not true or false: compare it, "
                                 f"e.g. {column.name} is not null", node.field,
                                 f"'{fixed.strip()}'" if fixed else None)
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
                compile_regex(pattern)
            except ValueError as e:
                raise self.error(str(e), node.pattern) from None
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
            other = self.right_column(right)
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
            cond = _any(parts)
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


# --- `matches` patterns ------------------------------------------------------------

MAX_PATTERN_LENGTH = 1_000      # characters

# What RE2 refuses that Python's re reads: the features that need backtracking.
_UNSUPPORTED = ((re.compile(r"\(\?<?[=!]$"), "lookahead or lookbehind"),
                (re.compile(r"^\\[1-9]|\(\?P$"), "backreferences"),
                (re.compile(r"\(\?>$"), "atomic groups"),
                (re.compile(r"[*+?}]\+$"), "possessive repeats"),
                (re.compile(r"^\{"), "repeat counts above 1000"))


@functools.lru_cache(maxsize=64)
def compile_regex(pattern: str) -> Callable[[str], bool]:
    """The test `matches PATTERN` applies to a text: case-insensitive search.

    Patterns run on RE2 (google-re2), which matches in time linear in the
    text and never backtracks, so no pattern (`(a+)+$`, `(x+x+)+y`) can hang
    a query. The price: RE2 has no lookaround or backreferences, and its
    `\\w`, `\\d`, `\\b` are ASCII. Raises ValueError with the message a user reads.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"regular expression too long: {len(pattern):,} characters; "
                         f"at most {MAX_PATTERN_LENGTH:,}")
    try:
        import re2
    except ImportError:     # a dependency; only a broken install lacks it
        raise ValueError("matches needs the google-re2 package: pip install google-re2") from None
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    try:
        search = re2.compile(pattern, options).search
    except re2.error as e:
        raise ValueError(_regex_problem(pattern, e)) from None

    def matches(text: str) -> bool:
        try:
            return search(text) is not None
        except UnicodeEncodeError:      # a lone surrogate in the data: RE2 reads UTF-8
            return search(text.encode("utf-8", "replace").decode("utf-8")) is not None
    return matches


def _regex_problem(pattern: str, error: Exception) -> str:
    """Why RE2 refused a pattern, in words: Python's message for a plain
    mistake (`missing ), unterminated subpattern`), else what RE2 lacks."""
    said = error.args[0] if error.args else str(error)
    said = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
    # RE2 says `invalid perl operator: (?<=`: after the colon is the culprit.
    what, _, culprit = said.rpartition(": ")
    if len(culprit) > 20:        # RE2 quotes the rest of the pattern: `missing ): ((((...`
        said = what
    try:
        with warnings.catch_warnings():        # `[[` draws a FutureWarning; the user gets words
            warnings.simplefilter("ignore")
            re.compile(pattern, re.IGNORECASE)
    except re.error as e:
        return f"bad regular expression: {e.msg}"
    except Exception:       # deep nesting overflows Python's own compiler
        return f"bad regular expression: {said}"
    feature = next((f for clue, f in _UNSUPPORTED if clue.search(culprit)), f"'{culprit}'")
    return f"matches does not support {feature} (patterns run on RE2, which cannot backtrack)"


def _rows_only(source: Plan) -> Plan:
    """A plan read as a source of rows: its columns do not matter, so they are the defaults
    (and the canonical text need not carry them)."""
    return replace(source, columns=default_columns(source.entity))


def _any(parts: list[Condition]) -> Condition:
    """`a or b or c ...` as a balanced tree: a long `in (...)` list of years
    stays a few levels deep, not one level per value."""
    if len(parts) == 1:
        return parts[0]
    middle = len(parts) // 2
    return Or(_any(parts[:middle]), _any(parts[middle:]))


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
    names = [f.name for e in ENTITIES.values() for f in e.fields] + [s.words for s in FIELD_SYNONYMS]
    return list(dict.fromkeys(names))
