"""The typed syntax tree the parser builds: what was written, nothing resolved.

Every node keeps `start`/`end`, the character offsets of the text it came
from, so the planner can point a caret at an unknown field or a bad value.
Names are kept as typed; the planner resolves them against spaq.schema.
"""
from __future__ import annotations

from typing import Any, Union

from .record import Record


class Node(Record):
    start: int
    end: int


class Name(Node):
    """A field or entity name as typed (case kept for messages)."""
    text: str


class Literal(Node):
    """A value written in the query.

    `kind` is number, date, text or boolean; `value` is the parsed value
    (int or float, datetime.date, str, bool); `raw` is the text as typed,
    which tells a year (`2002`) from a plain number and keeps text exact.
    """
    kind: str
    value: Any
    raw: str

    @property
    def is_year(self) -> bool:
        return self.kind == "number" and self.raw.isdigit() and len(self.raw) == 4


Operand = Union[Name, Literal]


class Compare(Node):
    op: str                     # one of = != < <= > >=
    left: Operand
    right: Operand


class Contains(Node):
    operand: Operand
    pattern: Operand


class Matches(Node):
    operand: Operand
    pattern: Operand


class InList(Node):
    operand: Operand
    values: tuple[Literal, ...]
    negated: bool


class Between(Node):
    operand: Operand
    low: Operand
    high: Operand
    negated: bool


class IsNull(Node):
    operand: Operand
    negated: bool               # `is not null` / `is known`


class Truth(Node):
    """A bare boolean field used as a condition: `where template`."""
    field: Name


class Not(Node):
    operand: "Condition"


class And(Node):
    left: "Condition"
    right: "Condition"


class Or(Node):
    left: "Condition"
    right: "Condition"


Condition = Union[Compare, Contains, Matches, InList, Between, IsNull, Truth, Not, And, Or]


class Aggregate(Node):
    """`count` (field None) or `sum proceeds`; also an `order by` column."""
    function: str               # lower-case name, e.g. "sum"
    field: Name | None


class OrderItem(Node):
    key: Name | Aggregate
    descending: bool


class Pronoun(Node):
    """`them`, `those`, `it`: the rows of the previous query (a follow-up)."""
    text: str


class Top(Node):
    """`top N [ENTITY] by FIELD`."""
    count: Literal
    entity: "Rows | None"
    field: Name


class Query(Node):
    """A query. `entity` is what its rows are: an entity name, a pronoun for the
    previous query's rows, or a query in parentheses whose rows are read."""
    aggregates: tuple[Aggregate, ...]
    entity: "Rows | None"
    where: Condition | None
    group_by: tuple[Name, ...]
    order_by: tuple[OrderItem, ...]
    limit: Literal | None
    show: tuple[Name, ...]
    top: Top | None


Rows = Union[Name, Pronoun, Query]


class FollowUp(Node):
    """A line that refines the previous query: `and year = 2002`, `by year`,
    `order by proceeds desc limit 2`, `show purchaser, shares`.

    `joins` says how `where` meets the previous filter: "and" (also for a
    line starting with `where`, `paid`, `in 2002`...) or "or". `word` is the
    first word as typed, for messages.
    """
    word: Name
    joins: str
    where: Condition | None
    group_by: tuple[Name, ...]
    order_by: tuple[OrderItem, ...]
    limit: Literal | None
    show: tuple[Name, ...]


class ShowName(Node):
    """`show NAME [clauses]`, which only the schema can read: a query over the
    entity NAME (`show investors in 2002`), or, when NAME is not an entity and
    a query came before, a follow-up showing that column (`show price`).
    The parser builds both readings; the planner picks one.
    """
    query: Query
    followup: FollowUp


class Command(Node):
    """A command statement: `help`, `fields`, `show`, `explain`, `check`, `reload`.

    `args` are the words after the command (Name for names, Literal for a
    row id); `query` is set for `explain`: what it explains.
    """
    name: str
    args: tuple[Name | Literal, ...]
    query: "Query | FollowUp | ShowName | None" = None


Statement = Union[Query, FollowUp, ShowName, Command]
